"""The app's search index, loaded in a thread while the first page is shown.

The first page needs only the papers: with no query, a search asks the index just
where the table's rows are in it, and the table is the one indexed, in its order.
The index itself (memory-mapped from ``<review>.index`` and checksummed: about
1.8 s at 1M papers) is needed by the first query, "similar" papers and priority,
so it is loaded in a thread meanwhile; :attr:`IndexLoad.index` waits for it.

>>> import tempfile, pathlib, litreview
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> load = IndexLoad(review, review.papers)
>>> len(load.index), load.ready
(36, True)
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

if TYPE_CHECKING:
    from litreview.query.index import SearchIndex
    from litreview.review.core import Review

#: The one thread indexes load in: a reload's load waits for the one under way.
_LOADER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="litreview-index")


class IndexLoad:
    """``review.search_index(papers)`` under way (in a thread when ``background``)."""

    def __init__(self, review: Review, papers: pd.DataFrame, *, background: bool = True) -> None:
        #: The table being indexed (every paper of the review, in its order).
        self.papers = papers

        def run() -> SearchIndex:
            index = review.search_index(papers)
            index.warm()  # "similar" papers of the first paper opened, ready by then
            return index

        if background:
            self._future: Future[SearchIndex] = _LOADER.submit(run)
        else:
            self._future = Future()
            try:
                self._future.set_result(run())
            except Exception as exc:
                self._future.set_exception(exc)

    @property
    def ready(self) -> bool:
        """Whether the index is loaded (or failed to load)."""
        return self._future.done()

    @property
    def index(self) -> SearchIndex:
        """The index, once loaded (waits for it; a failed load raises its error)."""
        return self._future.result()

    def for_search(self, df: pd.DataFrame, query: str, filters: dict[str, Any]) -> SearchIndex:
        """What a search of ``df`` for ``query`` and ``filters`` is given as its index:
        while the index loads, a search of the indexed table with no query and no
        filter gets a stand-in that answers the one question it asks; any other
        search waits for the index."""
        if self.ready or query.strip() or filters or df is not self.papers:
            return self.index
        return cast("SearchIndex", _InOrder(self))


class _InOrder:
    """The index while it loads, to a search with no query: the indexed table's rows
    are the indexed papers in order (``align`` is None); anything else asked (another
    table's alignment, words, scores) waits for the index."""

    def __init__(self, load: IndexLoad) -> None:
        self._load = load

    def align(self, df: pd.DataFrame) -> Any:
        return None if df is self._load.papers else self._load.index.align(df)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load.index, name)
