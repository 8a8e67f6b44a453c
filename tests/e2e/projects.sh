#!/usr/bin/env bash
# tests/e2e/projects.sh - run through `scripts/e2e projects [options] MANIFEST... [NAME...]`.
# Proves `dockopt optimize` on real third-party projects listed in a manifest that lives OUTSIDE
# this repository (the project never commits third-party code or a list of projects to build;
# the manifest schema is in tests/e2e/README.md). For each project (or only the named ones):
#
#  1. source: the tree at the pinned commit, exported once into <state>/projects/<name>/src with
#     `git archive`, from the manifest's `mirror` (a bare git dir), else $E2E_MIRRORS/<owner>+<name>
#     (or a git dir one level below it), else a `git clone --bare --filter=blob:none` of
#     https://github.com/<repo> cached in <state>/projects/.clones/. Then two working copies:
#     naive/ and optimized/ (rebuilt on every run; src/ is reused while the commit is the same).
#  2. static pass: `dockopt optimize --format json` (saved as optimize.json: transforms applied and
#     skipped), then `dockopt optimize --context CTX --write DOCKERFILE` in optimized/.
#  3. base images: every FROM of both Dockerfiles (global ARG defaults and the manifest's
#     build_args substituted) is mapped to a local stand-in made by `scripts/e2e setup` and tagged
#     with its Docker Hub name in the private store (python:*slim* -> python slim, other python ->
#     python full, node:*slim* -> node slim, node -> node full, golang -> golang, debian -> debian
#     slim, scratch as is). Alpine, distroless, ubuntu, digests and other images have no stand-in:
#     the project is "static only" (not built; listed with the reason). With E2E_ENGINE=docker
#     the real images are pulled instead and nothing is static only.
#  4. verify.sh builds and runs both (size, user, PID 1 uid, probe, the image's own HEALTHCHECK,
#     secrets): probe "http" polls `path` on `port` and counts any answer below 500 (third-party
#     apps have no /health), probe "running" passes when the container is still up after `wait` s.
#  5. one table row per project, <state>/projects/summary.{tsv,json}, and a footer: built both
#     ways, REGRESSIONS (original passes, optimized fails), larger optimized images, static only,
#     originals that fail themselves (excluded), projects changed per transform, median size change.
#
# Arguments that are existing files or folders, or end in .toml, are manifests (a folder means its
# *.toml); the others are project names (or put the names after `--`).
#
# Options:
#   --static       only steps 1-2 (+ the base mapping) for every project, no builds, no root: the
#                  transforms per project, whether the output parses (`dockopt parse`: no new
#                  errors), whether it would build here; table in <state>/projects/static.{tsv,json}
#   --no-optimize  build and probe the original Dockerfiles only (is the manifest entry right?)
#   --keep         keep the built images;  --no-cache  build every layer again
#   --driver D     containers/storage driver (podman; default $E2E_DRIVER or overlay)
#
# Env: E2E_STATE, E2E_ENGINE, E2E_DRIVER as for verify; E2E_MIRRORS (a folder of <owner>+<name>
# git mirrors); DOCKOPT (default target/debug/dockopt, then target/release/dockopt, then PATH).
# Projects are built one at a time (the cores are shared); a project takes its builds' time, often
# minutes for real dependency installs.
# Exit status: 0; 1 on a regression or a larger optimized image (--static: when optimize failed or
# its output has new parse errors); 2 on usage errors or a missing setup.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
E2E_PROG="e2e projects"
. "$HERE/lib/common.sh"
. "$HERE/lib/engine.sh"
PY="$HERE/lib/projects.py"

MODE=build   # build | naive | static
DRIVER="${E2E_DRIVER:-overlay}"
VERIFY_OPTS=()
MANIFESTS=()
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --static) MODE=static; shift;;
    --no-optimize) MODE=naive; shift;;
    --keep|--no-cache) VERIFY_OPTS+=("$1"); shift;;
    --driver) DRIVER="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed -E 's/^# ?//'; exit 0;;
    --) shift; NAMES+=("$@"); break;;
    -*) e2e_die "unknown option $1 (see --help)";;
    *) if [ -e "$1" ] || [[ "$1" == *.toml ]]; then MANIFESTS+=("$1"); else NAMES+=("$1"); fi; shift;;
  esac
done
[ ${#MANIFESTS[@]} -gt 0 ] || e2e_die "usage: scripts/e2e projects [options] MANIFEST... [NAME...] (see --help)"
for t in git tar python3; do command -v $t >/dev/null || e2e_die "missing tool: $t"; done

: "${E2E_STATE:=$ROOT/.e2e-state}"
e2e_state_dir
OUT="$E2E_STATE/projects"; mkdir -p "$OUT"

# ---- dockopt ----
DOCKOPT_BIN="${DOCKOPT:-}"
if [ -z "$DOCKOPT_BIN" ]; then
  for b in "$ROOT/target/debug/dockopt" "$ROOT/target/release/dockopt" "$(command -v dockopt || true)"; do
    [ -n "$b" ] && [ -x "$b" ] && { DOCKOPT_BIN="$b"; break; }
  done
fi
if [ $MODE != naive ]; then
  [ -n "$DOCKOPT_BIN" ] || e2e_die "no dockopt binary: cargo build -p dockopt-cli, or set DOCKOPT"
  "$DOCKOPT_BIN" optimize --help >/dev/null 2>&1 || e2e_die "$DOCKOPT_BIN has no \`optimize\` command"
  echo "e2e projects: using $DOCKOPT_BIN" >&2
fi

# ---- engine: only builds need one (and root) ----
if [ $MODE != static ]; then
  e2e_pick_engine
  if [ "$E2E_ENGINE" = podman ]; then
    [ "$(id -u)" -eq 0 ] || e2e_die "run as root (buildah chroot isolation needs it)"
    e2e_env "$DRIVER"
    [ -n "$(podman images -q localhost/debian:bookworm-slim-like 2>/dev/null)" ] \
      || e2e_die "no stand-in bases in $E2E_STORE: run scripts/e2e setup first (same E2E_STATE, --driver $DRIVER)"
  fi
fi

# ---- the manifest: checked and split into <out>/<name>/project.{json,sh} ----
listed=$(python3 "$PY" load "$OUT" "${MANIFESTS[@]}" -- "${NAMES[@]+"${NAMES[@]}"}") || exit 2
mapfile -t SELECTED <<<"$listed"

WHY=""   # why the last step failed, for the status file
GD=""    # the git dir git_dir_for found (globals: a $(...) subshell would lose WHY)

# GD = a bare git dir for the project: the manifest's mirror, else one under $E2E_MIRRORS,
# else a blobless clone from GitHub (cached; not reachable on every machine).
git_dir_for() {
  local cand d
  GD=""
  if [ -n "$P_MIRROR" ]; then
    d="$P_MIRROR"; [ -d "$d/.git" ] && d="$d/.git"
    git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1 || { WHY="mirror $P_MIRROR is not a git dir"; return 1; }
    GD="$d"; return 0
  fi
  if [ -n "${E2E_MIRRORS:-}" ] && [ -n "$P_REPO" ]; then
    # <owner>+<name> itself, or a git dir inside it (e.g. <owner>+<name>/repo)
    for cand in "$E2E_MIRRORS/${P_REPO/\//+}" "$E2E_MIRRORS/${P_REPO/\//+}"/*; do
      d="$cand"; [ -d "$d/.git" ] && d="$d/.git"
      [ -d "$d" ] && git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1 && { GD="$d"; return 0; }
    done
  fi
  [ -n "$P_REPO" ] || { WHY="no mirror and no repo"; return 1; }
  d="$OUT/.clones/${P_REPO/\//+}.git"
  if [ ! -d "$d" ]; then
    mkdir -p "$OUT/.clones"
    GIT_TERMINAL_PROMPT=0 git clone --quiet --bare --filter=blob:none "https://github.com/$P_REPO" "$d.tmp" >&2 \
      || { rm -rf "$d.tmp"; WHY="git clone https://github.com/$P_REPO failed"; return 1; }
    mv "$d.tmp" "$d"
  fi
  GD="$d"
}

fetch_source() {  # -> $dir/src at $P_COMMIT (kept between runs while the commit is the same)
  local src="$dir/src" gd
  [ -d "$src" ] && [ "$(cat "$dir/src.commit" 2>/dev/null)" = "$P_COMMIT" ] && return 0
  rm -rf "$src" "$src.tmp" "$dir/src.commit"
  git_dir_for || return 1
  gd="$GD"
  # mirrors may belong to another user: trust this one explicitly rather than globally
  local g=(git -c "safe.directory=$gd" --git-dir="$gd")
  if ! "${g[@]}" cat-file -e "$P_COMMIT^{commit}" 2>/dev/null; then
    # a clone may lack a commit that is on no branch any more: ask for it by id
    [[ "$gd" == "$OUT/.clones/"* ]] && GIT_TERMINAL_PROMPT=0 "${g[@]}" fetch --quiet origin "$P_COMMIT" >&2 2>/dev/null
    "${g[@]}" cat-file -e "$P_COMMIT^{commit}" 2>/dev/null || { WHY="commit $P_COMMIT not in $gd"; return 1; }
  fi
  mkdir -p "$src.tmp"
  # A snapshot may lack some large files elsewhere in the repository: then only the build
  # context and the Dockerfile are exported (all a build reads).
  if ! "${g[@]}" archive --format=tar "$P_COMMIT" | tar -x -C "$src.tmp" 2>/dev/null; then
    rm -rf "$src.tmp"; mkdir -p "$src.tmp"
    "${g[@]}" archive --format=tar "$P_COMMIT" -- "$P_CONTEXT" "$P_DOCKERFILE" | tar -x -C "$src.tmp" \
      || { rm -rf "$src.tmp"; WHY="git archive $P_COMMIT failed"; return 1; }
  fi
  mv "$src.tmp" "$src"
  echo "$P_COMMIT" >"$dir/src.commit"
}

# Tag each stand-in with the Docker Hub name the Dockerfiles ask for; "static" when one has none.
prepare_bases() {  # dockerfile...
  local args=() b name target reasons=()
  for b in "${P_BUILD_ARGS[@]+"${P_BUILD_ARGS[@]}"}"; do args+=(--build-arg "$b"); done
  python3 "$PY" bases "${args[@]+"${args[@]}"}" "$@" >"$dir/bases.tsv" || { WHY="reading FROM lines failed"; return 1; }
  # with docker the real images come from the registry: no stand-ins, nothing static
  [ $MODE = static ] || [ "$E2E_ENGINE" = podman ] || return 0
  while IFS=$'\t' read -r name target; do
    case "$target" in
      static:*) reasons+=("${target#static: }");;
      localhost/*)
        [ $MODE = static ] && continue
        podman image exists "$target" || { reasons+=("stand-in $target missing (scripts/e2e setup --bases ...)"); continue; }
        buildah tag "$target" "$name" >/dev/null || { reasons+=("buildah tag $target $name failed"); continue; };;
    esac
  done <"$dir/bases.tsv"
  if [ ${#reasons[@]} -gt 0 ]; then WHY=$(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g'); return 1; fi
}

run_project() {
  local name="$1"
  dir="$OUT/$name"
  rm -rf "$dir/naive" "$dir/optimized" "$dir"/{status,optimize.json,optimize.log,bases.tsv,result.json,verify.log,parse-naive.json,parse-optimized.json}
  # shellcheck disable=SC1091  # written by projects.py load: P_NAME, P_COMMIT, P_ENV=(...), ...
  . "$dir/project.sh"
  echo "== $name ($P_KIND, ${P_REPO:-$P_MIRROR}@${P_COMMIT:0:12})" >&2
  if ! fetch_source; then echo "source-failed: $WHY" >"$dir/status"; echo "  source: $WHY" >&2; return 0; fi
  cp -a "$dir/src" "$dir/naive"
  local ndf="$dir/naive/$P_DOCKERFILE" nctx="$dir/naive/$P_CONTEXT"
  local odf="$dir/optimized/$P_DOCKERFILE" octx="$dir/optimized/$P_CONTEXT"
  if [ ! -f "$ndf" ] || [ ! -d "$nctx" ]; then
    echo "source-failed: no $P_DOCKERFILE or context $P_CONTEXT at ${P_COMMIT:0:12}" >"$dir/status"
    echo "  no $P_DOCKERFILE or context $P_CONTEXT in the tree" >&2; return 0
  fi
  local status=ok opt=- dfs=("$ndf")
  if [ $MODE != naive ]; then
    cp -a "$dir/src" "$dir/optimized"
    # the JSON first (what changed, what was skipped), then the same rewrite written in place
    if "$DOCKOPT_BIN" optimize --format json --context "$octx" "$odf" >"$dir/optimize.json" 2>"$dir/optimize.log" \
       && "$DOCKOPT_BIN" optimize --context "$octx" --write "$odf" >>"$dir/optimize.log" 2>&1; then
      opt="$odf"; dfs+=("$odf")
      python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("  optimize: applied", ",".join(c["transform"] for c in d["changes"]) or "-", "| skipped", ",".join(s["transform"] for s in d["skipped"]) or "-")' "$dir/optimize.json" >&2
    else
      status="optimize-failed: $(grep -m1 -v '^\s*$' "$dir/optimize.log" | cut -c1-200)"
      echo "  dockopt optimize FAILED (log: $dir/optimize.log)" >&2
      rm -f "$dir/optimize.json"
    fi
  fi
  if [ $MODE = static ]; then
    "$DOCKOPT_BIN" parse --format json "$ndf" >"$dir/parse-naive.json" 2>/dev/null || true
    [ "$opt" != - ] && { "$DOCKOPT_BIN" parse --format json "$odf" >"$dir/parse-optimized.json" 2>/dev/null || true; }
    prepare_bases "${dfs[@]}" || true
    echo "$status" >"$dir/status"; return 0
  fi
  if ! prepare_bases "${dfs[@]}"; then
    echo "static-only: $WHY" >"$dir/status"; echo "  static only: $WHY" >&2; return 0
  fi
  local v=(--json "$dir/result.json" --timeout "$P_TIMEOUT" --driver "$DRIVER")
  [ "$P_PORT" != 0 ] && v+=(--port "$P_PORT")
  if [ "$P_PROBE" = running ] || [ "$P_PROBE" = exit ]; then v+=(--probe "$P_PROBE" --wait "$P_WAIT")
  else v+=(--health-path "$P_PATH" --health-any-status); fi
  local kv
  for kv in "${P_ENV[@]+"${P_ENV[@]}"}"; do v+=(--env "$kv"); done
  # What `dockopt optimize` asks the user to pass at run time (a secret moved out of ENV), with
  # the original's value, as a user following its instructions would; the values stay unprinted.
  if [ "$opt" != - ]; then
    while IFS= read -r kv; do v+=(--env "$kv"); done < <(python3 "$PY" requirement-env "$dir/optimize.json" "$ndf")
  fi
  for kv in "${P_BUILD_ARGS[@]+"${P_BUILD_ARGS[@]}"}"; do v+=(--build-arg "$kv"); done
  [ "$opt" != - ] && v+=(--optimized-context "$octx")
  # verify's own exit status is a result (read from result.json); 2 means it could not start
  local rc=0
  bash "$HERE/verify.sh" "${VERIFY_OPTS[@]+"${VERIFY_OPTS[@]}"}" "${v[@]}" "$ndf" "$opt" "$nctx" 2>&1 | tee "$dir/verify.log" >&2 || rc=$?
  [ -f "$dir/result.json" ] || status="verify-failed: rc=$rc, see $dir/verify.log"
  echo "$status" >"$dir/status"
}

trap 'exit 130' INT TERM
T0=$SECONDS
for name in "${SELECTED[@]}"; do run_project "$name"; done

# the table (column -t), then projects.py's footer; its exit status is ours
rc=0
footer=$(python3 "$PY" summary "$OUT" "$MODE" "${SELECTED[@]}") || rc=$?
[ $rc -le 1 ] || exit "$rc"
table="$OUT/summary.tsv"; [ $MODE = static ] && table="$OUT/static.tsv"
echo >&2
column -t -s $'\t' "$table"
echo
echo "$footer"
echo "projects: ${#SELECTED[@]} in $((SECONDS - T0)) s, $([ $rc = 0 ] && echo PASS || echo FAIL) (table: $table, JSON: ${table%.tsv}.json)"
exit $rc
