"""Reader for the arXiv API's Atom feed (``export.arxiv.org/api/query``): one paper per
``<entry>``, with its authors, arXiv id (without version), abstract page, dates,
categories, and the DOI and journal reference its authors gave::

    <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
      <entry>
        <id>http://arxiv.org/abs/2401.00001v2</id>
        <published>2024-01-01T18:00:00Z</published>
        <title>A title</title> <summary>The abstract</summary>
        <author><name>Ada Lovelace</name></author>
        <arxiv:doi>10.1000/xyz</arxiv:doi> <arxiv:journal_ref>J. Ex. 1 (2024)</arxiv:journal_ref>
        <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
      </entry>
    </feed>

An error the API reports as an entry (``<id>…/api/errors#…</id>``) is a problem, not a paper.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from litreview.errors import ListingError, Problem
from litreview.ids import normalize_arxiv_id, normalize_doi
from litreview.readers._io import SourceText
from litreview.readers._records import Columns, Record, clean_text, iso_date, records_to_columns
from litreview.schema import PAPER_COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ABS_PAGE = "https://arxiv.org/abs/"
EXPECTED = "an arXiv entry with an <id> and a <title>"
_ENTRY_START = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?entry[\s>/]")
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)/?$", re.IGNORECASE)
#: Columns of the schema beyond the ones :func:`records_to_columns` fills (when present).
_LATER_COLUMNS = ("doi", "venue", "entry_type", "date_precision", "extra")


def looks_like_arxiv_atom(head: str) -> bool:
    """True when ``head`` starts an Atom feed from the arXiv API.

    >>> looks_like_arxiv_atom('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
    ...                       '<link href="http://arxiv.org/api/query?id_list=1"/>')
    True
    """
    start = head.lstrip("\ufeff \t\r\n")
    return (
        start.startswith(("<?xml", "<feed"))
        and "<feed" in head
        and "http://www.w3.org/2005/Atom" in head
        and "arxiv.org" in head.lower()
    )


def parse_arxiv_atom(text: str, source: str) -> tuple[Columns, list[Problem]]:
    """Parse an arXiv Atom feed into per-column lists and the problems found.

    Raises :class:`ET.ParseError` (with its position) on malformed XML.
    """
    root = ET.fromstring(text)
    if root.tag != ATOM + "feed":
        raise ListingError(f"{source}:1: expected an Atom <feed>, found <{_local(root.tag)}>")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _ENTRY_START.finditer(text)]
    records: list[Record] = []
    problems: list[Problem] = []
    for n, entry in enumerate(root.iter(ATOM + "entry")):
        line = lines[n] if n < len(lines) else 1
        record = entry_record(entry)
        if record is None:
            found = _text(entry, ATOM + "summary") or _text(entry, ATOM + "id") or "an entry"
            error = "/api/errors" in (_text(entry, ATOM + "id") or "")
            expected = "a paper entry (the arXiv API reported an error)" if error else EXPECTED
            problems.append(Problem(source, line, found, expected))
            continue
        record["source_line"] = line
        records.append(record)
    columns = records_to_columns(records, source, problems)
    for name in _LATER_COLUMNS:
        if name in PAPER_COLUMNS and name not in columns:
            empty: Any = {} if name == "extra" else None
            columns[name] = [r.get(name, empty) for r in records]
    return columns, problems


def entry_record(entry: ET.Element) -> Record | None:
    """One ``<entry>`` as a record (None for an error entry or one without id or title)."""
    entry_id = _text(entry, ATOM + "id") or ""
    match = _ABS_ID.search(entry_id)
    title = clean_text(_text(entry, ATOM + "title"))
    if match is None or "/api/errors" in entry_id or not title:
        return None
    arxiv_id = normalize_arxiv_id(match["id"]) or match["id"]
    authors = [
        name
        for author in entry.findall(ATOM + "author")
        if (name := clean_text(_text(author, ATOM + "name")))
    ]
    published = _text(entry, ATOM + "published") or _text(entry, ATOM + "updated")
    doi = _first_doi(_text(entry, ARXIV + "doi")) or _first_doi(_link(entry, "doi"))
    journal = clean_text(_text(entry, ARXIV + "journal_ref"))
    extra = {
        key: value
        for key, value in (
            ("arxiv:comment", clean_text(_text(entry, ARXIV + "comment"))),
            ("arxiv:primary_category", _attr(entry, ARXIV + "primary_category", "term")),
            ("updated", clean_text(_text(entry, ATOM + "updated"))),
            ("affiliations", _affiliations(entry)),
        )
        if value
    }
    return {
        "title": title,
        "abstract": clean_text(_text(entry, ATOM + "summary")),
        "authors": authors,
        "published": iso_date(published[:10]) if published else None,
        "published_text": published,
        "date_precision": "day" if published else None,
        "arxiv_id": arxiv_id,
        "url": ABS_PAGE + arxiv_id,
        "keywords": [t for c in entry.findall(ATOM + "category") if (t := c.get("term"))],
        "doi": doi,
        "venue": journal,
        "entry_type": None if (doi or journal) else "preprint",
        "extra": extra,
    }


def _text(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    return None if found is None else "".join(found.itertext())


def _first_doi(value: str | None) -> str | None:
    """The first DOI of an ``<arxiv:doi>`` (which may hold several, space-separated: the
    paper's and an erratum's) or of a DOI link.

    >>> _first_doi(" 10.1103/PhysRevD.59.1  10.1103/PhysRevD.60.2 ")
    '10.1103/PhysRevD.59.1'
    >>> _first_doi("https://doi.org/10.1000/b"), _first_doi("")
    ('10.1000/b', None)
    """
    for token in (value or "").split():
        if doi := normalize_doi(token):
            return doi
    return None


def _link(entry: ET.Element, title: str) -> str | None:
    """The ``href`` of the entry's ``<link title=…>`` (``pdf``, ``doi``)."""
    for link in entry.findall(ATOM + "link"):
        if link.get("title") == title:
            return link.get("href")
    return None


def _attr(element: ET.Element, tag: str, name: str) -> str | None:
    found = element.find(tag)
    return None if found is None else found.get(name)


def _affiliations(entry: ET.Element) -> str | None:
    names = [
        f"{clean_text(_text(a, ATOM + 'name'))}: {clean_text(aff.text)}"
        for a in entry.findall(ATOM + "author")
        for aff in a.findall(ARXIV + "affiliation")
        if aff.text and aff.text.strip()
    ]
    return "; ".join(names) or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` an arXiv API Atom feed?"""
    return looks_like_arxiv_atom(src.head_text)


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src``; malformed XML is a :class:`ListingError` with its line."""
    text = src.read()
    try:
        return parse_arxiv_atom(text, src.name)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ListingError(
            f"{src.name}:{line}: expected well-formed Atom XML (column {column + 1}: "
            f"{str(exc).split(':')[0]})"
        ) from exc
