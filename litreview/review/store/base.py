"""The store interface: what every module above the backends uses, and nothing else.

A review lives in a *store*: a SQLite file (:class:`~.connection.Store`, the
``.litreview`` file) or a schema of a PostgreSQL database (:class:`~.postgres.PgStore`,
``postgresql://user@host:5432/db?review=name``). Both give the same
:class:`ReviewStore`: ``read(fn)`` runs ``fn(conn)`` in one consistent snapshot,
``with store.write() as conn:`` is one transaction that commits whole or not at all,
and ``conn`` is a :class:`Conn`. Every module above the backends writes its SQL in one
portable subset (``?`` placeholders, ``ON CONFLICT … DO UPDATE``, no ``PRAGMA``, no
dialect functions, ``cursor.lastrowid`` after an ``INSERT``); each backend's connection
speaks it, and what cannot be portable (the schema's DDL and version, locking, the bulk
read of the paper table) is the backend's own (:attr:`ReviewStore.dialect`, :mod:`.dialects`).

>>> is_url("postgresql://ada@db.example.org/reviews?review=cancer"), is_url("r.litreview")
(True, False)
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from litreview.review.store.dialects import SqlDialect

#: How a review stores a time (UTC, ISO 8601 with microseconds), in every backend.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
#: URL schemes naming a PostgreSQL review.
URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: object) -> bool:
    """True when ``location`` names a review on a database server (a PostgreSQL URL)."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def now() -> str:
    """The current UTC time as stored in a review (:data:`TIME_FORMAT`)."""
    return datetime.now(UTC).strftime(TIME_FORMAT)


class Cursor(Protocol):
    """The part of a DB-API cursor the store modules use."""

    @property
    def lastrowid(self) -> int | None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Conn(Protocol):
    """A connection inside one of the store's transactions (``sqlite3.Connection`` is one)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor: ...


class ReviewStore(abc.ABC):
    """One open review, whatever holds it; see the module docstring.

    ``path`` is a local path naming the review: the file itself, or for a server review
    a path in the cache folder, beside which side files (the search index) are kept.
    ``location`` is what messages show (the file, or the URL without any password).
    """

    path: Path
    version_found: int
    dialect: SqlDialect
    #: What the backend raises when a statement fails (a write that did not happen).
    database_errors: tuple[type[Exception], ...] = ()

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """The file or the URL (never with a password) of this review."""

    @property
    @abc.abstractmethod
    def cache(self) -> dict[str, Any]:
        """Decoded tables kept between reads, keyed and checked by change counters."""

    @property
    @abc.abstractmethod
    def version(self) -> int:
        """The schema version of the stored review."""

    @property
    @abc.abstractmethod
    def closed(self) -> bool: ...

    @property
    @abc.abstractmethod
    def after_commit(self) -> list[Callable[[ReviewStore], None]]:
        """Functions called with the store after each commit of this process (outside
        the transaction: a hook may read); shared by every handle on the review."""

    @abc.abstractmethod
    def read(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(conn)`` in one read transaction (a consistent snapshot)."""

    def read_both(
        self, first: Callable[[Any], Any], second: Callable[[Any], Any]
    ) -> tuple[Any, Any]:
        """``(first(conn), second(conn))``, possibly at once on two connections (then in two
        snapshots: callers compare a change counter read in each)."""
        return self.read(lambda conn: (first(conn), second(conn)))  # type: ignore[no-any-return]

    @abc.abstractmethod
    def write(self) -> AbstractContextManager[Any]:
        """One write transaction: everything inside commits together or not at all."""

    def counter(self, conn: Conn, key: str) -> int:
        """A change counter kept in ``meta`` (seen by every process and client)."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def bump(self, conn: Conn, key: str) -> None:
        """Increment a change counter inside the current write transaction."""
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
            (key,),
        )

    @abc.abstractmethod
    def integrity_check(self) -> str:
        """``'ok'`` for a healthy store, else what is wrong."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release this handle (twice is fine)."""

    def reviewer_name(self) -> str | None:
        """The reviewer a connection names (a server review's role), else None."""
        return None

    def shares_connection_with(self, other: ReviewStore) -> bool:
        """True when both handles use the same connection."""
        return self is other


def open_store(location: str | Any, *, create: bool = False) -> ReviewStore:
    """The store of ``location``: a PostgreSQL URL, else a review file's path.

    >>> import tempfile, pathlib
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> type(store).__name__, store.closed
    ('Store', False)
    >>> store.close()
    """
    if is_url(location):
        from litreview.review.store.postgres import PgStore

        return PgStore.open(str(location))
    from litreview.review.store.connection import Store

    return Store.open(location, create=create)
