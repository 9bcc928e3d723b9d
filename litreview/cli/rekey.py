"""``litreview rekey``: show, recompute or set the pinned citation keys of a review, and
its key formula (see :mod:`litreview.review.keys`)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import UsageError, err, existing_review
from litreview.writers.key_formula import DEFAULT_FORMULA

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "rekey"
SUMMARY = "recompute (or set) the pinned citation keys of papers in a review"
EXAMPLES = (
    "  litreview rekey review.litreview 2401-12345-attention\n"
    "  litreview rekey review.litreview --query 'year:2021' --formula 'auth.lower + year'\n"
    "  litreview rekey review.litreview 2401-12345-attention --set vaswani2017\n"
    "  litreview rekey review.litreview --formula 'auth.lower + year' --show"
)


def register(subs: Subparsers) -> None:
    """The ``rekey`` subcommand and its options."""
    r = add_command(subs, NAME, SUMMARY, EXAMPLES)
    r.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    r.add_argument("paper_ids", nargs="*", metavar="PAPER_ID", help="the papers to rekey")
    r.add_argument("--query", metavar="Q", help="rekey the papers matching this query")
    r.add_argument("--all", action="store_true", help="rekey every paper of the review")
    r.add_argument("--formula", metavar="F",
                   help="set the review's key formula first (Better BibTeX's language; "
                   f"default {DEFAULT_FORMULA!r})")  # fmt: skip
    r.add_argument("--set", metavar="KEY", help="pin KEY as the key of the one PAPER_ID given")
    r.add_argument("--show", action="store_true",
                   help="only print the papers' keys (pinning those without one)")  # fmt: skip
    r.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Rekey the papers named (or set one key); print ``paper_id  old -> new`` per change."""
    from litreview.review.core import Review

    path = existing_review(args.review)
    chosen = bool(args.paper_ids) + bool(args.query) + bool(args.all)
    if args.set is not None and (len(args.paper_ids) != 1 or args.query or args.all):
        raise UsageError("--set KEY takes exactly one PAPER_ID (and no --query or --all)")
    if chosen > 1:
        raise UsageError("name the papers one way: PAPER_IDs, --query or --all")
    if not chosen and not args.formula:
        raise UsageError("name the papers to rekey: PAPER_IDs, --query Q or --all")
    with Review.open(path, reviewer=args.reviewer) as review:
        if args.formula:
            changed = review.set_key_formula(args.formula)
            err(f"key formula: {args.formula}" + ("" if changed else " (unchanged)"))
        if not chosen:
            return 0
        ids = args.paper_ids or None
        if args.query:
            ids = review.search(args.query)["paper_id"].tolist()
        if args.show or args.set is not None:
            if args.set is not None:
                review.set_key(args.paper_ids[0], args.set)
            keys = review.citation_keys(ids)
            sys.stdout.write("".join(f"{pid}\t{key}\n" for pid, key in keys.items()))
            return 0
        changes = review.rekey(review.citation_keys(ids).index.tolist())
        sys.stdout.write(
            "".join(f"{p}\t{o} -> {n}\n" for p, o, n in changes.itertuples(index=False))
        )
        err(f"rekeyed {len(changes):,} of {len(ids) if ids is not None else len(review):,} papers")
    return 0
