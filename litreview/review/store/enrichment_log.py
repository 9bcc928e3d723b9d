"""The enrichment log: web-completed paper fields as steps of the review's history.

An enrichment is one *step* (action ``enrich``): one history row per field it filled,
with the value before and after and, in ``new_meta``, the source it came from and the
rank the value now has. :func:`step` reverts or re-applies it like any change; a field
changed since (by an import) is left as it is, and a field you set yourself (rank
:data:`~litreview.readers.policy.YOUR_TABLE`) is never changed. The lookups and the
report are :mod:`litreview.review.enrichment`'s.

>>> FieldChange("p1", "doi", None, '"10.1/x"', {}, {"rank": 9}).after
'"10.1/x"'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from litreview.readers.policy import RANKED, YOUR_TABLE, decode_ranks, encode_ranks
from litreview.review.store.annotations import UNDOABLE
from litreview.review.store.base import Conn, ReviewStore, now
from litreview.review.store.history import step_of_kind
from litreview.review.store.table import COLUMNS, PAPERS_COUNTER
from litreview.schema import LIST, PAPER_COLUMNS, STRING

ACTION = "enrich"
_CHANGES = (*UNDOABLE, ACTION)


def locked(store: ReviewStore, ids: list[str]) -> dict[str, set[str]]:
    """paper_id -> the fields you set yourself (rank YOUR_TABLE), among ``ids``."""
    return store.read(lambda c: _locked_rows(c, ids))  # type: ignore[no-any-return]


def write(store: ReviewStore, reviewer: str, changes: list[FieldChange]) -> list[str]:
    """Write ``changes`` as one ``enrich`` step; return the fields skipped (changed since)."""
    with store.write() as conn:
        at = now()
        step = conn.execute(
            "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, NULL)",
            (reviewer, at, ACTION),
        ).lastrowid
        assert step is not None
        skipped = _apply(conn, step, reviewer, at, changes)
        store.bump(conn, PAPERS_COUNTER)
    return skipped


def pending(store: ReviewStore, reviewer: str, verb: str) -> int | None:
    """The enrich step ``undo``/``redo`` would act on now, else None."""
    return store.read(lambda c: target(c, reviewer, verb))  # type: ignore[no-any-return]


def step(store: ReviewStore, reviewer: str, verb: str) -> pd.DataFrame:
    """Undo or redo the enrichment step :func:`pending` names; the history rows written."""
    with store.write() as conn:
        done = target(conn, reviewer, verb)
        if done is None:
            raise LookupError(f"nothing to {verb} for reviewer {reviewer!r}")
        side = "old" if verb == "undo" else "new"
        order = "DESC" if verb == "undo" else "ASC"
        rows = conn.execute(
            f"SELECT paper_id, field, new_value, old_value, new_meta, old_meta FROM history "
            f"WHERE step_id = ? ORDER BY history_id {order}",
            (done,),
        ).fetchall()
        changes = []
        for pid, name, new, old, new_meta, old_meta in rows:
            if side == "old":  # back from new to old
                changes.append(FieldChange(pid, name, new, old, _meta(new_meta), _meta(old_meta)))
            else:
                changes.append(FieldChange(pid, name, old, new, _meta(old_meta), _meta(new_meta)))
        at = now()
        written = conn.execute(
            "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, ?)",
            (reviewer, at, verb, done),
        ).lastrowid
        assert written is not None
        _apply(conn, written, reviewer, at, changes)
        state = "undone" if verb == "undo" else "done"
        conn.execute("UPDATE steps SET state = ? WHERE step_id = ?", (state, done))
        store.bump(conn, PAPERS_COUNTER)
        return _frame(conn, written)


def enrichment_rows(store: ReviewStore, paper_id: str | None) -> pd.DataFrame:
    """Every field an enrichment changed (and its undos and redos), oldest first."""
    return store.read(lambda c: _enrichment_rows(c, paper_id))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FieldChange:
    """One field of one paper from ``before`` to ``after`` (history JSON), with the meta
    (``{"rank": …, "source": …}``) of each side."""

    paper_id: str
    field: str
    before: str | None
    after: str | None
    meta_before: dict[str, Any]
    meta_after: dict[str, Any]


def _meta(text: str | None) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _from_json(name: str, text: str | None) -> Any:
    if text is None:
        return None
    return text if PAPER_COLUMNS[name] is LIST else json.loads(text)


def _apply(conn: Conn, step: int, reviewer: str, at: str, changes: list[FieldChange]) -> list[str]:
    """Set each field (if it still holds ``before``), with its rank, and log it in the
    history of ``step``; return ``paper_id:field`` of those changed since."""
    skipped: list[str] = []
    ranked = {name: i for i, name in enumerate(RANKED)}
    for ch in changes:
        if ch.field not in COLUMNS:
            continue
        row = conn.execute(
            f"SELECT {ch.field}, ranks FROM papers WHERE paper_id = ?", (ch.paper_id,)
        ).fetchone()
        if row is None or row[0] != _from_json(ch.field, ch.before):
            skipped.append(f"{ch.paper_id}:{ch.field}")
            continue
        ranks = decode_ranks(row[1])
        if ch.field in ranked:
            at_rank = ranked[ch.field]
            if ranks[at_rank] == YOUR_TABLE and row[0] is not None:  # your own value
                skipped.append(f"{ch.paper_id}:{ch.field}")
                continue
            old_rank = ranks[at_rank]
            ranks[at_rank] = int(ch.meta_after.get("rank", old_rank))
            meta_before = {**ch.meta_before, "rank": old_rank}
        else:
            meta_before = ch.meta_before
        conn.execute(
            f"UPDATE papers SET {ch.field} = ?, ranks = ? WHERE paper_id = ?",
            (_from_json(ch.field, ch.after), encode_ranks(ranks), ch.paper_id),
        )
        conn.execute(
            "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value, "
            "old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (step, ch.paper_id, reviewer, at, ch.field, ch.before, ch.after,
             json.dumps(meta_before), json.dumps(ch.meta_after)),
        )  # fmt: skip
    return skipped


def _locked_rows(conn: Conn, ids: list[str]) -> dict[str, set[str]]:
    """paper_id -> the fields you set yourself (rank YOUR_TABLE)."""
    out: dict[str, set[str]] = {}
    wanted = set(ids)
    for pid, ranks in conn.execute("SELECT paper_id, ranks FROM papers WHERE ranks IS NOT NULL"):
        if pid in wanted:
            mine = {n for n, r in zip(RANKED, decode_ranks(ranks), strict=False) if r == YOUR_TABLE}
            if mine:
                out[pid] = mine
    return out


def target(conn: Conn, reviewer: str, verb: str) -> int | None:
    """The step ``verb`` acts on if it is an enrichment (any change counts as one)."""
    return step_of_kind(conn, reviewer, verb, (ACTION,), _CHANGES)


def _frame(conn: Conn, step: int) -> pd.DataFrame:
    """The history rows of ``step`` as :meth:`Review.history` shows changes."""
    rows = conn.execute(
        "SELECT paper_id, reviewer, at, field, old_value, new_value FROM history "
        "WHERE step_id = ? ORDER BY history_id",
        (step,),
    ).fetchall()
    return _table(rows, ["paper_id", "reviewer", "at", "field", "old_value", "new_value"])


def _enrichment_rows(conn: Conn, paper_id: str | None) -> pd.DataFrame:
    sql = (
        "SELECT h.paper_id, h.reviewer, h.at, s.action, h.field, h.old_value, h.new_value, "
        "h.new_meta FROM history h JOIN steps s ON s.step_id = h.step_id "
        "LEFT JOIN steps t ON t.step_id = s.target "
        "WHERE (s.action = ? OR (s.action IN ('undo', 'redo') AND t.action = ?))"
    )
    args: tuple[str, ...] = (ACTION, ACTION)
    if paper_id is not None:
        sql, args = sql + " AND h.paper_id = ?", (*args, paper_id)
    rows = conn.execute(sql + " ORDER BY h.history_id", args).fetchall()
    rows = [(*r[:7], _meta(r[7]).get("source")) for r in rows]
    names = ["paper_id", "reviewer", "at", "action", "field", "old_value", "new_value", "source"]
    return _table(rows, names)


def _table(rows: list[Any], names: list[str]) -> pd.DataFrame:
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    data: dict[str, Any] = {}
    for name, values in zip(names, cols, strict=True):
        if name == "at":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
        elif name in ("old_value", "new_value"):
            data[name] = pd.Series(
                [None if v is None else json.loads(v) for v in values], dtype=object
            )
        else:
            data[name] = pd.array(values, dtype=STRING)
    return pd.DataFrame(data)
