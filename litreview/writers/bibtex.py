"""BibTeX export that ``bibtex``, ``biber``, pybtex and ``pdflatex`` accept.

Entries are built as bibtexparser ``Entry``/``Field`` objects and written by
its writer; escaping and brace protection are ours (the writer writes values
verbatim)::

    >>> import litreview
    >>> text = to_bibtex(litreview.read_listing(litreview.SAMPLE_LISTING).head(1))
    >>> print(text.splitlines()[0])
    @misc{doracamom2025joint,
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import count
from string import ascii_lowercase

import bibtexparser
import pandas as pd
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field

from litreview._files import write_atomic
from litreview._gc import gc_paused
from litreview.readers.bibtex import split_authors
from litreview.schema import VENUE_FIELDS, venue_field
from litreview.writers._fields import (
    PARTICLES,
    Row,
    annotation_note,
    arxiv_doi,
    as_list,
    one_line,
    page_url,
    paper_rows,
    split_name,
    terms,
)
from litreview.writers._latex import NOT_KEY_CHAR, ascii_fold, escape, protect_title

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Title words a citation key skips, as Better BibTeX does.
SKIP_WORDS = frozenset(
    """
    a about above across after against al along among an and around as at before behind
    below beneath beside between beyond but by d da das de del della dem den der des di die
    do down du during ein eine einem einen einer eines el en et for from i il in inside
    into is l la las le les like lo los near nor of off on onto or over per plus since so
    some sur than the through to toward towards un una une under until up upon versus via
    von while with within without yet zu zum
    """.split()  # noqa: SIM905
)
BIBTEX_COLUMNS = (
    "paper_id", "title", "abstract", "n_authors", "authors", "published", "date_precision",
    "arxiv_id", "doi", "url", "venue", "entry_type", "citation_key", "keywords", "extra",
    "decision", "reason", "tags", "note", "rating",
)  # fmt: skip
_BIBTEX_NAME = re.compile(r"[a-z][a-z0-9_:.+-]*")
_TYPE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
#: Fields written as they are (braces balanced): links, files, identifiers.
_VERBATIM = frozenset({"url", "file", "doi", "eprint", "pdf", "urldate", "isbn", "issn"})
#: RIS tags kept in ``extra`` and the BibTeX field each is written as.
RIS_FIELDS = {
    "VL": "volume", "IS": "number", "PB": "publisher", "CY": "address", "SN": "issn",
    "N1": "note", "ET": "edition", "LA": "language", "AN": "accession", "L1": "file",
    "T3": "series", "A2": "editor", "ED": "editor", "M3": "type", "CN": "callnumber",
}  # fmt: skip
_MACRO = re.compile(r"\\[A-Za-z]+")
_BARE_SPECIAL = re.compile(r"(?<!\\)[&%#$]")
_URL_UNSAFE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})


def to_bibtex(
    df: pd.DataFrame,
    path: str | os.PathLike[str] | None = None,
    *,
    with_notes: bool = False,
    overwrite: bool = False,
) -> str:
    """The papers as BibTeX ``@misc`` entries; also written to ``path`` when given
    (an existing file is replaced only with ``overwrite=True``).

    Keys look like ``vaswani2017attention`` (first author's last name, or the
    first title word without authors, then the year and a title word); they
    are unique in the file (``a``, ``b``… suffixes) and the same for the same
    selection. ``with_notes=True`` adds the decision and the user's note.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> "@misc{" in to_bibtex(df)
    True
    """
    with gc_paused():
        rows = paper_rows(df, BIBTEX_COLUMNS)
        keys = citation_keys(rows)
        entries: list[Block] = [
            bibtex_entry(r, k, with_notes, enclosed=True) for r, k in zip(rows, keys, strict=True)
        ]
        # the values carry their braces, so the writer needs no unparse middleware
        text = bibtexparser.write_string(Library(entries), unparse_stack=[])
    if text:
        text += "\n"
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def bibtex_entry(row: Row, key: str, with_notes: bool, *, enclosed: bool = False) -> Entry:
    """The paper's entry (its ``entry_type``, else ``@misc``); values bare as
    bibtexparser models them (its ``AddEnclosingMiddleware`` braces them when
    writing), or already braced with ``enclosed=True`` for a writer with no unparse
    middleware (the same text). An entry read from BibTeX (one with a
    ``citation_key``) gets its own fields back (``extra``) and nothing made up."""
    values: list[tuple[str, str]] = []  # (name, value): only non-empty values
    extra: dict[str, str] = row.get("extra") or {}
    entry_type = _entry_type(row)
    imported = row.get("citation_key") is not None
    month, n_before_month = "", 0
    authors = [a for a in map(one_line, as_list(row["authors"])) if a]
    if authors and _same_text(extra.get("author"), " ".join(authors), names=True):
        values.append(("author", extra["author"]))  # as the source wrote it
    elif authors:
        names = [bibtex_name(a) for a in authors]
        if (row["n_authors"] or 0) > len(authors):
            names.append("others")
        values.append(("author", " and ".join(names)))
    title = one_line(row["title"] or "")
    if title:
        own = _same_text(extra.get("title"), title)
        values.append(("title", extra["title"] if own else protect_title(title)))
    venue = one_line(row.get("venue") or "")
    field = venue_field(entry_type)[0] if entry_type in VENUE_FIELDS else _other_venue(entry_type)
    if venue and not _given(extra, ("journaltitle", "journal"), venue):
        own = _same_text(extra.get(field), venue)
        values.append((field, extra[field] if own else protect_title(venue)))
    published = row["published"]
    if published is not None and "date" not in extra and "year" not in extra:
        values.append(("year", str(published.year)))
        if row.get("date_precision") in ("month", "day", None) and "month" not in extra:
            month = MONTHS[published.month - 1]
            n_before_month = len(values)
    arxiv_id = row["arxiv_id"]
    if arxiv_id and not imported and "eprint" not in extra:
        if not venue:
            values.append(("howpublished", f"arXiv preprint arXiv:{arxiv_id}"))
        values.append(("eprint", str(arxiv_id)))
        values.append(("archivePrefix", "arXiv"))
    doi = row.get("doi") or (None if imported else arxiv_doi(row))
    if doi:
        values.append(("doi", doi.translate(_URL_UNSAFE)))
    url = row.get("url") if imported else page_url(row)
    if url:
        values.append(("url", url.translate(_URL_UNSAFE)))
    abstract = row["abstract"]
    if abstract:
        abstract = escape(one_line(abstract))
        if abstract:
            values.append(("abstract", abstract))
    keywords = ", ".join(escape(t) for t in terms(row))
    if keywords:
        values.append(("keywords", keywords))
    values += extra_fields(extra, {name for name, _ in values})
    if with_notes:
        note = escape(annotation_note(row))
        if note:
            values.append(("note" if "note" not in extra else "annote", note))
    if not authors and not imported and "key" not in extra:
        fallback = escape(_first_word(title) or key)
        if fallback:
            values.append(("key", fallback))
    if enclosed:
        fields = [Field(name, "{" + value + "}") for name, value in values]
    else:
        fields = [Field(name, value) for name, value in values]
    if month and "month" not in extra:
        # a BibTeX macro: written bare (``month = jun``), never braced
        fields.insert(n_before_month, Field("month", month, enclosing="no-enclosing"))
    return Entry(entry_type, key, fields)


def _other_venue(entry_type: str) -> str:
    """Where the venue of a type without a journal or booktitle goes (fields every
    BibTeX style and biblatex's data model know for it)."""
    return "howpublished" if entry_type in ("misc", "online", "unpublished", "booklet") else "note"


def _entry_type(row: Row) -> str:
    kind = str(row.get("entry_type") or "misc").lower()
    if kind == "preprint":
        return "misc"  # BibTeX has no preprint type: arXiv's own advice
    return kind if _TYPE_NAME.fullmatch(kind) else "misc"


def _same_text(raw: str | None, text: str, *, names: bool = False) -> bool:
    """True when the LaTeX ``raw`` a source gave spells the same letters as ``text``
    (accents, braces, macros, name order and ``and others`` aside): the column has
    not changed since it was read, so ``raw`` is written back as it was."""
    if not raw:
        return False
    if names:  # an author list: its names (a braced "and" is part of a name)
        parts = split_authors(raw)
        raw = " ".join(p for n in parts if [x.lower() for x in n] != ["others"] for p in n)
    letters = Counter(ascii_fold(text))
    with_macros = Counter(ascii_fold(raw.replace("\\", " ")))
    without_macros = Counter(ascii_fold(_MACRO.sub(" ", raw)))
    return letters <= with_macros and without_macros <= letters


def _given(extra: dict[str, str], names: tuple[str, ...], value: str) -> bool:
    """True when ``extra`` holds ``value`` under one of ``names`` already (an alias
    the source used, written back as it was)."""
    return any(one_line(extra.get(n) or "") == value for n in names)


def extra_fields(extra: dict[str, str], written: set[str]) -> list[tuple[str, str]]:
    """The ``extra`` fields as BibTeX fields: BibTeX's own (lower-case names) as they
    were, RIS tags under their BibTeX names (``VL`` -> ``volume``, ``SP``/``EP`` ->
    ``pages``), escaped; other names (a CSV column's header) are not BibTeX fields.

    >>> extra_fields({"volume": "12", "SP": "3", "EP": "9", "Cited by": "4"}, set())
    [('volume', '12'), ('pages', '3--9')]
    """
    out: list[tuple[str, str]] = []
    taken = set(written)
    for name, value in extra.items():
        if name in RIS_FIELDS or name in ("SP", "EP"):
            continue
        if not value or name in taken or not _BIBTEX_NAME.fullmatch(name):
            continue
        out.append((name, _bibtex_value(name, value)))
        taken.add(name)
    if "SP" in extra and "pages" not in taken:
        pages = extra["SP"] + (f"--{extra['EP']}" if extra.get("EP") else "")
        out.append(("pages", escape(one_line(pages))))
        taken.add("pages")
    for tag, name in RIS_FIELDS.items():
        if extra.get(tag) and name not in taken:
            out.append((name, escape(one_line(extra[tag]))))
            taken.add(name)
    return out


def _bibtex_value(name: str, value: str) -> str:
    """A value kept from a source, as it was when its braces balance (BibTeX's own),
    with a bare ``&``/``%``/``#``/``$`` escaped outside links (plain text from elsewhere)."""
    if value.count("{") != value.count("}"):
        return escape(one_line(value))
    if name in _VERBATIM:
        return value
    return _BARE_SPECIAL.sub(lambda m: "\\" + m.group(), value)


def bibtex_name(name: str) -> str:
    """A name as BibTeX's "Last, First" (``Ludwig van Beethoven`` -> ``van Beethoven, Ludwig``)."""
    if name.count(",") in (1, 2):
        return ", ".join(_name_part(p.strip()) for p in name.split(","))
    parts = None if "," in name else split_name(name)
    if parts is None:
        return "{" + escape(name) + "}"
    last, first, suffix = parts
    return ", ".join(_name_part(p) for p in ([last, suffix, first] if suffix else [last, first]))


def _name_part(part: str) -> str:
    words = [("{" + w + "}" if w.lower() == "and" else escape(w)) for w in part.split()]
    return " ".join(words)


def citation_keys(rows: list[Row]) -> list[str]:
    """Better-BibTeX-style keys, unique within ``rows`` and independent of their order;
    a paper's own ``citation_key`` (the one its BibTeX source gave) is kept as it is."""
    bases = [str(row.get("citation_key") or "") or _key_base(row) for row in rows]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, base in enumerate(bases):
        groups[base].append(i)
    keys = [""] * len(rows)
    taken = set(groups)
    for base, members in groups.items():
        if len(members) == 1:
            keys[members[0]] = base
            continue
        members.sort(  # a paper whose own key it is keeps it
            key=lambda i: (
                rows[i].get("citation_key") != base,
                str(rows[i]["paper_id"] or ""),
                str(rows[i]["title"] or ""),
            )
        )
        keys[members[0]] = base
        suffixes = (s for s in _suffixes() if base + s not in taken)
        for i in members[1:]:
            keys[i] = base + next(suffixes)
            taken.add(keys[i])
    return keys


def _suffixes() -> Iterator[str]:
    for n in count(1):
        if n <= 26:
            yield ascii_lowercase[n - 1]
        else:
            yield ascii_lowercase[(n - 1) // 26 - 1] + ascii_lowercase[(n - 1) % 26]


def _key_base(row: Row) -> str:
    words = _significant_words(row["title"] or "")
    year = str(row["published"].year) if row["published"] is not None else ""
    authors = as_list(row["authors"])
    if authors:
        head = _last_name_for_key(authors[0])
        title_words = words[:1]
    else:
        head = words[0] if words else ""
        title_words = words[1:2]
    key = head + year + "".join(title_words)
    if not head:
        key = "paper" + year + str(row["paper_id"] or "")[:6]
    return key


def _last_name_for_key(name: str) -> str:
    """The first author's last name for the key, without particles (``van``, ``de``…)."""
    parts = split_name(name)
    last = name.split(",")[0] if "," in name or parts is None else parts[0]
    return ascii_fold("".join(t for t in last.split() if t not in PARTICLES))


def _significant_words(title: str) -> list[str]:
    if title.isascii():
        words = NOT_KEY_CHAR.sub("", title.lower()).split()
    else:
        words = [ascii_fold(w) for w in title.split()]
    return [w for w in words if w and w not in SKIP_WORDS and not w.isdigit()]


def _first_word(title: str) -> str:
    """The first significant title word as written (the ``key`` field for sorting)."""
    for word in title.split():
        folded = ascii_fold(word)
        if folded and folded not in SKIP_WORDS and not folded.isdigit():
            return word.strip(".,:;!?()[]\"'")
    return ""
