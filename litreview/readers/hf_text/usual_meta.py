"""The author/date block of many papers at once, when it has its usual spelling::

      • 28 authors
    ·
    May 23, 2021 5

:func:`usual_metas` checks the author and date lines with numpy, 8 bytes at a time, against
that one spelling (two spaces, ``•``, a space, 1-3 digits, `` authors``; a month's three
letters, a day of 1 or 2 digits, ``,``, a 4-digit year, an optional space and 1-3 digits
of comments) and reads their numbers. It accepts a subset of what the bulk reader's
regex (:data:`.bulk.STRICT_META`) matches and reads the same numbers from it; any other
block, an impossible date and a block in the last bytes of the buffer (no 8 bytes to
read there) are left to that regex (``ok`` is False there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_WORD = np.dtype("<u8")  # 8 bytes from any offset, little-endian: byte k is bits 8k..8k+7


def _le(text: bytes) -> int:
    return int.from_bytes(text, "little")


_AUTHORS_HEAD = "  • ".encode()  # 6 bytes; the first digits follow in the same word
_AUTHORS_TAIL = _le(b" authors")
_HEAD_MASK = (1 << 8 * len(_AUTHORS_HEAD)) - 1
_MONTHS: tuple[bytes, ...] = (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun")
_MONTHS += (b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec")
_KEYS = np.array([_le(m) for m in _MONTHS], dtype=np.int64)
_ORDER = np.argsort(_KEYS)
_SORTED_KEYS, _SORTED_MONTHS = _KEYS[_ORDER], _ORDER + 1
DIGITS = 3  # at most: longer counts are the regex's (it reads up to 18)
_ZERO, _SPACE, _COMMA = ord("0"), ord(" "), ord(",")


@dataclass(frozen=True)
class UsualMetas:
    """Per block: whether it has the usual spelling and a possible date (``ok``), and
    where it does, its author count, its date (days since 1970-01-01) and comments."""

    ok: np.ndarray
    n_authors: np.ndarray
    days: np.ndarray
    comments: np.ndarray


def usual_metas(
    codes: np.ndarray,
    author_starts: np.ndarray,
    author_ends: np.ndarray,
    date_starts: np.ndarray,
    date_ends: np.ndarray,
) -> UsualMetas:
    """Read the author lines ``codes[author_starts:author_ends]`` and the date lines
    ``codes[date_starts:date_ends]`` (the ``·`` line between them is checked by the caller).

    >>> text = "  • 28 authors\\n·\\nMay 3, 2021 7".encode()
    >>> at = [0, text.index(b"\\n"), text.rindex(b"\\n") + 1, len(text)]
    >>> got = usual_metas(np.frombuffer(text, dtype=np.uint8), *np.array([at]).T)
    >>> got.ok.tolist(), got.n_authors.tolist(), got.days.tolist(), got.comments.tolist()
    ([True], [28], [18750], [7])
    """
    words = _words(codes)
    # "  • " + 1-3 digits + " authors"
    digits = author_ends - author_starts - len(_AUTHORS_HEAD) - len(" authors")
    head, fits = _take(words, author_starts)
    tail, fits_tail = _take(words, author_ends - len(" authors"))
    ok = fits & fits_tail & (digits >= 1) & (digits <= DIGITS)
    ok &= ((head & _HEAD_MASK) == _le(_AUTHORS_HEAD)) & (tail == _AUTHORS_TAIL)
    third = np.take(codes, author_starts + 8, mode="clip").astype(np.int64)
    n_authors, counted = _number([_byte(head, 6), _byte(head, 7), third], digits)
    ok &= counted
    # "Mon D, YYYY" or "Mon DD, YYYY", then nothing or " " + 1-3 digits
    date, fits = _take(words, date_starts)
    key = (date & 0xFFFFFF).astype(np.int64)
    at = np.minimum(np.searchsorted(_SORTED_KEYS, key), len(_SORTED_KEYS) - 1)
    month = np.where(_SORTED_KEYS[at] == key, _SORTED_MONTHS[at], 0)
    ok &= fits & (month > 0) & (_byte(date, 3) == _SPACE)
    two = _is_digit(_byte(date, 5))  # a day of two digits: the rest stands one byte later
    day, counted = _number([_byte(date, 4), _byte(date, 5)], np.where(two, 2, 1))
    ok &= counted
    rest_at = date_starts + 5 + two  # ", YYYY 1" then the other comment digits
    rest, fits = _take(words, rest_at)
    ok &= fits & (_byte(rest, 0) == _COMMA) & (_byte(rest, 1) == _SPACE)
    year, counted = _number([_byte(rest, k) for k in range(2, 6)], np.full(len(rest), 4))
    ok &= counted & (year >= 1)
    after = date_ends - date_starts - 11 - two  # 0, or " " and the comments
    spaced = (after >= 2) & (after <= DIGITS + 1)
    ok &= (after == 0) | (spaced & (_byte(rest, 6) == _SPACE))
    more = [np.take(codes, rest_at + k, mode="clip").astype(np.int64) for k in (8, 9)]
    comments, counted = _number([_byte(rest, 7), *more], np.where(spaced, after - 1, 0))
    ok &= counted
    days, possible = _days(year, month, day)
    return UsualMetas(ok & possible, n_authors, days, comments)


def _words(codes: np.ndarray) -> np.ndarray:
    """The 8 bytes of ``codes`` from each offset as one little-endian integer (a view)."""
    if len(codes) < _WORD.itemsize:
        return np.zeros(0, dtype=_WORD)
    return np.ndarray((len(codes) - _WORD.itemsize + 1,), _WORD, buffer=codes, strides=(1,))


def _take(words: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The word at each start, and whether it has one (else the word is garbage: the
    block it belongs to is left to the regex). Indexing, not ``np.take``, which copies
    the unaligned view of every offset first."""
    fits = (starts >= 0) & (starts < len(words))
    if not len(words):
        return np.zeros(len(starts), dtype=_WORD), fits
    return words[np.clip(starts, 0, len(words) - 1)], fits


def _byte(words: np.ndarray, k: int) -> np.ndarray:
    return ((words >> (8 * k)) & 0xFF).astype(np.int64)


def _is_digit(code: np.ndarray) -> np.ndarray:
    return (code >= _ZERO) & (code <= _ZERO + 9)


def _number(columns: list[np.ndarray], count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The number written by the first ``count`` of the byte ``columns`` of each row,
    and whether they are all digits (0 and True for a count of 0)."""
    value = np.zeros(len(count), dtype=np.int64)
    ok = np.ones(len(count), dtype=bool)
    for j, code in enumerate(columns):
        used = j < count
        ok &= ~used | _is_digit(code)
        value = np.where(used, value * 10 + code - _ZERO, value)
    return value, ok


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of each date (proleptic Gregorian, as ``datetime.date``),
    and whether the day exists in its month (garbage where it does not)."""
    months = (year - 1970) * 12 + np.maximum(month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    days = first + day - 1
    return days, (day >= 1) & (days < following)
