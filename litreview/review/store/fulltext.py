"""Where each paper's full text is (a link or a file path) and whether it could be
retrieved, for the full-text stage (schema v5): one row per paper in ``fulltext``,
every change in the append-only ``fulltext_log`` (who, when, old -> new).

>>> import tempfile, pathlib
>>> from litreview.review.store.connection import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview", create=True)
>>> with store.write() as conn:
...     _ = conn.execute("INSERT INTO papers(paper_id, title_key) VALUES ('p1', 'p1')")
>>> set_fulltext(store, "p1", reviewer="ada", location="pdfs/p1.pdf")
True
>>> fulltext_frame(store)[["paper_id", "location", "not_retrieved"]].values.tolist()
[['p1', 'pdfs/p1.pdf', False]]
>>> store.close()
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from litreview.review.store.base import ReviewStore, now
from litreview.review.store.table import decode_column
from litreview.schema import DATETIME, STRING

FULLTEXT_COUNTER = "fulltext_version"
FULLTEXT_FIELDS = ("location", "not_retrieved", "note")


def _clean(name: str, value: Any) -> Any:
    if name == "not_retrieved":
        if not isinstance(value, bool):
            raise ValueError(f"not_retrieved must be True or False; got {value!r}")
        return int(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text (a URL or a file path; '' clears it); got {value!r}")
    return value.strip() or None


def set_fulltext(
    store: ReviewStore,
    paper_id: str,
    *,
    reviewer: str,
    location: str | None = None,
    not_retrieved: bool | None = None,
    note: str | None = None,
) -> bool:
    """Record where ``paper_id``'s full text is, or that it could not be retrieved
    (``note`` says why); ``None`` leaves a field, ``""`` clears a text. One
    transaction with its log rows; False when nothing changed. A location marks the
    paper retrieved unless ``not_retrieved=True`` is given with it.
    """
    asked = {"location": location, "not_retrieved": not_retrieved, "note": note}
    given = {k: _clean(k, v) for k, v in asked.items() if v is not None}
    if not given:
        raise ValueError("set_fulltext() needs location=, not_retrieved= or note=")
    if given.get("location") and "not_retrieved" not in given:
        given["not_retrieved"] = 0
    at = now()
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM papers WHERE paper_id = ?", (paper_id,)).fetchone() is None:
            raise KeyError(f"no paper {paper_id!r} in this review")
        row = conn.execute(
            "SELECT location, not_retrieved, note FROM fulltext WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        old = dict(zip(FULLTEXT_FIELDS, row or (None, 0, None), strict=True))
        changed = {k: v for k, v in given.items() if old[k] != v}
        if not changed:
            return False
        new = {**old, **changed}
        conn.execute(
            "INSERT INTO fulltext(paper_id, location, not_retrieved, note, changed_by, "
            "changed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(paper_id) DO UPDATE SET "
            "location = excluded.location, not_retrieved = excluded.not_retrieved, "
            "note = excluded.note, changed_by = excluded.changed_by, "
            "changed_at = excluded.changed_at",
            (paper_id, new["location"], new["not_retrieved"], new["note"], reviewer, at),
        )
        conn.executemany(
            "INSERT INTO fulltext_log(paper_id, field, old_value, new_value, reviewer, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (paper_id, k, json.dumps(old[k]), json.dumps(v), reviewer, at)
                for k, v in changed.items()
            ],
        )
        store.bump(conn, FULLTEXT_COUNTER)
    return True


def fulltext_frame(store: ReviewStore) -> pd.DataFrame:
    """One row per paper with a full-text record: ``paper_id, location,
    not_retrieved, note, changed_by, changed_at`` (papers without one are left out)."""
    rows = store.read(
        lambda c: c.execute(
            "SELECT paper_id, location, not_retrieved, note, changed_by, changed_at "
            "FROM fulltext ORDER BY paper_id"
        ).fetchall()
    )
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in range(6)]
    return pd.DataFrame(
        {
            "paper_id": pd.array(cols[0], dtype=STRING),
            "location": pd.array(cols[1], dtype=STRING),
            "not_retrieved": pd.array([bool(v) for v in cols[2]], dtype=bool),
            "note": pd.array(cols[3], dtype=STRING),
            "changed_by": pd.array(cols[4], dtype=STRING),
            "changed_at": decode_column(cols[5], DATETIME),
        }
    )


def fulltext_log(store: ReviewStore) -> pd.DataFrame:
    """Every change of a full-text record, oldest first: ``paper_id, field,
    old_value, new_value, reviewer, at`` (values decoded)."""
    rows = store.read(
        lambda c: c.execute(
            "SELECT paper_id, field, old_value, new_value, reviewer, at FROM fulltext_log "
            "ORDER BY change_id"
        ).fetchall()
    )
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in range(6)]
    return pd.DataFrame(
        {
            "paper_id": pd.array(cols[0], dtype=STRING),
            "field": pd.array(cols[1], dtype=STRING),
            "old_value": pd.Series([json.loads(v) for v in cols[2]], dtype=object),
            "new_value": pd.Series([json.loads(v) for v in cols[3]], dtype=object),
            "reviewer": pd.array(cols[4], dtype=STRING),
            "at": decode_column(cols[5], DATETIME),
        }
    )
