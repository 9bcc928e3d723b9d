"""The review on a PostgreSQL server: the second backend of :class:`.base.ReviewStore`.

``Review.open("postgresql://ada@db.example.org:5432/reviews?review=cancer-screening")``
opens the review ``cancer-screening``: one schema of database ``reviews``, holding the
review file's tables (:mod:`.pg_schema`). Everything but ``review=`` is libpq's: the
host, port, user and database from the URL, else the ``PG*`` environment variables;
the password from ``~/.pgpass`` or ``PGPASSWORD``, never from the URL (a URL with a
password is refused, so no notebook, log or review ever holds one).

Transactions (the guarantees of the file, on a server):

- a read is one ``REPEATABLE READ READ ONLY`` transaction: one snapshot, never blocked
  by writers and never blocking them;
- a write is one ``READ COMMITTED`` transaction that first takes the review's
  transaction-scoped advisory lock, so the writers of one review run one at a time,
  as SQLite's ``BEGIN IMMEDIATE`` makes them, and each statement after the lock sees
  every change committed before it: what an edit reads (the old values the history
  keeps, the counters) is current, no update is lost, and no serialization failure
  has to be retried. Other reviews of the database are not held up. A client that
  dies mid-transaction leaves nothing: the server rolls it back;
- ``COMMIT`` returns once the change is in the server's write-ahead log on disk
  (``synchronous_commit = on`` for every session of a review).

The URL's parts (review name, no password) are :mod:`.pg_url`'s.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from litreview.review.store import pg_listen, pg_schema
from litreview.review.store.base import ReviewStore
from litreview.review.store.dialects import POSTGRES
from litreview.review.store.file import ReviewFileError
from litreview.review.store.migrations import BUSY_TIMEOUT_S, SCHEMA_VERSION
from litreview.review.store.pg_url import check_url, side_path, split_url

#: The first key of every review's advisory lock (the second: the review's name).
LOCK_CLASS = 0x4C525657


class ReviewServerError(ReviewFileError):
    """A server review that cannot be opened: unreachable, refused, not a review, or
    from a newer litreview. ``location`` is the URL (without a password)."""

    def __init__(self, location: str, message: str, path: Path | None = None) -> None:
        ValueError.__init__(self, f"{location}: {message}")
        self.location = location
        self.path = path if path is not None else Path(location.replace("/", "_"))


class PgCursor:
    """A psycopg cursor with the ``lastrowid`` of the ``INSERT`` it ran."""

    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


_IDENTITY = pg_schema.identity_columns()
#: Tables whose bulk inserts go through COPY (several times faster than INSERTs); not
#: those with row-level security, which COPY FROM refuses for the policies' roles.
COPY_TABLES = frozenset({"papers", "import_changes"})
_COPY_INSERT = re.compile(r"\s*INSERT INTO (\w+)\(([\w, ]+)\) VALUES \(\?(?:, \?)*\)\s*")
_INSERT = re.compile(r"\s*INSERT INTO (\w+)", re.I)


def to_pg(sql: str) -> str:
    """The store's portable SQL with psycopg's placeholders (``?`` -> ``%s``; a literal
    ``%`` doubled), string literals and quoted names left as they are.

    >>> to_pg("SELECT '?%' FROM t WHERE a = ? AND b LIKE 'x%'")
    "SELECT '?%%' FROM t WHERE a = %s AND b LIKE 'x%%'"
    """
    out: list[str] = []
    quote: str | None = None
    for char in sql:
        if quote is not None:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        else:
            out.append("%%" if char == "%" else char)
    return "".join(out)


class PgConn:
    """The :class:`.base.Conn` of a server review: the store's SQL on a psycopg connection."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn
        self._sql: dict[str, tuple[str, str | None]] = {}

    def _prepare(self, sql: str) -> tuple[str, str | None]:
        """``(psycopg SQL, identity column an INSERT returns)``, translated once."""
        found = self._sql.get(sql)
        if found is None:
            insert = _INSERT.match(sql)
            key = _IDENTITY.get(insert.group(1)) if insert else None
            found = self._sql[sql] = (to_pg(sql), key)
        return found

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> PgCursor:
        text, key = self._prepare(sql)
        if key is not None:
            text += f" RETURNING {key}"
        if parameters:
            cursor = self.raw.execute(text, tuple(parameters))
        else:  # no placeholders: psycopg sends the text as it is
            cursor = self.raw.execute(text.replace("%%", "%"))
        if key is not None:
            row = cursor.fetchone()
            return PgCursor(cursor, None if row is None else int(row[0]))
        return PgCursor(cursor)

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> PgCursor:
        copy = _COPY_INSERT.fullmatch(sql)
        if copy and copy.group(1) in COPY_TABLES:  # bulk rows: COPY, one stream
            with self.raw.cursor().copy(
                f"COPY {copy.group(1)} ({copy.group(2)}) FROM STDIN"
            ) as stream:
                for row in parameters:
                    stream.write_row(row)
            return PgCursor(self.raw.cursor())
        text, _ = self._prepare(sql)
        rows = [tuple(p) for p in parameters]
        cursor = self.raw.cursor()
        if rows:
            cursor.executemany(text, rows)
        return PgCursor(cursor)


class PgStore(ReviewStore):
    """An open server review: one psycopg connection, used by one thread at a time."""

    dialect = POSTGRES

    def __init__(self, url: str, name: str, conn: Any, version_found: int) -> None:
        self._url = url
        self.name = name
        self._conn = PgConn(conn)
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self._hooks: list[Callable[[ReviewStore], None]] = []
        self._user: str | None = None
        self._version_ready = False  # no notification before the schema exists
        self._listeners: list[pg_listen.Listener] = []
        self._closed = False
        self.version_found = version_found
        self.path = side_path(url, name)
        self._lock_key = zlib.crc32(name.encode()) - (1 << 31)
        import psycopg

        self.database_errors = (psycopg.Error, ReviewServerError, TimeoutError)

    @classmethod
    def open(cls, url: str) -> PgStore:
        """Connect to the server review ``url``, creating or migrating its schema."""
        conninfo, name = check_url(url)
        import psycopg

        location = url
        try:
            raw = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            detail = " ".join(str(exc).split())
            raise ReviewServerError(location, f"cannot connect ({detail})") from None
        try:
            raw.execute("SET synchronous_commit = on")
            raw.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT_S)}s'")
            raw.execute(f'SET search_path TO "{name}"')
            store = cls(url, name, raw, SCHEMA_VERSION)
            store.version_found = store._prepare_schema(location)
            store._version_ready = True
        except BaseException:
            raw.close()
            raise
        store.path.parent.mkdir(parents=True, exist_ok=True)
        return store

    def _prepare_schema(self, location: str) -> int:
        """Create or migrate the review's schema (under its write lock); the version found."""
        import psycopg

        raw = self._conn.raw
        found = self.read(lambda c: _found_version(c.raw, self.name, location))
        if found == SCHEMA_VERSION:
            return found
        try:
            with self.write() as conn:
                raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.name}"')
                found = _found_version(raw, self.name, location)
                if found < SCHEMA_VERSION:
                    pg_schema.migrate(conn.raw, found, self.name)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ReviewServerError(
                location,
                f"cannot create or migrate the review ({exc}); "
                "ask its owner to run: litreview server init URL",
            ) from None
        return found

    # -- the interface -------------------------------------------------------------------

    @property
    def location(self) -> str:
        """The URL the review was opened with (it never holds a password)."""
        return self._url

    @property
    def cache(self) -> dict[str, Any]:
        return self._cache

    @property
    def version(self) -> int:
        return int(self.read(lambda c: pg_schema.stored_version(c.raw) or 0))

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def user(self) -> str:
        """The role this review is connected as: the reviewer, on a review with roles."""
        if self._user is None:
            self._user = str(
                self.read(lambda c: c.raw.execute("SELECT current_user").fetchone()[0])
            )
        return self._user

    def reviewer_name(self) -> str | None:
        return self.user

    @property
    def after_commit(self) -> list[Callable[[ReviewStore], None]]:
        return self._hooks

    def read(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(conn)`` in one ``REPEATABLE READ READ ONLY`` transaction."""
        with self._lock, self._errors():
            self._check_open()
            raw = self._conn.raw
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                return fn(self._conn)
            finally:
                raw.execute("ROLLBACK")  # nothing to commit; ends the snapshot

    @contextmanager
    def write(self) -> Iterator[PgConn]:
        """One write transaction holding the review's write lock (see the module)."""
        with self._lock, self._errors():
            self._check_open()
            raw = self._conn.raw
            raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            try:
                raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, self._lock_key))
                yield self._conn
                if self._version_ready:
                    pg_listen.notify(raw, self.name)
                raw.execute("COMMIT")
            except BaseException:
                if not raw.closed:
                    with suppress(Exception):  # keep the first error
                        raw.execute("ROLLBACK")
                raise
        for hook in tuple(self._hooks):  # outside the lock: a hook may read
            hook(self)

    def notify_channel(self) -> str:
        """The LISTEN/NOTIFY channel of this review."""
        return f"litreview_{self.name}".replace("-", "_")

    def integrity_check(self) -> str:
        """``'ok'`` when the review's tables, version and append-only triggers are in place."""

        def check(conn: PgConn) -> str:
            problems = []
            version = pg_schema.stored_version(conn.raw)
            if version != SCHEMA_VERSION:
                problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
            rows = conn.raw.execute(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND t.tgenabled <> 'D'"
            ).fetchall()
            missing = pg_schema.expected_triggers() - {r[0] for r in rows}
            if missing:
                problems.append("append-only triggers missing: " + ", ".join(sorted(missing)))
            return "\n".join(problems) or "ok"

        return str(self.read(check))

    def listen(self, callback: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call ``callback(payload)`` (in a background thread) after each commit another
        client makes to this review; returns the function that stops it."""
        self._check_open()
        listener = pg_listen.Listener(split_url(self._url)[0], self.name, callback)
        self._listeners.append(listener)

        def stop() -> None:
            listener.stop()
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    @property
    def backend_pid(self) -> int:
        """This connection's server process (how a notification tells its own commits)."""
        return int(self._conn.raw.info.backend_pid)

    def close(self) -> None:
        if not self._closed:
            for listener in list(self._listeners):
                listener.stop()
            self._listeners.clear()
            self._closed = True
            self._cache.clear()
            with self._lock:
                self._conn.raw.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"review {self.location} is closed; open it again with Review.open")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A lost connection or a lock wait that timed out names the review."""
        import psycopg

        try:
            yield
        except psycopg.errors.LockNotAvailable as exc:
            raise TimeoutError(
                f"{self.location}: another writer held the review for {BUSY_TIMEOUT_S:.0f} s"
                f" ({exc}); nothing was changed"
            ) from None
        except psycopg.OperationalError as exc:
            detail = " ".join(str(exc).split())
            raise ReviewServerError(
                self.location,
                f"the server connection failed ({detail}); nothing was changed"
                " by the unfinished transaction",
                self.path,
            ) from None


def _found_version(raw: Any, name: str, location: str) -> int:
    """The schema version of review ``name`` (0: no such schema yet, or an empty one);
    refuses a schema holding other tables, or a review from a newer litreview."""
    exists = raw.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,)).fetchone()
    if exists is None:
        return 0
    version = pg_schema.stored_version(raw)
    if version is None:
        tables = pg_schema.other_tables(raw)
        if tables:
            raise ReviewServerError(
                location, f"schema {name!r} is not a litreview review (it holds {tables})"
            )
        return 0
    if version > SCHEMA_VERSION:
        raise ReviewServerError(
            location,
            f"written by a newer litreview (schema version {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade litreview",
        )
    return version
