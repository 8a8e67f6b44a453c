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


def _mentions(value, needle):
    # The shape of an instruction is still settling; search its serialized form.
    return needle.lower() in json.dumps(value, ensure_ascii=False).lower()


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
    for instruction, keyword in zip(instructions, KEYWORDS):
        assert _mentions(instruction, keyword), (keyword, instruction)


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


def test_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match="str or bytes"):
        dockopt.parse(42)  # type: ignore[arg-type]
