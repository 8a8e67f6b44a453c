import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Optional, TypedDict, Union

Basis = Literal["measured", "estimated", "given", "unknown"]
"""How a figure was obtained: read from the context, from a table or rule of thumb, given in
``base_sizes``, or nothing to go on (counted as 0)."""

class AnalyzeImage(TypedDict):
    """The shipped image at a glance."""

    stage: str
    """The shipped stage: its name, or its index."""
    base: str
    size_bytes: int
    estimated_bytes: int
    size_basis: Basis
    """``measured`` only when every figure was; ``estimated`` when any was estimated."""
    incomplete: bool
    """Whether some part could not be sized (an unknown base image, a download)."""
    layers: int
    """Layers the Dockerfile adds to the shipped image (RUN, COPY, ADD of its stage chain)."""

class AnalyzeSizePart(TypedDict):
    what: str
    bytes: int
    basis: Basis
    path: Optional[str]

class AnalyzeInstructionSize(TypedDict):
    line: int
    keyword: str
    bytes: int
    basis: Basis
    parts: list[AnalyzeSizePart]

class AnalyzeStage(TypedDict):
    index: int
    name: str
    """The stage's name, or its index."""
    base: str
    base_bytes: int
    base_basis: Basis
    base_compressed_bytes: Optional[int]
    base_source: str
    added_bytes: int
    total_bytes: int
    basis: Basis
    incomplete: bool
    instructions: list[AnalyzeInstructionSize]

class AnalyzeRerun(TypedDict):
    stage: str
    stage_index: int
    step: int
    """Position in the stage, FROM being 1."""
    line: int
    keyword: str
    cache_mount: bool
    """The install re-runs with a cache mount keeping its downloads."""
    install: bool

class AnalyzeScenario(TypedDict):
    change: str
    """``source``, ``manifest``, ``nothing``, ``files`` (the ``changed`` argument) or ``build-arg``."""
    files: list[str]
    """The context paths (or the build arg) changed."""
    from_context: bool
    steps: int
    reruns: list[AnalyzeRerun]
    installs_rerun: bool

class AnalyzeRebuild(TypedDict):
    built: list[int]
    scenarios: list[AnalyzeScenario]
    omitted_build_args: int

class AnalyzeTotals(TypedDict):
    files: int
    bytes: int

class AnalyzeOffender(TypedDict):
    path: str
    kind: str
    files: int
    bytes: int
    ignored: bool

class AnalyzeSecretFile(TypedDict):
    path: str
    kind: str
    ignored: bool
    copied_by: list[int]

class AnalyzeContext(TypedDict):
    dockerignore: bool
    sent: AnalyzeTotals
    """What the builder receives (``.dockerignore`` applied)."""
    without_dockerignore: AnalyzeTotals
    truncated: bool
    offenders: list[AnalyzeOffender]
    secrets: list[AnalyzeSecretFile]

class AnalyzeFinding(TypedDict):
    rule: str
    line: int
    message: str

class AnalyzeBaseTag(TypedDict):
    stage: str
    image: str
    pinning: Literal["digest", "exact", "partial", "floating", "variable", "stage", "scratch"]

class AnalyzeSecurity(TypedDict):
    user: str
    root: bool
    user_line: Optional[int]
    """The line of the USER that sets the user; None when the base image's default applies."""
    secrets: list[AnalyzeFinding]
    healthcheck: Optional[int]
    """The line of the shipped image's HEALTHCHECK (``HEALTHCHECK NONE`` does not count)."""
    cmd_form: Optional[Literal["exec", "shell"]]
    entrypoint_form: Optional[Literal["exec", "shell"]]
    base_images: list[AnalyzeBaseTag]
    unpinned_packages: list[AnalyzeFinding]

class AnalyzeSource(TypedDict):
    table: str
    source: str
    date: str
    entries: int

class AnalyzeReport(TypedDict):
    """What ``analyze`` returns (``dockopt analyze --format json``)."""

    schema: int
    image: AnalyzeImage
    stages: list[AnalyzeStage]
    rebuild: AnalyzeRebuild
    context: Optional[AnalyzeContext]
    """None without a ``context`` folder."""
    security: AnalyzeSecurity
    sources: list[AnalyzeSource]
    """Where the tables' figures come from."""

__version__: str

class DockoptError(ValueError):
    """Raised when dockopt cannot process its input (e.g. bytes that are not UTF-8)."""

class InputError(DockoptError):
    """The Dockerfile text cannot be read (bytes that are not UTF-8)."""

    offset: int
    """The byte offset of the first byte that is not UTF-8."""

class ConfigError(DockoptError):
    """A configuration (the keys of dockopt.toml) names an unknown key, rule or value."""

def parse(text: Union[str, bytes]) -> dict[str, Any]:
    """Parse a Dockerfile into plain data (dicts, lists, str, int, bool, None).

    ``bytes`` must be UTF-8; otherwise ``InputError`` (a ``DockoptError``) is raised with the
    byte offset.
    Parsing never fails on text: syntax problems are reported inside the model.
    """

def lint(text: Union[str, bytes], config: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
    """Lint a Dockerfile. ``config`` takes the keys of dockopt.toml (``select``,
    ``extend_select``, ``ignore``, ``severity``, ``trusted_registries``, ``required_labels``).

    Returns the findings as ``dockopt lint --format json`` prints them. A bad configuration
    raises ``DockoptError`` naming the key.
    """

def rules() -> list[dict[str, Any]]:
    """Every rule: code, name, category, severity, default, fix, upstream, summary, docs."""

def cli(args: Sequence[str]) -> int:
    """The ``dockopt`` command line on ``args`` (without the program name), as the binary runs
    it: prints to the process's stdout and stderr and returns the exit status
    (``python -m dockopt`` calls it)."""

def fix(
    text: Union[str, bytes], config: Optional[dict[str, Any]] = None, unsafe: bool = False
) -> dict[str, Any]:
    """Apply the rules' fixes (safe ones; unsafe ones too with ``unsafe=True``).

    Returns ``{"text": str, "applied": [...], "remaining": [findings]}``; text outside the
    fixed ranges is kept byte for byte.
    """

def optimize(
    text: Union[str, bytes],
    context: Optional[str] = None,
    disable: Optional[list[str]] = None,
    buildkit: bool = False,
    cache_mounts: bool = False,
    alpine: bool = False,
    healthcheck_path: Optional[str] = None,
) -> dict[str, Any]:
    """The whole-file rewrite: ``{"text", "changes", "skipped", "requirements", "dockerignore"}``.

    ``disable`` names transforms to leave out (e.g. ``["non-root"]``); ``context`` is the build
    context folder, read for what the rewrites depend on (manifests, scripts, sources, ``.dockerignore``;
    without it those transforms are skipped); ``buildkit`` allows secret mounts;
    ``cache_mounts`` caches package downloads in BuildKit cache mounts; ``alpine`` moves a slim
    python/node base on to its Alpine variant; ``healthcheck_path`` is
    the app's health endpoint (found in the context when not given).
    """

def analyze(
    text: Union[str, bytes],
    context: Optional[Union[str, os.PathLike[str]]] = None,
    base_sizes: Optional[Mapping[str, int]] = None,
    target: Optional[str] = None,
    changed: Optional[Sequence[str]] = None,
    build_args: Optional[Mapping[str, str]] = None,
) -> AnalyzeReport:
    """The report card of a Dockerfile: image size, rebuild cost, build context, security.

    ``context`` is the build context folder (without it COPY sizes, manifests and the context
    scan are unknown, and ``report["context"]`` is None); ``base_sizes`` maps image references
    as written in FROM (``"python:3.11"``) to their uncompressed size in bytes, winning over
    the built-in table; ``target`` is the stage that ships (a name or an index; default the
    last); ``changed`` names context paths to simulate a change of, as one more rebuild
    scenario; ``build_args`` maps ARG names to values, as ``--build-arg`` does (FROM lines,
    ENV values and the branches a RUN takes follow them). Never fails on text; ``bytes`` that
    are not UTF-8 and negative sizes raise ``DockoptError``.
    """
