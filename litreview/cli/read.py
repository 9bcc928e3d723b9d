"""``litreview read``: parse listings and print or write the papers (table, CSV or JSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from litreview._files import write_atomic
from litreview.cli._parser import add_command
from litreview.cli.commands import REVIEW_ONLY, UsageError, err, progress, table
from litreview.report.loading import is_review_file, load
from litreview.writers import formats

if TYPE_CHECKING:
    import pandas as pd

    from litreview.cli._parser import Subparsers

NAME = "read"
SUMMARY = "parse listings and print or write the papers"
EXAMPLES = (
    "  litreview read papers.txt\n"
    "  litreview read papers.txt more.md --format csv -o exports/papers.csv\n"
    "  litreview read daily_papers.json --format json | jq '.[0].title'"
)
#: What ``read`` prints: a plain-text table, the CSV export, or pandas' JSON records.
READ_FORMATS = ("table", "csv", "json")


def register(subs: Subparsers) -> None:
    """The ``read`` subcommand and its options."""
    r = add_command(subs, NAME, SUMMARY, EXAMPLES)
    r.add_argument("listings", nargs="+", metavar="LISTING", help="listing files (merged)")
    r.add_argument("--format", choices=READ_FORMATS, help="default: from -o, else table")
    r.add_argument("-o", "--output", metavar="FILE", help="write here instead of printing")
    r.add_argument("--overwrite", action="store_true", help="replace an existing FILE")


def handle(args: argparse.Namespace) -> int:
    """Read ``args.listings`` (merged) and print them, or write them to ``-o``."""
    out = Path(args.output) if args.output else None
    fmt = args.format or format_of(out)
    if out is not None and not args.overwrite and out.exists():
        raise FileExistsError(f"{out} already exists; pass --overwrite to replace it")
    for name in args.listings:
        if is_review_file(name):
            raise UsageError(f"{name} is a review file; `read` takes listings (try `stats`)")
    papers = load(args.listings, progress=lambda items: progress(items, "reading")).papers
    papers = papers.drop(columns=[c for c in papers.columns if c in REVIEW_ONLY])
    text = format_papers(papers, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text, overwrite=args.overwrite)
        err(f"wrote {len(papers):,} papers to {out}")
    return 0


def format_of(out: Path | None) -> str:
    """The ``read`` format an output file's suffix means (``.txt`` or none: the table).

    >>> format_of(Path("papers.CSV")), format_of(None)
    ('csv', 'table')
    """
    if out is None:
        return "table"
    suffix = out.suffix.lower()
    csv = formats.get_format("csv")
    if suffix == ".json" or formats.suffix_format(suffix) is csv:
        return suffix[1:]
    if suffix in (".txt", ""):
        return "table"
    others = [f.name for f in formats.FORMATS if f.suffix != csv.suffix]
    raise UsageError(
        f"cannot tell the format of {out} from its suffix; give --format csv, json or table "
        f"(for {formats.suffix_list(others)} use `litreview export`)"
    )


def format_papers(papers: pd.DataFrame, fmt: str) -> str:
    """``papers`` as ``read`` prints them in ``fmt`` (one of :data:`READ_FORMATS`)."""
    if fmt == "csv":
        return formats.get_format("csv").write(papers)
    if fmt == "json":
        return papers.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    return table(papers, ["paper_id", "published", "upvotes", "title"])
