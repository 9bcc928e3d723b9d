"""The columns of a table as the paper table's: our own export's columns read back with
their dtypes, other tools' columns mapped onto the schema (:func:`mapped_values`), and
the tools' words for a kind of publication (:func:`entry_type_of`)::

    >>> entry_type_of("Conference Paper"), entry_type_of("bookSection")
    ('inproceedings', 'incollection')
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import pandas as pd

from litreview.readers._limits import FIRST_DAY, LAST_DAY
from litreview.readers.table_cells import (
    NO_VALUE,
    OWN_COLUMNS,
    Report,
    clean_doi,
    dates,
    decisions,
    ints,
    links,
    month_day,
    split_authors,
    split_terms,
)
from litreview.schema import DATETIME, DECISION_DTYPE, INT, LIST, PAPER_COLUMNS
from litreview.writers.csv import split_list


def own_values(cells: list[str], name: str, report: Report) -> Any:
    """A column of our own CSV export (``name`` is its schema or annotation column)."""
    dtype = OWN_COLUMNS[name]
    if name == "extra":
        return [record_fields(c, report, k) for k, c in enumerate(cells)]
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


def mapped_values(cells: list[str], target: str, report: Report, *, run_together: bool) -> Any:
    """A column of another tool's table read as the schema column ``target``."""
    if target == "authors":
        return [split_authors(c, run_together=run_together) for c in cells]
    if target == "title":  # a database's placeholder is no title
        return [None if NO_VALUE.fullmatch(c) else c.strip() or None for c in cells]
    if target == "code_urls":
        found = [links(c) for c in cells]
        for k, urls in enumerate(found):
            if not urls and cells[k].strip():
                report.keep(k)  # no link in it (Zotero's "Code" is a legal code): kept
        return found
    if target in ("keywords", "tags"):
        lists = [split_terms(c) for c in cells]
        return pd.Series(lists, dtype=object) if target == "tags" else lists
    if target == "note":
        return pd.Series([c if c.strip() else None for c in cells], dtype="string")
    if target == "doi":
        out = [clean_doi(c) for c in cells]
        for k, (cell, doi) in enumerate(zip(cells, out, strict=True)):
            if doi is None and cell.strip():
                report.warn(k, "a DOI like 10.1000/xyz")
        return out
    if target == "month":
        months = [month_day(c) for c in cells]
        for k, month in enumerate(months):
            if month is None:
                report.warn(k, "a month like Mar, MAR 15 or 3")
        return months
    if target == "entry_type":
        types = [entry_type_of(c) for c in cells]
        for k, (cell, kind) in enumerate(zip(cells, types, strict=True)):
            if kind is not None and kind != cell.strip().lower():
                report.keep(k)  # the tool's own word stays in extra
        return types
    if OWN_COLUMNS.get(target) == INT:
        return ints(cells, report, keep_bad=True)
    if target == "day":
        days = ints(cells, report, keep_bad=True)
        for k, d in enumerate(days):
            if d is not None and not 1 <= d <= 31:
                report.warn(k, "a day of the month from 1 to 31")
                days[k] = None
        return days
    if target == "year":
        years = ints(cells, report, keep_bad=True)
        for k, y in enumerate(years):
            if y is not None and not FIRST_DAY.year <= y <= LAST_DAY.year:
                report.warn(k, f"a year from {FIRST_DAY.year} to {LAST_DAY.year}")
                years[k] = None
        return years
    return [c.strip() or None for c in cells]


#: Other tools' words for a kind of publication -> the ``entry_type`` vocabulary.
_ENTRY_WORDS = {
    "inproceedings": "conference paper, proceedings paper, conferencepaper, conference, "
    "ieee conferences, inproceedings, meeting abstract, c, cpaper, conf",
    "article": "article, journal article, journalarticle, review, article in press, letter, "
    "editorial, editorial material, note, erratum, short survey, data paper, magazinearticle, "
    "magazine article, newspaperarticle, ieee journals, ieee magazines, "
    "ieee early access articles, j, jour",
    "incollection": "book chapter, chapter, booksection, book section, reference work entry, "
    "incollection, chap",
    "book": "book, books, ieee books, b",
    "proceedings": "conference review, proceedings",
    "preprint": "preprint, posted content",
    "thesis": "thesis, dissertation",
    "phdthesis": "phd thesis, doctoral thesis",
    "report": "report, technical report, techreport",
    "dataset": "dataset, data set",
    "software": "computerprogram, computer program, software",
    "patent": "patent",
    "online": "webpage, web page, blogpost, blog post",
    "unpublished": "manuscript",
    "manual": "ieee standards, standard",
}
ENTRY_WORDS = {w: kind for kind, words in _ENTRY_WORDS.items() for w in words.split(", ")}


def entry_type_of(cell: str) -> str | None:
    """The ``entry_type`` of another tool's document type (Scopus ``Document Type``, WoS
    ``DT``, Zotero ``Item Type``, Springer ``Content Type``…); ``misc`` for any other word::

        >>> entry_type_of("Conference Paper"), entry_type_of("journalArticle; Early Access")
        ('inproceedings', 'article')
        >>> entry_type_of("Protocol"), entry_type_of("")
        ('misc', None)
    """
    word = re.sub(r"\s+", " ", cell.split(";")[0]).strip().lower()
    if not word:
        return None
    return ENTRY_WORDS.get(word, word if word in _ENTRY_KINDS else "misc")


_ENTRY_KINDS = frozenset(_ENTRY_WORDS) | {"misc", "inbook", "booklet", "mastersthesis"}


def record_fields(cell: str, report: Report, k: int) -> dict[str, str]:
    """Our own export's ``extra`` cell: a JSON object of text (a Python dict literal is
    read too); anything else is kept whole under ``extra``, reported."""
    if not cell.strip():
        return {}
    try:
        value = json.loads(cell)
    except ValueError:
        try:
            value = ast.literal_eval(cell)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
    if isinstance(value, dict):
        return {str(key): "" if v is None else str(v) for key, v in value.items()}
    report.warn(k, 'a JSON object like {"volume": "3"}')
    return {"extra": cell}
