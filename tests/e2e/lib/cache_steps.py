#!/usr/bin/env python3
"""Which RUN steps of a buildah --layers build ran again instead of coming from the layer cache?

    cache_steps.py BUILD_LOG     prints `RERUN/TOTAL DEPS` where DEPS is `yes` when a re-run RUN
                                 installs dependencies (pip, uv, poetry, npm, yarn, pnpm, go mod,
                                 bundler, composer, cargo fetch, apt/apk) and `no` otherwise;
                                 then one line per re-run RUN step: `rerun: <command>`

buildah prints `STEP n/m: INSTRUCTION ...` (prefixed `[stage/stages] ` in multi-stage builds) for each step and `--> Using cache <id>` right after it
when the layer came from the cache. BuildKit (`docker build --progress=plain`) prints
`#N [stage i/n] INSTRUCTION ...` when step N starts and `#N CACHED` when it came from the cache.
"""
import re
import sys

DEPS = re.compile(
    r"\b(pip3?\s+install|python3?\s+-m\s+pip\s+install|uv\s+(sync|pip\s+install)|poetry\s+install"
    r"|pipenv\s+(install|sync)|pdm\s+(install|sync)|npm\s+(ci|install|i)\b|yarn\s+install"
    r"|pnpm\s+(install|i)\b|go\s+mod\s+download|bundle\s+install|composer\s+install"
    r"|cargo\s+fetch|apt-get\s+install|apt\s+install|apk\s+add)"
)


def read_steps(path):
    """[instruction, arguments, cached] for each build step of a buildah or BuildKit log."""
    steps = []
    by_id = {}  # BuildKit step number -> its entry in steps
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"(?:\[\d+/\d+\] )?STEP \d+/\d+: (\w+)\s*(.*)", line)
        if m:
            steps.append([m.group(1).upper(), m.group(2).strip(), False])
            continue
        if line.startswith("--> Using cache") and steps:
            steps[-1][2] = True
            continue
        m = re.match(r"#(\d+) \[(?:\S+ )?\d+/\d+\] (\w+)\s*(.*)", line)
        if m and m.group(1) not in by_id:
            by_id[m.group(1)] = [m.group(2).upper(), m.group(3).strip(), False]
            steps.append(by_id[m.group(1)])
            continue
        m = re.match(r"#(\d+) CACHED\s*$", line)
        if m and m.group(1) in by_id:
            by_id[m.group(1)][2] = True
    return steps


def main(path):
    steps = read_steps(path)
    runs = [s for s in steps if s[0] == "RUN"]
    rerun = [s[1] for s in runs if not s[2]]
    deps = any(DEPS.search(cmd) for cmd in rerun)
    print(f"{len(rerun)}/{len(runs)} {'yes' if deps else 'no'}")
    for cmd in rerun:
        print(f"rerun: {cmd[:120]}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
