"""The cells of a CSV table as typed values: dates, whole numbers, decisions, author
lists and the columns litreview does not know.

A cell that cannot be read is reported through a :class:`Report`: ``fail`` drops
the row (a date that is no date), ``warn`` keeps the row without the value (a
date or count beyond what the paper table holds, never wrapped around)::

    >>> extra_values(["12", "", "7"]).tolist()
    [12, <NA>, 7]
    >>> extra_values(["1" * 20]).tolist()  # beyond Int64: kept as text, not wrapped
    ['11111111111111111111']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from litreview.readers._limits import COUNT_RANGE, DATE_RANGE, checked_datetimes, count_in_range
from litreview.schema import DATETIME, DECISIONS

_WHOLE = re.compile(r"\s*[+-]?\d+\s*")
_DECIMAL = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_EXACT_FLOAT = 2**53  # whole numbers up to this are exact as floats


@dataclass(frozen=True)
class Report:
    """How a column's converter reports cell ``k``: ``fail`` drops its row, ``warn``
    keeps the row without the value."""

    on_fail: Any
    on_warn: Any
    column: int

    def fail(self, k: int, expected: str) -> None:
        self.on_fail(k, self.column, expected)

    def warn(self, k: int, expected: str) -> None:
        self.on_warn(k, self.column, expected)


def split_authors(cell: str) -> list[str]:
    """``'A. Smith; B. Jones'``, ``'Smith, A. and Jones, B.'`` or ``'Ann Smith, Bo Jones'``."""
    cell = cell.strip()
    if not cell:
        return []
    if ";" in cell:
        parts = cell.split(";")
    elif re.search(r"\s+and\s+", cell):
        parts = re.split(r"\s+and\s+", cell)
    elif "," in cell and all(len(p.split()) >= 2 for p in cell.split(",")):
        parts = cell.split(",")
    else:
        parts = [cell]
    return [p.strip() for p in parts if p.strip()]


def dates(cells: list[str], report: Report, expected: str) -> np.ndarray:
    """Dates as ``datetime64[ns]``; one outside its range is NaT and reported, not wrapped."""
    series = pd.Series([c.strip() or None for c in cells], dtype=object)
    parsed = pd.to_datetime(series, format="mixed", utc=True, errors="coerce")
    for k in np.flatnonzero(parsed.isna().to_numpy() & series.notna().to_numpy()):
        report.fail(int(k), expected)
    values = parsed.dt.tz_localize(None).to_numpy()  # pandas' own unit: no wrapping yet
    if values.dtype == DATETIME:
        return values
    checked, out_of_range = checked_datetimes(values, range(len(cells)), "", cells)
    for problem in out_of_range:
        report.warn(problem.line, DATE_RANGE)
    return checked


def ints(cells: list[str], report: Report, *, keep_bad: bool = False) -> list[int | None]:
    """Whole numbers (``12`` or ``12.0``); one beyond Int64 is None and reported.

    A cell that is no whole number fails its row, or with ``keep_bad`` (a count in
    another tool's column) leaves the row without the value, reported.
    """
    out: list[int | None] = []
    for k, cell in enumerate(cells):
        cell = cell.strip()
        if not cell:
            out.append(None)
            continue
        try:
            out.append(int(cell))
        except ValueError:
            try:
                number = float(cell)
            except ValueError:
                number = float("nan")
            if number.is_integer():
                out.append(int(number))
            elif number in (float("inf"), float("-inf")):  # 1e400: a number, out of range
                out.append(10**400)
            else:
                (report.warn if keep_bad else report.fail)(k, "a whole number")
                out.append(None)
        if out[-1] is not None and not count_in_range(out[-1]):
            report.warn(k, COUNT_RANGE)
            out[-1] = None
    return out


def decisions(cells: list[str], report: Report) -> list[str | None]:
    out: list[str | None] = []
    for k, cell in enumerate(cells):
        value = cell.strip().lower()
        if value and value not in DECISIONS:
            report.fail(k, "a decision: " + ", ".join(DECISIONS))
        out.append(value if value in DECISIONS else None)
    return out


def extra_values(cells: list[str]) -> pd.Series:
    """An unknown column: whole numbers as Int64 (when they all fit), other decimal
    numbers as Float64, else the text unchanged. A few Python calls per cell and
    no per-column pandas parsing: a table of many columns reads in linear time."""
    present = [c for c in cells if c != ""]
    if present and all(_WHOLE.fullmatch(c) for c in present):
        ints = [int(c) if c != "" else None for c in cells]
        if all(v is None or count_in_range(v) for v in ints):
            return pd.Series(ints, dtype="Int64")
    elif present and all(_DECIMAL.fullmatch(c) for c in present):
        floats = [float(c) if c != "" else None for c in cells]
        if all(v is None or (v.is_integer() and abs(v) < _EXACT_FLOAT) for v in floats):
            return pd.Series([None if v is None else int(v) for v in floats], dtype="Int64")
        return pd.Series(floats, dtype="Float64")
    cells_or_na = np.array([c if c != "" else pd.NA for c in cells], dtype=object)
    return pd.Series(pd.arrays.StringArray(cells_or_na), copy=False)
