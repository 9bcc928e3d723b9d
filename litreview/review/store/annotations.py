"""Annotations (decision, reason, tags, note, rating per paper and reviewer),
their append-only history, and undo/redo.

Every write is one *step*: a row in ``steps`` plus one history row per changed
field. Undo applies a step's old values as a new step (the history only grows);
redo applies them again. A decision row also records ``decided_by`` /
``decided_at`` before and after (``old_meta`` / ``new_meta``), so undo restores
them exactly.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.store.connection import Store, now
from litreview.schema import DECISIONS, Decision

FIELDS = ("decision", "reason", "tags", "note", "rating", "decided_by", "decided_at")
SHOWN_FIELDS = FIELDS[:5]
DEFAULTS: dict[str, Any] = {f: None for f in FIELDS} | {"decision": "unscreened", "tags": []}
RATINGS = range(1, 6)
ANNOTATIONS_COUNTER = "annotations_version"
HISTORY_COLUMNS = ("paper_id", "reviewer", "at", "field", "old_value", "new_value")
UNDOABLE = ("annotate", "import_annotations")
MAX_SUGGESTIONS = 3
#: Above this many rows, read whole reviewers' annotations instead of joining a temp table.
BULK = 500


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass
class Change:
    """Set ``field`` of (``paper_id``, ``reviewer``) to ``value``."""

    paper_id: str
    reviewer: str
    field: str
    value: Any


@dataclass
class Edit:
    """Validated keyword arguments of ``annotate`` (UNSET = leave as is)."""

    decision: Any = UNSET
    reason: Any = UNSET
    tags: Any = UNSET
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    note: Any = UNSET
    rating: Any = UNSET


# -- validation --------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is pd.NA or (isinstance(value, float) and np.isnan(value))


def check_decision(value: Any) -> str:
    text = value.value if isinstance(value, Decision) else value
    if isinstance(text, str) and text.strip().lower() in DECISIONS:
        return text.strip().lower()
    allowed = ", ".join(repr(d) for d in DECISIONS)
    close = difflib.get_close_matches(str(text).lower(), DECISIONS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"decision must be one of {allowed}; got {value!r}{hint}")


def check_text(name: str, value: Any) -> str | None:
    """A reason or note: str (trimmed; empty clears) or pd.NA to clear."""
    if _missing(value):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text (or '' to clear it); got {value!r}")
    return value.strip() or None


def check_rating(value: Any) -> int | None:
    """A rating from 1 to 5, or None for ``""``/pd.NA (clear it)."""
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if isinstance(value, float) and value.is_integer():
        ok, value = True, int(value)
    if not ok or int(value) not in RATINGS:
        raise ValueError(
            f"rating must be a whole number from 1 to 5 (or '' to clear it); got {value!r}"
        )
    return int(value)


def check_tags(name: str, value: Any, *, blank: bool = True) -> list[str]:
    """A list of tags from a str (one tag) or an iterable of str; trimmed, de-duplicated.

    Blank tags are skipped, or refused with ``blank=False`` (a tag someone typed to add
    or remove must not vanish silently).
    """
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValueError(f"{name} must be a str or a list of str; got {value!r}")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{name} must contain only str; got {item!r} in {value!r}")
        tag = item.strip()
        if not tag and not blank:
            raise ValueError(f"{name}: a tag cannot be empty; got {value!r}")
        if tag and tag not in out:
            out.append(tag)
    return out


def make_edit(
    *,
    decision: Any = None,
    reason: Any = None,
    tags: Any = None,
    add_tags: Any = None,
    remove_tags: Any = None,
    note: Any = None,
    rating: Any = None,
) -> Edit:
    """Validate ``annotate``'s keywords (None = leave unchanged); raise ValueError."""
    edit = Edit()
    if decision is not None:
        edit.decision = check_decision(decision)
    if reason is not None:
        edit.reason = check_text("reason", reason)
    if tags is not None:
        edit.tags = check_tags("tags", tags)
    if add_tags is not None:
        edit.add_tags = check_tags("add_tags", add_tags, blank=False)
    if remove_tags is not None:
        edit.remove_tags = check_tags("remove_tags", remove_tags, blank=False)
    if note is not None:
        edit.note = check_text("note", note)
    if rating is not None:
        edit.rating = check_rating(rating)
    given = [decision, reason, tags, add_tags, remove_tags, note, rating]
    if all(v is None for v in given):
        raise ValueError(
            "annotate() needs at least one of decision=, reason=, tags=, add_tags=, "
            "remove_tags=, note=, rating="
        )
    return edit


def as_ids(paper_ids: Any) -> list[str]:
    """One id or an iterable of ids (a Series or Index works too), order kept, no repeats."""
    items = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"paper ids must be str; got {item!r}")
    return list(dict.fromkeys(items))


def unknown_ids_error(conn: sqlite3.Connection, missing: Sequence[str]) -> KeyError:
    """A KeyError naming the unknown ids and, for the first, the closest known ids."""
    from rapidfuzz import process

    known = [r[0] for r in conn.execute("SELECT paper_id FROM papers")]
    titles = dict(conn.execute("SELECT paper_id, title FROM papers").fetchall())
    first = missing[0]
    close = [m[0] for m in process.extract(first, known, limit=MAX_SUGGESTIONS, score_cutoff=50)]
    by_title = process.extract(first, titles, limit=MAX_SUGGESTIONS, score_cutoff=80)
    close += [m[2] for m in by_title if m[2] not in close]
    shown = ", ".join(repr(m) for m in missing[:5]) + (" …" if len(missing) > 5 else "")
    hint = f"; closest to {first!r}: {', '.join(close)}" if close else ""
    return KeyError(f"{len(missing)} unknown paper id(s): {shown}{hint}; nothing was changed")


# -- reading and writing annotation rows ---------------------------------------------------


def _encode(name: str, value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if name == "tags" else value


def _decode(name: str, value: Any) -> Any:
    return json.loads(value) if name == "tags" else value


def current(
    conn: sqlite3.Connection, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Annotation rows (decoded) for (paper_id, reviewer) keys; defaults when absent."""
    out = {key: dict(DEFAULTS) for key in keys}
    if len(keys) > BULK:
        reviewers = sorted({r for _, r in keys})
        marks = ", ".join("?" * len(reviewers))
        sql = f"SELECT paper_id, reviewer, {', '.join(FIELDS)} FROM annotations"
        for pid, reviewer, *values in conn.execute(f"{sql} WHERE reviewer IN ({marks})", reviewers):
            if (pid, reviewer) in out:
                out[(pid, reviewer)] = dict(zip(FIELDS, values, strict=True))
                out[(pid, reviewer)]["tags"] = json.loads(values[2])
        return out
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _keys (paper_id TEXT, reviewer TEXT)")
    conn.execute("DELETE FROM _keys")
    conn.executemany("INSERT INTO _keys VALUES (?, ?)", keys)
    sql = (
        f"SELECT a.paper_id, a.reviewer, {', '.join('a.' + f for f in FIELDS)} FROM annotations a "
        "JOIN _keys k ON a.paper_id = k.paper_id AND a.reviewer = k.reviewer"
    )
    for pid, reviewer, *values in conn.execute(sql):
        out[(pid, reviewer)] = {f: _decode(f, v) for f, v in zip(FIELDS, values, strict=True)}
    return out


def missing_papers(conn: sqlite3.Connection, ids: Sequence[str]) -> list[str]:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (paper_id TEXT)")
    conn.execute("DELETE FROM _ids")
    conn.executemany("INSERT INTO _ids VALUES (?)", [(i,) for i in ids])
    sql = (
        "SELECT i.paper_id FROM _ids i LEFT JOIN papers p USING (paper_id) WHERE p.paper_id IS NULL"
    )
    found = {r[0] for r in conn.execute(sql)}
    return [i for i in ids if i in found]


def apply(
    store: Store,
    conn: sqlite3.Connection,
    performer: str,
    action: str,
    changes: list[Change],
    target: int | None = None,
    rows: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> list[list[Any]]:
    """Write ``changes`` as one step (inside the caller's transaction); skip no-ops.

    Returns the history rows written. An ``annotate`` or import that changes
    nothing records no step; an undo or redo always does (the redo chain needs it).
    """
    keys = list(dict.fromkeys((c.paper_id, c.reviewer) for c in changes))
    if rows is None or any(key not in rows for key in keys):
        rows = current(conn, keys)
    at = now()
    history: list[list[Any]] = []
    decision_rows: dict[tuple[str, str], list[Any]] = {}
    touched: dict[tuple[str, str], None] = {}
    dump = _Dumper()
    for change in changes:
        key = (change.paper_id, change.reviewer)
        row = rows[key]
        old = row[change.field]
        if old == change.value:
            continue
        if change.field == "decision":
            meta_old = dump([row["decided_by"], row["decided_at"]])
            entry = [*key, at, "decision", dump(old), dump(change.value), meta_old, meta_old]
            decision_rows[key] = entry
            history.append(entry)
        elif change.field in ("decided_by", "decided_at") and key in decision_rows:
            pass  # recorded with the decision (old_meta / new_meta) below
        else:
            history.append([*key, at, change.field, dump(old), dump(change.value), None, None])
        row[change.field] = change.value
        touched[key] = None
    for key, entry in decision_rows.items():
        entry[7] = dump([rows[key]["decided_by"], rows[key]["decided_at"]])
    if not history and action in UNDOABLE:
        return []
    step = conn.execute(
        "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, ?)",
        (performer, at, action, target),
    ).lastrowid
    names = ("paper_id", "reviewer", *FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in FIELDS)
    conn.executemany(
        f"INSERT INTO annotations({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT(paper_id, reviewer) DO UPDATE SET {updates}",
        [(*key, *(_encode(f, rows[key][f]) for f in FIELDS)) for key in touched],
    )
    conn.executemany(
        "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value, "
        "old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(step, *row) for row in history],
    )
    store.bump(conn, ANNOTATIONS_COUNTER)
    return history


class _Dumper:
    """JSON-encode history values, remembering repeats (a bulk edit repeats a few values)."""

    def __init__(self) -> None:
        self.memo: dict[Any, str] = {}

    def __call__(self, value: Any) -> str | None:
        if value is None:
            return None
        key = (type(value), tuple(value) if isinstance(value, list) else value)
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = json.dumps(value, ensure_ascii=False)
        return text


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def annotate(store: Store, reviewer: str, paper_ids: Any, edit: Edit) -> int:
    """Apply a validated edit to every id in one transaction; return the fields changed."""
    ids = as_ids(paper_ids)
    if not ids:
        return 0
    with store.write() as conn:
        missing = missing_papers(conn, ids)
        if missing:
            raise unknown_ids_error(conn, missing)
        rows = current(conn, [(pid, reviewer) for pid in ids]) if _needs_rows(edit) else {}
        at = now()
        changes: list[Change] = []
        for pid in ids:
            changes += _changes_for(pid, reviewer, edit, rows.get((pid, reviewer)), at)
        history = apply(store, conn, reviewer, "annotate", changes, rows=rows or None)
    return sum(1 for row in history if row[3] in SHOWN_FIELDS)


def _needs_rows(edit: Edit) -> bool:
    tag_ops = bool(edit.add_tags or edit.remove_tags)
    return edit.decision is not UNSET or (edit.tags is UNSET and tag_ops)


def _changes_for(
    pid: str, reviewer: str, edit: Edit, row: dict[str, Any] | None, at: str
) -> list[Change]:
    out = []
    if edit.decision is not UNSET and row is not None and row["decision"] != edit.decision:
        decided = edit.decision != "unscreened"
        out.append(Change(pid, reviewer, "decision", edit.decision))
        out.append(Change(pid, reviewer, "decided_by", reviewer if decided else None))
        out.append(Change(pid, reviewer, "decided_at", at if decided else None))
    for name in ("reason", "note", "rating"):
        value = getattr(edit, name)
        if value is not UNSET:
            out.append(Change(pid, reviewer, name, value))
    if edit.tags is not UNSET or edit.add_tags or edit.remove_tags:
        tags = list(edit.tags) if edit.tags is not UNSET else list(row["tags"] if row else [])
        tags += [t for t in edit.add_tags if t not in tags]
        tags = [t for t in tags if t not in edit.remove_tags]
        out.append(Change(pid, reviewer, "tags", tags))
    return out
