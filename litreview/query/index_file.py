"""The search index saved beside a review: written once, memory-mapped back, never trusted blind.

A review ``r.litreview`` keeps its index in ``r.litreview.index`` (the base segment:
numpy arrays, memory-mapped when opened, no text read or tokenized) and
``r.litreview.index-delta`` (the papers added since: their word streams, small,
rewritten on each add). Each file is::

    b"LITREVIEW-INDEX\\n" | header length (u64) | header CRC-32 (u32) | 0 (u32)
    | header (JSON: format version, kind, fingerprint, arrays, data CRC-32, size)
    | arrays (64-byte aligned)

and is used only when the magic, the format version, the size, both checksums
and the fingerprint (a checksum of exactly the paper ids, titles and abstracts
it was built from, in order) all match; anything else is rebuilt. A caller that
can prove what the papers hold (a review: the papers are the very text objects of
its snapshot at a data version) passes a *stamp* naming that state; files saved
under the same stamp skip the fingerprint (which reads every title and abstract).

    >>> import tempfile, pathlib, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> cache = IndexCache(pathlib.Path(tempfile.mkdtemp()) / "r.litreview.index")
    >>> cache.index_for(papers).n_base, cache.built, IndexCache(cache.path).index_for(papers).n_base
    (36, 1, 36)
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import tempfile
import warnings
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from litreview.query.index import SearchIndex
from litreview.query.tokenize import texts_of

MAGIC = b"LITREVIEW-INDEX\n"
FORMAT = 1
_PREFIX = struct.Struct("<QII")
ALIGN = 64
STRINGS = ("terms", "ids", "words")  # stored as NUL-separated UTF-8
FINGERPRINT_BLOCK = 20_000  # rows joined at a time
READ_BLOCK = 1 << 24  # bytes read at a time to check the data checksum


class IndexFileError(ValueError):
    """An index file that cannot be used (damaged, truncated, another format or stale)."""


def fingerprint(df: pd.DataFrame) -> str:
    """A checksum of exactly the ``paper_id``, title and abstract of every row, in order
    (what an index was built from): CRC-32 of the text and of every value's length;
    about 0.2 s per 100k papers.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> fingerprint(papers) == fingerprint(papers.copy())
    True
    >>> fingerprint(papers) == fingerprint(papers[1:])
    False
    """
    crc, lengths = 0, []
    for column in (_strings_of(df["paper_id"]), *texts_of(df)):
        lengths.append(np.fromiter(map(len, column), dtype=np.int64, count=len(column)))
        for start in range(0, len(column), FINGERPRINT_BLOCK):  # bounded memory
            text = "\x00".join(column[start : start + FINGERPRINT_BLOCK])
            text = "\x00" + text if start else text
            crc = zlib.crc32(text.encode("utf-8", "surrogatepass"), crc)
    return f"{len(df)}-{crc:08x}{zlib.crc32(np.concatenate(lengths).tobytes()):08x}"


def _strings_of(column: pd.Series) -> list[str]:
    return column.fillna("").astype(str).tolist()


# ---------------------------------------------------------------- the file format


def write(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> int:
    """Write ``arrays`` and ``meta`` to ``path`` (a temporary file, then a rename);
    returns the data checksum (which a delta file names as its base). Raises
    ValueError for a string holding NUL (the separator) and OSError when writing fails."""
    blobs: dict[str, np.ndarray] = {}
    for name, value in arrays.items():
        if name in STRINGS:
            text = "\x00".join(str(v) for v in value)
            if text.count("\x00") != max(len(value) - 1, 0):
                raise ValueError(f"a value of {name} holds NUL")
            blobs[name] = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
            meta = {**meta, f"n_{name}": len(value)}
        else:
            blobs[name] = np.ascontiguousarray(value)
    layout, offset, crc = {}, 0, 0
    for name, arr in blobs.items():
        layout[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        offset += -(-arr.nbytes // ALIGN) * ALIGN
        for piece in _pieces(arr):
            crc = zlib.crc32(piece, crc)
    fields = {**meta, "format": FORMAT, "arrays": layout, "data_crc": crc, "data_size": offset}
    header = json.dumps(fields).encode()
    start = _data_start(len(header))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + _PREFIX.pack(len(header), zlib.crc32(header), 0) + header)
            out.write(b"\x00" * (start - out.tell()))
            for arr in blobs.values():
                for piece in _pieces(arr):
                    out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as a file the user saves (mkstemp makes it 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return crc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _data_start(header_length: int) -> int:
    return -(-(len(MAGIC) + _PREFIX.size + header_length) // ALIGN) * ALIGN


def _pieces(arr: np.ndarray) -> list[bytes | memoryview]:
    """The bytes of an array, then the zeros that align the next one."""
    out: list[bytes | memoryview] = [memoryview(arr.data).cast("B")] if arr.nbytes else []
    pad = -arr.nbytes % ALIGN
    return [*out, b"\x00" * pad] if pad else out


def read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays (read-only memory maps; string lists decoded) and header of an
    index file; raises :class:`IndexFileError` saying what is wrong with it.

    The data checksum is computed in a thread (reading and ``zlib.crc32`` release the
    GIL) while the string lists are decoded; nothing is returned before it matched."""
    try:
        with path.open("rb", buffering=0) as handle, ThreadPoolExecutor(1) as pool:
            size = os.fstat(handle.fileno()).st_size
            if size < len(MAGIC) + _PREFIX.size:
                raise IndexFileError(f"{path}: truncated ({size} bytes)")
            mm = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            header, start = _header(mm, size, path)
            crc = pool.submit(_data_crc, handle, start)  # the same file as mapped
            try:
                arrays = _arrays(mm, header, start, path)
            finally:
                matched = crc.result() == header["data_crc"]
            if not matched:
                raise IndexFileError(f"{path}: damaged (checksum mismatch)")
    except OSError as exc:
        raise IndexFileError(f"{path}: {exc.strerror or exc}") from None
    return arrays, header


def _arrays(mm: mmap.mmap, header: dict[str, Any], start: int, path: Path) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for name, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"])
        count = int(np.prod(spec["shape"]))
        arr = np.frombuffer(mm, dtype=dtype, count=count, offset=start + spec["offset"])
        arrays[name] = arr.reshape(spec["shape"])
        if name in STRINGS:
            arrays[name] = _strings(arr, header[f"n_{name}"], path)
    return arrays


def _header(mm: mmap.mmap, size: int, path: Path) -> tuple[dict[str, Any], int]:
    """The checked header of a mapped index file, and where its data starts."""
    if mm[: len(MAGIC)] != MAGIC:
        raise IndexFileError(f"{path}: not a litreview index file")
    length, header_crc, reserved = _PREFIX.unpack_from(mm, len(MAGIC))
    begin = len(MAGIC) + _PREFIX.size
    raw = mm[begin : begin + length]
    if reserved or len(raw) != length or zlib.crc32(raw) != header_crc:
        raise IndexFileError(f"{path}: damaged header")
    header: dict[str, Any] = json.loads(raw)
    if header.get("format") != FORMAT:
        raise IndexFileError(f"{path}: index format {header.get('format')}, expected {FORMAT}")
    start = _data_start(length)
    if start + header["data_size"] != size:
        expected = start + header["data_size"]
        raise IndexFileError(f"{path}: {size} bytes, expected {expected} (truncated?)")
    return header, start


def _data_crc(handle: BinaryIO, start: int) -> int:
    """CRC-32 of the file from ``start``, read in blocks (through the page cache, so
    checking it does not count the whole file in this process's memory)."""
    crc, buffer = 0, bytearray(READ_BLOCK)
    handle.seek(start)
    while got := handle.readinto(buffer):  # type: ignore[attr-defined]
        crc = zlib.crc32(memoryview(buffer)[:got], crc)
    return crc


def _strings(blob: np.ndarray, n: int, path: Path) -> np.ndarray:
    try:
        values = blob.tobytes().decode("utf-8", "surrogatepass").split("\x00") if n else []
    except UnicodeDecodeError as exc:  # damaged (the checksum, computed meanwhile, says so)
        raise IndexFileError(f"{path}: damaged ({exc.reason})") from None
    if len(values) != n:
        raise IndexFileError(f"{path}: {len(values)} strings, expected {n}")
    out = np.empty(n, dtype=object)
    out[:] = values
    return out


# ---------------------------------------------------------------- the cache of one review


def index_path(review: str | os.PathLike[str]) -> Path:
    """Where the index of the review at ``review`` lives: ``<review>.index``."""
    review = Path(review)
    return review.with_name(review.name + ".index")


class IndexCache:
    """The persisted index of one review: loaded when its files match the papers,
    else built once and saved; kept up to date as papers are added.

    ``built`` counts full builds (tokenizing every paper) by this object, ``problem``
    says why the files on disk were not used (None when they were, or there were none),
    ``fingerprinted`` counts loaded files checked by fingerprint (not by stamp).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.delta_path = self.path.with_name(self.path.name + "-delta")
        self.index: SearchIndex | None = None
        self.built = 0
        self.problem: str | None = None
        self._saved: tuple[int, int] | None = None  # (base_version, n papers) on disk
        self._base_crc = 0
        self._fingerprints: dict[str, str] = {}
        self.fingerprinted = 0
        self._unstamped = False  # loaded by fingerprint: save a stamp once, if one is offered

    def index_for(
        self,
        papers: pd.DataFrame,
        *,
        verify: bool = False,
        stamp: str | None = None,
        restamp: Callable[[], str | None] | None = None,
    ) -> SearchIndex:
        """The index of exactly ``papers`` (a review's, in its order). ``verify``:
        titles or abstracts may have changed, check the fingerprints (and rebuild).

        ``stamp``: the caller vouches that ``papers`` hold exactly the text of the
        state it names, so files saved under it are used without the fingerprint;
        ``restamp``: called before saving, returns the stamp to save the files
        under (None: save them unstamped, so only their fingerprint can vouch)."""
        if self.index is None:
            self.index = self._load(papers, stamp)
        elif verify and not self._matches(self.index, papers):
            self.index = None
        if self.index is None:
            self.index = SearchIndex(papers)
            self.built += 1
            self._saved = None
        index = self.index
        index.add(papers)
        if len(index) != len(papers):  # papers were removed: a fresh build is exact
            self.index = None
            return self.index_for(papers)
        due = self._unstamped and restamp is not None  # files from before stamps, or copied
        if due or self._saved != (index.base_version, len(index)):
            self._save(index, papers, restamp() if restamp is not None else None)
        return index

    # ------------------------------------------------------------ loading

    def _load(self, papers: pd.DataFrame, stamp: str | None) -> SearchIndex | None:
        self.problem = None
        if not self.path.exists():
            return None
        try:
            base, header = read(self.path)
            if header.get("kind") != "base":
                raise IndexFileError(f"{self.path}: not a base index file")
            delta, delta_header = self._load_delta(header["data_crc"])
            index = SearchIndex.from_parts(base, delta, title_weight=header["title_weight"])
        except (IndexFileError, KeyError, TypeError, ValueError, IndexError) as exc:
            self.problem = str(exc) if isinstance(exc, IndexFileError) else f"{self.path}: {exc!r}"
            return None
        latest = header if delta_header is None else delta_header  # the last file saved
        delta_fp = _NONE if delta_header is None else delta_header["fingerprint"]
        self._fingerprints = {"base": header["fingerprint"], "delta": delta_fp}
        self._base_crc = header["data_crc"]
        vouched = stamp is not None and latest.get("stamp") == stamp
        if not self._matches(index, papers, by_fingerprint=not vouched):
            self.problem = f"{self.path}: stale (built from other titles or abstracts)"
            return None
        self._saved = (index.base_version, len(index))
        self._unstamped = not vouched
        return index

    def _load_delta(
        self, base_crc: int
    ) -> tuple[dict[str, np.ndarray] | None, dict[str, Any] | None]:
        if not self.delta_path.exists():
            return None, None
        try:
            delta, header = read(self.delta_path)
        except IndexFileError as exc:
            self.problem = str(exc)
            return None, None
        if header.get("kind") != "delta" or header.get("base_crc") != base_crc:
            return None, None
        return delta, header

    def _matches(
        self, index: SearchIndex, papers: pd.DataFrame, *, by_fingerprint: bool = True
    ) -> bool:
        """Whether the indexed papers are rows of ``papers`` with the same text (their
        ids only when ``by_fingerprint`` is false: the text is vouched for by a stamp)."""
        rows = self._rows(index, papers)
        if rows is None:
            return False
        if not by_fingerprint:
            return True
        self.fingerprinted += 1
        nb = index.n_base
        return self._fingerprints.get("base") == fingerprint(rows[:nb]) and self._fingerprints.get(
            "delta", _NONE
        ) == _delta_fingerprint(rows[nb:])

    @staticmethod
    def _rows(index: SearchIndex, papers: pd.DataFrame) -> pd.DataFrame | None:
        """The rows of ``papers`` in index order (None when some indexed paper is gone)."""
        ids = papers["paper_id"].to_numpy(dtype=object)
        n = len(index)
        if len(ids) >= n and np.array_equal(ids[:n], index.ids):
            return papers.iloc[:n]
        where = pd.Index(ids).get_indexer(pd.Index(index.ids))
        return None if (where < 0).any() else papers.iloc[where]

    # ------------------------------------------------------------ saving

    def _save(self, index: SearchIndex, papers: pd.DataFrame, stamp: str | None) -> None:
        rows = self._rows(index, papers)
        assert rows is not None
        nb = index.n_base
        new_base = self._saved is None or self._saved[0] != index.base_version
        if new_base:
            self._fingerprints["base"] = fingerprint(rows[:nb])
        self._fingerprints["delta"] = _delta_fingerprint(rows[nb:])
        self._saved = (index.base_version, len(index))
        self._unstamped = False  # one try: a stamp that cannot be saved is not retried
        base, delta = index.parts()
        if delta is None and not new_base and stamp is not None:
            delta = _EMPTY_DELTA  # a small file carries the new stamp (the base stays)
        try:
            if new_base:
                self.delta_path.unlink(missing_ok=True)
                meta = {"kind": "base", "fingerprint": self._fingerprints["base"],
                        "title_weight": index.title_weight, "stamp": stamp}  # fmt: skip
                self._base_crc = write(self.path, base, meta)
            if delta is None:
                self.delta_path.unlink(missing_ok=True)
            else:
                meta = {"kind": "delta", "base_crc": self._base_crc,
                        "fingerprint": self._fingerprints["delta"], "stamp": stamp}  # fmt: skip
                write(self.delta_path, delta, meta)
        except (OSError, ValueError) as exc:
            warnings.warn(f"the search index was not saved ({exc})", RuntimeWarning, stacklevel=4)


_NONE = "0-none"
_EMPTY_DELTA = {
    "words": np.zeros(0, dtype=object),
    "stream": np.zeros(0, dtype=np.int32),
    "lengths": np.zeros(0, dtype=np.int64),
    "ids": np.zeros(0, dtype=object),
}


def _delta_fingerprint(rows: pd.DataFrame) -> str:
    return fingerprint(rows) if len(rows) else _NONE
