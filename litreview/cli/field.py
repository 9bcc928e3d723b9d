"""``litreview field``: a review's extraction fields: list or define them, record values
for papers, print the extraction table."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import UsageError, existing_review, table

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "field"
SUMMARY = "define a review's extraction fields, record their values, print the extraction table"
EXAMPLES = (
    "  litreview field review.litreview\n"
    "  litreview field review.litreview --define sample_size --kind number\n"
    "  litreview field review.litreview --define design --kind choice --options RCT cohort\n"
    "  litreview field review.litreview 3ea27e1176ff --set sample_size=120 --set design=RCT\n"
    "  litreview field review.litreview --table --format csv"
)
KINDS = ("text", "number", "choice", "yesno")
FORMATS = ("table", "csv", "json")


def register(subs: Subparsers) -> None:
    """The ``field`` subcommand and its options."""
    f = add_command(subs, NAME, SUMMARY, EXAMPLES)
    f.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    f.add_argument("paper_ids", nargs="*", metavar="ID", help="the papers --set records values for")
    f.add_argument("--define", metavar="NAME", help="define (or change) the field NAME")
    f.add_argument("--kind", choices=KINDS, help="the kind of the field --define names")
    f.add_argument("--options", nargs="+", metavar="OPTION", help="a choice field's options")
    f.add_argument("--description", help="what the field records (shown in the paper view)")
    f.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="record VALUE of field NAME for the IDs (repeatable; NAME= clears it)",
    )  # fmt: skip
    f.add_argument("--table", action="store_true", help="print the extraction table")
    f.add_argument("--format", choices=FORMATS, default="table", help="--table's output format")
    f.add_argument("--reviewer", **REVIEWER)


def handle(args: argparse.Namespace) -> int:
    """One library call per option: ``define_field``, ``annotate(fields=...)``,
    ``extraction()``; with none, print ``fields()``."""
    from litreview.review.core import Review

    path = existing_review(args.review)
    if args.paper_ids and not args.set:
        raise UsageError("paper IDs need --set NAME=VALUE")
    if args.set and not args.paper_ids:
        raise UsageError("--set needs the IDs of the papers")
    if args.define is None and (args.kind or args.options or args.description):
        raise UsageError("--kind, --options and --description go with --define NAME")
    with Review.open(path, reviewer=args.reviewer) as review:
        if args.define is not None:
            if args.kind is None:
                raise UsageError("--define needs --kind (text, number, choice or yesno)")
            review.define_field(
                args.define, args.kind, options=args.options, description=args.description
            )
            print(f"{path}: field {args.define.strip().lower()!r} ({args.kind}) defined")
        if args.set:
            values = dict(_pair(text) for text in args.set)
            review.annotate(args.paper_ids, fields=values)
            n = len(args.paper_ids)
            print(f"recorded {', '.join(values)} for {n} paper{'s' if n != 1 else ''}")
        if args.table:
            print(_render(review.extraction(), args.format), end="")
        elif args.define is None and not args.set:
            fields = review.fields()
            if fields.empty:
                print(f"{path}: no extraction fields yet (define one with --define NAME --kind)")
            else:
                fields["options"] = fields["options"].map(", ".join)
                print(table(fields, ["name", "kind", "options", "description"]), end="")
    return 0


def _pair(text: str) -> tuple[str, str | None]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--set takes NAME=VALUE, got {text!r}")
    return name.strip(), value if value.strip() else None


def _render(extraction: object, form: str) -> str:
    import pandas as pd

    assert isinstance(extraction, pd.DataFrame)
    if form == "csv":
        return str(extraction.to_csv(index=False))
    if form == "json":
        records = json.loads(extraction.to_json(orient="records", force_ascii=False))
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if extraction.empty:
        return "(no values recorded)\n"
    return table(extraction, [str(c) for c in extraction.columns])
