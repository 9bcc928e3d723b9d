"""``litreview stats``: print counts, date range, top terms and decisions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, SOURCE_HELP, add_command, positive_int
from litreview.cli.commands import load_source
from litreview.schema import DECISIONS

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "stats"
SUMMARY = "print counts, date range, top terms and decisions"
EXAMPLES = "  litreview stats papers.txt\n  litreview stats review.litreview"


def register(subs: Subparsers) -> None:
    """The ``stats`` subcommand and its options."""
    t = add_command(subs, NAME, SUMMARY, EXAMPLES)
    t.add_argument("source", metavar="LISTING_OR_REVIEW", help=SOURCE_HELP)
    t.add_argument("--terms", type=positive_int, default=10, help="top terms to show")
    t.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Print the source's counts, imports, decisions, tags and top terms."""
    from litreview.charts import term_weights

    loaded = load_source(args)
    papers = loaded.papers
    dates = papers["published"].dropna()
    lines = [
        f"source:      {loaded.name}{' (review)' if loaded.is_review else ''}",
        f"papers:      {len(papers):,}",
        "published:   "
        + (f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates")
        + (f" ({len(papers) - len(dates):,} without a date)" if len(dates) < len(papers) else ""),
        f"with code:   {int(papers['code_urls'].map(len).gt(0).sum()):,}",
        f"with arXiv:  {int(papers['arxiv_id'].notna().sum()):,}",
        "",
        "imports:" if loaded.is_review else "listings:",
    ]
    for source, n in zip(loaded.imports["source"], loaded.imports["n_records"], strict=True):
        lines.append(f"  {source}: {int(n):,} records")
    counts = papers["decision"].astype(str).value_counts().reindex(list(DECISIONS), fill_value=0)
    lines += ["", "decisions:"] + [f"  {d:<11}{int(n):,}" for d, n in counts.items()]
    tags = papers["tags"].explode().dropna()
    if len(tags):
        top = tags.value_counts().head(10)
        lines += ["", "tags:"] + [f"  {t}: {int(n):,}" for t, n in top.items()]
    if len(papers):
        terms = term_weights(papers, args.terms)
        lines += ["", f"top terms (of {len(papers):,} titles and abstracts):"]
        lines += [
            f"  {term:<24}{int(k):>6,} papers"
            for term, k in zip(terms["term"], terms["papers"], strict=True)
        ]
    print("\n".join(lines))
    return 0
