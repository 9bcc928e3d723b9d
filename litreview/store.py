"""The review file: one SQLite database holding papers, annotations and their history.

This module owns the file itself: recognising a review (and refusing anything
else), the schema and its migrations (``PRAGMA user_version``), WAL mode, and
write transactions that wait for other processes instead of failing::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.litreview"
    >>> store = Store.open(path)
    >>> store.version == SCHEMA_VERSION
    True
    >>> store.close()

Adding papers lives in ``store_papers``, reading the paper table in
``store_paper_table``, annotations in ``store_annotations``, history and undo in
``store_history``, CSV/JSONL exchange in ``store_exchange``; the notebook object
is :class:`litreview.review.Review`.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litreview.schema import DECISIONS

#: ``PRAGMA application_id`` of a review file ("LRVW"): how a review is told from any SQLite file.
APPLICATION_ID = 0x4C525657
#: Schema version written by this code; older files are migrated forward on open.
SCHEMA_VERSION = 2
#: Suggested suffix of a review file.
SUFFIX = ".litreview"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Seconds a write waits for another process holding the write lock.
BUSY_TIMEOUT_S = 30.0
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
#: Bytes of the file SQLite reads through a memory map (fewer copies on a full-table read).
MMAP_BYTES = 1 << 30


class ReviewFileError(ValueError):
    """A file that cannot be opened as a review: not SQLite, another SQLite
    database, corrupt, or written by a newer litreview. ``path`` names it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def now() -> str:
    """The current UTC time as stored in a review (ISO 8601, microseconds)."""
    return datetime.now(UTC).strftime(TIME_FORMAT)


_DECISION_LIST = ", ".join(f"'{d}'" for d in DECISIONS)

_V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    n_records INTEGER NOT NULL,
    n_new INTEGER NOT NULL,
    n_updated INTEGER NOT NULL,
    n_unchanged INTEGER NOT NULL
);
CREATE TABLE papers (
    paper_id TEXT PRIMARY KEY,
    title_key TEXT NOT NULL,
    title TEXT, abstract TEXT, n_authors INTEGER, authors TEXT, organization TEXT,
    published TEXT, comments INTEGER, upvotes INTEGER, arxiv_id TEXT, url TEXT,
    code_urls TEXT, project_urls TEXT, keywords TEXT,
    source TEXT, source_line INTEGER, sources TEXT,
    first_import INTEGER REFERENCES imports(import_id),
    last_import INTEGER REFERENCES imports(import_id)
);
CREATE INDEX papers_arxiv_id ON papers(arxiv_id);
CREATE INDEX papers_title_key ON papers(title_key);
CREATE TABLE annotations (
    paper_id TEXT NOT NULL REFERENCES papers(paper_id),
    reviewer TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'unscreened' CHECK (decision IN ({_DECISION_LIST})),
    reason TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    decided_by TEXT,
    decided_at TEXT,
    PRIMARY KEY (paper_id, reviewer)
) WITHOUT ROWID;
CREATE TABLE steps (
    step_id INTEGER PRIMARY KEY AUTOINCREMENT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    target INTEGER REFERENCES steps(step_id)
);
CREATE TABLE history (
    history_id INTEGER PRIMARY KEY AUTOINCREMENT,
    step_id INTEGER NOT NULL REFERENCES steps(step_id),
    paper_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    old_meta TEXT,
    new_meta TEXT
);
CREATE INDEX history_paper_id ON history(paper_id);
"""

# Version 2: undo/redo state per step, and the history made append-only by triggers.
_V2 = """
ALTER TABLE steps ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
CREATE INDEX history_step_id ON history(step_id);
CREATE INDEX steps_reviewer ON steps(reviewer, step_id);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'the review history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'the review history is append-only'); END;
"""

#: ``MIGRATIONS[i]`` takes a file from version ``i`` to ``i + 1``.
MIGRATIONS: list[str] = [_V1, _V2]
assert len(MIGRATIONS) == SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their ``;`` bodies)."""
    out: list[str] = []
    current = ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring an open connection's schema up to ``target`` in one transaction.

    Returns the version found before migrating. Only used on files already
    checked to be reviews (or empty).
    """
    _begin_immediate(conn)
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(found, target):
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
        if found < target:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return int(found)


def _begin_immediate(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Take the write lock, retrying while another process holds it.

    SQLite's own busy handler backs off to 100 ms sleeps, so a writer that
    commits in a tight loop can starve another one; polling every few
    milliseconds (with jitter) lets both make progress.
    """
    deadline = time.monotonic() + timeout
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.0005, 0.004))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def inspect(path: Path) -> tuple[int, int]:
    """``(application_id, user_version)`` of an existing file, or raise
    :class:`ReviewFileError` when it is not a review this code can open.

    Reads only: a file that is refused is left exactly as it was.
    """
    if path.is_dir():
        raise IsADirectoryError(f"expected a review file, got a directory: {path}")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if not head:
        return 0, 0  # an empty file: a new review
    if head != SQLITE_MAGIC:
        raise ReviewFileError(
            path, f"not a litreview review (not an SQLite database; it starts with {head!r})"
        )
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master LIMIT 6")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ReviewFileError(path, f"corrupt or unreadable SQLite file ({exc})") from exc
    if app_id != APPLICATION_ID and (tables or version):
        listed = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise ReviewFileError(
            path,
            f"an SQLite database but not a litreview review (application_id {app_id}, "
            f"tables: {listed or 'none'})",
        )
    if version > SCHEMA_VERSION:
        raise ReviewFileError(
            path,
            f"written by a newer litreview (review schema version {version}; this version "
            f"reads up to {SCHEMA_VERSION}); upgrade litreview to open it",
        )
    return int(app_id), int(version)


class Store:
    """An open review file: one connection, a lock, and write transactions.

    Use :meth:`Store.open`; all access goes through :meth:`read` and :meth:`write`.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, version_found: int) -> None:
        self.path = path
        self.conn = conn
        self.version_found = version_found
        self._lock = threading.RLock()
        self._closed = False
        self._reader: sqlite3.Connection | None = None
        self.cache: dict[str, Any] = {}

    @classmethod
    def open(cls, path: str | PathLike[str]) -> Store:
        """Open (or create) the review file at ``path``, migrating older files."""
        path = Path(path).expanduser()
        if path.exists():
            inspect(path)
        elif not path.parent.exists():
            raise FileNotFoundError(f"cannot create review {path}: folder {path.parent} not found")
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ReviewFileError(path, f"cannot switch to WAL mode (got {mode!r})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            found = migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ReviewFileError(path, f"corrupt or unreadable review ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, found)

    @property
    def version(self) -> int:
        return int(self.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))

    def read(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``fn(conn)`` in one read transaction (a consistent snapshot)."""
        with self._lock, self._corruption():
            self._check_open()
            self.conn.execute("BEGIN")
            try:
                return fn(self.conn)
            finally:
                self.conn.execute("COMMIT")

    def read_both(
        self,
        first: Callable[[sqlite3.Connection], Any],
        second: Callable[[sqlite3.Connection], Any],
    ) -> tuple[Any, Any]:
        """Run ``first(conn)`` and ``second(conn)`` at the same time, each in its own read
        transaction on its own connection (SQLite releases the GIL while it steps).

        The two transactions may see different snapshots when another process
        commits in between: callers compare a change counter read in each.
        """
        with self._lock, self._corruption():
            self._check_open()
            if self._reader is None:
                file = self.conn.execute("PRAGMA database_list").fetchone()[2]  # absolute
                self._reader = sqlite3.connect(
                    file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
                )
                self._reader.execute("PRAGMA query_only = ON")
                self._reader.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            reader = self._reader
            future: Future[Any] = Future()

            def run() -> None:
                try:
                    reader.execute("BEGIN")
                    try:
                        result = second(reader)
                    finally:
                        reader.execute("COMMIT")
                    future.set_result(result)
                except BaseException as exc:  # handed to the caller below
                    future.set_exception(exc)

            thread = threading.Thread(target=run, name="litreview-read", daemon=True)
            thread.start()
            try:
                result = self.read(first)
            finally:
                thread.join()
            return result, future.result()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all.

        Waits (up to :data:`BUSY_TIMEOUT_S`) while another process writes.
        """
        with self._lock, self._corruption():
            self._check_open()
            _begin_immediate(self.conn)
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            # Copy the committed change into the main file now (PASSIVE: never waits), so
            # the .litreview file alone is the whole review even while a kernel keeps it
            # open; the -wal file only ever holds what a reader was still looking at.
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def counter(self, conn: sqlite3.Connection, key: str) -> int:
        """A change counter kept in ``meta`` (seen by every process)."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def bump(self, conn: sqlite3.Connection, key: str) -> None:
        """Increment a change counter inside the current write transaction."""
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (key,),
        )

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``'ok'`` for a healthy file."""
        rows = self.read(lambda c: c.execute("PRAGMA integrity_check").fetchall())
        return "\n".join(str(r[0]) for r in rows)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self.cache.clear()
                if self._reader is not None:
                    self._reader.close()
                self.conn.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @contextmanager
    def _corruption(self) -> Iterator[None]:
        """Name the file when SQLite finds it damaged (plain DatabaseError, not a busy lock)."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:
                raise
            raise ReviewFileError(
                self.path, f"the review file is damaged ({exc}); restore it from a copy"
            ) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"review {self.path} is closed; open it again with Review.open")
