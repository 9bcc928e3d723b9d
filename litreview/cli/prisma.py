"""``litreview prisma``: the whole PRISMA 2020 flow of a review as a table (json, csv),
an SVG or an offline HTML page; every number can be traced with ``--box``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import existing_review, table

if TYPE_CHECKING:
    import pandas as pd

    from litreview.cli._parser import Subparsers

NAME = "prisma"
SUMMARY = "the PRISMA 2020 flow of a review (table, json, csv, svg or html) and its papers"
EXAMPLES = (
    "  litreview prisma review.litreview\n"
    "  litreview prisma review.litreview --format svg -o exports/prisma.svg\n"
    "  litreview prisma review.litreview --format html -o exports/prisma.html\n"
    "  litreview prisma review.litreview --box excluded --stage fulltext"
)
FORMATS = ("table", "json", "csv", "svg", "html")


def register(subs: Subparsers) -> None:
    """The ``prisma`` subcommand and its options."""
    p = add_command(subs, NAME, SUMMARY, EXAMPLES)
    p.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (html needs one)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
    p.add_argument("--box", help="list the papers behind this box instead (e.g. excluded)")
    p.add_argument("--stage", choices=("title", "retrieval", "fulltext"), help="the box's stage")
    p.add_argument("--label", help="the reason or pending row of a reason/pending box")
    p.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """Print or write ``Review.prisma_table()`` (or the papers of ``--box``)."""
    from litreview.review.core import Review

    path = existing_review(args.review)
    target = Path(args.output) if args.output else None
    if target is not None and target.exists() and not args.overwrite:
        raise FileExistsError(f"{target} already exists; pass --overwrite to replace it")
    text: str | None
    with Review.open(path, reviewer=args.reviewer) as review:
        if args.box:
            papers = review.prisma_records(args.box, stage=args.stage, label=args.label)
            text = table(papers, ["paper_id", "title", "decision"])
        else:
            text = render(review.prisma_table(), args.format, target, title=review.path.name)
    if text is None:
        print(f"wrote {target}", file=sys.stderr)
    elif target is not None:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def render(counts: pd.DataFrame, form: str, target: Path | None, *, title: str) -> str | None:
    """``counts`` as text in ``form``; html is written to ``target`` (None returned).

    >>> import pandas as pd
    >>> render(pd.DataFrame({"stage": ["included"], "box": ["included"], "label": ["x"],
    ...     "n": [3]}), "csv", None, title="r")
    'stage,box,label,n\\nincluded,included,x,3\\n'
    """
    if form == "json":
        rows = [{**r, "n": int(r["n"])} for r in counts.to_dict("records")]
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if form == "csv":
        return str(counts.to_csv(index=False, lineterminator="\n"))
    if form == "svg":
        from litreview.charts.prisma_2020 import flow_svg

        return flow_svg(counts, title=f"PRISMA 2020 flow of {title}")
    if form == "html":
        if target is None:
            raise ValueError("--format html needs -o FILE (the page embeds plotly.js, ~4.8 MB)")
        from litreview.charts import write_html
        from litreview.charts.prisma_2020 import flow_figure

        write_html(flow_figure(counts, f"PRISMA 2020 flow of {title}"), target, title=title)
        return None
    return table(counts.astype({"n": str}), ["stage", "box", "label", "n"])
