"""tests/e2e/lib/projects.py - the parts of `scripts/e2e projects` that are easier in Python:
reading the manifest(s), finding a Dockerfile's base images and their stand-ins, and the table.

    projects.py load OUT MANIFEST... [-- NAME...]
        read the manifests (TOML files, or folders of *.toml), check every entry, and for each
        selected project write OUT/<name>/project.json and OUT/<name>/project.sh (shell
        assignments, quoted with shlex, for projects.sh to source); print the names, one a line
    projects.py bases [--build-arg K=V]... DOCKERFILE...
        one line per base image: IMAGE <tab> TARGET, TARGET being the local stand-in to tag as
        IMAGE's Docker Hub name, "scratch", or "static: REASON" (no stand-in: not built)
    projects.py summary OUT MODE NAME...
        MODE build | naive | static: read OUT/<name>/{project.json,status,optimize.json,result.json,
        parse-*.json}, write OUT/summary.{tsv,json} (static: OUT/static.{tsv,json}; projects.sh
        prints the .tsv with column -t) and print the footer; exit 1 on a regression or a larger optimized image (static: when
        optimize failed or its output has more parse errors than the input)

The manifest names third-party projects, so it is never part of this repository: see
tests/e2e/README.md for the schema.
"""
import json
import os
import re
import shlex
import statistics
import sys
import tomllib

LARGER_BYTES = 1_000_000  # growth that counts as "larger" (a non-root user alone adds kilobytes)
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
FIELDS = {  # field: (type, default); None default = required
    "name": (str, None), "repo": (str, ""), "commit": (str, None), "mirror": (str, ""),
    "dockerfile": (str, "Dockerfile"), "context": (str, "."), "kind": (str, "-"),
    "probe": (str, "http"), "port": (int, 0), "path": (str, "/"), "env": (list, []),
    "build_args": (list, []), "notes": (str, ""), "wait": (int, 10), "timeout": (int, 40),
}


def die(msg):
    print(f"e2e projects: {msg}", file=sys.stderr)
    sys.exit(2)


def manifest_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".toml"))
        elif os.path.isfile(p):
            files.append(p)
        else:
            die(f"no such manifest file or folder: {p}")
    if not files:
        die(f"no *.toml manifest in {' '.join(paths)}")
    return files


def relative_inside(value):
    # dockerfile and context are paths inside the repository: never absolute, never above it
    norm = os.path.normpath(value)
    return not os.path.isabs(value) and norm != ".." and not norm.startswith("../")


def check(entry, where):
    unknown = set(entry) - set(FIELDS)
    if unknown:
        die(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    p = {}
    for field, (kind, default) in FIELDS.items():
        if field not in entry:
            if default is None:
                die(f"{where}: missing {field}")
            p[field] = list(default) if isinstance(default, list) else default
            continue
        value = entry[field]
        if not isinstance(value, kind) or isinstance(value, bool):
            die(f"{where}: {field} must be a {kind.__name__}")
        p[field] = value
    name = p["name"]
    if not NAME_RE.match(name):
        die(f"{where}: name {name!r}: use letters, digits, '.', '_' and '-' (it becomes a folder)")
    if not re.fullmatch(r"[0-9a-f]{40}", p["commit"]):
        die(f"{where} ({name}): commit must be a full 40-hex commit id (a pin, not a branch)")
    if p["repo"] and not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", p["repo"]):
        die(f"{where} ({name}): repo must be owner/name")
    if not p["repo"] and not p["mirror"]:
        die(f"{where} ({name}): needs repo or mirror")
    for field in ("dockerfile", "context"):
        if not relative_inside(p[field]):
            die(f"{where} ({name}): {field} must be a path inside the repository")
    if p["probe"] not in ("http", "running", "exit"):
        die(f"{where} ({name}): probe must be http, running or exit")
    if p["probe"] == "http" and not p["path"].startswith("/"):
        die(f"{where} ({name}): path must start with /")
    for field in ("env", "build_args"):
        for item in p[field]:
            if not isinstance(item, str) or "=" not in item:
                die(f"{where} ({name}): {field} entries are \"K=V\" strings")
    return p


def load(out, paths, names):
    projects = {}
    for f in manifest_files(paths):
        try:
            with open(f, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as e:
            die(f"{f}: {e}")
        entries = data.get("project", [])
        if not isinstance(entries, list):
            die(f"{f}: expected [[project]] tables")
        for i, entry in enumerate(entries):
            p = check(entry, f"{f} [[project]] #{i + 1}")
            if p["name"] in projects:
                die(f"{f}: project {p['name']!r} is defined twice")
            p["manifest"] = os.path.abspath(f)
            projects[p["name"]] = p
    missing = [n for n in names if n not in projects]
    if missing:
        die(f"not in the manifest(s): {' '.join(missing)}")
    selected = names or list(projects)
    if not selected:
        die("the manifest(s) list no [[project]]")
    for name in selected:
        p = projects[name]
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "project.json"), "w") as fh:
            json.dump(p, fh, indent=2)
        with open(os.path.join(d, "project.sh"), "w") as fh:
            for field, value in p.items():
                var = "P_" + field.upper()
                if isinstance(value, list):
                    fh.write(f"{var}=({' '.join(shlex.quote(v) for v in value)})\n")
                else:
                    fh.write(f"{var}={shlex.quote(str(value))}\n")
        print(name)


# ---------------------------------------------------------------- base images

def logical_lines(text):
    """The Dockerfile's instructions as (keyword, rest), continuation lines joined."""
    escape = "\\"
    m = re.match(r"\A(?:#[^\n]*\n)*?#\s*escape\s*=\s*([`\\])", text, re.I)
    if m:
        escape = m.group(1)
    out, cur = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if cur and line.lstrip().startswith("#"):
            continue  # comment lines inside a continued instruction are dropped, as BuildKit does
        if line.endswith(escape):
            cur += line[:-1] + " "
            continue
        cur += line
        out.append(cur)
        cur = ""
    if cur:
        out.append(cur)
    result = []
    for line in out:
        parts = line.strip().split(None, 1)
        if parts:
            result.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return result


def expand(value, args):
    """${VAR}, ${VAR:-default}, ${VAR:+alt} and $VAR with the known ARG values; unknown -> ''."""
    def repl(m):
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        val = args.get(name)
        if op == ":-":
            return val if val else expand(word, args)
        if op == "-":
            return val if val is not None else expand(word, args)
        if op in (":+", "+"):
            return expand(word, args) if val else ""
        return val or ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, value)


def arg_pairs(rest):
    for word in shlex.split(rest, posix=True):
        if "=" in word:
            k, v = word.split("=", 1)
            yield k, v
        else:
            yield word, None


def from_images(path, build_args):
    """Every FROM image of the Dockerfile (global ARG defaults and --build-arg substituted),
    except references to earlier stages."""
    text = open(path, encoding="utf-8", errors="replace").read()
    args, stages, images, seen_from = {}, set(), [], False
    for kw, rest in logical_lines(text):
        if kw == "ARG" and not seen_from:
            try:
                pairs = list(arg_pairs(rest))
            except ValueError:
                continue
            for k, v in pairs:
                args[k] = build_args.get(k, v if v is not None else args.get(k))
        elif kw == "FROM":
            seen_from = True
            words = [w for w in rest.split() if not w.startswith("--")]
            if not words:
                continue
            image = expand(words[0], args)
            if image.lower() in stages:
                pass  # FROM an earlier stage
            elif image not in images:
                images.append(image)
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2].lower())
    return images


STANDINS = {
    "python-slim": "localhost/python:3.11-slim-like",
    "python-full": "localhost/python:3.11-full-like",
    "node-slim": "localhost/node:20-slim-like",
    "node-full": "localhost/node:20-full-like",
    "golang": "localhost/golang:1.22-like",
    "debian": "localhost/debian:bookworm-slim-like",
}


def docker_hub_name(image):
    """(full name docker.io/library/REPO:TAG, repo, tag) or None for another registry."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        if first not in ("docker.io", "index.docker.io", "registry-1.docker.io"):
            return None
        image = rest
    repo, _, tag = image.partition(":")
    tag = tag or "latest"
    if "/" not in repo:
        repo = "library/" + repo
    return f"docker.io/{repo}:{tag}", repo, tag


def target(image):
    low = image.lower()
    if low == "scratch":
        return "scratch"
    if not image or "$" in image or image.startswith(":") or image.endswith((":", "-")) or ":-" in image:
        return f"static: FROM {image or '(empty)'} has an ARG without a default"
    if "@" in image:
        return f"static: {image} is pinned by digest (a stand-in cannot carry it)"
    if "alpine" in low:
        return f"static: {image} is Alpine (no musl stand-in)"
    hub = docker_hub_name(image)
    if hub is None:
        what = "distroless" if "distroless" in low else "from another registry"
        return f"static: {image} is {what} (no stand-in)"
    full, repo, tag = hub
    if repo == "library/python":
        return STANDINS["python-slim" if "slim" in tag else "python-full"]
    if repo == "library/node":
        return STANDINS["node-slim" if "slim" in tag else "node-full"]
    if repo == "library/golang":
        return STANDINS["golang"]
    if repo == "library/debian":
        return STANDINS["debian"]
    return f"static: {image} has no stand-in (python, node, golang, debian only)"


def bases(argv):
    build_args, files = {}, []
    it = iter(argv)
    for a in it:
        if a == "--build-arg":
            k, _, v = next(it).partition("=")
            build_args[k] = v
        else:
            files.append(a)
    seen = []
    for f in files:
        for image in from_images(f, build_args):
            if image not in seen:
                seen.append(image)
    for image in seen:
        t = target(image)
        hub = docker_hub_name(image)
        name = hub[0] if hub and t.startswith("localhost/") else image
        print(f"{name}\t{t}")


# ---------------------------------------------------------------- summary

def read_json(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def read_text(path):
    try:
        with open(path) as fh:
            return fh.read().strip()
    except OSError:
        return ""


def mb(size):
    return f"{size / 1e6:.1f}" if isinstance(size, int) else "-"


def image_pass(i, optimized):
    if not i or i.get("build") != "ok" or i.get("health") != "PASS":
        return False
    if optimized:
        return not str(i.get("healthcheck", "-")).startswith("FAIL") and not str(i.get("secret", "")).startswith("LEAKED")
    return True


def parse_errors(path):
    d = read_json(path)
    if d is None:
        return None
    return len(d.get("errors") or []) + sum(1 for i in d.get("instructions") or [] if i.get("error"))


def row_for(out, name, mode):
    d = os.path.join(out, name)
    p = read_json(os.path.join(d, "project.json")) or {"name": name}
    status = read_text(os.path.join(d, "status"))  # "ok", or "<category>: <reason>"
    opt = read_json(os.path.join(d, "optimize.json"))
    row = {"name": name, "kind": p.get("kind", "-"), "repo": p.get("repo", ""), "commit": p.get("commit", ""),
           "status": status or "not run", "applied": [], "skipped": [], "requirements": []}
    if opt:
        row["applied"] = sorted({c["transform"] for c in opt.get("changes", [])})
        row["skipped"] = sorted({s["transform"] for s in opt.get("skipped", [])})
        row["skip_reasons"] = [f"{s['transform']}: {s['reason']}" for s in opt.get("skipped", [])]
        row["requirements"] = opt.get("requirements", [])
    row["bases"] = [line.split("\t") for line in read_text(os.path.join(d, "bases.tsv")).splitlines() if line]
    if mode == "static":
        n, o = parse_errors(os.path.join(d, "parse-naive.json")), parse_errors(os.path.join(d, "parse-optimized.json"))
        row["parse_errors"] = {"naive": n, "optimized": o}
        row["parses"] = "-" if o is None else ("ok" if o == 0 else f"ERR({o}; input {n})")
        static = [t for _, t in row["bases"] if t.startswith("static")]
        if not row["bases"]:
            row["buildable"] = "-"
        else:
            row["buildable"] = "static-only: " + "; ".join(s[len("static: "):] for s in static) if static else "yes"
        return row
    res = read_json(os.path.join(d, "result.json")) or {}
    for which in ("naive", "optimized"):
        i = res.get(which) or {}
        row[which] = {k: i.get(k) for k in ("build", "health", "healthcheck", "size", "user", "uid", "secret", "build_s")}
        row[which]["pass"] = image_pass(i, which == "optimized") if i else None
    ns, os_ = row["naive"]["size"], row["optimized"]["size"]
    sized = isinstance(ns, int) and isinstance(os_, int) and ns
    row["size_change_pct"] = round((os_ - ns) / ns * 100, 1) if sized else None
    row["size_change_bytes"] = os_ - ns if sized else None
    row["logs"] = res.get("logs")
    return row


def summary(out, mode, names):
    rows = [row_for(out, n, mode) for n in names]
    if mode == "static":
        return static_summary(out, rows)
    cat = lambda r: r["status"].split(":", 1)[0]
    reason = lambda r: r["status"].split(":", 1)[1].strip() if ":" in r["status"] else ""
    header = ["project", "kind", "naive_build", "naive_probe", "naive_mb", "naive_user",
              "opt_build", "opt_probe", "opt_mb", "opt_user", "size_change", "applied", "skipped"]
    lines = ["\t".join(header)]
    for r in rows:
        n, o = r.get("naive") or {}, r.get("optimized") or {}
        applied, skipped = ",".join(r["applied"]) or "-", ",".join(r["skipped"]) or "-"
        if cat(r) not in ("ok", "optimize-failed"):
            lines.append("\t".join([r["name"], r["kind"], cat(r).upper()] + ["-"] * 8 + [applied, skipped]))
            continue
        chg = r["size_change_pct"]
        opt_build = "OPTIMIZE-FAILED" if cat(r) == "optimize-failed" else (o.get("build") or "-")
        lines.append("\t".join(str(x) for x in [
            r["name"], r["kind"], n.get("build") or "-", n.get("health") or "-", mb(n.get("size")), n.get("user") or "-",
            opt_build, o.get("health") or "-", mb(o.get("size")), o.get("user") or "-",
            "-" if chg is None else f"{chg:+.1f}%", applied, skipped]))
    with open(os.path.join(out, "summary.tsv"), "w") as fh:
        fh.write("\n".join(lines) + "\n")

    built = [r for r in rows if cat(r) == "ok"]
    optfail = [r for r in rows if cat(r) == "optimize-failed"]
    orig_fails = [r for r in built + optfail if not r["naive"]["pass"]]
    if mode == "naive":
        both, regress, larger, grew = [], [], [], []
    else:
        both = [r for r in built if r["naive"]["pass"]]
        # dockopt erroring on a project whose original works is a regression too
        regress = [r for r in both if not r["optimized"]["pass"]] + [r for r in optfail if r["naive"]["pass"]]
        # a user's home and passwd entry add kilobytes: only a growth past LARGER_BYTES fails
        larger = [r for r in both if (r["size_change_bytes"] or 0) > LARGER_BYTES]
        grew = [r for r in both if 0 < (r["size_change_bytes"] or 0) <= LARGER_BYTES]
    static = [r for r in rows if cat(r) == "static-only"]
    notrun = [r for r in rows if cat(r) not in ("ok", "optimize-failed", "static-only")]
    changes = [r["size_change_pct"] for r in both if r["size_change_pct"] is not None]
    per_transform = {}
    for r in rows:
        for t in r["applied"]:
            per_transform[t] = per_transform.get(t, 0) + 1
    footer = {
        "projects": len(rows),
        "built_both_ways" if mode != "naive" else "built_naive": [r["name"] for r in (both if mode != "naive" else built)],
        "regressions": {r["name"]: regression_reason(r) for r in regress},
        "larger": {r["name"]: r["size_change_pct"] for r in larger},
        "larger_within_1mb": {r["name"]: r["size_change_bytes"] for r in grew},
        "static_only": {r["name"]: reason(r) for r in static},
        "original_fails": {r["name"]: f"build {r['naive']['build']}, probe {r['naive']['health']}" for r in orig_fails},
        "optimize_failed": {r["name"]: reason(r) for r in optfail},
        "not_run": {r["name"]: r["status"] for r in notrun},
        "projects_changed_per_transform": dict(sorted(per_transform.items(), key=lambda kv: (-kv[1], kv[0]))),
        "median_size_change_pct": round(statistics.median(changes), 1) if changes else None,
    }
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump({"mode": mode, "summary": footer, "projects": rows}, fh, indent=2)
    if mode == "naive":
        print(f"{len(built) - len(orig_fails)}/{len(built)} built and answered (naive only, --no-optimize)")
    else:
        print(f"{len(both)} built both ways (original passes)")
        print(f"{len(regress)} REGRESSIONS (original passes, optimized fails)" + listing(footer["regressions"]))
        print(f"{len(larger)} where the optimized image is larger (by over 1 MB)" + listing({k: f"{v:+.1f}%" for k, v in footer["larger"].items()}))
        if grew:
            print(f"   ({len(grew)} larger by at most 1 MB, not counted: "
                  + ", ".join(f"{r['name']} +{r['size_change_bytes'] / 1e3:.0f} kB" for r in grew) + ")")
    print(f"{len(static)} static only (not built)" + listing(footer["static_only"]))
    print(f"{len(orig_fails)} where the original itself fails (excluded)" + listing(footer["original_fails"]))
    if optfail:
        print(f"{len(optfail)} where dockopt optimize failed" + listing(footer["optimize_failed"]))
    if notrun:
        print(f"{len(notrun)} not run (no source, or verify could not start)" + listing(footer["not_run"]))
    if per_transform:
        print("projects changed per transform: " + ", ".join(f"{t} {n}" for t, n in footer["projects_changed_per_transform"].items()))
    med = footer["median_size_change_pct"]
    if mode != "naive":
        print("median size change: " + ("-" if med is None else f"{med:+.1f}%") + f" (over {len(changes)})")
    return 1 if regress or larger else 0


def regression_reason(r):
    o = r.get("optimized") or {}
    if r["status"].startswith("optimize-failed"):
        return "dockopt optimize failed"
    bits = [f"build {o.get('build')}", f"probe {o.get('health')}"]
    if str(o.get("healthcheck", "")).startswith("FAIL"):
        bits.append(f"HEALTHCHECK {o['healthcheck']}")
    if str(o.get("secret", "")).startswith("LEAKED"):
        bits.append(f"secret {o['secret']}")
    return ", ".join(bits)


def listing(d):
    if not d:
        return ""
    return ":\n" + "\n".join(f"    {k}: {v}" for k, v in d.items())


def static_summary(out, rows):
    lines = ["\t".join(["project", "kind", "optimize", "parses", "buildable", "applied", "skipped"])]
    for r in rows:
        lines.append("\t".join([r["name"], r["kind"], r["status"].split(":", 1)[0], r["parses"], r["buildable"],
                                ",".join(r["applied"]) or "-", ",".join(r["skipped"]) or "-"]))
    with open(os.path.join(out, "static.tsv"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    failed = [r for r in rows if r["status"] != "ok" and not r["status"].startswith("source-failed")]
    nosrc = [r for r in rows if r["status"].startswith("source-failed")]
    broken = [r for r in rows if r["status"] == "ok" and r["parse_errors"]["optimized"] is not None
              and r["parse_errors"]["optimized"] > (r["parse_errors"]["naive"] or 0)]
    per_transform = {}
    for r in rows:
        for t in r["applied"]:
            per_transform[t] = per_transform.get(t, 0) + 1
    buildable = [r for r in rows if r.get("buildable") == "yes" and r["status"] == "ok"]
    with open(os.path.join(out, "static.json"), "w") as fh:
        json.dump({"mode": "static", "projects": rows, "projects_changed_per_transform": per_transform}, fh, indent=2)
    for r in rows:
        if r.get("skip_reasons"):
            print(f"{r['name']} skipped: " + "; ".join(r["skip_reasons"]))
    print(f"{len(rows) - len(failed) - len(nosrc)}/{len(rows)} optimized; {len(buildable)} buildable on the stand-ins")
    if failed:
        print(f"{len(failed)} where dockopt optimize failed" + listing({r['name']: r['status'] for r in failed}))
    if broken:
        print(f"{len(broken)} where the output has new parse errors" + listing({r['name']: r['parses'] for r in broken}))
    if nosrc:
        print(f"{len(nosrc)} without source" + listing({r['name']: r['status'] for r in nosrc}))
    if per_transform:
        print("projects changed per transform: " + ", ".join(f"{t} {n}" for t, n in sorted(per_transform.items(), key=lambda kv: (-kv[1], kv[0]))))
    return 1 if failed or broken else 0


def requirement_env(optimize_json, dockerfile):
    """The run-time settings `dockopt optimize` asks for (its `requirements`: "pass `NAME` when
    the container starts"), with the value the original Dockerfile gave them, one K=V a line:
    what a user following the instructions passes with `-e`. Values are never printed elsewhere."""
    names = [m for r in (read_json(optimize_json) or {}).get("requirements", [])
             for m in re.findall(r"pass `([A-Za-z_][A-Za-z0-9_]*)`", r)]
    if not names:
        return
    values = {}
    for kw, rest in logical_lines(read_text(dockerfile)):
        if kw in ("ENV", "ARG"):
            for key, value in arg_pairs(rest):
                if value is not None:
                    values[key] = value
    for name in names:
        if name in values:
            print(f"{name}={values[name]}")


def main(argv):
    if not argv:
        die("usage: projects.py load|bases|summary|requirement-env ...")
    if argv[0] == "requirement-env" and len(argv) == 3:
        requirement_env(argv[1], argv[2])
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "load":
        names = []
        if "--" in rest:
            i = rest.index("--")
            rest, names = rest[:i], rest[i + 1:]
        if len(rest) < 2:
            die("usage: projects.py load OUT MANIFEST... [-- NAME...]")
        load(rest[0], rest[1:], names)
        return 0
    if cmd == "bases":
        bases(rest)
        return 0
    if cmd == "summary":
        if len(rest) < 2 or rest[1] not in ("build", "naive", "static"):
            die("usage: projects.py summary OUT build|naive|static NAME...")
        return summary(rest[0], rest[1], rest[2:])
    die(f"unknown command {cmd}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
