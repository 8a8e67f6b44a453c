#!/usr/bin/env bash
# tests/e2e/examples.sh - run through `scripts/e2e examples [NAME...]`. For every example under
# examples/ (or only the named ones): build and run its naive Dockerfile and, when the dockopt CLI
# has an `optimize` command, the Dockerfile `dockopt optimize` makes from it; then print one table.
#
# Each pair goes through tests/e2e/verify.sh (size, layers, user, PID 1 uid, /health, secret left
# in history/inspect, and --cache-check on the entry source file: which RUN steps a code-only
# change re-runs). The port is the naive Dockerfile's EXPOSE. Examples are never modified:
#   <state>/examples/<name>/naive/      copy of the example (the naive build context)
#   <state>/examples/<name>/optimized/  another copy, where `dockopt optimize --write` rewrites the
#                                       Dockerfile and writes .dockerignore (the optimized context)
#   <state>/examples/<name>/result.json verify's JSON;  <state>/examples/summary.tsv  the table
#
# dockopt: $DOCKOPT, else target/debug/dockopt, else `dockopt` on PATH (build it first with
# `cargo build -p dockopt-cli`). `optimize` counts as supported when `dockopt optimize --help`
# exits 0; otherwise only the naive images are built, and the script says so.
#
# Options: --no-cache (rebuild every layer), --keep (keep the images), --no-optimize (naive only)
# Time (2 shared vCPUs, after `scripts/e2e setup`): naive only, all four, ~20 s, with or without
# --no-cache (each build 2-3 s: the RUN steps fetch one or two small packages; ~4-5 s per example).
# Expect roughly double with optimized images (multi-stage builds, measured 8 s for python-api).
# Exit status: 0 when every example passed verify, 1 otherwise, 2 on usage errors.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VERIFY_OPTS=()
OPTIMIZE=1
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache|--keep) VERIFY_OPTS+=("$1"); shift;;
    --no-optimize) OPTIMIZE=0; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed -E 's/^# ?//'; exit 0;;
    -*) echo "e2e examples: unknown option $1" >&2; exit 2;;
    *) NAMES+=("$1"); shift;;
  esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
  for d in "$ROOT"/examples/*/; do [ -f "$d/Dockerfile" ] && NAMES+=("$(basename "$d")"); done
fi
[ ${#NAMES[@]} -gt 0 ] || { echo "e2e examples: no examples/*/Dockerfile found" >&2; exit 2; }

STATE="${E2E_STATE:-$ROOT/.e2e-state}"
OUT="$STATE/examples"; mkdir -p "$OUT"

# ---- which dockopt, and can it optimize? ----
DOCKOPT_BIN="${DOCKOPT:-}"
if [ -z "$DOCKOPT_BIN" ]; then
  if [ -x "$ROOT/target/debug/dockopt" ]; then DOCKOPT_BIN="$ROOT/target/debug/dockopt"
  elif command -v dockopt >/dev/null; then DOCKOPT_BIN="$(command -v dockopt)"; fi
fi
HAVE_OPT=0
if [ $OPTIMIZE = 1 ]; then
  if [ -z "$DOCKOPT_BIN" ]; then
    echo "e2e examples: no dockopt binary (cargo build -p dockopt-cli, or set DOCKOPT): building the naive Dockerfiles only" >&2
  elif "$DOCKOPT_BIN" optimize --help >/dev/null 2>&1; then
    HAVE_OPT=1
    echo "e2e examples: using $DOCKOPT_BIN optimize" >&2
  else
    echo "e2e examples: $DOCKOPT_BIN has no \`optimize\` command yet: building the naive Dockerfiles only" >&2
  fi
fi

T0=$SECONDS
FAILED=0
printf 'example\timage\tbuild\tsize_mb\tlayers\tuser\tpid1_uid\thealth\thealthcheck\tsecret\tcode_change_reruns\n' >"$OUT/summary.tsv"
for name in "${NAMES[@]}"; do
  src="$ROOT/examples/$name"
  [ -f "$src/Dockerfile" ] || { echo "e2e examples: no $src/Dockerfile" >&2; FAILED=1; continue; }
  dir="$OUT/$name"; rm -rf "$dir"; mkdir -p "$dir"
  # Build from copies: the optimized context gets a new Dockerfile and .dockerignore, and neither
  # run may see the other's files. (Nothing under examples/ is ever written.)
  cp -a "$src" "$dir/naive"
  echo "== $name" >&2
  opt_args=(-)
  if [ $HAVE_OPT = 1 ]; then
    cp -a "$src" "$dir/optimized"
    if "$DOCKOPT_BIN" optimize --context "$dir/optimized" --write "$dir/optimized/Dockerfile" >"$dir/optimize.log" 2>&1; then
      opt_args=("$dir/optimized/Dockerfile" --optimized-context "$dir/optimized")
    else
      echo "  dockopt optimize FAILED (log: $dir/optimize.log); building the naive Dockerfile only" >&2
      FAILED=1
    fi
  fi
  # verify's argument order: NAIVE OPTIMIZED|- CONTEXT, options anywhere before them
  extra=(); [ ${#opt_args[@]} -gt 1 ] && extra=(--expect-nonroot "${opt_args[1]}" "${opt_args[2]}")
  # the app's entry source file: a code-only change to it must not re-run the dependency install
  for f in main.py app.py server.js index.js main.go src/server.ts; do
    [ -f "$src/$f" ] && { extra+=(--cache-check "$f"); break; }
  done
  if ! bash "$HERE/verify.sh" "${VERIFY_OPTS[@]+"${VERIFY_OPTS[@]}"}" "${extra[@]+"${extra[@]}"}" --json "$dir/result.json" \
       "$dir/naive/Dockerfile" "${opt_args[0]}" "$dir/naive"; then
    FAILED=1
  fi
  [ -f "$dir/result.json" ] && python3 - "$dir/result.json" "$name" >>"$OUT/summary.tsv" <<'EOF'
import json, sys
r, name = json.load(open(sys.argv[1])), sys.argv[2]
for which in ("naive", "optimized"):
    i = r.get(which)
    if not i:
        continue
    size = f"{i['size'] / 1e6:.1f}" if isinstance(i.get("size"), int) else "-"
    reruns = f"{i.get('runs_rerun', '-')} RUN, deps: {i.get('deps_rerun', '-')}"
    print("\t".join(str(x) for x in (name, which, i.get("build"), size, i.get("layers"), i.get("user"),
                                     i.get("uid"), i.get("health"), i.get("healthcheck", "-"), i.get("secret"), reruns)))
EOF
done

echo >&2
column -t -s $'\t' "$OUT/summary.tsv"
[ $HAVE_OPT = 1 ] || echo "(naive images only: dockopt optimize is not available)"
echo "examples: $((SECONDS - T0)) s, $([ $FAILED = 0 ] && echo PASS || echo FAIL) (table: $OUT/summary.tsv)"
exit $FAILED
