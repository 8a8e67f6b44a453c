#!/usr/bin/env python3
"""How close is `dockopt analyze`'s size estimate to the size of the image the engine built?

    analyze_sizes.py DOCKOPT RESULT_DIR...

Each RESULT_DIR holds a result.json written by `scripts/e2e examples` or `scripts/e2e projects`
(the naive and optimized Dockerfiles, their contexts and the measured image sizes). For every
image that built, this runs `dockopt analyze --format json` on the same Dockerfile and context,
passing the size of each base image as the local engine holds it (`--base-size`, read with
`podman image inspect`: the stand-in bases differ from the registry's images, and the estimate
under test is what the instructions add) and the project's build arguments (`--build-arg`,
from project.json, as the build had them), and prints one row per project and a footer: how
many estimates are within 25% of the measured size. Exit status 1 when any is not.
"""
import json
import os
import subprocess
import sys

TOLERANCE = 0.25


def engine_size(image):
    """Uncompressed size of a local image, or None."""
    for name in (image, "docker.io/library/" + image, "docker.io/" + image):
        out = subprocess.run(["podman", "image", "inspect", "--format", "{{.Size}}", name], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return int(out.stdout.strip())
    return None


def analyze(dockopt, dockerfile, context, build_args, base_sizes=()):
    args = [dockopt, "analyze", "--format", "json", "--context", context, dockerfile]
    for image, size in base_sizes:
        args[2:2] = ["--base-size", f"{image}={size}"]
    for arg in build_args:
        args[2:2] = ["--build-arg", arg]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def estimate(dockopt, side, build_args):
    first = analyze(dockopt, side["dockerfile"], side["context"], build_args)
    images = {s["image"] or s["base"] for s in first["stages"] if s["base_basis"] != "measured" and not s["base_source"].startswith("stage ")}
    sizes = [(image, engine_size(image)) for image in sorted(images)]
    report = analyze(dockopt, side["dockerfile"], side["context"], build_args, [(i, s) for i, s in sizes if s])
    return report["image"]["size_bytes"], report["image"]["incomplete"]


def main():
    dockopt, dirs = sys.argv[1], sys.argv[2:]
    rows, within, total = [], 0, 0
    for d in dirs:
        path = os.path.join(d, "result.json")
        if not os.path.exists(path):
            continue
        result = json.load(open(path))
        project = os.path.join(d, "project.json")
        build_args = json.load(open(project)).get("build_args", []) if os.path.exists(project) else []
        cells = [os.path.basename(d.rstrip("/"))]
        for name in ("naive", "optimized"):
            side = result.get(name) or {}
            if side.get("build") != "ok" or not side.get("size"):
                cells += ["-", "-", "-"]
                continue
            est, incomplete = estimate(dockopt, side, build_args)
            error = (est - side["size"]) / side["size"]
            ok = abs(error) <= TOLERANCE
            within += ok
            total += 1
            mark = "" if ok else " !"
            cells += [f"{side['size'] / 1e6:.1f}", f"{est / 1e6:.1f}{' (incomplete)' if incomplete else ''}", f"{error * 100:+.1f}%{mark}"]
        rows.append(cells)
    header = ["project", "naive MB", "estimate", "error", "optimized MB", "estimate", "error"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\n{within}/{total} estimates within {TOLERANCE:.0%} of the measured size")
    sys.exit(0 if within == total else 1)


if __name__ == "__main__":
    main()
