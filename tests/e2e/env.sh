# tests/e2e/env.sh - source me for interactive buildah/podman use of the e2e store:
#     eval "$(scripts/e2e env)"          # or: E2E_STATE=/path . tests/e2e/env.sh [overlay|vfs]
#     podman images
#     e2e_bud -t localhost/x:1 -f Dockerfile .   # buildah bud --pull=never --layers --format docker ...
#     e2e_podman run --rm localhost/x:1          # podman with runc/cgroupfs and runc state in the store
# Exports CONTAINERS_STORAGE_CONF / CONTAINERS_REGISTRIES_CONF / CONTAINERS_CONF / BUILDAH_ISOLATION /
# TMPDIR pointing into $E2E_STATE. Writes only the generated conf files (and empty store
# directories) in $E2E_STATE.
_e2e_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_e2e_drv="${1:-${E2E_DRIVER:-overlay}}"
: "${E2E_STATE:=$(cd "$_e2e_here/../.." && pwd)/.e2e-state}"
export E2E_STATE
. "$_e2e_here/lib/common.sh"
# e2e_die exits, which would end an interactive shell: try in a subshell first
if ( e2e_env "$_e2e_drv" ) >/dev/null 2>&1; then
  e2e_env "$_e2e_drv"
  echo "e2e env: state=$E2E_STATE driver=$E2E_DRIVER runroot=$E2E_RUNROOT" >&2
else
  ( e2e_env "$_e2e_drv" ) >/dev/null
fi
unset _e2e_here _e2e_drv
