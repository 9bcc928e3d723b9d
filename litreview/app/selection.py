"""The filter panel's values as a selection: search keywords and the sort.

>>> import litreview
>>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
>>> filters = search_kwargs({"since": " 2021 ", "has_code": True, "min_authors": None})
>>> filters
{'since': '2021', 'has_code': True}
>>> len(select(papers, "", filters, sort="date"))
13
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from litreview.query.filters import SearchFilters, prioritize, search
from litreview.query.index import SearchIndex

#: Sort options of the filter panel (``priority``: unscreened first, likeliest includes on top).
SORTS = ("relevance", "priority", "date", "-date", "comments", "upvotes", "authors", "title")
RANGE_FIELDS = {"authors": "n_authors", "comments": "comments", "upvotes": "upvotes"}
FILTER_TRAITS = ("query", "since", "until", "min_authors", "max_authors", "min_comments",
                 "max_comments", "min_upvotes", "max_upvotes", "has_code", "decisions", "tags",
                 "sort")  # fmt: skip
_DATES: tuple[Literal["since", "until"], ...] = ("since", "until")
_NUMBERS: tuple[Literal["min_authors", "max_authors", "min_comments", "max_comments",
                        "min_upvotes", "max_upvotes", "has_code"], ...] = (
    "min_authors", "max_authors", "min_comments", "max_comments",
    "min_upvotes", "max_upvotes", "has_code")  # fmt: skip


def search_kwargs(values: Mapping[str, Any]) -> SearchFilters:
    """The filters in ``values`` (name -> panel value) as :func:`litreview.search` keywords;
    unset ones (blank dates, None, empty lists, missing names) are left out."""
    out = SearchFilters()
    for name in _DATES:
        if (values.get(name) or "").strip():
            out[name] = values[name].strip()
    for number in _NUMBERS:
        if values.get(number) is not None:
            out[number] = values[number]
    if values.get("decisions"):
        out["decision"] = list(values["decisions"])
    if values.get("tags"):
        out["tags"] = list(values["tags"])
    return out


def select(
    papers: pd.DataFrame,
    query: str,
    filters: SearchFilters,
    *,
    sort: str,
    index: SearchIndex | None = None,
) -> pd.DataFrame:
    """:func:`litreview.search` of ``papers`` sorted by ``sort``, one of :data:`SORTS`."""
    if sort != "priority":
        return search(papers, query, sort=sort, index=index, **filters)
    hits = search(papers, query, index=index, **filters)
    todo = prioritize(hits, query=query, index=index)
    done = hits[~hits["paper_id"].isin(todo["paper_id"])]
    return pd.concat([todo.drop(columns=["priority_method"]), done])
