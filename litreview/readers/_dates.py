"""Month names and day numbers shared by the listing readers.

>>> days_since_epoch(1970, "Jan", "2")
1
>>> DAY_NUMBERS[b"Feb 29, 2023"] is None  # no such day
True
"""

from __future__ import annotations

import datetime as dt

#: Month abbreviation (lower case, 3 letters, also "sept") -> month number.
MONTHS = {
    name: number
    for number, names in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"],
        start=1,
    )
    for name in names.split()
}
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def days_since_epoch(year: int, month: str, day: str) -> int | None:
    """Days since 1970-01-01 of a date given by month name, or None for an impossible date."""
    try:
        return dt.date(year, MONTHS[month[:3].lower()], int(day)).toordinal() - EPOCH_ORDINAL
    except (ValueError, KeyError):
        return None


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
