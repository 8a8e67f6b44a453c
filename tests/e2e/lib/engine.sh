# tests/e2e/lib/engine.sh - sourced by setup.sh and verify.sh (after common.sh). Picks the engine
# once and defines one function per engine action, so verify.sh never branches on the engine.
#
#   E2E_ENGINE=docker  a Docker engine: `docker build` (BuildKit, via buildx) / `docker run`; base
#                      images come from the registry, nothing to set up
#   E2E_ENGINE=podman  buildah builds + podman runs in the private store under $E2E_STATE, on the
#                      local stand-in bases made by `scripts/e2e setup`
#   unset              docker when `docker info` answers, else podman
#
# Actions (podman | docker):
#   e2e_build ARGS...         buildah bud (e2e_bud)      | docker build --progress=plain
#   e2e_image_inspect TAG     podman image inspect       | docker image inspect
#   e2e_image_history TAG     podman history, JSON array | docker history, one JSON object a line
#   e2e_rmi TAG               buildah rmi                | docker rmi
#   e2e_run ARGS...           podman run (+ ulimits)     | docker run
#   e2e_container ARGS...     podman (inspect, logs)     | docker
#   e2e_rm_container NAME     podman rm -f -t 0          | docker rm -f

e2e_pick_engine() {
  case "${E2E_ENGINE:-}" in
    docker|podman) ;;
    "")
      if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then E2E_ENGINE=docker
      else E2E_ENGINE=podman; fi ;;
    *) e2e_die "E2E_ENGINE must be docker or podman, not '$E2E_ENGINE'";;
  esac
  export E2E_ENGINE
}

e2e_use_docker() {
  # BuildKit's plain progress is what lib/cache_steps.py reads; the legacy builder is not supported.
  docker buildx version >/dev/null 2>&1 \
    || e2e_die "E2E_ENGINE=docker needs BuildKit: install the docker buildx plugin (or use E2E_ENGINE=podman)"
  e2e_build() { DOCKER_BUILDKIT=1 docker build --progress=plain "$@"; }
  e2e_image_inspect() { docker image inspect "$1"; }
  e2e_image_history() { docker history --no-trunc --human=false --format '{{json .}}' "$1"; }
  e2e_rmi() { docker rmi "$1"; }
  e2e_run() { docker run "$@"; }
  e2e_container() { docker "$@"; }
  e2e_rm_container() { docker rm -f "$1"; }
}

e2e_use_podman() {
  # the sandbox lacks CAP_SYS_RESOURCE: podman's default rlimits would be raised, so lower them
  E2E_ULIMITS=(--ulimit "nofile=$(e2e_ulimit -n 4096):$(e2e_ulimit -n 4096)" --ulimit "nproc=$(e2e_ulimit -u 4096):$(e2e_ulimit -u 4096)")
  e2e_build() { e2e_bud "$@"; }
  e2e_image_inspect() { podman image inspect "$1"; }
  e2e_image_history() { podman history --no-trunc --format json "$1"; }
  e2e_rmi() { buildah rmi "$1"; }
  e2e_run() { e2e_podman run "${E2E_ULIMITS[@]}" "$@"; }
  e2e_container() { e2e_podman "$@"; }
  e2e_rm_container() { e2e_podman rm -f -t 0 "$1"; }
}
