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

from litreview._links import find_urls
from litreview.ids import normalize_doi
from litreview.readers._dates import MONTHS, parse_date
from litreview.readers._limits import (
    COUNT_RANGE,
    DATE_RANGE,
    checked_datetimes,
    count_in_range,
)
from litreview.schema import (
    ANNOTATION_COLUMNS,
    DECISIONS,
    PAPER_COLUMNS,
)

_WHOLE = re.compile(r"\s*[+-]?\d+\s*")
_DECIMAL = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_EXACT_FLOAT = 2**53  # whole numbers up to this are exact as floats
OWN_COLUMNS: dict[str, Any] = {**PAPER_COLUMNS, **ANNOTATION_COLUMNS}


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

    def keep(self, k: int) -> None:
        """Cell ``k`` is read, but the tool's own text is kept too (in ``extra``)."""
        self.on_warn(k, self.column, None)


#: What databases write where they have no value: Scopus ``[No author name available]``,
#: ``[No title available]``, WoS ``[Anonymous]``, ``n/a``.
NO_VALUE = re.compile(
    r"\s*(?:\[(?:no [^\]]*available|anonymous|anon\.?|not available|n/?a)\]|n/a|anon\.?)\s*",
    re.IGNORECASE,
)


def split_authors(cell: str, *, run_together: bool = False) -> list[str]:
    """``'A. Smith; B. Jones'``, ``'Smith, A. and Jones, B.'`` or ``'Ann Smith, Bo Jones'``;
    with ``run_together`` (Springer Link), names written one after the other::

        >>> split_authors("Maria SilvaJohn McDonaldAna van der Berg", run_together=True)
        ['Maria Silva', 'John McDonald', 'Ana van der Berg']
    """
    cell = cell.strip()
    if not cell or NO_VALUE.fullmatch(cell):
        return []
    if run_together and not re.search(r"[;,]|\sand\s", cell):
        return split_run_together(cell)
    if ";" in cell:
        parts = cell.split(";")
    elif re.search(r"\s+and\s+", cell):
        parts = re.split(r"\s+and\s+", cell)
    elif "," in cell and all(len(p.split()) >= 2 for p in cell.split(",")):
        parts = cell.split(",")
    else:
        parts = [cell]
    return [p.strip() for p in parts if p.strip() and not NO_VALUE.fullmatch(p)]


#: Name parts that run into a capital inside one name (McDonald, DiCaprio, O'Neil …).
_NAME_PREFIXES = frozenset(
    [
        "mc",
        "mac",
        "di",
        "de",
        "da",
        "du",
        "le",
        "la",
        "van",
        "von",
        "del",
        "della",
        "des",
        "fitz",
        "st",
        "o",
        "d",
        "l",
    ]
)
_RUN_TOGETHER = re.compile(r"(?<=[^\W\d_])(?=[^\W\d_])")


def split_run_together(cell: str) -> list[str]:
    """Names concatenated without a separator (``'Jane SmithJohn Doe'``), split where a
    lower-case letter meets a capital, unless the name part before it is a prefix
    (``Mc``, ``Mac``, ``Di``, ``De``, ``Le``, ``O'``…) or the name would be a lone word::

        >>> split_run_together("Leonardo DiCaprioJean-Luc LeBlancMary O'NeilWei Zhang")
        ['Leonardo DiCaprio', 'Jean-Luc LeBlanc', "Mary O'Neil", 'Wei Zhang']
    """
    names: list[str] = []
    start = 0
    for match in _RUN_TOGETHER.finditer(cell):
        at = match.start()
        if not (cell[at - 1].islower() and cell[at].isupper()):
            continue
        name = cell[start:at]
        part = re.split(r"[\s'\u2019-]", name)[-1].lower()
        if part in _NAME_PREFIXES or not re.search(r"\S\s+\S", name):
            continue
        names.append(name.strip())
        start = at
    names.append(cell[start:].strip())
    return [n for n in names if n]


_YEAR_ONLY = re.compile(r"\s*[12]\d{3}\s*")
_MONTH_YEAR = re.compile(r"\s*(?:[^\W\d_]{3,9}\.?,?\s+[12]\d{3}|[12]\d{3}[-/.]\d{1,2})\s*")
PRECISIONS = ("year", "month", "day")


def precision_of(cell: str) -> str:
    """How much a date cell says: ``'2019'`` a year, ``'June 1980'`` a month, else a day.

    >>> precision_of("2019"), precision_of("Jun 2019"), precision_of("2019-06-03")
    ('year', 'month', 'day')
    """
    if _YEAR_ONLY.fullmatch(cell):
        return "year"
    return "month" if _MONTH_YEAR.fullmatch(cell) else "day"


def dated(cells: list[str], report: Report, expected: str) -> tuple[np.ndarray, list[str | None]]:
    """Dates as ``datetime64[ns]`` and each one's precision (``year``/``month``/``day``).

    A cell pandas cannot read is read as far as :func:`~litreview.readers._dates.parse_date`
    goes (``1982--1983``, ``1875 [2004]``, ``ca. 1998``: the year), its text kept in
    ``extra``; a cell that names no year keeps its row without a date, reported; a date
    outside the table's range is NaT and reported, never wrapped around.
    """
    series = pd.Series([c.strip() or None for c in cells], dtype=object)
    parsed = pd.to_datetime(series, format="mixed", utc=True, errors="coerce")
    precision: list[str | None] = [None if c is None else precision_of(c) for c in series]
    bad = np.flatnonzero(parsed.isna().to_numpy() & series.notna().to_numpy()).tolist()
    if bad:
        salvaged = pd.Series(parsed.dt.tz_localize(None), dtype=object)
        for k in bad:
            found = parse_date(cells[k])  # ranges, seasons, 'ca. 1998', '1875 [2004]' …
            if found is None:
                report.warn(k, expected)
            else:
                report.keep(k)  # read as far as it goes; its text is kept in extra
            precision[k] = None if found is None else found[1]
            salvaged[k] = None if found is None else pd.Timestamp(found[0])
        values = _as_datetimes(salvaged, cells, report)
    else:
        values = _as_datetimes(parsed.dt.tz_localize(None), cells, report)
    for k in np.flatnonzero(np.isnat(values)).tolist():
        precision[k] = None
    return values, precision


def _as_datetimes(series: pd.Series, cells: list[str], report: Report) -> np.ndarray:
    if series.dtype == object:  # salvaged years: maybe beyond what a Timestamp holds
        out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[us]")
        for k, value in enumerate(series):
            if value is not None and not pd.isna(value):
                try:
                    out[k] = np.datetime64(value.to_pydatetime(), "us")
                except (ValueError, OverflowError):  # a year Python's datetime has not
                    report.warn(k, DATE_RANGE)
        values = out
    else:
        values = series.to_numpy()  # pandas' own unit: no wrapping yet
    checked, out_of_range = checked_datetimes(values, range(len(cells)), "", cells)
    for problem in out_of_range:
        report.warn(problem.line, DATE_RANGE)
    return checked


def dates(cells: list[str], report: Report, expected: str) -> np.ndarray:
    """:func:`dated` without the precisions."""
    return dated(cells, report, expected)[0]


_MONTH_DAY = re.compile(r"\s*([^\W\d_]{3,9})\.?(?:\s*[-/]\s*[^\W\d_]{3,9}\.?)?(?:\s+(\d{1,2}))?\s*")
_SEASONS = frozenset(
    ["spr", "spring", "sum", "summer", "fal", "fall", "aut", "autumn", "win", "winter"]
)


def month_day(cell: str) -> tuple[int | None, int | None] | None:
    """The month and day of a month cell (WoS ``PD``, a ``Month`` column); ``(None, None)``
    for a season or an empty cell, None when it is no month::

        >>> month_day("MAR 15"), month_day("JAN-FEB"), month_day("6"), month_day("SPR")
        ((3, 15), (1, None), (6, None), (None, None))
    """
    cell = re.sub(r"[\s,]+[12]\d{3}$", "", cell.strip())
    if not cell or _YEAR_ONLY.fullmatch(cell):
        return None, None
    if cell.isdigit():
        return (int(cell), None) if 1 <= int(cell) <= 12 else None
    match = _MONTH_DAY.fullmatch(cell)
    if match is None:
        return None
    name = match.group(1).lower()
    if name in _SEASONS:
        return None, None
    month = MONTHS.get(name[:4] if name.startswith("sept") else name[:3])
    if month is None or (len(name) > 3 and not _MONTH_NAMES[month - 1].startswith(name)):
        return None
    day = int(match.group(2)) if match.group(2) else None
    return month, day if day is None or 1 <= day <= 31 else None


_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


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


def clean_doi(cell: str) -> str | None:
    """The bare DOI of a cell (:func:`litreview.ids.normalize_doi`: no ``https://doi.org/``,
    ``doi:`` or ``DOI`` prefix), or None when the cell holds none::

        >>> clean_doi("https://doi.org/10.1000/x%3C1%3E"), clean_doi("doi: 10.1234/5")
        ('10.1000/x<1>', '10.1234/5')
        >>> clean_doi("n/a") is None
        True
    """
    return normalize_doi(cell)


def links(cell: str) -> list[str]:
    """Every link in a cell, whole (a ``;`` or ``,`` inside a URL is part of it)::

    >>> links("https://github.com/a/b; https://doi.org/10.1002/(SICI)1097-4571;2-P")
    ['https://github.com/a/b', 'https://doi.org/10.1002/(SICI)1097-4571;2-P']
    """
    return find_urls(cell)


def split_terms(cell: str) -> list[str]:
    """Keywords or tags: ``'a; b, c'`` -> ``['a', 'b', 'c']``."""
    return [t.strip() for t in re.split(r"[;,]", cell) if t.strip()]
