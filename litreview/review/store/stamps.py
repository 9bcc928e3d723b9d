"""Stamps: what lets a file saved beside a review stand for exactly one state of its papers.

A stamp is ``"<papers version>:<schema version>:<random token>"``. It is written to the
review's ``meta`` (under a key per kind of file) when a file is saved, and carried by the
file; a file is trusted for the papers at a version only when the review's stamp names
that version and the file carries the same stamp. Every change of the papers, by any
process, increments the version; a review copied back from a backup, or a file copied
from another review, carries another token.

    >>> import tempfile, pathlib
    >>> from litreview.review.store.base import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> stamp = new_stamp(store, 3)
    >>> save_stamp(store, "demo_stamp", stamp)
    >>> read_stamp(store, "demo_stamp") == stamp, names(stamp, store, 3), names(stamp, store, 4)
    (True, True, False)
    >>> store.close()
"""

from __future__ import annotations

import secrets

from litreview.review.store.base import ReviewStore

#: The ``meta`` keys stamps are saved under (not change counters: saving one changes
#: nothing a reader sees, so it rewrites no auto-export).
INDEX_STAMP = "search_index_stamp"
PAPER_FILE_STAMP = "paper_file_stamp"
KEYS = (INDEX_STAMP, PAPER_FILE_STAMP)


def new_stamp(store: ReviewStore, version: int) -> str:
    """A fresh stamp for the papers at ``version``."""
    return f"{version}:{store.version}:{secrets.token_hex(8)}"


def names(stamp: str | None, store: ReviewStore, version: int) -> bool:
    """Whether ``stamp`` was made for the papers at ``version`` (and this schema)."""
    return stamp is not None and stamp.startswith(f"{version}:{store.version}:")


def read_stamp(store: ReviewStore, key: str) -> str | None:
    """The stamp saved under ``key`` (None before one was)."""
    row = store.read(
        lambda conn: conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    )
    return None if row is None else str(row[0])


def save_stamp(store: ReviewStore, key: str, stamp: str) -> None:
    """Save ``stamp`` under ``key`` (its own write; raises the backend's errors)."""
    with store.write() as conn:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, stamp),
        )
