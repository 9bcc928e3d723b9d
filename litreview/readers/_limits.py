"""What the paper table can hold, and the problem reported for a value beyond it.

Dates are stored as ``datetime64[us]`` (:data:`litreview.schema.DATETIME`, which
holds any year); a paper's date is read for the years 1000 to 2999, each exactly
(a year beyond is a typo, not a publication date: ``3024`` for ``2024``); counts
as ``Int64``. A value outside is never wrapped around: the paper is kept without
it and a :class:`Problem` (``kept=True``) names the value::

    >>> days = np.array([0, 400_000], dtype=np.int64)
    >>> out, problems = checked_days(days, [3, 9], "x.txt")
    >>> out.tolist(), str(problems[0])[:45]
    ([0, -9223372036854775808], 'x.txt:9: expected a date between 1000-01-01 a')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from litreview.errors import Problem

#: The first and last days a paper's date is read for.
FIRST_DAY = dt.date(1000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
EPOCH = dt.date(1970, 1, 1)
FIRST_DAY_NUMBER = (FIRST_DAY - EPOCH).days
LAST_DAY_NUMBER = (LAST_DAY - EPOCH).days
INT64_MAX = 2**63 - 1
NAT = np.iinfo(np.int64).min  # NaT as the int64 behind datetime64
DATE_RANGE = f"a date between {FIRST_DAY} and {LAST_DAY} (the range litreview reads)"
COUNT_RANGE = f"a count up to {INT64_MAX:,}"
LEFT_OUT = "the paper is kept without it"


def date_in_range(day: dt.date) -> bool:
    """True when ``day`` fits in the paper table's ``published`` column."""
    return FIRST_DAY <= day <= LAST_DAY


def count_in_range(value: int) -> bool:
    """True when ``value`` fits in an ``Int64`` column."""
    return -INT64_MAX - 1 <= value <= INT64_MAX


def date_problem(source: str, line: int, value: object) -> Problem:
    """The paper at ``line`` is kept without its date ``value``."""
    return Problem(source, line, str(value), DATE_RANGE, kept=True, note=LEFT_OUT)


def count_problem(source: str, line: int, column: str, value: object) -> Problem:
    """The paper at ``line`` is kept without its ``column`` count ``value``."""
    return Problem(source, line, f"{column}={value}", COUNT_RANGE, kept=True, note=LEFT_OUT)


def checked_days(
    days: np.ndarray, lines: Sequence[int], source: str
) -> tuple[np.ndarray, list[Problem]]:
    """``days`` (int64 days since 1970, NaT allowed) with every day out of range
    made NaT, and a problem for each (one vectorised test: no cost when all fit)."""
    bad = (days != NAT) & ((days < FIRST_DAY_NUMBER) | (days > LAST_DAY_NUMBER))
    if not bad.any():
        return days, []
    problems = []
    for k in np.flatnonzero(bad).tolist():
        shown = np.datetime64(int(days[k]), "D")
        problems.append(date_problem(source, int(lines[k]), shown))
    days = days.copy()
    days[bad] = NAT
    return days, problems


_LOW = np.datetime64(FIRST_DAY, "us")
_HIGH = np.datetime64(dt.datetime(2999, 12, 31, 23, 59, 59, 999999), "us")


def checked_datetimes(
    values: np.ndarray, lines: Sequence[int], source: str, shown: Sequence[object]
) -> tuple[np.ndarray, list[Problem]]:
    """``values`` (any ``datetime64`` unit) as ``datetime64[us]``: those out of range
    become NaT with a problem each (showing ``shown[k]``), instead of wrapping around.

    A coarse unit (days, years) is compared before it is converted, so a year beyond
    what microseconds hold is reported, not wrapped."""
    unit = np.datetime_data(values.dtype)[0]
    coarse = values if unit in ("Y", "M", "W", "D") else values.astype("datetime64[us]")
    low, high = _LOW.astype(coarse.dtype), _HIGH.astype(coarse.dtype)
    bad = ~np.isnat(coarse) & ((coarse < low) | (coarse > high))
    problems = [date_problem(source, int(lines[k]), shown[k]) for k in np.flatnonzero(bad).tolist()]
    coarse = coarse.copy()
    coarse[bad] = np.datetime64("NaT")
    return coarse.astype("datetime64[us]"), problems
