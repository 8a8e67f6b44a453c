#!/usr/bin/env bash
# tests/e2e/verify.sh - run through `scripts/e2e verify`. Builds a naive and an optimized
# Dockerfile, runs each image, and reports for each: build result, size, layer count, configured
# user, PID 1's uid, whether GET /health answers, whether the image's own HEALTHCHECK passes when
# run inside the container, and whether a secret from the naive Dockerfile's ENV/ARG still shows
# in the image's history or inspect output.
#
# Engine (lib/engine.sh; E2E_ENGINE=docker|podman, default docker when `docker info` answers):
#   docker  `docker build` (BuildKit) with the real base images from the registry, `docker run`
#   podman  buildah (chroot isolation, --pull=never against the local stand-in bases made by
#           `scripts/e2e setup`) and podman + runc
#
# Usage: scripts/e2e verify [options] NAIVE_DOCKERFILE OPTIMIZED_DOCKERFILE|- CONTEXT_DIR
#   OPTIMIZED `-` builds and checks the naive Dockerfile alone.
#
# Options:
#   --optimized-context DIR  build OPTIMIZED from DIR instead of CONTEXT (e.g. a copy where
#                        `dockopt optimize --write` also wrote a .dockerignore)
#   --port N             port the app listens on (default: the first EXPOSE of NAIVE, else 8000;
#                        also passed to the containers as env PORT)
#   --health-path P      HTTP path to poll (default /health)
#   --health-any-status  the HTTP probe passes on any answer below 500 (a 401 or 404 still shows
#                        the app is up; for third-party apps without a /health route); default:
#                        `curl -f`, so 4xx and 5xx fail (redirects are not followed)
#   --probe http|running|exit  http (default): poll the port as above; running: pass when the
#                        container is still running after --wait seconds (workers, apps with no
#                        HTTP port); exit: pass when it exits with status 0 within --wait seconds
#                        (command-line tools whose CMD prints their help or version)
#   --wait S             seconds the container must stay up with --probe running (default 10)
#   --timeout S          seconds to wait for the health check (default 30)
#   --expect-nonroot     fail unless OPTIMIZED's PID 1 runs as a non-zero uid
#   --secret VALUE       one more secret value to look for (repeatable); by default the values of
#                        the secret-looking ENV/ARG of NAIVE (TOKEN, SECRET, PASSWORD, API_KEY, ...)
#   --cache-check FILE   after each build, append a comment line to FILE (a source file, path
#                        relative to the context) in a copy of the context and build again: reports
#                        how many RUN steps ran again and whether one of them installs dependencies
#                        (a code-only change should not); fails if OPTIMIZED re-runs an install
#   --driver overlay|vfs containers/storage driver (podman only; default $E2E_DRIVER or overlay)
#   --build-arg K=V      passed to both builds (repeatable)
#   --run-arg ARG        extra argument for `podman run` / `docker run` (repeatable), e.g. --run-arg=--env-file=.env
#   --env K=V            environment variable for both containers (repeatable; = --run-arg=--env=K=V)
#   --no-cache           build without the layer cache
#   --keep               keep the built images (localhost/e2e-verify:<run>-naive / -optimized)
#   --json FILE          also write the results as JSON (always kept in the run's log folder)
#
# Health check: the HOST's curl runs inside the container's network namespace (nsenter -n), so
# containers run with --network none and no port is published (no CNI bridge, no iptables).
#
# JSON: {"ok", "context", "port", "engine" ("docker" | "podman"), "driver" (null with docker),
#        "probe" ({"mode": "http", "path", "any_status_below_500"} | {"mode": "running", "wait_s"}),
#        "expect_nonroot", "total_s", "logs", "secrets" (names),
#        "naive": {...}, "optimized": {...} | null}; each image has dockerfile, build ("ok" |
#        "FAILED(rc=N)"), build_s, size (bytes, uncompressed), layers (RootFS layers, base layers
#        included), hist_layers (history entries that made a layer; with docker, which does not
#        mark empty layers, the entries of non-zero size), user (config User, "(root)" if
#        unset), uid (PID 1's real uid from /proc/<pid>/status), health ("PASS", "EXITED(code)",
#        "FAIL(timeout Ns)", "START FAILED", "not run"; with --probe running PASS means still
#        running after --wait seconds), ready_s, secret ("clean", "n/a",
#        "LEAKED(NAMES)"), with --cache-check runs_rerun ("K/N" RUN steps re-run after the code-only
#        change) and deps_rerun ("yes" | "no"); optimized also has nonroot ("PASS",
#        "FAIL(pid1 uid=N)", "n/a").
#
# Time: ~4 s for a naive example image here (build 2-3 s even with --no-cache, ready 0.5-1 s);
# ~13 s for the python-api pair with a hand-written multi-stage Dockerfile (optimized build 8 s).
# Exit status: 0 if NAIVE builds and is healthy and, when given, OPTIMIZED builds, is healthy, has
# no secret left in its metadata and (with --expect-nonroot) runs PID 1 as non-root; 1 otherwise;
# 2 on usage errors or a missing setup.
set -uo pipefail   # no -e: a failed build or health check is a result to report, not an abort

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_PROG="e2e verify"
. "$HERE/lib/common.sh"
. "$HERE/lib/engine.sh"
PORT=""
HEALTH_PATH=/health
HEALTH_ANY=0
PROBE=http
WAIT=10
TIMEOUT=30
DRIVER="${E2E_DRIVER:-overlay}"
BUILD_ARGS=()
RUN_ARGS=()
NO_CACHE=()
KEEP=0
EXPECT_NONROOT=0
JSON_OUT=""
EXTRA_SECRETS=()
OPT_CTX_ARG=""
CACHE_FILE=""

die() { echo "e2e verify: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --optimized-context) OPT_CTX_ARG="$2"; shift 2;;
    --cache-check) CACHE_FILE="$2"; shift 2;;
    --port) PORT="$2"; shift 2;;
    --health-path) HEALTH_PATH="$2"; shift 2;;
    --health-any-status) HEALTH_ANY=1; shift;;
    --probe) PROBE="$2"; shift 2;;
    --wait) WAIT="$2"; shift 2;;
    --timeout) TIMEOUT="$2"; shift 2;;
    --expect-nonroot) EXPECT_NONROOT=1; shift;;
    --secret) EXTRA_SECRETS+=("$2"); shift 2;;
    --driver) DRIVER="$2"; shift 2;;
    --build-arg) BUILD_ARGS+=(--build-arg "$2"); shift 2;;
    --run-arg) RUN_ARGS+=("$2"); shift 2;;
    --run-arg=*) RUN_ARGS+=("${1#--run-arg=}"); shift;;
    --env) RUN_ARGS+=(--env "$2"); shift 2;;
    --no-cache) NO_CACHE=(--no-cache); shift;;
    --keep) KEEP=1; shift;;
    --json) JSON_OUT="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed -E 's/^# ?//'; exit 0;;
    --) shift; break;;
    -?*) die "unknown option $1";;
    *) break;;
  esac
done
[ $# -eq 3 ] || die "usage: scripts/e2e verify [options] NAIVE OPTIMIZED|- CONTEXT (see --help)"
NAIVE_DF="$(realpath "$1")"; CTX="$(realpath "$3")"
[ -f "$NAIVE_DF" ] || die "no such file: $1"; [ -d "$CTX" ] || die "no such dir: $3"
OPT_DF=""
if [ "$2" != - ]; then OPT_DF="$(realpath "$2")"; [ -f "$OPT_DF" ] || die "no such file: $2"; fi
OPT_CTX="$CTX"
if [ -n "$OPT_CTX_ARG" ]; then OPT_CTX="$(realpath "$OPT_CTX_ARG")"; [ -d "$OPT_CTX" ] || die "no such dir: $OPT_CTX_ARG"; fi
if [ -z "$PORT" ]; then
  # the naive Dockerfile says where the app listens; `EXPOSE 3000/tcp` -> 3000
  PORT=$(awk 'toupper($1)=="EXPOSE" {sub(/\/.*/, "", $2); print $2; exit}' "$NAIVE_DF")
  [[ "$PORT" =~ ^[0-9]+$ ]] || PORT=8000
fi
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"
[[ "$TIMEOUT" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--timeout must be a number"
[[ "$WAIT" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--wait must be a number"
case "$PROBE" in http|running|exit) ;; *) die "--probe must be http, running or exit";; esac
[ -n "$JSON_OUT" ] && JSON_OUT="$(realpath -m "$JSON_OUT")"
e2e_pick_engine
if [ "$E2E_ENGINE" = docker ]; then
  for t in docker nsenter python3 curl; do command -v $t >/dev/null || die "missing tool: $t"; done
  # PID 1's uid and the health check read /proc/<pid> and enter the container's network
  # namespace on this host: a local engine, as root
  [ "$(id -u)" -eq 0 ] || die "run as root (nsenter into the container's network namespace needs it)"
  e2e_use_docker
  e2e_state_dir; mkdir -p "$E2E_STATE/runs"
  E2E_DRIVER=""
else
  for t in buildah podman nsenter python3 runc curl; do command -v $t >/dev/null || die "missing tool: $t (run scripts/e2e setup)"; done
  [ "$(id -u)" -eq 0 ] || die "run as root (buildah chroot isolation needs it)"
  # ---- private containers/storage state under $E2E_STATE (never /var/lib/containers) ----
  e2e_env "$DRIVER"
  [ -n "$(podman images -q localhost/debian:bookworm-slim-like 2>/dev/null)" ] \
    || die "no base images in $E2E_STORE: run scripts/e2e setup first (same E2E_STATE=$E2E_STATE, --driver $DRIVER)"
  e2e_use_podman
fi
HEALTH_URL="http://127.0.0.1:$PORT$HEALTH_PATH"
if [ $HEALTH_ANY = 1 ]; then
  # any HTTP answer below 500 counts (curl prints 000 when nothing answered)
  HEALTH_CMD="c=\$(curl -sS -o /dev/null --max-time 2 -w '%{http_code}' '$HEALTH_URL'); echo \"HTTP \$c\"; [ \"\$c\" -ge 100 ] && [ \"\$c\" -lt 500 ]"
else
  HEALTH_CMD="curl -fsS --max-time 2 '$HEALTH_URL'"
fi
# the secret values reach the scanner through the environment, never through argv or a log
E2E_SECRET_VALUES="$(printf '%s\n' "${EXTRA_SECRETS[@]+"${EXTRA_SECRETS[@]}"}")"
export E2E_SECRET_VALUES
SECRET_NAMES=$(python3 "$HERE/lib/secret_scan.py" values "$NAIVE_DF")

RUN_ID="$(date +%Y%m%d-%H%M%S)-$$"
WORK="$E2E_STATE/runs/$RUN_ID"; mkdir -p "$WORK"
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2-$1:.1f}')"; }

declare -A R   # results: R[<which>.<field>]

build_one() {  # which dockerfile tag context
  local which="$1" df="$2" tag="$3" ctx="$4" t0 rc
  t0=$(now)
  # the build context is the example dir, as with `docker build -f DF CONTEXT`
  e2e_build "${NO_CACHE[@]}" "${BUILD_ARGS[@]}" -f "$df" -t "$tag" "$ctx" >"$WORK/build-$which.log" 2>&1
  rc=$?
  R[$which.build_s]=$(secs "$t0" "$(now)")
  R[$which.health]="not run"; R[$which.uid]=-; R[$which.ready_s]=-
  if [ $rc -ne 0 ]; then
    R[$which.build]="FAILED(rc=$rc)"; R[$which.size]=-; R[$which.layers]=-; R[$which.hist_layers]=-
    R[$which.user]=-; R[$which.secret]=-
    echo "  [$which] build FAILED after ${R[$which.build_s]}s; last lines of $WORK/build-$which.log:" >&2
    tail -n 8 "$WORK/build-$which.log" | sed 's/^/      /' >&2
    if [ "$E2E_ENGINE" = podman ] && grep -qiE 'image not known|blocked|pull policy|registry' "$WORK/build-$which.log"; then
      echo "      hint: only the local stand-in bases exist (nothing is pulled): scripts/e2e setup, tests/e2e/README.md" >&2
    fi
    if [ "$E2E_ENGINE" = podman ] && grep -qiE 'heredoc|<<|--link|--checksum|start-interval' "$df"; then
      echo "      hint: buildah 1.28 rejects heredocs, COPY --link, ADD --checksum and HEALTHCHECK --start-interval" >&2
    fi
    return 1
  fi
  R[$which.build]=ok
  e2e_image_inspect "$tag" >"$WORK/inspect-$which.json"
  e2e_image_history "$tag" >"$WORK/history-$which.json"
  local info
  info=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))[0]
hist=d.get("History")
if hist is not None:  # podman: the config history marks entries without a layer
    made=sum(1 for h in hist if not h.get("empty_layer"))
else:  # docker: no history in inspect; `docker history` lines, sizes in bytes
    made=sum(1 for l in open(sys.argv[2]) if l.strip() and int(json.loads(l).get("Size") or 0) > 0)
print(d["Size"], len(d["RootFS"]["Layers"]), (d["Config"].get("User") or "(root)"), made)' \
    "$WORK/inspect-$which.json" "$WORK/history-$which.json")
  read -r R[$which.size] R[$which.layers] R[$which.user] R[$which.hist_layers] <<<"$info"
  R[$which.secret]=$(python3 "$HERE/lib/secret_scan.py" scan "$NAIVE_DF" "$WORK/inspect-$which.json" "$WORK/history-$which.json")
  # the dumps were only needed for the scan. (The build log still echoes each step, ENV values
  # included: treat the run folder like the Dockerfile itself.)
  rm -f "$WORK/inspect-$which.json" "$WORK/history-$which.json"
  echo "  [$which] built in ${R[$which.build_s]}s: size=${R[$which.size]} B, layers=${R[$which.layers]}, user=${R[$which.user]}, secret in metadata: ${R[$which.secret]}" >&2
}

# The image's own HEALTHCHECK, run once inside the running container (as its user) once the app
# answers: "-" without one, PASS, or FAIL(exit code). It proves the probe works with what the
# image has (no curl), not only that the app does.
healthcheck_one() {  # which tag cid
  local which="$1" tag="$2" cid="$3" rc
  local -a probe=()
  mapfile -t probe < <(e2e_image_inspect "$tag" 2>/dev/null | python3 -c '
import json, sys
data = json.load(sys.stdin)
image = data[0] if isinstance(data, list) else data
# docker keeps it in Config, podman at the top level
check = (image.get("Config") or {}).get("Healthcheck") or image.get("Healthcheck") or {}
test = check.get("Test") or []
if test[:1] == ["CMD"]:
    print("\n".join(test[1:]))
elif test[:1] == ["CMD-SHELL"]:
    print("\n".join(["/bin/sh", "-c", test[1]]))
')
  [ ${#probe[@]} -gt 0 ] || return 0
  e2e_container exec "$cid" "${probe[@]}" >"$WORK/healthcheck-$which.out" 2>&1
  rc=$?
  if [ $rc = 0 ]; then R[$which.healthcheck]=PASS; else R[$which.healthcheck]="FAIL($rc)"; fi
  echo "  [$which] image HEALTHCHECK run in the container: ${R[$which.healthcheck]}" >&2
}

health_one() {  # which tag
  local which="$1" tag="$2" cid pid t0 ok=0 state deadline
  t0=$(now)
  if ! cid=$(e2e_run -d --network none --name "e2e-verify-$RUN_ID-$which" \
             -e PORT="$PORT" "${RUN_ARGS[@]+"${RUN_ARGS[@]}"}" "$tag" 2>"$WORK/run-$which.err"); then
    R[$which.health]="START FAILED"
    sed 's/^/      /' "$WORK/run-$which.err" >&2; return 1
  fi
  pid=$(e2e_container inspect -f '{{.State.Pid}}' "$cid")
  R[$which.uid]=$(awk '/^Uid:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "${R[$which.uid]}" ] || R[$which.uid]="?"
  R[$which.health]=""
  if [ "$PROBE" = exit ]; then
    # a command-line tool: it must finish, and succeed, on its own
    deadline=$(python3 -c "print($t0+$WAIT)")
    while :; do
      state=$(e2e_container inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$cid" 2>/dev/null)
      if [[ "$state" != running* ]]; then
        if [ "${state#* }" = 0 ]; then ok=1; else R[$which.health]="EXITED(${state#* })"; fi
        break
      fi
      python3 -c "import sys,time; sys.exit(0 if time.time()<$deadline else 1)" || { R[$which.health]="STILL RUNNING"; break; }
      sleep 0.5
    done
    echo "exited 0 within ${WAIT}s: $([ $ok = 1 ] && echo yes || echo no)" >"$WORK/health-$which.out"
  elif [ "$PROBE" = running ]; then
    # no port to ask: the app counts as up when it has not exited after WAIT seconds
    deadline=$(python3 -c "print($t0+$WAIT)")
    while :; do
      state=$(e2e_container inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$cid" 2>/dev/null)
      if [[ "$state" != running* ]]; then R[$which.health]="EXITED(${state#* })"; break; fi
      python3 -c "import sys,time; sys.exit(0 if time.time()<$deadline else 1)" || { ok=1; break; }
      sleep 0.5
    done
    echo "still running after ${WAIT}s: $([ $ok = 1 ] && echo yes || echo no)" >"$WORK/health-$which.out"
  else
    deadline=$(python3 -c "print($t0+$TIMEOUT)")
    while python3 -c "import sys,time; sys.exit(0 if time.time()<$deadline else 1)"; do
      state=$(e2e_container inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$cid" 2>/dev/null)
      if [[ "$state" != running* ]]; then R[$which.health]="EXITED(${state#* })"; break; fi
      nsenter -t "$pid" -n sh -c "$HEALTH_CMD" >"$WORK/health-$which.out" 2>&1 && { ok=1; break; }
      sleep 0.2
    done
  fi
  if [ $ok = 1 ]; then R[$which.health]=PASS; R[$which.ready_s]=$(secs "$t0" "$(now)")
  else [ -n "${R[$which.health]}" ] || R[$which.health]="FAIL(timeout ${TIMEOUT}s)"; fi
  R[$which.healthcheck]="-"
  [ $ok = 1 ] && healthcheck_one "$which" "$tag" "$cid"
  echo "  [$which] health: ${R[$which.health]} (pid1 uid=${R[$which.uid]}) $(head -c 200 "$WORK/health-$which.out" 2>/dev/null | tr '\n' ' ')" >&2
  e2e_container logs "$cid" >"$WORK/container-$which.log" 2>&1
  if [ $ok != 1 ]; then echo "  [$which] container log (tail):" >&2; tail -n 6 "$WORK/container-$which.log" | sed 's/^/      /' >&2; fi
  e2e_rm_container "$cid" >/dev/null 2>&1
}

# Code-only change: does the layer cache keep the dependency install? Rebuild from a copy of the
# context where only CACHE_FILE changed (a comment line, so the app still runs the same).
cache_check_one() {  # which dockerfile tag context
  local which="$1" df="$2" tag="$3" ctx="$4" edit="$WORK/ctx-$1" out
  R[$which.runs_rerun]=-; R[$which.deps_rerun]=-
  rm -rf "$edit"; cp -a "$ctx" "$edit"
  [ -f "$edit/$CACHE_FILE" ] || { echo "  [$which] cache check: no $CACHE_FILE in the context" >&2; return 1; }
  case "$CACHE_FILE" in
    *.js|*.ts|*.go|*.rs|*.java|*.kt|*.c|*.cc|*.cpp|*.php) printf '\n// e2e cache check: code-only change\n' >>"$edit/$CACHE_FILE";;
    *) printf '\n# e2e cache check: code-only change\n' >>"$edit/$CACHE_FILE";;
  esac
  if ! e2e_build "${BUILD_ARGS[@]}" -f "$df" -t "$tag-cc" "$edit" >"$WORK/cache-$which.log" 2>&1; then
    R[$which.runs_rerun]="BUILD FAILED"; echo "  [$which] cache check: rebuild FAILED ($WORK/cache-$which.log)" >&2; return 1
  fi
  e2e_rmi "$tag-cc" >/dev/null 2>&1
  rm -rf "$edit"
  out=$(python3 "$HERE/lib/cache_steps.py" "$WORK/cache-$which.log")
  read -r R[$which.runs_rerun] R[$which.deps_rerun] <<<"$(head -n 1 <<<"$out")"
  echo "  [$which] cache check ($CACHE_FILE changed): RUN steps re-run ${R[$which.runs_rerun]}, dependency install re-run: ${R[$which.deps_rerun]}" >&2
  tail -n +2 <<<"$out" | sed 's/^/      /' >&2
}

WHICH=(naive); [ -n "$OPT_DF" ] && WHICH+=(optimized)
# never leave a container or the built images behind, even on Ctrl-C
cleanup() {
  for w in naive optimized; do e2e_rm_container "e2e-verify-$RUN_ID-$w" >/dev/null 2>&1; done
  if [ $KEEP = 0 ]; then
    for w in "${WHICH[@]}"; do e2e_rmi "localhost/e2e-verify:$RUN_ID-$w" >/dev/null 2>&1; done
  fi
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T_START=$(now)
echo "e2e verify: engine=$E2E_ENGINE${E2E_DRIVER:+ driver=$E2E_DRIVER} state=$E2E_STATE context=$CTX port=$PORT probe=$([ "$PROBE" = running ] && echo "running ${WAIT}s" || echo "http $HEALTH_PATH$([ $HEALTH_ANY = 1 ] && echo ' (<500)')") secrets=[$SECRET_NAMES]" >&2
declare -A DF=([naive]="$NAIVE_DF" [optimized]="$OPT_DF") CX=([naive]="$CTX" [optimized]="$OPT_CTX")
# one build at a time: the machine's cores are shared
for w in "${WHICH[@]}"; do
  build_one "$w" "${DF[$w]}" "localhost/e2e-verify:$RUN_ID-$w" "${CX[$w]}" || continue
  health_one "$w" "localhost/e2e-verify:$RUN_ID-$w"
  [ -n "$CACHE_FILE" ] && cache_check_one "$w" "${DF[$w]}" "localhost/e2e-verify:$RUN_ID-$w" "${CX[$w]}"
done
TOTAL=$(secs "$T_START" "$(now)")

OK=0
[ "${R[naive.build]}" = ok ] && [ "${R[naive.health]}" = PASS ] && OK=1
if [ -n "$OPT_DF" ]; then
  NONROOT="n/a"
  if [ $EXPECT_NONROOT = 1 ]; then
    if [[ "${R[optimized.uid]}" =~ ^[0-9]+$ ]] && [ "${R[optimized.uid]}" != 0 ]; then NONROOT=PASS
    else NONROOT="FAIL(pid1 uid=${R[optimized.uid]})"; fi
  fi
  R[optimized.nonroot]="$NONROOT"
  { [ "${R[optimized.build]}" = ok ] && [ "${R[optimized.health]}" = PASS ] \
    && [[ "${R[optimized.secret]}" != LEAKED* ]] && [[ "$NONROOT" != FAIL* ]] \
    && [[ "${R[optimized.healthcheck]:--}" != FAIL* ]] \
    && { [ -z "$CACHE_FILE" ] || [ "${R[optimized.deps_rerun]:-}" = no ]; }; } || OK=0
fi

mb() { [[ "$1" =~ ^[0-9]+$ ]] && python3 -c "print(f'{$1/1e6:.1f} MB')" || echo "$1"; }
printf '\n%-10s %-14s %-8s %-10s %-7s %-9s %-9s %-18s %-8s %-22s %s\n' IMAGE BUILD BUILD_S SIZE LAYERS USER PID1_UID HEALTH READY_S SECRET \
  "$([ -n "$CACHE_FILE" ] && echo 'CODE-CHANGE RERUNS')"
for w in "${WHICH[@]}"; do
  cc=""; [ -n "$CACHE_FILE" ] && cc="${R[$w.runs_rerun]:--} RUN, deps: ${R[$w.deps_rerun]:--}"
  printf '%-10s %-14s %-8s %-10s %-7s %-9s %-9s %-18s %-8s %-22s %s\n' "$w" "${R[$w.build]}" "${R[$w.build_s]}" \
    "$(mb "${R[$w.size]}")" "${R[$w.layers]}" "${R[$w.user]}" "${R[$w.uid]}" "${R[$w.health]}" "${R[$w.ready_s]}" "${R[$w.secret]}" "$cc"
done
if [ -n "$OPT_DF" ] && [[ "${R[naive.size]}" =~ ^[0-9]+$ && "${R[optimized.size]}" =~ ^[0-9]+$ ]]; then
  python3 -c "o,n=${R[naive.size]},${R[optimized.size]}; print(f'\nsize: {o/1e6:.1f} MB -> {n/1e6:.1f} MB ({(n-o)/o*100:+.1f}%); layers: ${R[naive.layers]} -> ${R[optimized.layers]}')"
  [ $EXPECT_NONROOT = 1 ] && echo "non-root check (optimized PID 1): ${R[optimized.nonroot]}"
fi
[ -z "$OPT_DF" ] && echo "(naive only: no optimized Dockerfile given)"
echo "total: ${TOTAL}s   result: $([ $OK = 1 ] && echo PASS || echo FAIL)   (logs: $WORK)"

for k in "${!R[@]}"; do printf '%s\t%s\n' "$k" "${R[$k]}"; done >"$WORK/results.tsv"
python3 - "$WORK" "$NAIVE_DF" "$OPT_DF" "$CTX" "$OPT_CTX" "$PORT" "$E2E_ENGINE" "$E2E_DRIVER" "$TOTAL" "$EXPECT_NONROOT" "$OK" "$SECRET_NAMES" "$PROBE" "$HEALTH_PATH" "$HEALTH_ANY" "$WAIT" <<'EOF'
import json, sys
work, ndf, odf, ctx, octx, port, engine, driver, total, expect_nonroot, ok, names = sys.argv[1:13]
probe, path, any_status, wait = sys.argv[13:]
r = {"ok": ok == "1", "context": ctx, "port": int(port), "engine": engine, "driver": driver or None,
     "probe": {"mode": "running", "wait_s": float(wait)} if probe == "running"
              else {"mode": "http", "path": path, "any_status_below_500": any_status == "1"},
     "expect_nonroot": expect_nonroot == "1", "total_s": float(total), "logs": work,
     "secrets": [] if names == "-" else names.split(),
     "naive": {"dockerfile": ndf, "context": ctx},
     "optimized": {"dockerfile": odf, "context": octx} if odf else None}
for line in open(f"{work}/results.tsv"):
    k, v = line.rstrip("\n").split("\t", 1)
    w, f = k.split(".", 1)
    if v.isdigit():
        v = int(v)
    else:
        try:
            v = float(v)
        except ValueError:
            pass
    r[w][f] = v
json.dump(r, open(f"{work}/results.json", "w"), indent=2)
EOF
[ -n "$JSON_OUT" ] && cp "$WORK/results.json" "$JSON_OUT"
[ $OK = 1 ]
