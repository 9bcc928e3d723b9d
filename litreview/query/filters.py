"""Search papers: query language + keyword filters -> ranked rows.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> hits = litreview.search(papers, '"vision transformer" year:>=2021', limit=3)
    >>> list(hits.columns[-1:]), len(hits) <= 3
    (['score'], True)

The index for a DataFrame is built on the first call and reused by later
calls on the same papers (see :func:`index_for`); pass ``index=`` to manage
it yourself (the review does).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from litreview._text import fold
from litreview.errors import QueryError
from litreview.query.evaluate import evaluate
from litreview.query.index import SearchIndex
from litreview.query.language import (
    All,
    And,
    DecisionIs,
    Has,
    Node,
    Not,
    Or,
    Range,
    Tag,
    parse,
)
from litreview.query.ranges import period
from litreview.query.rank import PriorityExplanation, explain_priority, prioritize, similar
from litreview.schema import DECISIONS

__all__ = [
    "SORTS",
    "PriorityExplanation",
    "SearchFilters",
    "SearchIndex",
    "SearchOptions",
    "explain_priority",
    "index_for",
    "match_mask",
    "prioritize",
    "search",
    "similar",
]

#: sort= keys -> (column, descending by default). A "-" prefix reverses the default.
SORTS: dict[str, tuple[str, bool]] = {
    "relevance": ("score", True),
    "date": ("published", True),
    "comments": ("comments", True),
    "upvotes": ("upvotes", True),
    "authors": ("n_authors", True),
    "title": ("title", False),
}
CACHE_SIZE = 4
_NUMBERS = itertools.count()


class SearchFilters(TypedDict, total=False):
    """The keyword filters of :func:`search` (all optional, all AND-ed with the query).

    ``since``/``until`` take a date, datetime or "2024", "2024-06", "2024-06-30"
    (both ends included: ``until="2024-06"`` keeps all of June); ``min_*``/``max_*``
    are inclusive; ``has_*=False`` keeps papers without it; ``decision`` and
    ``tags`` take one value or a list (any of them). None is the same as leaving
    a filter out.

    >>> filters: SearchFilters = {"since": "2022", "has_code": True}
    >>> sorted(filters)
    ['has_code', 'since']
    """

    since: str | dt.date | None
    until: str | dt.date | None
    min_authors: int | None
    max_authors: int | None
    min_comments: int | None
    max_comments: int | None
    min_upvotes: int | None
    max_upvotes: int | None
    min_rating: int | None
    max_rating: int | None
    has_code: bool | None
    has_arxiv: bool | None
    has_note: bool | None
    decision: str | Sequence[str] | None
    tags: str | Sequence[str] | None


class SearchOptions(SearchFilters, total=False):
    """The filters and the ordering of :func:`search` (what ``Review.search`` passes on)."""

    sort: str | None
    ascending: bool | None
    limit: int | None


_CACHE: OrderedDict[int, SearchIndex] = OrderedDict()  # by a number, the latest used last


def index_for(df: pd.DataFrame) -> SearchIndex:
    """The cached :class:`SearchIndex` for ``df``, built on first use.

    A cached index is reused for a DataFrame with the same papers in the same order
    (e.g. the same listing with new annotation columns): the very same id objects are
    recognised by address (about 1 ms at 1M papers), equal ids once by value; a cached
    index that holds all the papers in another order or a subset is reused too. Up to
    :data:`CACHE_SIZE` indexes are kept (least recently used dropped);
    ``index_for.cache_clear()`` empties it.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> index_for(papers) is index_for(papers.assign(note="read")) is index_for(papers[::-1])
    True
    """
    ids = df["paper_id"].to_numpy(dtype=object)
    for key, cached in reversed(_CACHE.items()):
        if cached.is_indexed_order(ids):
            _CACHE.move_to_end(key)
            return cached
    for cached in reversed(_CACHE.values()):
        if cached.covers(ids):
            return cached
    index = SearchIndex(df)
    _CACHE[next(_NUMBERS)] = index
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return index


def _cache_clear() -> None:
    _CACHE.clear()


index_for.cache_clear = _cache_clear  # type: ignore[attr-defined]


def search(
    df: pd.DataFrame,
    query: str = "",
    *,
    sort: str | None = None,
    ascending: bool | None = None,
    limit: int | None = None,
    index: SearchIndex | None = None,
    **filters: Unpack[SearchFilters],
) -> pd.DataFrame:
    """Rows of ``df`` matching ``query`` and ``filters``, with a ``score`` column.

    Ranked by relevance (TF-IDF of the query words, title weighted up) unless
    ``sort`` is one of :data:`SORTS` ("date", "-date" for oldest first, ...);
    ``ascending`` overrides the direction; ``limit`` keeps the first rows.
    ``filters`` are the keyword filters of :class:`SearchFilters` (``since=``,
    ``min_authors=``, ``has_code=``, ``decision=``, ``tags=``, ...; another keyword
    raises TypeError). Raises :class:`~litreview.errors.QueryError` for a malformed
    query.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> litreview.search(papers, "title:efficient -title:image", since="2022")["title"].tolist()
    ['FlatFormer: Flattened Window Attention for Efficient Point Cloud Transformer']
    """
    mask, score = match_scores(df, query, index=index, **filters)
    rows = np.flatnonzero(mask)
    key, descending = _sort_key(sort, ascending)
    if key == "score" and not score.any():
        order = np.arange(len(rows))  # nothing scored (filters only): keep the table order
    elif key == "score":
        s = -score[rows] if descending else score[rows]
        if limit is not None and 0 < limit < len(rows) // 4:
            # top-k: partial sort of the k best, then a stable sort of those (ties by row order)
            kth = np.partition(s, limit - 1)[limit - 1]
            cand = np.flatnonzero(s <= kth)
            order = cand[np.argsort(s[cand], kind="stable")]
        else:
            order = np.argsort(s, kind="stable")
    else:
        order = _column_order(df, rows, key, descending)
    rows = rows[order]
    if limit is not None:
        rows = rows[: max(limit, 0)]
    out = df.iloc[rows]
    out["score"] = score[rows]
    return out


def match_mask(
    df: pd.DataFrame,
    query: str = "",
    *,
    index: SearchIndex | None = None,
    **filters: Unpack[SearchFilters],
) -> np.ndarray:
    """Boolean numpy mask of the rows of ``df`` matching ``query`` and ``filters``.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> int(match_mask(papers, "has:code -survey").sum()) > 0
    True
    """
    return match_scores(df, query, index=index, **filters)[0]


def match_scores(
    df: pd.DataFrame,
    query: str = "",
    *,
    index: SearchIndex | None = None,
    **filters: Unpack[SearchFilters],
) -> tuple[np.ndarray, np.ndarray]:
    """(mask, score) over the rows of ``df``; score is 0 where there is no query word."""
    node = parse(query)
    extra = filter_nodes(**filters)
    if extra:
        node = And(((node,) if not isinstance(node, All) else ()) + tuple(extra))
        node = node.children[0] if len(node.children) == 1 else node
    if index is None:
        index = index_for(df)
    ev = evaluate(node, df, index, query)
    if ev.score_ranges:
        score = index.scores(ev.score_ranges)
        score = score if ev.where is None else score[ev.where]
    else:
        score = np.zeros(len(df))
    return ev.mask, score


def _sort_key(sort: str | None, ascending: bool | None) -> tuple[str, bool]:
    name = sort or "relevance"
    flip = name.startswith("-")
    name = name.removeprefix("-")
    if name not in SORTS:
        raise ValueError(
            f"sort must be one of {', '.join(SORTS)} (optionally with '-'), got {sort!r}"
        )
    column, descending = SORTS[name]
    descending ^= flip
    if ascending is not None:
        descending = not ascending
    return column, descending


def _column_order(df: pd.DataFrame, rows: np.ndarray, column: str, descending: bool) -> np.ndarray:
    if column not in df:
        return np.arange(len(rows))
    values = df[column].iloc[rows]
    if column == "title":
        values = values.map(fold, na_action="ignore")
    ranks = pd.Series(values.to_numpy(), copy=False).sort_values(
        ascending=not descending, kind="stable", na_position="last"
    )
    return ranks.index.to_numpy()


# ---------------------------------------------------------------- keyword filters


def filter_nodes(**filters: Unpack[SearchFilters]) -> list[Node]:
    """The keyword filters (see :class:`SearchFilters`) as query nodes, AND-ed with the
    query; a keyword that is not a filter raises TypeError, naming the filters.

    >>> filter_nodes(has_code=True, min_authors=3)
    [Range(field='authors', lo=3, hi=None, text='3..None', pos=0), Has(what='code', pos=0)]
    """
    unknown = [name for name in filters if name not in SearchFilters.__optional_keys__]
    if unknown:
        raise TypeError(
            f"unexpected keyword argument {unknown[0]!r}; "
            f"the search filters are {', '.join(SearchFilters.__annotations__)}"
        )
    since, until = filters.get("since"), filters.get("until")
    decision, tags = filters.get("decision"), filters.get("tags")
    nodes: list[Node] = []
    if since is not None or until is not None:
        lo = _date_bound(since, "since")[0] if since is not None else None
        hi = _date_bound(until, "until")[1] if until is not None else None
        nodes.append(Range("published", lo, hi, f"{since}..{until}"))
    for field, lo_v, hi_v in (
        ("authors", filters.get("min_authors"), filters.get("max_authors")),
        ("comments", filters.get("min_comments"), filters.get("max_comments")),
        ("upvotes", filters.get("min_upvotes"), filters.get("max_upvotes")),
        ("rating", filters.get("min_rating"), filters.get("max_rating")),
    ):
        if lo_v is not None or hi_v is not None:
            nodes.append(Range(field, lo_v, None if hi_v is None else hi_v + 1, f"{lo_v}..{hi_v}"))
    for what, flag in (
        ("code", filters.get("has_code")),
        ("arxiv", filters.get("has_arxiv")),
        ("note", filters.get("has_note")),
    ):
        if flag is not None:
            nodes.append(Has(what) if flag else Not(Has(what)))
    if decision is not None:
        values = [decision] if isinstance(decision, str) else list(decision)
        bad = [v for v in values if str(v).lower() not in DECISIONS]
        if bad:
            raise ValueError(f"decision must be among {', '.join(DECISIONS)}, got {bad}")
        nodes.append(_any([DecisionIs(str(v).lower()) for v in values]))
    if tags is not None:
        values = [tags] if isinstance(tags, str) else list(tags)
        nodes.append(_any([Tag(fold(str(v)).strip()) for v in values]))
    return nodes


def _any(nodes: Iterable[Node]) -> Node:
    items = tuple(nodes)
    if not items:
        return Not(All())
    return items[0] if len(items) == 1 else Or(items)


def _date_bound(value: str | dt.date, name: str) -> tuple[int, int]:
    """[start, end) in ns of a date given as text (a year, month or day) or a date."""
    if isinstance(value, str):
        try:
            return period(value.strip(), value, 0)
        except QueryError as exc:
            raise ValueError(f"{name}={value!r}: {exc.message}") from None
    if isinstance(value, dt.datetime):
        ns = int(pd.Timestamp(value).as_unit("us").asm8.astype(np.int64))
        return ns, ns + 1
    if isinstance(value, dt.date):
        return period(value.isoformat(), value.isoformat(), 0)
    raise TypeError(f"{name} must be a date or text like '2024-06', got {type(value).__name__}")
