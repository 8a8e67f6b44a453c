"""``python -m dockopt ...``: the dockopt command line, the same as the ``dockopt`` binary."""

import sys

from ._native import cli

if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
