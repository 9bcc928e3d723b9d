"""The review's include / exclude keyword lists (Rayyan-style inclusion criteria at hand):
review settings, highlighted green / red in every title and abstract of the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import traitlets

from litreview.app._action import action
from litreview.app._html import keyword_terms, split_keywords

if TYPE_CHECKING:
    from litreview.review.core import Review

#: The review settings holding the keyword lists (lists of words as typed).
INCLUDE_KEY = "app.include_keywords"
EXCLUDE_KEY = "app.exclude_keywords"


class Keywords(traitlets.HasTraits):
    """The keyword lists (a mixin of :class:`~litreview.app.state.AppState`)."""

    #: The review's keywords as typed, and as highlighted (folded like query words):
    #: green (include) and red (exclude) in titles and abstracts.
    include_keywords = traitlets.List(traitlets.Unicode())
    exclude_keywords = traitlets.List(traitlets.Unicode())
    include_words = traitlets.List(traitlets.Unicode())
    exclude_words = traitlets.List(traitlets.Unicode())

    if TYPE_CHECKING:  # what the model provides
        review: Review

        def fail(self, message: str) -> None: ...

    @action("keywords")
    def set_keywords(
        self, include: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None
    ) -> None:
        """The review's include / exclude keywords (``"a, b; c"`` or a list), highlighted
        in green / red in every abstract next to the query words. They are review
        settings (``app.include_keywords``, ``app.exclude_keywords``): saved in the review
        file for everyone who opens it, every change logged.

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> from litreview.app.state import AppState
        >>> state = AppState(review)
        >>> state.set_keywords(include="Transformers, ViT", exclude="survey")
        >>> state.include_keywords, state.include_words, review.setting(EXCLUDE_KEY)
        (['Transformers', 'ViT'], ['transformer', 'vit'], ['survey'])
        """
        for key, value in ((INCLUDE_KEY, include), (EXCLUDE_KEY, exclude)):
            if value is not None:
                words = split_keywords(value)
                self.review.set_setting(key, words)
                self._show_keywords(key, words)

    def _show_keywords(self, key: str, words: list[str]) -> None:
        if key == INCLUDE_KEY:
            self.include_keywords, self.include_words = words, keyword_terms(words)
        else:
            self.exclude_keywords, self.exclude_words = words, keyword_terms(words)

    def _load_keywords(self) -> None:
        for key in (INCLUDE_KEY, EXCLUDE_KEY):
            self._show_keywords(key, split_keywords(self.review.setting(key, [])))
