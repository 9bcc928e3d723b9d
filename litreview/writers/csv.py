"""CSV export for spreadsheets that ``read_listing`` reads back losslessly.

List cells are joined with ``"; "`` (a ``;`` or ``\\`` inside an item is
escaped with a backslash), dates are ISO 8601, missing values are empty::

    >>> import litreview
    >>> text = to_csv(litreview.read_listing(litreview.SAMPLE_LISTING).head(2))
    >>> text.splitlines()[0][:40]
    'paper_id,title,abstract,n_authors,author'
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from litreview._files import write_atomic
from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS
from litreview.writers._spreadsheet import neutralize_cells

LIST_SEPARATOR = "; "
BOM = "\ufeff"


def to_csv(
    df: pd.DataFrame,
    path: str | os.PathLike[str] | None = None,
    *,
    excel: bool = False,
    overwrite: bool = False,
) -> str:
    """The papers as CSV text (UTF-8); also written to ``path`` when given
    (an existing file is replaced only with ``overwrite=True``).

    Every schema column comes first, then the annotation columns and any
    other column of ``df``. The plain text is a lossless round trip through
    ``read_listing``. ``excel=True`` is for opening in a spreadsheet program:
    the text starts with a byte order mark, lines end with CRLF, and every
    text cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab,
    carriage return) gets a leading ``'`` so it is shown, never run (OWASP's
    rule against CSV injection; the quote stays in the cell if it is read back).

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> litreview.read_listing(to_csv(df))["title"].equals(df["title"])
    True
    >>> df.loc[0, "title"] = "=1+1"
    >>> ",'=1+1," in to_csv(df.head(1), excel=True), ",=1+1," in to_csv(df.head(1))
    (True, True)
    """
    names = csv_columns(df)
    cells = [_cells(df[name]) if name in df.columns else [""] * len(df) for name in names]
    if excel:
        names = neutralize_cells(names)
        cells = [
            column if name in df.columns and _is_typed(df[name]) else neutralize_cells(column)
            for name, column in zip(names, cells, strict=True)
        ]
    terminator = "\r\n" if excel else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(names)
    writer.writerows(zip(*cells, strict=True))
    body = out.getvalue()
    if not excel and "\r" in body:  # rare: a cell holds a carriage return
        body = _quoting_carriage_returns(names, cells)
    text = (BOM if excel else "") + body
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def csv_pieces(df: pd.DataFrame, rows: int, *, excel: bool = False) -> Iterator[str]:
    """:func:`to_csv`'s text for ``df`` in pieces of ``rows`` papers (joined, the same
    text): what a file of many papers is written from, holding one piece at a time.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> "".join(csv_pieces(df, 5)) == to_csv(df)
    True
    """
    header = to_csv(df.iloc[:0], excel=excel)  # the names row (after the BOM)
    yield header
    for start in range(0, len(df), rows):
        text = to_csv(df.iloc[start : start + rows], excel=excel)
        assert text.startswith(header)
        yield text[len(header) :]


def _quoting_carriage_returns(names: list[str], cells: list[list[str]]) -> str:
    """The CSV text with ``\\n`` line ends, quoting every cell that holds a ``\\r``.

    The csv module quotes only the characters of its line terminator, so with
    ``\\n`` a lone ``\\r`` would be written bare and read back as a line break
    (RFC 4180 wants it quoted). Each row is written with ``\\r\\n`` (so such cells
    are quoted) and its terminator then replaced.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = [names, *zip(*cells, strict=True)]
    lines = []
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        lines.append(out.getvalue().removesuffix("\r\n"))
    return "\n".join(lines) + "\n"


def csv_columns(df: pd.DataFrame) -> list[str]:
    """Schema columns, then the annotation columns ``df`` has, then its other columns."""
    annotations = [c for c in ANNOTATION_COLUMNS if c in df.columns]
    known = {*PAPER_COLUMNS, *annotations}
    return [*PAPER_COLUMNS, *annotations, *(str(c) for c in df.columns if c not in known)]


def _is_typed(series: pd.Series) -> bool:
    """Numbers, booleans and dates: their cells are values (``-3``), never formulas."""
    return series.dtype.kind in "biufcmM"


def _cells(series: pd.Series) -> list[str]:
    values = series.tolist()
    if series.dtype.kind == "M":
        return [_iso(v) for v in values]
    return [_cell(v) for v in values]


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return join_list(value)
    if isinstance(value, dict):  # extra: JSON, read back as the same dict
        return json.dumps(value, ensure_ascii=False) if value else ""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        return _iso(value)
    return str(value)


def _iso(value: Any) -> str:
    if value is None or value is pd.NaT or value != value:
        return ""
    stamp = pd.Timestamp(value)
    if stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    return stamp.isoformat()


def join_list(items: Iterable[Any]) -> str:
    """``["a", "b;c"]`` -> ``'a; b\\\\;c'`` (the inverse of :func:`split_list`)."""
    return LIST_SEPARATOR.join(
        str(item).replace("\\", "\\\\").replace(";", "\\;") for item in items if item is not None
    )


def split_list(cell: str) -> list[str]:
    """Split a list cell on unescaped ``;`` and undo the escapes; ``''`` is ``[]``."""
    if not cell:
        return []
    items = cell.split(";") if "\\" not in cell else _split_escaped(cell)
    return [items[0], *(item.removeprefix(" ") for item in items[1:])]


def _split_escaped(cell: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return items
