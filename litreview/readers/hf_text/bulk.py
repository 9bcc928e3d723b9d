"""The fast path of the plain-text reader: papers in the usual shape, read all at once.

Almost every paper of a copied page has the same eight lines::

    Title
    <blank>
    Abstract
    <blank>
      • 6 authors
    ·
    Feb 26, 2021 1
    <blank>

numpy finds the lines and the ``·`` lines standing where this shape has them;
titles and abstracts are decoded straight from the buffer; the author/date
blocks in their usual spelling are read by numpy (:mod:`.usual_meta`), the
others matched in one regex pass. A paper with anything unusual about it is
left to the line-by-line parser (``hf_text``), which gives the same result:
a property test holds the two to it.
"""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np

from litreview.ids import paper_ids
from litreview.readers._dates import DAY_NUMBERS, DayNumbers
from litreview.readers.hf_text.usual_meta import usual_metas

#: An author/date block in the usual shape: author count, "·" line, full date, comments
#: (counts of up to 18 digits, so they fit Int64: longer ones go to the line parser).
STRICT_META = re.compile(
    "[ \t]*•[ \t]*([0-9]{1,18}) authors?[ \t]*\n·[ \t]*\n".encode()
    + rb"((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) [0-9]{1,2}, [0-9]{4})"
    + rb"(?: ([0-9]{1,18}))?[ \t]*"
)
_JOINED_META = re.compile(rb"(?<![^\x00])" + STRICT_META.pattern + rb"\x00")
_DOT = "·".encode()
_NEWLINE = ord("\n")
_LONG_SPAN = 200  # bytes: above this, decoding from a memoryview beats slicing first
PAPER_LINES = 8  # title, blank, abstract, blank, authors, ·, date, blank
# First bytes of UTF-8 white space (ASCII, U+0085/U+00A0, U+1680, U+2000-U+205F, U+3000),
# "·" (C2 B7) and "•" (E2 80 A2): a line starting otherwise is neither blank nor markup.
_ODD_FIRST_BYTE = np.zeros(256, dtype=bool)
_ODD_FIRST_BYTE[[*range(0x09, 0x0E), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3]] = True
T = TypeVar("T")


@dataclass(frozen=True)
class Lines:
    """Where the lines of ``data[start:end]`` start and end (``\\n`` excluded).

    >>> lines = Lines.of(b"ab\\n\\ncd", 0, 6)
    >>> lines.starts.tolist(), lines.ends.tolist()
    ([0, 3, 4], [2, 3, 6])
    """

    data: bytes
    codes: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, data: bytes, start: int, end: int) -> Lines:
        codes = np.frombuffer(data, dtype=np.uint8)
        newlines = np.flatnonzero(codes[start:end] == _NEWLINE) + start
        starts = np.concatenate(([start], newlines + 1))
        return cls(data, codes, starts, np.append(newlines, end))

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class Papers:
    """Papers in the usual shape, as columns; ``dots`` are the indexes of their
    ``·`` lines (the title is 5 lines above)."""

    dots: np.ndarray
    titles: list[str]
    ids: list[str]
    abstracts: list[str]
    n_authors: list[int]
    days: list[int]
    comments: list[int]

    def runs(self) -> list[tuple[int, int]]:
        """``[first, last)`` ranges of papers that follow each other with one blank line between."""
        breaks = np.flatnonzero(np.diff(self.dots) != PAPER_LINES) + 1
        edges = [0, *breaks.tolist(), len(self.dots)]
        return [(a, b) for a, b in itertools.pairwise(edges) if a < b]


def read_papers(lines: Lines, day_numbers: DayNumbers = DAY_NUMBERS) -> Papers:
    """Every paper in the usual shape among ``lines``.

    A paper is left out (for the line-by-line parser) when anything about it is
    unusual: text that is not UTF-8, a title or abstract that is empty or reads
    as page markup, an author/date block the strict pattern does not match, an
    impossible date.

    >>> text = b"T\\n\\nA.\\n\\n  \\xe2\\x80\\xa2 2 authors\\n\\xc2\\xb7\\nJan 2, 1970 5\\n"
    >>> papers = read_papers(Lines.of(text, 0, len(text)))
    >>> papers.titles, papers.n_authors, papers.days, papers.comments
    (['T'], [2], [1], [5])
    """
    starts, ends = lines.starts, lines.ends
    dots = paper_shapes(lines)
    titles = _texts(lines.data, starts[dots - 5], ends[dots - 5])
    abstracts = _texts(lines.data, starts[dots - 3], ends[dots - 3])
    usual = usual_metas(
        lines.codes, starts[dots - 1], ends[dots - 1], starts[dots + 1], ends[dots + 1]
    )
    ok = usual.ok.copy()  # then: an author/date block the regex reads, with a possible date
    n_authors, days, comments = usual.n_authors, usual.days, usual.comments
    odd = np.flatnonzero(~ok)
    odd_metas = _metas(lines.data, starts[dots[odd] - 1], ends[dots[odd] + 1])
    for i, meta in zip(odd.tolist(), odd_metas, strict=True):
        day = day_numbers[meta[1]] if meta else None
        if meta is not None and day is not None:
            ok[i], n_authors[i], days[i] = True, int(meta[0]), day
            comments[i] = int(meta[2]) if meta[2] else 0
    if None in titles or None in abstracts:
        pairs = zip(titles, abstracts, strict=True)
        ok &= np.fromiter((None not in pair for pair in pairs), dtype=bool, count=len(dots))
    # Only a line starting with white space, "·" or "•" can be empty or page markup.
    first_bytes = lines.codes[starts[dots - 5]], lines.codes[starts[dots - 3]]
    odd_text = _ODD_FIRST_BYTE[first_bytes[0]] | _ODD_FIRST_BYTE[first_bytes[1]]
    for i in np.flatnonzero(odd_text & ok).tolist():
        ok[i] = _is_text(titles[i]) and _is_text(abstracts[i])
    kept_titles = _kept(titles, ok)
    return Papers(
        dots[ok],
        kept_titles,
        paper_ids(kept_titles),
        _kept(abstracts, ok),
        n_authors[ok].tolist(),
        days[ok].tolist(),
        comments[ok].tolist(),
    )


def paper_shapes(lines: Lines) -> np.ndarray:
    """Indexes of the ``·`` lines that stand where a paper in the usual shape has
    them: title, blank, abstract, blank, authors, ``·``, date, then a blank line
    (or the end), with a blank line (or the start) before the title."""
    codes, starts, ends, n = lines.codes, lines.starts, lines.ends, len(lines)
    lengths = ends - starts
    filled = lengths > 0
    dots = np.flatnonzero(lengths >= len(_DOT))
    dots = dots[(dots >= 5) & (dots + 1 < n)]
    dots = dots[(codes[starts[dots]] == _DOT[0]) & (codes[starts[dots] + 1] == _DOT[1])]
    shape = filled[dots - 5] & ~filled[dots - 4] & filled[dots - 3] & ~filled[dots - 2]
    shape &= filled[dots - 1] & filled[dots + 1]
    shape &= (dots == 5) | ~filled[np.maximum(dots - 6, 0)]
    shape &= (dots + 2 >= n) | ~filled[np.minimum(dots + 2, n - 1)]
    for i in np.flatnonzero(shape & (lengths[dots] > len(_DOT))).tolist():  # "·" and spaces?
        start, end = int(starts[dots[i]]), int(ends[dots[i]])
        shape[i] = not lines.data[start + len(_DOT) : end].strip(b" \t")
    return dots[shape]


def _texts(data: bytes, starts: np.ndarray, ends: np.ndarray) -> list[str | None]:
    """The stripped text of each span of ``data``; None where it is not UTF-8.

    Long spans (abstracts) are decoded straight from the buffer, saving a copy;
    for short ones (titles) a bytes slice and ``decode`` is the cheaper call.
    """
    spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
    view, decode = memoryview(data), codecs.utf_8_decode
    try:
        if len(spans) and (ends - starts).mean() < _LONG_SPAN:
            return [data[a:b].decode().strip() for a, b in spans]
        return [decode(view[a:b], None, True)[0].strip() for a, b in spans]
    except UnicodeDecodeError:
        return [_decoded_or_none(view[a:b]) for a, b in spans]


def _decoded_or_none(span: memoryview) -> str | None:
    try:
        return str(span, "utf-8").strip()
    except UnicodeDecodeError:
        return None


def _metas(data: bytes, starts: np.ndarray, ends: np.ndarray) -> list[tuple[bytes, ...] | None]:
    """:data:`STRICT_META`'s groups (authors, date, comments) for each span; None
    where it does not match. One regex pass over the spans joined; one by one
    only when some fail."""
    spans = [data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    joined = b"\x00".join(spans) + b"\x00"
    # With no NUL inside a span, each match is one whole span: all match, in order.
    if joined.count(b"\x00") == len(spans):
        found = _JOINED_META.findall(joined)
        if len(found) == len(spans):
            return cast(list[tuple[bytes, ...] | None], found)
    return [m.groups() if (m := STRICT_META.fullmatch(s)) else None for s in spans]


def _is_text(text: str | None) -> bool:
    """True for a title or abstract the line-by-line parser reads as text, not markup."""
    return bool(text) and text != "·" and not cast(str, text).startswith("•")


def _kept(column: list[T | None], ok: np.ndarray) -> list[T]:
    """The entries of ``column`` where ``ok`` is set (none of them None)."""
    if ok.all():
        return cast(list[T], column)
    return cast(list[T], list(itertools.compress(column, ok)))
