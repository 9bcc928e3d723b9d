"""Moving a review between backends: a file to a server, a server to a file, or either
to a fresh copy of its own kind, lossless and checked table by table.

:func:`copy_review` reads every table of the source in one snapshot and writes it into
an empty target in one transaction, keeping every row's id (steps, history, imports,
logs) and the papers' order; before committing it reads every table back from the
target and compares it with the source, row by row. Anything that differs, and the
target is left as it was::

    >>> import tempfile, pathlib, litreview
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with litreview.Review.open(folder / "a.litreview", reviewer="ada") as review:
    ...     _ = review.add(litreview.SAMPLE_LISTING)
    ...     review.annotate(review.papers.paper_id[:2], decision="include")
    >>> report = copy_review(folder / "a.litreview", folder / "b.litreview")
    >>> report.rows["papers"], report.rows["history"]
    (36, 2)
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from litreview.review.store.base import Conn, ReviewStore, is_url, open_store
from litreview.review.store.migrations import MIGRATIONS, migrate

#: Tables a review must not hold rows in to be a copy's target.
_CONTENT = ("papers", "imports", "steps", "settings")


@dataclass
class CopyReport:
    """What :func:`copy_review` copied: rows per table, every table compared equal."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        counts = ", ".join(f"{t} {n:,}" for t, n in self.rows.items() if n)
        return f"{self.source} -> {self.target}: {counts}; every table compared equal"


@cache
def table_columns() -> dict[str, tuple[str, ...]]:
    """Every table of a review at the current schema version and its columns, in the
    order rows must be written (a table before those referring to it)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        names = []
        for script in MIGRATIONS:
            names += re.findall(r"CREATE TABLE (\w+) \(", script)
        return {
            name: tuple(r[1] for r in conn.execute(f"PRAGMA table_info({name})")) for name in names
        }
    finally:
        conn.close()


def _order(store: ReviewStore, table: str, columns: tuple[str, ...]) -> str:
    """The order rows are read and compared in: papers in the order they were added,
    other tables by their key."""
    if table == "papers":
        return store.dialect.order
    return ", ".join(columns)


def read_tables(store: ReviewStore, conn: Conn) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of ``store``, in a stable order (for copying and comparing)."""
    out = {}
    for table, columns in table_columns().items():
        sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {_order(store, table, columns)}"
        out[table] = [tuple(r) for r in conn.execute(sql).fetchall()]
    return out


def copy_review(source: Any, target: Any) -> CopyReport:
    """Copy review ``source`` (a file or a ``postgresql://`` URL) into ``target``, a new
    file or an empty server review; raises ValueError (target untouched) when the
    target holds a review already or a table reads back differently."""
    if str(source) == str(target):
        raise ValueError(f"{source}: source and target are the same review")
    src = open_store(source)
    try:
        if not is_url(target) and _exists(target):
            raise ValueError(f"{target}: exists; copy into a new file")
        dst = open_store(target, create=True)
        try:
            return _copy(src, dst)
        finally:
            dst.close()
    finally:
        src.close()


def _exists(target: Any) -> bool:
    from pathlib import Path

    return Path(target).expanduser().exists()


def _copy(src: ReviewStore, dst: ReviewStore) -> CopyReport:
    tables = src.read(lambda conn: read_tables(src, conn))
    report = CopyReport(src.location, dst.location)
    with dst.write() as conn:
        held = [t for t in _CONTENT if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
        if held:
            raise ValueError(f"{dst.location}: holds a review already ({', '.join(held)})")
        conn.execute("DELETE FROM meta")  # the new review's own counters give way
        for table, columns in table_columns().items():
            rows = tables[table]
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})", rows)
            report.rows[table] = len(rows)
        _advance_identities(dst, conn)
        written = read_tables(dst, conn)
        for table, rows in tables.items():
            if written[table] != rows:
                first = next(
                    (i for i, (a, b) in enumerate(zip(rows, written[table], strict=False))
                     if a != b), min(len(rows), len(written[table])),
                )  # fmt: skip
                raise ValueError(
                    f"{dst.location}: table {table} reads back differently "
                    f"({len(written[table])} rows for {len(rows)}; first difference at row "
                    f"{first}); nothing was copied"
                )
    return report


def _advance_identities(dst: ReviewStore, conn: Any) -> None:
    """On a server, the identity sequences continue after the copied ids (SQLite's
    AUTOINCREMENT does so by itself)."""
    raw = getattr(conn, "raw", None)
    if raw is None:
        return
    from litreview.review.store.pg_schema import identity_columns

    for table, column in identity_columns().items():
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )
