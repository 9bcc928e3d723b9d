"""``litreview search``: search a listing or a review and print the best matches."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, SOURCE_HELP, add_command, positive_int
from litreview.cli.commands import load_source, table

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "search"
SUMMARY = "search a listing or a review and print the best matches"
EXAMPLES = (
    "  litreview search papers.txt 'vision transformer'\n"
    "  litreview search review.litreview 'title:efficient year:>=2023 has:code' --limit 5"
)


def register(subs: Subparsers) -> None:
    """The ``search`` subcommand and its options."""
    s = add_command(subs, NAME, SUMMARY, EXAMPLES)
    s.add_argument("source", metavar="LISTING_OR_REVIEW", help=SOURCE_HELP)
    s.add_argument("query", metavar="QUERY", help='words, "phrases", field:value, -not, OR')
    s.add_argument("--limit", type=positive_int, default=20, help="rows to show (default 20)")
    s.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Print the ``--limit`` best matches of ``args.query`` as a table."""
    from litreview.query.filters import search

    loaded = load_source(args)
    hits = search(loaded.papers, args.query, limit=args.limit)
    hits.insert(0, "rank", range(1, len(hits) + 1))
    columns = ["rank", "score", "paper_id", "published", "title"]
    if loaded.is_review:
        columns.insert(4, "decision")
    sys.stdout.write(table(hits, columns))
    return 0
