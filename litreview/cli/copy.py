"""``litreview copy``: move a review between a file and a PostgreSQL server (either way),
lossless and compared table by table (docs/server.md)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import add_command

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "copy"
SUMMARY = "copy a review between a file and a PostgreSQL server, checked table by table"
EXAMPLES = (
    "  litreview copy review.litreview 'postgresql://ada@db/reviews?review=cancer'\n"
    "  litreview copy 'postgresql://ada@db/reviews?review=cancer' backup.litreview"
)


def register(subs: Subparsers) -> None:
    """The ``copy`` subcommand and its arguments."""
    c = add_command(subs, NAME, SUMMARY, EXAMPLES)
    c.add_argument("source", metavar="SOURCE", help="a review file or a postgresql:// URL")
    c.add_argument("target", metavar="TARGET", help="a new file, or an empty server review")


def handle(args: argparse.Namespace) -> int:
    """:func:`~litreview.review.store.copy.copy_review`; prints the rows per table."""
    from litreview.review.store.copy import copy_review

    print(copy_review(args.source, args.target))
    return 0
