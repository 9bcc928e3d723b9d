"""Reader for RIS files (Zotero, Mendeley, EndNote, Scopus exports), via rispy.

Tags read: ``TY``, ``TI``/``T1`` (title), ``AU``/``A1`` (authors, ``Last, First``
becomes ``First Last``), ``PY``/``DA``/``Y1`` (date), ``AB``/``N2`` (abstract),
``UR`` (the first URL is the paper's, the rest are sorted into code and
project links), ``DO`` (used as URL when there is none), ``KW`` (keywords)
and any arXiv id in ``UR``, ``DO``, ``JO``/``T2`` or ``N1``.

>>> lines = ["TY  - JOUR", "TI  - A title", "AU  - Doe, Jane", "ER  - "]
>>> cols, _ = parse_ris(lines, "x.ris")
>>> cols["title"], cols["authors"], cols["source_line"]
(['A title'], [['Jane Doe']], [1])
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from litreview._links import is_code_url, join_url_parts
from litreview.errors import Problem
from litreview.readers._io import SourceText
from litreview.readers._records import (
    Columns,
    Record,
    arxiv_id_in,
    clean_text,
    iso_date,
    records_to_columns,
)
from litreview.readers.bibtex import person_name

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  -(?: (?P<value>.*))?$")
_DETECT = re.compile(r"^TY  - ", re.MULTILINE)
_COUNTER = re.compile(r"^\s*\d+\.\s*$")  # rispy's default writer numbers the records
EXPECTED = "an RIS record from 'TY  - ' to 'ER  - ' with a TI or T1 title"


def looks_like_ris(head: str) -> bool:
    """True when ``head`` has a ``TY  - `` line."""
    return "TY  - " in head and _DETECT.search(head) is not None  # the substring test is faster


def parse_ris(lines: list[str], source: str) -> tuple[Columns, list[Problem]]:
    """Parse RIS lines into per-column lists and the problems found."""
    records: list[Record] = []
    problems: list[Problem] = []
    for start, entry_lines in _entries(lines, source, problems):
        try:
            entries = rispy.loads("\n".join(entry_lines) + "\n")
        except Exception as exc:  # rispy raises plain IOError/ValueError subclasses
            problems.append(
                Problem(source, start, " ".join(entry_lines[:3]), f"{EXPECTED} ({exc})")
            )
            continue
        record = _record(entries[0]) if entries else None
        if record is None:
            problems.append(Problem(source, start, " ".join(entry_lines[:3]), EXPECTED))
            continue
        record["source_line"] = start
        records.append(record)
    return records_to_columns(records, source, problems), problems


def _entries(lines: list[str], source: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """The records as (first line number, lines from TY to ER)."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        tag = _TAG.match(line.rstrip() if line.rstrip().endswith("-") else line)
        if tag and tag["tag"] == "TY":
            if current is not None:
                problems.append(Problem(source, start, current[0], EXPECTED + " (no ER line)"))
            current, start = [line], number
        elif current is None:
            if line.strip() and not _COUNTER.match(line):
                problems.append(Problem(source, number, line, EXPECTED))
        elif tag and tag["tag"] == "ER":
            current.append("ER  - ")
            found.append((start, current))
            current = None
        else:
            current.append(line)
    if current is not None:
        found.append((start, [*current, "ER  - "]))
    return found


def _record(entry: dict[str, Any]) -> Record | None:
    title = clean_text(entry.get("title") or entry.get("primary_title"))
    if not title:
        return None
    names = entry.get("authors") or entry.get("first_authors") or []
    # rispy cuts every UR at ';', so a Wiley SICI link arrives in pieces: join them back
    urls = join_url_parts([u for u in (clean_text(u) for u in entry.get("urls") or []) if u])
    doi = clean_text(entry.get("doi"))
    paper_urls = [u for u in urls if not is_code_url(u)]
    url = paper_urls[0] if paper_urls else None
    if url is None and doi:
        url = "https://doi.org/" + doi.removeprefix("https://doi.org/")
    date = entry.get("date") or entry.get("year") or entry.get("publication_year")
    places = [*urls, doi or "", str(entry.get("accession_number") or "")]
    places += [str(entry.get("journal_name") or ""), str(entry.get("secondary_title") or "")]
    places += [str(n) for n in entry.get("notes") or []]
    arxiv = arxiv_id_in(places)
    return {
        "title": title,
        "abstract": clean_text(entry.get("abstract") or entry.get("notes_abstract")),
        "authors": [person_name(str(n)) for n in names if str(n).strip()],
        "published": iso_date(str(date)) if date else None,
        "published_text": str(date) if date else None,
        "arxiv_id": arxiv,
        "url": url,
        "code_urls": [u for u in urls if is_code_url(u)],
        "project_urls": [u for u in paper_urls[1:]],
        "keywords": [str(k).strip() for k in entry.get("keywords") or [] if str(k).strip()],
    }


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` RIS?"""
    return looks_like_ris(src.head_text)


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src``."""
    return parse_ris(list(src.lines()), src.name)
