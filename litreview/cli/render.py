"""``litreview render``: write one offline HTML file, a notebook executed or a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command, positive_int

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "render"
SUMMARY = "write one offline HTML file: a notebook executed, or a report of a review/listing"
EXAMPLES = (
    "  litreview render review.litreview -o exports/review.html\n"
    "  litreview render notebooks/review.ipynb -o exports/notebook.html --overwrite"
)


def register(subs: Subparsers) -> None:
    """The ``render`` subcommand and its options."""
    d = add_command(subs, NAME, SUMMARY, EXAMPLES)
    d.add_argument("source", metavar="NOTEBOOK_OR_REVIEW",
                   help="a notebook (.ipynb, executed), a review file or a listing")  # fmt: skip
    d.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file")
    d.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
    d.add_argument("--title", help="report title (default: the file name)")
    d.add_argument("--timeout", type=positive_int, default=600, help="seconds per notebook cell")
    d.add_argument("--allow-errors", action="store_true",
                   help="write the notebook even if cells fail (errors shown in it)")  # fmt: skip
    d.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Render the source to ``-o`` (a progress bar per notebook cell on a terminal)."""
    from litreview.report.html import render

    source = Path(args.source)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such file")
    bar = None
    on_cell = None
    if source.suffix.lower() == ".ipynb" and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(desc="executing", unit="cell", leave=False, file=sys.stderr)

        def on_cell(done: int, total: int) -> None:
            assert bar is not None
            bar.total = total
            bar.update(done - bar.n)

    try:
        out = render(
            source,
            args.output,
            overwrite=args.overwrite,
            title=args.title,
            reviewer=args.reviewer,
            timeout=args.timeout,
            on_cell=on_cell,
            allow_errors=args.allow_errors,
        )
    finally:
        if bar is not None:
            bar.close()
    size = out.stat().st_size
    print(f"wrote {out} ({size / 1e6:.1f} MB, works offline)")
    return 0
