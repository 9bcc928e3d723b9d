"""Papers in the review file: import (match, merge, count), the imports log and the
field changes each import made.

Matching is the "same paper" rule of :mod:`litreview.ids` (:class:`~litreview.ids.PaperIndex`,
as ``read_listings`` follows it) over the stored papers a record can be, found through the
table's indexes: an import costs what it adds, not what the review holds. A matched paper
keeps its ``paper_id`` (its annotations stay attached); which values win is the merge
policy of :mod:`litreview.readers.policy` (a poorer record never replaces a richer one;
re-adding the same files changes nothing), by the rank of the format each field's value
came from (the ``ranks`` column). Each field an import changes is logged (old -> new) in
``import_changes``. Reading the papers back (and the shared column encoding) is :mod:`.table`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from litreview.ids import PaperIndex, arxiv_variant_id, normalize_arxiv_id, normalize_title
from litreview.readers.policy import (
    RANKED,
    date_wins,
    decode_ranks,
    encode_ranks,
    merge_extra,
    wins,
)
from litreview.review.store.base import Conn, ReviewStore, now
from litreview.review.store.dialects import SqlDialect
from litreview.review.store.table import (
    COLUMNS,
    PAPERS_COUNTER,
    decode_column,
    encode_column,
    is_json,
    last_order,
    note_appended,
)
from litreview.schema import (
    DATETIME,
    DICT,
    INT,
    LIST,
    PAPER_COLUMNS,
    STRING,
    SchemaError,
    conform,
    validate,
)

#: Columns that record where a paper was read from; they never make a paper "updated".
PROVENANCE = ("source", "source_line", "sources")
_SELECT = "SELECT " + ", ".join(COLUMNS) + ", ranks FROM papers"
CHUNK = 500
#: Known papers are looked up through the indexes (~3 µs a value) unless the rows hold more
#: values than this share of the papers: then one scan reads them all (~1.3 µs a paper).
SCAN_SHARE = 0.4


@dataclass(frozen=True)
class AddSummary:
    """What :meth:`Review.add` did: counts of new, updated and unchanged records, and
    ``paper_ids``: the review's id of the paper each record is, in the records' order.

    >>> print(AddSummary(source="a.txt", new=3, updated=1, unchanged=2))
    a.txt: 6 records, 3 new, 1 updated, 2 unchanged
    """

    source: str
    new: int
    updated: int
    unchanged: int
    paper_ids: tuple[str, ...] = field(default=(), repr=False, compare=False)

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


Row = tuple[Any, ...]  # one paper's SQLite values, in COLUMNS order
Arxiv = list[str | None]  # each row's bare arXiv id


class Planned(NamedTuple):
    """A paper row to insert or update: its title key, values and field ranks."""

    key: str
    row: Row
    ranks: str


class FieldChange(NamedTuple):
    """One field of a known paper that an import changed (values as stored)."""

    paper_id: str
    field: str
    old: Any
    new: Any


@dataclass
class AddPlan:
    """What an import will do: the counts, the rows to write and the fields it changes."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    inserts: dict[str, Planned] = field(default_factory=dict)
    updates: dict[str, Planned] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # the paper each row is, in row order


def add_papers(
    store: ReviewStore,
    df: pd.DataFrame,
    *,
    source: str,
    digest: str | None,
    reviewer: str,
    rank: int = 0,
) -> AddSummary:
    """Import the rows of ``df`` (anything :func:`schema.conform` accepts) in one transaction.

    ``rank`` is the preference rank of the format the rows were read from
    (:func:`litreview.readers.policy.rank`): it decides which values win.
    """
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
        if row[0] is None or not (key or row[_AT["doi"]] or row[_AT["arxiv_id"]]):
            raise ValueError(
                f"{source}: every paper needs a paper_id and a title, DOI or arXiv id; "
                f"got {row[:2]}"
            )
    appended: tuple[int, int | None] | None = None
    with store.write() as conn:
        plan = _plan(conn, store.dialect, rows, keys, arxiv, rank)
        if plan.inserts and not plan.updates:
            appended = last_order(store, conn)
        cur = conn.execute(
            "INSERT INTO imports(source, content_hash, imported_at, reviewer, n_records, "
            "n_new, n_updated, n_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (source, digest, now(), reviewer, len(rows), plan.new, plan.updated, plan.unchanged),
        )
        _write(conn, plan, cur.lastrowid)
        if plan.inserts or plan.updates:
            store.bump(conn, PAPERS_COUNTER)
    if appended is not None:  # committed: the cached papers can be extended, not re-read
        note_appended(store, appended, len(plan.inserts))
    return AddSummary(source, plan.new, plan.updated, plan.unchanged, tuple(plan.placed))


def _write(conn: Conn, plan: AddPlan, import_id: int | None) -> None:
    names = ("title_key", *COLUMNS, "ranks", "first_import", "last_import")
    conn.executemany(
        f"INSERT INTO papers({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [(p.key, *p.row, p.ranks, import_id, import_id) for p in plan.inserts.values()],
    )
    sets = ", ".join(f"{c} = ?" for c in ("title_key", *COLUMNS[1:], "ranks", "last_import"))
    conn.executemany(
        f"UPDATE papers SET {sets} WHERE paper_id = ?",
        [(p.key, *p.row[1:], p.ranks, import_id, p.row[0]) for p in plan.updates.values()],
    )
    conn.executemany(
        "INSERT INTO import_changes(import_id, paper_id, field, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (import_id, c.paper_id, c.field, _json(c.field, c.old), _json(c.field, c.new))
            for c in plan.changes
        ],
    )


def _json(name: str, value: Any) -> str | None:
    """A stored value as JSON text (list columns are JSON already)."""
    if value is None or is_json(PAPER_COLUMNS[name]):
        return value  # type: ignore[no-any-return]
    return json.dumps(value, ensure_ascii=False)


def _index(
    conn: Conn, dialect: SqlDialect, rows: list[Row], keys: list[str], arxiv: Arxiv
) -> PaperIndex:
    """The stored papers the "same paper" rule can reach from ``rows``, for placing them.

    :meth:`PaperIndex.place` looks a row up by arXiv id, paper_id, title key and (a
    same-title paper with another arXiv id) :func:`arxiv_variant_id`, and finds the first
    paper added with that arXiv id or title key. So the papers holding one of those
    values, each value's in the order added, give the answers of every paper, at a cost
    that grows with the rows, not the review; a large import reads every paper at once.
    """
    ids = {row[0] for row in rows}
    ids.update(arxiv_variant_id(row[1], a) for row, a in zip(rows, arxiv, strict=True) if a)
    wanted = {"paper_id": ids, "arxiv_id": {a for a in arxiv if a}, "title_key": set(keys)}
    wanted["title_key"].discard("")  # an untitled record matches nobody by title
    index, order = PaperIndex(), dialect.order
    # two subqueries: SQLite answers min() and max() of one statement by a scan
    bounds = f"SELECT (SELECT min({order}) FROM papers), (SELECT max({order}) FROM papers)"
    first, last = conn.execute(bounds).fetchone()
    if first is None:  # no papers yet
        return index
    select = "SELECT paper_id, arxiv_id, title_key FROM papers"
    if sum(map(len, wanted.values())) > SCAN_SHARE * (last - first + 1):
        return PaperIndex.of(conn.execute(f"{select} ORDER BY {order}"))
    for column, values in wanted.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"{select} WHERE {column} IN ({marks}) ORDER BY {order}"
            for pid, arx, key in conn.execute(sql, chunk):
                index.arxiv_of[pid] = arx
                if column == "arxiv_id":
                    index.by_arxiv.setdefault(arx, pid)
                elif column == "title_key":
                    index.by_key.setdefault(key, pid)
    return index


def _plan(
    conn: Conn, dialect: SqlDialect, rows: list[Row], keys: list[str], arxiv: Arxiv, rank: int
) -> AddPlan:
    """Decide, row by row, what is new, updated or unchanged (later rows see earlier ones).

    Two papers with the same title but different arXiv ids stay apart: the later
    one gets :func:`litreview.ids.arxiv_variant_id` (a paper_id must be unique).
    """
    index = _index(conn, dialect, rows, keys, arxiv)
    first = [index.find(row[0], key, arx) for row, key, arx in zip(rows, keys, arxiv, strict=True)]
    current = _fetch(conn, sorted({m[0] for m in first if m}))
    plan = AddPlan()
    fresh = encode_ranks([rank] * len(RANKED))
    for row, key, arx in zip(rows, keys, arxiv, strict=True):
        pid, is_new = index.place(row[0], row[1], arx, key)
        plan.placed.append(pid)
        if is_new:
            plan.new += 1
            plan.inserts[pid] = Planned(key, (pid, *row[1:]), fresh)
            continue
        old = plan.inserts.get(pid) or plan.updates.get(pid)
        if old is None:
            if pid not in current:
                current.update(_fetch(conn, [pid]))
            stored = current[pid]
            if stored[1:-1] == row[1:]:  # the usual re-add: nothing new
                plan.unchanged += 1
                continue
            old = Planned("", stored[:-1], stored[-1])
        elif old.row[1:] == row[1:]:
            plan.unchanged += 1
            continue
        merged, ranks, changed = _merge(old, row, rank)
        if merged == old.row and ranks == old.ranks:
            plan.unchanged += 1
            continue
        content = [c for c in changed if c not in PROVENANCE]
        plan.updated += bool(content)
        plan.unchanged += not content
        planned = Planned(normalize_title(merged[1] or ""), merged, ranks)
        if pid in plan.inserts:
            plan.inserts[pid] = planned
            continue
        plan.updates[pid] = planned
        plan.changes += [FieldChange(pid, c, old.row[_AT[c]], merged[_AT[c]]) for c in content]
    return plan


def _fetch(conn: Conn, ids: Sequence[str]) -> dict[str, Row]:
    """The stored rows of ``ids``: their values, then their ``ranks``."""
    if len(ids) > 20 * CHUNK:  # most of the table: one scan beats many lookups
        wanted = set(ids)
        return {row[0]: row for row in conn.execute(_SELECT) if row[0] in wanted}
    out: dict[str, Row] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"{_SELECT} WHERE paper_id IN ({marks})", chunk):
            out[row[0]] = row
    return out


_AT = {name: i for i, name in enumerate(COLUMNS)}
_RANKED_AT = [(name, _AT[name]) for name in RANKED]
_LISTS = [name for name in COLUMNS if PAPER_COLUMNS[name] is LIST]


def _merge(old: Planned, new: Row, rank: int) -> tuple[Row, str, list[str]]:
    """The merge policy (:mod:`litreview.readers.policy`) on stored values: the merged
    row, its field ranks and the fields that changed. The first source is kept."""
    merged = list(old.row)
    ranks = decode_ranks(old.ranks)
    changed = []
    for i, (name, at) in enumerate(_RANKED_AT):
        if at == _PUBLISHED:
            won = date_wins(
                old.row[at],
                old.row[_PRECISION],
                new[at],
                new[_PRECISION],
                old_rank=ranks[i],
                new_rank=rank,
            )
        else:
            won = wins(name, old.row[at], new[at], old_rank=ranks[i], new_rank=rank)
        if won:
            merged[at] = new[at]
            ranks[i] = rank
            changed.append(name)
            if at == _PUBLISHED and new[_PRECISION] != old.row[_PRECISION]:
                merged[_PRECISION] = new[_PRECISION]  # a date and its precision go together
                changed.append("date_precision")
        elif new[at] is not None and new[at] == old.row[at]:
            ranks[i] = min(ranks[i], rank)  # the same value from a better source
    for name in _LISTS:
        at = _AT[name]
        if new[at] is not None and new[at] != old.row[at]:
            known = json.loads(old.row[at]) if old.row[at] else []
            extra = [v for v in json.loads(new[at]) if v not in known]
            if extra:
                merged[at] = json.dumps(known + extra, ensure_ascii=False)
                changed.append(name)
    for at in _DICTS:
        if new[at] is not None and new[at] != old.row[at]:
            known = json.loads(old.row[at]) if old.row[at] else {}
            both = merge_extra(known, json.loads(new[at]))
            if both != known:
                merged[at] = json.dumps(both, ensure_ascii=False)
                changed.append(COLUMNS[at])
    if old.row[_SOURCE] is None:
        merged[_SOURCE], merged[_SOURCE_LINE] = new[_SOURCE], new[_SOURCE_LINE]
    return tuple(merged), encode_ranks(ranks), changed


_SOURCE = _AT["source"]
_PUBLISHED = _AT["published"]
_PRECISION = _AT["date_precision"]
_DICTS = [_AT[name] for name in COLUMNS if PAPER_COLUMNS[name] is DICT]
_SOURCE_LINE = _AT["source_line"]


def imports_frame(store: ReviewStore) -> pd.DataFrame:
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


def import_changes_frame(store: ReviewStore, paper_id: str | None = None) -> pd.DataFrame:
    """Every paper field an import changed, oldest first (one paper's with ``paper_id``)."""
    sql = (
        "SELECT c.paper_id, i.reviewer, i.imported_at, i.source, c.field, c.old_value, "
        "c.new_value FROM import_changes c JOIN imports i USING (import_id)"
    )
    args: tuple[str, ...] = ()
    if paper_id is not None:
        sql, args = sql + " WHERE c.paper_id = ?", (paper_id,)
    rows = store.read(lambda c: c.execute(sql + " ORDER BY c.change_id", args).fetchall())
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in range(7)]
    data: dict[str, Any] = {
        "paper_id": pd.array(cols[0], dtype=STRING),
        "reviewer": pd.array(cols[1], dtype=STRING),
        "at": decode_column(cols[2], DATETIME),
        "source": pd.array(cols[3], dtype=STRING),
        "field": pd.array(cols[4], dtype=STRING),
    }
    for name, values in (("old_value", cols[5]), ("new_value", cols[6])):
        data[name] = pd.Series([None if v is None else json.loads(v) for v in values], dtype=object)
    return pd.DataFrame(data)
