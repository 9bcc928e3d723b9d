"""Reader for CSV tables: our own CSV export, read back losslessly, and the
CSV exports of other tools (Zotero, Scopus, spreadsheets).

A file is our own export when its header has ``paper_id``: every schema and
annotation column named in the header is read back with its dtype. Other
files map common column names (``Title``, ``Abstract``, ``Authors``, ``Year``,
``Date``, ``DOI``, ``URL``, ``arXiv``, ``Tags``, ``Notes``…, any case);
columns with no match are kept as they are (numbers as numbers). Rows that
cannot be read become :class:`Problem` s::

    >>> text = "Title,Year\\nAttention Is All You Need,2017\\n,2020\\n"
    >>> cols, problems = parse_csv(text, "x.csv")
    >>> cols["title"], [str(p) for p in problems]
    (['Attention Is All You Need'], ["x.csv:3: expected a title in column 'Title', found ',2020'"])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from litreview.errors import ListingError, Problem
from litreview.ids import normalize_arxiv_id, paper_id
from litreview.readers._io import SourceText
from litreview.readers._limits import (
    FIRST_DAY,
    LAST_DAY,
    LEFT_OUT,
)
from litreview.readers.table_cells import (
    Report,
    dates,
    decisions,
    extra_values,
    ints,
    split_authors,
)
from litreview.schema import (
    ANNOTATION_COLUMNS,
    DATETIME,
    DECISION_DTYPE,
    INT,
    LIST,
    PAPER_COLUMNS,
)
from litreview.writers.csv import split_list

Columns = dict[str, Any]
DELIMITERS = (",", "\t", ";")
_ALIASES = {
    "title": "title, paper title, article title, document title, primary title, item title, ti",
    "abstract": "abstract, summary, abstract note, ab",
    "authors": "authors, author, author names, author full names, creators, first authors, au, af",
    "published": "date, published, publication date, date published, published date, "
    "publish date, submitted",
    "year": "year, publication year, pub year, published year, py",
    "doi": "doi, item doi, do, di",
    "url": "url, link, paper url, page, pdf link, ur",
    "arxiv_id": "arxiv, arxiv id, arxivid, eprint, arxiv url",
    "keywords": "keywords, author keywords, kw",
    "code_urls": "code, code url, code urls, github",
    "organization": "organization, organisation",
    "tags": "tags, labels, manual tags",
    "note": "note, notes",
}
ALIASES = {alias: column for column, names in _ALIASES.items() for alias in names.split(", ")}
_NORM = re.compile(r"[\s_\-]+")
_OWN_COLUMNS = {**PAPER_COLUMNS, **ANNOTATION_COLUMNS}
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def normalize_header(name: str) -> str:
    """``' Paper_Title '`` -> ``'paper title'``."""
    return _NORM.sub(" ", name.strip().lower()).strip()


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


@dataclass
class _Plan:
    """What to do with each column of the header."""

    own: dict[int, str] = field(default_factory=dict)  # index -> schema/annotation column
    mapped: dict[int, str] = field(default_factory=dict)  # index -> alias target
    extra: dict[int, str] = field(default_factory=dict)  # index -> header kept as is


def _plan(header: list[str]) -> _Plan:
    plan = _Plan()
    own_file = "paper_id" in header
    used: set[str] = set()
    for i, name in enumerate(header):
        target = ALIASES.get(normalize_header(name))
        if own_file and name in _OWN_COLUMNS and name not in used:
            plan.own[i] = name
            used.add(name)
        elif target is not None and target not in used:
            plan.mapped[i] = target
            used.add(target)
        elif _OWN_COLUMNS.get(name) == INT and name not in used:  # e.g. upvotes, comments
            plan.mapped[i] = name
            used.add(name)
        else:
            plan.extra[i] = name
    return plan


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
    rows = _rows(lines, delimiter)
    problems: list[Problem] = []
    first: list[str] | str | None = []
    header_line = 1
    while isinstance(first, list) and not any(c.strip() for c in first):
        header_line, first = next(rows, (header_line, None))
    if first is None:
        return {}, problems
    if isinstance(first, str):
        raise ListingError.from_problem(
            Problem(source, header_line, first, "a CSV header row with matching quotes")
        )
    header = first
    plan = _plan(header)
    title_index = next((i for i, c in {**plan.own, **plan.mapped}.items() if c == "title"), None)
    if title_index is None:
        expected = "a CSV header row with a title column (Title, Paper Title, TI …)"
        raise ListingError.from_problem(
            Problem(source, header_line, delimiter.join(header), expected)
        )
    kept: list[tuple[int, list[str]]] = []
    for line, row in rows:
        if isinstance(row, str):
            problems.append(Problem(source, line, row, "a CSV row with matching quotes"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= title_index or not row[title_index].strip():
            snippet = delimiter.join(row)
            name = header[title_index]
            problems.append(Problem(source, line, snippet, f"a title in column {name!r}"))
            continue
        kept.append((line, row))
    header = _widened(header, plan, max((len(row) for _, row in kept), default=0))
    kept = [(line, row + [""] * (len(header) - len(row))) for line, row in kept]
    columns, bad = _convert(kept, header, plan, source)
    problems.extend(bad)
    problems.sort(key=lambda p: p.line)
    return columns, problems


def _widened(header: list[str], plan: _Plan, width: int) -> list[str]:
    """The header with a ``column_N`` for each cell some row has past its end (as
    Scopus writes) and for each unnamed header cell; those columns are kept as is."""
    taken = set(header)
    names = list(header) + [""] * (width - len(header))
    for i, name in enumerate(names):
        if not name.strip() and i not in plan.own and i not in plan.mapped:
            n = i + 1
            while f"column_{n}" in taken:
                n += 1
            names[i] = f"column_{n}"
            taken.add(names[i])
            plan.extra[i] = names[i]
    return names


def _rows(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """(line where the row starts, cells); a row the csv module rejects comes as the
    text of its first line, and reading starts again on the line after it, so a
    stray quote cannot swallow the rows that follow."""
    source = iter(lines)
    again: list[str] = []  # lines read past a rejected row's first line: read them again
    start = 1
    while True:
        buffer: list[str] = []
        reader = csv.reader(
            _tracking(chain(again, source), buffer), delimiter=delimiter, strict=True
        )
        base = start - 1  # the line before the reader's first line
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                text = buffer[0] if buffer else ""
                yield start, _lenient_row(text, delimiter) or text
                again = buffer[1:]
                start += 1
                break
            yield start, row
            buffer.clear()
            start = base + reader.line_num + 1


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


def _convert(
    kept: list[tuple[int, list[str]]], header: list[str], plan: _Plan, source: str
) -> tuple[Columns, list[Problem]]:
    n = len(kept)
    line_numbers = [line for line, _ in kept]
    raw = {i: [row[i] for _, row in kept] for i in range(len(header))}
    problems: dict[int, Problem] = {}  # rows dropped
    left_out: list[Problem] = []  # values left out of rows that are kept

    def fail(k: int, i: int, expected: str) -> None:
        if k not in problems:
            snippet = f"{header[i]}={raw[i][k]!r}"
            problems[k] = Problem(source, line_numbers[k], snippet, expected)

    def warn(k: int, i: int, expected: str) -> None:
        snippet = f"{header[i]}={raw[i][k]!r}"
        left_out.append(Problem(source, line_numbers[k], snippet, expected, True, LEFT_OUT))

    cols: Columns = {}
    for i, name in plan.own.items():
        cols[name] = _own_values(raw[i], name, Report(fail, warn, i))
    mapped = {target: i for i, target in plan.mapped.items()}
    for target, i in mapped.items():
        if target not in cols:
            cols[target] = _mapped_values(raw[i], target, Report(fail, warn, i))
    _fill_derived(cols, n, source, line_numbers)
    for i, name in plan.extra.items():
        cols[name if name not in cols else f"{name} (csv)"] = extra_values(raw[i])
    good = [k for k in range(n) if k not in problems]
    if len(good) < n:
        cols = {name: _take(values, good) for name, values in cols.items()}
    dropped = {p.line for p in problems.values()}
    return cols, [*problems.values(), *(p for p in left_out if p.line not in dropped)]


def _take(values: Any, index: list[int]) -> Any:
    if isinstance(values, pd.Series):
        return values.iloc[index].reset_index(drop=True)
    if isinstance(values, np.ndarray):
        return values[index]
    return [values[k] for k in index]


def _own_values(cells: list[str], name: str, report: Report) -> Any:
    dtype = _OWN_COLUMNS[name]
    if dtype is LIST:
        values: Any = [split_list(c) for c in cells]
    elif dtype is DATETIME:
        values = dates(cells, report, "an ISO date like 2025-01-25")
    elif dtype == INT:
        values = ints(cells, report)
    elif dtype == DECISION_DTYPE:
        values = decisions(cells, report)
    else:
        values = [c if c != "" else None for c in cells]
    if name in PAPER_COLUMNS:
        return values
    return pd.Series(values, dtype=dtype if dtype is not LIST else object)


def _mapped_values(cells: list[str], target: str, report: Report) -> Any:
    if target == "authors":
        return [split_authors(c) for c in cells]
    if target in ("keywords", "code_urls", "tags"):
        lists = [[t.strip() for t in re.split(r"[;,]", c) if t.strip()] for c in cells]
        return pd.Series(lists, dtype=object) if target == "tags" else lists
    if target == "note":
        return pd.Series([c if c.strip() else None for c in cells], dtype="string")
    if target == "published":
        return dates(cells, report, "a date like 2025-01-25 or 'Jan 25, 2025'")
    if _OWN_COLUMNS.get(target) == INT:
        return ints(cells, report, keep_bad=True)
    if target == "year":
        years = ints(cells, report)
        for k, y in enumerate(years):
            if y is not None and not FIRST_DAY.year < y <= LAST_DAY.year:
                report.warn(k, f"a year from {FIRST_DAY.year + 1} to {LAST_DAY.year}")
                years[k] = None
        return [None if y is None else f"{y:04d}-01-01" for y in years]
    return [c.strip() or None for c in cells]


def _fill_derived(cols: Columns, n: int, source: str, lines: list[int]) -> None:
    """Fill what a foreign CSV leaves out: ids, dates from years, arXiv ids, sources."""
    year = cols.pop("year", None)
    if year is not None:  # every year is in range (checked when read)
        dates = pd.to_datetime(pd.Series(year, dtype=object)).to_numpy(DATETIME)
        published = cols.get("published")
        cols["published"] = (
            dates if published is None else np.where(np.isnat(published), dates, published)
        )
    if "paper_id" not in cols:
        cols["paper_id"] = [paper_id(t) for t in cols["title"]]
    if "doi" in cols:
        cols["doi"] = pd.Series(cols["doi"], dtype="string")
    if "arxiv_id" in cols:
        cols["arxiv_id"] = [normalize_arxiv_id(v) if v else None for v in cols["arxiv_id"]]
    else:
        cols["arxiv_id"] = [_arxiv_from(cols, k) for k in range(n)]
    if "n_authors" not in cols and "authors" in cols:
        cols["n_authors"] = [len(a) if a else None for a in cols["authors"]]
    if "source" not in cols:
        cols["source"] = [source] * n
    if "source_line" not in cols:
        cols["source_line"] = lines
    if "sources" not in cols:
        cols["sources"] = [[f"{source}:{line}"] for line in lines]


def _arxiv_from(cols: Columns, k: int) -> str | None:
    doi = cols["doi"][k] if "doi" in cols else None
    if isinstance(doi, str) and (match := _ARXIV_DOI.match(doi)):
        return normalize_arxiv_id(match.group(1))
    url = cols["url"][k] if "url" in cols else None
    if isinstance(url, str) and "arxiv.org" in url:
        return normalize_arxiv_id(url)
    return None


def detect(src: SourceText) -> bool:
    """The reader registry's test: a CSV header with a title column."""
    return looks_like_csv(src.head_text)


def read(src: SourceText, year: int | None = None) -> tuple[Columns, list[Problem]]:
    """The reader registry's parse step (``year`` is unused: CSV dates carry theirs)."""
    return parse_csv(src.untranslated_lines(), src.name, head=src.head_text)
