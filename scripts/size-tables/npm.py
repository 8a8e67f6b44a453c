#!/usr/bin/env python3
"""Measure how many bytes `npm install <pkg>` adds to a node image.

Writes crates/dockopt/src/analyze/npm_sizes.toml, the table `dockopt analyze`
uses to estimate the size of an `npm install` / `npm ci` layer.

How it measures, for each package in PACKAGES (2 at a time, per-package timeout):

  1. In an empty folder holding only a minimal package.json, run
     `npm install --no-audit --no-fund --ignore-scripts=false --omit=dev <pkg>`
     with a fresh, empty npm cache (npm_config_cache=<tmp>), install scripts
     enabled. puppeteer runs with PUPPETEER_SKIP_DOWNLOAD=1 (its browser
     download is not counted; the table marks it with browser_download_skipped).
  2. Walk node_modules: every package folder (node_modules/NAME,
     node_modules/@scope/NAME, and nested ones) gets its own bytes = the
     regular files in it, minus its nested node_modules.
       installed        = own bytes of a package folder (largest over all installs)
       closure          = all bytes under node_modules for the requested package
       closure_packages = package folders in that node_modules
  3. average_package = median own bytes over all distinct packages seen,
     mean_package = their mean (for lockfile entries the table does not list).
  4. cache_ratio = bytes of <cache>/_cacache / bytes of node_modules, summed over
     the installs of CACHE_SAMPLE (each install starts from its own fresh cache,
     as one `npm install` in a Dockerfile does).

Sizes are apparent file sizes (what a layer tarball stores); symlinks (.bin) are
not counted.

Rerun (takes a few minutes; needs node and npm on PATH):

    python3 scripts/size-tables/npm.py [--jobs 2] [--scratch /work/.size-tables-tmp] [PKG ...]

Naming packages on the command line measures only those (for testing).
Standard library only.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import run, toml_str

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "crates" / "dockopt" / "src" / "analyze" / "npm_sizes.toml"
DEFAULT_SCRATCH = Path("/work/.size-tables-tmp")
TIMEOUT = 300  # seconds per package

# ~60 popular npm packages found in Node.js Dockerfiles' package.json files.
# Packages whose install script downloads a prebuilt binary from outside the
# npm registry (sqlite3, canvas, ...) are left out.
PACKAGES = """
    @angular/core @apollo/server @aws-sdk/client-s3 @nestjs/common @nestjs/core
    @nestjs/platform-express @prisma/client @swc/core autoprefixer aws-sdk axios
    bcrypt bcryptjs body-parser chalk class-validator commander cors date-fns
    dayjs dotenv esbuild eslint express fastify firebase-admin graphql helmet
    ioredis jest joi jsonwebtoken koa lodash mongodb mongoose moment morgan
    multer mysql2 next nodemailer nodemon pg pino pm2 postcss prettier prisma
    puppeteer react react-dom redis rxjs sequelize sharp socket.io stripe
    tailwindcss ts-node tsx typeorm typescript uuid vite vue webpack winston
    yargs zod
""".split()

CACHE_SAMPLE = ["axios", "express", "jsonwebtoken", "lodash", "mongoose", "next",
                "pg", "react-dom", "typescript", "webpack"]
SKIPPED_DOWNLOADS = {"puppeteer": "PUPPETEER_SKIP_DOWNLOAD"}


def tree_bytes(path, skip_node_modules=False):
    """Apparent size of the regular files under path (optionally not entering node_modules)."""
    total = 0
    for dirpath, dirnames, files in os.walk(path):
        if skip_node_modules and "node_modules" in dirnames:
            dirnames.remove("node_modules")
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p) and os.path.isfile(p):
                total += os.path.getsize(p)
    return total


def package_dirs(node_modules):
    """(name, folder) for every package folder under node_modules, nested ones included."""
    found = []
    if not node_modules.is_dir():
        return found
    for entry in sorted(node_modules.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink() or not entry.is_dir():
            continue
        if entry.name.startswith("@"):
            candidates = [(f"{entry.name}/{sub.name}", sub) for sub in sorted(entry.iterdir())
                          if sub.is_dir() and not sub.is_symlink()]
        else:
            candidates = [(entry.name, entry)]
        for name, folder in candidates:
            found.append((name, folder))
            found.extend(package_dirs(folder / "node_modules"))
    return found


def npm_error(output):
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    errs = [l for l in lines if l.startswith("npm error") or l.startswith("npm ERR!")]
    return " | ".join((errs or lines or ["no output"])[:3])[:200]


def measure(pkg, scratch):
    """Install pkg in a fresh project; return (pkg, result or None, seconds, error)."""
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="npm-", dir=scratch))
    try:
        project, cache = work / "project", work / "cache"
        project.mkdir()
        (project / "package.json").write_text(
            json.dumps({"name": "size-probe", "version": "1.0.0", "private": True}) + "\n")
        env = dict(os.environ, npm_config_cache=str(cache), npm_config_update_notifier="false",
                   npm_config_loglevel="error")
        for var in SKIPPED_DOWNLOADS.values():
            env[var] = "1"
        cmd = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts=false",
               "--omit=dev", pkg]
        try:
            code, out = run(cmd, TIMEOUT, env=env, cwd=project)
        except subprocess.TimeoutExpired:
            return pkg, None, time.monotonic() - start, f"timed out after {TIMEOUT} s"
        if code != 0:
            return pkg, None, time.monotonic() - start, npm_error(out)
        nm = project / "node_modules"
        own = {}
        dirs = package_dirs(nm)
        for name, folder in dirs:
            own[name] = max(own.get(name, 0), tree_bytes(folder, skip_node_modules=True))
        version = json.loads((nm / pkg / "package.json").read_text()).get("version", "")
        result = {
            "version": version,
            "closure": tree_bytes(nm),
            "closure_packages": len(dirs),
            "own": own,
            "cache": tree_bytes(cache / "_cacache"),
        }
        return pkg, result, time.monotonic() - start, None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_toml(path, installed, tops, failed, cache_ratio, versions):
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    sizes = sorted(installed.values())
    lines = [
        "# Size that `npm install PKG` (production dependencies) adds to a node image.",
        "# Generated by scripts/size-tables/npm.py -- do not edit by hand; rerun the script.",
        f"# Date: {today}. node {versions['node']}, npm {versions['npm']}, linux x86_64,"
        " install scripts enabled.",
        f"# Measured {len(tops)} requested packages; {len(installed)} distinct packages seen.",
        "# installed        = bytes of the package's own folder in node_modules (no nested node_modules)",
        "# closure          = bytes of the whole node_modules after installing only this package",
        "# closure_packages = number of package folders in that node_modules",
        "# version          = version installed for the requested package",
        "# average_package / mean_package = median / mean `installed` over all packages seen",
        "# cache_ratio = npm cache (_cacache) bytes / node_modules bytes, fresh cache per install,",
        "#               over: " + ", ".join(CACHE_SAMPLE),
    ]
    for pkg, var in sorted(SKIPPED_DOWNLOADS.items()):
        lines.append(f"# {pkg}: installed with {var}=1, its browser download is not counted"
                     " (browser_download_skipped = true).")
    if failed:
        lines.append("# Failed to install (skipped):")
        for pkg, err in sorted(failed.items()):
            lines.append(f"#   {pkg}: {err}")
    lines += [
        "",
        "version = 1",
        f"source = {toml_str('npm install --no-audit --no-fund --omit=dev PKG (registry.npmjs.org)')}",
        f"date = {toml_str(today)}",
        f"node = {toml_str(versions['node'])}",
        f"average_package = {int(statistics.median(sizes)) if sizes else 0}",
        f"mean_package = {round(statistics.fmean(sizes)) if sizes else 0}",
        f"cache_ratio = {cache_ratio:.3f}",
        "",
    ]
    for name in sorted(installed):
        lines.append(f"[package.{toml_str(name)}]")
        lines.append(f"installed = {installed[name]}")
        if name in tops:
            top = tops[name]
            lines.append(f"version = {toml_str(top['version'])}")
            lines.append(f"closure = {top['closure']}")
            lines.append(f"closure_packages = {top['closure_packages']}")
            if name in SKIPPED_DOWNLOADS:
                lines.append("browser_download_skipped = true")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="parallel installs (at most 2)")
    ap.add_argument("--scratch", type=Path, default=DEFAULT_SCRATCH)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("packages", nargs="*", help="measure only these packages")
    args = ap.parse_args()

    versions = {
        "node": subprocess.run(["node", "--version"], capture_output=True, text=True,
                               check=True).stdout.strip(),
        "npm": subprocess.run(["npm", "--version"], capture_output=True, text=True,
                              check=True).stdout.strip(),
    }
    scratch = args.scratch / "npm"
    scratch.mkdir(parents=True, exist_ok=True)
    packages = sorted(set(args.packages or PACKAGES))
    installed, tops, failed = {}, {}, {}
    t0 = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(2, args.jobs))) as pool:
        futures = [pool.submit(measure, p, scratch) for p in packages]
        for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            pkg, result, secs, err = fut.result()
            if err:
                failed[pkg] = err
                print(f"[{done}/{len(packages)}] FAILED {pkg} ({secs:.0f} s): {err}", file=sys.stderr)
                continue
            print(f"[{done}/{len(packages)}] {pkg}: {result['closure'] / 1e6:.1f} MB in "
                  f"{result['closure_packages']} packages, {secs:.0f} s", file=sys.stderr)
            tops[pkg] = result
            for name, size in result["own"].items():
                installed[name] = max(installed.get(name, 0), size)
    shutil.rmtree(scratch, ignore_errors=True)

    sample = [tops[p] for p in CACHE_SAMPLE if p in tops]
    node_modules = sum(t["closure"] for t in sample)
    cache_ratio = sum(t["cache"] for t in sample) / node_modules if node_modules else 0.0
    write_toml(args.output, installed, tops, failed, cache_ratio, versions)
    print(f"wrote {args.output}: {len(installed)} packages ({len(tops)} measured, "
          f"{len(failed)} failed), cache_ratio {cache_ratio:.3f}, {time.monotonic() - t0:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
