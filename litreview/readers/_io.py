"""Open any listing source (path, text or open file) as a named text stream.

Paths are streamed, so a large listing is never held in memory at once. Files
are UTF-8 (with or without a BOM) or UTF-16 with a BOM; text given as ``str``
must be valid Unicode (no lone surrogates). Anything else, and a path that is
a directory or cannot be opened, is a :class:`ListingError` naming the file.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import IO, TypeGuard

from litreview._open_files import is_open
from litreview.errors import ListingError, ListingNotFoundError

TEXT_NAME = "<text>"
HEAD_BYTES = 64 * 1024
BLOCK_CHARS = 4 * 1024 * 1024
BOM = "\ufeff".encode()
UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
_SURROGATE = re.compile("[\ud800-\udfff]")
Source = str | os.PathLike[str] | IO[str]


@dataclass
class SourceText:
    """A listing's name, its first lines (for format detection) and the stream of the rest."""

    name: str
    head: list[str]
    stream: IO[str]
    path: Path | None = None
    owns_stream: bool = False
    #: The file's encoding; only UTF-8 files are re-read as raw bytes by :meth:`byte_blocks`.
    encoding: str = "utf-8"
    #: True when the text may hold lone surrogates (``str`` and text streams): checked as read.
    check_surrogates: bool = False
    #: The listing itself when it was given as a ``str``.
    text: str | None = None

    @cached_property
    def head_text(self) -> str:
        """The first lines as one string (every format detector reads it)."""
        return "".join(self.head)

    def close(self) -> None:
        """Close the file this source opened (a no-op for text and the caller's streams)."""
        if self.owns_stream:
            self.stream.close()

    def lines(self) -> Iterator[str]:
        """Every line, with its line ending."""
        with self._reading():
            if not self.check_surrogates:
                yield from chain(self.head, self.stream)
                return
            for number, line in enumerate(chain(self.head, self.stream), start=1):
                if _SURROGATE.search(line):
                    raise _surrogate(self.name, number, line)
                yield line

    def untranslated_lines(self) -> Iterator[str]:
        """Every line with its line ending as written, for the csv module: a ``\\r``
        inside a quoted cell is data, not a line break. (Other streams than files
        and ``str`` give :meth:`lines`, their line endings already translated.)"""
        if self.path is None and self.text is None:
            yield from self.lines()
            return
        with self._reading():
            if self.path is not None:
                self.stream.close()
                self.stream = self.path.open(encoding=self.encoding, newline="")
            else:
                self.stream = io.StringIO(self.text, newline="")
            first = self.stream.readline()
            yield first.removeprefix("\ufeff")
            yield from self.stream

    def blocks(self, size: int = BLOCK_CHARS) -> Iterator[str]:
        """The text in blocks of about ``size`` characters (cut anywhere)."""
        with self._reading():
            line = 1
            for block in chain([self.head_text], iter(lambda: self.stream.read(size), "")):
                if self.check_surrogates and (bad := _SURROGATE.search(block)):
                    at = line + block.count("\n", 0, bad.start())
                    raise _surrogate(self.name, at, block[bad.start() :])
                line += block.count("\n")
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
        if self.path is None or self.encoding != "utf-8":
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
            raise _not_utf8(self.src.name, exc, self.src.encoding) from exc


def _not_utf8(name: str, exc: UnicodeDecodeError, encoding: str = "utf-8") -> ListingError:
    shown = encoding.upper().removesuffix("-SIG")
    return ListingError(
        f"{name}: not {shown} text ({exc.reason} at byte {exc.start}); save the listing as UTF-8"
    )


def _surrogate(name: str, line: int, text: str) -> ListingError:
    char = _SURROGATE.search(text)
    code = f"U+{ord(char.group()):04X}" if char else "a lone surrogate"
    return ListingError(
        f"{name}:{line}: expected Unicode text, found a lone surrogate {code} "
        "(text decoded with errors='surrogateescape'?); decode the file as UTF-8 first"
    )


def is_listing_text(source: object) -> TypeGuard[str]:
    """True when ``source`` is listing text rather than a path: a ``str`` that holds a
    line break or a NUL (which no path can hold), or is empty. The one place this is
    decided (readers, ``Review.add``, reports and the command line ask it).

    >>> is_listing_text("Title\\n\\nAbstract"), is_listing_text("daily.txt"), is_listing_text("")
    (True, False, True)
    """
    return isinstance(source, str) and (
        source == "" or "\n" in source or "\r" in source or "\x00" in source
    )


def open_source(source: Source) -> SourceText:
    """Open ``source`` for reading.

    A ``str`` that contains a line break (or is empty) is the listing text
    itself; any other ``str`` or ``PathLike`` is a path; anything with
    ``read()`` is an open file (text, or bytes decoded as UTF-8).
    """
    if is_listing_text(source):
        if bad := _SURROGATE.search(source):
            line = source.count("\n", 0, bad.start()) + 1
            raise _surrogate(TEXT_NAME, line, source[bad.start() :])
        text = source.removeprefix("\ufeff")
        src = _with_head(TEXT_NAME, io.StringIO(text, newline=None))
        src.text = text
        return src
    if isinstance(source, str | os.PathLike):
        try:
            return _from_path(Path(source))
        except (FileNotFoundError, ListingError):
            raise
        except (OSError, ValueError) as exc:  # a directory, no permission, NUL in the path …
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ListingError(f"{source}: cannot open the listing ({reason})") from exc
    if hasattr(source, "read"):
        name = str(getattr(source, "name", TEXT_NAME))
        if isinstance(source, io.TextIOBase) or hasattr(source, "encoding"):
            src = _with_head(name, source)
            src.check_surrogates = True
            return src
        data = source.read()
        if isinstance(data, bytes):
            return _from_bytes(data, name)
        src = _with_head(name, io.StringIO(data, newline=None))
        src.check_surrogates = True
        return src
    raise TypeError(f"expected a path, listing text or open text file, got {type(source).__name__}")


def _from_bytes(data: bytes, name: str) -> SourceText:
    encoding = _encoding(data[:HEAD_BYTES], name)
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, exc, encoding) from exc
    return _with_head(name, io.StringIO(text, newline=None))


def _from_path(path: Path) -> SourceText:
    if not path.exists():
        raise ListingNotFoundError(f"listing not found: {path}")
    if path.is_dir():
        raise ListingError(f"{path}: expected a listing file, got a directory")
    if is_open(path):  # reading it with Python would drop the review's SQLite locks
        raise ListingError(
            f"{path}: a review this process has open, not a listing; "
            "use review.papers (or Review.open) to read it"
        )
    with path.open("rb") as raw:
        encoding = _encoding(raw.read(HEAD_BYTES), str(path))
    stream = path.open(encoding=encoding, newline=None)
    return _with_head(path.name, stream, path, encoding)


def _encoding(head: bytes, name: str) -> str:
    """UTF-16 when the file starts with its BOM, else UTF-8 (refusing binary files)."""
    for bom, encoding in UTF16_BOMS.items():
        if head.startswith(bom):
            return encoding
    _refuse_binary(head, name)
    return "utf-8-sig"


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


def _with_head(
    name: str, stream: IO[str], path: Path | None = None, encoding: str = "utf-8-sig"
) -> SourceText:
    """Read the first lines (about 64 KiB) for format detection."""
    head: list[str] = []
    size = 0
    try:
        while size < HEAD_BYTES and (line := stream.readline()):
            head.append(line)
            size += len(line)
    except UnicodeDecodeError as exc:
        if path is not None:
            stream.close()
        if path is None or encoding != "utf-8-sig":
            raise _not_utf8(name, exc, encoding) from exc
        bad_line, offset = first_bad_utf8(path)
        raise ListingError(
            f"{name}:{bad_line}: not UTF-8 text (byte {offset} is not valid UTF-8); "
            "save the listing as UTF-8"
        ) from exc
    if head and head[0].startswith("\ufeff"):
        head[0] = head[0][1:]
    plain = "utf-8" if encoding == "utf-8-sig" else encoding
    return SourceText(name, head, stream, path, owns_stream=path is not None, encoding=plain)
