"""Read several listings and merge them into one row per paper.

>>> import litreview
>>> both = litreview.read_listings([litreview.SAMPLE_LISTING, litreview.SAMPLE_LISTING])
>>> len(both)  # the same 36 papers twice: one row each
36

Merge rules
-----------
* **Same paper** is the rule of :mod:`litreview.ids` (the one the review store
  follows too): the same arXiv id (``v1``/``v2`` are one paper), else the same
  ``paper_id``, else the same normalized title (:func:`litreview.ids.normalize_title`:
  case, accents, punctuation, whitespace and Markdown line-break escapes do not
  matter), never two different arXiv ids. Rows are taken in the order given
  (sources, then lines), the order :meth:`litreview.Review.add` sees them, so a
  row without an arXiv id whose title several arXiv ids share joins the first.
* **Which ``paper_id`` is kept.** The id of the paper's first row in that order
  (annotations are stored by ``paper_id``), unless a paper of the same title
  with another arXiv id came first: then :func:`litreview.ids.arxiv_variant_id`
  of its title and arXiv id. A review given the same sources in the same order
  gives every paper the same id; list the plain copy first to keep its ids.
* **Which values are kept** is the merge policy of :mod:`litreview.readers.policy`.
  The ``title``, ``source`` and ``source_line`` are the preferred row's: the first
  row in the order plain-text copy, CSV (our own export carries the ids
  annotations use), linked text, Markdown, JSON, RIS, BibTeX, then any other
  table; ties go to the earlier source, then the earlier line. The
  longest abstract and author list; the larger author, upvote and comment
  counts; the first non-missing organization, date, arXiv id, DOI, URL, venue,
  entry type and citation key in the preference order (a later date that agrees
  and is more precise wins, with its ``date_precision``); code links, project
  links and keywords are the union, in order; ``extra`` holds every key of every
  record (a differing value of a key already kept as ``key_2``).
* ``sources`` lists every ``file:line`` the paper was read from.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from litreview.ids import PaperIndex, normalize_arxiv_id, title_key
from litreview.readers._io import Source
from litreview.readers.listing import Errors, read_listing_and_format
from litreview.readers.policy import (
    FIRST,
    FORMAT_PRIORITY,
    MAX,
    TABLE,
    UNION,
    finer_date,
    merge_extra,
    rank,
)
from litreview.schema import LIST, PAPER_COLUMNS, conform, papers_from_columns

_BARE_ARXIV = r"\d{4}\.\d{4,5}"
REPORT_COLUMNS = ("paper_id", "title", "rows", "matched_on", "merged_ids", "sources")
_UNION = tuple(c for c in UNION if c != "sources")  # sources: united for every paper


@overload
def read_listings(
    sources: Iterable[Source | pd.DataFrame],
    *,
    year: int | None = ...,
    errors: Errors = ...,
    report: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def read_listings(
    sources: Iterable[Source | pd.DataFrame],
    *,
    year: int | None = ...,
    errors: Errors = ...,
    report: Literal[True],
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def read_listings(
    sources: Iterable[Source | pd.DataFrame],
    *,
    year: int | None = ...,
    errors: Errors = ...,
    report: bool,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]: ...


def read_listings(
    sources: Iterable[Source | pd.DataFrame],
    *,
    year: int | None = None,
    errors: Errors = "warn",
    report: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read every source (path, text, open file or paper DataFrame) and merge
    them into one row per paper (see the module docstring for the rules).

    ``year`` is used for dates shown without a year; ``errors`` is as in
    :func:`litreview.read_listing`. With ``report=True`` returns
    ``(papers, report)``, the report having one row per merged paper:
    ``paper_id``, ``title``, ``rows`` (how many rows were merged),
    ``matched_on`` (why), ``merged_ids`` (the other paper_ids folded in) and
    ``sources``.

    >>> import litreview
    >>> papers, why = litreview.read_listings(
    ...     [litreview.SAMPLE_LISTING, litreview.SAMPLE_LISTING], report=True)
    >>> why.loc[0, "matched_on"]
    'same normalized title'
    """
    frames: list[pd.DataFrame] = []
    formats: list[str] = []
    for source in sources:
        if isinstance(source, pd.DataFrame):
            frame, fmt = conform(source), TABLE
        else:
            frame, fmt = read_listing_and_format(source, year=year, errors=errors)
        frames.append(frame)
        formats.append(fmt)
    merged, why = merge_papers(frames, formats)
    return (merged, why) if report else merged


def merge_papers(
    frames: list[pd.DataFrame], formats: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge paper tables (in the schema) into one row per paper; also return the report.

    ``formats`` names each frame's format (for the choice of the kept
    ``paper_id``); by default every frame counts as a table, so earlier
    frames win.
    """
    formats = formats or [TABLE] * len(frames)
    if not frames:
        return papers_from_columns({}), _empty_report()
    parts = []
    for number, (frame, fmt) in enumerate(zip(frames, formats, strict=True)):
        part = frame.reset_index(drop=True)
        part = part.assign(_priority=rank(fmt), _frame=number, _row=np.arange(len(part)))
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    if df.empty:
        return conform(df.drop(columns=["_priority", "_frame", "_row"])), _empty_report()
    ids, df["_by_title"], arxiv = _match_keys(df)
    df["arxiv_id"] = pd.array(arxiv, dtype="string")  # versions dropped
    df["_group"], kept_ids = pd.factorize(ids)
    df = df.sort_values(["_group", "_priority", "_frame", "_row"], kind="stable")
    merged = _aggregate(df)
    merged["paper_id"] = pd.array(kept_ids, dtype="string")
    report = _report(df, merged)
    return _schema_order(merged.drop(columns="_rows")), report


def merge_rows(df: pd.DataFrame, groups: Sequence[Hashable]) -> pd.DataFrame:
    """Merge the rows of one paper table that share a label in ``groups`` (one per
    row) into one row each, by the rules above; the earliest row of a group is
    its preferred row, and groups keep the order of their first row.

    >>> df = papers_from_columns({"paper_id": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...                           "sources": [["x:1"], ["y:2"], ["z:3"]]})
    >>> merge_rows(df, [0, 1, 0])[["paper_id", "sources"]].values.tolist()
    [['a', ['x:1', 'z:3']], ['b', ['y:2']]]
    """
    if len(groups) != len(df):
        raise ValueError(f"{len(groups)} group labels for {len(df)} rows")
    part = conform(df).reset_index(drop=True)
    if part.empty:
        return _schema_order(part)
    labels = np.empty(len(groups), dtype=object)
    labels[:] = list(groups)  # tuples stay labels, not rows of a 2-D array
    codes, _ = pd.factorize(labels)
    part = part.assign(_group=codes, _row=np.arange(len(part)))
    part = part.sort_values(["_group", "_row"], kind="stable")
    return _schema_order(_aggregate(part).drop(columns="_rows"))


def _match_keys(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The id of the paper each row of ``df`` belongs to (the "same paper" rule of
    :class:`litreview.ids.PaperIndex`, rows in the order given), whether a
    row without an arXiv id joined a paper that has one, and the bare arXiv ids."""
    raw = df["arxiv_id"].astype("string")
    bare = raw.str.fullmatch(_BARE_ARXIV).fillna(False).to_numpy(dtype=bool)
    arxiv = [
        a if ok else normalize_arxiv_id(a)
        for a, ok in zip(raw.to_numpy(dtype=object, na_value=""), bare, strict=True)
    ]
    titles = df["title"].to_numpy(dtype=object, na_value="")
    pids = df["paper_id"].to_numpy(dtype=object, na_value="")
    index = PaperIndex()
    place = index.place
    ids = np.array(
        [
            place(pid, title, arx, title_key(title))[0]
            for pid, title, arx in zip(pids, titles, arxiv, strict=True)
        ],
        dtype=object,
    )
    has_id = np.array([a is not None for a in arxiv], dtype=bool)
    group_arxiv = np.array([index.arxiv_of[i] is not None for i in ids], dtype=bool)
    return ids, ~has_id & group_arxiv, np.array(arxiv, dtype=object)


def _aggregate(df: pd.DataFrame) -> pd.DataFrame:
    """One row per ``_group`` of the sorted frame (preferred row first in each group)."""
    groups = df["_group"].to_numpy()
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(df)])
    first = df.iloc[starts].reset_index(drop=True)
    grouped = df.groupby("_group", sort=True)
    out = first.copy()
    for column in FIRST:
        out[column] = grouped[column].first().to_numpy()
    for column in MAX:
        out[column] = grouped[column].max().to_numpy()
    abstract_len = df["abstract"].str.len().fillna(-1).to_numpy()
    out["abstract"] = df["abstract"].to_numpy()[_argmax_per_group(abstract_len, starts, sizes)]
    authors_len = np.fromiter((len(a) for a in df["authors"]), dtype=np.int64, count=len(df))
    out["authors"] = df["authors"].to_numpy()[_argmax_per_group(authors_len, starts, sizes)]
    multi = np.flatnonzero(sizes > 1)
    if len(multi):
        _merge_dates(df, out, starts, sizes, multi)
        extra = df["extra"].to_numpy()
        merged_extra = out["extra"].to_numpy().copy()
        for g in multi:
            both = merged_extra[g]
            for cell in extra[starts[g] + 1 : starts[g] + sizes[g]]:
                both = merge_extra(both, cell)
            merged_extra[g] = both
        out["extra"] = merged_extra
        for column in (*_UNION, "sources"):
            values = df[column].to_numpy()
            merged = out[column].to_numpy().copy()
            for g in multi:
                s, e = starts[g], starts[g] + sizes[g]
                merged[g] = list(dict.fromkeys(v for cell in values[s:e] for v in cell))
            out[column] = merged
    counted = out["n_authors"].to_numpy(dtype="float64", na_value=np.nan)
    listed = np.array([len(a) or np.nan for a in out["authors"]], dtype="float64")
    out["n_authors"] = pd.Series(np.fmax(counted, listed), dtype="Float64").astype("Int64")
    out["_rows"] = sizes
    keep = [c for c in out.columns if not c.startswith("_") or c == "_rows"]
    return out[keep]


def _merge_dates(
    df: pd.DataFrame, out: pd.DataFrame, starts: np.ndarray, sizes: np.ndarray, multi: np.ndarray
) -> None:
    """``published`` and its ``date_precision`` of each merged paper, from one row: the
    first row with a date in the preference order, unless a later one agrees with it
    and says more (a day in its year): :func:`litreview.readers.policy.finer_date`."""
    dates = df["published"].to_numpy()
    precision = df["date_precision"].astype(object).to_numpy()
    text = np.datetime_as_string(dates, unit="D")
    kept_dates = out["published"].to_numpy().copy()
    kept_precision = out["date_precision"].astype(object).to_numpy().copy()
    for g in multi:
        best = None
        for i in range(starts[g], starts[g] + sizes[g]):
            if np.isnat(dates[i]):
                continue
            if best is None or finer_date(text[best], precision[best], text[i], precision[i]):
                best = i
        if best is not None:
            kept_dates[g], kept_precision[g] = dates[best], precision[best]
    out["published"] = kept_dates
    out["date_precision"] = pd.array(kept_precision, dtype="string")


def _schema_order(out: pd.DataFrame) -> pd.DataFrame:
    """``out`` with the schema's columns first and scalar columns cast where needed
    (list columns are already lists: no per-cell pass over them)."""
    for name, dtype in PAPER_COLUMNS.items():
        if dtype is not LIST and out[name].dtype != dtype:
            out[name] = out[name].astype(dtype)
    extra = [c for c in out.columns if c not in PAPER_COLUMNS]
    return out[[*PAPER_COLUMNS, *extra]].reset_index(drop=True)


def _argmax_per_group(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Row position of the largest value in each group (the first on ties)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    group = np.repeat(np.arange(len(starts)), sizes)
    order = np.lexsort((np.arange(len(values)), -values, group))
    return order[starts]


def _report(df: pd.DataFrame, merged: pd.DataFrame) -> pd.DataFrame:
    sizes = merged["_rows"].to_numpy()
    multi = np.flatnonzero(sizes > 1)
    if not len(multi):
        return _empty_report()
    columns = ["_group", "paper_id", "arxiv_id", "_by_title"]
    sub = df.loc[df["_group"].isin(multi), columns]
    flags = (
        pd.DataFrame(
            {
                "_group": sub["_group"].to_numpy(),
                "has_id": sub["arxiv_id"].notna().to_numpy(),
                "by_title": sub["_by_title"].to_numpy(),
            }
        )
        .groupby("_group", sort=True)[["has_id", "by_title"]]
        .sum()
    )
    reasons = np.select(
        [flags["has_id"].to_numpy() == 0, flags["by_title"].to_numpy() > 0],
        [
            "same normalized title",
            "same arXiv id; rows without an id matched by normalized title",
        ],
        "same arXiv id",
    )
    picked = merged.iloc[multi]
    kept = pd.Series(picked["paper_id"].to_numpy(), index=multi)
    other = sub.drop_duplicates(["_group", "paper_id"])
    other = other[other["paper_id"].to_numpy() != kept.reindex(other["_group"]).to_numpy()]
    merged_ids = other.groupby("_group")["paper_id"].agg(list).reindex(multi)
    report = pd.DataFrame(
        {
            "paper_id": picked["paper_id"].to_numpy(),
            "title": picked["title"].to_numpy(),
            "rows": sizes[multi],
            "matched_on": reasons,
            "merged_ids": [v if isinstance(v, list) else [] for v in merged_ids],
            "sources": picked["sources"].to_numpy(),
        }
    )
    return report.astype({"paper_id": "string", "title": "string", "matched_on": "string"})


def _empty_report() -> pd.DataFrame:
    columns: dict[str, Any] = {
        "paper_id": "string",
        "title": "string",
        "rows": "int64",
        "matched_on": "string",
        "merged_ids": object,
        "sources": object,
    }
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in columns.items()})


__all__ = [
    "FORMAT_PRIORITY",
    "TABLE",
    "merge_papers",
    "merge_rows",
    "read_listing_and_format",
    "read_listings",
]
