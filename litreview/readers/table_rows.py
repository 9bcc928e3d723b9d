"""The row pipeline of every table the readers take (CSV, TSV, ``.xlsx``): a header
and rows of cells in, the paper table's columns out.

A table is our own export when its header has ``paper_id``: every schema and
annotation column named in it is read back with its dtype. Other tools' columns
map by name (:data:`ALIASES`: Scopus, Web of Science, IEEE Xplore, Springer Link,
PubMed, ASReview, Rayyan, Covidence, Zotero …, any case); every other column is
kept as it is (numbers as numbers)::

    >>> rows = iter([(1, ["Document Title", "Publication Year", "PD"]), (2, ["A", "2021", "MAR"])])
    >>> cols, problems = columns_from_rows(rows, "t.csv")
    >>> cols["title"], str(cols["published"][0])[:10], problems
    (['A'], '2021-03-01', [])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from litreview.errors import ListingError, Problem
from litreview.ids import identifier_id, is_doi_url, normalize_arxiv_id, normalize_doi, paper_id
from litreview.readers._limits import LEFT_OUT
from litreview.readers.table_cells import (
    NO_VALUE,
    OWN_COLUMNS,
    Report,
    clean_doi,
    dated,
    extra_values,
)
from litreview.readers.table_columns import mapped_values, own_values
from litreview.schema import DATETIME, INT, PAPER_COLUMNS

Columns = dict[str, Any]
#: Column -> the names other tools give it (compared lower-cased, ``_``/``-`` as spaces):
#: Scopus, Web of Science (tab-delimited tags), IEEE Xplore, Springer Link, PubMed,
#: ASReview, Rayyan, Covidence, Zotero, spreadsheets. The first column of a name wins.
_ALIASES = {
    "title": "title, paper title, article title, document title, primary title, item title, ti, t1",
    "abstract": "abstract, summary, abstract note, notes abstract, ab",
    "authors": "authors, author, author names, author full names, creators, first authors, "
    "au, af, a1",
    "published": "date, published, publication date, date published, published date, "
    "publish date, submitted, pub date",
    "year": "year, publication year, pub year, published year, year published, py",
    "month": "month, published month, publication month, pd",
    "day": "day, published day, publication day",
    "doi": "doi, item doi, do, di",
    "url": "url, link, paper url, page, pdf link, ur, article url",
    "arxiv_id": "arxiv, arxiv id, arxivid, eprint, arxiv url",
    "keywords": "keywords, author keywords, kw, de, manual tags",
    "code_urls": "code, code url, code urls, github",
    "organization": "organization, organisation",
    "tags": "tags, labels",
    "note": "note, notes",
    "venue": "source title, journal, publication title, journal/book, so, journal title, "
    "journal name, secondary title, booktitle, book title, conference name, container title, "
    "venue, t2, jo",
    "entry_type": "document type, item type, content type, dt, type of work, publication type, "
    "entry type, ty, document identifier",
    "citation_key": "citation key, citationkey, bibtex key, cite key, citekey",
}
for _column in ("venue", "entry_type", "citation_key"):  # columns of the paper table to be
    if _column not in PAPER_COLUMNS:
        del _ALIASES[_column]
ALIASES = {alias: column for column, names in _ALIASES.items() for alias in names.split(", ")}
_NORM = re.compile(r"[\s_\-]+")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
#: Springer Link's CSV writes its authors run together (``Jane SmithJohn Doe``).
_SPRINGER = frozenset({"item title", "item doi", "content type"})


def normalize_header(name: str) -> str:
    """``' Paper_Title '`` -> ``'paper title'``."""
    return _NORM.sub(" ", name.strip().lower()).strip()


@dataclass
class _Plan:
    """What to do with each column of the header."""

    own: dict[int, str] = field(default_factory=dict)  # index -> schema/annotation column
    mapped: dict[int, str] = field(default_factory=dict)  # index -> alias target
    extra: dict[int, str] = field(default_factory=dict)  # index -> header kept as is
    run_together: bool = False  # Springer Link's authors

    def index_of(self, column: str) -> int | None:
        return next((i for i, c in {**self.own, **self.mapped}.items() if c == column), None)


def _plan(header: list[str]) -> _Plan:
    plan = _Plan()
    own_file = "paper_id" in header
    names = [normalize_header(name) for name in header]
    plan.run_together = not own_file and len(_SPRINGER.intersection(names)) >= 2
    used: set[str] = set()
    for i, name in enumerate(header):
        target = ALIASES.get(names[i])
        if own_file and name in OWN_COLUMNS and name not in used:
            plan.own[i] = name
            used.add(name)
        elif target is not None and target not in used:
            plan.mapped[i] = target
            used.add(target)
        elif OWN_COLUMNS.get(name) == INT and name not in used:  # e.g. upvotes, comments
            plan.mapped[i] = name
            used.add(name)
        else:
            plan.extra[i] = name
    return plan


def columns_from_rows(
    rows: Iterator[tuple[int, list[str] | str]], source: str, joiner: str = ",", kind: str = "CSV"
) -> tuple[Columns, list[Problem]]:
    """The row pipeline of every table (CSV, TSV, spreadsheet): ``rows`` are
    ``(line, cells)`` from the header on, or ``(line, text)`` for a row that could not
    be split into cells; ``joiner`` joins cells back for a problem's snippet, ``kind``
    names the table in problems."""
    problems: list[Problem] = []
    first: list[str] | str | None = []
    header_line = 1
    while isinstance(first, list) and not any(c.strip() for c in first):
        header_line, first = next(rows, (header_line, None))
    if first is None:
        return {}, problems
    if isinstance(first, str):
        raise ListingError.from_problem(
            Problem(source, header_line, first, f"a {kind} header row with matching quotes")
        )
    header = first
    plan = _plan(header)
    title_index = plan.index_of("title")
    if title_index is None:
        expected = f"a {kind} header row with a title column (Title, Document Title, TI …)"
        raise ListingError.from_problem(Problem(source, header_line, joiner.join(header), expected))
    kept: list[tuple[int, list[str]]] = []
    for line, row in rows:
        if isinstance(row, str):
            problems.append(Problem(source, line, row, f"a {kind} row with matching quotes"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= title_index or _no_title(row[title_index]):
            name = header[title_index]
            if _identified(row, plan):
                note = "kept by its identifier; metadata completion can fill the title"
                problems.append(
                    Problem(
                        source, line, joiner.join(row), f"a title in column {name!r}", True, note
                    )
                )
            else:
                expected = f"a title in column {name!r} (or a DOI or arXiv id)"
                problems.append(Problem(source, line, joiner.join(row), expected))
                continue
        kept.append((line, row))
    header = _widened(header, plan, max((len(row) for _, row in kept), default=0))
    kept = [(line, row + [""] * (len(header) - len(row))) for line, row in kept]
    columns, bad = _convert(kept, header, plan, source)
    problems.extend(bad)
    problems.sort(key=lambda p: p.line)
    return columns, problems


def _no_title(cell: str) -> bool:
    """An empty title cell, or a database's placeholder (Scopus ``[No title available]``)."""
    return not cell.strip() or NO_VALUE.fullmatch(cell) is not None


def _identified(row: list[str], plan: _Plan) -> bool:
    """True when a row names a DOI or an arXiv id (in its DOI, arXiv or arXiv URL cell)."""
    cells = {c: row[i] for i, c in {**plan.own, **plan.mapped}.items() if i < len(row)}
    doi, arxiv, url = cells.get("doi", ""), cells.get("arxiv_id", ""), cells.get("url", "")
    if doi.strip() and clean_doi(doi) is not None:
        return True
    if arxiv.strip() and normalize_arxiv_id(arxiv) is not None:
        return True
    return "arxiv.org" in url and normalize_arxiv_id(url) is not None


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


def _convert(
    kept: list[tuple[int, list[str]]], header: list[str], plan: _Plan, source: str
) -> tuple[Columns, list[Problem]]:
    n = len(kept)
    line_numbers = [line for line, _ in kept]
    raw = {i: [row[i] for _, row in kept] for i in range(len(header))}
    problems: dict[int, Problem] = {}  # rows dropped
    left_out: list[Problem] = []  # values left out of rows that are kept
    left_cells: list[tuple[int, int]] = []  # (row, column) of each value left out

    def fail(k: int, i: int, expected: str) -> None:
        if k not in problems:
            snippet = f"{header[i]}={raw[i][k]!r}"
            problems[k] = Problem(source, line_numbers[k], snippet, expected)

    def warn(k: int, i: int, expected: str | None) -> None:
        if expected is not None:  # None: read, and its text kept as well
            snippet = f"{header[i]}={raw[i][k]!r}"
            left_out.append(Problem(source, line_numbers[k], snippet, expected, True, LEFT_OUT))
        left_cells.append((k, i))

    cols: Columns = {}
    for i, name in plan.own.items():
        cols[name] = own_values(raw[i], name, Report(fail, warn, i))
    for i, target in plan.mapped.items():
        if target not in cols:
            report = Report(fail, warn, i)
            if target == "published":
                cols[target], cols["_precision"] = dated(raw[i], report, _DATE_EXPECTED)
            else:
                cols[target] = mapped_values(raw[i], target, report, run_together=plan.run_together)
    _fill_derived(cols, n, source, line_numbers)
    for i, name in plan.extra.items():
        cols[name if name not in cols else f"{name} (csv)"] = extra_values(raw[i])
    if "extra" in PAPER_COLUMNS and "extra" not in cols:
        cols["extra"] = _extra_dicts(raw, header, plan, left_cells, n)
        _citation_keys(cols, n)
    good = [k for k in range(n) if k not in problems]
    if len(good) < n:
        cols = {name: _take(values, good) for name, values in cols.items()}
    dropped = {p.line for p in problems.values()}
    return cols, [*problems.values(), *(p for p in left_out if p.line not in dropped)]


_DATE_EXPECTED = "a date like 2025-01-25 or 'Jan 25, 2025'"


def _extra_dicts(
    raw: dict[int, list[str]],
    header: list[str],
    plan: _Plan,
    left_cells: list[tuple[int, int]],
    n: int,
) -> list[dict[str, str]]:
    """Per row, every non-empty cell of a column litreview has no place for, and every
    value left out of a mapped column, under its header: nothing a tool exported is lost."""
    out: list[dict[str, str]] = [{} for _ in range(n)]
    for i in plan.extra:
        name = header[i]
        for k, cell in enumerate(raw[i]):
            if cell.strip():
                out[k][name] = cell
    for k, i in left_cells:
        if raw[i][k].strip():
            out[k].setdefault(header[i], raw[i][k])
    for i, target in plan.mapped.items():  # a note or tags of another tool: paper data too
        if target in ("note", "tags"):
            for k, cell in enumerate(raw[i]):
                if cell.strip():
                    out[k][header[i]] = cell
    return out


_CITATION_KEY = re.compile(r"^\s*citation key\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def _citation_keys(cols: Columns, n: int) -> None:
    """Zotero (Better BibTeX) writes the citation key into ``Extra`` as ``Citation Key: …``."""
    if "citation_key" not in PAPER_COLUMNS or "citation_key" in cols:
        return
    keys: list[str | None] = [None] * n
    for k, fields in enumerate(cols["extra"]):
        text = fields.get("Extra") or fields.get("extra")
        if text and (match := _CITATION_KEY.search(text)):
            keys[k] = match.group(1)
    cols["citation_key"] = keys


def _take(values: Any, index: list[int]) -> Any:
    if isinstance(values, pd.Series):
        return values.iloc[index].reset_index(drop=True)
    if isinstance(values, np.ndarray):
        return values[index]
    return [values[k] for k in index]


def _fill_derived(cols: Columns, n: int, source: str, lines: list[int]) -> None:
    """Fill what a foreign table leaves out: ids, dates from years and months, arXiv ids,
    sources."""
    year, month, day = cols.pop("year", None), cols.pop("month", None), cols.pop("day", None)
    precision = cols.pop("_precision", [None] * n)
    published = cols.get("published")
    if year is not None:  # every year is in range (checked when read)
        days = np.full(n, np.datetime64("NaT"), dtype=DATETIME)
        for k, y in enumerate(year):
            if y is None or (published is not None and not np.isnat(published[k])):
                continue
            m, d = month[k] if month is not None and month[k] is not None else (None, None)
            d = d or (day[k] if day is not None and m else None)  # Rayyan: year, month, day
            try:
                days[k] = np.datetime64(dt.date(y, m or 1, d or 1), "D").astype(DATETIME)
            except ValueError:  # 31 April: keep the month
                days[k] = np.datetime64(dt.date(y, m or 1, 1), "D").astype(DATETIME)
                d = None
            precision[k] = "day" if d else "month" if m else "year"
        cols["published"] = (
            days if published is None else np.where(np.isnat(published), days, published)
        )
    if "date_precision" in PAPER_COLUMNS and "date_precision" not in cols:
        cols["date_precision"] = precision
    if "doi" in cols and "doi" not in PAPER_COLUMNS:
        cols["doi"] = pd.Series(cols["doi"], dtype="string")
    if "url" in cols:  # a doi.org link is the DOI (Rayyan, ASReview write only the link)
        dois = cols.get("doi") or [None] * n
        cols["doi"] = [
            d if d or not (isinstance(u, str) and is_doi_url(u)) else normalize_doi(u)
            for d, u in zip(dois, cols["url"], strict=True)
        ]
    if "arxiv_id" in cols:
        cols["arxiv_id"] = [normalize_arxiv_id(v) if v else None for v in cols["arxiv_id"]]
    else:
        cols["arxiv_id"] = [_arxiv_from(cols, k) for k in range(n)]
    if "paper_id" not in cols:
        cols["paper_id"] = [_paper_id(cols, k) for k in range(n)]
    if "n_authors" not in cols and "authors" in cols:
        cols["n_authors"] = [len(a) if a else None for a in cols["authors"]]
    if "source" not in cols:
        cols["source"] = [source] * n
    if "source_line" not in cols:
        cols["source_line"] = lines
    if "sources" not in cols:
        cols["sources"] = [[f"{source}:{line}"] for line in lines]


def _paper_id(cols: Columns, k: int) -> str:
    """The id from the title, else from the DOI or arXiv id (a row without any is
    never kept)."""
    title = cols["title"][k]
    if title and title.strip():
        return paper_id(title)
    doi = cols["doi"][k] if "doi" in cols else None
    arxiv = cols["arxiv_id"][k] or _arxiv_from(cols, k)
    pid = identifier_id(doi if isinstance(doi, str) else None, arxiv)
    assert pid is not None  # a row with neither is never kept (columns_from_rows)
    return pid


def _arxiv_from(cols: Columns, k: int) -> str | None:
    doi = cols["doi"][k] if "doi" in cols else None
    if isinstance(doi, str) and (match := _ARXIV_DOI.match(doi)):
        return normalize_arxiv_id(match.group(1))
    url = cols["url"][k] if "url" in cols else None
    if isinstance(url, str) and "arxiv.org" in url:
        return normalize_arxiv_id(url)
    return None
