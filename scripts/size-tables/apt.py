#!/usr/bin/env python3
"""Measure how many bytes `apt-get install <pkg>` adds to a debian:bookworm-slim image.

Writes crates/dockopt/src/analyze/apt_sizes.toml, the table `dockopt analyze`
uses to estimate the size of an `apt-get install` layer.

How it measures:

  1. Copies the Debian bookworm minbase rootfs (debootstrap --variant=minbase,
     the stand-in for debian:bookworm-slim; never modified) to a scratch
     folder and runs `apt-get update` in a chroot of the copy, with the
     image's own sources (bookworm, bookworm-updates, bookworm-security).
  2. `lists` = bytes under /var/lib/apt/lists after that update: what
     `rm -rf /var/lib/apt/lists/*` saves in a layer.
  3. `archives` = bytes of .deb files left in /var/cache/apt/archives by
     `apt-get install --no-install-recommends curl` (downloaded with -d, then
     `apt-get clean`). The official images' docker-clean hook deletes them
     after each dpkg run; where that hook is absent, this is what stays behind.
  4. For each package in PACKAGES: `apt-get install -s` (simulation, nothing is
     installed) lists every package apt would unpack on the slim image, once
     with --no-install-recommends and once with recommends. Summing their
     control fields over that closure gives
       installed             = sum of Installed-Size (KiB * 1024) without recommends
       installed_recommends  = the same with recommends
       debs                  = sum of Size (bytes of the .debs downloaded) without recommends
       packages / packages_recommends = number of packages unpacked.
     Packages apt would upgrade count in full: their files are rewritten into
     the new layer.
  5. The names in each closure are kept too (`closure`, and `recommends` for
     the ones only recommends add), with every unpacked package's own
     Installed-Size under [unpacked]: several packages in one install share
     dependencies, and a base image already holds some, so dockopt sums the
     union of the closures minus the closures of the base's packages. The
     packages the Debian-based images of semantics/bases.toml list are measured
     for that reason, besides PACKAGES.

Rerun (as root, takes ~6 minutes; needs network access to the Debian mirror):

    python3 scripts/size-tables/apt.py [--rootfs DIR] [--scratch /work/.size-tables-tmp] [PKG ...]

Naming packages on the command line measures only those (for testing).
Standard library only.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import toml_str

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "crates" / "dockopt" / "src" / "analyze" / "apt_sizes.toml"
DEFAULT_ROOTFS = Path("/work/.e2e-state/rootfs/bookworm-minbase")
DEFAULT_SCRATCH = Path("/work/.size-tables-tmp")
SUITE = "bookworm"
ARCHIVES_PROBE = "curl"

# ~150 packages commonly installed in Dockerfiles based on Debian.
PACKAGES = """
    ant apache2 apt-transport-https apt-utils autoconf automake bash
    bash-completion bzip2 build-essential ca-certificates cargo chromium
    chromium-driver clang cmake cron curl default-jdk default-jre-headless
    default-libmysqlclient-dev default-mysql-client diffutils dirmngr dnsutils
    dos2unix dumb-init ffmpeg file firefox-esr fontconfig fonts-dejavu-core
    fonts-liberation fonts-noto-color-emoji freetds-dev g++ gawk gcc gdal-bin
    gdb gettext gfortran ghostscript git git-lfs gnupg gnupg2 golang-go gosu
    graphviz gzip htop imagemagick iproute2 iputils-ping jq less libaio1
    libasound2 libatk-bridge2.0-0 libatk1.0-0 libbz2-dev libcairo2 libcups2
    libcurl4-openssl-dev libdrm2 libevent-dev libffi-dev libgbm1 libgdal-dev
    libgeos-dev libgl1 libgl1-mesa-glx libglib2.0-0 libgmp-dev libgomp1
    libgtk-3-0 libhdf5-dev libjpeg-dev libjpeg62-turbo-dev libkrb5-dev
    libldap2-dev liblzma-dev libmagic1 libmariadb-dev libmariadb3 libncurses-dev
    libnss3 libopenblas-dev libpango-1.0-0 libpng-dev libpq-dev libpq5
    libreadline-dev libsasl2-dev libsm6 libsndfile1 libsqlite3-dev libssl-dev
    libtool libvips42 libx11-6 libxcomposite1 libxdamage1 libxext6 libxml2-dev
    libxmlsec1-dev libxrandr2 libxrender1 libxslt1-dev libxss1 libyaml-dev
    locales lsb-release lsof make man-db mariadb-client maven mercurial nano
    net-tools netcat-openbsd netcat-traditional nginx ninja-build nodejs npm
    openjdk-17-jdk-headless openjdk-17-jre-headless openssh-client
    openssh-server openssl pandoc patch perl php-cli php-fpm pkg-config
    poppler-utils postgresql-client procps python-is-python3 python3
    python3-dev python3-pip python3-setuptools python3-venv python3-wheel
    redis-server redis-tools rsync ruby ruby-dev rustc screen
    software-properties-common sqlite3 strace subversion sudo supervisor swig
    telnet tesseract-ocr tini tmux traceroute tzdata unixodbc-dev unzip vim
    vim-tiny wget wkhtmltopdf xvfb xz-utils yarnpkg zip zlib1g-dev
""".split()

# The other packages the Dockerfiles of a public sample (655 real-world files, 2026) install
# with apt; names bookworm lacks are reported as missing and skipped.
SAMPLED = """
    acl adb alsa-utils apache2-dev apache2-utils apparmor apt-file apulse arping at-spi2-core
    atom audacity bc biber binutils binutils-dev binutils-gold bison bridge-utils btrfs-progs
    byobu cabextract cheese chromium-l10n chrpath clang-format clisp code console-setup
    console-setup-linux containerd.io cowsay cpio criu dbus dbus-user-session dbus-x11 debhelper
    debootstrap desktop-file-utils devscripts diffstat distcc dmsetup dnsmasq docker-ce-cli
    dosfstools e2fsprogs ethtool fakeroot fastboot fcitx-frontend-qt5 fcitx-module-dbus
    fcitx-modules figlet firefox firewalld flex fontforge fonts-noto fonts-noto-cjk fonts-roboto
    fonts-symbola fonts-wine fuse-overlayfs gconf-service gconf2 geary gimp
    gir1.2-spiceclientgtk-3.0 golang google-chrome-beta google-chrome-stable gparted gperf
    gvfs-bin hdparm hicolor-icon-theme hollywood hunspell-en-us ibus ibus-gtk icoutils
    inetutils-ping inkscape iperf iptables jp2a jsvc kbd keepass2 kicad kmod ldap-utils lib32z1
    libargon2-dev libasound2-dev libasound2-plugins libatomic1 libaudit-dev
    libbabeltrace-ctf-dev libc++1 libcanberra-gtk-module libcap-dev libcap2 libcap2-bin
    libclang-dev libcurl3 libdbus-glib-1-2 libdw-dev libedit-dev libedit2 libegl1-mesa
    libelf-dev libexif-dev libfl-dev libfontconfig1 libfreetype6 libgcc-12-dev libgconf-2-4
    libgdbm-compat-dev libgfortran4 libgl1-mesa-dev libgl1-mesa-dri libgssapi-krb5-2
    libgstreamer-plugins-base1.0-0 libgstreamer-plugins-base1.0-dev libgstreamer1.0-0
    libgstreamer1.0-dev libgtk2.0-0 libiberty-dev libicu57 libjson0 libklibc-dev libllvm3.9
    liblttng-ust0 libluajit-5.1-dev libmnl-dev libncurses5 libncursesw5 libnet1 libnftables-dev
    libnl-3-200 libnotify-bin libnotify4 libnss-wrapper libnuma-dev libonig-dev libpangox-1.0-0
    libperl-dev libpixman-1-0 libpresage-data libpresage1v5 libprotobuf-c-dev libprotobuf-c1
    libpulse0 libqt5core5a libqt5dbus5 libqt5gui5 libqt5network5 libqt5printsupport5
    libqt5webkit5 libqt5widgets5 libsdl1.2-dev libseccomp-dev libslang2-dev libsodium-dev
    libssl1.0.2 libsystemd-dev libtiff5 libunwind-dev libunwind8 libusb-1.0-0 libv4l-0
    libvirt-daemon-system libvirt-dev libvirt0 libvpx5 libwine libx11-xcb-dev libx11-xcb1
    libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-shape0 libxcb-shm0 libxcb-xfixes0
    libxcb-xtest0 libxcursor-dev libxcursor1 libxfixes3 libxi-dev libxi6 libxinerama-dev
    libxkbfile1 libxrandr-dev libxt6 libxtst6 libxxf86vm-dev libyajl-dev libyajl2 libyubikey0
    libzstd-dev lilyterm linux-libc-dev linux-perf littler lld llvm llvm-dev locate lua-cjson
    lua-iconv luajit lynx mesa-utils mlocate mongodb-org-server mono-mcs mpc mpd ncmpc netcat
    nfs-common nftables nginx-extras nmap notify-osd openjdk-8-jdk openjdk-8-jre-headless
    openscad pcscd pigz pkgconf plexhometheater pms portaudio19-dev postgresql postgresql-common
    postgresql-contrib psmisc pulseaudio pulseaudio-utils python python-bs4 python-dev
    python-fontforge python-gi python-paramiko python-pysnmp-common python-requests
    python-setuptools python-software-properties python3-dbus python3-psycopg2 python3-pyroute2
    qemu-kvm qml-module-qtgraphicaleffects qml-module-qtquick-controls
    qml-module-qtquick-dialogs qml-module-qtquick-localstorage qml-module-qtquick-window2
    qmlscene qt5-default qt5-qmake qtbase5-dev qtdeclarative5-dev r-base r-base-dev
    r-recommended rdesktop remmina remmina-plugin-rdp rt-tests s3cmd scudcloud shellcheck simh
    skypeforlinux slack-desktop slapd spotify-client ssh stress sublime-text sysstat systemd
    systemd-journal-remote systemd-sysv systemtap-sdt-dev sysvinit-core texinfo texlive-full
    thin-provisioning-tools time tor transmission-cli transmission-common transmission-daemon
    transmission-gtk uidmap usbutils vim-common virt-manager virt-viewer virtinst virtualbox-5.2
    vlc winehq-staging winetricks wireshark xdg-utils xdotool xfsprogs yamllint yarn
    yubico-piv-tool yubikey-manager yubikey-neo-manager yubikey-personalization
    yubikey-piv-manager zstd
""".split()

BASES = REPO / "crates" / "dockopt" / "src" / "semantics" / "bases.toml"


def base_packages():
    """Packages the Debian-based images of the base-image table hold (Alpine's are not Debian's)."""
    import tomllib
    images = tomllib.loads(BASES.read_text(encoding="utf-8"))["image"]
    by_name = {i["name"]: i for i in images}

    def debian(image):
        while image:
            if image["name"] == "debian":
                return True
            image = by_name.get(image.get("extends", ""))
        return False

    return sorted({p for i in images if debian(i) for p in i.get("packages", [])})


INST = re.compile(r"^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) .*\[([^\]]+)\]\)")


def sh(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, text=True, capture_output=True, **kw)


class Chroot:
    """A throw-away copy of the rootfs, with /proc mounted while in use."""

    def __init__(self, source, scratch):
        self.root = scratch / "rootfs"
        self.source = source
        self.mounted = False

    def __enter__(self):
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.parent.mkdir(parents=True, exist_ok=True)
        sh(["cp", "-a", str(self.source), str(self.root)])
        shutil.copyfile("/etc/resolv.conf", self.root / "etc" / "resolv.conf")
        if sh(["mount", "-t", "proc", "proc", str(self.root / "proc")], check=False).returncode == 0:
            self.mounted = True
        return self

    def __exit__(self, *exc):
        if self.mounted:
            sh(["umount", "-l", str(self.root / "proc")], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def run(self, *args, check=True):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"}
        return sh(["chroot", str(self.root), *args], check=check, env=env)

    def tree_bytes(self, rel):
        """Apparent size of the regular files under rel (relative to the rootfs)."""
        total = 0
        for dirpath, _, files in os.walk(self.root / rel):
            for f in files:
                p = os.path.join(dirpath, f)
                if os.path.isfile(p) and not os.path.islink(p):
                    total += os.path.getsize(p)
        return total


def package_index(chroot):
    """(name, version, arch) -> (Installed-Size bytes, Size bytes), from the apt lists."""
    targets = chroot.run("apt-get", "indextargets", "--format", "$(FILENAME)",
                         "Created-By: Packages").stdout.split()
    index = {}
    for target in targets:
        text = chroot.run("/usr/lib/apt/apt-helper", "cat-file", target).stdout
        for stanza in text.split("\n\n"):
            fields = dict(re.findall(r"^([A-Za-z-]+): ?(.*)$", stanza, re.M))
            if "Package" in fields and "Version" in fields:
                key = (fields["Package"], fields["Version"], fields.get("Architecture", ""))
                index[key] = (int(fields.get("Installed-Size", "0")) * 1024, int(fields.get("Size", "0")))
    return index


def simulate(chroot, pkg, recommends):
    """Packages `apt-get install` would unpack, as (name, version, arch); None if pkg is unknown."""
    # The image's docker-clean config disables apt's binary cache, so every apt-get would rebuild
    # it from the lists; keep one in the throw-away copy (it changes no result, only the speed).
    args = ["apt-get", "install", "-s", "-y", "-q",
            "-o", "Dir::Cache::pkgcache=/var/cache/apt/pkgcache.bin",
            "-o", "Dir::Cache::srcpkgcache=/var/cache/apt/srcpkgcache.bin"]
    if not recommends:
        args.append("--no-install-recommends")
    out = chroot.run(*args, pkg, check=False)
    if out.returncode != 0:
        return None, (out.stderr.strip().splitlines() or ["apt-get failed"])[-1]
    closure = []
    for line in out.stdout.splitlines():
        m = INST.match(line)
        if m:
            name, version, arch = m.group(1), m.group(2), m.group(3).split()[-1]
            closure.append((name.split(":")[0], version, arch))
    return sorted(closure), None


def sums(closure, index):
    installed = debs = 0
    for key in closure:
        inst, size = index[key]
        installed += inst
        debs += size
    return installed, debs


def measure_archives(chroot):
    chroot.run("apt-get", "clean")
    chroot.run("apt-get", "install", "-y", "-q", "-d", "--no-install-recommends", ARCHIVES_PROBE)
    size = chroot.tree_bytes("var/cache/apt/archives")
    chroot.run("apt-get", "clean")
    return size


def write_toml(path, table, table_sizes, missing, lists, archives, debian_version, apt_version):
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    lines = [
        "# Size that `apt-get install PKG` adds to a debian:bookworm-slim image (amd64).",
        "# Generated by scripts/size-tables/apt.py -- do not edit by hand; rerun the script.",
        f"# Date: {today}. Debian {SUITE} ({debian_version}) minbase rootfs, {apt_version},",
        "# sources bookworm, bookworm-updates, bookworm-security (main).",
        "# installed            = sum of Installed-Size (KiB * 1024) of every package apt would unpack",
        "#                        on the slim image with --no-install-recommends (the package + missing deps)",
        "# installed_recommends = the same without --no-install-recommends",
        "# debs                 = sum of the .deb download sizes (Size) for the --no-install-recommends set",
        "# packages(_recommends) = how many packages are unpacked in each case",
        "# lists    = bytes under /var/lib/apt/lists after `apt-get update` (gzip indexes, as in the image)",
        f"# archives = bytes of .debs left in /var/cache/apt/archives by installing {ARCHIVES_PROBE}"
        " without the docker-clean hook",
    ]
    if missing:
        lines.append("# Not found in " + SUITE + " (skipped): " + ", ".join(sorted(missing)))
    lines += [
        "",
        "version = 1",
        f"source = {toml_str('apt-get install -s on debian bookworm minbase (Installed-Size, Size)')}",
        f"date = {toml_str(today)}",
        f"suite = {toml_str(SUITE)}",
        f"lists = {lists}",
        f"archives = {archives}",
        "",
    ]
    for name in sorted(table):
        e = table[name]
        lines.append(f"[package.{toml_str(name)}]")
        for field in ("installed", "installed_recommends", "debs", "packages", "packages_recommends"):
            lines.append(f"{field} = {e[field]}")
        lines.append(f"closure = {toml_str(' '.join(e['closure']))}")
        lines.append(f"recommends = {toml_str(' '.join(e['recommends']))}")
        lines.append("")
    unpacked = sorted({n for e in table.values() for n in e["closure"] + e["recommends"]})
    lines.append("# Installed-Size of every package some closure above unpacks.")
    lines.append("[unpacked]")
    lines += [f"{toml_str(n)} = {table_sizes[n]}" for n in unpacked]
    lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rootfs", type=Path, default=DEFAULT_ROOTFS)
    ap.add_argument("--scratch", type=Path, default=DEFAULT_SCRATCH)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("packages", nargs="*", help="measure only these packages")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("apt.py needs root (chroot)")

    t0 = time.monotonic()
    table, missing, table_sizes = {}, {}, {}
    with Chroot(args.rootfs, args.scratch) as chroot:
        chroot.run("apt-get", "update", "-q")
        lists = chroot.tree_bytes("var/lib/apt/lists")
        index = package_index(chroot)
        debian_version = (chroot.root / "etc" / "debian_version").read_text().strip()
        apt_version = chroot.run("apt-get", "--version").stdout.splitlines()[0]
        archives = measure_archives(chroot)
        for pkg in sorted(set(args.packages or PACKAGES + SAMPLED + base_packages())):
            plain, err = simulate(chroot, pkg, recommends=False)
            if plain is None:
                missing[pkg] = err
                print(f"MISSING {pkg}: {err}", file=sys.stderr)
                continue
            with_rec, err = simulate(chroot, pkg, recommends=True)
            installed, debs = sums(plain, index)
            table[pkg] = {
                "installed": installed,
                "installed_recommends": sums(with_rec, index)[0],
                "debs": debs,
                "packages": len(plain),
                "packages_recommends": len(with_rec),
                "closure": sorted({n for n, _, _ in plain}),
                "recommends": sorted({n for n, _, _ in with_rec} - {n for n, _, _ in plain}),
            }
            for key in plain + with_rec:
                table_sizes[key[0]] = index[key][0]
            print(f"{pkg}: {installed / 1e6:.1f} MB in {len(plain)} packages", file=sys.stderr)
    write_toml(args.output, table, table_sizes, missing, lists, archives, debian_version, apt_version)
    print(f"wrote {args.output}: {len(table)} packages, {len(missing)} missing, lists {lists} B, "
          f"archives {archives} B, {time.monotonic() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
