"""Files and folders: lint_file, lint_paths, fix_file, optimize_file."""

import os
import stat
import threading
import time
from pathlib import Path

import pytest

import dockopt

NAIVE = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python main.py\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_lint_file_accepts_str_and_pathlike_and_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", "FROM a\nCMD python app.py\n")
    findings = dockopt.lint_file(path)
    assert findings == dockopt.lint_file(str(path))
    assert {f.path for f in findings} == {str(path)}
    # The same findings as linting the text, but for the name.
    assert [(f.code, f.start) for f in findings] == [(f.code, f.start) for f in dockopt.lint(path.read_text())]


def test_lint_file_uses_the_configuration_above_it_unless_one_is_given(tmp_path: Path) -> None:
    path = write(tmp_path / "svc" / "Dockerfile", "FROM a\nCMD python app.py\n")
    assert "DO101" in [f.code for f in dockopt.lint_file(path)]
    write(tmp_path / "dockopt.toml", 'ignore = ["DO101"]\n')
    assert "DO101" not in [f.code for f in dockopt.lint_file(path)]
    assert "DO101" in [f.code for f in dockopt.lint_file(path, config={})]
    write(tmp_path / "dockopt.toml", 'ignore = ["NOPE"]\n')
    with pytest.raises(dockopt.ConfigError, match="NOPE"):
        dockopt.lint_file(path)


def test_lint_file_reads_the_dockerignore_beside_it(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", "FROM python:3.12-slim\nCOPY . /app\n")
    write(tmp_path / ".env", "SECRET=1\n")
    without = {f.code for f in dockopt.lint_file(path, config={})}
    write(tmp_path / ".dockerignore", ".env\n.git\n")
    with_ignore = {f.code for f in dockopt.lint_file(path, config={})}
    assert without != with_ignore, (without, with_ignore)


def test_file_errors_are_os_errors_or_input_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as missing:
        dockopt.lint_file(tmp_path / "nope")
    assert missing.value.filename == str(tmp_path / "nope")
    bad = tmp_path / "Dockerfile"
    bad.write_bytes(b"FROM a\nRUN \xff\n")
    with pytest.raises(dockopt.InputError) as caught:
        dockopt.lint_file(bad)
    assert (caught.value.offset, caught.value.path) == (11, str(bad))
    with pytest.raises(IsADirectoryError):
        dockopt.lint_file(tmp_path)
    if os.geteuid() != 0:  # root reads anything
        bad.chmod(0)
        with pytest.raises(PermissionError):
            dockopt.lint_file(bad)


def test_lint_paths_walks_folders_like_the_cli(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for name in ["b/Dockerfile", "a/api.Dockerfile", "a/README.md", "ignored/Dockerfile", ".hidden/Dockerfile"]:
        write(tree / name, "FROM a\nCMD python app.py\n")
    write(tree / ".gitignore", "ignored/\n")
    (tree / ".git").mkdir()  # .gitignore applies inside a repository
    extra = write(tmp_path / "extra" / "Containerfile", "FROM b\nCMD x\n")
    findings = dockopt.lint_paths([tree, str(extra)], config={"select": ["DO101"]})
    paths = [f.path for f in findings]
    assert paths == [str(tree / "a/api.Dockerfile"), str(tree / "b/Dockerfile"), str(extra)]
    assert dockopt.lint_paths(tree / "b", config={"select": ["DO101"]}) == findings[1:2]
    with pytest.raises(FileNotFoundError):
        dockopt.lint_paths([tree, tmp_path / "nope"])
    with pytest.raises(TypeError):
        dockopt.lint_paths(42)  # type: ignore[arg-type]


def test_lint_paths_releases_the_gil(tmp_path: Path) -> None:
    # Enough files that linting takes a while; a Python thread must keep running meanwhile.
    text = "FROM python:3.11\n" + "RUN apt-get update && apt-get install -y curl\n" * 200
    for i in range(200):
        write(tmp_path / f"s{i}" / "Dockerfile", text)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.0005)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.perf_counter()
    findings = dockopt.lint_paths(tmp_path, config={})
    elapsed = time.perf_counter() - started
    done.set()
    counter.join()
    assert len({f.path for f in findings}) == 200
    # With the GIL held the whole call, the counter would not tick at all during it.
    assert elapsed < 0.02 or ticks >= 5, (elapsed, ticks)


def test_fix_file_writes_only_when_asked_and_keeps_permissions(tmp_path: Path) -> None:
    src = "FROM alpine:3.20\nRUN apk add curl=8\nCMD python app.py\n"
    path = write(tmp_path / "Dockerfile", src)
    path.chmod(0o640)
    result = dockopt.fix_file(path, config={})
    text_result = dockopt.fix(src, {})
    assert (result.text, result.applied) == (text_result.text, text_result.applied)
    assert {f.path for f in result.remaining} == {str(path)}
    assert path.read_text() == src
    written = dockopt.fix_file(path, config={}, unsafe=True, write=True)
    assert path.read_text() == written.text != src
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"], "no temporary file left"


def test_optimize_file_uses_its_folder_as_context_and_writes_atomically(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", NAIVE)
    write(tmp_path / "requirements.txt", "flask\n")
    write(tmp_path / "main.py", "print(1)\n")
    write(tmp_path / ".pytest_cache" / "README.md", "")  # not for the image: .dockerignore it
    result = dockopt.optimize_file(path)
    assert result == dockopt.optimize(NAIVE, context=tmp_path)
    assert "cache-order" in {c.transform for c in result.changes}
    assert path.read_text() == NAIVE and not (tmp_path / ".dockerignore").exists()
    written = dockopt.optimize_file(str(path), write=True)
    assert path.read_text() == written.text == result.text
    assert written.dockerignore is not None
    assert (tmp_path / ".dockerignore").read_text() == written.dockerignore
    # Optimizing the output again changes nothing.
    assert dockopt.optimize_file(path).text == written.text
    with pytest.raises(FileNotFoundError):
        dockopt.optimize_file(tmp_path / "nope", write=True)
