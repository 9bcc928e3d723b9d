"""``litreview export``: write papers (all, or a query/decision selection) to a file in
the format its suffix names (see :mod:`litreview.writers.formats`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, SOURCE_HELP, add_command
from litreview.cli.commands import DECISION_CHOICES, REVIEW_ONLY, UsageError, err, load_source
from litreview.review.store.connection import SUFFIX
from litreview.writers import DEFAULT_DIR, formats

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "export"
SUMMARY = "write papers (all, or a query/decision selection) as BibTeX, CSV, RIS or Markdown"
EXAMPLES = (
    "  litreview export review.litreview --decision include -o exports/included.bib\n"
    "  litreview export papers.txt --query 'has:code' -o exports/with-code.csv --overwrite\n"
    "  litreview export review.litreview -o exports/for-excel.csv --excel"
)


def register(subs: Subparsers) -> None:
    """The ``export`` subcommand and its options."""
    e = add_command(subs, NAME, SUMMARY, EXAMPLES)
    e.add_argument("source", metavar="LISTING_OR_REVIEW", help=SOURCE_HELP)
    e.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=f"{formats.suffix_list()}; a bare name goes to {DEFAULT_DIR}/")  # fmt: skip
    e.add_argument("--query", default="", metavar="Q", help="keep papers matching this query")
    e.add_argument("--decision", action="append", choices=DECISION_CHOICES,
                   help="keep papers with this decision (repeatable)")  # fmt: skip
    e.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
    e.add_argument("--excel", action="store_true",
                   help="CSV for spreadsheet programs: cells starting with = + - @ get a "
                   "leading ' so they are never run as formulas; BOM and CRLF")  # fmt: skip
    e.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Select the papers, then write them through :func:`litreview.export`."""
    from litreview.query.filters import search
    from litreview.writers import export

    loaded = load_source(args)
    if args.decision and not loaded.is_review:
        raise UsageError(
            f"{args.source} is a listing: it has no decisions; --decision needs a review file "
            f"(create one with `litreview add REVIEW{SUFFIX} {args.source}`)"
        )
    papers = loaded.papers
    if args.query or args.decision:
        papers = search(papers, args.query, decision=args.decision).drop(columns="score")
    if not loaded.is_review:
        papers = papers.drop(columns=[c for c in papers.columns if c in REVIEW_ONLY])
    excel = formats.get_format("excel")
    options = {"format": excel.name} if args.excel else {}
    if args.excel and Path(args.output).suffix.lower() not in excel.suffixes:
        raise UsageError(
            f"--excel writes CSV: give an output file ending in {excel.suffix}, not {args.output}"
        )
    written = export(papers, args.output, overwrite=args.overwrite, **options)
    err(f"wrote {len(papers):,} papers to {written}")
    return 0
