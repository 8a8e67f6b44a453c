from typing import Any, Union

__version__: str

class DockoptError(ValueError):
    """Raised when dockopt cannot process its input (e.g. bytes that are not UTF-8)."""

def parse(text: Union[str, bytes]) -> dict[str, Any]:
    """Parse a Dockerfile into plain data (dicts, lists, str, int, bool, None).

    ``bytes`` must be UTF-8; otherwise ``DockoptError`` is raised with the byte offset.
    Parsing never fails on text: syntax problems are reported inside the model.
    """
