"""``litreview undo``: revert (or re-apply) a reviewer's latest changes in a review."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command, positive_int
from litreview.cli.commands import err, existing_review
from litreview.cli.history import render

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "undo"
SUMMARY = "revert your latest change in a review (--redo re-applies what was undone)"
EXAMPLES = (
    "  litreview undo review.litreview\n"
    "  litreview undo review.litreview --steps 3 --reviewer ada\n"
    "  litreview undo review.litreview --redo"
)


def register(subs: Subparsers) -> None:
    """The ``undo`` subcommand and its options."""
    u = add_command(subs, NAME, SUMMARY, EXAMPLES)
    u.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    u.add_argument("--steps", type=positive_int, default=1, metavar="N", help="how many steps")
    u.add_argument("--redo", action="store_true", help="re-apply the changes undone last")
    u.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Undo (or redo) ``--steps`` steps of the reviewer's changes; print what changed.

    Stops with an error (exit 1) when there is nothing (more) to undo, after printing
    the steps that were made: each step is saved as it is made.
    """
    from litreview.review.core import Review

    path = existing_review(args.review)
    verb = "redo" if args.redo else "undo"
    with Review.open(path, reviewer=args.reviewer) as review:
        step = review.redo if args.redo else review.undo
        for done in range(args.steps):
            try:
                changes = step()
            except LookupError:
                if done:
                    err(f"{verb}: stopped after {done} of {args.steps} steps")
                raise LookupError(
                    f"{path}: nothing to {verb} for reviewer {review.reviewer!r}"
                ) from None
            n = len(changes)
            print(f"{verb} {done + 1}: {n} change{'s' if n != 1 else ''} as {review.reviewer}")
            print(render(changes, "table"), end="")
    return 0
