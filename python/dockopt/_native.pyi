from typing import Any, Optional, Union

__version__: str

class DockoptError(ValueError):
    """Raised when dockopt cannot process its input (e.g. bytes that are not UTF-8)."""

def parse(text: Union[str, bytes]) -> dict[str, Any]:
    """Parse a Dockerfile into plain data (dicts, lists, str, int, bool, None).

    ``bytes`` must be UTF-8; otherwise ``DockoptError`` is raised with the byte offset.
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
