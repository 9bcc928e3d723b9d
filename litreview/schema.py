"""The paper table: column names, dtypes, decision values and validation.

Every reader returns a DataFrame in this schema and every other part of
litreview accepts one::

    >>> df = empty_papers()
    >>> list(df.columns[:3])
    ['paper_id', 'title', 'abstract']
    >>> validate(df) is df
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

STRING = pd.StringDtype()
INT = pd.Int64Dtype()
DATETIME = np.dtype("datetime64[ns]")
LIST = np.dtype(object)

#: Column -> dtype of the paper table, in display order.
PAPER_COLUMNS: dict[str, Any] = {
    "paper_id": STRING,
    "title": STRING,
    "abstract": STRING,
    "n_authors": INT,
    "authors": LIST,
    "organization": STRING,
    "published": DATETIME,
    "comments": INT,
    "upvotes": INT,
    "arxiv_id": STRING,
    "url": STRING,
    "code_urls": LIST,
    "project_urls": LIST,
    "keywords": LIST,
    "source": STRING,
    "source_line": INT,
    "sources": LIST,
}

#: Columns that hold a list of str in every row (never NA).
LIST_COLUMNS: tuple[str, ...] = tuple(c for c, t in PAPER_COLUMNS.items() if t is LIST)

COLUMN_DOCS: dict[str, str] = {
    "paper_id": (
        "stable id derived from the normalized title (plus the arXiv id when an earlier "
        "paper of that title has another one: litreview.ids); never a row number"
    ),
    "title": "title as in the source, whitespace-trimmed",
    "abstract": "abstract as in the source, whitespace-trimmed",
    "n_authors": "author count, NA when the source shows none",
    "authors": "author names when the source has them, else empty list",
    "organization": "organization shown instead of authors, else NA",
    "published": "the paper's date; NaT when missing",
    "comments": "comment count, 0 when not shown",
    "upvotes": "upvote count, NA when the source does not show them",
    "arxiv_id": "arXiv id without version, NA when unknown",
    "url": "paper page URL when known",
    "code_urls": "code repositories linked in the abstract, cleaned",
    "project_urls": "other links in the abstract, cleaned",
    "keywords": "keywords given by the source (e.g. Hugging Face ai_keywords)",
    "source": "file name (or <text>) the row was read from",
    "source_line": "1-based line where the entry starts",
    "sources": "every file:line the paper was read from",
}


class Decision(StrEnum):
    """A screening decision."""

    UNSCREENED = "unscreened"
    INCLUDE = "include"
    MAYBE = "maybe"
    EXCLUDE = "exclude"


DECISIONS: tuple[str, ...] = tuple(d.value for d in Decision)
DECISION_DTYPE = pd.CategoricalDtype(list(DECISIONS), ordered=False)

#: Columns the review store adds to the paper table.
ANNOTATION_COLUMNS: dict[str, Any] = {
    "decision": DECISION_DTYPE,
    "reason": STRING,
    "tags": LIST,
    "note": STRING,
    "rating": INT,
    "decided_by": STRING,
    "decided_at": DATETIME,
}


class SchemaError(ValueError):
    """A DataFrame that does not follow the paper schema."""


def empty_papers(*, annotated: bool = False) -> pd.DataFrame:
    """An empty paper table with every column and dtype."""
    columns = {**PAPER_COLUMNS, **(ANNOTATION_COLUMNS if annotated else {})}
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def papers_from_columns(columns: Mapping[str, Any]) -> pd.DataFrame:
    """Build a paper table from per-column sequences, filling missing columns.

    Missing list columns become empty lists, ``comments`` becomes 0, the rest NA.
    A list column given as a Python list must hold a list in every cell (readers
    build them so; this is the fast path for large listings).

    >>> df = papers_from_columns({"paper_id": ["x"], "title": ["T"]})
    >>> df.loc[0, "comments"], df.loc[0, "authors"]
    (np.int64(0), [])
    """
    data = {k: v if hasattr(v, "__len__") else list(v) for k, v in columns.items()}
    n = len(next(iter(data.values()))) if data else 0
    out: dict[str, pd.Series] = {}
    for name, dtype in PAPER_COLUMNS.items():
        values = data.get(name)
        out[name] = _missing(name, dtype, n) if values is None else _series(values, dtype)
    for name, values in data.items():
        if name not in PAPER_COLUMNS:  # added all at once: one by one is quadratic in pandas
            out[name] = values if isinstance(values, pd.Series) else pd.Series(values)
    return pd.DataFrame(out, copy=False)  # the Series are new: no need to copy them again


def _missing(name: str, dtype: Any, n: int) -> pd.Series:
    """A column nobody filled: empty lists, 0 comments, else NA (built directly:
    pandas takes ~20 ms to read 100k ``None`` as Int64)."""
    if dtype is LIST:  # a new empty list per row (3 ms per 100k; a listcomp Series takes 7)
        return pd.Series(np.fromiter(map(list, repeat((), n)), dtype=object, count=n), copy=False)
    if name == "comments":
        return pd.Series(np.zeros(n, dtype=np.int64), dtype=INT)
    if dtype is INT:
        all_na = pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool))
        return pd.Series(all_na, copy=False)
    if dtype is STRING:
        return pd.Series(pd.arrays.StringArray(np.full(n, pd.NA, dtype=object)), copy=False)
    return pd.Series(np.full(n, np.datetime64("NaT"), dtype=dtype))


def _series(values: Any, dtype: Any) -> pd.Series:
    if dtype is LIST:
        if type(values) is not list:
            values = [_as_list(v) for v in values]
        return pd.Series(values, dtype=object)
    if dtype is DATETIME:
        return pd.Series(pd.to_datetime(values), dtype=DATETIME)
    if dtype is STRING and type(values) is list:
        # StringArray only checks that every value is a str or NA: ~5x faster than
        # pandas' general conversion, which is still used for anything else (numbers …)
        try:
            cells = np.fromiter(values, dtype=object, count=len(values))
            return pd.Series(pd.arrays.StringArray(cells), copy=False)
        except ValueError:
            pass
    return pd.Series(values, dtype=dtype)


def _as_list(value: Any) -> list[Any]:
    """A list cell from a list, tuple or array; anything else (NA, None) is ``[]``."""
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


def conform(df: pd.DataFrame, *, annotated: bool = False) -> pd.DataFrame:
    """Return ``df`` with every schema column present and cast to its dtype.

    Extra columns are kept after the schema columns. Raises :class:`SchemaError`
    naming the column when a value cannot be cast.
    """
    columns = {**PAPER_COLUMNS, **(ANNOTATION_COLUMNS if annotated else {})}
    out = df.copy()
    n = len(out)
    for name, dtype in columns.items():
        if name not in out.columns:
            if name == "decision":
                out[name] = pd.Series(["unscreened"] * n, dtype=DECISION_DTYPE, index=out.index)
            else:
                out[name] = _missing(name, dtype, n).array  # by position: any index
            continue
        try:
            if dtype is LIST:
                out[name] = [_as_list(v) for v in out[name]]
            elif dtype is DATETIME:
                out[name] = pd.to_datetime(out[name]).astype(DATETIME)
            elif out[name].dtype != dtype:
                out[name] = out[name].astype(dtype)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"column {name!r} cannot be read as {dtype}: {exc}") from exc
    ordered = list(columns) + [c for c in out.columns if c not in columns]
    return out[ordered]


def validate(df: pd.DataFrame, *, annotated: bool = False) -> pd.DataFrame:
    """Check that ``df`` follows the schema; return it unchanged or raise
    :class:`SchemaError` listing every missing column and wrong dtype."""
    columns = {**PAPER_COLUMNS, **(ANNOTATION_COLUMNS if annotated else {})}
    problems = []
    for name, dtype in columns.items():
        if name not in df.columns:
            problems.append(f"missing column {name!r} ({dtype})")
        elif df[name].dtype != dtype:
            problems.append(f"column {name!r} has dtype {df[name].dtype}, expected {dtype}")
    if problems:
        raise SchemaError("DataFrame does not follow the litreview schema: " + "; ".join(problems))
    return df
