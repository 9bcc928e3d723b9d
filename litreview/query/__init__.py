"""Finding papers: the query language, the search index, filters and ranking.

Pure functions over a DataFrame (no review, no widgets): :mod:`.language` turns query
text into the tree of :mod:`.ast` (with :mod:`.ranges` for ``year:2021..2023``),
:mod:`.index` keeps word postings and TF-IDF weights, :mod:`.evaluate` turns a tree into
a row mask, :mod:`.filters` runs :func:`search` (query + the keyword filters of
:class:`SearchFilters`, ranked), and :mod:`.rank` gives "more like this" and
screening priority::

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> len(search(papers, "transformer year:>=2021", limit=3)) <= 3
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litreview._lazy import lazy_names

if TYPE_CHECKING:
    from litreview.query.filters import (
        SearchFilters,
        SearchOptions,
        index_for,
        match_mask,
        search,
    )
    from litreview.query.index import SearchIndex
    from litreview.query.language import parse, tokenize
    from litreview.query.rank import PriorityExplanation, explain_priority, prioritize, similar

#: Public name -> the module that defines it (imported on first use, so that
#: importing one part of the package does not load the others).
_PUBLIC = {
    "search": "litreview.query.filters",
    "index_for": "litreview.query.filters",
    "match_mask": "litreview.query.filters",
    "SearchFilters": "litreview.query.filters",
    "SearchOptions": "litreview.query.filters",
    "SearchIndex": "litreview.query.index",
    "similar": "litreview.query.rank",
    "prioritize": "litreview.query.rank",
    "explain_priority": "litreview.query.rank",
    "PriorityExplanation": "litreview.query.rank",
    "parse": "litreview.query.language",
    "tokenize": "litreview.query.language",
}

__all__ = [
    "PriorityExplanation",
    "SearchFilters",
    "SearchIndex",
    "SearchOptions",
    "explain_priority",
    "index_for",
    "match_mask",
    "parse",
    "prioritize",
    "search",
    "similar",
    "tokenize",
]


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
