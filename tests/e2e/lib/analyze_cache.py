#!/usr/bin/env python3
"""Does `dockopt analyze`'s cache simulation agree with a real build?

    analyze_cache.py DOCKOPT RESULT_DIR...      (in the environment of `eval "$(scripts/e2e env)"`)

For the naive and the optimized Dockerfile of each RESULT_DIR (result.json from `scripts/e2e
examples` or `projects`), in a scratch copy of the build context: build once with buildah
(`--layers`, so every step is cached), change the source file analyze picks for its "source"
scenario (a line appended), build again and read from the log which steps did not come from the
cache. Prints per image the steps analyze says re-run and the steps that re-ran, as
`stage:step` (buildah's numbering, FROM = 1); exit status 1 when any differ.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

BUD = ["buildah", "bud", "--pull=never", "--layers", "--format", "docker", "--isolation", "chroot"]


def build(dockerfile, context, tag):
    out = subprocess.run(BUD + ["-t", tag, "-f", dockerfile, context], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stdout[-2000:] + out.stderr[-2000:])
    return out.stdout


def reran(log):
    """{(stage, step)} of the non-FROM steps that did not come from the cache."""
    steps = []
    for line in log.splitlines():
        m = re.match(r"(?:\[(\d+)/\d+\] )?STEP (\d+)/\d+: (\w+)", line)
        if m:
            steps.append([int(m.group(1) or 1) - 1, int(m.group(2)), m.group(3).upper(), False])
        elif line.startswith("--> Using cache") and steps:
            steps[-1][3] = True
    return {(s, n) for s, n, kw, cached in steps if kw != "FROM" and not cached}


def comment(path, text):
    """A line comment in the language of `path` (a blank line where none is known)."""
    ext = os.path.splitext(path)[1]
    if ext in (".py", ".rb", ".sh", ".toml", ".txt", ".yaml", ".yml"):
        return f"\n# {text}\n"
    if ext in (".go", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".rs", ".php", ".vue", ".svelte"):
        return f"\n// {text}\n"
    if ext == ".html":
        return f"\n<!-- {text} -->\n"
    return "\n" * (time.time_ns() % 7 + 1)


def check(dockopt, side, name):
    scratch = tempfile.mkdtemp(prefix="dockopt-cache-")
    try:
        context = os.path.join(scratch, "ctx")
        shutil.copytree(side["context"], context, symlinks=True)
        dockerfile = os.path.join(context, os.path.relpath(side["dockerfile"], side["context"]))
        report = json.loads(subprocess.run([dockopt, "analyze", "--format", "json", "--context", context, dockerfile],
                                           capture_output=True, text=True, check=True).stdout)
        source = next(s for s in report["rebuild"]["scenarios"] if s["change"] == "source")
        if not source["from_context"]:
            return name, "no source file", None, None
        built = report["rebuild"]["built"]
        predicted = {(r["stage_index"], r["step"]) for r in source["reruns"] if r["keyword"] != "FROM"}
        tag = "localhost/dockopt-cache-check:latest"
        build(dockerfile, context, tag)
        with open(os.path.join(context, source["files"][0]), "a") as f:
            # A comment unique per run (an earlier run's change would be cached) that compilers
            # keep (tsc does; whitespace alone can compile to the same output).
            f.write(comment(source["files"][0], f"changed {time.time_ns()}"))
        actual = reran(build(dockerfile, context, tag))
        # buildah numbers the stages it builds; map them back to the Dockerfile's indices.
        actual = {(built[s], n) for s, n in actual}
        return name, source["files"][0], predicted, actual
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def fmt(steps):
    return " ".join(f"{s}:{n}" for s, n in sorted(steps)) or "none"


def main():
    dockopt, dirs = sys.argv[1], sys.argv[2:]
    same = total = 0
    for d in dirs:
        path = os.path.join(d, "result.json")
        if not os.path.exists(path):
            continue
        result = json.load(open(path))
        for variant in ("naive", "optimized"):
            side = result.get(variant) or {}
            if side.get("build") != "ok":
                continue
            name = f"{os.path.basename(d.rstrip('/'))}/{variant}"
            try:
                name, changed, predicted, actual = check(dockopt, side, name)
            except Exception as e:  # a build that fails here is reported, not hidden
                print(f"{name}: ERROR {str(e)[-300:]}")
                total += 1
                continue
            if predicted is None:
                print(f"{name}: skipped ({changed})")
                continue
            total += 1
            ok = predicted == actual
            same += ok
            print(f"{name}: changed {changed}; analyze: {fmt(predicted)}; buildah: {fmt(actual)}  {'OK' if ok else 'DIFFERENT'}")
    print(f"\n{same}/{total} agree")
    sys.exit(0 if same == total else 1)


if __name__ == "__main__":
    main()
