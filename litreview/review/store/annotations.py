"""Annotations (decision, reason, tags, note, rating per paper and reviewer),
their append-only history, and undo/redo.

Every write is one *step*: a row in ``steps`` plus one history row per changed
field. Undo applies a step's old values as a new step (the history only grows);
redo applies them again. A decision row also records ``decided_by`` /
``decided_at`` before and after (``old_meta`` / ``new_meta``), so undo restores
them exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from litreview.review.edits import FIELD_PREFIX, Annotation, Edit, apply_edit, differences
from litreview.review.store.base import Conn, ReviewStore, now

FIELDS: tuple[str, ...] = Annotation._fields
SHOWN_FIELDS = FIELDS[:5]
ANNOTATIONS_COUNTER = "annotations_version"
HISTORY_COLUMNS = ("paper_id", "reviewer", "at", "field", "old_value", "new_value")
UNDOABLE = ("annotate", "import_annotations", "resolve")
MAX_SUGGESTIONS = 3
#: Above this many rows, read whole reviewers' annotations instead of joining a temp table.
BULK = 500

Key = tuple[str, str]

#: The annotation rows that are not a reviewer's own title/abstract decisions carry a
#: suffixed key in the ``reviewer`` column: ``ada@fulltext`` is ada's full-text decision,
#: ``@final`` the review's final (resolved) decision, ``@final@fulltext`` at full text.
FINAL = "@final"
FULLTEXT = "@fulltext"
STAGES = ("title", "fulltext")


def row_key(reviewer: str, stage: str = "title") -> str:
    """The annotation row of ``reviewer`` (or :data:`FINAL`) at ``stage``.

    >>> row_key("ada", "fulltext"), row_key(FINAL)
    ('ada@fulltext', '@final')
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}; got {stage!r}")
    return reviewer + FULLTEXT if stage == "fulltext" else reviewer


def split_key(key: str) -> tuple[str, str]:
    """``(reviewer or FINAL, stage)`` of an annotation row key.

    >>> split_key("ada@uni.org@fulltext"), split_key("@final")
    (('ada@uni.org', 'fulltext'), ('@final', 'title'))
    """
    if key.endswith(FULLTEXT) and len(key) > len(FULLTEXT):
        return key[: -len(FULLTEXT)], "fulltext"
    return key, "title"


def shown_change(key: str, performer: str, field: str) -> tuple[str, str]:
    """``(reviewer, field)`` as the history shows a change of row ``key`` made by
    ``performer``: full-text fields as ``fulltext_decision``, final ones as
    ``final_decision`` (by the resolver) or ``final_fulltext_decision``.

    >>> shown_change("ada@fulltext", "ada", "reason"), shown_change("@final", "cy", "decision")
    (('ada', 'fulltext_reason'), ('cy', 'final_decision'))
    """
    who, stage = split_key(key)
    prefix = "fulltext_" if stage == "fulltext" else ""
    if who == FINAL:
        return performer, "final_" + prefix + field
    return who, prefix + field


class Change(NamedTuple):
    """Set ``field`` of (``paper_id``, ``reviewer``) to ``value``."""

    paper_id: str
    reviewer: str
    field: str
    value: Any


class Entry(NamedTuple):
    """A history row as :func:`apply` writes it: values as JSON text, and for a decision
    ``[decided_by, decided_at]`` before and after (``old_meta``/``new_meta``)."""

    paper_id: str
    reviewer: str
    at: str
    field: str
    old_value: str | None
    new_value: str | None
    old_meta: str | None = None
    new_meta: str | None = None


def changes(key: Key, differ: Sequence[tuple[str, Any]]) -> list[Change]:
    """The changes of ``key`` that :func:`~litreview.review.edits.differences` lists."""
    return [Change(*key, name, value) for name, value in differ]


def as_ids(paper_ids: Any) -> list[str]:
    """One id or an iterable of ids (a Series or Index works too), order kept, no repeats."""
    items = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"paper ids must be str; got {item!r}")
    return list(dict.fromkeys(items))


def unknown_ids_error(conn: Conn, missing: Sequence[str]) -> KeyError:
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


def stored(values: Sequence[Any]) -> Annotation:
    """An :class:`Annotation` from a row's stored ``FIELDS`` (tags and extraction
    fields as JSON text)."""
    decision, reason, tags, note, rating, decided_by, decided_at, fields = values
    return Annotation(
        decision,
        reason,
        tuple(json.loads(tags)),
        note,
        rating,
        decided_by,
        decided_at,
        decode_fields(fields),
    )


def decode_fields(text: str | None) -> tuple[tuple[str, Any], ...]:
    """Extraction values as stored (a JSON object) -> sorted ``(name, value)`` pairs.

    >>> decode_fields('{"n": 3, "d": "RCT"}'), decode_fields("{}")
    ((('d', 'RCT'), ('n', 3)), ())
    """
    if not text or text == "{}":
        return ()
    return tuple(sorted(json.loads(text).items()))


def encode_fields(values: Any) -> str:
    """Sorted ``(name, value)`` pairs -> the JSON object stored (``{}`` when none)."""
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True) if values else "{}"


def shown_field(name: str) -> bool:
    """Whether a history row's field is one a user sees (not decided_by/decided_at).

    >>> shown_field("fulltext_decision"), shown_field("field:size"), shown_field("decided_at")
    (True, True, False)
    """
    return FIELD_PREFIX in name or name.rsplit("_", 1)[-1] in SHOWN_FIELDS


def current(conn: Conn, keys: Sequence[Key]) -> dict[Key, Annotation]:
    """The annotations of (paper_id, reviewer) keys; a blank one when absent."""
    blank = Annotation()
    out = dict.fromkeys(keys, blank)
    if len(keys) > BULK:
        reviewers = sorted({r for _, r in keys})
        marks = ", ".join("?" * len(reviewers))
        sql = f"SELECT paper_id, reviewer, {', '.join(FIELDS)} FROM annotations"
        for pid, reviewer, *values in conn.execute(f"{sql} WHERE reviewer IN ({marks})", reviewers):
            if (pid, reviewer) in out:
                out[(pid, reviewer)] = stored(values)
        return out
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _keys (paper_id TEXT, reviewer TEXT)")
    conn.execute("DELETE FROM _keys")
    conn.executemany("INSERT INTO _keys VALUES (?, ?)", keys)
    sql = (
        f"SELECT a.paper_id, a.reviewer, {', '.join('a.' + f for f in FIELDS)} FROM annotations a "
        "JOIN _keys k ON a.paper_id = k.paper_id AND a.reviewer = k.reviewer"
    )
    for pid, reviewer, *values in conn.execute(sql):
        out[(pid, reviewer)] = stored(values)
    return out


def missing_papers(conn: Conn, ids: Sequence[str]) -> list[str]:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (paper_id TEXT)")
    conn.execute("DELETE FROM _ids")
    conn.executemany("INSERT INTO _ids VALUES (?)", [(i,) for i in ids])
    sql = (
        "SELECT i.paper_id FROM _ids i LEFT JOIN papers p USING (paper_id) WHERE p.paper_id IS NULL"
    )
    found = {r[0] for r in conn.execute(sql)}
    return [i for i in ids if i in found]


def apply(
    store: ReviewStore,
    conn: Conn,
    performer: str,
    action: str,
    changes: list[Change],
    target: int | None = None,
    rows: dict[Key, Annotation] | None = None,
    at: str | None = None,
) -> list[Entry]:
    """Write ``changes`` as one step at ``at`` (default: now), inside the caller's
    transaction; skip no-ops.

    Returns the history rows written. An ``annotate`` or import that changes
    nothing records no step; an undo or redo always does (the redo chain needs it).
    """
    keys = list(dict.fromkeys((c.paper_id, c.reviewer) for c in changes))
    if rows is None or any(key not in rows for key in keys):
        rows = current(conn, keys)
    at = now() if at is None else at
    history: list[Entry] = []
    decision_rows: dict[Key, int] = {}  # where in history each key's decision entry is
    after: dict[Key, dict[str, Any]] = {}  # the rows seen, as field -> value
    touched: dict[Key, None] = {}  # the rows to write
    dump = _Dumper()
    for change in changes:
        key = (change.paper_id, change.reviewer)
        row = after.get(key)
        if row is None:
            row = after[key] = dict(zip(FIELDS, rows[key], strict=True))
        value = tuple(change.value) if change.field == "tags" else change.value
        if change.field.startswith(FIELD_PREFIX):  # one extraction field of the row
            name = change.field.removeprefix(FIELD_PREFIX)
            values = dict(row["fields"])
            old = values.get(name)
            if old == value and type(old) is type(value):
                continue
            history.append(Entry(*key, at, change.field, dump(old), dump(value)))
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
            row["fields"] = tuple(sorted(values.items()))
            touched[key] = None
            continue
        old = row[change.field]
        if old == value:
            continue
        if change.field == "decision":
            meta_old = dump([row["decided_by"], row["decided_at"]])
            decision_rows[key] = len(history)
            history.append(Entry(*key, at, "decision", dump(old), dump(value), meta_old, meta_old))
        elif change.field in ("decided_by", "decided_at") and key in decision_rows:
            pass  # recorded with the decision (old_meta / new_meta) below
        else:
            history.append(Entry(*key, at, change.field, dump(old), dump(value)))
        row[change.field] = value
        touched[key] = None
    for key, i in decision_rows.items():
        meta_new = dump([after[key]["decided_by"], after[key]["decided_at"]])
        history[i] = history[i]._replace(new_meta=meta_new)
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
        [(*key, *_stored_values(dump, after[key])) for key in touched],
    )
    conn.executemany(
        "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value, "
        "old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(step, *row) for row in history],
    )
    store.bump(conn, ANNOTATIONS_COUNTER)
    return history


def _stored_values(dump: _Dumper, row: dict[str, Any]) -> list[Any]:
    """A row's ``FIELDS`` as stored: tags and extraction fields as JSON text."""
    out = []
    for name, value in row.items():
        if name == "tags":
            value = dump(value)
        elif name == "fields":
            value = dump.fields(value)
        out.append(value)
    return out


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

    def fields(self, values: tuple[tuple[str, Any], ...]) -> str:
        """Extraction values as stored (:func:`encode_fields`), remembering repeats."""
        key = ("fields", tuple((k, type(v), v) for k, v in values))  # True is not 1 here
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = encode_fields(values)
        return text


def annotate(
    store: ReviewStore,
    reviewer: str,
    paper_ids: Any,
    edit: Edit,
    *,
    as_row: str | None = None,
    action: str = "annotate",
) -> int:
    """Apply ``edit`` by ``reviewer`` to every id in one transaction (one step, one
    time); return the fields changed.

    ``as_row`` is the annotation row written when it is not the reviewer's own (their
    full-text decisions, the review's final decision: see :mod:`litreview.review.team`);
    the step stays ``reviewer``'s, so their undo takes it back.
    """
    ids = as_ids(paper_ids)
    if not ids:
        return 0
    with store.write() as conn:
        missing = missing_papers(conn, ids)
        if missing:
            raise unknown_ids_error(conn, missing)
        keys = [(pid, as_row or reviewer) for pid in ids]
        rows = current(conn, keys)
        at = now()
        edited: dict[Annotation, list[tuple[str, Any]]] = {}  # a bulk edit meets few rows
        found: list[Change] = []
        for key in keys:
            before = rows[key]
            differ = edited.get(before)
            if differ is None:
                after = apply_edit(before, edit, reviewer=reviewer, at=at)
                differ = edited[before] = differences(before, after)
            found += changes(key, differ)
        history = apply(store, conn, reviewer, action, found, rows=rows, at=at)
    return sum(1 for entry in history if shown_field(entry.field))
