#!/usr/bin/env python3
"""Does an image's metadata still carry a secret that a Dockerfile put into ENV or ARG?

    secret_scan.py values DOCKERFILE          names of the secret-looking ENV/ARG with a value
    secret_scan.py scan DOCKERFILE FILE...    exit 0 and print `clean`, or exit 1 and print
                                              `LEAKED(NAME,...)` when any of those values occurs
                                              in one of the FILEs (podman history/inspect output)

Extra values come from E2E_SECRET_VALUES (newline-separated), for secrets the naive Dockerfile
does not spell out. Values are never printed: only the variable names (or `extra#N`) are.
`n/a` means there was nothing to look for.

Why our own small parser and not dockopt: the harness checks dockopt, so it must not trust it.
"""
import os
import re
import shlex
import sys

# Names that say "secret". GPG_KEY / *_KEY_ID name public key fingerprints (the official python
# images set GPG_KEY), so a bare KEY is not enough.
SECRET_NAME = re.compile(
    r"(SECRET|TOKEN|PASSW(OR)?D|PASSPHRASE|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)",
    re.IGNORECASE,
)
NOT_SECRET = re.compile(r"(^GPG_KEY$|_KEY_ID$|^PGP_KEY)", re.IGNORECASE)


def logical_lines(text):
    """Dockerfile lines with backslash continuations joined and comment lines dropped."""
    out, cur = [], ""
    for raw in text.splitlines():
        if not cur and raw.lstrip().startswith("#"):
            continue
        if raw.rstrip().endswith("\\"):
            cur += raw.rstrip()[:-1] + " "
            continue
        out.append(cur + raw)
        cur = ""
    if cur:
        out.append(cur)
    return out


def secrets(dockerfile):
    """[(name, value)] for every ENV/ARG whose name looks secret and whose value is not empty."""
    found = []
    for line in logical_lines(open(dockerfile, encoding="utf-8", errors="replace").read()):
        m = re.match(r"\s*(ENV|ARG)\s+(.*)$", line, re.IGNORECASE)
        if not m:
            continue
        keyword, rest = m.group(1).upper(), m.group(2).strip()
        try:
            words = shlex.split(rest)
        except ValueError:
            words = rest.split()
        pairs = []
        if words and "=" not in words[0] and keyword == "ENV" and len(words) > 1:
            pairs.append((words[0], rest[len(rest.split(None, 1)[0]):].strip()))  # legacy `ENV K V`
        else:
            pairs = [tuple(w.split("=", 1)) for w in words if "=" in w]
        for name, value in pairs:
            if value and SECRET_NAME.search(name) and not NOT_SECRET.search(name):
                found.append((name, value))
    extra = [v for v in os.environ.get("E2E_SECRET_VALUES", "").split("\n") if v]
    found += [(f"extra#{i + 1}", v) for i, v in enumerate(extra)]
    return found


def main(argv):
    if len(argv) >= 2 and argv[0] == "values":
        print(" ".join(name for name, _ in secrets(argv[1])) or "-")
        return 0
    if len(argv) >= 2 and argv[0] == "scan":
        wanted = secrets(argv[1])
        if not wanted:
            print("n/a")
            return 0
        blob = "".join(open(f, encoding="utf-8", errors="replace").read() for f in argv[2:])
        leaked = sorted({name for name, value in wanted if value in blob})
        print(f"LEAKED({','.join(leaked)})" if leaked else "clean")
        return 1 if leaked else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
