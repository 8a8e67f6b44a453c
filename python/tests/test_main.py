"""`python -m dockopt` is the dockopt command line."""

import json
import subprocess
import sys

import dockopt as lib

NAIVE = "FROM python:3.12\nCOPY . .\nRUN pip install flask\nCMD python app.py\n"


def dockopt(*args: str, stdin: str = "") -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "dockopt", *args], input=stdin, capture_output=True, text=True)


def test_lint_prints_the_json_the_library_returns() -> None:
    out = dockopt("lint", "--format", "json", "-", stdin=NAIVE)
    assert out.returncode == 1, out.stderr
    findings = json.loads(out.stdout)
    assert sorted(f["code"] for f in findings) == sorted(f.code for f in lib.lint(NAIVE))


def test_optimize_prints_the_rewritten_file() -> None:
    out = dockopt("optimize", "-", stdin=NAIVE)
    assert out.returncode == 0, out.stderr
    assert out.stdout == lib.optimize(NAIVE).text != NAIVE
    assert 'CMD ["python", "app.py"]' in out.stdout


def test_version_usage_errors_and_bad_input_keep_the_binarys_status() -> None:
    version = dockopt("--version")
    assert (version.returncode, version.stdout.split()[0]) == (0, "dockopt")
    assert dockopt("no-such-command").returncode == 2
    missing = dockopt("lint", "/no/such/Dockerfile")
    assert missing.returncode == 2 and "no such file" in missing.stderr
