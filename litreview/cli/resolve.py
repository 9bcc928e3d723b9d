"""``litreview resolve``: record the review's final decision on papers (resolvers, or the
pair by consensus once blind mode is off)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import DECISION_CHOICES, existing_review

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "resolve"
SUMMARY = "record the review's final decision on papers reviewers decided differently"
EXAMPLES = (
    "  litreview resolve review.litreview 3ea27e1176ff --decision include --reviewer cy\n"
    "  litreview resolve review.litreview 3ea27e1176ff 9b1c2d3e4f50 --decision exclude "
    '--reason "off topic"\n'
    "  litreview resolve review.litreview 3ea27e1176ff --decision exclude --stage fulltext"
)


def register(subs: Subparsers) -> None:
    """The ``resolve`` subcommand and its options."""
    r = add_command(subs, NAME, SUMMARY, EXAMPLES)
    r.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    r.add_argument("paper_ids", nargs="+", metavar="ID", help="the papers to resolve")
    r.add_argument(
        "--decision", required=True, choices=DECISION_CHOICES,
        help="the final decision ('unscreened' withdraws one)",
    )  # fmt: skip
    r.add_argument("--reason", help="why (an exclusion reason, or the consensus reached)")
    r.add_argument("--note", help="a note kept with the final decision")
    r.add_argument(
        "--stage", choices=("title", "fulltext"), default="title",
        help="title/abstract (default) or full text",
    )  # fmt: skip
    r.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """``Review.resolve`` on the papers; print what is left in the conflicts queue."""
    from litreview.review.core import Review

    path = existing_review(args.review)
    with Review.open(path, reviewer=args.reviewer) as review:
        try:
            review.resolve(
                args.paper_ids,
                decision=args.decision,
                reason=args.reason,
                note=args.note,
                stage=args.stage,
            )
        except PermissionError as exc:  # not a resolver, or blind mode on: one clear line
            raise ValueError(f"{path}: {exc}") from None
        left = len(review.conflict_queue(args.stage))
        n = len(args.paper_ids)
        print(
            f"resolved {n} paper{'s' if n != 1 else ''} as {args.decision} "
            f"({args.stage}) by {review.reviewer}; {left} open conflict{'s' if left != 1 else ''}"
        )
    return 0
