"""``litreview annotate``: set the decision, reason, tags, note or rating of papers."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from litreview.cli._parser import REVIEWER, add_command, rating
from litreview.cli.commands import DECISION_CHOICES, UsageError, existing_review

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "annotate"
SUMMARY = "set the decision, reason, tags, note or rating of papers in a review"
EXAMPLES = (
    "  litreview annotate review.litreview 2401-12345-attention --decision include --tag core\n"
    "  litreview annotate review.litreview ID1 ID2 --decision exclude --reason 'off topic'\n"
    "  litreview annotate review.litreview ID1 --note 'read section 4' --rating 4"
)


def register(subs: Subparsers) -> None:
    """The ``annotate`` subcommand and its options."""
    n = add_command(subs, NAME, SUMMARY, EXAMPLES)
    n.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    n.add_argument("paper_ids", nargs="+", metavar="PAPER_ID", help="ids as shown by search")
    n.add_argument("--decision", choices=DECISION_CHOICES)
    n.add_argument("--reason", help="exclusion reason ('' clears it)")
    n.add_argument("--tag", action="append", metavar="TAG", help="add a tag (repeatable)")
    n.add_argument("--untag", action="append", metavar="TAG", help="remove a tag (repeatable)")
    n.add_argument("--note", help="note text ('' clears it)")
    n.add_argument("--rating", type=rating, help="rating 1-5 ('' or none clears it)")
    n.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Apply the given fields to every paper id through ``Review.annotate``."""
    from litreview.review.core import Review

    fields: dict[str, Any] = {
        "decision": args.decision,
        "reason": args.reason,
        "add_tags": args.tag,
        "remove_tags": args.untag,
        "note": args.note,
        "rating": args.rating,
    }
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise UsageError(
            "nothing to change: give --decision, --reason, --tag, --untag, --note or --rating"
        )
    path = existing_review(args.review)
    with Review.open(path, reviewer=args.reviewer) as review:
        review.annotate(args.paper_ids, **given)
        who = review.reviewer
    what = ", ".join(f"{k}={v!r}" for k, v in given.items())
    n = len(args.paper_ids)
    print(f"annotated {n} paper{'s' if n != 1 else ''} as {who}: {what}")
    return 0
