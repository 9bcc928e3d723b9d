"""``litreview conflicts``: list the papers that reviewers decided differently."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import add_command
from litreview.cli.commands import existing_review, table

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "conflicts"
SUMMARY = "list the papers reviewers decided differently, with each reviewer's decision"
EXAMPLES = "  litreview conflicts review.litreview\n  litreview conflicts review.litreview --kappa"


def register(subs: Subparsers) -> None:
    """The ``conflicts`` subcommand and its options."""
    c = add_command(subs, NAME, SUMMARY, EXAMPLES)
    c.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    c.add_argument("--kappa", action="store_true", help="also print Cohen's kappa per pair")


def handle(args: argparse.Namespace) -> int:
    """Print ``Review.conflicts()`` as a table (and the agreement of each pair)."""
    from itertools import combinations

    from litreview.review.core import Review

    path = existing_review(args.review)
    with Review.open(path) as review:
        decided = review.decisions()
        names = [n for n in decided.columns[2:] if (decided[n] != "unscreened").any()]
        found = review.conflicts()[["paper_id", "title", *names]]
        pairs = []
        if args.kappa:
            for a, b in combinations(names, 2):
                try:
                    pairs.append(f"kappa {a} / {b}: {review.agreement(a, b):.3f}")
                except ValueError as exc:  # no paper screened by both
                    pairs.append(f"kappa {a} / {b}: n/a ({exc})")
    n = len(found)
    print(f"{n} conflict{'s' if n != 1 else ''} between {', '.join(names) or 'no reviewers'}")
    if n:
        print(table(found, ["paper_id", "title", *names]), end="")
    print("\n".join(pairs), end="\n" if pairs else "")
    return 0
