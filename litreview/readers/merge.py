"""Read several listings and merge them into one row per paper.

>>> import litreview
>>> both = litreview.read_listings([litreview.SAMPLE_LISTING, litreview.SAMPLE_LISTING])
>>> len(both)  # the same 36 papers twice: one row each
36

Merge rules
-----------
* **Same paper.** Two rows are one paper when their arXiv ids match
  (``2401.12345v1`` and ``2401.12345v2`` are one paper). A row without an
  arXiv id joins the paper whose normalized title
  (:func:`litreview.ids.normalize_title`: case, accents, punctuation,
  whitespace and Markdown line-break escapes do not matter) it shares; if
  that title belongs to several different arXiv ids it is ambiguous and the
  row is not merged (the report says so). Rows that both lack an id match on
  the normalized title alone. Two rows with *different* arXiv ids are never
  merged, whatever their titles.
* **Which ``paper_id`` and ``title`` are kept.** ``paper_id`` is derived from
  the title, and annotations are stored by ``paper_id``; the merged row keeps
  the ``paper_id``, ``title``, ``source`` and ``source_line`` of its preferred
  row: the first row in the order plain-text copy, CSV (our own export
  carries the ids annotations use), linked text, Markdown, JSON, RIS,
  BibTeX, then any other table; ties go to the earlier source, then the
  earlier line. So adding a richer capture never changes the id a paper got
  from the plain copy.
* **Richest value of each field.** The longest abstract; the larger author
  count, upvote and comment counts; the longest author list; the first
  non-missing organization, date, arXiv id and URL in the preference order
  above; code links, project links and keywords are the union, in order.
* ``sources`` lists every ``file:line`` the paper was read from.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from litreview.ids import normalize_arxiv_id, normalize_title
from litreview.readers import Errors, Source, read_listing_and_format
from litreview.schema import LIST, PAPER_COLUMNS, conform, papers_from_columns

#: Preference order of formats when choosing the row whose paper_id and title are kept.
FORMAT_PRIORITY: tuple[str, ...] = (
    "hf-text",
    "csv",
    "hf-linked-text",
    "hf-markdown",
    "hf-json",
    "ris",
    "bibtex",
)
TABLE = "table"  # a DataFrame passed in directly
_BARE_ARXIV = r"\d{4}\.\d{4,5}"
AMBIGUOUS = "not merged: its normalized title belongs to several arXiv ids"
REPORT_COLUMNS = ("paper_id", "title", "rows", "matched_on", "merged_ids", "sources")
_FIRST = ("organization", "published", "arxiv_id", "url")
_MAX = ("n_authors", "comments", "upvotes")
_UNION = ("code_urls", "project_urls", "keywords")


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
    rank = {name: i for i, name in enumerate(FORMAT_PRIORITY)}
    parts = []
    for number, (frame, fmt) in enumerate(zip(frames, formats, strict=True)):
        part = frame.reset_index(drop=True)
        part = part.assign(
            _priority=rank.get(fmt, len(rank)), _frame=number, _row=np.arange(len(part))
        )
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    if df.empty:
        return conform(df.drop(columns=["_priority", "_frame", "_row"])), _empty_report()
    df["_group"], df["_by_title"], df["_ambiguous"], arxiv = _match_keys(df)
    df["arxiv_id"] = pd.array(arxiv, dtype="string")  # versions dropped
    df = df.sort_values(["_group", "_priority", "_frame", "_row"], kind="stable")
    merged = _aggregate(df)
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


def _match_keys(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group number of each row (in order of first appearance), whether a row
    without an arXiv id joined a group through its title, whether its title
    belongs to several arXiv ids (so it joined none), and the bare arXiv ids."""
    raw = df["arxiv_id"].astype("string")
    bare = raw.str.fullmatch(_BARE_ARXIV).fillna(False).to_numpy(dtype=bool)
    arxiv = pd.Series(
        [
            a if ok else normalize_arxiv_id(a) if isinstance(a, str) else None
            for a, ok in zip(raw.astype(object).to_numpy(), bare, strict=True)
        ],
        index=df.index,
        dtype="object",
    )
    titles = pd.Series(
        [normalize_title(t) or t.strip() for t in df["title"].to_numpy(dtype=object, na_value="")],
        index=df.index,
        dtype="object",
    )
    has_id = arxiv.notna().to_numpy()
    pairs = pd.DataFrame({"title": titles[has_id], "arxiv": arxiv[has_id]}).drop_duplicates()
    ids_per_title = pairs.groupby("title")["arxiv"].agg(["first", "size"])
    unique = ids_per_title.loc[ids_per_title["size"] == 1, "first"]
    shared = ids_per_title.index[ids_per_title["size"] > 1]
    ambiguous = ~has_id & titles.isin(shared).to_numpy()
    joined = titles.map(unique).astype(object).where(~has_id)
    by_title = joined.notna().to_numpy()
    matched = arxiv.where(has_id, joined).astype(object)
    key = np.where(
        has_id | by_title,
        "a:" + matched.where(has_id | by_title, "").to_numpy(dtype=object),
        "t:" + titles.to_numpy(dtype=object),
    )
    codes, _ = pd.factorize(key)
    return codes, by_title, ambiguous, arxiv.to_numpy()


def _aggregate(df: pd.DataFrame) -> pd.DataFrame:
    """One row per ``_group`` of the sorted frame (preferred row first in each group)."""
    groups = df["_group"].to_numpy()
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(df)])
    first = df.iloc[starts].reset_index(drop=True)
    grouped = df.groupby("_group", sort=True)
    out = first.copy()
    for column in _FIRST:
        out[column] = grouped[column].first().to_numpy()
    for column in _MAX:
        out[column] = grouped[column].max().to_numpy()
    abstract_len = df["abstract"].str.len().fillna(-1).to_numpy()
    out["abstract"] = df["abstract"].to_numpy()[_argmax_per_group(abstract_len, starts, sizes)]
    authors_len = np.fromiter((len(a) for a in df["authors"]), dtype=np.int64, count=len(df))
    out["authors"] = df["authors"].to_numpy()[_argmax_per_group(authors_len, starts, sizes)]
    multi = np.flatnonzero(sizes > 1)
    if len(multi):
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
    flagged = np.unique(df["_group"].to_numpy()[df["_ambiguous"].to_numpy()])
    multi = np.union1d(np.flatnonzero(sizes > 1), flagged)
    if not len(multi):
        return _empty_report()
    columns = ["_group", "paper_id", "arxiv_id", "_by_title", "_ambiguous"]
    sub = df.loc[df["_group"].isin(multi), columns]
    flags = (
        pd.DataFrame(
            {
                "_group": sub["_group"].to_numpy(),
                "has_id": sub["arxiv_id"].notna().to_numpy(),
                "by_title": sub["_by_title"].to_numpy(),
                "ambiguous": sub["_ambiguous"].to_numpy(),
            }
        )
        .groupby("_group", sort=True)[["has_id", "by_title", "ambiguous"]]
        .sum()
    )
    reasons = np.select(
        [
            flags["ambiguous"].to_numpy() > 0,
            flags["has_id"].to_numpy() == 0,
            flags["by_title"].to_numpy() > 0,
        ],
        [
            AMBIGUOUS,
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
    "merge_papers",
    "merge_rows",
    "read_listing_and_format",
    "read_listings",
]
