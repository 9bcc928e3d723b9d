"""What the commands of :mod:`litreview.cli` share: the usage error, progress bars,
loading a command's source and the plain-text table. Each command lives in its own
module (``cli/read.py``, ``cli/export.py``...); errors are raised and turned into one
line by :func:`litreview.cli.main`.

    >>> short("x" * 200)[-3:]
    'xx…'
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from litreview.report.loading import Loaded, is_review_file, load
from litreview.review.store.connection import SUFFIX
from litreview.schema import DECISIONS

if TYPE_CHECKING:
    import pandas as pd

DECISION_CHOICES = DECISIONS
#: Columns only a review has: dropped when a listing is printed or exported.
REVIEW_ONLY = ("decision", "reason", "tags", "note", "rating", "decided_by", "decided_at")
TITLE_WIDTH = 90
NUMERIC = ("rank", "score", "upvotes", "comments", "n_authors")
T = TypeVar("T")


class UsageError(ValueError):
    """Arguments that make no sense together (exit status 2)."""


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterable[T]:
    """A tqdm bar on stderr when it is a terminal; the plain iterable otherwise."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit="file", leave=False, file=sys.stderr)


def err(text: str) -> None:
    """Print ``text`` on stderr (what a command says besides its output)."""
    print(text, file=sys.stderr)


def load_source(args: argparse.Namespace) -> Loaded:
    """The ``source`` (or ``sources``) of a command that reads (a review's with the
    stage columns when ``args.query`` uses ``stage:`` or ``fulltext:``)."""
    return load(
        getattr(args, "sources", None) or args.source,
        reviewer=getattr(args, "reviewer", None),
        progress=lambda items: progress(items, "reading"),
        stages=_uses_stages(getattr(args, "query", None)),
    )


def _uses_stages(query: str | None) -> bool:
    from litreview.errors import QueryError
    from litreview.query.language import parse, uses

    try:
        return bool(query) and bool(uses(parse(str(query))) & {"stage", "fulltext"})
    except QueryError:  # the search reports it
        return False


def existing_review(path_text: str) -> Path | str:
    """``path_text`` as the path of an existing review file, else a clear error; a
    ``postgresql://`` URL (a server review, docs/server.md) is passed on as it is."""
    from litreview.review.store.base import is_url

    if is_url(path_text):
        return path_text  # Review.open takes either
    path = Path(path_text)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such review; create it with `litreview add {path} LISTING`"
        )
    if not is_review_file(path):
        raise ValueError(f"{path}: not a review file (expected a {SUFFIX} file)")
    return path


def table(df: pd.DataFrame, columns: list[str]) -> str:
    """A plain-text table, titles shortened to fit; empty tables say so."""
    import pandas as pd

    if df.empty:
        return "(no papers)\n"
    view = pd.DataFrame(index=df.index)
    for col in columns:
        values: pd.Series = df[col] if col in df else pd.Series("", index=df.index)
        if col == "published":
            values = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif col == "score":
            values = values.map(lambda s: f"{s:.3f}")
        elif col == "title":
            values = values.fillna("").map(short)
        view[col] = values.astype(object).where(values.notna(), "")
    cells = {c: [str(v) for v in view[c]] for c in columns}
    width = {c: max([len(c), *map(len, cells[c])]) for c in columns}
    right = {c for c in columns if c in NUMERIC}

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(width[c]) if c in right else v.ljust(width[c])
            for c, v in zip(columns, values, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rows = [line(list(columns))] + [line([cells[c][i] for c in columns]) for i in range(len(view))]
    return "\n".join(rows) + "\n"


def short(title: str) -> str:
    """``title`` cut to the table's width with an ellipsis."""
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"
