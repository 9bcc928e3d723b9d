"""BibTeX export that ``bibtex``, ``biber``, pybtex and ``pdflatex`` accept.

Entries are built as bibtexparser ``Entry``/``Field`` objects and written by
its writer; escaping and brace protection are ours (the writer writes values
verbatim)::

    >>> import litreview
    >>> text = to_bibtex(litreview.read_listing(litreview.SAMPLE_LISTING).head(1))
    >>> print(text.splitlines()[0])
    @misc{DoracamomJoint3D2025,
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from itertools import count
from typing import Literal

import bibtexparser
import pandas as pd
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field

from litreview._files import write_atomic
from litreview._gc import gc_paused
from litreview.readers.bibtex import split_authors
from litreview.schema import VENUE_FIELDS, venue_field
from litreview.writers._fields import (
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
from litreview.writers._key_parts import SKIP_WORDS, safe_key
from litreview.writers._latex import ascii_fold, escape, protect_title
from litreview.writers.biblatex import biblatex_entry
from litreview.writers.key_formula import KeyFormula

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
Dialect = Literal["bibtex", "biblatex"]
#: The dialects :func:`to_bibtex` writes.
DIALECTS: tuple[str, ...] = ("bibtex", "biblatex")
BIBTEX_COLUMNS = (
    "paper_id", "title", "abstract", "n_authors", "authors", "published", "date_precision",
    "arxiv_id", "doi", "url", "venue", "entry_type", "citation_key", "keywords", "extra",
    "organization",
    "decision", "reason", "tags", "note", "rating",
)  # fmt: skip
#: The ``extra`` name of an arXiv paper's primary category (litreview.readers.arxiv_atom).
ARXIV_CATEGORY = "arxiv:primary_category"
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
    dialect: Dialect = "bibtex",
    key_formula: str | None = None,
    keys: Mapping[str, str] | None = None,
) -> str:
    """The papers as BibTeX (or, with ``dialect="biblatex"``, biblatex) entries of their
    ``entry_type``; also written to ``path`` when given (an existing file is replaced
    only with ``overwrite=True``).

    A paper's key is ``keys[paper_id]`` when given (a review's pinned keys), else its
    own ``citation_key`` (the one its source gave), else Better BibTeX's default formula
    ``auth.lower + shorttitle(3, 3) + year`` (``vaswaniAttentionAllYou2017``; another
    formula with ``key_formula``, see :mod:`litreview.writers.key_formula`). Keys are
    unique in the file; each paper's key depends on that paper only, except when two
    papers of the file make the same key: then the one with the larger ``paper_id``
    gets a postfix derived from its ``paper_id`` (the same in every file holding both).
    ``with_notes=True`` adds the decision and the user's note.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> "@misc{" in to_bibtex(df), "date = {2025-01-25}" in to_bibtex(df, dialect="biblatex")
    (True, True)
    """
    pieces = bibtex_pieces(df, max(len(df), 1), with_notes=with_notes, dialect=dialect,
                           key_formula=key_formula, keys=keys)  # fmt: skip
    text = "".join(pieces)  # one piece
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def bibtex_pieces(
    df: pd.DataFrame,
    rows: int,
    *,
    with_notes: bool = False,
    dialect: Dialect = "bibtex",
    key_formula: str | None = None,
    keys: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """:func:`to_bibtex`'s text for ``df`` in pieces of ``rows`` entries (joined, the same
    text; the keys are chosen over every paper first): what a file of many papers is
    written from, holding the entries of one piece at a time.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> "".join(bibtex_pieces(df, 7)) == to_bibtex(df)
    True
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
    with gc_paused():
        every = paper_rows(df, BIBTEX_COLUMNS)
        chosen = citation_keys(every, KeyFormula.parse(key_formula), keys)
    for start in range(0, len(every), rows):
        with gc_paused():
            entries: list[Block] = [
                bibtex_entry(r, k, with_notes, enclosed=True, dialect=dialect)
                for r, k in zip(
                    every[start : start + rows], chosen[start : start + rows], strict=True
                )
            ]
            # the values carry their braces, so the writer needs no unparse middleware
            text = bibtexparser.write_string(Library(entries), unparse_stack=[])
        yield ("\n\n" if start else "") + text  # write_string's separator between entries
    if every:
        yield "\n"


def bibtex_entry(
    row: Row, key: str, with_notes: bool, *, enclosed: bool = False, dialect: Dialect = "bibtex"
) -> Entry:
    """The paper's entry (its ``entry_type``, else ``@misc``); values bare as
    bibtexparser models them (its ``AddEnclosingMiddleware`` braces them when
    writing), or already braced with ``enclosed=True`` for a writer with no unparse
    middleware (the same text). An entry read from BibTeX (one with a
    ``citation_key``) gets its own fields back (``extra``) and nothing made up."""
    values: list[tuple[str, str]] = []  # (name, value): only non-empty values
    extra: dict[str, str] = row.get("extra") or {}
    entry_type = _entry_type(row)
    imported = _from_a_reference_manager(row)
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
        category = extra.get(ARXIV_CATEGORY)  # arXiv's own feed gives it
        if category and "primaryclass" not in {k.lower() for k in extra}:
            values.append(("primaryClass", escape(one_line(category))))
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
    values += extra_fields(extra, {name for name, _ in values} | {ARXIV_CATEGORY})
    if with_notes:
        note = escape(annotation_note(row))
        if note:
            values.append(("note" if "note" not in extra else "annote", note))
    if not authors and not imported and "key" not in extra and dialect == "bibtex":
        fallback = escape(_first_word(title) or key)
        if fallback:
            values.append(("key", fallback))
    if dialect == "biblatex":
        return biblatex_entry(row, key, entry_type, values, enclosed=enclosed)
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


def _from_a_reference_manager(row: Row) -> bool:
    """Whether ``row`` is a record another tool wrote (BibTeX, RIS, a CSV with a key and
    an item type), to be written back as it was: it has its own key and entry type. A key
    a review pinned on a Hugging Face or arXiv paper (no entry type) does not make it one,
    so ``to_bibtex(review.papers)`` still gives such a paper its ``eprint`` and page URL."""
    return row.get("citation_key") is not None and row.get("entry_type") is not None


def citation_keys(
    rows: list[Row], formula: KeyFormula | None = None, keys: Mapping[str, str] | None = None
) -> list[str]:
    """Each row's key: ``keys[paper_id]``, else its own ``citation_key``, else the
    formula's (Better BibTeX's default); unique within ``rows`` (compared without case,
    as biber does) and independent of their order.

    >>> citation_keys([{"paper_id": "p1", "title": "Attention Is All You Need",
    ...                 "authors": ["Ashish Vaswani"], "published": None}])
    ['vaswaniAttentionAllYou']
    """
    formula = formula or KeyFormula.parse()
    keys = keys or {}
    out = [""] * len(rows)
    fixed: list[int] = []
    computed: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        pid = str(row.get("paper_id") or "")
        own = safe_key(str(keys.get(pid) or row.get("citation_key") or ""))  # a key BibTeX reads
        if own:
            out[i] = own
            fixed.append(i)
        else:
            out[i] = formula.base(row) or _fallback_key(row)
            computed[out[i].casefold()].append(i)
    taken: set[str] = set()
    fixed.sort(key=lambda i: str(rows[i].get("paper_id") or ""))
    for i in fixed:  # two rows giving one key: the later paper_id gets a postfix
        if out[i].casefold() in taken:
            out[i] = _free(out[i], str(rows[i].get("paper_id") or ""), taken, formula)
        taken.add(out[i].casefold())
    for members in computed.values():
        members.sort(key=lambda i: str(rows[i].get("paper_id") or ""))
        for n, i in enumerate(members):
            base, pid = out[i], str(rows[i].get("paper_id") or "")
            bare = n == 0 and formula.postfix.start == 0 and base.casefold() not in taken
            out[i] = base if bare else _free(base, pid, taken, formula)
            taken.add(out[i].casefold())
    return out


def _free(base: str, paper_id: str, taken: set[str], formula: KeyFormula) -> str:
    """``base`` with a postfix not in ``taken``, picked from the paper's id (not from the
    other papers), so it is the same in every file holding the papers that clash."""
    start = int(hashlib.sha1(paper_id.encode()).hexdigest()[:8], 16) % 26
    for n in count(start + 1):
        key = base + formula.postfix.suffix(n)
        if key.casefold() not in taken:
            return key
    raise AssertionError("unreachable")


def _fallback_key(row: Row) -> str:
    """A key for a paper the formula says nothing about (no author, title or year)."""
    year = str(row["published"].year) if row.get("published") is not None else ""
    digest = hashlib.sha1(str(row.get("paper_id") or "").encode()).hexdigest()[:6]
    return f"paper{year}{digest}"


def _first_word(title: str) -> str:
    """The first significant title word as written (the ``key`` field for sorting)."""
    for word in title.split():
        folded = ascii_fold(word)
        if folded and folded not in SKIP_WORDS and not folded.isdigit():
            return word.strip(".,:;!?()[]\"'")
    return ""
