"""Types of the data dockopt returns as plain dicts: the parts of ``analyze()``'s
``Report`` (``report.image``, ``report.stages`` ...; ``report.to_dict()`` is an
``AnalyzeReport``), and the aliases the signatures use. For type checkers; at run time these
are ordinary ``TypedDict`` classes, and a test checks their keys against real reports."""

import os
from typing import Literal, Optional, TypedDict, Union


PathArg = Union[str, "os.PathLike[str]"]
"""A path: ``str`` or ``os.PathLike`` (``pathlib.Path``)."""


Severity = Literal["error", "warning", "info", "style"]
"""How bad a finding is."""


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
    """The base as written in FROM."""
    image: str
    """The base with build arguments applied (what is pulled)."""
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


class AnalyzeUnreadable(TypedDict):
    path: str
    """Relative to the context; a folder ends with ``/``."""
    error: str


class AnalyzeContext(TypedDict):
    dockerignore: bool
    """Whether the context has a ``.dockerignore`` Docker accepts."""
    dockerignore_error: Optional[str]
    """Why its ``.dockerignore`` cannot be used (unreadable, or a pattern Docker refuses)."""
    sent: AnalyzeTotals
    """What the builder receives (``.dockerignore`` applied)."""
    without_dockerignore: AnalyzeTotals
    truncated: bool
    unreadable: list[AnalyzeUnreadable]
    """Files and folders the builder would need but cannot read (the build fails)."""
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
