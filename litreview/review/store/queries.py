"""Small questions the review asks its store (counts, what is in use, what changed),
each one query in the store's portable SQL so nothing above the store writes SQL.

>>> import tempfile, pathlib
>>> from litreview.review.store.connection import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> paper_count(store), has_paper(store, "p1"), reasons_in_use(store), tags_in_use(store)
(0, False, [], set())
>>> store.close()
"""

from __future__ import annotations

import json

from litreview.review.store.base import ReviewStore
from litreview.review.store.table import PAPERS_COUNTER


def paper_count(store: ReviewStore) -> int:
    """How many papers the review holds."""
    return int(store.read(lambda c: c.execute("SELECT count(*) FROM papers").fetchone()[0]))


def has_paper(store: ReviewStore, paper_id: str) -> bool:
    """Whether ``paper_id`` is a paper of the review."""
    query = "SELECT 1 FROM papers WHERE paper_id = ?"
    return store.read(lambda c: c.execute(query, (paper_id,)).fetchone()) is not None


def reasons_in_use(store: ReviewStore) -> list[str]:
    """Every reason any reviewer gave, the most used first (ties by name)."""
    rows = store.read(
        lambda c: c.execute(
            "SELECT reason FROM annotations WHERE reason IS NOT NULL "
            "GROUP BY reason ORDER BY count(*) DESC, reason"
        ).fetchall()
    )
    return [str(r[0]) for r in rows]


def tags_in_use(store: ReviewStore) -> set[str]:
    """Every tag any reviewer gave."""
    rows = store.read(
        lambda c: c.execute("SELECT DISTINCT tags FROM annotations WHERE tags != '[]'").fetchall()
    )
    return {tag for (text,) in rows for tag in json.loads(text)}


def screener_count(store: ReviewStore) -> int:
    """How many reviewers made a decision by annotating (tool imports do not count)."""
    return int(store.read(lambda c: c.execute(store.dialect.screeners).fetchone()[0]))


def papers_state(store: ReviewStore) -> tuple[int, int]:
    """``(papers version, last import id)``: what changes when papers change."""
    row = store.read(
        lambda c: c.execute(
            "SELECT (SELECT value FROM meta WHERE key = ?), (SELECT max(import_id) FROM imports)",
            (PAPERS_COUNTER,),
        ).fetchone()
    )
    return int(row[0] or 0), int(row[1] or 0)


def text_changed_since(store: ReviewStore, import_id: int) -> bool:
    """Whether an import after ``import_id`` changed a title or an abstract."""
    query = (
        "SELECT 1 FROM import_changes WHERE import_id > ? "
        "AND field IN ('title', 'abstract') LIMIT 1"
    )
    return bool(store.read(lambda c: c.execute(query, (import_id,)).fetchone()))


def last_history_id(store: ReviewStore) -> int:
    """The id of the latest history row this reviewer may read (0: none)."""
    row = store.read(lambda c: c.execute("SELECT max(history_id) FROM history").fetchone())
    return int(row[0] or 0)


def history_since(
    store: ReviewStore, history_id: int, until: int
) -> list[tuple[str, str, str, int]]:
    """``(paper_id, row key, field, history_id)`` of the history rows after ``history_id``
    up to ``until`` (those this reviewer may read), oldest first."""
    rows = store.read(
        lambda c: c.execute(
            "SELECT paper_id, reviewer, field, history_id FROM history WHERE history_id > ? "
            "AND history_id <= ? ORDER BY history_id",
            (history_id, until),
        ).fetchall()
    )
    return [(str(p), str(r), str(f), int(i)) for p, r, f, i in rows]
