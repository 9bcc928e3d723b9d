"""Dates as sources write them, read to a day and the precision the source gave.

>>> days_since_epoch(1970, "Jan", "2")
1
>>> DAY_NUMBERS[b"Feb 29, 2023"] is None  # no such day
True
>>> parse_date("June 1980"), parse_date("1875 [2004]")
((datetime.date(1980, 6, 1), 'month'), (datetime.date(1875, 1, 1), 'year'))
>>> parse_date("2019-21")  # an EDTF season: the year
(datetime.date(2019, 1, 1), 'year')

Every form keeps what it can: the year, then the month, then the day
(``date_precision`` is ``'year'``, ``'month'`` or ``'day'``). Read are ISO dates and
their parts (``2019-05-17``, ``2019-05``, ``2019``, ``2019/05/17/``), RIS dates
(``2011///Spring``), EDTF (``2019?``, ``2019-05~``, ``2019-21`` seasons, intervals
``2019/2020``), ranges (``1982--1983``, ``1984/1986``: the first year), month names
(``June 1980``, ``17 Jun. 1980``, ``June 17, 1980``, ``1980 Jun 17``, ``JUN-DEC``),
and a reprint's original year (``1875 [2004]``: 1875).
"""

from __future__ import annotations

import datetime as dt
import re

#: Month abbreviation (lower case, 3 letters, also "sept") -> month number.
MONTHS = {
    name: number
    for number, names in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"],
        start=1,
    )
    for name in names.split()
}
_FULL = [
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
#: Every spelling of a month read as one: its full name and each prefix of 3 letters or more.
MONTH_WORDS: dict[str, int] = {
    name[:k]: number for number, name in enumerate(_FULL, start=1) for k in range(3, len(name) + 1)
}
MONTH_WORDS["sept"] = 9
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
PRECISIONS = ("year", "month", "day")

_ISO = re.compile(
    r"(?P<year>\d{4})(?![\d])[?~%]?"
    r"(?:[-/.](?P<month>\d{1,2})(?!\d)[?~%]?(?:[-/.](?P<day>\d{1,2})(?!\d)[?~%]?)?)?"
)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def days_since_epoch(year: int, month: str, day: str) -> int | None:
    """Days since 1970-01-01 of a date given by month name, or None for an impossible date."""
    try:
        return dt.date(year, MONTHS[month[:3].lower()], int(day)).toordinal() - EPOCH_ORDINAL
    except (ValueError, KeyError):
        return None


def month_number(text: str | None) -> int | None:
    """The month a BibTeX ``month`` or RIS ``DA`` part names (``jun``, ``June``, ``6``,
    ``06``, ``Jun.``), or ``None`` (a season, a range's end, anything else).

    >>> month_number("jun"), month_number("{September}"), month_number("06"), month_number("Spring")
    (6, 9, 6, None)
    """
    if not text:
        return None
    word = text.strip().strip("{}\"' .").lower()
    if word.isdigit():
        number = int(word)
        return number if 1 <= number <= 12 else None
    return MONTH_WORDS.get(word)


def make_date(year: int, month: int | None = None, day: int | None = None) -> Date | None:
    """The first day of what is known, and its precision; an impossible month keeps the
    year, an impossible day the month (``None`` only for a year outside 1-9999).

    >>> make_date(2019, 2, 30), make_date(2019, 13)
    ((datetime.date(2019, 2, 1), 'month'), (datetime.date(2019, 1, 1), 'year'))
    """
    if not 1 <= year <= 9999:
        return None
    if month is None or not 1 <= month <= 12:
        return dt.date(year, 1, 1), "year"
    if day is not None:
        try:
            return dt.date(year, month, day), "day"
        except ValueError:
            pass
    return dt.date(year, month, 1), "month"


Date = tuple[dt.date, str]


def parse_date(text: str | None) -> Date | None:
    """The date ``text`` gives, to the precision it gives (see the module docstring), or
    ``None`` when it names no year.

    >>> parse_date("2019/05/17/"), parse_date("17 Jun. 1980")
    ((datetime.date(2019, 5, 17), 'day'), (datetime.date(1980, 6, 17), 'day'))
    >>> parse_date("1982--1983"), parse_date("2019-05~")
    ((datetime.date(1982, 1, 1), 'year'), (datetime.date(2019, 5, 1), 'month'))
    """
    if not text:
        return None
    text = text.strip().strip("{}\"'").strip()
    iso = _ISO.match(text)
    if iso is not None:
        year = int(iso["year"])
        month = int(iso["month"]) if iso["month"] else None
        if month is None:  # 2019 alone, 2019 Jun 17 (PubMed), 2011///Spring
            rest = _named(text[iso.end() :], year)
            if rest is not None:
                return rest
        return make_date(year, month, int(iso["day"]) if iso["day"] else None)
    return _named(text, None)


def _named(text: str, year: int | None) -> Date | None:
    """A date written with a month name (``June 17, 1980``, ``17 June 1980``, ``Jun 1980``);
    ``year`` when the text before gave it already."""
    tokens = _TOKEN.findall(_BRACKETED.sub(" ", text) if "[" in text or "(" in text else text)
    month = month_at = None
    for i, token in enumerate(tokens):
        if year is None and token.isdigit() and len(token) == 4:
            year = int(token)
        elif month is None and not token.isdigit() and token.lower() in MONTH_WORDS:
            month, month_at = MONTH_WORDS[token.lower()], i
    if year is None:
        return None
    day = None
    if month_at is not None:
        for near in (month_at + 1, month_at - 1):
            if 0 <= near < len(tokens) and tokens[near].isdigit() and len(tokens[near]) <= 2:
                day = int(tokens[near])
                break
    return make_date(year, month, day)


def year_month_date(year: str | None, month: str | None, day: str | None = None) -> Date | None:
    """The date of separate year / month / day fields (BibTeX ``year``/``month``, RIS
    ``PY`` with ``DA``, Web of Science ``PY`` with ``PD``): a month that names none
    keeps the year, a ``month`` holding a day (``jun~17``, ``JUN 17``) gives it.

    >>> year_month_date("2011", "Jun"), year_month_date("2011", "Spring")
    ((datetime.date(2011, 6, 1), 'month'), (datetime.date(2011, 1, 1), 'year'))
    >>> year_month_date("2011", "JUN 17"), year_month_date(None, "Jun") is None
    ((datetime.date(2011, 6, 17), 'day'), True)
    """
    found = parse_date(year)
    if found is None:
        return None
    if found[1] != "year" or not (month or day):
        return found
    number = month_number(month)
    if number is None and month:
        named = _named(month, found[0].year)
        if named is not None:
            return named
    day_number = int(day) if day and day.strip().isdigit() else None
    return make_date(found[0].year, number, day_number)


class DayNumbers(dict[bytes, int | None]):
    """:func:`days_since_epoch` of dates written ``b"Feb 26, 2021"``, each worked out
    once: a memo (listings repeat their dates), emptied when it reaches ``limit``."""

    def __init__(self, limit: int = 1 << 16) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, date: bytes) -> int | None:
        if len(self) >= self.limit:
            self.clear()
        month, day, year = date.replace(b",", b" ").split()
        days = self[date] = days_since_epoch(int(year), month.decode(), day.decode())
        return days


#: The memo the readers share (a pure function's results: the same in every run).
DAY_NUMBERS = DayNumbers()
