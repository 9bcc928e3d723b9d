"""The paper table saved beside a review (``<review>.papers``), so a fresh process reads
its papers without SQL or JSON.

A review of many papers spends most of its opening on the papers table: SQLite
steps through every row and the values come back as text to decode (about 3-5 s at
1M papers). Once a process has read the table, it saves the decoded columns in a
side file (:mod:`litreview._side_file`): strings as the NUL-separated text of each
column's distinct values plus a code per paper, numbers and dates as arrays, list
columns as their JSON text. The next process reads that file instead, when it is
vouched for by a *stamp*: ``"<papers version>:<schema version>:<random token>"``,
saved in the review's ``meta`` when the file is written and carried in the file.
Every change of the papers, by any process, increments the papers version; a file
copied from elsewhere or a review copied back from a backup carries another token.
So the file is used only for exactly the table it was saved from, and its checksums
catch damage; anything else is read from the review again (and saved anew).

Only reviews of at least :data:`MIN_PAPERS` papers get the file (below that the
review reads its table in well under a second).

    >>> import tempfile, pathlib, litreview
    >>> from litreview.review.store import table
    >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> _ = review.add(litreview.SAMPLE_LISTING)
    >>> snapshot = table.paper_columns(review._store)
    >>> save(review._store, snapshot)
    >>> load(review._store, snapshot.version).columns["title"][0] == snapshot.columns["title"][0]
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from litreview._side_file import OpenedFile, SideFormat, beside
from litreview.review.store.base import ReviewStore
from litreview.review.store.snapshot import PaperSnapshot, appended, checked_strings
from litreview.review.store.stamps import PAPER_FILE_STAMP as STAMP_KEY
from litreview.review.store.stamps import names, new_stamp, read_stamp, save_stamp
from litreview.schema import DATETIME, INT, PAPER_COLUMNS

MIN_PAPERS = 20_000
#: A delta of a quarter of the base or more is saved as a new base.
DELTA_SHARE = 4
#: ``store.cache`` key: ``(token, data CRC, papers, the papers appended since | None)`` of
#: the base file this process saved or read (None: none known); used only while its token
#: is the latest (:data:`LATEST`).
BASE = "paper file"
#: ``store.cache`` key: the thread that writes this review's paper files (one at a time).
SAVER = "paper file saver"
#: ``store.cache`` key: a token of the latest save or load; a save whose token is no
#: longer the latest neither writes its file nor names it the base.
LATEST = "paper file latest"


class PaperFileError(ValueError):
    """A paper file that cannot be used (damaged, truncated or another format)."""


def paper_file_path(review: str | Path) -> Path:
    """Where the paper table of the review at ``review`` is saved: ``<review>.papers``."""
    return beside(review, ".papers")


def delta_path(review: str | Path) -> Path:
    """Where the papers added since the saved table are: ``<review>.papers-delta``."""
    return beside(review, ".papers-delta")


def _names(column: str) -> tuple[str, str, str]:
    """The arrays of one column: its values, and either a code per paper (a column of
    few distinct strings stores those once) or which papers have none."""
    return f"{column}.values", f"{column}.codes", f"{column}.na"


def _string_arrays() -> tuple[str, ...]:
    out = []
    for column, dtype in PAPER_COLUMNS.items():
        if dtype is not INT and dtype is not DATETIME:
            out.append(_names(column)[0])
    return tuple(out)


#: Not flushed to the disk: a file a crash damaged fails its checksum and is written again.
PAPER_FILE = SideFormat(b"LITREVIEW-PAPERS", 1, PaperFileError, _string_arrays(), durable=False)
SAMPLE = 10_000  # values a text column's distinct share is judged on


# ---------------------------------------------------------------- saving


def save(store: ReviewStore, snapshot: PaperSnapshot, *, wait: bool = True) -> None:
    """Save ``snapshot`` (read at its version) beside the review and stamp it. With
    ``wait=False`` the file is written by the review's saving thread (one file at a time,
    in order: :func:`wait_for_saves`), so the read that made the snapshot returns at once.
    The stamp is saved first: until the file carries it, every reader reads the review.
    A file that cannot be saved (a read-only review or folder, a text holding NUL) warns;
    the review is read as before."""
    mine = forget(store)  # this save, until another save or a load; no delta meanwhile
    stamp = _stamp_now(store, snapshot)
    if stamp is None:
        return
    n = len(snapshot.columns["paper_id"])

    def write() -> None:
        if store.cache.get(LATEST, mine) is not mine:  # (absent: the review was closed)
            return  # a later save or load of this review: this file would stand for nothing

        def written() -> int:
            delta_path(store.path).unlink(missing_ok=True)
            path, meta = paper_file_path(store.path), {"stamp": stamp, "n": n}
            return PAPER_FILE.write(path, _arrays(snapshot), meta)

        crc = _written(written)
        if crc is not None:  # the base of later deltas while ``mine`` is the latest
            store.cache[BASE] = (mine, crc, n, None)

    if wait:
        wait_for_saves(store)
        write()
    else:
        _saver(store).submit(write)


def save_appended(store: ReviewStore, snapshot: PaperSnapshot, new: PaperSnapshot) -> None:
    """After this process appended ``new`` papers to its snapshot (now ``snapshot``): save
    the papers added since the saved base in the small delta file, when this process
    saved or read that base (else nothing: the next full read saves a base); a new base
    when they reach a quarter of it."""
    base = store.cache.get(BASE)
    if base is None or base[0] is not store.cache.get(LATEST):
        return  # no base, or one a later save or load overtook
    token, base_crc, n_base, pending = base
    rows = new if pending is None else appended(pending, new)
    n, n_rows = len(snapshot.columns["paper_id"]), len(rows.columns["paper_id"])
    if n_base + n_rows != n:
        forget(store)  # not the papers this process knows of: no delta
        return
    if n_rows * DELTA_SHARE >= n_base:
        save(store, snapshot)
        return
    store.cache[BASE] = None
    stamp = _stamp_now(store, snapshot)
    if stamp is None:
        return
    meta = {"stamp": stamp, "n": n_rows, "base_crc": base_crc}
    if _written(lambda: PAPER_FILE.write(delta_path(store.path), _arrays(rows), meta)) is not None:
        store.cache[BASE] = (token, base_crc, n_base, rows)


def forget(store: ReviewStore) -> object:
    """Forget the saved base (no delta extends it) and make any save still pending stand
    for nothing; returns the new token of the latest save or read."""
    token = store.cache[LATEST] = object()
    store.cache[BASE] = None
    return token


def wait_for_saves(store: ReviewStore) -> None:
    """Return once every file this process began saving for the review is written."""
    saver = store.cache.get(SAVER)
    if isinstance(saver, ThreadPoolExecutor):
        with suppress(RuntimeError):  # shut down (the interpreter exits): it ends its queue
            saver.submit(lambda: None).result()


def _saver(store: ReviewStore) -> ThreadPoolExecutor:
    saver = store.cache.get(SAVER)
    if not isinstance(saver, ThreadPoolExecutor):
        saver = store.cache[SAVER] = ThreadPoolExecutor(1, thread_name_prefix="litreview-papers")
    return saver


def _stamp_now(store: ReviewStore, snapshot: PaperSnapshot) -> str | None:
    """A new stamp for ``snapshot``'s version, saved in the review (None, with a warning,
    when the review cannot be written)."""
    stamp = new_stamp(store, snapshot.version)
    failed: tuple[type[Exception], ...] = (*store.database_errors, OSError)
    try:
        save_stamp(store, STAMP_KEY, stamp)
    except failed as exc:
        _warn(exc)
        return None
    return stamp


def _written(write: Callable[[], int]) -> int | None:
    """The data checksum of the file ``write`` writes, or None (with a warning)."""
    try:
        return write()
    except (OSError, ValueError) as exc:
        _warn(exc)
        return None


def _warn(exc: Exception) -> None:
    warnings.warn(f"the paper table was not saved beside the review ({exc})", RuntimeWarning,
                  stacklevel=2)  # fmt: skip


def _arrays(snapshot: PaperSnapshot) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for column, dtype in PAPER_COLUMNS.items():
        values, codes, na = _names(column)
        if column in snapshot.lists_json:
            arrays[values] = np.array([snapshot.lists_json[column]], dtype=object)
            continue
        arr = snapshot.columns[column]
        if dtype is INT:
            arrays[values] = arr.to_numpy(dtype=np.int64, na_value=0)
            arrays[na] = np.asarray(arr.isna(), dtype=np.bool_)
        elif dtype is DATETIME:
            arrays[values] = np.asarray(arr).view(np.int64)
        elif _repetitive(arr):
            found, uniques = pd.factorize(pd.Series(arr, copy=False))
            arrays[values] = np.asarray(uniques, dtype=object)
            arrays[codes] = found.astype(np.int32)
        else:
            arrays[values] = arr.to_numpy(dtype=object, na_value="")
            arrays[na] = np.asarray(arr.isna(), dtype=np.bool_)
    return arrays


def _repetitive(arr: Any) -> bool:
    """Whether a text column holds each value many times (judged on a sample)."""
    sample = pd.Series(arr[:SAMPLE], copy=False).dropna()
    return sample.nunique() * 2 < len(sample)


# ---------------------------------------------------------------- loading


def load(store: ReviewStore, version: int) -> PaperSnapshot | None:
    """The papers at ``version`` from the saved files (the base, then the delta when it
    is the one stamped), or None when none is vouched for that version (or one is
    damaged); no index yet."""
    path = paper_file_path(store.path)
    stamp = read_stamp(store, STAMP_KEY)
    if stamp is None or not names(stamp, store, version) or not path.exists():
        return None
    try:
        with PAPER_FILE.opened(path) as file:
            header = file.header
            delta = None if header.get("stamp") == stamp else _delta(store, stamp, version)
            if delta is None and header.get("stamp") != stamp:
                return None
            if delta is not None and delta[0] != header["data_crc"]:
                return None  # the delta of another base
            snapshot = _decoded(file, version)
    except (PaperFileError, KeyError, TypeError, ValueError, IndexError):
        return None
    n_base, rows = len(snapshot.columns["paper_id"]), None if delta is None else delta[1]
    token = forget(store)  # a save still pending describes an older table
    store.cache[BASE] = (token, header["data_crc"], n_base, rows)
    return snapshot if rows is None else appended(snapshot, rows)


def _delta(store: ReviewStore, stamp: str, version: int) -> tuple[int, PaperSnapshot] | None:
    """``(its base's data checksum, its papers)`` of the delta file when it carries
    ``stamp`` (None when it does not, or cannot be read)."""
    try:
        with PAPER_FILE.opened(delta_path(store.path)) as file:
            if file.header.get("stamp") != stamp:
                return None
            return int(file.header["base_crc"]), _decoded(file, version)
    except (PaperFileError, KeyError, TypeError, ValueError, IndexError):
        return None


def _decoded(file: OpenedFile, version: int) -> PaperSnapshot:
    n = int(file.header["n"])
    columns: dict[str, Any] = {}
    lists_json: dict[str, str] = {}
    arrays = file.header["arrays"]
    for column, dtype in PAPER_COLUMNS.items():
        values, codes, na = _names(column)
        if dtype is INT:
            mask = np.array(file.array(na), dtype=np.bool_)
            columns[column] = pd.arrays.IntegerArray(np.array(file.array(values)), mask)
        elif dtype is DATETIME:
            columns[column] = np.array(file.array(values)).view(DATETIME)
        elif codes in arrays:
            distinct = file.strings(values)
            uniques = np.empty(len(distinct) + 1, dtype=object)
            uniques[:-1], uniques[-1] = distinct, pd.NA  # code -1 picks the NA
            columns[column] = checked_strings(uniques.take(np.asarray(file.array(codes), np.intp)))
        elif na in arrays:
            text = file.strings(values)
            text[np.asarray(file.array(na), dtype=np.bool_)] = pd.NA
            columns[column] = checked_strings(text)
        else:
            (lists_json[column],) = file.strings(values)
        if column in columns and len(columns[column]) != n:
            raise PaperFileError(f"{file.path}: {column} holds other than {n} values")
    return PaperSnapshot(version, columns, lists_json, pd.Index([]))
