"""The paper table of a review: schema columns <-> stored values, and the fast read.

:func:`paper_columns` reads every paper in one snapshot (two connections at once)
and caches the decoded columns (a :class:`PaperSnapshot`) until any process changes the papers;
:func:`paper_frame` hands out a fresh DataFrame of them. Imports live in
:mod:`.papers`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from litreview._gc import gc_paused
from litreview.review.store import paper_file
from litreview.review.store.base import TIME_FORMAT, Conn, ReviewStore
from litreview.review.store.file import ReviewFileError
from litreview.review.store.snapshot import PaperSnapshot, appended, strings
from litreview.schema import DATETIME, DICT, INT, LIST, PAPER_COLUMNS

COLUMNS: tuple[str, ...] = tuple(PAPER_COLUMNS)
PAPERS_COUNTER = "papers_version"


# -- encoding: DataFrame columns <-> SQLite values --------------------------------------------


def encode_column(series: pd.Series, dtype: Any) -> list[Any]:
    """The SQLite values of one schema column (None for missing; lists and dicts as JSON,
    [] and {} as None)."""
    if dtype is DICT:
        encode = _JSON.encode
        return [(encode(v) if v else None) if type(v) is dict else _encode_dict(v) for v in series]
    if dtype is LIST:
        encode = _JSON.encode
        return [
            (encode(v) if v else None) if type(v) is list else _encode_list(v)
            for v in series.tolist()
        ]
    if dtype is DATETIME:
        text = series.dt.strftime(TIME_FORMAT)
        return [None if pd.isna(v) else v for v in text.tolist()]
    values = series.astype(object).tolist()
    if dtype is INT:
        return [None if v is pd.NA or v is None else int(v) for v in values]
    return [None if v is pd.NA or v is None else str(v) for v in values]


_JSON = json.JSONEncoder(ensure_ascii=False)


def _encode_list(value: Any) -> str | None:
    """A list-like cell (tuple, array) as JSON; anything else (NA, None) is empty."""
    items = list(value) if isinstance(value, list | tuple | np.ndarray) else []
    return _JSON.encode([str(v) for v in items]) if items else None


def _encode_dict(value: Any) -> str | None:
    """A mapping cell as JSON (keys and values as text); anything else (NA, None) is empty."""
    if not isinstance(value, Mapping) or not value:
        return None
    return _JSON.encode({str(k): str(v) for k, v in value.items()})


def is_json(dtype: Any) -> bool:
    """True for the columns stored as JSON text (lists and dicts)."""
    return dtype is LIST or dtype is DICT


def decode_lists(values: Sequence[str | None]) -> list[list[str]]:
    """Decode a JSON list column in one parse (``None`` is ``[]``)."""
    present = [i for i, v in enumerate(values) if v is not None]
    out: list[Any] = [[] for _ in range(len(values))]
    if present:
        decoded = json.loads("[" + ",".join(values[i] for i in present) + "]")  # type: ignore[misc]
        for i, value in zip(present, decoded, strict=True):
            out[i] = value
    return out


def decode_dicts(values: Sequence[str | None]) -> list[dict[str, str]]:
    """Decode a JSON object column in one parse (``None`` is ``{}``)."""
    present = [i for i, v in enumerate(values) if v is not None]
    out: list[Any] = [{} for _ in range(len(values))]
    if present:
        decoded = json.loads("[" + ",".join(values[i] for i in present) + "]")  # type: ignore[misc]
        for i, value in zip(present, decoded, strict=True):
            out[i] = value
    return out


def decode_column(values: Sequence[Any], dtype: Any) -> Any:
    """A pandas array (or list of lists, of dicts) from the SQLite values of one column."""
    if dtype is DICT:
        return decode_dicts(values)
    if dtype is LIST:
        return decode_lists(values)
    if dtype is DATETIME:
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").to_numpy(
            dtype=DATETIME
        )
    if dtype is INT:
        return pd.array(values, dtype=INT)
    return strings(values)


def paper_columns(store: ReviewStore) -> PaperSnapshot:
    """The decoded paper table (cached until any process changes the papers).

    The cache is private: :func:`paper_frame` hands out copies; the first call
    hands out the lists it decoded.
    """
    version = store.read(lambda conn: store.counter(conn, PAPERS_COUNTER))
    cached = store.cache.get("papers")
    if isinstance(cached, PaperSnapshot) and cached.version == version:
        return cached
    note = store.cache.pop(APPENDED, None)
    if isinstance(cached, PaperSnapshot) and note is not None:
        (before, last), count = note
        if before == cached.version:
            extended, new = _extended(store, cached, last)
            if extended.version == before + 1 and len(extended.index) == len(cached.index) + count:
                store.cache["papers"] = extended
                paper_file.save_appended(store, extended, new)
                return extended
    with gc_paused():
        snapshot = paper_file.load(store, version)
    if snapshot is None:
        (version, snapshot), (_, abstracts) = _read_snapshot(store)
        if len(abstracts) != len(snapshot.columns["paper_id"]):
            raise _damaged(store, "abstract", f"{len(abstracts)} values")
        snapshot.columns["abstract"] = abstracts
        snapshot.version = version
        if len(abstracts) >= paper_file.MIN_PAPERS:
            paper_file.save(store, snapshot, wait=False)
        else:
            paper_file.forget(store)  # no delta extends a base of another table
    with gc_paused():
        snapshot.index = pd.Index(snapshot.columns["paper_id"])
    store.cache["papers"] = snapshot
    return snapshot


#: ``store.cache`` key of :func:`note_appended`'s note.
APPENDED = "papers appended"


def last_order(store: ReviewStore, conn: Conn) -> tuple[int, int | None]:
    """``(papers version, greatest order value)`` now: an insert-only import reads it in its
    write transaction before inserting, and passes it to :func:`note_appended` once
    committed."""
    return store.counter(conn, PAPERS_COUNTER), conn.execute(store.dialect.last_order).fetchone()[0]


def note_appended(store: ReviewStore, before: tuple[int, int | None], count: int) -> None:
    """Note that this process's import, just committed, moved the papers from version
    ``before[0]`` to the next by inserting ``count`` papers after order ``before[1]`` and
    nothing else: the next read appends those papers to the cached snapshot (when it is
    still at that version, the papers at the next, and ``count`` papers come after that
    order) instead of reading every paper."""
    store.cache[APPENDED] = (before, count)


def _extended(
    store: ReviewStore, cached: PaperSnapshot, last: int | None
) -> tuple[PaperSnapshot, PaperSnapshot]:
    """``cached`` with the papers after order ``last`` appended, at the version read
    with them (the caller checks it is the one the note names), and those papers."""
    after = (last if last is not None else -(2**62),)

    def read(conn: Conn) -> tuple[int, PaperSnapshot, list[Any]]:
        version = store.counter(conn, PAPERS_COUNTER)
        new = _decode_bulk(store, conn.execute(store.dialect.bulk_after, after).fetchone())
        abstracts = [row[0] for row in conn.execute(store.dialect.abstracts_after, after)]
        return version, new, abstracts

    with gc_paused():
        version, new, abstracts = store.read(read)
        if len(abstracts) != len(new.columns["paper_id"]):
            raise _damaged(store, "abstract", f"{len(abstracts)} values")
        new.columns["abstract"] = strings(abstracts)
        new.version = version
        extended = appended(cached, new)
        extended.index = cached.index.append(pd.Index(new.columns["paper_id"]))
    return extended, new


def _damaged(store: ReviewStore, column: str, found: object) -> ReviewFileError:
    return ReviewFileError(
        store.path, f"the papers table is damaged (column {column}: {found!r:.80})"
    )


def _decode_bulk(store: ReviewStore, texts: Sequence[str]) -> PaperSnapshot:
    """The snapshot of one ``store.dialect.bulk_papers`` row (no abstracts and no index yet); list
    columns as their JSON text plus, in ``fresh``, the lists decoded now."""
    columns: dict[str, Any] = {}
    lists_json: dict[str, str] = {}
    fresh: dict[str, np.ndarray] = {}
    n = None
    for name, text in zip((c for c in COLUMNS if c != "abstract"), texts, strict=True):
        try:
            values = json.loads(text)
        except ValueError as exc:
            raise _damaged(store, name, exc) from None
        if not isinstance(values, list) or len(values) != (len(values) if n is None else n):
            raise _damaged(store, name, values)
        n = len(values)
        if is_json(PAPER_COLUMNS[name]):
            fresh[name] = _objects(values)
            lists_json[name] = text
        else:
            columns[name] = decode_column(values, PAPER_COLUMNS[name])
    return PaperSnapshot(-1, columns, lists_json, pd.Index([]), fresh)


def _read_snapshot(store: ReviewStore) -> tuple[tuple[int, Any], tuple[int, Any]]:
    """``(version, bulk columns)`` and ``(version, abstracts)`` of one state of the papers.

    Both are read and decoded at once on two connections (SQLite steps without
    the GIL); when another process changed the papers in between (the versions
    differ), read again, and in the end on one connection.
    """

    def bulk(conn: Conn) -> tuple[int, Any]:
        version = store.counter(conn, PAPERS_COUNTER)
        return version, _decode_bulk(store, conn.execute(store.dialect.bulk_papers).fetchone())

    def abstracts(conn: Conn) -> tuple[int, Any]:
        rows = conn.execute(store.dialect.abstracts).fetchall()
        return store.counter(conn, PAPERS_COUNTER), strings([row[0] for row in rows])

    def both(conn: Conn) -> tuple[Any, Any]:
        return bulk(conn), abstracts(conn)

    with gc_paused():
        for _ in range(3):
            got_abstracts, got_bulk = store.read_both(abstracts, bulk)
            if got_bulk[0] == got_abstracts[0]:
                return got_bulk, got_abstracts
        return store.read(both)  # type: ignore[no-any-return]


def _objects(items: list[Any]) -> np.ndarray:
    """A 1-d object array holding ``items`` themselves (lists stay lists)."""
    return np.fromiter(items, dtype=object, count=len(items))


def paper_frame(store: ReviewStore, snapshot: PaperSnapshot | None = None) -> pd.DataFrame:
    """The paper table (schema columns only), a fresh copy the caller may change.

    ``snapshot`` is from :func:`paper_columns` (read now when not given).
    """
    snapshot = paper_columns(store) if snapshot is None else snapshot
    fresh, snapshot.fresh = snapshot.fresh, {}  # lists decoded just now, handed out once
    data: dict[str, Any] = {}
    with gc_paused():
        for name, dtype in PAPER_COLUMNS.items():
            if is_json(dtype):
                listed = fresh.get(name)
                data[name] = (
                    _objects(json.loads(snapshot.lists_json[name])) if listed is None else listed
                )
            else:
                data[name] = snapshot.columns[name].copy()
        return pd.DataFrame(data, copy=False)  # the copies are fresh: not copied again
