"""The review file's schema: one migration script per version (``PRAGMA user_version``),
applied forward in one write transaction, and the write lock taken politely.

>>> SCHEMA_VERSION == len(MIGRATIONS)
True
"""

from __future__ import annotations

import random
import sqlite3
import time

from litreview.schema import DECISIONS

#: ``PRAGMA application_id`` of a review file ("LRVW"): how a review is told from any SQLite file.
APPLICATION_ID = 0x4C525657
#: Schema version written by this code; older files are migrated forward on open.
SCHEMA_VERSION = 6
#: Seconds a write waits for another process holding the write lock.
BUSY_TIMEOUT_S = 30.0

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

# Version 3: per paper, the rank of the format each field's value came from (the merge
# policy: a poorer record never replaces a richer value; NULL for papers imported
# before, read as the plain copy's rank), and the log of the fields each import changed.
_V3 = """
ALTER TABLE papers ADD COLUMN ranks TEXT;
CREATE TABLE import_changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id INTEGER NOT NULL REFERENCES imports(import_id),
    paper_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX import_changes_paper_id ON import_changes(paper_id);
CREATE TRIGGER import_changes_no_update BEFORE UPDATE ON import_changes
BEGIN SELECT RAISE(ABORT, 'the import log is append-only'); END;
CREATE TRIGGER import_changes_no_delete BEFORE DELETE ON import_changes
BEGIN SELECT RAISE(ABORT, 'the import log is append-only'); END;
"""

# Version 4: the citable fields of a paper (DOI, venue, entry type, the date's precision,
# the source's citation key and, as one JSON object, every other field of the record);
# dates stored before were known to the day as far as the file can tell. And the review's
# settings (one JSON value per key, who set it and when), with the log of every change.
_V4 = """
ALTER TABLE papers ADD COLUMN date_precision TEXT;
ALTER TABLE papers ADD COLUMN doi TEXT;
ALTER TABLE papers ADD COLUMN venue TEXT;
ALTER TABLE papers ADD COLUMN entry_type TEXT;
ALTER TABLE papers ADD COLUMN citation_key TEXT;
ALTER TABLE papers ADD COLUMN extra TEXT;
UPDATE papers SET date_precision = 'day' WHERE published IS NOT NULL;
CREATE INDEX papers_doi ON papers(lower(doi)) WHERE doi IS NOT NULL;
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE settings_log (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TRIGGER settings_log_no_update BEFORE UPDATE ON settings_log
BEGIN SELECT RAISE(ABORT, 'the settings log is append-only'); END;
CREATE TRIGGER settings_log_no_delete BEFORE DELETE ON settings_log
BEGIN SELECT RAISE(ABORT, 'the settings log is append-only'); END;
"""

# Version 5: the full-text stage: where each paper's full text is (a link or a path),
# whether it could not be retrieved (and why), with the log of every change.
_V5 = """
CREATE TABLE fulltext (
    paper_id TEXT PRIMARY KEY REFERENCES papers(paper_id),
    location TEXT,
    not_retrieved INTEGER NOT NULL DEFAULT 0 CHECK (not_retrieved IN (0, 1)),
    note TEXT,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE fulltext_log (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TRIGGER fulltext_log_no_update BEFORE UPDATE ON fulltext_log
BEGIN SELECT RAISE(ABORT, 'the full-text log is append-only'); END;
CREATE TRIGGER fulltext_log_no_delete BEFORE DELETE ON fulltext_log
BEGIN SELECT RAISE(ABORT, 'the full-text log is append-only'); END;
"""

# Version 6: extraction fields: each annotation row's values of the review's typed fields
# (a JSON object, name -> value; the definitions are the ``fields.definitions`` setting).
_V6 = """
ALTER TABLE annotations ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
"""

#: ``MIGRATIONS[i]`` takes a file from version ``i`` to ``i + 1``.
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6]
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

    Returns the version found before migrating. An up-to-date file is only read
    (no write lock), so opening a review never waits for another process's write.
    Only used on files already checked to be reviews (or empty).
    """
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found >= target:
        return found
    begin_immediate(conn)
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])  # another may have won
        for version in range(found, target):
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
        if found < target:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (disk full)
            conn.execute("ROLLBACK")
        raise
    return found


def begin_immediate(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> None:
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
