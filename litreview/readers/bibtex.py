r"""Reader for BibTeX and biblatex files (Zotero, Better BibTeX, JabRef, Mendeley exports).

>>> entry = r"@article{k, title={Caf{\'e} {GPU}s}, author={M{\"u}ller, Hans and Jane Doe}}"
>>> cols, problems = parse_bibtex(entry, "refs.bib")
>>> cols["title"], cols["authors"], cols["entry_type"], cols["citation_key"]
(['Café GPUs'], [['Hans Müller', 'Jane Doe']], ['article'], ['k'])

Read into columns (LaTeX decoded to the text it prints): ``title``, ``abstract``,
``author`` (``Last, First`` becomes ``First Last``; ``and others`` leaves the count
open), ``keywords``, the venue (``journal``/``journaltitle`` of an article,
``booktitle`` of a paper in proceedings or a book, else ``journal``), ``doi``
(without its ``https://doi.org/`` or ``doi:`` prefix), ``url``, the arXiv id
(``eprint`` with ``archivePrefix = arXiv``, or one named in ``url``, ``journal``,
``note``, ``howpublished``, ``doi``), the date (``date``, or ``year`` with ``month``,
at the precision given: see :mod:`litreview.readers._dates`), the entry type and
its citation key. **Every other field** is kept in ``extra`` under its own
(lower-case) name with its value as written (LaTeX kept), as are a ``year``/``month``
the date cannot say exactly (``1875 [2004]``, ``Spring``), a ``date``, and the
``title``, ``author`` and venue as written when they hold LaTeX (braces protecting
capitals, a braced corporate author, ``and others``); so BibTeX -> review -> BibTeX
gives the entry back (the writer uses those while the columns still say the same).

Refused, each reported with its line and the entries around it kept: a block that
does not parse (an unclosed brace, a missing comma), and an entry with neither a
title nor a DOI or arXiv id. An entry without a title but with a DOI or arXiv id
is kept (reported: "missing title"). A repeated key that repeats the entry is read
once; one with other fields is kept too, reported.
"""

from __future__ import annotations

import re

from litreview._links import is_code_url
from litreview.errors import Problem
from litreview.ids import normalize_arxiv_id, normalize_doi
from litreview.readers._bibtex_blocks import RawEntry, parse_blocks
from litreview.readers._dates import month_number, parse_date, year_month_date
from litreview.readers._io import SourceText
from litreview.readers._latex_text import latex_to_text
from litreview.readers._records import Columns, Record, arxiv_id_in, clean_text, records_to_columns
from litreview.schema import VENUE_FIELDS, venue_field

_DETECT = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_KEYWORD_SPLIT = re.compile(r"[;,]")
EXPECTED = "a BibTeX entry like '@article{key, title = {...}, ...}'"
_AND_OR_COMMA = re.compile(r"\s+and\s+|,", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")  # \_ in a url field is an underscore
#: Fields read into columns (never also kept in ``extra``).
CONSUMED = frozenset({"title", "author", "abstract", "keywords", "doi", "url"})
MISSING_TITLE = "a title (kept by its DOI or arXiv id: metadata completion can fill it)"


def looks_like_bibtex(head: str) -> bool:
    """True when ``head`` holds an entry start such as ``@article{``."""
    return "@" in head and _DETECT.search(head) is not None  # the substring test is ~100x faster


def parse_bibtex(text: str, source: str) -> tuple[Columns, list[Problem]]:
    """Parse BibTeX text into per-column lists and the problems found."""
    blocks = parse_blocks(text)
    problems = [Problem(source, b.line, b.raw, f"{EXPECTED} ({b.expected})") for b in blocks.broken]
    records: list[Record] = []
    seen: dict[str, RawEntry] = {}
    for entry in blocks.entries:
        first = seen.get(entry.key) if entry.key else None
        if first is not None:
            if (first.entry_type, first.fields) == (entry.entry_type, entry.fields):
                continue  # the same entry twice: one paper
            expected = f"a citation key not used before (line {first.line} has {entry.key!r} too)"
            problems.append(
                Problem(source, entry.line, entry.raw, expected, True, "both entries are kept")
            )
        elif entry.key:
            seen[entry.key] = entry
        try:
            record = entry_record(entry)
        except RecursionError:
            expected = "braces nested less deeply (Python's recursion limit)"
            problems.append(Problem(source, entry.line, entry.raw, expected))
            continue
        if not record["title"]:
            if not (record["doi"] or record["arxiv_id"]):
                problems.append(Problem(source, entry.line, entry.raw, "a title field"))
                continue
            problems.append(Problem(source, entry.line, entry.raw, MISSING_TITLE, kept=True))
        record["source_line"] = entry.line
        records.append(record)
    return records_to_columns(records, source, problems), problems


def entry_record(entry: RawEntry) -> Record:
    """The paper of one entry (see the module docstring for what goes where)."""
    fields = entry.fields
    get = fields.get
    title = _text(get("title"))
    authors, others = _authors(get("author") or "")
    doi_raw = get("doi")
    doi = normalize_doi(doi_raw) if doi_raw else None
    url = clean_text(_URL_ESCAPE.sub(r"\1", get("url") or ""))
    code_urls = [url] if url and is_code_url(url) else []
    venue_names = venue_field(entry.entry_type)
    venue_name = next((n for n in venue_names if get(n)), None)
    typed = entry.entry_type in VENUE_FIELDS  # else the venue's field stays in extra too
    used = {*CONSUMED, *((venue_name,) if venue_name and typed else ())}
    extra = {k: v for k, v in fields.items() if k not in used}
    for name in ("title", "author", venue_name):  # LaTeX the columns cannot give back
        raw = get(name) if name else None
        if raw and ("{" in raw or "\\" in raw or (name == "author" and others)):
            extra[name] = raw  # type: ignore[index]
    if doi_raw and not doi:
        extra["doi"] = doi_raw  # not a DOI: kept as written
    if code_urls:
        extra.setdefault("url", get("url") or "")  # a code link: kept where it was, too
    date, precision = _date(fields, extra)
    keywords = [k.strip() for k in _KEYWORD_SPLIT.split(_text(get("keywords")) or "") if k.strip()]
    return {
        "title": title,
        "abstract": _text(get("abstract")),
        "authors": authors,
        **({"n_authors": None} if others else {}),
        "code_urls": code_urls,
        "published": date,
        "date_precision": precision,
        "published_text": get("date") or get("year"),
        "arxiv_id": _arxiv_id(fields),
        "doi": doi,
        "url": None if code_urls else url,
        "venue": _text(get(venue_name)) if venue_name else None,
        "entry_type": entry.entry_type,
        "citation_key": entry.key or None,
        "keywords": keywords,
        "extra": extra,
    }


def _text(value: str | None) -> str | None:
    return clean_text(latex_to_text(value)) if value else None


def _date(fields: dict[str, str], extra: dict[str, str]) -> tuple[object, str | None]:
    """The date and its precision. Without a ``date`` field, ``year``/``month`` leave
    ``extra`` when the writer gives them back exactly (``year = {2019}``, ``month = jun``);
    a ``date`` stays there, written back as it was, with any ``year``/``month``."""
    year, month, date = fields.get("year"), fields.get("month"), fields.get("date")
    found = parse_date(_plain(date)) if date else None
    if found is None and year:
        found = year_month_date(_plain(year), _plain(month), _plain(fields.get("day")))
    if found is None:
        return None, None
    if not date:
        if year and _YEAR.fullmatch(year.strip()) and int(year) == found[0].year:
            del extra["year"]
        if month and found[1] != "year" and month_number(month) == found[0].month:
            del extra["month"]
    return found[0], found[1]


def _plain(value: str | None) -> str | None:
    return value.replace("{", "").replace("}", "") if value else value


def split_authors(field: str) -> list[list[str]]:
    r"""The names of a BibTeX ``author`` field, each as its comma-separated parts.

    Only ``and`` and commas outside braces separate (as in BibTeX), so a braced
    corporate author stays one name; the parts are still LaTeX.

    >>> split_authors(r"{World Health Organization} and M{\"u}ller, Hans")
    [['{World Health Organization}'], ['M{\\"u}ller', 'Hans']]
    """
    names: list[list[str]] = []
    parts: list[str] = []
    depth = begin = position = 0
    brace_free = "{" not in field
    for match in _AND_OR_COMMA.finditer(field):
        if not brace_free:
            segment = field[position : match.start()]
            depth += segment.count("{") - segment.count("}")
            position = match.start()
            if depth > 0:
                continue
        parts.append(field[begin : match.start()].strip())
        if match.group() != ",":
            names.append(parts)
            parts = []
        begin = match.end()
    parts.append(field[begin:].strip())
    names.append(parts)
    return [n for n in names if any(n)]


def person_name(name: str) -> str:
    """``Last, First`` (or ``Last, Jr, First``) as ``First Last``; other forms unchanged."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name.strip()


def _authors(field: str) -> tuple[list[str], bool]:
    """The authors in ``First Last`` order, and whether the list ends ``and others``."""
    authors = []
    others = False
    for parts in split_authors(field):
        if [p.lower() for p in parts] == ["others"]:
            others = True
            continue
        text = [t for t in (clean_text(latex_to_text(p)) for p in parts) if t]
        if len(text) == 2:  # Last, First
            text = [text[1], text[0]]
        elif len(text) == 3:  # Last, Jr, First
            text = [text[2], text[0], text[1]]
        if text:
            authors.append(" ".join(text))
    return authors, others


def _arxiv_id(fields: dict[str, str]) -> str | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").lower()
    for key in ("eprint", "arxiv", "arxivid"):
        if fields.get(key) and prefix == "arxiv":
            found = normalize_arxiv_id(fields[key])
            if found:
                return found
    keys = ("url", "journal", "note", "howpublished", "doi", "eprint")
    return arxiv_id_in([fields.get(k) or "" for k in keys])


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` BibTeX?"""
    return looks_like_bibtex(src.head_text)


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src``."""
    return parse_bibtex(src.read(), src.name)
