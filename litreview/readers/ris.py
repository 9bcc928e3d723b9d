"""Reader for RIS files (Zotero, Mendeley, EndNote, Scopus, Web of Science, ASReview exports).

>>> lines = ["TY  - JOUR", "TI  - A title", "AU  - Doe, Jane", "PY  - 2011", "DA  - Jun", "ER  - "]
>>> cols, _ = parse_ris(lines, "x.ris")
>>> cols["title"], cols["authors"], cols["source_line"], cols["date_precision"]
(['A title'], [['Jane Doe']], [1], ['month'])

Read into columns: ``TY`` (the entry type: ``JOUR`` -> ``article``, ``CPAPER``/``CONF``
-> ``inproceedings``, ``CHAP`` -> ``incollection``, …), ``TI``/``T1`` (title),
``AU``/``A1`` (authors, ``Last, First`` becomes ``First Last``), ``AB``/``N2``
(abstract), ``KW`` (keywords), ``DO`` (the DOI; else a DOI in a ``UR``/``L3``/``N1``
link), the first ``UR`` (the others, also kept, are sorted into code and project
links), ``T2`` (else ``JF``/``JO``/``BT``: the venue), the date from ``PY``/``Y1``/``DA``
(``PY 2011`` with ``DA Jun`` is June 2011; Web of Science's ``PD`` month too) at the
precision given, and any arXiv id in the links, ``DO``, ``AN``, ``JO``/``T2`` or ``N1``.
**Every other tag** is kept in ``extra`` under its own name (a repeated tag as
``N1``, ``N1_2`` …), as are a ``TY``, ``PY`` or ``DA`` the columns cannot give back
exactly; so RIS -> review -> RIS gives the record back.

Refused, each reported with its line and the records around it kept: text outside a
record, and a record with neither a title nor a DOI or arXiv id. A record without a
title but with a DOI or arXiv id is kept (reported: "missing title"); one missing its
``ER`` line is kept when it has a title (reported).
"""

from __future__ import annotations

import re

from litreview._links import is_code_url, join_url_parts
from litreview.errors import Problem
from litreview.ids import find_doi, normalize_doi
from litreview.readers._dates import Date, parse_date, year_month_date
from litreview.readers._io import SourceText
from litreview.readers._records import Columns, Record, arxiv_id_in, clean_text, records_to_columns
from litreview.readers.bibtex import person_name

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  -(?: ?(?P<value>.*))?$")
_DETECT = re.compile(r"^TY  - ", re.MULTILINE)
_COUNTER = re.compile(r"^\s*\d+\.\s*$")  # rispy's default writer numbers the records
EXPECTED = "an RIS record from 'TY  - ' to 'ER  - ' with a TI or T1 title"
MISSING_TITLE = "a TI or T1 title (kept by its DOI or arXiv id: metadata completion can fill it)"
#: RIS reference types -> entry types (``litreview.schema.ENTRY_TYPES``).
TYPES = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article",
    "NEWS": "article", "ABST": "article", "INPR": "article",
    "CPAPER": "inproceedings", "CONF": "inproceedings", "BOOK": "book", "EBOOK": "book",
    "EDBOOK": "book", "CHAP": "incollection", "ECHAP": "incollection", "THES": "phdthesis",
    "RPRT": "techreport", "UNPB": "unpublished", "MANSCPT": "unpublished", "ELEC": "online",
    "WEB": "online", "BLOG": "online", "DATA": "dataset", "DBASE": "dataset",
    "COMP": "software", "PAT": "patent", "STAND": "manual", "GEN": "misc",
}  # fmt: skip
#: Entry types -> the RIS type written for them (the writer's choice; TYPES' first).
RIS_TYPES = {
    "article": "JOUR", "inproceedings": "CPAPER", "conference": "CPAPER",
    "proceedings": "CONF", "book": "BOOK", "inbook": "CHAP", "incollection": "CHAP",
    "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES", "techreport": "RPRT",
    "report": "RPRT", "unpublished": "UNPB", "online": "ELEC", "dataset": "DATA",
    "software": "COMP", "patent": "PAT", "manual": "STAND", "misc": "GEN", "preprint": "UNPB",
}  # fmt: skip
#: Tags read into columns (never also kept in ``extra``; a second value of one is).
CONSUMED = ("TI", "AU", "AB", "KW", "DO")  # T1, A1, N2 (EndNote's) are kept as well
VENUE_TAGS = ("T2", "JF", "JO", "BT")  # T2 is taken; the others stay in extra as well


def looks_like_ris(head: str) -> bool:
    """True when ``head`` has a ``TY  - `` line."""
    return "TY  - " in head and _DETECT.search(head) is not None  # the substring test is faster


def parse_ris(lines: list[str], source: str) -> tuple[Columns, list[Problem]]:
    """Parse RIS lines into per-column lists and the problems found."""
    records: list[Record] = []
    problems: list[Problem] = []
    for start, tags, closed in _entries(lines, source, problems):
        record = _record(tags)
        snippet = " ".join(f"{t}  - {v}" for t, v in tags[:3])
        if not record["title"]:
            if not (record["doi"] or record["arxiv_id"]):
                problems.append(Problem(source, start, snippet, EXPECTED))
                continue
            problems.append(Problem(source, start, snippet, MISSING_TITLE, kept=True))
        if not closed:
            note = "the record is kept"
            problems.append(Problem(source, start, snippet, "an 'ER  - ' line", True, note))
        record["source_line"] = start
        records.append(record)
    return records_to_columns(records, source, problems), problems


Tags = list[tuple[str, str]]


def _entries(
    lines: list[str], source: str, problems: list[Problem]
) -> list[tuple[int, Tags, bool]]:
    """The records as (first line number, their (tag, value) pairs, whether ER closed it);
    a line without a tag continues the value before it."""
    found: list[tuple[int, Tags, bool]] = []
    current: Tags | None = None
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        tag = _TAG.match(line.rstrip() if line.rstrip().endswith("-") else line)
        if tag and tag["tag"] == "TY":
            if current is not None:
                found.append((start, current, False))
            current, start = [("TY", (tag["value"] or "").strip())], number
        elif current is None:
            if line.strip() and not _COUNTER.match(line):
                problems.append(Problem(source, number, line, EXPECTED))
        elif tag and tag["tag"] == "ER":
            found.append((start, current, True))
            current = None
        elif tag:
            current.append((tag["tag"], (tag["value"] or "").strip()))
        elif line.strip():
            name, value = current[-1]
            current[-1] = (name, f"{value} {line.strip()}".strip())
    if current is not None:
        found.append((start, current, False))
    return found


def _record(tags: Tags) -> Record:
    """The paper of one record's tags (see the module docstring)."""
    values: dict[str, list[str]] = {}
    for name, value in tags:
        if value:
            values.setdefault(name, []).append(value)
    one = {name: found[0] for name, found in values.items()}
    urls = join_url_parts([u for u in values.get("UR", []) if u])
    paper_urls = [u for u in urls if not is_code_url(u)]
    url = paper_urls[0] if paper_urls else None
    extra: dict[str, str] = {}
    for name, found in values.items():
        if name in ("KW", "TY") or (name == "AU" and all("," in n for n in found)):
            continue  # every value is in a column (a name without a comma is kept as written)
        skip = 1 if (name in CONSUMED and name != "AU") or name == "T2" else 0
        for i, value in enumerate(found[skip:], start=skip + 1):
            if name == "UR" and value == url and url not in extra.values():
                continue  # the paper's link: the url column
            extra[name if i == 1 else f"{name}_{i}"] = value
    doi = normalize_doi(one.get("DO")) or _doi_in(values)
    if one.get("DO") and not normalize_doi(one["DO"]):
        extra["DO"] = one["DO"]  # not a DOI: kept as written
    title = clean_text(one.get("TI") or one.get("T1"))
    names = values.get("AU") or values.get("A1") or []
    ris_type = one.get("TY", "")
    entry_type = TYPES.get(ris_type.upper(), "misc")
    if RIS_TYPES.get(entry_type) != ris_type:
        extra["TY"] = ris_type  # a type the writer would not give back
    date = _date(one, extra)
    places = [*urls, one.get("DO") or "", one.get("AN") or "", one.get("JO") or ""]
    places += [one.get("T2") or "", *values.get("N1", [])]
    return {
        "title": title,
        "abstract": clean_text(one.get("AB") or one.get("N2")),
        "authors": [person_name(n) for n in names if n.strip()],
        "published": date[0] if date else None,
        "date_precision": date[1] if date else None,
        "published_text": one.get("PY") or one.get("DA") or one.get("Y1"),
        "arxiv_id": arxiv_id_in(places),
        "doi": doi,
        "url": url,
        "code_urls": [u for u in urls if is_code_url(u)],
        "project_urls": paper_urls[1:],
        "venue": clean_text(next((one[t] for t in VENUE_TAGS if one.get(t)), None)),
        "entry_type": entry_type,
        "keywords": [k for kw in values.get("KW", []) for k in _keywords(kw)],
        "extra": extra,
    }


def _keywords(value: str) -> list[str]:
    """One ``KW`` line's keywords (Scopus and WoS put several on one line, ``;``-separated)."""
    return [k.strip() for k in value.split(";") if k.strip()]


def _doi_in(values: dict[str, list[str]]) -> str | None:
    """A DOI named in a link or note, when there is no ``DO`` (``UR``, ``L3``, ``N1``…)."""
    for tag in ("UR", "L3", "L2", "L1", "N1", "M3"):
        for value in values.get(tag, []):
            found = find_doi(value)
            if found:
                return found
    return None


def _date(one: dict[str, str], extra: dict[str, str]) -> Date | None:
    """The date of ``PY``/``Y1``/``DA`` (and WoS ``PD``); ``PY``/``DA`` leave ``extra``
    when the writer gives them back exactly (``PY 2019``, ``DA 2019/05/17``)."""
    year, da = one.get("PY") or one.get("Y1"), one.get("DA")
    found = parse_date(da) if da else None
    if found is None and year:
        month = da or one.get("PD")
        found = year_month_date(year, month)
    if found is None:
        return None
    day, precision = found
    if one.get("PY") == f"{day.year:04d}":
        extra.pop("PY", None)
    written = {"year": None, "month": f"{day:%Y/%m}", "day": f"{day:%Y/%m/%d}"}[precision]
    if da is not None and da == written:
        extra.pop("DA", None)
    return found


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` RIS?"""
    return looks_like_ris(src.head_text)


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src``."""
    return parse_ris(list(src.lines()), src.name)
