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

import json
from collections.abc import Mapping
from enum import StrEnum
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

STRING = pd.StringDtype()
INT = pd.Int64Dtype()
#: Dates and times: microseconds hold every year from 1 to 9999 (nanoseconds stop at 1677
#: and 2262, so a year before 1677 wrapped or raised); ``pd.to_datetime`` makes this unit too.
DATETIME = np.dtype("datetime64[us]")
LIST = np.dtype(object)
#: A ``dict[str, str]`` per row (``extra``): object dtype, told from :data:`LIST` by identity
#: (``DICT == LIST`` is True, so pandas sees a plain object column; ``DICT is LIST`` is False).
DICT = np.dtype(object, metadata={"litreview": "dict"})

#: Column -> dtype of the paper table, in display order.
PAPER_COLUMNS: dict[str, Any] = {
    "paper_id": STRING,
    "title": STRING,
    "abstract": STRING,
    "n_authors": INT,
    "authors": LIST,
    "organization": STRING,
    "published": DATETIME,
    "date_precision": STRING,
    "comments": INT,
    "upvotes": INT,
    "arxiv_id": STRING,
    "doi": STRING,
    "url": STRING,
    "venue": STRING,
    "entry_type": STRING,
    "citation_key": STRING,
    "code_urls": LIST,
    "project_urls": LIST,
    "keywords": LIST,
    "source": STRING,
    "source_line": INT,
    "sources": LIST,
    "extra": DICT,
}

#: Columns that hold a list of str in every row (never NA).
LIST_COLUMNS: tuple[str, ...] = tuple(c for c, t in PAPER_COLUMNS.items() if t is LIST)
#: Columns that hold a dict of str -> str in every row (never NA, ``{}`` when empty).
DICT_COLUMNS: tuple[str, ...] = tuple(c for c, t in PAPER_COLUMNS.items() if t is DICT)

#: ``date_precision`` values, coarsest first (NA when there is no date).
DATE_PRECISIONS: tuple[str, ...] = ("year", "month", "day")

#: The ``entry_type`` vocabulary: BibTeX's and biblatex's entry types, lowercased, plus
#: ``preprint`` (a paper known from a preprint server only, e.g. an arXiv listing). A
#: BibTeX type outside this list is kept as the source wrote it (lowercased); RIS types
#: map onto it (``JOUR`` -> ``article``, ``CPAPER`` -> ``inproceedings``, …; the exact
#: ``TY`` is kept in ``extra`` when the mapping is not one to one).
ENTRY_TYPES: tuple[str, ...] = (
    "article",
    "inproceedings",
    "conference",
    "proceedings",
    "preprint",
    "book",
    "inbook",
    "incollection",
    "booklet",
    "phdthesis",
    "mastersthesis",
    "thesis",
    "techreport",
    "report",
    "manual",
    "unpublished",
    "online",
    "dataset",
    "software",
    "patent",
    "misc",
)

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
    "published": (
        "the paper's date (any year 1-9999), NaT when missing; known to the year or month "
        "only, it is the first day of it: see date_precision"
    ),
    "date_precision": (
        "how much of published the source gave: 'year', 'month' or 'day'; NA when no date"
    ),
    "comments": "comment count, 0 when not shown",
    "upvotes": "upvote count, NA when the source does not show them",
    "arxiv_id": "arXiv id without version, NA when unknown",
    "doi": (
        "DOI without any https://doi.org/, http://dx.doi.org/ or doi: prefix, as the source "
        "spelled it (compare with litreview.ids.normalize_doi: DOIs are case-insensitive); NA "
        "when unknown"
    ),
    "url": "paper page URL when known",
    "venue": "where it appeared: journal, proceedings (booktitle) or conference; NA if unknown",
    "entry_type": (
        "kind of publication, from the vocabulary litreview.schema.ENTRY_TYPES (article, "
        "inproceedings, preprint, book, incollection, phdthesis, misc, …); NA when unknown"
    ),
    "citation_key": "the citation key the source gave (BibTeX key), NA otherwise",
    "code_urls": "code repositories linked in the abstract, cleaned",
    "project_urls": "other links in the abstract, cleaned",
    "keywords": "keywords given by the source (e.g. Hugging Face ai_keywords)",
    "source": "file name (or <text>) the row was read from",
    "source_line": "1-based line where the entry starts",
    "sources": "every file:line the paper was read from",
    "extra": (
        "every other field of the record, keyed by the source's own field name (BibTeX "
        "'volume', RIS 'VL', a CSV column's header) with its text as given; {} when none. "
        "Writers give them back, so BibTeX/RIS/CSV -> review -> BibTeX/RIS loses nothing"
    ),
}


#: The BibTeX field that holds the venue, by entry type (any other type: ``journal``).
VENUE_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("journal", "journaltitle"),
    "periodical": ("journal", "journaltitle"),
    "inproceedings": ("booktitle",),
    "conference": ("booktitle",),
    "incollection": ("booktitle",),
    "inbook": ("booktitle",),
}


def venue_field(entry_type: str | None) -> tuple[str, ...]:
    """The BibTeX field(s) the venue of an entry type is read from (written in the first).

    >>> venue_field("inproceedings"), venue_field("article"), venue_field(None)
    (('booktitle',), ('journal', 'journaltitle'), ('journal',))
    """
    return VENUE_FIELDS.get(entry_type or "", ("journal",))


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

    Missing list columns become empty lists, ``extra`` empty dicts, ``comments`` 0, the
    rest NA; dates given without ``date_precision`` are known to the day.
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
    if "date_precision" not in data and "published" in data:
        out["date_precision"] = day_precision(out["published"])
    for name, values in data.items():
        if name not in PAPER_COLUMNS:  # added all at once: one by one is quadratic in pandas
            out[name] = values if isinstance(values, pd.Series) else pd.Series(values)
    return pd.DataFrame(out, copy=False)  # the Series are new: no need to copy them again


def _missing(name: str, dtype: Any, n: int) -> pd.Series:
    """A column nobody filled: empty lists, 0 comments, else NA (built directly:
    pandas takes ~20 ms to read 100k ``None`` as Int64)."""
    if dtype is LIST:  # a new empty list per row (3 ms per 100k; a listcomp Series takes 7)
        return pd.Series(np.fromiter(map(list, repeat((), n)), dtype=object, count=n), copy=False)
    if dtype is DICT:
        return pd.Series(np.fromiter(map(dict, repeat((), n)), dtype=object, count=n), copy=False)
    if name == "comments":
        return pd.Series(np.zeros(n, dtype=np.int64), dtype=INT)
    if dtype is INT:
        all_na = pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool))
        return pd.Series(all_na, copy=False)
    if dtype is STRING:
        return pd.Series(pd.arrays.StringArray(np.full(n, pd.NA, dtype=object)), copy=False)
    return pd.Series(np.full(n, np.datetime64("NaT"), dtype=dtype))


def _series(values: Any, dtype: Any) -> pd.Series:
    if dtype is DICT:
        dicts = [_as_dict(v) for v in values]
        return pd.Series(np.fromiter(dicts, dtype=object, count=len(dicts)), copy=False)
    if dtype is LIST:
        if type(values) is not list:
            values = [_as_list(v) for v in values]
        return pd.Series(values, dtype=object)
    if dtype is DATETIME:
        return pd.Series(pd.to_datetime(values), dtype=DATETIME)
    if (dtype is INT or dtype is STRING) and _all_none(values):  # a column a reader left empty
        if dtype is INT:  # as pandas reads [None, …]: data 1 under the mask
            ones = np.ones(len(values), dtype=np.int64)
            return pd.Series(pd.arrays.IntegerArray(ones, ones.astype(bool)), copy=False)
        cells = np.full(len(values), pd.NA, dtype=object)
        return pd.Series(pd.arrays.StringArray(cells), copy=False)
    if dtype is STRING and type(values) is list:
        # StringArray only checks that every value is a str or NA: ~5x faster than
        # pandas' general conversion, which is still used for anything else (numbers …)
        try:
            cells = np.fromiter(values, dtype=object, count=len(values))
            return pd.Series(pd.arrays.StringArray(cells), copy=False)
        except ValueError:
            pass
    return pd.Series(values, dtype=dtype)


def _all_none(values: Any) -> bool:
    """True for a non-empty Python list of None only (the first cell decides cheaply:
    ``list.count`` compares every cell, 4 ms per 100k ints)."""
    return (
        type(values) is list
        and bool(values)
        and values[0] is None
        and values.count(None) == len(values)
    )


def _as_list(value: Any) -> list[Any]:
    """A list cell from a list, tuple or array; anything else (NA, None) is ``[]``."""
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


def _as_dict(value: Any) -> dict[str, str]:
    """An ``extra`` cell from a mapping (keys and values as text) or its JSON text (as
    the CSV writer writes it); NA/None/"" is ``{}``; anything else raises ``ValueError``
    (it is never dropped silently)."""
    if type(value) is dict:
        return value
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            return {str(k): str(v) for k, v in decoded.items()}
    if value is None or value is pd.NA or value == "" or _is_nan(value):
        return {}
    raise ValueError(f"an extra cell must be a dict of field -> text, got {value!r:.60}")


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def day_precision(published: pd.Series) -> pd.Series:
    """``date_precision`` for dates known to the day: ``'day'`` where there is a date.

    >>> day_precision(pd.Series(pd.to_datetime(["2020-05-01", None]))).tolist()
    ['day', <NA>]
    """
    known = published.notna().to_numpy(dtype=bool)
    cells = np.full(len(known), pd.NA, dtype=object)
    cells[known] = "day"
    return pd.Series(pd.arrays.StringArray(cells), index=published.index, copy=False)


def conform(df: pd.DataFrame, *, annotated: bool = False) -> pd.DataFrame:
    """Return ``df`` with every schema column present and cast to its dtype.

    Extra columns are kept after the schema columns. Raises :class:`SchemaError`
    naming the column when a value cannot be cast.
    """
    columns = {**PAPER_COLUMNS, **(ANNOTATION_COLUMNS if annotated else {})}
    out = df.copy()
    n = len(out)
    derive_precision = "date_precision" not in out.columns and "published" in out.columns
    for name, dtype in columns.items():
        if name == "date_precision" and derive_precision:
            out[name] = day_precision(pd.to_datetime(out["published"])).array
            continue
        if name not in out.columns:
            if name == "decision":
                out[name] = pd.Series(["unscreened"] * n, dtype=DECISION_DTYPE, index=out.index)
            else:
                out[name] = _missing(name, dtype, n).array  # by position: any index
            continue
        try:
            if dtype is DICT:
                out[name] = pd.Series([_as_dict(v) for v in out[name]], index=out.index)
            elif dtype is LIST:
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
