r"""Reader for BibTeX files, via bibtexparser 2.x, with LaTeX decoded to Unicode.

>>> entry = r"@article{k, title={Caf{\'e} {GPU}s}, author={M{\"u}ller, Hans and Jane Doe}}"
>>> cols, problems = parse_bibtex(entry, "refs.bib")
>>> cols["title"], cols["authors"]
(['Café GPUs'], [['Hans Müller', 'Jane Doe']])

Fields read: ``title``, ``abstract``, ``author`` (``Last, First`` becomes
``First Last``), ``date`` or ``year``/``month`` (a missing month or day
counts as the first), ``eprint``/``arxiv`` (and any arXiv id in ``url``,
``journal``, ``note`` or ``howpublished``), ``url`` (else a ``doi`` as
``https://doi.org/…``), ``keywords``. Blocks bibtexparser cannot parse are
reported with their line, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import cast

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware, ResolveStringReferencesMiddleware
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from litreview._links import is_code_url
from litreview.errors import Problem
from litreview.ids import normalize_arxiv_id
from litreview.readers._io import SourceText
from litreview.readers._latex_text import latex_to_text
from litreview.readers._records import (
    MONTHS,
    Columns,
    Record,
    arxiv_id_in,
    clean_text,
    iso_date,
    records_to_columns,
)

_DETECT = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_KEYWORD_SPLIT = re.compile(r"[;,]")
EXPECTED = "a BibTeX entry like '@article{key, title = {...}, ...}'"
_DECODED = ("title", "abstract", "keywords", "date", "year", "month")  # the fields read as text
_AND_OR_COMMA = re.compile(r"\s+and\s+|,", re.IGNORECASE)


def looks_like_bibtex(head: str) -> bool:
    """True when ``head`` holds an entry start such as ``@article{``."""
    return "@" in head and _DETECT.search(head) is not None  # the substring test is ~100x faster


def parse_bibtex(text: str, source: str) -> tuple[Columns, list[Problem]]:
    """Parse BibTeX text into per-column lists and the problems found."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    records: list[Record] = []
    problems: list[Problem] = []
    duplicates: list[DuplicateBlockKeyBlock] = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, Entry
        ):
            duplicates.append(block)
        else:
            problems.append(Problem(source, _line(block), block.raw or "", EXPECTED))
    for entry in [*library.entries, *_different(duplicates, library, source, problems)]:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        try:
            record = _record(fields)
        except RecursionError:
            expected = "braces nested less deeply (Python's recursion limit)"
            problems.append(Problem(source, _line(entry), entry.raw or "", expected))
            continue
        if record is None:
            problems.append(Problem(source, _line(entry), entry.raw or "", "a title field"))
            continue
        record["source_line"] = _line(entry)
        records.append(record)
    records.sort(key=lambda r: r["source_line"])
    return records_to_columns(records, source, problems), problems


def _line(block: object) -> int:
    return int(getattr(block, "start_line", 0) or 0) + 1


def _different(
    duplicates: list[DuplicateBlockKeyBlock], library: Library, source: str, problems: list[Problem]
) -> list[Entry]:
    """The entries whose key an earlier entry has: kept, with a problem, unless they
    repeat that entry field for field (then they are one paper, read once)."""
    if not duplicates:
        return []
    entries = [cast(Entry, d.ignore_error_block) for d in duplicates]
    # the same clean-up bibtexparser gives the first entries: @string macros, braces, quotes
    resolved = Library([*library.strings, *entries])
    for middleware in (ResolveStringReferencesMiddleware(), RemoveEnclosingMiddleware()):
        resolved = middleware.transform(resolved)
    kept = []
    for block, entry in zip(duplicates, entries, strict=True):
        previous = cast(Entry, block.previous_block)
        if _fields(entry) == _fields(previous):
            continue
        line = _line(previous)
        expected = f"a citation key not used before (line {line} has {block.key!r} too)"
        note = "both entries are kept"
        problems.append(Problem(source, _line(entry), entry.raw or "", expected, True, note))
        kept.append(entry)
    return kept


def _fields(entry: Entry) -> tuple[str, dict[str, str]]:
    return entry.entry_type.lower(), {f.key.lower(): str(f.value) for f in entry.fields}


def person_name(name: str) -> str:
    """``Last, First`` (or ``Last, Jr, First``) as ``First Last``; other forms unchanged."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name.strip()


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


def _record(fields: dict[str, str]) -> Record | None:
    text = {k: clean_text(latex_to_text(fields[k])) for k in _DECODED if k in fields}
    title = text.get("title")
    if not title:
        return None
    authors, others = _authors(fields.get("author") or "")
    url = clean_text(fields.get("url"))
    doi = clean_text(fields.get("doi"))
    if not url and doi:
        url = "https://doi.org/" + doi.removeprefix("https://doi.org/")
    code_urls = [url] if url and is_code_url(url) else []
    url = None if code_urls else url
    keywords = [k.strip() for k in _KEYWORD_SPLIT.split(text.get("keywords") or "") if k.strip()]
    return {
        "title": title,
        "abstract": text.get("abstract"),
        "authors": authors,
        **({"n_authors": None} if others else {}),
        "code_urls": code_urls,
        "published": iso_date(text.get("date")) or _year_month(text.get("year"), text.get("month")),
        "published_text": text.get("date") or text.get("year"),
        "arxiv_id": _arxiv_id(fields),
        "url": url,
        "keywords": keywords,
    }


def _year_month(year: str | None, month: str | None) -> dt.date | None:
    if not year or not re.fullmatch(r"\d{4}", year.strip()):
        return None
    number = 1
    if month:
        m = month.strip().lower()
        number = MONTHS[m[:3]] if m[:3] in MONTHS else int(m) if m.isdigit() else 1
        number = number if 1 <= number <= 12 else 1  # a bad month keeps the year
    return iso_date(f"{year.strip()}-{number:02d}")


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
