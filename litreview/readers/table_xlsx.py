"""Reader for ``.xlsx`` workbooks: the Excel exports of Scopus, Web of Science, ASReview,
Rayyan, Covidence, Zotero (via a spreadsheet) and any table a reviewer keeps in Excel.

The workbook is opened with openpyxl in read-only mode (rows streamed, never the whole
file in memory) and closed on every path. The records are on the first sheet whose
header row (one of its first :data:`HEADER_ROWS` rows) has a title column; rows above
the header (an export's banner) are not records. Cells are read as the workbook holds
them: a date cell is that day, a number that number (``2021.0`` is ``2021``), a
formula its last computed value. From there a row goes the way of a CSV row
(:func:`litreview.readers.table_rows.columns_from_rows`), so the same column names,
quirks and problems apply; a problem's line is the sheet's row number.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any

from litreview._open_files import is_open
from litreview.errors import ListingError, Problem
from litreview.readers._io import Source, SourceText, is_listing_text
from litreview.readers.table_rows import ALIASES, Columns, columns_from_rows, normalize_header

#: How far down a sheet its header row may be.
HEADER_ROWS = 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password
_HEAD = "(an .xlsx workbook)\n"
_EXACT_FLOAT = 2**53


def open_xlsx(source: Source) -> SourceText | None:
    """A source for :func:`read` when ``source`` is the path of an ``.xlsx`` workbook
    (by its content, whatever its suffix), else None (read it as text). An ``.xls`` or
    password-protected workbook raises :class:`ListingError` saying how to read it.

    >>> open_xlsx("Title,Year\\nA,2020\\n") is None
    True
    """
    if is_listing_text(source) or not isinstance(source, str | os.PathLike):
        return None
    path = Path(source)
    if is_open(path):  # a review this process has open: never open() it (its locks would go)
        return None
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError:
        return None  # missing, a directory …: the text path says so
    if magic == OLE_MAGIC:
        raise ListingError(
            f"{path.name}: an .xls workbook or a password-protected .xlsx, which litreview "
            "does not read; save it as .xlsx (without a password) or as CSV"
        )
    if not magic.startswith(ZIP_MAGIC) or not _is_workbook(path):
        return None
    return SourceText(path.name, [_HEAD], io.StringIO(""), path)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return path.suffix.lower() == ".xlsx"  # a damaged workbook: read() says what is wrong


def detect(src: SourceText) -> bool:
    """The reader registry's test: a source :func:`open_xlsx` made."""
    return src.path is not None and src.head == [_HEAD]


def read(src: SourceText, year: int | None = None) -> tuple[Columns, list[Problem]]:
    """The reader registry's parse step (``year`` is unused: cells carry their dates)."""
    if src.path is None or not detect(src):
        raise ListingError(f"{src.name}: expected an .xlsx workbook")
    return read_xlsx(src.path)


def read_xlsx(path: Path) -> tuple[Columns, list[Problem]]:
    """The records of the workbook at ``path`` as the paper table's columns and the
    problems found (the workbook is closed on every path)::

        >>> import tempfile, openpyxl
        >>> book = openpyxl.Workbook(); sheet = book.active
        >>> sheet.append(["Document Title", "Publication Year"]); sheet.append(["A", 2021])
        >>> path = Path(tempfile.mkdtemp()) / "x.xlsx"; book.save(path)
        >>> cols, problems = read_xlsx(path)
        >>> cols["title"], str(cols["published"][0])[:10], problems
        (['A'], '2021-01-01', [])
    """
    from openpyxl import load_workbook  # loaded only when a workbook is read

    with path.open("rb") as handle, path.open("rb") as again:  # openpyxl wants .xlsx names
        try:
            values = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ListingError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
        formulas = None
        try:
            formulas = load_workbook(again, read_only=True, data_only=False)
            return _records(values, formulas, path.name)
        except ListingError:
            raise
        except Exception as exc:  # a damaged sheet (bad XML, a bad cell)
            raise ListingError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
        finally:
            values.close()
            if formulas is not None:
                formulas.close()


def _records(values: Any, formulas: Any, name: str) -> tuple[Columns, list[Problem]]:
    """The columns of the first sheet with a header row holding a title column."""
    tried: list[str] = []
    sheets = list(zip(values.worksheets, formulas.worksheets, strict=True))
    for at, (sheet, formula_sheet) in enumerate(sheets):
        rows = _sheet_rows(sheet, formula_sheet)
        header = _header(rows)
        if header is not None:
            columns, problems = columns_from_rows(chain([header], rows), name, " | ", "spreadsheet")
            return columns, problems + _other_record_sheets(sheets[at + 1 :], name)
        tried.append(repr(sheet.title))
    raise ListingError(
        f"{name}: expected a sheet with a header row holding a title column "
        f"(Title, Document Title, TI …) in its first {HEADER_ROWS} rows; "
        f"sheets tried: {', '.join(tried) or 'none'}"
    )


def _other_record_sheets(sheets: list[tuple[Any, Any]], name: str) -> list[Problem]:
    """A problem for each later sheet that holds records too: one sheet is one listing,
    and a workbook's other lists (a tool's "Excluded" next to "Included") are not
    dropped silently."""
    problems = []
    for sheet, formula_sheet in sheets:
        header = _header(_sheet_rows(sheet, formula_sheet))
        if header is not None:
            expected = (
                f"one sheet of records (sheet {sheet.title!r} holds records too and was not "
                "read: save it as a file of its own)"
            )
            problems.append(Problem(name, header[0], " | ".join(header[1]), expected))
    return problems


def _sheet_rows(sheet: Any, formula_sheet: Any) -> Iterator[tuple[int, list[str] | str]]:
    """Each row's cells as text: a formula's last computed value, or the formula itself
    when the workbook holds none (written by a program, never opened in Excel)."""
    for each in (sheet, formula_sheet):
        if hasattr(each, "reset_dimensions"):  # exporters often write a wrong dimension
            each.reset_dimensions()
    pairs = zip_longest(
        sheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True), fillvalue=()
    )
    for number, (row, written) in enumerate(pairs, start=1):
        cells = [
            cell_text(value if value is not None or k >= len(written) else written[k])
            for k, value in enumerate(row)
        ]
        yield number, cells


def _header(rows: Iterator[tuple[int, list[str] | str]]) -> tuple[int, list[str]] | None:
    """The header row (consumed from ``rows``) among the first rows, or None."""
    for number, cells in rows:
        if isinstance(cells, list) and any(
            ALIASES.get(normalize_header(c)) == "title" for c in cells
        ):
            return number, cells
        if number >= HEADER_ROWS:
            return None
    return None


def cell_text(value: Any) -> str:
    """A cell as the text the row pipeline reads: dates as ISO dates (a time only when
    it has one), whole numbers without ``.0``, other numbers exactly::

        >>> cell_text(dt.datetime(2021, 3, 4)), cell_text(2021.0), cell_text(0.1), cell_text(None)
        ('2021-03-04', '2021', '0.1', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return str(int(value))
        return repr(value)
    return str(value)
