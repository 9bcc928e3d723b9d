"""Cells that a spreadsheet program would run as a formula, made inert.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with a single quote, which
Excel, LibreOffice and Google Sheets show as text and never evaluate::

    >>> neutralize_cell("=HYPERLINK(\\"http://evil\\")")
    '\\'=HYPERLINK("http://evil")'
    >>> neutralize_cell("Vision transformers")
    'Vision transformers'

Only the exports meant for spreadsheets use it (``to_csv(excel=True)`` and
annotation CSVs); the plain CSV stays a lossless round trip.
"""

from __future__ import annotations

from collections.abc import Iterable

#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(text: str) -> str:
    """``text`` prefixed with ``'`` when it starts like a formula, else unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def neutralize_cells(cells: Iterable[str]) -> list[str]:
    """:func:`neutralize_cell` over a column of cells.

    >>> neutralize_cells(["@SUM(A1)", "ok", ""])
    ["'@SUM(A1)", 'ok', '']
    """
    return [neutralize_cell(cell) for cell in cells]
