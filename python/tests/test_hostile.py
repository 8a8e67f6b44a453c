"""The hostile-input table (tests/hostile/cases.json) through the Python package: one test per
case and command, each in a child process with a time and memory limit (hostile_runner.py).
Known failures are reported as xfail and in the summary at the end; heavy cases are skipped
unless DOCKOPT_HOSTILE_BUILD=release says the installed module is a release build."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

import hostile_runner

TABLE = hostile_runner.load_table()
ONLY = [s for s in os.environ.get("DOCKOPT_HOSTILE_ONLY", "").split(",") if s]
CASES = hostile_runner.selected(TABLE, ONLY)


def test_generators_give_the_tables_bytes() -> None:
    for check in TABLE["generator_check"]:
        if isinstance(check, dict):
            assert hostile_runner.generate(check["input"]).hex() == check["hex"], check


@pytest.mark.parametrize(("case", "command"), CASES, ids=[f"{c['name']}-{cmd}" for c, cmd in CASES])
def test_hostile(case: dict[str, Any], command: str, summary: Callable[[str], None]) -> None:
    outcome = hostile_runner.run_case(TABLE, case, command)
    if outcome.result != "ok":
        summary("hostile: " + outcome.line())
    if outcome.result == "SKIPPED":
        pytest.skip(outcome.note)
    if outcome.result == "KNOWN":
        pytest.xfail(outcome.note)
    assert outcome.result != "FAIL", outcome.line()
