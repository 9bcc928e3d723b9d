"""What a review does with its papers beyond storing them: search, rank, export, the app.

Each method is a thin delegation to the pure function of the same job
(:mod:`litreview.query.filters`, :mod:`litreview.writers`, :mod:`litreview.app`), applied
to the current reviewer's annotated papers; the review keeps one search index
and updates it incrementally as papers are added.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack, cast

import pandas as pd

from litreview.review.store import queries

if TYPE_CHECKING:
    import ipywidgets

    from litreview.query.filters import PriorityExplanation, SearchIndex, SearchOptions
    from litreview.query.index_file import IndexCache
    from litreview.review.core import Review
    from litreview.review.store.base import ReviewStore


class ReviewActions:
    """Mixed into :class:`litreview.Review`; needs ``papers``, ``path`` and ``_store``."""

    _store: ReviewStore

    _index_cache: IndexCache | None = None
    _index_stale: bool = False  # set when this process changed paper text
    _index_synced: tuple[int, int] | None = None  # (papers version, last import) indexed

    @property
    def papers(self) -> pd.DataFrame:  # provided by Review
        raise NotImplementedError

    @property
    def path(self) -> Path:  # provided by Review
        raise NotImplementedError

    def search_index(self, papers: pd.DataFrame | None = None) -> SearchIndex:
        """The review's search index, kept beside the review file (``<review>.index``):
        loaded on first use when it matches the papers (no text is tokenized), else
        built once and saved; papers added later are indexed incrementally, and the
        index is checked (and rebuilt) when titles or abstracts may have changed.

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> len(review.search_index()), review.path.with_name("r.litreview.index").exists()
        (36, True)
        """
        from litreview.review.index_stamp import proven_version, stamps_for

        state = queries.papers_state(self._store)
        given, papers = papers is not None, self._search_papers() if papers is None else papers
        cache = self._saved_index()
        verify = self._index_stale or self._text_may_have_changed(state)
        stamp, restamp = None, None
        if cache.index is None or verify or len(cache.index) != len(papers):  # load or save
            stamp, restamp = stamps_for(self._store, papers)  # lets a load skip the fingerprint
        index = cache.index_for(papers, verify=verify, stamp=stamp, restamp=restamp)
        if not given or proven_version(self._store, papers) == state[0]:
            # the papers are the review's at that state (else, e.g. a table read before
            # an edit, the next call checks again)
            self._index_stale, self._index_synced = False, state
        return index

    def prefetch_search_index(self) -> None:
        """Start checking the saved search index in the background, before reading the
        papers: a thread reads the index file for its checksum (nothing else), and the
        next :meth:`search_index` takes the result instead of reading the file again.
        ``search`` and the app call it; so may code that reads ``papers`` then searches."""
        self._saved_index().check_ahead()

    def _saved_index(self) -> IndexCache:
        from litreview.query.index_file import IndexCache, index_path

        cache = self._index_cache
        if cache is None or cache.path != index_path(self.path):
            cache = self._index_cache = IndexCache(index_path(self.path))
        return cache

    def _search_papers(self) -> pd.DataFrame:
        """:attr:`papers`, the saved index checked meanwhile (:meth:`prefetch_search_index`)."""
        self.prefetch_search_index()
        return self.papers

    def _text_may_have_changed(self, state: tuple[int, int]) -> bool:
        """Whether titles or abstracts may differ from when the index was synced: the
        papers changed other than by imports that only added papers (another process
        or an enrichment changes the papers version without such an import)."""
        synced = self._index_synced
        if synced is None or synced == state:
            return False
        (old_version, old_import), (version, last_import) = synced, state
        if version - old_version > last_import - old_import:
            return True
        return queries.text_changed_since(self._store, old_import)

    def search(self, query: str = "", **filters: Unpack[SearchOptions]) -> pd.DataFrame:
        """:func:`litreview.search` over this review's annotated papers (with the
        columns of :meth:`search_table` when the query uses ``stage:`` or ``fulltext:``).

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> review.search('"vision transformer" has:code', sort="date").title.str[:9].tolist()
        ['DuoFormer', 'FMViT: A ', 'Tokens-to']
        """
        from litreview.query.filters import search
        from litreview.query.language import parse, uses

        papers = self._search_papers()
        if uses(parse(query)) & {"stage", "fulltext"}:
            papers = self.search_table(papers)  # type: ignore[attr-defined]
        return search(papers, query, index=self.search_index(papers), **filters)

    def similar(self, paper_id: str, n: int = 10) -> pd.DataFrame:
        """The ``n`` papers closest in content to ``paper_id``, with ``shared_terms``."""
        from litreview.query.filters import similar

        papers = self._search_papers()
        return similar(papers, paper_id, n, index=self.search_index(papers))

    def prioritized(self, query: str = "", **options: Any) -> pd.DataFrame:
        """Unscreened papers, the most likely to be included first (learned from the
        decisions so far; by relevance to ``query`` until there are enough)."""
        from litreview.query.filters import prioritize

        papers = self._search_papers()
        return prioritize(papers, query=query, index=self.search_index(papers), **options)

    def explain_priority(self, **options: Any) -> PriorityExplanation:
        """How :meth:`prioritized` ranks: the method and the terms that weigh most."""
        from litreview.query.filters import explain_priority

        papers = self._search_papers()
        return explain_priority(papers, index=self.search_index(papers), **options)

    def export(
        self,
        selection: pd.DataFrame | None,
        path: str | PathLike[str],
        *,
        overwrite: bool = False,
        **options: Any,
    ) -> Path:
        """Write ``selection`` (default: every paper) to ``path``; the format comes
        from the suffix (``.bib``, ``.csv``, ``.ris``, ``.md``). A bare file name
        goes to ``exports/``; an existing file is replaced only with ``overwrite=True``.
        """
        from litreview.writers import export

        papers = self.papers if selection is None else selection
        return export(papers, path, overwrite=overwrite, **options)

    def app(self, **options: Any) -> ipywidgets.Widget:
        """The interactive review app (ipywidgets) over this review; display it in a
        notebook cell. Options go to :func:`litreview.app.review_app`."""
        from litreview.app import review_app

        return review_app(cast("Review", self), **options)
