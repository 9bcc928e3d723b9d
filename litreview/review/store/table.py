"""The paper table of a review: schema columns <-> stored values, and the fast read.

:func:`paper_columns` reads every paper in one snapshot (two connections at once)
and caches the decoded columns (a :class:`PaperSnapshot`) until any process changes the papers;
:func:`paper_frame` hands out a fresh DataFrame of them. Imports live in
:mod:`.papers`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from litreview._gc import gc_paused
from litreview.review.store.base import TIME_FORMAT, Conn, ReviewStore
from litreview.review.store.file import ReviewFileError
from litreview.schema import DATETIME, DICT, INT, LIST, PAPER_COLUMNS, STRING

COLUMNS: tuple[str, ...] = tuple(PAPER_COLUMNS)  # the order of the bulk read's columns
PAPERS_COUNTER = "papers_version"


@dataclass
class PaperSnapshot:
    """The decoded paper table at one version of the file (cached until it changes).

    ``columns`` holds the scalar columns (pandas arrays); list columns are kept as
    their JSON text in ``lists_json`` (``json.loads`` builds fresh lists for each
    copy), and ``fresh`` holds the lists decoded by the read that made the
    snapshot, handed out once by :func:`paper_frame`. ``index`` is the paper_ids
    as an Index (for aligning annotations).
    """

    version: int
    columns: dict[str, Any]
    lists_json: dict[str, str]
    index: pd.Index
    fresh: dict[str, np.ndarray] = field(default_factory=dict)


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


def strings(values: Sequence[Any] | np.ndarray) -> Any:
    """A string array from str/None values: StringArray only checks each value (~2x faster
    than ``pd.array``, which still takes anything else, e.g. numbers). An object ndarray
    is used in place."""
    cells = values if isinstance(values, np.ndarray) and values.dtype == object else None
    try:
        if cells is None:
            cells = np.fromiter(values, dtype=object, count=len(values))
        return pd.arrays.StringArray(cells)
    except ValueError:
        return pd.array(values, dtype=STRING)


def paper_columns(store: ReviewStore) -> PaperSnapshot:
    """The decoded paper table (cached until any process changes the papers).

    The cache is private: :func:`paper_frame` hands out copies; the first call
    hands out the lists it decoded.
    """
    version = store.read(lambda conn: store.counter(conn, PAPERS_COUNTER))
    cached = store.cache.get("papers")
    if isinstance(cached, PaperSnapshot) and cached.version == version:
        return cached
    version, chunks = _read_chunks(store)
    with gc_paused():
        snapshot = _snapshot(store, [chunk for _, chunk in sorted(chunks, key=lambda c: c[0])])
        snapshot.index = pd.Index(snapshot.columns["paper_id"])
    snapshot.version = version
    store.cache["papers"] = snapshot
    return snapshot


def _damaged(store: ReviewStore, column: str, found: object) -> ReviewFileError:
    return ReviewFileError(
        store.path, f"the papers table is damaged (column {column}: {found!r:.80})"
    )


#: Papers (a span of their order) read by one query: its JSON stays small (about 70 MB
#: of abstracts), and the two connections take turns, one decoding while the other scans.
CHUNK_ROWS = 50_000

_Chunk = tuple[list[list[Any]], dict[str, str]]  # values of each column, list columns' JSON


def _ranges(low: int | None, high: int | None) -> list[tuple[int, int]]:
    """``(after, upto]`` spans of at most :data:`CHUNK_ROWS` covering ``low..high``.

    >>> _ranges(1, 120_000)
    [(0, 50000), (50000, 100000), (100000, 120000)]
    >>> _ranges(None, None)
    [(0, 0)]
    """
    if low is None or high is None:
        return [(0, 0)]
    cuts = list(range(low - 1, high, CHUNK_ROWS))
    return list(zip(cuts, [*cuts[1:], high], strict=True))


def _read_chunks(store: ReviewStore) -> tuple[int, list[tuple[int, _Chunk]]]:
    """``(version, [(range number, chunk), ...])`` of one state of the papers.

    The ranges are read on two connections at once, even and odd ones (SQLite steps
    without the GIL, so one connection scans while the other decodes); each reads the
    version and the bounds in its own snapshot. When another process changed the
    papers in between (the versions differ), read again, and in the end on one
    connection.
    """

    def part(parity: int | None) -> Callable[[Conn], tuple[int, list[tuple[int, _Chunk]]]]:
        def read(conn: Conn) -> tuple[int, list[tuple[int, _Chunk]]]:
            version = store.counter(conn, PAPERS_COUNTER)
            ranges = list(enumerate(_ranges(*conn.execute(store.dialect.bounds).fetchone())))
            mine = ranges if parity is None else ranges[parity::2]
            return version, [(i, _chunk(store, conn, span)) for i, span in mine]

        return read

    with gc_paused():
        for _ in range(3):
            (version, even), (other, odd) = store.read_both(part(0), part(1))
            if version == other:
                return version, even + odd
        return store.read(part(None))  # type: ignore[no-any-return]


def _chunk(store: ReviewStore, conn: Conn, span: tuple[int, int]) -> _Chunk:
    """The decoded values of every column of one range of papers, and the JSON text of
    the list columns (kept to build fresh lists for each copy)."""
    texts = iter(conn.execute(store.dialect.bulk_papers, span).fetchone())
    abstracts = [row[0] for row in conn.execute(store.dialect.abstracts, span).fetchall()]
    columns: list[list[Any]] = []
    lists_json: dict[str, str] = {}
    for name in COLUMNS:
        if name == "abstract":
            values = abstracts
        else:
            text = next(texts)
            try:
                values = json.loads(text)
            except ValueError as exc:
                raise _damaged(store, name, exc) from None
            if is_json(PAPER_COLUMNS[name]):
                lists_json[name] = text
        if not isinstance(values, list) or (columns and len(values) != len(columns[0])):
            raise _damaged(store, name, values)
        columns.append(values)
    return columns, lists_json


def _snapshot(store: ReviewStore, chunks: list[_Chunk]) -> PaperSnapshot:
    """The snapshot (no index yet) of the chunks of every range, in order."""
    columns: dict[str, Any] = {}
    lists_json: dict[str, str] = {}
    fresh: dict[str, np.ndarray] = {}
    for position, (name, dtype) in enumerate(PAPER_COLUMNS.items()):
        values = chunks[0][0][position]
        for more, _ in chunks[1:]:
            values.extend(more[position])
        if is_json(dtype):
            fresh[name] = _objects(values)
            lists_json[name] = _join_arrays([json_texts[name] for _, json_texts in chunks])
        else:
            columns[name] = decode_column(values, dtype)
        for values_of_chunk, _ in chunks:  # free each column as soon as it is decoded
            values_of_chunk[position] = []
    return PaperSnapshot(-1, columns, lists_json, pd.Index([]), fresh)


def _join_arrays(texts: list[str]) -> str:
    """One JSON array of the items of several (``'[1,2]'``, ``'[]'``, ``'[3]'`` -> ``'[1,2,3]'``).

    >>> _join_arrays(['[1,2]', '[]', '[3]'])
    '[1,2,3]'
    """
    if len(texts) == 1:
        return texts[0]
    inner = [body for text in texts if (body := text.strip()[1:-1].strip())]
    return "[" + ",".join(inner) + "]"


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
