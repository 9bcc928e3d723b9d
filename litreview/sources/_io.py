"""Open any listing source (path, text or open file) as a named text stream.

Paths are streamed, so a large listing is never held in memory at once.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import IO

from litreview.errors import ListingError

TEXT_NAME = "<text>"
HEAD_BYTES = 64 * 1024
BLOCK_CHARS = 4 * 1024 * 1024
BOM = "\ufeff".encode()
Source = str | os.PathLike[str] | IO[str]


@dataclass
class SourceText:
    """A listing's name, its first lines (for format detection) and the stream of the rest."""

    name: str
    head: list[str]
    stream: IO[str]
    path: Path | None = None
    owns_stream: bool = False

    @cached_property
    def head_text(self) -> str:
        """The first lines as one string (every format detector reads it)."""
        return "".join(self.head)

    def lines(self) -> Iterator[str]:
        """Every line, with its line ending."""
        with self._reading():
            yield from chain(self.head, self.stream)

    def blocks(self, size: int = BLOCK_CHARS) -> Iterator[str]:
        """The text in blocks of about ``size`` characters (cut anywhere)."""
        with self._reading():
            yield self.head_text
            while block := self.stream.read(size):
                yield block

    def read(self) -> str:
        """The whole text."""
        return "".join(self.blocks())

    def byte_blocks(self, size: int = BLOCK_CHARS) -> Iterator[bytes]:
        """The UTF-8 bytes with ``\\n`` line endings, in blocks cut anywhere.

        Files are re-read in binary (faster than decoding everything); the
        reader decodes what it keeps and reports bytes that are not UTF-8.
        A thread reads the next block while the caller works on this one (file
        reads let go of the GIL).
        """
        if self.path is None:
            yield self.read().encode("utf-8")
            return
        self.stream.close()
        with self.path.open("rb") as raw, ThreadPoolExecutor(1, "litreview-read") as reader:
            held = raw.read(len(BOM)).removeprefix(BOM)
            ahead = reader.submit(raw.read, size)
            while chunk := ahead.result():
                ahead = reader.submit(raw.read, size)
                chunk = held + chunk
                held = b""
                if chunk.endswith(b"\r"):
                    chunk, held = chunk[:-1], b"\r"
                if b"\r" in chunk:
                    chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                yield chunk
            if held:
                yield held.replace(b"\r", b"\n")

    def _reading(self) -> _Reading:
        return _Reading(self)


class _Reading:
    """Close an owned stream when done and name the file in decoding errors."""

    def __init__(self, src: SourceText) -> None:
        self.src = src

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if self.src.owns_stream:
            self.src.stream.close()
        if isinstance(exc, UnicodeDecodeError):
            raise _not_utf8(self.src.name, exc) from exc


def _not_utf8(name: str, exc: UnicodeDecodeError) -> ListingError:
    return ListingError(
        f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the listing as UTF-8"
    )


def open_source(source: Source) -> SourceText:
    """Open ``source`` for reading.

    A ``str`` that contains a line break (or is empty) is the listing text
    itself; any other ``str`` or ``PathLike`` is a path; anything with
    ``read()`` is an open file (text, or bytes decoded as UTF-8).
    """
    if isinstance(source, str) and (source == "" or "\n" in source or "\r" in source):
        return _with_head(TEXT_NAME, io.StringIO(source.removeprefix("\ufeff"), newline=None))
    if isinstance(source, str | os.PathLike):
        return _from_path(Path(source))
    if hasattr(source, "read"):
        name = str(getattr(source, "name", TEXT_NAME))
        if isinstance(source, io.TextIOBase) or hasattr(source, "encoding"):
            return _with_head(name, source)
        data = source.read()
        if isinstance(data, bytes):
            return _from_bytes(data, name)
        return _with_head(name, io.StringIO(data, newline=None))
    raise TypeError(f"expected a path, listing text or open text file, got {type(source).__name__}")


def _from_bytes(data: bytes, name: str) -> SourceText:
    _refuse_binary(data[:HEAD_BYTES], name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, exc) from exc
    return _with_head(name, io.StringIO(text, newline=None))


def _from_path(path: Path) -> SourceText:
    if not path.exists():
        raise FileNotFoundError(f"listing not found: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"expected a listing file, got a directory: {path}")
    with path.open("rb") as raw:
        _refuse_binary(raw.read(HEAD_BYTES), str(path))
    stream = path.open(encoding="utf-8-sig", newline=None)
    return _with_head(path.name, stream, path)


def first_bad_utf8(path: Path) -> tuple[int, int]:
    """The 1-based line and the byte offset of the first byte of ``path`` that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with path.open("rb") as raw:
        while chunk := raw.read(BLOCK_CHARS):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = max(exc.start, 0)
                return line + chunk.count(b"\n", 0, bad), offset + bad
            line += chunk.count(b"\n")
            offset += len(chunk)
    return line, offset


def _refuse_binary(head: bytes, name: str) -> None:
    if b"\x00" in head:
        raise ListingError(f"{name}: binary file (contains NUL bytes), expected a text listing")


def _with_head(name: str, stream: IO[str], path: Path | None = None) -> SourceText:
    """Read the first lines (about 64 KiB) for format detection."""
    head: list[str] = []
    size = 0
    try:
        while size < HEAD_BYTES and (line := stream.readline()):
            head.append(line)
            size += len(line)
    except UnicodeDecodeError as exc:
        if path is None:
            raise _not_utf8(name, exc) from exc
        stream.close()
        bad_line, offset = first_bad_utf8(path)
        raise ListingError(
            f"{name}:{bad_line}: not UTF-8 text (byte {offset} is not valid UTF-8); "
            "save the listing as UTF-8"
        ) from exc
    if head and head[0].startswith("\ufeff"):
        head[0] = head[0][1:]
    return SourceText(name, head, stream, path, owns_stream=path is not None)
