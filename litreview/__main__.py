"""``python -m litreview``: the same command line as ``litreview``."""

from __future__ import annotations

import sys

from litreview.cli import main

if __name__ == "__main__":
    sys.exit(main())
