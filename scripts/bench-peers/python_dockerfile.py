"""Peer for scripts/bench: PyPI `dockerfile` 3.4.0 (BuildKit v0.12.5's Go parser behind CPython).

Usage: python_dockerfile.py --check LIST      -> JSON {"failed": [[path, error], ...]}
       python_dockerfile.py --min-seconds S LIST -> one JSON line, same fields as benches/parse.rs

Same method as the Rust bench: load everything first, one warm-up pass, then whole passes on
one thread until >= S seconds and >= 5 passes; report the median pass.
"""

import json
import sys
import time

import dockerfile
from importlib.metadata import version


def load(list_path):
    with open(list_path, encoding="utf-8") as f:
        paths = [line.strip() for line in f if line.strip()]
    texts = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:  # newline="": keep CRLF as is
            texts.append(f.read())
    return paths, texts


def check(paths, texts):
    failed = []
    for path, text in zip(paths, texts):
        try:
            dockerfile.parse_string(text)
        except Exception as e:  # GoParseError for BuildKit's rejections; anything else counts too
            failed.append([path, f"{type(e).__name__}: {e}"])
    print(json.dumps({"failed": failed}))


def bench(texts, min_seconds):
    parse = dockerfile.parse_string

    def one_pass():
        start = time.perf_counter()
        for text in texts:
            parse(text)  # returns fully built tuples of Command; nothing is lazy
        return time.perf_counter() - start

    one_pass()  # warm-up
    times = []
    while sum(times) < min_seconds or len(times) < 5:
        times.append(one_pass())
    times.sort()
    median = times[len(times) // 2]
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(json.dumps({
        "tool": f"dockerfile {version('dockerfile')} (Python/Go)",
        "files": len(texts),
        "bytes": size,
        "passes": len(times),
        "seconds_per_pass": median,
        "best_seconds_per_pass": times[0],
        "mb_per_s": size / 1e6 / median,
        "files_per_s": len(texts) / median,
    }))


def main(argv):
    if len(argv) == 2 and argv[0] == "--check":
        check(*load(argv[1]))
    elif len(argv) == 3 and argv[0] == "--min-seconds":
        bench(load(argv[2])[1], float(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
