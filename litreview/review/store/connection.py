"""The review file: one SQLite database holding papers, annotations and their history.

This module owns the open file: one connection per file per process, shared by
every :class:`Store` handle that opens it (re-running ``Review.open(path)`` in a
notebook while the old object lives gives a second handle on the same
connection; both keep working), and write transactions that wait for other
processes instead of failing::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.litreview"
    >>> store = Store.open(path)
    >>> again = Store.open(path)
    >>> store.version == SCHEMA_VERSION, again.shares_connection_with(store)
    (True, True)
    >>> store.close(); again.close()

Recognising a review (and refusing anything else) lives in :mod:`.file`, the
schema and its migrations in :mod:`.migrations`, adding papers in :mod:`.papers`,
reading the paper table in :mod:`.table`, annotations in :mod:`.annotations`,
history and undo in :mod:`.history`, CSV/JSONL exchange in :mod:`.exchange`; the
notebook object is :class:`litreview.Review`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import Any

from litreview._open_files import LIVE, REGISTRY, file_key, settled
from litreview.review.store.base import TIME_FORMAT, ReviewStore, now
from litreview.review.store.dialects import SQLITE
from litreview.review.store.file import (
    SQLITE_MAGIC,
    SUFFIX,
    ReviewFileError,
    check,
    inspect,
    read_only_reason,
    translate,
)
from litreview.review.store.migrations import (
    APPLICATION_ID,
    BUSY_TIMEOUT_S,
    MIGRATIONS,
    SCHEMA_VERSION,
    begin_immediate,
    migrate,
)

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_S",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "SUFFIX",
    "TIME_FORMAT",
    "ReviewFileError",
    "Store",
    "inspect",
    "migrate",
    "now",
]

#: Bytes of the file SQLite reads through a memory map (fewer copies on a full-table read).
MMAP_BYTES = 1 << 30

log = logging.getLogger(__name__)


class _Shared:
    """The one connection of this process to one review file, and who uses it."""

    def __init__(self, path: Path, key: tuple[int, int], conn: sqlite3.Connection) -> None:
        self.path = path
        self.key = key
        self.conn = conn
        self.lock = threading.RLock()
        self.reader: sqlite3.Connection | None = None
        self.cache: dict[str, Any] = {}
        self.users = 0
        self.closing = False
        self.version_found = SCHEMA_VERSION
        #: Called with the store after each committed write (auto-exports: review/auto_export.py)
        self.after_commit: list[Callable[[ReviewStore], None]] = []

    def pragmas(self) -> tuple[int, int]:
        """``(application_id, user_version)`` read through the live connection."""
        with self.lock:
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        check(self.path, int(app_id), int(version), lambda: tables(self.conn))
        return int(app_id), int(version)

    def release(self) -> None:
        """One user fewer; the last one closes both connections, then leaves the registry.

        It stays registered (as ``closing``) until closed, so no other thread reads the
        file outside SQLite meanwhile. It never waits for :attr:`lock` while holding
        :data:`REGISTRY`, and never waits at all (a finalizer may run inside the GC
        in a thread holding either): if a read is in progress, a thread closes after it.
        """
        with REGISTRY:
            self.users -= 1
            if self.users > 0:
                return
            self.closing = True
        if self.lock.acquire(blocking=False):
            try:
                self._close()
            finally:
                self.lock.release()
        else:  # another thread is mid-read (or this runs inside the GC): close after it
            threading.Thread(target=self._close_when_free, name="litreview-close").start()

    def _close_when_free(self) -> None:
        with self.lock:
            self._close()

    def _close(self) -> None:
        self.cache.clear()
        if self.reader is not None:
            self.reader.close()
        self.conn.close()
        with REGISTRY:
            if LIVE.get(self.key) is self:
                del LIVE[self.key]


def tables(conn: sqlite3.Connection) -> list[str]:
    """The first table names of a database (for the message refusing a foreign one)."""
    return [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master LIMIT 6")]


def _connect(path: Path, create: bool) -> _Shared:
    """A new connection to ``path`` in WAL mode, migrated; refusals leave nothing behind."""
    existed = path.exists()
    if existed:
        inspect(path, create=create)
    elif not path.parent.is_dir():
        raise FileNotFoundError(f"cannot create review {path}: folder {path.parent} not found")
    reason = read_only_reason(path)
    if reason is not None:
        raise ReviewFileError(path, reason)
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
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        check(path, app_id, version, lambda: tables(conn))  # the header may have been stale
        found = migrate(conn)
        key = file_key(path)
        assert key is not None
    except BaseException as exc:
        conn.close()  # the last connection: SQLite removes the -wal and -shm it made
        if not existed:
            with contextlib.suppress(OSError):
                if path.stat().st_size == 0:
                    path.unlink()  # nothing was ever written to the new file
        error = translate(path, exc)
        if isinstance(error, sqlite3.DatabaseError):
            raise ReviewFileError(path, f"corrupt or unreadable review ({exc})") from exc
        if error is exc:
            raise
        raise error from exc
    shared = _Shared(path, key, conn)
    shared.version_found = found
    return shared


class Store(ReviewStore):
    """A handle on an open review file (the SQLite backend of :class:`.base.ReviewStore`);
    every handle on one file shares one connection.

    Use :meth:`Store.open`; all access goes through :meth:`read` and :meth:`write`.
    :meth:`close` (or dropping the last reference) releases the handle; the
    connection closes with its last handle, never later by the garbage collector.
    """

    dialect = SQLITE
    database_errors = (sqlite3.Error,)

    def __init__(self, path: Path, shared: _Shared, version_found: int) -> None:
        self.path = path
        self._shared = shared
        self.version_found = version_found
        self._closed = False
        with REGISTRY:
            shared.users += 1
        self._finalizer = weakref.finalize(self, shared.release)

    @classmethod
    def open(cls, path: str | PathLike[str], *, create: bool = False) -> Store:
        """Open (or create) the review file at ``path``, migrating older files.

        A file this process already has open is not read again: the new handle
        shares the live connection. An existing 0-byte file becomes a review only
        with ``create=True``.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise IsADirectoryError(f"expected a review file, got a directory: {path}")
        with settled(path) as shared:
            if shared is None:
                shared = _connect(path, create)
                LIVE[shared.key] = shared
                return cls(path, shared, shared.version_found)
            store = cls(path, shared, shared.version_found)
        try:
            shared.pragmas()  # refuses a file a newer litreview migrated meanwhile
        except BaseException:
            store.close()
            raise
        return store

    def shares_connection_with(self, other: ReviewStore) -> bool:
        """True when both handles use the same connection (same file, same process)."""
        return isinstance(other, Store) and self._shared is other._shared

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def after_commit(self) -> list[Callable[[ReviewStore], None]]:
        return self._shared.after_commit

    @property
    def conn(self) -> sqlite3.Connection:
        return self._shared.conn

    @property
    def cache(self) -> dict[str, Any]:
        """Decoded tables kept between reads, keyed and checked by change counters."""
        return self._shared.cache

    @property
    def _lock(self) -> threading.RLock:
        return self._shared.lock

    @property
    def _reader(self) -> sqlite3.Connection | None:
        return self._shared.reader

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
            if self._shared.reader is None:
                file = self.conn.execute("PRAGMA database_list").fetchone()[2]  # absolute
                # a second SQLite connection in one process is safe: SQLite shares the
                # file's locks between them (only a non-SQLite open/close drops them)
                reader = sqlite3.connect(
                    file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
                )
                reader.execute("PRAGMA query_only = ON")
                reader.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
                self._shared.reader = reader
            reader = self._shared.reader
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

        Waits (up to :data:`BUSY_TIMEOUT_S`) while another process writes. An
        error is raised only when the change was not saved: a full disk is an
        ``OSError`` naming ENOSPC and the file.
        """
        with self._lock, self._corruption():
            self._check_open()
            try:
                begin_immediate(self.conn)
                try:
                    yield self.conn
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:  # SQLite may have rolled back already
                        with contextlib.suppress(sqlite3.Error):  # keep the first error
                            self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                error = translate(self.path, exc)
                if error is exc:
                    raise
                raise error from exc
            self._checkpoint()
        for hook in tuple(self._shared.after_commit):  # outside the lock: a hook may read
            hook(self)

    def _checkpoint(self) -> None:
        """Copy committed changes into the main file now (PASSIVE: never waits), so the
        .litreview file alone is the whole review even while a kernel keeps it open.

        The change is already durable in the -wal: a failed checkpoint (a full
        disk) is logged, never reported as a failed change.
        """
        try:
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.warning("%s: saved, but not yet copied from the -wal file (%s)", self.path, exc)

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``'ok'`` for a healthy file."""
        rows = self.read(lambda c: c.execute("PRAGMA integrity_check").fetchall())
        return "\n".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Release this handle (twice is fine); the last handle closes the connection."""
        if not self._closed:
            self._closed = True
            self._finalizer()

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
