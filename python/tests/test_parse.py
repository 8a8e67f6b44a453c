import json

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


def test_version():
    assert isinstance(dockopt.__version__, str)
    assert dockopt.__version__.count(".") >= 2


def test_model_is_plain_data():
    model = dockopt.parse(DOCKERFILE)
    assert isinstance(model, dict)
    # Plain data survives a JSON round trip unchanged.
    assert json.loads(json.dumps(model)) == model


def test_model_lists_instructions():
    model = dockopt.parse(DOCKERFILE)
    instructions = model["instructions"]
    assert isinstance(instructions, list)
    # The comment and the parser directive are not instructions.
    assert len(instructions) == len(KEYWORDS)
    assert [i["keyword"] for i in instructions] == KEYWORDS
    cmd = instructions[-1]
    assert (cmd["form"], cmd["arguments"]) == ("exec", ["python", "app.py"])
    assert cmd["span"]["start"] == {"line": 6, "column": 1, "offset": DOCKERFILE.index("CMD"), "column_utf16": 1}


def test_model_resolves_stages_and_heredocs():
    model = dockopt.parse("ARG V=3.12\nFROM python:${V}-slim AS app\nCOPY <<EOF /x\nhi\nEOF\n")
    stage = model["stages"][0]
    assert stage["name"] == "app"
    assert stage["image"] == {"registry": None, "repository": "python", "tag": "3.12-slim", "digest": None}
    heredoc = model["instructions"][2]["heredocs"][0]
    assert (heredoc["name"], heredoc["content"], heredoc["expand"]) == ("EOF", "hi\n", True)


def test_buildkit_rejections_are_reported_not_raised():
    model = dockopt.parse("FROM a\nENV x\n")
    assert model["errors"][0]["message"] == "ENV must have two arguments"
    assert model["errors"][0]["span"]["start"]["line"] == 2


def test_bytes_input_matches_str_input():
    assert dockopt.parse(DOCKERFILE.encode()) == dockopt.parse(DOCKERFILE)


def test_non_ascii_text():
    text = 'FROM alpine\nLABEL description="café ☕"\n'
    assert dockopt.parse(text.encode()) == dockopt.parse(text)
    assert len(dockopt.parse(text)["instructions"]) == 2


def test_empty_input():
    assert dockopt.parse("")["instructions"] == []


def test_invalid_utf8_raises_with_offset():
    data = b"FROM alpine\nRUN echo \xff\n"
    with pytest.raises(dockopt.DockoptError, match=r"\b21\b"):
        dockopt.parse(data)


def test_error_is_a_value_error():
    assert issubclass(dockopt.DockoptError, ValueError)
    with pytest.raises(ValueError):
        dockopt.parse(b"\xc3")


def test_errors_say_what_kind_they_are():
    assert issubclass(dockopt.InputError, dockopt.DockoptError)
    assert issubclass(dockopt.ConfigError, dockopt.DockoptError)
    for call in (dockopt.parse, dockopt.lint, dockopt.fix, dockopt.optimize, dockopt.analyze):
        with pytest.raises(dockopt.InputError) as caught:
            call(b"FROM alpine\nRUN echo \xff\n")
        assert caught.value.offset == 21, call
    for call in (dockopt.lint, dockopt.fix):
        with pytest.raises(dockopt.ConfigError, match="NOPE"):
            call("FROM a\n", {"select": ["NOPE"]})
        with pytest.raises(dockopt.ConfigError, match="selct"):
            call("FROM a\n", {"selct": []})


def test_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match="str or bytes"):
        dockopt.parse(42)  # type: ignore[arg-type]


def test_lint_returns_findings_with_positions():
    src = "FROM a\nRUN apt-get update\nCMD python app.py\n"
    assert "DO101" in [f["code"] for f in dockopt.lint(src)]
    findings = dockopt.lint(src, {"select": ["DO300", "DL3025"]})
    codes = [f["code"] for f in findings]
    assert codes == ["DO300", "DO101"]
    assert findings[1]["start"] == {"line": 3, "column": 5, "offset": 30, "column_utf16": 5}
    assert "hadolint:DL3025" in findings[1]["upstream"]
    assert findings[1]["fix"]["available"] is True


def test_lint_config_selects_and_ignores():
    src = "FROM a\nCMD python app.py\n"
    assert dockopt.lint(src, {"select": ["DO101"], "ignore": ["DL3025"]}) == []
    strict = dockopt.lint(src, {"select": ["DO101"], "severity": {"DO101": "error"}})
    assert [f["severity"] for f in strict] == ["error"]
    with pytest.raises(dockopt.DockoptError, match="NOPE"):
        dockopt.lint(src, {"select": ["NOPE"]})
    with pytest.raises(dockopt.DockoptError, match="selct"):
        dockopt.lint(src, {"selct": []})


def test_rules_catalogue():
    rules = dockopt.rules()
    by_code = {r["code"]: r for r in rules}
    assert by_code["DO101"]["name"] == "shell-form-command"
    assert "## What it does" in by_code["DO101"]["docs"]


def test_fix_applies_safe_fixes_and_unsafe_on_request():
    src = "FROM alpine:3.20\nRUN apk add curl=8\nCMD python app.py\n"
    safe = dockopt.fix(src)
    assert safe["text"] == "FROM alpine:3.20\nRUN apk add --no-cache curl=8\nCMD python app.py\n"
    assert [a["code"] for a in safe["applied"]] == ["DO322"]
    assert "DO101" in [f["code"] for f in safe["remaining"]]
    full = dockopt.fix(src, unsafe=True)
    assert full["text"].endswith('CMD ["python", "app.py"]\n')
    assert dockopt.fix(src, {"ignore": ["DO322"]})["text"] == src


def test_optimize_rewrites_and_explains(tmp_path):
    src = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD python main.py\n"
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "main.py").write_text("print(1)\n")
    context = str(tmp_path)
    out = dockopt.optimize(src, context=context)
    assert 'CMD ["python", "main.py"]' in out["text"]
    transforms = {c["transform"] for c in out["changes"]}
    assert {"base-image", "cache-order", "non-root", "exec-form"} <= transforms
    assert "USER" not in dockopt.optimize(src, context=context, disable=["non-root"])["text"]
    # Nothing would stay in a builder (no compiler): one slim stage.
    assert out["text"].startswith("FROM python:3.11-slim\n"), out["text"]
    cached = dockopt.optimize(src, context=context, cache_mounts=True)["text"]
    assert "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n" in cached
    assert "--no-cache-dir" not in cached
    alpine = dockopt.optimize(src, context=context, alpine=True, disable=["multi-stage"])["text"]
    assert alpine.startswith("FROM python:3.11-alpine\n"), alpine
    # Without the context, what depends on it is skipped with the reason, not guessed.
    bare = dockopt.optimize(src)
    assert any(s["transform"] == "cache-order" and "context" in s["reason"] for s in bare["skipped"])
