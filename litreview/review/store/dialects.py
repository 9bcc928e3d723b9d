"""The bulk read of the paper table, written for each backend.

Every column but the abstract comes back as one JSON array each, built by the
database in one scan: list columns as arrays of arrays (``NULL`` is ``[]``, the stored
JSON spliced in as is), so one ``json.loads`` per column builds them in C. The
abstracts (the bulk of a review) come as plain rows, in the same order.

>>> SQLITE.abstracts
'SELECT abstract FROM papers NOT INDEXED'
>>> POSTGRES.abstracts
'SELECT abstract FROM papers ORDER BY row_order'
"""

from __future__ import annotations

from dataclasses import dataclass

from litreview.schema import DICT, LIST, PAPER_COLUMNS


@dataclass(frozen=True)
class SqlDialect:
    """The SQL a backend writes its own way."""

    #: The column giving the order papers were added in.
    order: str
    bulk_papers: str
    abstracts: str
    #: ``bulk_papers`` and ``abstracts`` of the papers after an ``order`` value (a parameter).
    bulk_after: str
    abstracts_after: str
    #: The greatest ``order`` value (one index lookup).
    last_order: str
    #: How many reviewers made a decision by annotating (tool imports do not count).
    screeners: str


def _names() -> list[str]:
    return [name for name in PAPER_COLUMNS if name != "abstract"]


def _empty(name: str) -> str | None:
    dtype = PAPER_COLUMNS[name]
    if dtype is DICT:
        return "'{}'"
    if dtype is LIST:
        return "'[]'"
    return None


def _sqlite() -> SqlDialect:
    """``NOT INDEXED`` makes each scan (and so every array) follow rowid order."""
    parts = []
    for name in _names():
        empty = _empty(name)
        if empty is not None:
            parts.append(
                f"'[' || coalesce(group_concat(coalesce({name}, {empty}), ','), '') || ']'"
            )
        else:
            parts.append(f"json_group_array({name})")
    bulk = "SELECT " + ", ".join(parts) + " FROM papers NOT INDEXED"
    screeners = (
        "SELECT count(DISTINCT s.reviewer) FROM steps s WHERE s.action = 'annotate' AND EXISTS "
        "(SELECT 1 FROM history h WHERE h.step_id = s.step_id AND h.field = 'decision')"
    )
    abstracts = "SELECT abstract FROM papers NOT INDEXED"
    after = " WHERE rowid > ?"  # a search of the table's own b-tree, in rowid order
    return SqlDialect(
        "rowid",
        bulk,
        abstracts,
        bulk + after,
        abstracts + after,
        "SELECT max(rowid) FROM papers",
        screeners,
    )


def _postgres() -> SqlDialect:
    """``row_order`` (an identity column of the server's papers table) is SQLite's rowid:
    the order papers were added in.

    The aggregates read one subquery sorted once (an ``ORDER BY`` inside each of the 20
    aggregates sorts the table 20 times: 2.4x slower at 20k papers). All of them consume
    the same row stream, so the arrays always line up with each other; they follow the
    subquery's order because the plan is one sorted scan feeding a plain aggregate
    (``json_agg`` has no combine function, so PostgreSQL never splits this aggregation
    across parallel workers), the order the abstracts query gives too."""
    parts = []
    for name in _names():
        empty = _empty(name)
        if empty is not None:
            parts.append(f"'[' || coalesce(string_agg(coalesce({name}, {empty}), ','), '') || ']'")
        else:
            parts.append(f"coalesce(json_agg({name}), '[]')::text")
    rows = "(SELECT * FROM papers{} ORDER BY row_order) p"
    bulk = "SELECT " + ", ".join(parts) + " FROM " + rows.format("")
    bulk_after = "SELECT " + ", ".join(parts) + " FROM " + rows.format(" WHERE row_order > ?")
    # a function of the schema: counted over every row whatever the caller may read
    screeners = "SELECT litreview_screeners()"
    return SqlDialect(
        "row_order",
        bulk,
        "SELECT abstract FROM papers ORDER BY row_order",
        bulk_after,
        "SELECT abstract FROM papers WHERE row_order > ? ORDER BY row_order",
        "SELECT max(row_order) FROM papers",
        screeners,
    )


SQLITE = _sqlite()
POSTGRES = _postgres()
