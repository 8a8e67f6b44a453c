from collections.abc import Callable

import pytest

_SUMMARY = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SUMMARY] = []


@pytest.fixture
def summary(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Append a line to the summary printed at the end of the run (visible without -s)."""
    return request.config.stash[_SUMMARY].append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(_SUMMARY, [])
    if lines:
        terminalreporter.section("corpus summary")
        for line in lines:
            terminalreporter.write_line(line)
