"""Python peers for scripts/bench: two parsers from PyPI, timed in-process on one thread.

  dockerfile        3.4.0  BuildKit v0.12.5's Go parser behind CPython (`dockerfile.parse_string`)
  dockerfile-parse  2.0.1  pure Python, regular expressions (`DockerfileParser(...).structure`)

Usage: python_parsers.py TOOL --check LIST          -> JSON {"failed": [[path, error], ...]}
       python_parsers.py TOOL --min-seconds S LIST  -> one JSON line, same fields as benches/parse.rs
TOOL is `dockerfile` or `dockerfile-parse`; LIST holds one path per line.

Same method as the Rust bench: load everything first, one warm-up pass, then whole passes on
one thread until >= S seconds and >= 5 passes; report the median pass.
"""

import io
import json
import sys
import time
from importlib.metadata import version


def buildkit_parser():
    import dockerfile

    return f"dockerfile {version('dockerfile')} (Python/Go)", dockerfile.parse_string


def dockerfile_parse():
    from dockerfile_parse import DockerfileParser

    def parse(text):
        # The parser reads a file object of bytes; `structure` splits it into instructions
        # (nothing is cached, so every pass does the whole work).
        return DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure

    return f"dockerfile-parse {version('dockerfile-parse')} (Python)", parse


TOOLS = {"dockerfile": buildkit_parser, "dockerfile-parse": dockerfile_parse}


def load(list_path):
    with open(list_path, encoding="utf-8") as f:
        paths = [line.strip() for line in f if line.strip()]
    texts = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:  # newline="": keep CRLF as is
            texts.append(f.read())
    return paths, texts


def check(parse, paths, texts):
    failed = []
    for path, text in zip(paths, texts):
        try:
            parse(text)
        except Exception as e:  # GoParseError for BuildKit's rejections; anything else counts too
            failed.append([path, f"{type(e).__name__}: {e}"])
    print(json.dumps({"failed": failed}))


def bench(name, parse, texts, min_seconds):
    def one_pass():
        start = time.perf_counter()
        for text in texts:
            parse(text)
        return time.perf_counter() - start

    one_pass()  # warm-up
    times = []
    while sum(times) < min_seconds or len(times) < 5:
        times.append(one_pass())
    times.sort()
    median = times[len(times) // 2]
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(json.dumps({
        "tool": name,
        "files": len(texts),
        "bytes": size,
        "passes": len(times),
        "seconds_per_pass": median,
        "best_seconds_per_pass": times[0],
        "mb_per_s": size / 1e6 / median,
        "files_per_s": len(texts) / median,
    }))


def main(argv):
    if len(argv) < 3 or argv[0] not in TOOLS:
        sys.exit(__doc__)
    name, parse = TOOLS[argv[0]]()
    if len(argv) == 3 and argv[1] == "--check":
        check(parse, *load(argv[2]))
    elif len(argv) == 4 and argv[1] == "--min-seconds":
        bench(name, parse, load(argv[3])[1], float(argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
