"""``litreview export``: write papers (all, or a query/decision selection) to a file in
the format its suffix names (see :mod:`litreview.writers.formats`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.cli._parser import REVIEWER, SOURCE_HELP, add_command
from litreview.cli.commands import DECISION_CHOICES, REVIEW_ONLY, UsageError, err, load_source
from litreview.review.store.connection import SUFFIX
from litreview.writers import DEFAULT_DIR, formats
from litreview.writers.bibtex import DIALECTS
from litreview.writers.key_formula import DEFAULT_FORMULA

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers
    from litreview.review.core import Review

NAME = "export"
SUMMARY = "write papers (all, or a query/decision selection) as BibTeX, CSV, RIS or Markdown"
EXAMPLES = (
    "  litreview export review.litreview --decision include -o exports/included.bib\n"
    "  litreview export review.litreview --query decision:include -o refs.bib --keep-updated\n"
    "  litreview export review.litreview -o refs.bib --dialect biblatex\n"
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
    e.add_argument("--dialect", choices=DIALECTS, default="bibtex",
                   help="BibTeX for bibtex and its styles, or for biblatex + biber")  # fmt: skip
    e.add_argument("--key-formula", metavar="F",
                   help="listings only: citation key formula for papers without a key "
                   f"(default: Better BibTeX's {DEFAULT_FORMULA!r}); a review pins its keys "
                   "with its own formula (`litreview rekey --formula`)")  # fmt: skip
    e.add_argument("--keep-updated", action="store_true",
                   help="review only: rewrite FILE after every change to the review "
                   "(an auto-export; `litreview rekey --help` for keys)")  # fmt: skip
    e.add_argument("--stop-updating", action="store_true",
                   help="review only: stop keeping FILE up to date (the file stays)")  # fmt: skip
    e.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Select the papers, then write them through :func:`litreview.export` (a review's
    through :meth:`litreview.Review.export`: its pinned citation keys)."""
    from litreview.query.filters import search
    from litreview.review.core import Review
    from litreview.writers import export

    loaded = load_source(args)
    if (args.decision or args.keep_updated or args.stop_updating) and not loaded.is_review:
        what = "--decision" if args.decision else "--keep-updated/--stop-updating"
        raise UsageError(
            f"{args.source} is a listing: {what} needs a review file "
            f"(create one with `litreview add REVIEW{SUFFIX} {args.source}`)"
        )
    excel = formats.get_format("excel")
    options: dict[str, Any] = {"format": excel.name} if args.excel else {}
    if args.excel and Path(args.output).suffix.lower() not in excel.suffixes:
        raise UsageError(
            f"--excel writes CSV: give an output file ending in {excel.suffix}, not {args.output}"
        )
    if formats.format_for(args.output, "excel" if args.excel else None).name == "bibtex":
        options["dialect"] = args.dialect
        if args.key_formula:
            options["key_formula"] = args.key_formula
    if loaded.is_review and args.key_formula:
        raise UsageError(
            f"{args.source} is a review: its keys are pinned with the review's formula; "
            "set it with `litreview rekey REVIEW --formula F` (and --all to recompute)"
        )
    if loaded.is_review:
        with Review.open(args.source, reviewer=args.reviewer) as review:
            if args.keep_updated or args.stop_updating:
                return _auto_export(review, args, options)
            papers = loaded.papers
            if args.query or args.decision:
                papers = search(papers, args.query, decision=args.decision).drop(columns="score")
            written = review.export(papers, args.output, overwrite=args.overwrite, **options)
    else:
        papers = loaded.papers
        if args.query:
            papers = search(papers, args.query).drop(columns="score")
        papers = papers.drop(columns=[c for c in papers.columns if c in REVIEW_ONLY])
        written = export(papers, args.output, overwrite=args.overwrite, **options)
    err(f"wrote {len(papers):,} papers to {written}")
    return 0


def _auto_export(review: Review, args: argparse.Namespace, options: dict[str, Any]) -> int:
    """``--keep-updated`` (an auto-export of the selection) or ``--stop-updating``."""
    if args.stop_updating:
        gone = review.remove_auto_export(args.output)
        err(f"{args.output}: " + ("no longer kept up to date" if gone else "not an auto-export"))
        return 0 if gone else 1
    query = " ".join([args.query, *(f"decision:{d}" for d in args.decision or [])]).strip()
    written = review.auto_export(args.output, query, overwrite=args.overwrite, **options)
    err(f"{written} is kept up to date with the review ({query or 'all papers'})")
    return 0
