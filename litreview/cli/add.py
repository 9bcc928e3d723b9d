"""``litreview add``: add listings to a review file (created if missing)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import UsageError, progress
from litreview.report.loading import is_review_file
from litreview.review.store.base import is_url
from litreview.review.store.connection import SUFFIX

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "add"
SUMMARY = "add listings to a review file (created if missing)"
EXAMPLES = (
    "  litreview add review.litreview papers.txt\n"
    "  litreview add review.litreview week1.txt week2.md refs.bib"
)


def register(subs: Subparsers) -> None:
    """The ``add`` subcommand and its options."""
    a = add_command(subs, NAME, SUMMARY, EXAMPLES)
    a.add_argument("review", metavar="REVIEW", help="review file (.litreview), created if missing")
    a.add_argument("listings", nargs="+", metavar="LISTING", help="listing files to import")
    a.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Add each listing to the review and print what each import did."""
    from litreview.review.core import Review

    path: Path | str = args.review if is_url(args.review) else Path(args.review)
    if isinstance(path, Path) and not path.exists() and path.suffix.lower() != SUFFIX:
        raise UsageError(f"a new review file must end in {SUFFIX}, got {path}")
    missing = [name for name in args.listings if not Path(name).is_file()]
    if missing:
        raise FileNotFoundError(f"{missing[0]}: no such listing")
    for name in args.listings:
        if is_review_file(name):
            raise UsageError(f"{name} is a review file; give listings after REVIEW")
    with Review.open(path, reviewer=args.reviewer) as review:
        for name in progress(args.listings, "adding"):
            print(review.add(name))
        print(f"{path}: {len(review):,} papers")
    return 0
