"""The search index saved beside a review: written once, memory-mapped back, never trusted blind.

A review ``r.litreview`` keeps its index in ``r.litreview.index`` (the base segment:
numpy arrays, memory-mapped when opened, no text read or tokenized) and
``r.litreview.index-delta`` (the papers added since: their word streams, small,
rewritten on each add). Both are side files (:mod:`litreview._side_file`: arrays, a
JSON header with the kind and fingerprint, checksums), used only when the magic, the
format version, the size, both checksums and the fingerprint (a checksum of exactly
the paper ids, titles and abstracts it was built from, in order) all match; anything
else is rebuilt. A caller that can prove what the papers hold (a review: the papers are
the very text objects of its snapshot at a data version) passes a *stamp* naming that
state; files saved under the same stamp skip the fingerprint (which reads every title
and abstract).

    >>> import tempfile, pathlib, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> cache = IndexCache(pathlib.Path(tempfile.mkdtemp()) / "r.litreview.index")
    >>> cache.index_for(papers).n_base, cache.built, IndexCache(cache.path).index_for(papers).n_base
    (36, 1, 36)
"""

from __future__ import annotations

import os
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from litreview._side_file import EarlyChecksum, SideFormat, beside
from litreview.query.index import SearchIndex
from litreview.query.tokenize import texts_of

MAGIC = b"LITREVIEW-INDEX\n"
FORMAT = 1
STRINGS = ("terms", "ids", "words")  # stored as NUL-separated UTF-8
FINGERPRINT_BLOCK = 20_000  # rows joined at a time


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

INDEX_FILE = SideFormat(MAGIC, FORMAT, IndexFileError, STRINGS)


def write(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> int:
    """Write an index file (see :meth:`SideFormat.write`); returns its data checksum
    (which a delta file names as its base)."""
    return INDEX_FILE.write(path, arrays, meta)


def read(
    path: Path, early: EarlyChecksum | None = None
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays (memory-mapped; string lists decoded) and header of an index file;
    raises :class:`IndexFileError` saying what is wrong with it."""
    return INDEX_FILE.read(path, early)


# ---------------------------------------------------------------- the cache of one review


def index_path(review: str | os.PathLike[str]) -> Path:
    """Where the index of the review at ``review`` lives: ``<review>.index``."""
    return beside(review, ".index")


class IndexCache:
    """The persisted index of one review: loaded when its files match the papers,
    else built once and saved; kept up to date as papers are added.

    ``built`` counts full builds (tokenizing every paper) by this object, ``problem``
    says why the files on disk were not used (None when they were, or there were none),
    ``fingerprinted`` counts loaded files checked by fingerprint (not by stamp).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.delta_path = beside(self.path, "-delta")
        self.index: SearchIndex | None = None
        self.built = 0
        self.problem: str | None = None
        self._saved: tuple[int, int] | None = None  # (base_version, n papers) on disk
        self._base_crc = 0
        self._fingerprints: dict[str, str] = {}
        self.fingerprinted = 0
        self._unstamped = False  # loaded by fingerprint: save a stamp once, if one is offered
        self._early: EarlyChecksum | None = None

    def check_ahead(self) -> None:
        """Start checking the saved base file's checksum in a thread, when no index is
        loaded yet: the next :meth:`index_for` takes it instead of reading the file
        again (a caller starts it before reading the papers: the two overlap)."""
        if self.index is None and self._early is None:
            self._early = EarlyChecksum(INDEX_FILE, self.path)

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
            early, self._early = self._early, None
            base, header = read(self.path, early)
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
