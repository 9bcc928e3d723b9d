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

if TYPE_CHECKING:
    import ipywidgets

    from litreview.query.filters import PriorityExplanation, SearchIndex, SearchOptions
    from litreview.review.core import Review


class ReviewActions:
    """Mixed into :class:`litreview.Review`; needs ``papers`` and ``reviewer``."""

    _index: SearchIndex | None = None
    _index_stale: bool = False

    @property
    def papers(self) -> pd.DataFrame:  # provided by Review
        raise NotImplementedError

    def search_index(self, papers: pd.DataFrame | None = None) -> SearchIndex:
        """The review's search index: built on first use, then only new papers are
        indexed (rebuilt after an import that changed known papers)."""
        from litreview.query.filters import SearchIndex

        papers = self.papers if papers is None else papers
        if self._index is None or self._index_stale:
            self._index = SearchIndex(papers)
            self._index_stale = False
        else:
            self._index.add(papers)
        return self._index

    def search(self, query: str = "", **filters: Unpack[SearchOptions]) -> pd.DataFrame:
        """:func:`litreview.search` over this review's annotated papers.

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> review.search('"vision transformer" has:code', sort="date").title.str[:9].tolist()
        ['DuoFormer', 'FMViT: A ', 'Tokens-to']
        """
        from litreview.query.filters import search

        papers = self.papers
        return search(papers, query, index=self.search_index(papers), **filters)

    def similar(self, paper_id: str, n: int = 10) -> pd.DataFrame:
        """The ``n`` papers closest in content to ``paper_id``, with ``shared_terms``."""
        from litreview.query.filters import similar

        papers = self.papers
        return similar(papers, paper_id, n, index=self.search_index(papers))

    def prioritized(self, query: str = "", **options: Any) -> pd.DataFrame:
        """Unscreened papers, the most likely to be included first (learned from the
        decisions so far; by relevance to ``query`` until there are enough)."""
        from litreview.query.filters import prioritize

        papers = self.papers
        return prioritize(papers, query=query, index=self.search_index(papers), **options)

    def explain_priority(self, **options: Any) -> PriorityExplanation:
        """How :meth:`prioritized` ranks: the method and the terms that weigh most."""
        from litreview.query.filters import explain_priority

        papers = self.papers
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
