"""Reading annotations back: the history table, undo/redo, per-reviewer columns
for the paper table, and every reviewer's decisions.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from litreview.review.store.annotations import (
    ANNOTATIONS_COUNTER,
    FIELDS,
    HISTORY_COLUMNS,
    UNDOABLE,
    Change,
    Entry,
    apply,
    shown_change,
    shown_field,
)
from litreview.review.store.base import Conn, ReviewStore
from litreview.review.store.snapshot import strings
from litreview.review.store.table import decode_column, decode_lists
from litreview.schema import DATETIME, DECISION_DTYPE, DECISIONS, STRING

_UNDOABLE_SQL = ", ".join(f"'{a}'" for a in UNDOABLE)


class HistoryRow(NamedTuple):
    """One row of the annotation history as stored (values as JSON text)."""

    paper_id: str
    reviewer: str
    at: str
    field: str
    old_value: str | None
    new_value: str | None

    @classmethod
    def of(cls, written: Sequence[Any], performer: str | None = None) -> HistoryRow:
        """The row of a history entry as :func:`annotations.apply` writes it (meta dropped),
        its reviewer and field as shown (:func:`annotations.shown_change`)."""
        pid, key, at, field, old, new = written[:6]
        reviewer, shown = shown_change(key, performer or key, field)
        return cls(pid, reviewer, at, shown, old, new)


def history_frame(rows: Sequence[HistoryRow]) -> pd.DataFrame:
    """History rows as a table (the fields a user sees, values decoded)."""
    rows = [r for r in rows if shown_field(r.field)]
    cols: list[Sequence[Any]] = (
        list(zip(*rows, strict=True)) if rows else [() for _ in HISTORY_COLUMNS]
    )
    data: dict[str, Any] = {
        "paper_id": pd.array(cols[0], dtype=STRING),
        "reviewer": pd.array(cols[1], dtype=STRING),
        "at": decode_column(cols[2], DATETIME),
        "field": pd.array(cols[3], dtype=STRING),
    }
    loads = _Loads()
    for name, values in (("old_value", cols[4]), ("new_value", cols[5])):
        array = np.empty(len(values), dtype=object)
        array[:] = [None if v is None else loads(v) for v in values]
        data[name] = array
    return pd.DataFrame(data)


class _Loads:
    """``json.loads`` that decodes each distinct text once (lists come back as fresh copies)."""

    def __init__(self) -> None:
        self.memo: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        if text not in self.memo:
            self.memo[text] = json.loads(text)
        value = self.memo[text]
        return value[:] if isinstance(value, list) else value


def read_history(store: ReviewStore, paper_id: str | None = None) -> list[HistoryRow]:
    """The history rows of every paper (or one), oldest first."""
    sql = (
        "SELECT h.paper_id, h.reviewer, h.at, h.field, h.old_value, h.new_value, s.reviewer "
        "FROM history h JOIN steps s USING (step_id)"
    )
    if paper_id is None:
        query = sql + " ORDER BY h.history_id"
        rows = store.read(lambda c: c.execute(query).fetchall())
    else:
        query = sql + " WHERE h.paper_id = ? ORDER BY h.history_id"
        rows = store.read(lambda c: c.execute(query, (paper_id,)).fetchall())
    return [HistoryRow.of(row[:6], row[6]) for row in rows]


def undo(store: ReviewStore, reviewer: str) -> list[HistoryRow]:
    """Revert ``reviewer``'s latest change that is not undone yet; return the history written."""
    return _step(store, reviewer, "undo")


def redo(store: ReviewStore, reviewer: str) -> list[HistoryRow]:
    """Re-apply the change ``reviewer`` undid last (if nothing was changed since)."""
    return _step(store, reviewer, "redo")


def _step(store: ReviewStore, reviewer: str, verb: str) -> list[HistoryRow]:
    """Undo or redo one step in one write transaction; LookupError when there is none."""
    find_target = undo_target if verb == "undo" else redo_target
    with store.write() as conn:
        target = find_target(conn, reviewer)
        if target is None:
            raise LookupError(f"nothing to {verb} for reviewer {reviewer!r}")
        return [HistoryRow.of(r, reviewer) for r in _replay(store, conn, reviewer, target, verb)]


def undo_target(conn: Conn, reviewer: str) -> int | None:
    row = conn.execute(
        f"SELECT step_id FROM steps WHERE reviewer = ? AND action IN ({_UNDOABLE_SQL}) "
        "AND state = 'done' ORDER BY step_id DESC LIMIT 1",
        (reviewer,),
    ).fetchone()
    return None if row is None else int(row[0])


def redo_target(conn: Conn, reviewer: str) -> int | None:
    """Walk back over the reviewer's steps: redos cancel undos; a new change ends the chain."""
    pending_redos = 0
    steps = conn.execute(
        "SELECT action, target FROM steps WHERE reviewer = ? ORDER BY step_id DESC", (reviewer,)
    )
    for action, target in steps:
        if action == "redo":
            pending_redos += 1
        elif action == "undo":
            if pending_redos == 0:
                return int(target)
            pending_redos -= 1
        elif action in UNDOABLE:
            return None
    return None


def step_of_kind(
    conn: Conn, reviewer: str, verb: str, kinds: Collection[str], changes: Collection[str]
) -> int | None:
    """The step ``verb`` (undo/redo) would act on now when its action is one of ``kinds``,
    else None; every action in ``changes`` counts as one of the reviewer's changes (the
    kinds' own undo/redo: enrichments, key changes)."""
    marks = ", ".join("?" * len(changes))
    if verb == "undo":
        row = conn.execute(
            f"SELECT step_id, action FROM steps WHERE reviewer = ? AND action IN ({marks}) "
            "AND state = 'done' ORDER BY step_id DESC LIMIT 1",
            (reviewer, *changes),
        ).fetchone()
        return int(row[0]) if row is not None and row[1] in kinds else None
    pending = 0
    steps = conn.execute(
        "SELECT s.action, s.target, t.action FROM steps s LEFT JOIN steps t "
        "ON t.step_id = s.target WHERE s.reviewer = ? ORDER BY s.step_id DESC",
        (reviewer,),
    )
    for action, target, target_action in steps:
        if action == "redo":
            pending += 1
        elif action == "undo":
            if pending == 0:
                return int(target) if target_action in kinds else None
            pending -= 1
        elif action in changes:
            return None
    return None


def _replay(store: ReviewStore, conn: Conn, reviewer: str, step: int, action: str) -> list[Entry]:
    side = "old" if action == "undo" else "new"
    order = "DESC" if action == "undo" else "ASC"
    rows = conn.execute(
        f"SELECT paper_id, reviewer, field, {side}_value, {side}_meta FROM history "
        f"WHERE step_id = ? ORDER BY history_id {order}",
        (step,),
    ).fetchall()
    changes = []
    loads = _Loads()
    for pid, key, name, value, meta in rows:  # key: the row's reviewer (may not be the performer)
        changes.append(Change(pid, key, name, None if value is None else loads(value)))
        if meta is not None:
            decided_by, decided_at = loads(meta)
            changes.append(Change(pid, key, "decided_by", decided_by))
            changes.append(Change(pid, key, "decided_at", decided_at))
    written = apply(store, conn, reviewer, action, changes, target=step)
    state = "undone" if action == "undo" else "done"
    conn.execute("UPDATE steps SET state = ? WHERE step_id = ?", (state, step))
    return written


def annotation_rows(store: ReviewStore, reviewer: str | None) -> list[tuple[Any, ...]]:
    """``(paper_id, reviewer, *FIELDS)`` rows of one reviewer (or all), cached per version."""
    key = f"annotations:{reviewer}"

    def load(conn: Conn) -> tuple[int, list[tuple[Any, ...]] | None]:
        version = store.counter(conn, ANNOTATIONS_COUNTER)
        cached = store.cache.get(key)
        if cached is not None and cached[0] == version:
            return version, None
        sql = f"SELECT paper_id, reviewer, {', '.join(FIELDS)} FROM annotations"
        if reviewer is None:
            return version, conn.execute(sql + " ORDER BY paper_id, reviewer").fetchall()
        return version, conn.execute(sql + " WHERE reviewer = ?", (reviewer,)).fetchall()

    version, rows = store.read(load)
    if rows is None:
        return store.cache[key][1]  # type: ignore[no-any-return]
    store.cache[key] = (version, rows)
    return rows


def decision_columns(paper_ids: pd.Index, rows: list[tuple[Any, ...]]) -> dict[str, np.ndarray]:
    """Only ``decision``, ``reason`` and ``decided_by`` aligned to ``paper_ids`` (object
    arrays): what the review's decision rule reads, without building the other columns.

    >>> row = ("b", "ada", "include", "ok", "[]", None, None, "ada", None, "{}")
    >>> decision_columns(pd.Index(["a", "b"]), [row])["decision"].tolist()
    ['unscreened', 'include']
    """
    n = len(paper_ids)
    out = {
        "decision": np.full(n, "unscreened", dtype=object),
        "reason": np.full(n, None, dtype=object),
        "decided_by": np.full(n, None, dtype=object),
    }
    if rows:
        positions = paper_ids.get_indexer(pd.Index([r[0] for r in rows], dtype=object))
        keep = positions >= 0  # (a paper added by another process since the snapshot)
        for name in out:
            at = 2 + FIELDS.index(name)
            values = np.array([r[at] for r in rows], dtype=object)
            out[name][positions[keep]] = values[keep]
    return out


def annotation_columns(paper_ids: Any, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The annotation columns aligned to ``paper_ids`` (an Index is fastest); fresh objects."""
    index = paper_ids if isinstance(paper_ids, pd.Index) else pd.Index(paper_ids)
    n = len(index)
    codes = np.zeros(n, dtype=np.int8)
    tags = _as_objects([[] for _ in range(n)])
    text = {f: np.full(n, None, dtype=object) for f in ("reason", "note", "decided_by")}
    rating = np.zeros(n, dtype=np.int64)
    rating_missing = np.ones(n, dtype=bool)
    decided_at = np.full(n, np.datetime64("NaT"), dtype=DATETIME)
    wanted = pd.Index([r[0] for r in rows], dtype=object)
    positions = index.get_indexer(wanted) if rows else np.array([], dtype=int)
    if (positions < 0).any():  # a paper added by another process since the snapshot
        rows = [r for r, p in zip(rows, positions, strict=True) if p >= 0]
        positions = positions[positions >= 0]
    if rows:
        # (the extraction fields, last, are read by litreview.review.extraction)
        cols = dict(zip(FIELDS, list(zip(*rows, strict=True))[2:], strict=False))
        lookup = {d: i for i, d in enumerate(DECISIONS)}
        codes[positions] = [lookup[d] for d in cols["decision"]]
        tags[positions] = _as_objects(
            decode_lists([None if t == "[]" else t for t in cols["tags"]])
        )
        for name, array in text.items():
            array[positions] = cols[name]
        rated = np.array([r is not None for r in cols["rating"]], dtype=bool)
        rating[positions[rated]] = [r for r in cols["rating"] if r is not None]
        rating_missing[positions[rated]] = False
        decided_at[positions] = decode_column(cols["decided_at"], DATETIME)
    return {
        "decision": pd.Categorical.from_codes(codes, dtype=DECISION_DTYPE),
        "reason": strings(text["reason"]),
        "tags": tags,
        "note": strings(text["note"]),
        "rating": pd.arrays.IntegerArray(rating, rating_missing),
        "decided_by": strings(text["decided_by"]),
        "decided_at": decided_at,
    }


def _as_objects(items: list[Any]) -> np.ndarray:
    """A 1-d object array holding ``items`` themselves (lists stay lists)."""
    return np.fromiter(items, dtype=object, count=len(items))
