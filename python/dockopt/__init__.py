"""dockopt: understand and improve Dockerfiles.

The work happens in the Rust core; this package re-exports the native module.
"""

from ._native import (
    ConfigError,
    DockoptError,
    InputError,
    __version__,
    analyze,
    fix,
    lint,
    optimize,
    parse,
    rules,
)

__all__ = [
    "ConfigError",
    "DockoptError",
    "InputError",
    "__version__",
    "analyze",
    "fix",
    "lint",
    "optimize",
    "parse",
    "rules",
]
