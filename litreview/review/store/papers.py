"""Papers in the review file: import (match, merge, count) and the imports log.

Matching follows the merging rules: a paper is the same paper when its
``paper_id`` matches, else its arXiv id, else its normalized title. A matched
paper keeps its stored ``paper_id`` (so its annotations stay attached); its
fields take the new non-missing values and its ``sources`` gain the new ones.
Reading the papers back (and the column encoding both share) is ``store_paper_table``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

import pandas as pd

from litreview.ids import normalize_arxiv_id, normalize_title, paper_id
from litreview.review.store.connection import Store, now
from litreview.review.store.table import COLUMNS, PAPERS_COUNTER, decode_column, encode_column
from litreview.schema import (
    DATETIME,
    INT,
    PAPER_COLUMNS,
    STRING,
    SchemaError,
    conform,
    validate,
)

#: Columns that record where a paper was read from; they never make a paper "updated".
PROVENANCE = ("source", "source_line", "sources")
_CONTENT = tuple(c for c in COLUMNS if c not in PROVENANCE and c != "paper_id")
_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM papers"
CHUNK = 500


@dataclass(frozen=True)
class AddSummary:
    """What :meth:`Review.add` did: counts of new, updated and unchanged records.

    >>> print(AddSummary(source="a.txt", new=3, updated=1, unchanged=2))
    a.txt: 6 records, 3 new, 1 updated, 2 unchanged
    """

    source: str
    new: int
    updated: int
    unchanged: int

    @property
    def n_records(self) -> int:
        return self.new + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.n_records:,} records, {self.new:,} new, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged"
        )


def content_hash(rows: list[tuple[Any, ...]]) -> str:
    """SHA-256 of the encoded records (used when the source is not a file)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode("utf-8"))  # str/int/None only: repr is stable
    return digest.hexdigest()


def add_papers(
    store: Store, df: pd.DataFrame, *, source: str, digest: str | None, reviewer: str
) -> AddSummary:
    """Import the rows of ``df`` (anything :func:`schema.conform` accepts) in one transaction."""
    try:
        frame = validate(df)  # already in the schema (every reader's output): no copy
    except SchemaError:
        frame = conform(df)
    encoded = {name: encode_column(frame[name], PAPER_COLUMNS[name]) for name in COLUMNS}
    arxiv = [normalize_arxiv_id(a) for a in encoded["arxiv_id"]]
    encoded["arxiv_id"] = [n or a for n, a in zip(arxiv, encoded["arxiv_id"], strict=True)]
    rows = list(zip(*(encoded[name] for name in COLUMNS), strict=True))
    digest = digest or content_hash(rows)
    keys = [normalize_title(t or "") for t in encoded["title"]]
    for row, key in zip(rows, keys, strict=True):
        if row[0] is None or not key:
            raise ValueError(f"{source}: every paper needs a paper_id and a title; got {row[:2]}")
    with store.write() as conn:
        summary, inserts, updates = _plan(conn, rows, keys, arxiv, source)
        at = now()
        cur = conn.execute(
            "INSERT INTO imports(source, content_hash, imported_at, reviewer, n_records, "
            "n_new, n_updated, n_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (source, digest, at, reviewer, len(rows), summary[0], summary[1], summary[2]),
        )
        import_id = cur.lastrowid
        names = ("title_key", *COLUMNS, "first_import", "last_import")
        conn.executemany(
            f"INSERT INTO papers({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [(key, *row, import_id, import_id) for key, row in inserts],
        )
        sets = ", ".join(f"{c} = ?" for c in ("title_key", *COLUMNS[1:], "last_import"))
        conn.executemany(
            f"UPDATE papers SET {sets} WHERE paper_id = ?",
            [(key, *row[1:], import_id, row[0]) for key, row in updates],
        )
        if inserts or updates:
            store.bump(conn, PAPERS_COUNTER)
    return AddSummary(source, *summary)


class _Index:
    """The papers known so far, by id, arXiv id and title key (grows as rows are planned)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_id: dict[str, str | None] = {}
        self.by_arxiv: dict[str, str] = {}
        self.by_key: dict[str, str] = {}
        for pid, arx, key in conn.execute("SELECT paper_id, arxiv_id, title_key FROM papers"):
            self.remember(pid, arx, key)

    def remember(self, pid: str, arx: str | None, key: str) -> None:
        self.by_id[pid] = arx
        if arx:
            self.by_arxiv.setdefault(arx, pid)
        self.by_key.setdefault(key, pid)

    def find(self, pid: str, key: str, arx: str | None) -> str | None:
        """Same paper_id, else same arXiv id, else same title, never two different arXiv ids."""
        for candidate in (pid, arx and self.by_arxiv.get(arx), self.by_key.get(key)):
            if candidate and candidate in self.by_id:
                known = self.by_id[candidate]
                if not (arx and known and known != arx):
                    return candidate
        return None


def _plan(
    conn: sqlite3.Connection,
    rows: list[tuple[Any, ...]],
    keys: list[str],
    arxiv: list[str | None],
    source: str,
) -> tuple[tuple[int, int, int], list[tuple[str, tuple[Any, ...]]], list[Any]]:
    """Decide, row by row, what is new, updated or unchanged (later rows see earlier ones).

    Two papers with the same title but different arXiv ids stay apart: the later
    one gets the id of its title plus arXiv id (a paper_id must be unique).
    """
    index = _Index(conn)
    first = [index.find(row[0], key, arx) for row, key, arx in zip(rows, keys, arxiv, strict=True)]
    current = _fetch(conn, sorted({m for m in first if m}))
    new_rows: dict[str, tuple[str, tuple[Any, ...]]] = {}
    changed: dict[str, tuple[str, tuple[Any, ...]]] = {}
    n_new = n_updated = n_unchanged = 0
    for row, key, arx in zip(rows, keys, arxiv, strict=True):
        match = index.find(row[0], key, arx)
        if match is None:
            n_new += 1
            if row[0] in index.by_id:  # same title, different arXiv id
                row = (paper_id(f"{row[1]} arXiv:{arx}"), *row[1:])
            index.remember(row[0], arx, key)
            new_rows[row[0]] = (key, row)
            continue
        pending = new_rows.get(match) or changed.get(match)
        if pending is None and match not in current:
            current.update(_fetch(conn, [match]))
        old = pending[1] if pending else current[match]
        if old[1:] == row[1:]:
            n_unchanged += 1
            continue
        merged = _merge(old, row)
        if merged[1:] == old[1:]:
            n_unchanged += 1
            continue
        content_changed = any(merged[COLUMNS.index(c)] != old[COLUMNS.index(c)] for c in _CONTENT)
        n_updated += content_changed
        n_unchanged += not content_changed
        new_key = normalize_title(merged[1] or "")
        index.remember(match, merged[_ARXIV], new_key)
        if match in new_rows:
            new_rows[match] = (new_key, merged)
        else:
            changed[match] = (new_key, merged)
    return (n_new, n_updated, n_unchanged), list(new_rows.values()), list(changed.values())


def _fetch(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    out: dict[str, tuple[Any, ...]] = {}
    if len(ids) > 20 * CHUNK:  # most of the table: one scan beats many lookups
        wanted = set(ids)
        return {row[0]: row for row in conn.execute(_SELECT) if row[0] in wanted}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"{_SELECT} WHERE paper_id IN ({marks})", chunk):
            out[row[0]] = row
    return out


_SOURCE = COLUMNS.index("source")
_SOURCE_LINE = COLUMNS.index("source_line")
_SOURCES = COLUMNS.index("sources")
_ARXIV = COLUMNS.index("arxiv_id")


def _merge(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...]:
    """New non-missing values win; the first source is kept; ``sources`` is the union."""
    merged = [n if n is not None else o for o, n in zip(old, new, strict=True)]
    merged[0] = old[0]
    merged[_SOURCE] = old[_SOURCE] if old[_SOURCE] is not None else new[_SOURCE]
    merged[_SOURCE_LINE] = old[_SOURCE_LINE] if old[_SOURCE] is not None else new[_SOURCE_LINE]
    if new[_SOURCES] is None or new[_SOURCES] == old[_SOURCES]:
        merged[_SOURCES] = old[_SOURCES]
        return tuple(merged)
    sources = json.loads(old[_SOURCES]) if old[_SOURCES] else []
    extra = [s for s in (json.loads(new[_SOURCES]) if new[_SOURCES] else []) if s not in sources]
    merged[_SOURCES] = json.dumps(sources + extra, ensure_ascii=False) if sources + extra else None
    return tuple(merged)


def imports_frame(store: Store) -> pd.DataFrame:
    """Every import, oldest first: the records identified per source (for PRISMA)."""
    rows = store.read(
        lambda c: c.execute(
            "SELECT source, content_hash, imported_at, n_records, n_new, n_updated, n_unchanged "
            "FROM imports ORDER BY import_id"
        ).fetchall()
    )
    names = ["source", "content_hash", "imported_at", "n_records", "n_new", "n_updated"]
    names.append("n_unchanged")
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    data: dict[str, Any] = {}
    for name, values in zip(names, columns, strict=True):
        if name == "imported_at":
            data[name] = decode_column(values, DATETIME)
        elif name.startswith("n_"):
            data[name] = pd.array(values, dtype=INT)
        else:
            data[name] = pd.array(values, dtype=STRING)
    return pd.DataFrame(data)
