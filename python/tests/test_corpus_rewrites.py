"""`optimize` and `fix --unsafe` on every real-world Dockerfile of the corpus.

For each rewrite: BuildKit's own parser (PyPI `dockerfile`) still accepts the output when it
accepted the input, a second run changes nothing, and every input line the rewrite removed is
explained: it reappears elsewhere (moved), or it belongs to an instruction the rewrite may edit.

`dockerfile` 3.4.0 wraps BuildKit v0.12.5, which rejects some newer syntax (e.g. blanks after
`<<`), so only a change from accepted to rejected counts. The corpus is ../shared/corpus next to
the repository (or $DOCKOPT_CORPUS), as for tests/robustness.rs.
"""

import difflib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import dockerfile
import pytest

import dockopt

REPO = Path(__file__).resolve().parents[2]

# The instruction keywords each optimize transform may edit (see crates/dockopt/src/optimize/).
# Transforms that only insert lines (python-env's ENV, healthcheck's HEALTHCHECK, non-root's
# RUN and USER) still list what they may touch, in case an insertion lands inside a line.
EDITABLE = {
    "base-image": {"FROM"},  # DO390 rewrites the image tag
    "cache-order": {"COPY", "ADD", "RUN"},  # moves `COPY .`, adds a manifests COPY before the install
    "package-caches": {"RUN"},  # cache flags, `-y`, `rm -rf /var/lib/apt/lists/*`
    "secrets": {"ENV", "ARG", "RUN"},  # drops secret entries, adds secret mounts to RUN
    "non-root": {"COPY", "ADD", "RUN", "USER"},  # `--chown` on context copies
    "exec-form": {"CMD", "ENTRYPOINT"},  # DO101
    "python-env": {"ENV"},  # DO591
    "healthcheck": {"HEALTHCHECK"},
    "dockerignore": set(),  # writes .dockerignore, never the Dockerfile
}
# Rebuilds the whole file as builder + runner: no line-level promise to check.
WHOLE_FILE = {"multi-stage"}


def corpus_root() -> Path:
    return Path(os.environ.get("DOCKOPT_CORPUS") or REPO.parent / "shared" / "corpus")


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    """(name, text) of every UTF-8 file of realworld/, its manifest left out."""
    root = corpus_root() / "realworld"
    if not root.is_dir():
        pytest.skip(f"corpus not found at {root} (set DOCKOPT_CORPUS): the corpus checks did not run")
    files: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == "MANIFEST.tsv":
            continue
        try:
            files.append((str(path.relative_to(root)), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue
    assert len(files) > 600, f"only {len(files)} corpus files under {root}"
    return files


def buildkit_accepts(text: str) -> bool:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


@pytest.fixture(scope="module")
def accepted(corpus: list[tuple[str, str]]) -> dict[str, bool]:
    """Whether BuildKit v0.12.5 parses each input, by name."""
    return {name: buildkit_accepts(text) for name, text in corpus}


def instruction_lines(text: str) -> dict[int, str]:
    """Line number -> keyword of the instruction covering it (ONBUILD's trigger keyword for
    ONBUILD lines). Lines outside instructions (comments, blanks, directives) are absent."""
    lines = {}
    for ins in dockopt.parse(text).instructions:
        keyword = (ins.onbuild or ins).keyword
        for line in range(ins.span.start.line, ins.span.end.line + 1):
            lines[line] = keyword
    return lines


def unexplained_removals(before: str, after: str, editable: Callable[[int], bool]) -> list[int]:
    """Input line numbers the rewrite removed that reappear nowhere in the output and for which
    `editable(line)` is false."""
    old, new = before.split("\n"), after.split("\n")
    # autojunk would treat frequent lines (blanks) as noise in files over 200 lines.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed: list[int] = []
    added: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            removed.extend(range(i1, i2))
        if tag in ("insert", "replace"):
            added.update(new[j1:j2])
    # Between identical lines (blanks) the diff picks which copy was removed arbitrarily: a
    # removed line may trade places with an identical kept line that the rewrite may edit.
    gone = set(removed)
    swappable = Counter(line for i, line in enumerate(old) if i not in gone and editable(i + 1))
    unexplained = []
    for i in removed:
        if added[old[i]]:
            added[old[i]] -= 1  # moved, e.g. `COPY . .` after the install by cache-order
        elif editable(i + 1):
            continue
        elif swappable[old[i]]:
            swappable[old[i]] -= 1
        else:
            unexplained.append(i + 1)
    return unexplained


def test_line_check_accepts_moves_and_allowed_edits_and_catches_the_rest() -> None:
    before = "# keep\nFROM a\nCOPY . .\nRUN pip install -r r.txt\n\nCMD x\n"
    run_only = {4}.__contains__
    moved = "# keep\nFROM a\nRUN pip install --no-cache-dir -r r.txt\nCOPY . .\n\nCMD x\n"
    assert unexplained_removals(before, moved, run_only) == []
    no_comment = before.replace("# keep\n", "")
    assert unexplained_removals(before, no_comment, run_only) == [1]
    new_cmd = before.replace("CMD x", 'CMD ["x"]')
    assert unexplained_removals(before, new_cmd, run_only) == [6]
    no_blank = before.replace("\n\n", "\n")
    assert unexplained_removals(before, no_blank, run_only) == [5]


def describe(name: str, text: str, lines: list[int]) -> str:
    old = text.split("\n")
    shown = "; ".join(f"{n}: {old[n - 1]!r}" for n in lines[:5])
    return f"{name}: lines {shown}"


@pytest.mark.parametrize("buildkit", [False, True], ids=["plain", "buildkit"])
def test_optimize_keeps_buildkit_parse_is_stable_and_local(
    corpus: list[tuple[str, str]], accepted: dict[str, bool], summary: Callable[[str], None], buildkit: bool
) -> None:
    rejected, unstable, nonlocal_edits = [], [], []
    per_transform: Counter[str] = Counter()
    changed = whole_file = 0
    for name, text in corpus:
        out = dockopt.optimize(text, buildkit=buildkit)
        if out.text == text:
            continue
        changed += 1
        transforms = {c.transform for c in out.changes}
        per_transform.update(transforms)
        if accepted[name] and not buildkit_accepts(out.text):
            rejected.append(f"{name}: {sorted(transforms)}")
        again = dockopt.optimize(out.text, buildkit=buildkit)
        if again.text != out.text:
            unstable.append(f"{name}: {[c.transform for c in again.changes]}")
        if transforms & WHOLE_FILE:
            whole_file += 1
            continue
        allowed = set().union(*(EDITABLE[t] for t in transforms))
        keywords = instruction_lines(text)
        lines = unexplained_removals(text, out.text, lambda n: keywords.get(n) in allowed)
        if lines:
            nonlocal_edits.append(f"{describe(name, text, lines)} by {sorted(transforms)}")
    summary(
        f"optimize (buildkit={buildkit}): {len(corpus)} files, {changed} changed; files changed per transform: "
        + ", ".join(f"{t} {n}" for t, n in sorted(per_transform.items()))
        + f"; line check skipped for {whole_file} whole-file rewrites"
    )
    assert not rejected, "BuildKit v0.12.5 rejects the output:\n" + "\n".join(rejected)
    assert not unstable, "a second run changed:\n" + "\n".join(unstable)
    assert not nonlocal_edits, "lines removed outside the instructions the transforms edit:\n" + "\n".join(
        nonlocal_edits
    )


def finding_lines(text: str, codes: set[str]) -> set[int]:
    """The lines a finding of one of `codes` may change: the instructions it points into and
    every line its fix's edits cover (DO360 joins a RUN onto the previous one by replacing the
    gap from the end of that RUN, blank lines included)."""
    data = text.encode()

    def line_of(offset: int) -> int:  # edit ranges are byte offsets
        return data.count(b"\n", 0, offset) + 1

    spans = [(ins.span.start.line, ins.span.end.line) for ins in dockopt.parse(text).instructions]
    lines: set[int] = set()
    for f in dockopt.lint(text):
        if f.code not in codes:
            continue
        first, last = f.start.line, f.end.line
        for start, end in spans:
            if start <= last and first <= end:
                lines.update(range(start, end + 1))
        for edit in f.fix.edits if f.fix else []:
            lines.update(range(line_of(edit.start), line_of(edit.end) + 1))
    return lines


def test_fix_unsafe_keeps_buildkit_parse_is_stable_and_local(
    corpus: list[tuple[str, str]], accepted: dict[str, bool], summary: Callable[[str], None]
) -> None:
    rejected, unstable, nonlocal_edits = [], [], []
    per_rule: Counter[str] = Counter()
    changed = 0
    for name, text in corpus:
        out = dockopt.fix(text, None, True)
        if out.text == text:
            continue
        changed += 1
        codes = {a.code for a in out.applied}
        per_rule.update(a.code for a in out.applied)
        if accepted[name] and not buildkit_accepts(out.text):
            rejected.append(f"{name}: {sorted(codes)}")
        again = dockopt.fix(out.text, None, True)
        if again.text != out.text:
            unstable.append(f"{name}: {[a.code for a in again.applied]}")
        editable = finding_lines(text, codes)
        lines = unexplained_removals(text, out.text, editable.__contains__)
        if lines:
            nonlocal_edits.append(f"{describe(name, text, lines)} by {sorted(codes)}")
    summary(
        f"fix --unsafe: {len(corpus)} files, {changed} changed, {sum(per_rule.values())} fixes applied "
        f"from {len(per_rule)} rules: " + ", ".join(f"{c} {n}" for c, n in sorted(per_rule.items()))
    )
    assert not rejected, "BuildKit v0.12.5 rejects the output:\n" + "\n".join(rejected)
    assert not unstable, "a second run changed:\n" + "\n".join(unstable)
    assert not nonlocal_edits, "lines removed outside the instructions the fixes point at:\n" + "\n".join(
        nonlocal_edits
    )
