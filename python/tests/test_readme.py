"""The README's Python examples run as written."""

import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    examples = python_examples()
    assert len(examples) >= 2, "the README's Python examples moved"
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN apk add curl=8\nCMD python app.py\n")
    monkeypatch.chdir(tmp_path)
    for example in examples:
        exec(compile(example, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "1 FROM ['python:3.12']" in printed
    # fix_file(write=True) fixed the Dockerfile in place.
    assert "--no-cache" in (tmp_path / "Dockerfile").read_text()
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_every_public_name_has_a_docstring() -> None:
    import inspect

    import dockopt

    missing = []
    for name in dockopt.__all__:
        obj = getattr(dockopt, name)
        if name == "__version__":
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for attr, value in vars(obj).items():
                if not attr.startswith("_") and not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{attr}")
    assert not missing, missing
