"""The ``litreview`` command line (also ``python -m litreview``), thin over the library.

Each command is one module holding its options, help text and handler
(``read``, ``search``, ``add``, ``annotate``, ``export``, ``duplicates``,
``stats``, ``render``, and ``app_server`` for ``litreview app``); ``_parser``
holds what their parsers share, ``commands`` what their handlers share, and
``run`` builds the parser and runs a command. Each command parses its
arguments, calls one library function and turns library errors into one clear
line (``litreview: error: …``): exit status 2 for a usage error, 1 for input
that cannot be read; ``--debug`` shows the traceback instead. Examples are in
each command's ``--help``.

    >>> main(["--version"])
    litreview 0.1.0
    0
"""

from __future__ import annotations

from litreview.cli.run import COMMANDS, HANDLERS, build_parser, main

__all__ = ["COMMANDS", "HANDLERS", "build_parser", "main"]
