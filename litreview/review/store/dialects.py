"""The bulk read of the paper table, written for each backend.

The papers are read in ranges of their order (SQLite's ``rowid``, the server's
``row_order``: the order papers were added in). For one range every column comes back
as one JSON array, built by the database in one scan: list columns as arrays of arrays
(``NULL`` is ``[]``, the stored JSON spliced in as is), so one ``json.loads`` per column
builds them in C.

>>> SQLITE.bounds
'SELECT min(rowid), max(rowid) FROM papers'
>>> POSTGRES.order
'row_order'
"""

from __future__ import annotations

from dataclasses import dataclass

from litreview.schema import DICT, LIST, PAPER_COLUMNS


@dataclass(frozen=True)
class SqlDialect:
    """The SQL a backend writes its own way."""

    #: The column giving the order papers were added in.
    order: str
    #: The first and last ``order`` value (NULLs for no papers).
    bounds: str
    #: One row of JSON arrays, a column each (:data:`PAPER_COLUMNS` order but the abstract),
    #: of the papers with ``after < order <= upto`` (parameters ``after, upto``), in order.
    bulk_papers: str
    #: The abstracts of the same papers, a row each (the bulk of a review: plain rows cost
    #: a third of a JSON array built and parsed).
    abstracts: str
    #: How many reviewers made a decision by annotating (tool imports do not count).
    screeners: str


def _aggregates(list_aggregate: str, scalar_aggregate: str) -> str:
    parts = []
    for name, dtype in PAPER_COLUMNS.items():
        if name == "abstract":
            continue
        empty = "'{}'" if dtype is DICT else "'[]'" if dtype is LIST else None
        if empty is not None:
            joined = f"{list_aggregate}(coalesce({name}, {empty}), ',')"
            parts.append(f"'[' || coalesce({joined}, '') || ']'")
        else:
            parts.append(scalar_aggregate.format(name))
    return ", ".join(parts)


def _sqlite() -> SqlDialect:
    """A ``rowid`` range is a search of the table's own b-tree, in rowid order."""
    bulk = (
        f"SELECT {_aggregates('group_concat', 'json_group_array({})')} "
        "FROM papers NOT INDEXED WHERE rowid > ? AND rowid <= ?"
    )
    screeners = (
        "SELECT count(DISTINCT s.reviewer) FROM steps s WHERE s.action = 'annotate' AND EXISTS "
        "(SELECT 1 FROM history h WHERE h.step_id = s.step_id AND h.field = 'decision')"
    )
    abstracts = "SELECT abstract FROM papers NOT INDEXED WHERE rowid > ? AND rowid <= ?"
    return SqlDialect(
        "rowid", "SELECT min(rowid), max(rowid) FROM papers", bulk, abstracts, screeners
    )


def _postgres() -> SqlDialect:
    """``row_order`` (an identity column of the server's papers table, unique, so indexed)
    is SQLite's rowid.

    The aggregates read one subquery sorted once (an ``ORDER BY`` inside each of the 21
    aggregates sorts the rows 21 times: 2.4x slower at 20k papers). All of them consume
    the same row stream, so the arrays always line up with each other; they follow the
    subquery's order because the plan is one sorted scan feeding a plain aggregate
    (``json_agg`` has no combine function, so PostgreSQL never splits this aggregation
    across parallel workers)."""
    aggregates = _aggregates("string_agg", "coalesce(json_agg({}), '[]')::text")
    bulk = (
        f"SELECT {aggregates} FROM (SELECT * FROM papers "
        "WHERE row_order > ? AND row_order <= ? ORDER BY row_order) p"
    )
    # a function of the schema: counted over every row whatever the caller may read
    screeners = "SELECT litreview_screeners()"
    bounds = "SELECT min(row_order), max(row_order) FROM papers"
    abstracts = (
        "SELECT abstract FROM papers WHERE row_order > ? AND row_order <= ? ORDER BY row_order"
    )
    return SqlDialect("row_order", bounds, bulk, abstracts, screeners)


SQLITE = _sqlite()
POSTGRES = _postgres()
