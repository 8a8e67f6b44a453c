#!/usr/bin/env bash
# tests/e2e/setup.sh - run through `scripts/e2e setup`. One-time setup for building and running the
# examples' Dockerfiles with no Docker engine and no container registry: buildah + podman + runc
# from Debian's packages, chroot isolation, and local stand-in base images tagged with the real
# Docker Hub names, so unmodified Dockerfiles (`FROM python:3.11`, `FROM node:20-slim`) build as-is.
# Adapted from the shared reference recipe; the project does not need that recipe at run time.
#
# With a Docker engine (E2E_ENGINE=docker, or unset and `docker info` answers; see lib/engine.sh)
# there is nothing to set up: `verify` builds with `docker build` on the real base images from the
# registry. setup then only says so and exits 0 (E2E_ENGINE=podman forces the steps below).
#
#  1. apt: installs what is missing of buildah podman runc debootstrap uidmap fuse-overlayfs
#     containernetworking-plugins curl (+ python3 if there is none), running `apt-get update` once.
#  2. debootstrap --variant=minbase bookworm, slimmed like the official debian:bookworm-slim, imported
#     as localhost/debian:bookworm-slim-like.
#  3. builds the stand-in bases from tests/e2e/bases/ (--pull=never) and tags each one with the
#     Docker Hub names the examples use, so `FROM python:3.11-slim` resolves locally:
#       localhost/debian:bookworm-slim-like  docker.io/library/debian:bookworm-slim   (+ debian:12-slim)
#       localhost/python:3.11-slim-like      docker.io/library/python:3.11-slim       (+ 3.11-slim-bookworm)
#       localhost/python:3.11-full-like      docker.io/library/python:3.11            (+ 3.11-bookworm)
#       localhost/node:20-slim-like          docker.io/library/node:20-slim           (+ 20-bookworm-slim)
#       localhost/node:20-full-like          docker.io/library/node:20                (+ 20-bookworm)
#       localhost/golang:1.22-like           docker.io/library/golang:1.22            (+ 1.22-bookworm)
#     These are STAND-INS with Debian bookworm's versions (Python 3.11.2, Node 18, npm 9, Go 1.19):
#     compare naive against optimized on the same bases, never against Docker Hub's sizes.
#
# Time (2 shared vCPUs, measured): 3 min 14 s on a fresh state including 15 s of apt (debootstrap 38 s,
# bases 9-47 s each); ~5 s when everything is current; rebuilding the two python bases 41 s.
#
# Usage: scripts/e2e setup [--driver overlay|vfs] [--bases "python node golang"] [--no-apt] [--rebuild] [--rebuild-rootfs]
#   --driver D        containers/storage driver of the store to fill (default $E2E_DRIVER or overlay)
#   --bases LIST      which stand-in families to build (default $E2E_BASES or "python node golang");
#                     the debian base is always made
#   --no-apt          do not install anything, only check that the tools are there
#   --rebuild         re-import the rootfs and rebuild all bases (the debootstrap rootfs is kept);
#                     without it, bases whose Dockerfile and parent image are unchanged are kept
#   --rebuild-rootfs  re-run debootstrap (implies --rebuild)
#
# Env:
#   E2E_STATE         state dir; scripts/e2e sets it to <repo>/.e2e-state (gitignored) unless set.
#   HOST_CA=1|0       (default 1) copy $HOST_CA_DIR/*.crt (default /usr/local/share/ca-certificates)
#                     into the bases; the bases that install the ca-certificates package fold them into
#                     /etc/ssl/certs, so pip/npm/go inside RUN steps work behind a TLS-intercepting
#                     egress proxy. HOST_CA=0 gives pristine bases (changing it re-imports the bases).
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR   default: the host's apt mirror, else deb.debian.org
#   E2E_FUSE_OVERLAY=1  overlay through fuse-overlayfs (if kernel overlay fails on the state dir's fs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_PROG="e2e setup"
. "$HERE/lib/common.sh"
. "$HERE/lib/engine.sh"

DRIVER="${E2E_DRIVER:-overlay}"
BASES="${E2E_BASES:-python node golang}"
DO_APT=1; REBUILD=0; REBUILD_ROOTFS=0
HOST_CA="${HOST_CA:-1}"
HOST_CA_DIR="${HOST_CA_DIR:-/usr/local/share/ca-certificates}"
while [ $# -gt 0 ]; do
  case "$1" in
    --driver) DRIVER="$2"; shift 2;;
    --bases) BASES="$2"; shift 2;;
    --no-apt) DO_APT=0; shift;;
    --rebuild) REBUILD=1; shift;;
    --rebuild-rootfs) REBUILD_ROOTFS=1; REBUILD=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed -E 's/^# ?//'; exit 0;;
    *) e2e_die "unknown argument $1 (see --help)";;
  esac
done
e2e_pick_engine
if [ "$E2E_ENGINE" = docker ]; then
  echo "e2e setup: engine is docker: nothing to build (the real base images come from the registry when verify builds); E2E_ENGINE=podman sets up buildah/podman instead" >&2
  exit 0
fi
for b in $BASES; do case "$b" in python|node|golang) ;; *) e2e_die "--bases: unknown family '$b' (python node golang)";; esac; done
[ "$(id -u)" -eq 0 ] || e2e_die "run as root (debootstrap, buildah chroot isolation and overlay mounts need it)"

T0=$SECONDS
TIMES=()
step() { TIMES+=("$1	$2"); echo "  ($2 s) $1" >&2; }

# ---------------------------------------------------------------- 1. apt packages
PKGS=(buildah podman runc debootstrap uidmap fuse-overlayfs containernetworking-plugins curl)
command -v python3 >/dev/null 2>&1 || PKGS+=(python3)
missing=()
for p in "${PKGS[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ $DO_APT = 1 ] || e2e_die "missing packages: ${missing[*]} (run without --no-apt, or apt-get install them)"
  command -v apt-get >/dev/null || e2e_die "missing packages: ${missing[*]} and no apt-get on this host"
  echo "e2e setup: installing ${missing[*]}" >&2
  s=$SECONDS
  apt_retry() {  # wait for other apt/dpkg users instead of failing on the lock
    local out
    for _ in $(seq 1 60); do
      if out=$("$@" 2>&1); then return 0; fi
      if grep -qE 'Could not get lock|Unable to lock|is another process using it' <<<"$out"; then sleep 10; continue; fi
      echo "$out" | tail -n 15 >&2; return 1
    done
    echo "$out" | tail -n 5 >&2; return 1
  }
  apt_retry apt-get update || e2e_die "apt-get update failed"
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
    || e2e_die "apt-get install ${missing[*]} failed"
  step "apt-get update + install ${missing[*]}" $((SECONDS - s))
fi
for t in buildah podman runc conmon debootstrap nsenter curl python3 tar; do
  command -v "$t" >/dev/null 2>&1 || e2e_die "missing tool after install: $t"
done
[ -f /etc/containers/policy.json ] || e2e_die "/etc/containers/policy.json missing (package golang-github-containers-common)"

# ---------------------------------------------------------------- 2. rootfs + debian base
e2e_env "$DRIVER"
LOGS="$E2E_STATE/logs"
echo "e2e setup: state dir $E2E_STATE, driver $E2E_DRIVER, HOST_CA=$HOST_CA" >&2

srcs=/etc/apt/sources.list.d/debian.sources
MIRROR="${DEBIAN_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  MIRROR=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$srcs" 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $2 ~ /^https?:/ && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SECMIRROR="${DEBIAN_SECURITY_MIRROR:-}"
if [ -z "$SECMIRROR" ]; then
  SECMIRROR=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' "$srcs" 2>/dev/null || true)
fi
SECMIRROR="${SECMIRROR:-${MIRROR%/debian}/debian-security}"

ROOTFS="$E2E_STATE/rootfs/bookworm-minbase"
if [ $REBUILD_ROOTFS = 1 ] || [ ! -f "$ROOTFS.ok" ] || [ ! -x "$ROOTFS/bin/bash" ]; then
  rm -rf "$ROOTFS" "$ROOTFS.ok"; mkdir -p "$(dirname "$ROOTFS")"
  s=$SECONDS
  if ! debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1; then
    tail -n 8 "$LOGS/debootstrap.log" >&2; rm -rf "$ROOTFS"; e2e_die "debootstrap failed (log: $LOGS/debootstrap.log)"
  fi
  step "debootstrap --variant=minbase bookworm $MIRROR" $((SECONDS - s))
  R="$ROOTFS"
  # slim it like the official debian:bookworm-slim (debuerreotype) image
  cat >"$R/etc/apt/apt.conf.d/docker-clean" <<'EOF'
# as in the official Debian images: no .deb / pkgcache files left in layers
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::GzipIndexes "true";\n' >"$R/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Acquire::Languages "none";\n' >"$R/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$R/etc/apt/apt.conf.d/docker-autoremove-suggests"
  printf 'force-unsafe-io\n' >"$R/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    'path-include /usr/share/locale/locale.alias' 'path-exclude /usr/share/lintian/*' >"$R/etc/dpkg/dpkg.cfg.d/docker"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$MIRROR" "$MIRROR" "$SECMIRROR" >"$R/etc/apt/sources.list"
  find "$R/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$R/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/lintian/*
  find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* \
         "$R"/var/log/*.log "$R"/var/log/apt/* "$R/etc/resolv.conf" "$R/etc/hostname"
  date +%Y%m%d%H%M%S >"$ROOTFS.ok"
  REBUILD=1
fi

# Host CA certs (optional, documented): only the bases that install `ca-certificates` fold them
# into /etc/ssl/certs/ca-certificates.crt (python, node, golang); debian:bookworm-slim has no bundle.
CADIR="$ROOTFS/usr/local/share/ca-certificates"
mkdir -p "$CADIR"; find "$CADIR" -maxdepth 1 -name '*.crt' -delete
CA_STAMP=none
if [ "$HOST_CA" = 1 ]; then
  if compgen -G "$HOST_CA_DIR/*.crt" >/dev/null; then
    cas=("$HOST_CA_DIR"/*.crt)
    cp "${cas[@]}" "$CADIR/"
    CA_STAMP=$(cat "${cas[@]}" | sha256sum | cut -c1-12)
    echo "e2e setup: HOST_CA=1: added ${#cas[@]} CA cert(s) from $HOST_CA_DIR" >&2
  else
    echo "e2e setup: HOST_CA=1 but no $HOST_CA_DIR/*.crt: nothing to add" >&2
  fi
fi
STAMP="rootfs-$(cat "$ROOTFS.ok")-ca-$CA_STAMP"
CUR=$(podman image inspect -f '{{index .Labels "org.e2e.base-stamp"}}' localhost/debian:bookworm-slim-like 2>/dev/null || true)
REIMPORTED=0
if [ "$CUR" != "$STAMP" ] || [ $REBUILD = 1 ]; then
  s=$SECONDS
  tar --numeric-owner -C "$ROOTFS" -c . | podman import -q \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      --change "LABEL org.e2e.base-stamp=$STAMP" \
      --change 'LABEL org.e2e.stand-in=debian:bookworm-slim-from-debootstrap-minbase' \
      - localhost/debian:bookworm-slim-like >/dev/null
  REIMPORTED=1
  step "import rootfs ($(du -sx --apparent-size -h "$ROOTFS" | cut -f1) apparent) as localhost/debian:bookworm-slim-like" $((SECONDS - s))
else
  echo "e2e setup: localhost/debian:bookworm-slim-like is current ($STAMP)" >&2
fi
podman tag localhost/debian:bookworm-slim-like docker.io/library/debian:bookworm-slim docker.io/library/debian:12-slim

# ---------------------------------------------------------------- 3. stand-in bases
build_base() {  # dockerfile-suffix stand-in-tag parent-tag real-tag...
  local df="$1" tag="$2" parent="$3"; shift 3
  local log="$LOGS/setup-base-$df.log" s=$SECONDS key
  # up to date = same Dockerfile on top of the same parent image (survives `buildah rmi --prune`)
  key=$({ cat "$HERE/bases/Dockerfile.$df"; podman image inspect -f '{{.Id}}' "$parent"; } | sha256sum | cut -c1-16)
  if [ $REBUILD = 0 ] && [ "$(podman image inspect -f '{{index .Labels "org.e2e.build-key"}}' "$tag" 2>/dev/null)" = "$key" ]; then
    buildah tag "$tag" "$@"
    echo "e2e setup: $tag is current" >&2
    return 0
  fi
  if ! e2e_bud --label "org.e2e.build-key=$key" -f "$HERE/bases/Dockerfile.$df" -t "$tag" "$HERE/bases" >"$log" 2>&1; then
    tail -n 8 "$log" >&2; e2e_die "building $tag failed (log: $log)"
  fi
  REBUILT=1
  buildah tag "$tag" "$@"
  step "build $tag (= $*)" $((SECONDS - s))
}
D=localhost/debian:bookworm-slim-like
REBUILT=0
for fam in $BASES; do
  case "$fam" in
    python)
      build_base python-slim localhost/python:3.11-slim-like $D docker.io/library/python:3.11-slim docker.io/library/python:3.11-slim-bookworm
      build_base python-full localhost/python:3.11-full-like localhost/python:3.11-slim-like docker.io/library/python:3.11 docker.io/library/python:3.11-bookworm;;
    node)
      build_base node-slim localhost/node:20-slim-like $D docker.io/library/node:20-slim docker.io/library/node:20-bookworm-slim
      build_base node-full localhost/node:20-full-like localhost/node:20-slim-like docker.io/library/node:20 docker.io/library/node:20-bookworm;;
    golang)
      build_base golang localhost/golang:1.22-like $D docker.io/library/golang:1.22 docker.io/library/golang:1.22-bookworm;;
  esac
done
if [ $REIMPORTED = 1 ] || [ $REBUILT = 1 ]; then
  # drop the images (and build cache) left untagged by the re-import or a rebuilt base; the old
  # python:3.11 alone is ~540 MB
  buildah rmi --prune >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------- smoke test + summary
s=$SECONDS
smoke() { e2e_podman run --rm --network none "$1" sh -c "$2" 2>&1 | tr '\n' ' '; }
{
  echo "debian:bookworm-slim  $(smoke docker.io/library/debian:bookworm-slim '. /etc/os-release; echo $PRETTY_NAME')"
  for fam in $BASES; do case "$fam" in
    python) echo "python:3.11-slim      $(smoke docker.io/library/python:3.11-slim 'python --version; pip --version | cut -d" " -f1-2')"
            echo "python:3.11           $(smoke docker.io/library/python:3.11 'python --version; gcc --version | head -1')";;
    node)   echo "node:20-slim          $(smoke docker.io/library/node:20-slim 'echo node $(node --version) npm $(npm --version); id node')"
            echo "node:20               $(smoke docker.io/library/node:20 'echo node $(node --version); gcc --version | head -1; git --version')";;
    golang) echo "golang:1.22           $(smoke docker.io/library/golang:1.22 'go version; echo GOPATH=$(go env GOPATH)')";;
  esac; done
} | tee "$LOGS/setup-versions.txt" >&2
step "smoke test (podman run each base)" $((SECONDS - s))
step "setup total" $((SECONDS - T0))
printf '%s\n' "${TIMES[@]}" >"$LOGS/setup-times.tsv"
podman images --format '{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' \
  | grep -E '^(localhost/(debian|python|node|golang):[^\t]*-like|docker.io/library/(debian|python|node|golang):)' | sort
echo "e2e setup: done. State: $E2E_STATE (driver $E2E_DRIVER). Next: scripts/e2e examples, or scripts/e2e verify NAIVE OPTIMIZED CONTEXT" >&2
