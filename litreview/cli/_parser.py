"""The parser every command shares: one-line errors, the common options, number types.

Each command module adds its own subcommand with :func:`add_command` (its
summary becomes the ``--help`` line and description, its examples the epilog)::

    >>> positive_int("3"), rating("none"), percent("90"), tcp_port("8866")
    (3, '', 90.0, 8866)
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

PROG = "litreview"
#: The help of a command's source argument.
SOURCE_HELP = "a review file (.litreview) or a listing (text, Markdown, JSON, BibTeX, RIS, CSV)"
#: The keywords of every command's --reviewer option.
REVIEWER: dict[str, Any] = {
    "help": "whose annotations to use (default: $LITREVIEW_REVIEWER or your user)"
}


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors under the ``litreview: error:`` prefix, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        command = self.prog.removeprefix(PROG).strip()
        hint = f" (see '{self.prog} --help')"
        where = f"{command}: " if command else ""
        self.exit(2, f"{PROG}: error: {where}{message}{hint}\n")


if TYPE_CHECKING:
    #: What ``add_subparsers()`` returns (a command module's ``register`` gets it).
    Subparsers = argparse._SubParsersAction[Parser]


class Command(Protocol):
    """What a command module provides (``cli/read.py``, ``cli/export.py``...)."""

    NAME: str
    SUMMARY: str
    EXAMPLES: str

    def register(self, subs: Subparsers) -> None: ...

    def handle(self, args: argparse.Namespace) -> int: ...


def _common() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors"
    )
    return common


def add_command(
    subs: Subparsers,
    name: str,
    summary: str,
    examples: str,
) -> argparse.ArgumentParser:
    """The subcommand ``name``: ``summary`` in the command list and as its description,
    ``examples`` under its ``--help``, and ``--debug`` like the main parser."""
    parser: argparse.ArgumentParser = subs.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common()],
    )
    return parser


N = TypeVar("N", int, float)


def _number(text: str, convert: type[N], low: float, high: float, what: str, in_range: str) -> N:
    """``text`` as a number from ``low`` to ``high``, else argparse's error in words."""
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not low <= value <= high:
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        raise argparse.ArgumentTypeError(f"expected {in_range}, got {shown}")
    return value


def positive_int(text: str) -> int:
    """A whole number >= 1 (argparse ``type=``)."""
    return _number(text, int, 1, math.inf, "a whole number", "a number >= 1")


def rating(text: str) -> int | str:
    """A rating from 1 to 5, or "" / "none" to clear it."""
    if text.strip().lower() in ("", "none"):
        return ""
    what = "a whole number from 1 to 5 (or '' to clear)"
    return _number(text, int, 1, 5, what, "a rating from 1 to 5")


def percent(text: str) -> float:
    """A number from 0 to 100 (argparse ``type=``)."""
    words = "a number from 0 to 100"
    return _number(text, float, 0, 100, words, words)


def tcp_port(text: str) -> int:
    """A TCP port from 1 to 65535 (argparse ``type=``)."""
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value}")
    return value
