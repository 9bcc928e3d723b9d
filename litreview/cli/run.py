"""``main``: build the parser from the command modules, run one command, and turn
library errors into one line (``litreview: error: …``): exit status 2 for a usage
error, 1 for input that cannot be read; ``--debug`` shows the traceback instead.

    >>> list(COMMANDS)[:3]
    ['read', 'search', 'add']
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from litreview.cli import (
    add,
    annotate,
    app_server,
    conflicts,
    copy,
    duplicates,
    enrich,
    export,
    fetch,
    field,
    history,
    prisma,
    read,
    rekey,
    render,
    resolve,
    search,
    server,
    stats,
    undo,
)  # fmt: skip
from litreview.cli._parser import PROG, Command, Parser
from litreview.cli.commands import UsageError
from litreview.errors import ListingWarning, QueryError

#: The command modules, in the order ``litreview --help`` lists them.
COMMAND_MODULES: tuple[Command, ...] = (
    read, search, add, annotate, history, undo, conflicts, resolve, prisma, field, export, rekey,
    duplicates, stats, render,
    fetch, enrich,
    app_server, server, copy,
)  # fmt: skip
#: Command name -> (one-line summary, examples), as each command's ``--help`` shows them.
COMMANDS: dict[str, tuple[str, str]] = {m.NAME: (m.SUMMARY, m.EXAMPLES) for m in COMMAND_MODULES}
#: Command name -> its handler (``main`` looks the handler up here when it runs).
HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    m.NAME: m.handle for m in COMMAND_MODULES
}


def build_parser() -> Parser:
    """The argument parser of every command."""
    parser = Parser(
        prog=PROG,
        description="Literature reviews from the command line: read listings, search, "
        "screen into a review file, export, chart and render.",
        epilog="Run 'litreview COMMAND --help' for the options and examples of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    subs.required = True
    for module in COMMAND_MODULES:
        module.register(subs)
    return parser


def _version() -> str:
    from litreview import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    >>> main(["--version"])
    litreview 0.1.0
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else 2
    debug = bool(getattr(args, "debug", False))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ListingWarning)
            warnings.showwarning = _show_warning
            return int(HANDLERS[args.command](args) or 0)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `litreview read x | head`
        sys.stderr.close()
        return 0
    except UsageError as exc:
        if debug:
            raise
        print(f"{PROG}: error: {args.command}: {exc}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, LookupError, OSError, sqlite3.Error, RuntimeError) as exc:
        if debug:
            raise
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, the traceback on demand
        if debug:
            raise
        what = f"unexpected {type(exc).__name__}: {_message(exc)}"
        print(f"{PROG}: error: {what} (run again with --debug for the traceback)", file=sys.stderr)
        return 1


def _message(exc: BaseException) -> str:
    """One line saying what went wrong (the first line of the message, without repr quotes)."""
    if isinstance(exc, QueryError):
        return f"bad query {exc.query!r}: {exc.message} (at position {exc.position})"
    if isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    elif isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    if isinstance(exc, FileExistsError):  # the library names its keyword; here it is a flag
        text = text.replace("overwrite=True", "--overwrite")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    more = len(lines) - 1
    return first + (f" (and {more} more lines; --debug shows all)" if more > 0 else "")


def _show_warning(message: Any, category: Any, *_: Any, **__: Any) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)
