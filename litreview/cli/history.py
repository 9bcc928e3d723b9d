"""``litreview history``: print what changed in a review, oldest first."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from litreview.cli._parser import add_command, positive_int
from litreview.cli.commands import existing_review

if TYPE_CHECKING:
    import pandas as pd

    from litreview.cli._parser import Subparsers

NAME = "history"
SUMMARY = "print a review's changes (who, when, which field, old and new value)"
EXAMPLES = (
    "  litreview history review.litreview\n"
    "  litreview history review.litreview 2401-12345-attention\n"
    "  litreview history review.litreview --last 20 --reviewer ada --format csv"
)
FORMATS = ("table", "csv", "json")


def register(subs: Subparsers) -> None:
    """The ``history`` subcommand and its options."""
    h = add_command(subs, NAME, SUMMARY, EXAMPLES)
    h.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    h.add_argument("paper_id", nargs="?", metavar="PAPER_ID", help="only this paper's changes")
    h.add_argument("--reviewer", help="only this reviewer's changes (default: everyone's)")
    h.add_argument("--last", type=positive_int, metavar="N", help="only the N latest changes")
    h.add_argument("--format", choices=FORMATS, default="table", help="output format")


def handle(args: argparse.Namespace) -> int:
    """Print the review's history through ``Review.history``."""
    from litreview.review.core import Review

    path = existing_review(args.review)
    with Review.open(path) as review:
        changes = review.history(args.paper_id)
    if args.reviewer is not None:
        changes = changes[changes["reviewer"] == args.reviewer]
    if args.last is not None:
        changes = changes.tail(args.last)
    print(render(changes, args.format), end="")
    return 0


def render(changes: pd.DataFrame, form: str) -> str:
    """``changes`` (a history table) as text in ``form`` (one of :data:`FORMATS`).

    >>> import pandas as pd
    >>> render(pd.DataFrame(columns=["paper_id", "reviewer", "at", "field",
    ...     "old_value", "new_value"]), "table")
    '(no changes)\\n'
    """
    import pandas as pd

    at = pd.to_datetime(changes["at"]).dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
    rows: list[dict[str, str]] = [
        {
            "at": str(when),
            "reviewer": str(reviewer),
            "paper_id": str(paper_id),
            "field": str(field),
            "old_value": _shown(old),
            "new_value": _shown(new),
        }
        for when, reviewer, paper_id, field, old, new in zip(
            at,
            changes["reviewer"],
            changes["paper_id"],
            changes["field"],
            changes["old_value"],
            changes["new_value"],
            strict=True,
        )
    ]
    if form == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if form == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if not rows:
        return "(no changes)\n"
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in _COLUMNS[:-1]}
    lines = [
        "  ".join([*(r[c].ljust(width[c]) for c in _COLUMNS[:-1]), r["new_value"]]).rstrip()
        for r in [dict(zip(_COLUMNS, _COLUMNS, strict=True)), *rows]
    ]
    return "\n".join(lines) + "\n"


_COLUMNS = ("at", "reviewer", "paper_id", "field", "old_value", "new_value")


def _shown(value: Any) -> str:
    """A history value as one line: lists joined by ``; ``, nothing as ``-``."""
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value)) or "-"
    return " ".join(str(value).split()) or "''"
