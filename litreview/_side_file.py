"""The container of the files a review keeps beside itself (its search index, its paper
table): named numpy arrays and a JSON header, checksummed, written atomically.

Each file is::

    magic (16 bytes) | header length (u64) | header CRC-32 (u32) | 0 (u32)
    | header (JSON: format version, the arrays' layout, data CRC-32, size, the caller's fields)
    | arrays (64-byte aligned)

String lists are stored as NUL-separated UTF-8. A file is used only when its magic,
format version, size and both checksums match; :meth:`SideFormat.read` raises the
format's error (a ValueError) saying what is wrong otherwise.

    >>> import tempfile, pathlib
    >>> fmt = SideFormat(b"LITREVIEW-DEMO\\n\\n", 1, ValueError, strings=("names",))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo"
    >>> _ = fmt.write(path, {"names": np.array(["a", "b"], dtype=object), "n": np.arange(2)}, {})
    >>> arrays, header = fmt.read(path)
    >>> arrays["names"].tolist(), arrays["n"].tolist(), header["format"]
    (['a', 'b'], [0, 1], 1)
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import tempfile
import zlib
from collections.abc import Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import methodcaller
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from litreview._files import _umask

_PREFIX = struct.Struct("<QII")
ALIGN = 64
#: Bytes read at a time: the checksum thread reads big blocks (it takes the GIL back
#: between blocks, which can take a few ms while the main thread decodes), strings are
#: decoded in small ones (so the main thread lets the checksum thread in often).
CRC_BLOCK = 1 << 26
STRING_BLOCK = 1 << 22
STRING_PIECE = 4096  # strings joined at a time when writing
_decode = methodcaller("decode", "utf-8", "surrogatepass")


@dataclass(frozen=True)
class SideFormat:
    """One kind of side file: its magic, format version, error and string-list arrays."""

    magic: bytes
    format: int
    error: type[ValueError]
    strings: Collection[str] = ()
    #: Flush the data to the disk before the rename (else a crash may leave a damaged
    #: file, which its checksum then refuses: right for a cache that is cheap to redo).
    durable: bool = True

    # ------------------------------------------------------------ writing

    def write(self, path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> int:
        """Write ``arrays`` and ``meta`` to ``path`` (a temporary file, then a rename);
        returns the data checksum. Raises ValueError for a string holding NUL (the
        separator) and OSError when writing fails."""
        blobs: dict[str, list[bytes | memoryview]] = {}
        layout, offset, crc = {}, 0, 0
        for name, value in arrays.items():
            if name in self.strings:
                pieces, size = string_pieces(value, name)
                spec = {"dtype": "|u1", "shape": [size]}
                meta = {**meta, f"n_{name}": len(value)}
            else:
                arr = np.ascontiguousarray(value)
                pieces, size = ([memoryview(arr.data).cast("B")] if arr.nbytes else []), arr.nbytes
                spec = {"dtype": arr.dtype.str, "shape": list(arr.shape)}
            if size % ALIGN:
                pieces.append(b"\x00" * (-size % ALIGN))  # the next array starts aligned
            layout[name] = {**spec, "offset": offset}
            offset += -(-size // ALIGN) * ALIGN
            for piece in pieces:
                crc = zlib.crc32(piece, crc)
            blobs[name] = pieces
        fields = {**meta, "format": self.format, "arrays": layout, "data_crc": crc}
        header = json.dumps({**fields, "data_size": offset}).encode()
        start = self.data_start(len(header))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(self.magic + _PREFIX.pack(len(header), zlib.crc32(header), 0) + header)
                out.write(b"\x00" * (start - out.tell()))
                for pieces in blobs.values():
                    for piece in pieces:
                        out.write(piece)
                out.flush()
                if self.durable:
                    os.fsync(out.fileno())
            os.chmod(tmp, 0o666 & ~_umask())  # as a file the user saves (mkstemp makes 0600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return crc

    # ------------------------------------------------------------ reading

    def read(
        self, path: Path, early: EarlyChecksum | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """The arrays (read-only memory maps; string lists decoded) and header of a file.

        The data checksum is computed in a thread (reading and ``zlib.crc32`` release
        the GIL) while the string lists are decoded, or taken from ``early`` (see
        :class:`EarlyChecksum`); nothing is returned before it matched."""
        with self.opened(path, early) as file:
            arrays: dict[str, np.ndarray] = {}
            for name in file.header["arrays"]:
                arrays[name] = file.strings(name) if name in self.strings else file.array(name)
        return arrays, file.header

    def opened(self, path: Path, early: EarlyChecksum | None = None) -> OpenedFile:
        """``with fmt.opened(path) as file:`` a file with a checked header, its arrays
        read on demand; the data checksum (computed in a thread meanwhile) is checked
        when the block ends without an error, raising the format's error on a mismatch."""
        return OpenedFile(self, path, early)

    def header(self, mm: mmap.mmap, size: int, path: Path) -> tuple[dict[str, Any], int]:
        """The checked header of a mapped file, and where its data starts."""
        error = self.error
        if size < len(self.magic) + _PREFIX.size:
            raise error(f"{path}: truncated ({size} bytes)")
        if mm[: len(self.magic)] != self.magic:
            raise error(f"{path}: not a litreview {self._kind} file")
        length, header_crc, reserved = _PREFIX.unpack_from(mm, len(self.magic))
        begin = len(self.magic) + _PREFIX.size
        raw = mm[begin : begin + length]
        if reserved or len(raw) != length or zlib.crc32(raw) != header_crc:
            raise error(f"{path}: damaged header")
        header: dict[str, Any] = json.loads(raw)
        if header.get("format") != self.format:
            found = header.get("format")
            raise error(f"{path}: {self._kind} format {found}, expected {self.format}")
        start = self.data_start(length)
        if start + header["data_size"] != size:
            expected = start + header["data_size"]
            raise error(f"{path}: {size} bytes, expected {expected} (truncated?)")
        return header, start

    @property
    def _kind(self) -> str:
        return self.magic.decode("ascii", "replace").strip().removeprefix("LITREVIEW-").lower()

    def data_start(self, header_length: int) -> int:
        return -(-(len(self.magic) + _PREFIX.size + header_length) // ALIGN) * ALIGN


class OpenedFile:
    """A side file being read (see :meth:`SideFormat.opened`)."""

    def __init__(self, fmt: SideFormat, path: Path, early: EarlyChecksum | None = None) -> None:
        self.fmt, self.path, self._early = fmt, path, early
        self.header: dict[str, Any] = {}

    def __enter__(self) -> OpenedFile:
        fmt, path = self.fmt, self.path
        self._pool = ThreadPoolExecutor(1)
        try:
            self._handle = path.open("rb", buffering=0)
            stat = os.fstat(self._handle.fileno())
            size = stat.st_size
            if size < len(fmt.magic) + _PREFIX.size:
                raise fmt.error(f"{path}: truncated ({size} bytes)")
            self._mm = mmap.mmap(self._handle.fileno(), 0, access=mmap.ACCESS_READ)
            self.header, self._start = fmt.header(self._mm, size, path)
        except OSError as exc:
            self._close()
            raise fmt.error(f"{path}: {exc.strerror or exc}") from None
        except BaseException:
            self._close()
            raise
        early = None if self._early is None else self._early.future_for(stat)
        self._crc = early or self._pool.submit(data_crc, self._handle, self._start)
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            matched = self._crc.result() == self.header["data_crc"]
        except OSError as exc:
            if kind is not None:
                return  # the error raised in the block says more
            raise self.fmt.error(f"{self.path}: {exc.strerror or exc}") from None
        finally:
            self._close()
        if kind is None and not matched:
            raise self.fmt.error(f"{self.path}: damaged (checksum mismatch)")

    def array(self, name: str) -> np.ndarray:
        """The stored array ``name``, memory-mapped (read-only; valid after the file closes)."""
        spec = self.header["arrays"][name]
        dtype = np.dtype(spec["dtype"])
        count = int(np.prod(spec["shape"]))
        offset = self._start + spec["offset"]
        return np.frombuffer(self._mm, dtype=dtype, count=count, offset=offset).reshape(
            spec["shape"]
        )

    def strings(self, name: str) -> np.ndarray:
        """The string list ``name`` as an object array, decoded a block at a time (so a
        large list costs its strings, not also copies of its bytes)."""
        spec, n = self.header["arrays"][name], self.header[f"n_{name}"]
        begin = self._start + spec["offset"]
        out = np.empty(n, dtype=object)
        done, carry = 0, []  # the pieces of a string that goes on in the next block
        try:
            for block in blocks(self._handle, begin, begin + int(np.prod(spec["shape"]))):
                first, last = block.find(0), block.rfind(0)
                if first < 0:  # inside one long string
                    carry.append(bytes(block))
                    continue
                values = str(memoryview(block)[first + 1 : last], "utf-8", "surrogatepass")
                pieces = values.split("\x00") if last > first else []
                out[done] = _decode(b"".join([*carry, block[:first]]))
                out[done + 1 : done + 1 + len(pieces)] = pieces
                done += 1 + len(pieces)
                carry = [bytes(block[last + 1 :])]
            if n:
                out[done] = _decode(b"".join(carry))
                done += 1
        except UnicodeDecodeError as exc:  # damaged (the checksum, computed meanwhile, says so)
            raise self.fmt.error(f"{self.path}: damaged ({exc.reason})") from None
        except (ValueError, IndexError):  # more strings than the header says
            done = -1
        if done != n:
            raise self.fmt.error(f"{self.path}: {name} holds other than {n} strings")
        return out

    def _close(self) -> None:
        self._pool.shutdown()
        if hasattr(self, "_handle"):
            self._handle.close()
        # the map stays open for the arrays viewing it; it closes when they are gone


class EarlyChecksum:
    """The data checksum of one side file, computed in a thread from now on.

    A review starts it for its index file before reading its papers, so the
    checksum (a read of the whole file, without the GIL) overlaps that work; a read
    of the same file (the same device, inode, size, modification and change times:
    files are only ever replaced whole) takes it instead of reading the file again.

    >>> import tempfile, pathlib
    >>> fmt = SideFormat(b"LITREVIEW-DEMO\\n\\n", 1, ValueError)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo"
    >>> crc = fmt.write(path, {"n": np.arange(3)}, {})
    >>> early = EarlyChecksum(fmt, path)
    >>> fmt.read(path, early)[0]["n"].tolist(), early.future_for(os.stat(path)).result() == crc
    ([0, 1, 2], True)
    """

    def __init__(self, fmt: SideFormat, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, ...] | None = None
        self._future: Future[int | None] | None = None
        try:
            handle = path.open("rb", buffering=0)
        except OSError:
            return  # no file: nothing to check
        self._identity = _identity(os.fstat(handle.fileno()))
        pool = ThreadPoolExecutor(1, thread_name_prefix="litreview-checksum")
        self._future = pool.submit(self._compute, fmt, handle)
        pool.shutdown(wait=False)  # the thread ends with the checksum

    def future_for(self, stat: os.stat_result) -> Future[int | None] | None:
        """The checksum of the file ``stat`` describes, if it is the one being checked."""
        return self._future if self._identity == _identity(stat) else None

    @staticmethod
    def _compute(fmt: SideFormat, handle: BinaryIO) -> int | None:
        with handle:
            size = len(fmt.magic) + _PREFIX.size
            prefix = os.pread(handle.fileno(), size, 0)
            if len(prefix) < size or not prefix.startswith(fmt.magic):
                return None  # the read says what is wrong with it
            return data_crc(handle, fmt.data_start(_PREFIX.unpack_from(prefix, len(fmt.magic))[0]))


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def data_crc(handle: BinaryIO, start: int) -> int:
    """CRC-32 of the file from ``start``, read in blocks (through the page cache, so
    checking it does not count the whole file in this process's memory)."""
    crc, stop = 0, os.fstat(handle.fileno()).st_size
    for block in blocks(handle, start, stop, CRC_BLOCK):
        crc = zlib.crc32(block, crc)
    return crc


def blocks(
    handle: BinaryIO, start: int, stop: int | None, size: int | None = None
) -> Iterator[bytearray]:
    """The bytes of ``handle`` from ``start`` to ``stop`` (None: the end), a block at a
    time in one buffer (each valid until the next is read: no block is allocated anew).
    Positional reads: threads may share the handle."""
    size = size or STRING_BLOCK
    if stop is not None:
        size = max(1, min(size, stop - start))  # a small file needs no big buffer
    buffer = bytearray(size)
    at, fd = start, handle.fileno()
    while stop is None or at < stop:
        want = size if stop is None else min(size, stop - at)
        got = os.preadv(fd, [buffer] if want == len(buffer) else [memoryview(buffer)[:want]], at)
        if not got:
            return
        at += got
        if got < len(buffer):
            del buffer[got:]  # the last block (in place)
        yield buffer


def string_pieces(values: Any, name: str) -> tuple[list[bytes | memoryview], int]:
    """The NUL-separated UTF-8 of ``values`` (str), in pieces of a few thousand values
    (a string joined whole is as wide as its widest character), and its size;
    ValueError when one holds NUL."""
    pieces: list[bytes | memoryview] = []
    size, n = 0, len(values)
    for start in range(0, n, STRING_PIECE):
        chunk = values[start : start + STRING_PIECE]
        text = "\x00".join(chunk) + ("\x00" if start + STRING_PIECE < n else "")
        if text.count("\x00") != len(chunk) - (start + STRING_PIECE >= n):
            raise ValueError(f"a value of {name} holds NUL")
        piece = text.encode("utf-8", "surrogatepass")
        pieces.append(piece)
        size += len(piece)
    return pieces, size


def beside(review: str | os.PathLike[str], suffix: str) -> Path:
    """The side file ``suffix`` of the review at ``review``: its name with ``suffix`` added.

    >>> beside("/data/r.litreview", ".index").as_posix()
    '/data/r.litreview.index'
    """
    review = Path(review)
    return review.with_name(review.name + suffix)
