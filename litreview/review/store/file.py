"""Recognising a review file without ever touching it outside SQLite while it is open.

On POSIX, closing *any* descriptor of a file drops every fcntl lock this process
holds on it, including the locks of a live SQLite connection (SQLite's "How To
Corrupt An SQLite Database File", section 2.2); another process may then
checkpoint and delete the ``-wal`` under that connection. So this module keeps
the process's live review connections in one registry, keyed by the file's
``(st_dev, st_ino)``, and reads a file's header with Python only while the
registry lock is held and no connection to that file exists::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = path.write_text("hello")
    >>> header(path)[:5]
    b'hello'

It also turns SQLite's errors about the file (full disk, read-only file or
folder) into messages that name the cause and the path.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litreview._open_files import settled
from litreview.review.store.migrations import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Suggested suffix of a review file.
SUFFIX = ".litreview"
HEADER_BYTES = 100


class ReviewFileError(ValueError):
    """A file that cannot be opened as a review: not SQLite, another SQLite
    database, corrupt, empty, read-only, or written by a newer litreview.
    ``path`` names it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def header(path: Path) -> bytes | None:
    """The first 100 bytes of ``path``, or None when this process has the file open
    in SQLite (then reading it with Python would drop that connection's locks)."""
    with settled(path) as shared:
        if shared is not None:
            return None
        with path.open("rb") as handle:  # safe: no connection of ours to this file
            return handle.read(HEADER_BYTES)


def inspect(path: Path, *, create: bool = False) -> tuple[int, int]:
    """``(application_id, user_version)`` of an existing file, or raise
    :class:`ReviewFileError` when it is not a review this code can open.

    Reads only, and leaves no ``-wal``/``-shm`` behind: a refused file is left
    exactly as it was. A 0-byte file is refused unless ``create`` (it is more
    often a review lost by a failed copy than a new one).
    """
    if path.is_dir():
        raise IsADirectoryError(f"expected a review file, got a directory: {path}")
    with settled(path) as shared:  # no connection of ours can appear while we read
        if shared is not None:  # open in this process: a review; ask its connection
            live_one = shared
        else:
            return _inspect_closed(path, create)
    return live_one.pragmas()  # type: ignore[no-any-return]


def _inspect_closed(path: Path, create: bool) -> tuple[int, int]:
    """:func:`inspect` of a file this process has no connection to (registry held)."""
    with path.open("rb") as handle:  # safe: no connection of ours to this file
        head = handle.read(HEADER_BYTES)
    if not head:
        if create:
            return 0, 0
        raise ReviewFileError(
            path,
            "an empty file (0 bytes), not a review: delete it to start a new review there "
            "(or open it with Review.open(path, create=True)); if it held a review, "
            "restore it from a copy",
        )
    if not head.startswith(SQLITE_MAGIC):
        raise ReviewFileError(
            path,
            f"not a litreview review (not an SQLite database; it starts with {head[:16]!r})",
        )
    if len(head) < HEADER_BYTES:
        raise ReviewFileError(path, "corrupt or unreadable SQLite file (header cut short)")
    version = int.from_bytes(head[60:64], "big", signed=True)
    app_id = int.from_bytes(head[68:72], "big", signed=True)
    check(path, app_id, version, lambda: _tables(path))
    return app_id, version


def check(path: Path, app_id: int, version: int, tables: Any) -> None:
    """Refuse another application's database or a newer schema (``tables()`` lists names)."""
    if app_id != APPLICATION_ID:
        names = tables()
        if names or version:
            listed = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
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


def _tables(path: Path) -> list[str]:
    """Table names, read with ``immutable=1``: no lock, no ``-wal``/``-shm`` created.

    Called only with :data:`REGISTRY` held and no connection of ours to the file.
    """
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master LIMIT 6").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ReviewFileError(path, f"corrupt or unreadable SQLite file ({exc})") from exc
    return [str(r[0]) for r in rows]


def read_only_reason(path: Path) -> str | None:
    """Why litreview cannot write the review at ``path`` (file or folder read-only), or None.

    ``os.access`` honours read-only mounts and immutable files even for root.
    """
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return (
            f"the folder {folder} is read-only: SQLite needs to create {path.name}-wal and "
            f"{path.name}-shm beside the review; move or copy it to a writable folder"
        )
    if path.exists() and not os.access(path, os.W_OK):
        return (
            "the file is read-only: litreview saves every change into it; make it writable "
            "(chmod u+w) or work on a copy"
        )
    return None


def translate(path: Path, exc: BaseException) -> BaseException:
    """An error that names the cause and the file for SQLite's full-disk and read-only
    errors; any other exception is returned unchanged."""
    if not isinstance(exc, sqlite3.Error):
        return exc
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return OSError(
            errno.ENOSPC,
            f"No space left on device (ENOSPC): the change was not saved ({exc}); free some "
            "space and try again",
            str(path),
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        reason = read_only_reason(path)
        if reason is not None:
            return ReviewFileError(path, reason)
    return exc


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False
