"""parse, lint, fix and optimize on text: typed objects in, typed results out."""

import json
from pathlib import Path

import pytest

import dockopt

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"""


KEYWORDS = ["FROM", "WORKDIR", "COPY", "RUN", "CMD"]


def test_version() -> None:
    assert isinstance(dockopt.__version__, str)
    assert dockopt.__version__.count(".") >= 2


def test_str_gives_back_the_text() -> None:
    for text in (DOCKERFILE, "", "from a\r\nrun \\\r\n  x\r\n", "\ufeffFROM a\n# escape=`\n"):
        df = dockopt.parse(text)
        assert str(df) == text
        assert df.text == text


def test_to_dict_is_plain_data_of_the_model() -> None:
    model = dockopt.parse(DOCKERFILE).to_dict()
    assert isinstance(model, dict)
    # Plain data survives a JSON round trip unchanged.
    assert json.loads(json.dumps(model)) == model
    assert [i["keyword"] for i in model["instructions"]] == KEYWORDS


def test_instructions_are_typed() -> None:
    df = dockopt.parse(DOCKERFILE)
    instructions = df.instructions
    # The comment and the parser directive are not instructions.
    assert [i.keyword for i in instructions] == KEYWORDS
    cmd = instructions[-1]
    assert isinstance(cmd, dockopt.Instruction)
    assert (cmd.form, cmd.arguments) == ("exec", ["python", "app.py"])
    assert cmd.span.start == dockopt.parse(DOCKERFILE).instructions[-1].span.start
    start = cmd.span.start
    assert (start.line, start.column, start.offset, start.column_utf16) == (6, 1, DOCKERFILE.index("CMD"), 1)
    assert cmd.to_dict() == df.to_dict()["instructions"][-1]
    assert [d.name for d in df.directives] == ["syntax"]
    assert df.escape == "\\"


def test_flags_pairs_heredocs_and_onbuild() -> None:
    text = (
        "ARG V=3.12\nFROM python:${V}-slim AS app\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n"
        'ENV A=1 B="two words"\nCOPY <<EOF /x\nhi\nEOF\nONBUILD RUN make\n'
    )
    df = dockopt.parse(text)
    run, env, copy, onbuild = df.instructions[2:]
    assert [(f.name, f.value) for f in run.flags] == [("mount", "type=cache,target=/root/.cache"), ("network", "none")]
    assert [(p.key, p.value, p.resolved) for p in env.pairs] == [("A", "1", "1"), ("B", '"two words"', "two words")]
    heredoc = copy.heredocs[0]
    assert (heredoc.name, heredoc.content, heredoc.expand, heredoc.chomp) == ("EOF", "hi\n", True, False)
    assert heredoc.span.start.line == 6
    assert onbuild.onbuild is not None and onbuild.onbuild.keyword == "RUN"
    assert run.onbuild is None
    assert [v.name for v in df.global_args] == ["V"]


def test_stages_resolve_their_base_image() -> None:
    df = dockopt.parse("ARG V=3.12\nFROM python:${V}-slim AS app\nRUN x\nFROM app\nFROM scratch\n")
    app, child, empty = df.stages
    assert isinstance(app, dockopt.Stage)
    assert (app.index, app.name, app.base, app.base_resolved) == (0, "app", "python:${V}-slim", "python:3.12-slim")
    image = app.base_image
    assert image is not None
    assert (image.registry, image.repository, image.tag, image.digest) == (None, "python", "3.12-slim", None)
    assert [i.keyword for i in app.instructions] == ["FROM", "RUN"]
    assert child.base_stage == 0 and child.base_image is None
    assert empty.scratch
    assert app.to_dict()["instructions"] == [1, 2]
    assert app == dockopt.parse(str(df)).stages[0] and app != child


def test_objects_compare_by_value_and_have_a_readable_repr() -> None:
    a, b = dockopt.parse(DOCKERFILE), dockopt.parse(DOCKERFILE)
    assert a == b and hash(a) == hash(b) and a != dockopt.parse("FROM a\n")
    assert a.instructions == b.instructions
    assert repr(a) == "Dockerfile(stages=1, instructions=5, bytes=%d)" % len(DOCKERFILE.encode())
    assert repr(a.stages[0]) == "Stage(index=0, name='base', base='python:3.12-slim')"
    assert repr(a.directives[0].span.start) == "Position(line=1, column=1, offset=0, column_utf16=1)"
    assert repr(a.instructions[1]).startswith("Instruction(keyword='WORKDIR', text='WORKDIR /app', span=Span(")
    with pytest.raises(AttributeError):
        a.instructions[0].keyword = "RUN"  # type: ignore[misc]


def test_buildkit_rejections_are_reported_not_raised() -> None:
    df = dockopt.parse("FROM a\nENV x\n")
    assert df.errors[0].message == "ENV must have two arguments"
    assert df.errors[0].span.start.line == 2


def test_bytes_input_matches_str_input() -> None:
    assert dockopt.parse(DOCKERFILE.encode()) == dockopt.parse(DOCKERFILE)
    assert dockopt.parse(DOCKERFILE.encode()).to_dict() == dockopt.parse(DOCKERFILE).to_dict()


def test_non_ascii_positions_count_characters_and_utf16_units() -> None:
    text = 'FROM alpine\nLABEL d="café 🐳" \\\n  e=1\n'
    df = dockopt.parse(text)
    assert dockopt.parse(text.encode()) == df
    assert len(df.instructions) == 2
    end = df.instructions[1].span.end
    # Line 3 is ASCII: all three columns agree; on line 2 the whale is 1 char, 2 UTF-16 units.
    assert (end.line, end.column, end.column_utf16) == (3, 6, 6)
    finding = [f for f in dockopt.lint('FROM a\nLABEL d="🐳" \nCMD x\n') if f.code == "DO101"][0]
    assert (finding.start.line, finding.start.column) == (3, 5)


def test_empty_input() -> None:
    assert dockopt.parse("").instructions == []


def test_invalid_utf8_raises_with_offset() -> None:
    data = b"FROM alpine\nRUN echo \xff\n"
    with pytest.raises(dockopt.DockoptError, match=r"\b21\b"):
        dockopt.parse(data)


def test_error_is_a_value_error() -> None:
    assert issubclass(dockopt.DockoptError, ValueError)
    with pytest.raises(ValueError):
        dockopt.parse(b"\xc3")


def test_errors_say_what_kind_they_are() -> None:
    assert issubclass(dockopt.InputError, dockopt.DockoptError)
    assert issubclass(dockopt.ConfigError, dockopt.DockoptError)
    for call in (dockopt.parse, dockopt.lint, dockopt.fix, dockopt.optimize, dockopt.analyze):
        with pytest.raises(dockopt.InputError) as caught:
            call(b"FROM alpine\nRUN echo \xff\n")
        assert caught.value.offset == 21, call
        assert caught.value.path is None
    for lint_or_fix in (dockopt.lint, dockopt.fix):
        with pytest.raises(dockopt.ConfigError, match="NOPE"):
            lint_or_fix("FROM a\n", {"select": ["NOPE"]})
        with pytest.raises(dockopt.ConfigError, match="selct"):
            lint_or_fix("FROM a\n", {"selct": []})


def test_wrong_type_raises_type_error() -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        dockopt.parse(42)  # type: ignore[arg-type]


def test_lint_returns_typed_findings_with_positions() -> None:
    src = "FROM a\nRUN apt-get update\nCMD python app.py\n"
    assert "DO101" in [f.code for f in dockopt.lint(src)]
    findings = dockopt.lint(src, {"select": ["DO300", "DL3025"]})
    assert [f.code for f in findings] == ["DO300", "DO101"]
    cmd = findings[1]
    assert isinstance(cmd, dockopt.Finding)
    assert cmd.start == dockopt.lint(src, {"select": ["DL3025"]})[0].start
    assert (cmd.start.line, cmd.start.column, cmd.start.offset) == (3, 5, 30)
    assert "hadolint:DL3025" in cmd.upstream
    assert cmd.severity in ("error", "warning", "info", "style")
    assert cmd.fix is not None and cmd.fix.applicability == "unsafe"
    edit = cmd.fix.edits[0]
    assert src[: edit.start] + edit.content + src[edit.end :] == src.replace("python app.py", '["python", "app.py"]')
    assert findings[0].fix is not None and findings[0].fix.applicability == "safe"
    assert dockopt.lint("FROM a\n", {"select": ["DO295"]})[0].fix is None


def test_finding_to_dict_is_the_json_output(tmp_path: Path) -> None:
    src = "FROM a\nRUN apt-get update\nCMD python app.py\n"
    path = tmp_path / "Dockerfile"
    path.write_text(src)
    import subprocess
    import sys

    printed = subprocess.run(
        [sys.executable, "-m", "dockopt", "lint", "--no-config", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    ).stdout
    assert [f.to_dict() for f in dockopt.lint_file(path, config={})] == json.loads(printed)


def test_lint_config_selects_and_ignores() -> None:
    src = "FROM a\nCMD python app.py\n"
    assert dockopt.lint(src, {"select": ["DO101"], "ignore": ["DL3025"]}) == []
    strict = dockopt.lint(src, {"select": ["DO101"], "severity": {"DO101": "error"}})
    assert [f.severity for f in strict] == ["error"]
    with pytest.raises(dockopt.DockoptError, match="NOPE"):
        dockopt.lint(src, {"select": ["NOPE"]})
    with pytest.raises(dockopt.DockoptError, match="selct"):
        dockopt.lint(src, {"selct": []})


def test_rules_catalogue() -> None:
    rules = dockopt.rules()
    by_code = {r["code"]: r for r in rules}
    assert by_code["DO101"]["name"] == "shell-form-command"
    assert "## What it does" in by_code["DO101"]["docs"]


def test_fix_applies_safe_fixes_and_unsafe_on_request() -> None:
    src = "FROM alpine:3.20\nRUN apk add curl=8\nCMD python app.py\n"
    safe = dockopt.fix(src)
    assert isinstance(safe, dockopt.FixResult)
    assert safe.text == "FROM alpine:3.20\nRUN apk add --no-cache curl=8\nCMD python app.py\n"
    assert [(a.code, a.applicability) for a in safe.applied] == [("DO322", "safe")]
    assert "DO101" in [f.code for f in safe.remaining]
    full = dockopt.fix(src, unsafe=True)
    assert full.text.endswith('CMD ["python", "app.py"]\n')
    assert dockopt.fix(src, {"ignore": ["DO322"]}).text == src
    assert safe == dockopt.fix(src) and safe != full
    assert safe.to_dict()["applied"][0]["code"] == "DO322"


def test_optimize_rewrites_and_explains(tmp_path: Path) -> None:
    src = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD python main.py\n"
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "main.py").write_text("print(1)\n")
    out = dockopt.optimize(src, context=tmp_path)
    assert isinstance(out, dockopt.OptimizeResult)
    assert out == dockopt.optimize(src, context=str(tmp_path))
    assert 'CMD ["python", "main.py"]' in out.text
    transforms = {c.transform for c in out.changes}
    assert {"base-image", "cache-order", "non-root", "exec-form"} <= transforms
    assert all(c.title and c.why for c in out.changes)
    assert "USER" not in dockopt.optimize(src, context=tmp_path, disable=["non-root"]).text
    # Nothing would stay in a builder (no compiler): one slim stage.
    assert out.text.startswith("FROM python:3.11-slim\n"), out.text
    cached = dockopt.optimize(src, context=tmp_path, cache_mounts=True).text
    assert "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n" in cached
    assert "--no-cache-dir" not in cached
    alpine = dockopt.optimize(src, context=tmp_path, alpine=True, disable=["multi-stage"]).text
    assert alpine.startswith("FROM python:3.11-alpine\n"), alpine
    # Without the context, what depends on it is skipped with the reason, not guessed.
    bare = dockopt.optimize(src)
    assert any(s.transform == "cache-order" and "context" in s.reason for s in bare.skipped)
    assert out.to_dict()["text"] == out.text
