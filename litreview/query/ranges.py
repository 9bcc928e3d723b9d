"""Ranges in queries: ``year:2021..2023``, ``authors:>10``, ``published:2024-01..2024-06``.

Every range becomes a half-open :class:`~litreview.query.ast.Range`
``[lo, hi)``; a year, month or day given as a bound stands for the whole period.

>>> r = number_range("authors", ">10", "authors:>10", 8)
>>> r.lo, r.hi
(11, None)
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import numpy as np

from litreview.errors import QueryError
from litreview.query.ast import Range

_CMP = re.compile(r"^(>=|<=|>|<|=)?(.+)$")


def _split_range(value: str) -> tuple[str, str, str]:
    """('>=', '2024', '') for comparisons, ('..', lo, hi) for ranges."""
    if ".." in value:
        lo, _, hi = value.partition("..")
        return "..", lo, hi
    m = _CMP.match(value)
    if m is None:  # empty value: the caller reports it
        return "=", "", ""
    return m.group(1) or "=", m.group(2), ""


def number_range(field: str, value: str, query: str, pos: int) -> Range:
    """year:2021..2023, authors:>10, rating:>=4, comments:0 ... as a half-open Range."""
    expected = f"a number, a range like {field}:1..5, or a comparison like {field}:>=2"

    def num(text: str, at: int) -> int:
        if not re.fullmatch(r"\d+", text):
            raise QueryError(f"expected {expected}", query, at)
        return int(text)

    op, a, b = _split_range(value)
    if op == "..":
        if not a and not b:
            raise QueryError(f"expected {expected}", query, pos)
        lo = num(a, pos) if a else None
        hi = num(b, pos + len(a) + 2) + 1 if b else None
        if lo is not None and hi is not None and lo >= hi:
            raise QueryError(
                f"empty range: expected the lower bound first in {value!r}", query, pos
            )
    else:
        v = num(b or a, pos + (len(op) if value[0] in "<>=" else 0))
        lo, hi = {"=": (v, v + 1), ">": (v + 1, None), ">=": (v, None),
                  "<": (None, v), "<=": (None, v + 1)}[op]  # fmt: skip
    return Range(field, lo, hi, value, pos)


def period(text: str, query: str, pos: int) -> tuple[int, int]:
    """[start, end) of a year, month or day as int64 microseconds since the epoch (the
    unit of ``published``: any year, so ``year:1500`` and ``published:1066`` work).

    >>> period("2024-02", "", 0)[1] - period("2024-02", "", 0)[0] == 29 * 86_400 * 10**6
    True
    >>> period("1500", "", 0)[0] < 0
    True
    """
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    try:
        if m is None:
            raise ValueError(text)
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        start: Any
        end: Any
        if d is not None:
            start = np.datetime64(date(y, int(mo), int(d)), "D")
            end = start + np.timedelta64(1, "D")
        elif mo is not None:
            start = np.datetime64(date(y, int(mo), 1), "M")
            end = start + np.timedelta64(1, "M")
        else:
            start = np.datetime64(date(y, 1, 1), "Y")
            end = start + np.timedelta64(1, "Y")
    except ValueError:
        raise QueryError("expected a date like 2024, 2024-06 or 2024-06-30", query, pos) from None
    as_us = (
        start.astype("datetime64[us]").astype(np.int64),
        end.astype("datetime64[us]").astype(np.int64),
    )
    return int(as_us[0]), int(as_us[1])


def date_range(field: str, value: str, query: str, pos: int) -> Range:
    """published:2024-01..2024-06 (both months included), published:>=2024-03 ..."""
    op, a, b = _split_range(value)
    if op == "..":
        if not a and not b:
            raise QueryError("expected a date range like 2024-01..2024-06", query, pos)
        lo = period(a, query, pos)[0] if a else None
        hi = period(b, query, pos + len(a) + 2)[1] if b else None
        if lo is not None and hi is not None and lo >= hi:
            raise QueryError(
                f"empty range: expected the earlier date first in {value!r}", query, pos
            )
        return Range(field, lo, hi, value, pos)
    start, end = period(b or a, query, pos + (len(op) if value[0] in "<>=" else 0))
    lo, hi = {"=": (start, end), ">": (end, None), ">=": (start, None),
              "<": (None, start), "<=": (None, end)}[op]  # fmt: skip
    return Range(field, lo, hi, value, pos)
