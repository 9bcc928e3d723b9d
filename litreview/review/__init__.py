"""The review: papers, decisions, tags, notes and their full history, kept in a store.

:class:`Review` (:mod:`.core`, with searching, ranking, export and the app in
:mod:`.actions`) is what a notebook holds; :mod:`.edits` is the one pure rule for an
annotation edit; :mod:`.store` is the review file itself
(SQLite: the file and its migrations, papers, the paper table, annotations, history
and undo, exchange of annotation files)::

    >>> import tempfile, pathlib, litreview
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.litreview"
    >>> with Review.open(path, reviewer="ada") as review:
    ...     review.add(litreview.SAMPLE_LISTING).new
    36
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litreview._lazy import lazy_names

if TYPE_CHECKING:
    from litreview.review.core import Review
    from litreview.review.store.exchange import ImportReport
    from litreview.review.store.file import ReviewFileError
    from litreview.review.store.papers import AddSummary

#: Public name -> the module that defines it (imported on first use, so that
#: importing one part of the package does not load the others).
_PUBLIC = {
    "Review": "litreview.review.core",
    "ReviewFileError": "litreview.review.store.file",
    "AddSummary": "litreview.review.store.papers",
    "ImportReport": "litreview.review.store.exchange",
}

__all__ = [
    "AddSummary",
    "ImportReport",
    "Review",
    "ReviewFileError",
]


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
