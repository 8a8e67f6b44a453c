from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Optional, Union, final

from .types import (
    AnalyzeContext,
    AnalyzeImage,
    AnalyzeRebuild,
    AnalyzeReport,
    AnalyzeSecurity,
    AnalyzeSource,
    AnalyzeStage,
    PathArg,
    Severity,
)

__all__ = [
    "ConfigError",
    "DockoptError",
    "DockoptWarning",
    "InputError",
    "fix_file",
    "lint_file",
    "lint_paths",
    "optimize_file",
    "AppliedFix",
    "Change",
    "Edit",
    "Finding",
    "Fix",
    "FixResult",
    "OptimizeResult",
    "Report",
    "Skipped",
    "Comment",
    "Directive",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "ImageRef",
    "Instruction",
    "Pair",
    "Position",
    "Problem",
    "Span",
    "Stage",
    "Variable",
    "analyze",
    "cli",
    "fix",
    "lint",
    "optimize",
    "parse",
    "rules",
    "__version__",
]

__version__: str

class DockoptError(ValueError):
    """Raised when dockopt cannot process its input (e.g. bytes that are not UTF-8)."""

class InputError(DockoptError):
    """The Dockerfile text cannot be read (bytes that are not UTF-8)."""

    offset: int
    """The byte offset of the first byte that is not UTF-8."""
    path: Optional[str]
    """The file, or None for text passed in."""

class ConfigError(DockoptError):
    """A configuration (the keys of dockopt.toml) names an unknown key, rule or value."""

class DockoptWarning(UserWarning):
    """Warned by ``lint``, ``lint_file`` and ``lint_paths`` for what could not be checked, so
    the findings may be incomplete: a RUN script longer than 128 KiB or with command
    substitutions nested too deep to analyse, a ShellCheck run that failed. The message is
    ``"<file>: <note>"`` (``<string>`` for text), as ``dockopt lint`` prints its notes; the
    warning points at the line that called the function.
    """

# --- parse ----------------------------------------------------------------------------

@final
class Position:
    """A place in the text: 1-based line, 1-based column in characters, 0-based byte
    offset, and the 1-based column in UTF-16 code units (what editors and LSP count)."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def column_utf16(self) -> int: ...
    def to_dict(self) -> dict[str, int]:
        """The same data as plain dicts, lists and scalars."""

@final
class Span:
    """A range of the text, from ``start`` to ``end`` (exclusive)."""

    @property
    def start(self) -> Position: ...
    @property
    def end(self) -> Position: ...
    def to_dict(self) -> dict[str, dict[str, int]]:
        """The same data as plain dicts, lists and scalars."""

@final
class Flag:
    """A ``--name=value`` flag of an instruction (``value`` is None for a bare ``--name``)."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Pair:
    """A key and value of ENV, LABEL or ARG."""

    @property
    def key(self) -> str: ...
    @property
    def value(self) -> Optional[str]:
        """As written (quotes kept); None for an ARG without default."""
    @property
    def resolved(self) -> Optional[str]:
        """Quotes removed and variables expanded, when every variable is known."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Heredoc:
    """A here-document of an instruction."""

    @property
    def name(self) -> str: ...
    @property
    def fd(self) -> int: ...
    @property
    def expand(self) -> bool:
        """Variables in the body are expanded (the delimiter was not quoted)."""
    @property
    def chomp(self) -> bool:
        """``<<-``: leading tabs are removed."""
    @property
    def content(self) -> str:
        """The body as written (tabs not yet removed)."""
    @property
    def span(self) -> Span: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class ImageRef:
    """An image reference split like Docker's grammar does."""

    @property
    def registry(self) -> Optional[str]:
        """Registry host (with port) when one is written; None for Docker Hub."""
    @property
    def repository(self) -> str: ...
    @property
    def tag(self) -> Optional[str]: ...
    @property
    def digest(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Optional[str]]:
        """The same data as plain dicts, lists and scalars."""

@final
class Directive:
    """A parser directive (``# syntax=``, ``# escape=``, ``# check=``)."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def span(self) -> Span: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Comment:
    """A comment line."""

    @property
    def text(self) -> str: ...
    @property
    def span(self) -> Span: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Problem:
    """What BuildKit rejects or warns about, with where."""

    @property
    def message(self) -> str: ...
    @property
    def span(self) -> Span: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Variable:
    """An ARG or ENV value in effect."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> Literal["arg", "env"]: ...
    @property
    def value(self) -> Optional[str]:
        """None when only known at build time."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Instruction:
    """One instruction of the Dockerfile."""

    @property
    def keyword(self) -> str:
        """Upper-case instruction name (``RUN``), or the word as written for unknown ones."""
    @property
    def written(self) -> str:
        """The keyword exactly as written (``run``)."""
    @property
    def known(self) -> bool:
        """Whether it is a known Dockerfile instruction."""
    @property
    def flags(self) -> list[Flag]: ...
    @property
    def form(self) -> Optional[Literal["exec", "shell"]]:
        """``exec`` or ``shell`` for instructions that have both forms, else None."""
    @property
    def arguments(self) -> list[str]:
        """BuildKit's argument values (exec-form items, the shell command, words ...)."""
    @property
    def pairs(self) -> list[Pair]:
        """ENV, LABEL and ARG entries."""
    @property
    def heredocs(self) -> list[Heredoc]: ...
    @property
    def onbuild(self) -> Optional[Instruction]:
        """The instruction ONBUILD registers, else None."""
    @property
    def stage(self) -> Optional[int]:
        """Index of the stage it belongs to (None before the first FROM)."""
    @property
    def text(self) -> str:
        """The logical line (continuations joined), as BuildKit reads it."""
    @property
    def span(self) -> Span: ...
    @property
    def error(self) -> Optional[str]:
        """Why BuildKit rejects this instruction, else None."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Stage:
    """A build stage: ``FROM base [AS name]`` and the instructions up to the next FROM."""

    @property
    def index(self) -> int:
        """Position among the stages, from 0."""
    @property
    def name(self) -> Optional[str]:
        """The ``AS name``, else None."""
    @property
    def base(self) -> str:
        """The base as written in FROM."""
    @property
    def base_resolved(self) -> Optional[str]:
        """The base with global ARG defaults applied, when every variable is known."""
    @property
    def base_image(self) -> Optional[ImageRef]:
        """The resolved base split into its parts (None for ``scratch``, an earlier stage,
        or a base that depends on an unknown build argument)."""
    @property
    def base_stage(self) -> Optional[int]:
        """Index of the earlier stage the base names, else None."""
    @property
    def scratch(self) -> bool: ...
    @property
    def platform(self) -> Optional[str]:
        """The ``--platform`` of FROM, else None."""
    @property
    def instructions(self) -> list[Instruction]:
        """The stage's instructions, FROM first."""
    @property
    def variables(self) -> list[Variable]:
        """ARG and ENV values in effect at the end of the stage."""
    @property
    def span(self) -> Span: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars (``instructions`` as indices)."""

@final
class Dockerfile:
    """A parsed Dockerfile. ``str(df)`` gives back the text byte for byte."""

    @property
    def text(self) -> str:
        """The text it was parsed from, unchanged."""
    @property
    def escape(self) -> str:
        """The escape character (a backslash unless ``# escape=`` says otherwise)."""
    @property
    def directives(self) -> list[Directive]: ...
    @property
    def global_args(self) -> list[Variable]:
        """ARGs declared before the first FROM."""
    @property
    def stages(self) -> list[Stage]: ...
    @property
    def instructions(self) -> list[Instruction]:
        """Every instruction in file order (also those before the first FROM)."""
    @property
    def comments(self) -> list[Comment]: ...
    @property
    def errors(self) -> list[Problem]:
        """What BuildKit rejects the file for (the first is what ``docker build`` reports)."""
    @property
    def warnings(self) -> list[Problem]: ...
    def __hash__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The model as plain dicts, lists and scalars (``dockopt parse --format json``)."""

# --- results --------------------------------------------------------------------------

@final
class Edit:
    """Replace bytes ``start`` to ``end`` of the text with ``content``."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def content(self) -> str: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Fix:
    """How to fix a finding."""

    @property
    def applicability(self) -> Literal["safe", "unsafe"]:
        """``safe`` fixes are applied by ``fix()``; ``unsafe`` ones only with ``unsafe=True``."""
    @property
    def title(self) -> str: ...
    @property
    def edits(self) -> list[Edit]:
        """Sorted, not overlapping."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Finding:
    """A rule's finding. ``to_dict()`` is what ``dockopt lint --format json`` prints."""

    @property
    def path(self) -> str:
        """The file, or ``<string>`` for text passed in."""
    @property
    def code(self) -> str:
        """The rule's code (``DL3008``, ``DO101``)."""
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def upstream(self) -> list[str]:
        """The same check's ids in hadolint or BuildKit."""
    @property
    def severity(self) -> Severity: ...
    @property
    def message(self) -> str:
        """What is wrong; secret values are masked."""
    @property
    def start(self) -> Position: ...
    @property
    def end(self) -> Position: ...
    @property
    def fix(self) -> Optional[Fix]: ...
    def to_dict(self) -> dict[str, Any]:
        """The finding as ``dockopt lint --format json`` prints it."""

@final
class AppliedFix:
    """A fix that ``fix()`` applied."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def applicability(self) -> Literal["safe", "unsafe"]: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class FixResult:
    """What ``fix()`` returns."""

    @property
    def text(self) -> str:
        """The fixed text; unchanged outside the fixed ranges."""
    @property
    def applied(self) -> list[AppliedFix]: ...
    @property
    def remaining(self) -> list[Finding]:
        """The findings in the fixed text."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Change:
    """One change ``optimize()`` made."""

    @property
    def transform(self) -> str: ...
    @property
    def rules(self) -> list[str]:
        """The rule codes the change answers."""
    @property
    def title(self) -> str: ...
    @property
    def why(self) -> str: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Skipped:
    """A transform ``optimize()`` did not apply, and why."""

    @property
    def transform(self) -> str: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class OptimizeResult:
    """What ``optimize()`` returns."""

    @property
    def text(self) -> str:
        """The rewritten Dockerfile."""
    @property
    def changes(self) -> list[Change]: ...
    @property
    def skipped(self) -> list[Skipped]: ...
    @property
    def requirements(self) -> list[str]:
        """What running the image now needs (e.g. secrets passed with ``-e``)."""
    @property
    def dockerignore(self) -> Optional[str]:
        """The new ``.dockerignore``, when the context was given and needs one."""
    def to_dict(self) -> dict[str, Any]:
        """The same data as plain dicts, lists and scalars."""

@final
class Report:
    """What ``analyze()`` returns; the parts are plain dicts."""

    @property
    def schema(self) -> int:
        """Bumped when a field changes meaning."""
    @property
    def size_bytes(self) -> int:
        """The shipped image's size in bytes (``image["size_bytes"]``)."""
    @property
    def image(self) -> AnalyzeImage: ...
    @property
    def stages(self) -> list[AnalyzeStage]: ...
    @property
    def rebuild(self) -> AnalyzeRebuild: ...
    @property
    def context(self) -> Optional[AnalyzeContext]:
        """None without a ``context`` folder."""
    @property
    def security(self) -> AnalyzeSecurity: ...
    @property
    def sources(self) -> list[AnalyzeSource]:
        """Where the tables' figures come from."""
    def to_dict(self) -> AnalyzeReport:
        """The report as ``dockopt analyze --format json`` prints it."""

# --- functions ------------------------------------------------------------------------

def parse(text: Union[str, bytes]) -> Dockerfile:
    """Parse a Dockerfile. ``str(parse(x)) == x`` byte for byte.

    ``bytes`` must be UTF-8; otherwise ``InputError`` (a ``DockoptError``) is raised with the
    byte offset. Parsing never fails on text: what BuildKit would reject is listed in
    ``Dockerfile.errors``.
    """

def lint(text: Union[str, bytes], config: Optional[Mapping[str, Any]] = None) -> list[Finding]:
    """Lint a Dockerfile. ``config`` takes the keys of dockopt.toml (``select``,
    ``extend_select``, ``ignore``, ``severity``, ``trusted_registries``, ``required_labels``);
    a bad one raises ``ConfigError`` naming the key. What could not be checked (e.g. a RUN
    script too long to analyse) is warned as ``DockoptWarning``.
    """

def lint_file(path: PathArg, config: Optional[Mapping[str, Any]] = None) -> list[Finding]:
    """Lint one Dockerfile as ``dockopt lint FILE`` does: the configuration file above it
    (``dockopt.toml``, ``.dockopt.toml``, ``pyproject.toml``) applies unless ``config`` is
    given, and so does the ``.dockerignore`` beside it. A missing file raises
    ``FileNotFoundError``; bytes that are not UTF-8 raise ``InputError``. What could not be
    checked is warned as ``DockoptWarning``.
    """

def lint_paths(
    paths: Union[PathArg, Iterable[PathArg]], config: Optional[Mapping[str, Any]] = None
) -> list[Finding]:
    """Lint files and folders as ``dockopt lint PATH...`` does: folders are searched for
    Dockerfiles (honouring ``.gitignore``), files are linted in parallel with the GIL
    released, findings come in path order. The first file that cannot be read raises. What
    could not be checked is warned as ``DockoptWarning``, one warning per note.
    """

def rules() -> list[dict[str, Any]]:
    """Every rule: code, name, category, severity, default, fix, upstream, summary, docs."""

def cli(args: Sequence[str]) -> int:
    """The ``dockopt`` command line on ``args`` (without the program name), as the binary runs
    it: prints to the process's stdout and stderr and returns the exit status
    (``python -m dockopt`` calls it)."""

def fix(
    text: Union[str, bytes], config: Optional[Mapping[str, Any]] = None, unsafe: bool = False
) -> FixResult:
    """Apply the rules' fixes (safe ones; unsafe ones too with ``unsafe=True``); text outside
    the fixed ranges is kept byte for byte."""

def fix_file(
    path: PathArg, config: Optional[Mapping[str, Any]] = None, unsafe: bool = False, write: bool = False
) -> FixResult:
    """``fix()`` on a file under its configuration (as ``lint_file``); ``write=True``
    replaces the file atomically when the text changed."""

def optimize(
    text: Union[str, bytes],
    context: Optional[PathArg] = None,
    disable: Optional[Sequence[str]] = None,
    buildkit: bool = False,
    cache_mounts: bool = False,
    alpine: bool = False,
    healthcheck_path: Optional[str] = None,
) -> OptimizeResult:
    """The whole-file rewrite.

    ``disable`` names transforms to leave out (e.g. ``["non-root"]``); ``context`` is the build
    context folder, read for what the rewrites depend on (manifests, scripts, sources,
    ``.dockerignore``; without it those transforms are skipped); ``buildkit`` allows secret
    mounts; ``cache_mounts`` caches package downloads in BuildKit cache mounts; ``alpine``
    moves a slim python/node base on to its Alpine variant; ``healthcheck_path`` is the app's
    health endpoint (found in the context when not given).
    """

def optimize_file(
    path: PathArg,
    context: Optional[PathArg] = None,
    write: bool = False,
    disable: Optional[Sequence[str]] = None,
    buildkit: bool = False,
    cache_mounts: bool = False,
    alpine: bool = False,
    healthcheck_path: Optional[str] = None,
) -> OptimizeResult:
    """``optimize()`` on a file, with ``context`` defaulting to the file's folder;
    ``write=True`` replaces the file atomically and writes the new ``.dockerignore`` into the
    context, as ``dockopt optimize --write`` does."""

def analyze(
    text: Union[str, bytes],
    context: Optional[PathArg] = None,
    base_sizes: Optional[Mapping[str, int]] = None,
    target: Optional[str] = None,
    changed: Optional[Sequence[str]] = None,
    build_args: Optional[Mapping[str, str]] = None,
) -> Report:
    """The report card of a Dockerfile: image size, rebuild cost, build context, security.

    ``context`` is the build context folder (without it COPY sizes, manifests and the context
    scan are unknown, and ``report.context`` is None); ``base_sizes`` maps image references
    as written in FROM (``"python:3.11"``) to their uncompressed size in bytes, winning over
    the built-in table; ``target`` is the stage that ships (a name or an index; default the
    last); ``changed`` names context paths to simulate a change of, as one more rebuild
    scenario; ``build_args`` maps ARG names to values, as ``--build-arg`` does. Never fails
    on text; ``bytes`` that are not UTF-8 and negative sizes raise ``DockoptError``.
    """
