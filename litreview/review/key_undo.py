"""Undo and redo of the citation keys a reviewer changed on purpose (``rekey``, ``set_key``).

:meth:`Review.undo <litreview.review.core.Review.undo>` asks :func:`key_target` first: when
the reviewer's latest change (of any kind: an annotation, an enrichment, a key) is a key
change, :func:`step_keys` puts the old keys back as one ``undo`` step of the history, and
``redo`` re-applies them. A key that changed since, or that another paper holds by now,
is left as it is. The first pinning of a key is not a change anyone made: it is never
undone (a pinned key never goes away)::

    >>> import tempfile, pathlib, litreview
    >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> _ = review.add(litreview.SAMPLE_LISTING)
    >>> first = review.papers["paper_id"][0]
    >>> review.citation_keys(first).iloc[0]  # pinned now
    'DoracamomJoint3D2025'
    >>> review.set_key(first, "mine2025")
    >>> _ = review.undo()
    >>> review.citation_keys(first).iloc[0]
    'DoracamomJoint3D2025'
"""

from __future__ import annotations

import json

import pandas as pd

from litreview.readers.policy import RANKED, decode_ranks, encode_ranks
from litreview.review.store.annotations import UNDOABLE
from litreview.review.store.base import Conn, ReviewStore, now
from litreview.review.store.history import step_of_kind
from litreview.review.store.table import PAPERS_COUNTER
from litreview.schema import STRING

#: The key changes undo and redo act on.
KEY_ACTIONS = ("rekey", "set-key")
#: Every kind of step that is a change of the reviewer's (what "latest change" means).
CHANGES = (*UNDOABLE, "enrich", *KEY_ACTIONS)
_AT = RANKED.index("citation_key")


def key_target(conn: Conn, reviewer: str, verb: str) -> int | None:
    """The key-change step ``verb`` (undo/redo) would act on now, else None."""
    return step_of_kind(conn, reviewer, verb, KEY_ACTIONS, CHANGES)


def step_keys(store: ReviewStore, reviewer: str, verb: str) -> pd.DataFrame:
    """Undo or redo the key step :func:`key_target` names, as one step; the changes made
    (``paper_id, reviewer, at, field, old_value, new_value``)."""
    with store.write() as conn:
        target = key_target(conn, reviewer, verb)
        if target is None:
            raise LookupError(f"nothing to {verb} for reviewer {reviewer!r}")
        order = "DESC" if verb == "undo" else "ASC"
        rows = conn.execute(
            "SELECT paper_id, old_value, new_value, old_meta, new_meta FROM history "
            f"WHERE step_id = ? ORDER BY history_id {order}",
            (target,),
        ).fetchall()
        at = now()
        step = conn.execute(
            "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, ?)",
            (reviewer, at, verb, target),
        ).lastrowid
        done = []
        for pid, old, new, old_meta, new_meta in rows:
            before, after = (new, old) if verb == "undo" else (old, new)
            rank = json.loads((old_meta if verb == "undo" else new_meta) or "{}").get("rank")
            if _apply(conn, pid, before, after, rank):
                conn.execute(
                    "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, "
                    "new_value, old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (step, pid, reviewer, at, "citation_key", before, after,
                     new_meta if verb == "undo" else old_meta,
                     old_meta if verb == "undo" else new_meta),
                )  # fmt: skip
                done.append((pid, reviewer, at, "citation_key", before, after))
        state = "undone" if verb == "undo" else "done"
        conn.execute("UPDATE steps SET state = ? WHERE step_id = ?", (state, target))
        store.bump(conn, PAPERS_COUNTER)
    return _frame(done)


def _apply(conn: Conn, pid: str, before: str | None, after: str | None, rank: int | None) -> bool:
    """Set ``pid``'s key from ``before`` to ``after`` (JSON) if it still is ``before`` and
    no other paper holds ``after``; True when it was set."""
    if after is None:
        return False  # a key is never taken away: the first pinning is not undone
    row = conn.execute(
        "SELECT citation_key, ranks FROM papers WHERE paper_id = ?", (pid,)
    ).fetchone()
    key = json.loads(after)
    if row is None or row[0] != (None if before is None else json.loads(before)):
        return False
    holder = conn.execute(
        "SELECT 1 FROM papers WHERE lower(citation_key) = lower(?) AND paper_id != ?", (key, pid)
    ).fetchone()
    if holder is not None:
        return False
    ranks = decode_ranks(row[1])
    if rank is not None:
        ranks[_AT] = int(rank)
    conn.execute(
        "UPDATE papers SET citation_key = ?, ranks = ? WHERE paper_id = ?",
        (key, encode_ranks(ranks), pid),
    )
    return True


def _frame(rows: list[tuple[str, str, str, str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "paper_id": pd.array([r[0] for r in rows], dtype=STRING),
            "reviewer": pd.array([r[1] for r in rows], dtype=STRING),
            "at": pd.to_datetime(pd.Series([r[2] for r in rows], dtype=object), format="ISO8601"),
            "field": pd.array([r[3] for r in rows], dtype=STRING),
            "old_value": pd.Series([None if r[4] is None else json.loads(r[4]) for r in rows],
                                   dtype=object),
            "new_value": pd.Series([None if r[5] is None else json.loads(r[5]) for r in rows],
                                   dtype=object),
        }
    )  # fmt: skip
