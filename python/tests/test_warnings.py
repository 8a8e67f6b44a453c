"""What lint could not check reaches the caller as a DockoptWarning, as the CLI prints notes."""

import warnings
from pathlib import Path

import pytest

import dockopt

# A RUN script over 128 KiB is not analysed (the core's MAX_SCRIPT_BYTES).
LONG_RUN = "FROM alpine:3.20\nRUN " + "echo x && " * 13108 + "true\n"
ORDINARY = "FROM alpine:3.20\nRUN echo hello\n"


def test_dockopt_warning_is_a_user_warning() -> None:
    assert issubclass(dockopt.DockoptWarning, UserWarning)
    assert not issubclass(dockopt.DockoptWarning, dockopt.DockoptError)


def test_lint_warns_about_a_run_it_did_not_analyse() -> None:
    with pytest.warns(dockopt.DockoptWarning, match="not analysed") as caught:
        dockopt.lint(LONG_RUN)
    assert [str(w.message) for w in caught] == [
        "<string>: line 2: the RUN's script is longer than 128 KiB and was not analysed"
    ]
    # stacklevel: the warning names the caller's line, not dockopt's.
    assert caught[0].filename == __file__


def test_lint_file_and_lint_paths_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(LONG_RUN)
    expected = f"{path}: line 2: the RUN's script is longer than 128 KiB and was not analysed"
    with pytest.warns(dockopt.DockoptWarning, match="not analysed") as caught:
        dockopt.lint_file(path)
    assert [str(w.message) for w in caught] == [expected]
    assert caught[0].filename == __file__
    (tmp_path / "ok" / "Dockerfile").parent.mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text(ORDINARY)
    with pytest.warns(dockopt.DockoptWarning, match="not analysed") as caught:
        dockopt.lint_paths(tmp_path)
    assert [str(w.message) for w in caught] == [expected]


def test_no_warning_for_an_ordinary_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(ORDINARY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dockopt.lint(ORDINARY)
        dockopt.lint_file(path)
        dockopt.lint_paths([path])


def test_warnings_as_errors_raise() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", dockopt.DockoptWarning)
        with pytest.raises(dockopt.DockoptWarning, match="not analysed"):
            dockopt.lint(LONG_RUN)
