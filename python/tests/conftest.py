import pytest

_SUMMARY = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[_SUMMARY] = []


@pytest.fixture
def summary(request):
    """Append a line to the summary printed at the end of the run (visible without -s)."""
    return request.config.stash[_SUMMARY].append


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(_SUMMARY, [])
    if lines:
        terminalreporter.section("corpus summary")
        for line in lines:
            terminalreporter.write_line(line)
