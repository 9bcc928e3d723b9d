"""Reader for CSV/TSV text: our own CSV export, read back losslessly, and the
CSV/TSV exports of other tools (Scopus, Web of Science, IEEE Xplore, Springer Link,
PubMed, ASReview, Rayyan, Covidence, Zotero, spreadsheets).

This module splits text into rows (the delimiter sniffed from the header, unescaped
inner quotes read on their line, a stray quote costing only its own row);
:mod:`.table_rows` turns rows into columns. Rows that cannot be read become
:class:`Problem` s::

    >>> cols, problems = parse_csv("Title,Year\\nAttention,2017\\n,2020\\n", "x.csv")
    >>> cols["title"], [p.line for p in problems], problems[0].expected
    (['Attention'], [3], "a title in column 'Title' (or a DOI or arXiv id)")
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import chain

from litreview.errors import ListingError, Problem
from litreview.readers._io import SourceText
from litreview.readers.table_cells import split_authors
from litreview.readers.table_rows import ALIASES, Columns, columns_from_rows, normalize_header

DELIMITERS = (",", "\t", ";")


def looks_like_csv(head: str) -> bool:
    """True when the first non-empty line is a header with a title column."""
    return _header_delimiter(head) is not None


def _header_delimiter(head: str) -> str | None:
    first = next((line for line in head.splitlines() if line.strip()), "")
    for delimiter in DELIMITERS:
        if delimiter not in first:
            continue
        names = next(csv.reader([first], delimiter=delimiter), [])
        if len(names) >= 2 and any(ALIASES.get(normalize_header(n)) == "title" for n in names):
            return delimiter
    return None


def parse_csv(
    text: str | Iterable[str], source: str, *, head: str = ""
) -> tuple[Columns, list[Problem]]:
    """Read CSV ``text`` (a string or an iterable of lines) into per-column values.

    The delimiter (``,`` tab ``;``) is sniffed from the header. Cells
    past the header's last column are kept as columns ``column_N`` (N counts from 1)::

        >>> cols, _ = parse_csv("TI;PY\\nA;2020;x;y\\n", "s.csv")
        >>> cols["title"], list(cols["column_3"]), list(cols["column_4"])
        (['A'], ['x'], ['y'])
    """
    lines: Iterable[str] = io.StringIO(text) if isinstance(text, str) else text
    if isinstance(text, str):
        head = text[:65536]
    delimiter = _header_delimiter(head) or ","
    return columns_from_rows(_rows(lines, delimiter), source, delimiter)


def _rows(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """(line where the row starts, cells); a row the csv module rejects comes as the
    text of its first line, and reading starts again on the line after it, so a
    stray quote cannot swallow the rows that follow. So does a quoted cell running
    over several lines into a row shorter than the header: a quote opened on one line
    and closed lines later (a multi-line abstract fills its row; rows swallowed do not),
    or closed by a quote that opens a cell of the next line (``…;";0"``)."""
    source = iter(lines)
    again: list[str] = []  # lines read past a rejected row's first line: read them again
    start = 1
    width = 0  # the header's
    while True:
        buffer: list[str] = []
        reader = csv.reader(
            _tracking(chain(again, source), buffer), delimiter=delimiter, strict=True
        )
        base = start - 1  # the line before the reader's first line
        while True:
            try:
                row = next(reader)
                swallowed = len(buffer) > 1 and (
                    len(row) < width or _closes_at_a_cell_start(buffer[1:], delimiter)
                )
            except StopIteration:
                return
            except csv.Error:
                swallowed = True
            if swallowed:
                text = buffer[0] if buffer else ""
                yield start, _lenient_row(text, delimiter) or text
                again = buffer[1:]
                start += 1
                break
            if not width and any(cell.strip() for cell in row):
                width = len(row)
            yield start, row
            buffer.clear()
            start = base + reader.line_num + 1


def _closes_at_a_cell_start(lines: list[str], delimiter: str) -> bool:
    """Whether the quote that ends a cell opened on an earlier line (the first lone quote
    of the ``lines`` after it) stands where a cell starts, right after a delimiter: then it
    opens that cell, and the earlier quote was a stray one that never closed.

    >>> _closes_at_a_cell_start(["0;x\\n", '1;";0";;\\n'], ";")
    True
    >>> _closes_at_a_cell_start(['end.",2020\\n'], ",")
    False
    """
    for line in lines:
        at = 0
        while (at := line.find('"', at)) >= 0:
            if line.startswith('""', at):
                at += 2
                continue
            return at > 0 and line.startswith(delimiter, at - len(delimiter))
    return False


def _lenient_row(line: str, delimiter: str) -> list[str] | None:
    """The cells of one line whose quoted cells hold unescaped quotes, each quoted cell
    ending at the quote before a delimiter or the line's end; None when one never ends::

        >>> _lenient_row('"He said "hi" there",2020\\n', ",")
        ['He said "hi" there', '2020']
    """
    line = line.rstrip("\r\n")
    cells: list[str] = []
    at = 0
    while True:
        if line.startswith('"', at):
            end = at + 1
            while True:
                end = line.find('"', end)
                if end < 0:
                    return None
                if end + 1 == len(line) or line.startswith(delimiter, end + 1):
                    break
                end += 1
            cells.append(line[at + 1 : end].replace('""', '"'))
            at = end + 1
        else:
            end = line.find(delimiter, at)
            end = len(line) if end < 0 else end
            cells.append(line[at:end])
            at = end
        if at >= len(line):
            return cells
        at += len(delimiter)


def _tracking(lines: Iterable[str], buffer: list[str]) -> Iterator[str]:
    for line in lines:
        buffer.append(line)
        yield line


def detect(src: SourceText) -> bool:
    """The reader registry's test: a CSV header with a title column."""
    return looks_like_csv(src.head_text)


def read(src: SourceText, year: int | None = None) -> tuple[Columns, list[Problem]]:
    """The reader registry's parse step (``year`` is unused: CSV dates carry theirs)."""
    if src.path is not None and src.text is None and src.head == ["(an .xlsx workbook)\n"]:
        raise ListingError(f"{src.name}: an .xlsx workbook, not CSV text; read it as 'xlsx'")
    return parse_csv(src.untranslated_lines(), src.name, head=src.head_text)


__all__ = ["columns_from_rows", "looks_like_csv", "parse_csv", "split_authors"]
