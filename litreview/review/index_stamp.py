"""The stamp that lets a review trust its saved search index without reading every abstract.

A saved index is normally checked by its fingerprint, a checksum of every id, title
and abstract (about 0.2 s per 100k papers, more than the rest of loading it). A review
can prove what its papers hold more cheaply: the papers of :attr:`Review.papers` are
the very string objects of the store's snapshot at one papers version (that every
change of a title or abstract, by any process, increments). When the index is saved
for such papers, a random token is written to the review file's ``meta`` table as
``"<papers version>:<schema version>:<token>"`` and the index files carry the same
stamp; a later process whose papers are again the snapshot of that version and whose
``meta`` holds that stamp uses the files without the fingerprint.

The token makes a stamp name one history of one file: a review file copied back
from an older backup, or another review's index file copied beside it, carries a
different token (or none), so its index is checked by fingerprint again.

    >>> import tempfile, pathlib, litreview
    >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> _ = review.add(litreview.SAMPLE_LISTING)
    >>> _ = review.search("vision")
    >>> stamp = saved_stamp(review._store)
    >>> stamp is not None and stamp.startswith(f"{papers_version(review._store)}:")
    True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from litreview.query.index_rows import addresses
from litreview.review.store.base import ReviewStore
from litreview.review.store.snapshot import PaperSnapshot
from litreview.review.store.stamps import INDEX_STAMP as STAMP_KEY
from litreview.review.store.stamps import names, new_stamp, read_stamp, save_stamp
from litreview.review.store.table import PAPERS_COUNTER

TEXT_COLUMNS = ("paper_id", "title", "abstract")


def proven_version(store: ReviewStore, papers: pd.DataFrame) -> int | None:
    """The papers version whose text ``papers`` holds exactly (its ids, titles and
    abstracts are the very objects of the store's cached snapshot, in order), or None
    when that cannot be shown (papers changed in memory, reordered, or read earlier)."""
    snapshot = store.cache.get("papers")
    if not isinstance(snapshot, PaperSnapshot):
        return None
    for column in TEXT_COLUMNS:
        if column not in papers or column not in snapshot.columns:
            return None
        mine = np.asarray(papers[column].array, dtype=object)
        theirs = np.asarray(snapshot.columns[column], dtype=object)
        if len(mine) != len(theirs) or not np.array_equal(addresses(mine), addresses(theirs)):
            return None
    return snapshot.version


def stamps_for(
    store: ReviewStore, papers: pd.DataFrame
) -> tuple[str | None, Callable[[], str | None] | None]:
    """``(stamp, restamp)`` for :meth:`~litreview.query.index_file.IndexCache.index_for`:
    the saved stamp when ``papers`` are proven to be the text it was saved for, and
    the function that saves a new one (None when ``papers`` are not proven)."""
    version = proven_version(store, papers)
    if version is None:
        return None, None
    saved = saved_stamp(store)
    stamp = saved if names(saved, store, version) else None
    failed: tuple[type[Exception], ...] = (*store.database_errors, OSError)

    def restamp() -> str | None:
        new = new_stamp(store, version)
        try:
            save_stamp(store, STAMP_KEY, new)
        except failed:
            return None  # the files are saved unstamped: their fingerprint vouches
        return new

    return stamp, restamp


def saved_stamp(store: ReviewStore) -> str | None:
    """The stamp in the review file's ``meta`` (None before an index was saved)."""
    return read_stamp(store, STAMP_KEY)


def papers_version(store: ReviewStore) -> int:
    """The review file's papers version (incremented by every change of the papers)."""
    return int(store.read(lambda conn: store.counter(conn, PAPERS_COUNTER)))
