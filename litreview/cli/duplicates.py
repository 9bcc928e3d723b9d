"""``litreview duplicates``: list papers whose titles are nearly the same."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command, percent, positive_int
from litreview.cli.commands import load_source, short

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "duplicates"
SUMMARY = "list papers whose titles are nearly the same (typos, a dropped subtitle, word order)"
EXAMPLES = (
    "  litreview duplicates week1.txt week2.md refs.bib\n"
    "  litreview duplicates review.litreview --threshold 85 --limit 50"
)


def register(subs: Subparsers) -> None:
    """The ``duplicates`` subcommand and its options."""
    u = add_command(subs, NAME, SUMMARY, EXAMPLES)
    u.add_argument("sources", nargs="+", metavar="LISTING_OR_REVIEW",
                   help="listings (merged first) or one review file")  # fmt: skip
    u.add_argument("--threshold", type=percent, default=90.0,
                   help="lowest title similarity, 0-100 (default 90)")  # fmt: skip
    u.add_argument("--limit", type=positive_int, default=20, help="pairs to show (default 20)")
    u.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Print the near-duplicate title pairs, best first."""
    from litreview.readers.fuzzy_merge import near_duplicates

    loaded = load_source(args)
    pairs = near_duplicates(loaded.papers, threshold=args.threshold)
    if pairs.empty:
        print(f"no near-duplicate titles at {args.threshold:g}% ({len(loaded.papers):,} papers)")
        return 0
    lines = []
    for pair in pairs.head(args.limit).to_dict("records"):
        lines += [
            f"{pair['score']:5.1f}  {pair['why']}",
            f"       {pair['paper_id']}  {short(str(pair['title']))}",
            f"       {pair['other_id']}  {short(str(pair['other_title']))}",
        ]
    shown = min(len(pairs), args.limit)
    lines.append(
        f"{len(pairs):,} pair{'s' if len(pairs) != 1 else ''} at {args.threshold:g}%"
        + (f", {shown} shown (--limit)" if shown < len(pairs) else "")
        + "; merge the ones you confirm with litreview.merge_near_duplicates(papers, pairs)"
    )
    print("\n".join(lines))
    return 0
