"""Cells that a spreadsheet program would run as a formula, made inert.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with a single quote, which
Excel, LibreOffice and Google Sheets show as text and never evaluate. A cell
that already starts with quotes before such a character gets one more, so
:func:`restore_cell` gives back exactly what was written::

    >>> neutralize_cell("=HYPERLINK(\\"http://evil\\")")
    '\\'=HYPERLINK("http://evil")'
    >>> neutralize_cell("Vision transformers"), neutralize_cell("'=1"), restore_cell("''=1")
    ('Vision transformers', "''=1", "'=1")

Only the exports meant for spreadsheets use it (``to_csv(excel=True)`` and
annotation CSVs); the plain CSV stays a lossless round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: A cell :func:`neutralize_cell` must quote: a formula start, after any quotes.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralize_cell(text: str) -> str:
    """``text`` prefixed with ``'`` when it starts like a formula (after any quotes),
    else unchanged."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def restore_cell(text: str) -> str:
    """The cell :func:`neutralize_cell` was given (one quote before a formula start dropped)."""
    return text[1:] if _QUOTED.match(text) else text


def neutralize_cells(cells: Iterable[str]) -> list[str]:
    """:func:`neutralize_cell` over a column of cells.

    >>> neutralize_cells(["@SUM(A1)", "ok", ""])
    ["'@SUM(A1)", 'ok', '']
    """
    return [neutralize_cell(cell) for cell in cells]
