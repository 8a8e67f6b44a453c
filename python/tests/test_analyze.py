"""dockopt.analyze: the report card, through the binding (options in, a Report out)."""

import json
import os
import threading
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest

import dockopt
import dockopt.types

SLIM = 'FROM python:3.12-slim\nCMD ["python","app.py"]\n'
COPY_ALL = 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python","/app/app.py"]\n'


@pytest.fixture
def context(tmp_path: Path) -> Path:
    """app.py (1000 bytes), a .dockerignore leaving out secret.env, and secret.env."""
    (tmp_path / "app.py").write_bytes(b"#" * 999 + b"\n")
    (tmp_path / ".dockerignore").write_text("secret.env\n")
    (tmp_path / "secret.env").write_text("API_TOKEN=0123456789abcdef\n")
    return tmp_path


def test_estimates_from_the_base_image_table() -> None:
    report = dockopt.analyze(SLIM)
    assert isinstance(report, dockopt.Report)
    assert set(report.to_dict()) == {"schema", "image", "stages", "rebuild", "context", "security", "sources"}
    image, stage = report.image, report.stages[0]
    assert stage["base"] == image["base"] == "python:3.12-slim"
    assert stage["base_basis"] == "estimated"
    # CMD adds no layer: the image is the table's python slim figure.
    assert 50_000_000 < stage["base_bytes"] < 300_000_000
    assert image["size_bytes"] == stage["base_bytes"] == image["estimated_bytes"]
    assert image["size_basis"] == "estimated"
    assert image["layers"] == 0
    assert report.context is None
    security = report.security
    assert security["root"] is True
    assert security["user_line"] is None
    assert security["healthcheck"] is None
    assert security["cmd_form"] == "exec"
    assert any(s["table"] == "base images" for s in report.sources)
    assert report.size_bytes == image["size_bytes"]
    assert repr(report).startswith(f"Report(size_bytes={image['size_bytes']}, image={{")
    # to_dict() is plain data: it survives a JSON round trip unchanged.
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data


def test_given_base_size_wins_over_the_table() -> None:
    report = dockopt.analyze(SLIM, base_sizes={"python:3.12-slim": 123})
    assert report.image["size_bytes"] == 123
    assert report.image["size_basis"] == "given"
    assert report.stages[0]["base_basis"] == "given"
    # A size for another image changes nothing.
    other = dockopt.analyze(SLIM, base_sizes={"node:22-slim": 123})
    assert other.image == dockopt.analyze(SLIM).image
    # Sizes past 4 GiB stay exact.
    big = dockopt.analyze(SLIM, base_sizes={"python:3.12-slim": 5 * 2**30 + 1})
    assert big.image["size_bytes"] == 5 * 2**30 + 1


def test_context_scan_and_rebuild_of_a_source_change(context: Path) -> None:
    report = dockopt.analyze(COPY_ALL, context=str(context))
    scan = report.context
    assert scan is not None
    assert scan["dockerignore"] is True
    # app.py and .dockerignore are sent; secret.env only without the .dockerignore.
    assert scan["sent"]["files"] == 2
    assert scan["sent"]["bytes"] == 1000 + len("secret.env\n")
    assert scan["without_dockerignore"]["files"] == 3
    # The COPY is measured from the context.
    copy = report.stages[0]["instructions"][0]
    assert (copy["keyword"], copy["basis"], copy["bytes"]) == ("COPY", "measured", scan["sent"]["bytes"])
    assert report.image["layers"] == 1
    scenarios = {s["change"]: s for s in report.rebuild["scenarios"]}
    source = scenarios["source"]
    assert source["files"] == ["app.py"]
    assert source["from_context"] is True
    assert [(r["keyword"], r["line"]) for r in source["reruns"]] == [("COPY", 2), ("CMD", 3)]
    assert scenarios["nothing"]["reruns"] == []
    # A pathlib.Path works as well as a str.
    assert dockopt.analyze(COPY_ALL, context=context) == report


def test_changed_and_target_options(context: Path) -> None:
    src = "FROM python:3.12-slim AS build\nRUN true\nFROM python:3.12-slim AS app\n" + COPY_ALL.split("\n", 1)[1]
    report = dockopt.analyze(src, context=context, changed=["./app.py"])
    files = [s for s in report.rebuild["scenarios"] if s["change"] == "files"]
    # The asked-for change, its path cleaned; the unused build stage is not built.
    assert [s["files"] for s in files] == [["app.py"]]
    assert [(r["stage"], r["keyword"], r["line"]) for r in files[0]["reruns"]] == [("app", "COPY", 4), ("app", "CMD", 5)]
    assert files[0]["steps"] == 3
    assert report.image["stage"] == "app"
    assert not any(s["change"] == "files" for s in dockopt.analyze(src, context=context).rebuild["scenarios"])
    assert dockopt.analyze(src, target="build").image["stage"] == "build"
    assert dockopt.analyze(src, target="0").image["stage"] == "build"
    assert dockopt.analyze(src, target="build").image["layers"] == 1


def test_bytes_input_matches_str_input(context: Path) -> None:
    assert dockopt.analyze(COPY_ALL.encode(), context=context) == dockopt.analyze(COPY_ALL, context=context)


def test_invalid_utf8_raises_dockopt_error() -> None:
    data = b"FROM alpine\nRUN echo \xff\n"
    with pytest.raises(dockopt.DockoptError, match=r"\b21\b"):
        dockopt.analyze(data)


def test_bad_options_raise() -> None:
    with pytest.raises(dockopt.DockoptError, match="python:3.12-slim"):
        dockopt.analyze(SLIM, base_sizes={"python:3.12-slim": -1})
    with pytest.raises(TypeError, match="int"):
        dockopt.analyze(SLIM, base_sizes={"python:3.12-slim": "big"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="dict"):
        dockopt.analyze(SLIM, base_sizes=[("python:3.12-slim", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        dockopt.analyze(42)  # type: ignore[arg-type]


def test_empty_and_garbage_text_do_not_raise() -> None:
    empty = dockopt.analyze("")
    assert empty.stages == [] and empty.image["size_basis"] == "unknown"
    assert dockopt.analyze("RUN \\\n\x00\nFROM --platform=\n").schema == 1


def test_runs_in_threads(context: Path) -> None:
    expected = dockopt.analyze(COPY_ALL, context=context)
    results: list[dockopt.Report] = []
    threads = [
        threading.Thread(target=lambda: results.append(dockopt.analyze(COPY_ALL, context=context))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_build_args_choose_the_base_and_the_branch() -> None:
    text = 'ARG FLAVOR=alpine\nFROM python:3.12-${FLAVOR}\nARG FULL\nRUN if [ "$FULL" = 1 ]; then pip install torch; fi\n'
    default = dockopt.analyze(text)
    given = dockopt.analyze(text, build_args={"FLAVOR": "slim", "FULL": "1"})
    assert default.stages[0]["image"] == "python:3.12-alpine"
    assert given.stages[0]["image"] == "python:3.12-slim"
    assert default.stages[0]["added_bytes"] == 0
    assert given.stages[0]["added_bytes"] > 100_000_000


def assert_shape(data: object, hint: Any, where: str, seen: set[str]) -> None:
    """`data` has exactly the keys and value types the TypedDicts of dockopt.types declare;
    `seen` collects the TypedDicts met."""
    if get_origin(hint) is Union:
        if data is None:
            assert type(None) in get_args(hint), where
            return
        (hint,) = [a for a in get_args(hint) if a is not type(None)]
    if hasattr(hint, "__required_keys__"):  # a TypedDict
        assert isinstance(data, dict), where
        seen.add(hint.__name__)
        fields = get_type_hints(hint)
        assert set(data) == set(fields), f"{where}: {sorted(set(data) ^ set(fields))}"
        for key, field in fields.items():
            assert_shape(data[key], field, f"{where}.{key}", seen)
    elif get_origin(hint) is list:
        assert isinstance(data, list), where
        for i, item in enumerate(data):
            assert_shape(item, get_args(hint)[0], f"{where}[{i}]", seen)
    elif get_origin(hint) is Literal:
        assert data in get_args(hint), f"{where}: {data!r}"
    else:
        assert isinstance(data, hint), f"{where}: {data!r} is not {hint}"


def test_the_typed_dicts_describe_the_report(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print(1)\n")
    (tmp_path / ".env").write_text("TOKEN=x\n")
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "index.js").write_text("1\n")
    src = (
        "FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y gcc\n"
        "FROM python:3.12-slim\nENV GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n"
        "COPY . /app\nRUN pip install flask\nCOPY --from=build /usr/bin/gcc /usr/bin/\nUSER nobody\n"
        'HEALTHCHECK CMD ["true"]\nENTRYPOINT ["python"]\nCMD ["/app/app.py"]\n'
    )
    report = dockopt.analyze(src, context=tmp_path).to_dict()
    seen: set[str] = set()
    assert_shape(report, dockopt.types.AnalyzeReport, "report", seen)
    declared = {name for name, value in vars(dockopt.types).items() if hasattr(value, "__required_keys__")}
    if os.geteuid() != 0:
        (tmp_path / "secret.key").write_text("k\n")
        (tmp_path / "secret.key").chmod(0)
        report = dockopt.analyze(src + "COPY secret.key /k\n", context=tmp_path).to_dict()
        assert_shape(report, dockopt.types.AnalyzeReport, "report", seen)
    else:
        # Root reads chmod 000 files, so nothing here can be unreadable (the hostile table's
        # context-unreadable case covers the field, run as another user by the CLI runner).
        declared.discard("AnalyzeUnreadable")
    assert seen == declared, f"not in this report, so not checked: {sorted(declared - seen)}"
