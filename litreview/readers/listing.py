"""Reading one listing: the one read path (:func:`read_listing_and_format`) that
:func:`read_listing`, :func:`litreview.read_listings` and review loading call.

Each format is one module with a ``detect`` function (on the start of the
file) and a ``parse`` function. :func:`read_listing` picks the reader: an
explicit ``format=``, else the file's suffix when it names a format (``.bib``,
``.ris``, ``.csv``/``.tsv``, ``.json``, ``.md``), else the content (``.txt``,
other suffixes, text and streams). A file whose suffix names a format but whose
content is not that format is refused, never read as something else.

Content decides by evidence: each reader scores the start of the file
(:meth:`Reader.confidence`; the page captures count the papers they see) and
the most confident wins, ties going to the earlier reader. When none is
confident, or the reader chosen finds no paper at all, one :class:`ListingError`
names the formats tried and what each expected (never a warning per block
from a reader that did not fit).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from litreview._gc import gc_paused
from litreview.errors import ListingError, ListingWarning, Problem
from litreview.ids import PaperIndex, normalize_arxiv_id
from litreview.readers import (
    arxiv_atom,
    bibtex,
    hf_json,
    hf_linked_text,
    hf_markdown,
    hf_paper_page,
    ris,
    table_csv,
    table_xlsx,
)
from litreview.readers._io import Source, SourceText, open_source
from litreview.readers.frontmatter import blank_front_matter, capture_year
from litreview.readers.hf_text.lines import (
    Columns,
    hf_text_score,
    looks_like_hf_text,
    parse_hf_text,
)
from litreview.schema import papers_from_columns

Errors = Literal["warn", "raise", "ignore"]
#: CSV is the fallback: any page capture with evidence of a paper beats a header that fits.
CSV_CONFIDENCE = 0.5
ParseResult = tuple[Columns, list[Problem]]
MAX_PROBLEMS_SHOWN = 10


#: The confidence of a reader that only says yes or no (structured formats: their
#: syntax is specific, so a yes beats any count of page-capture evidence).
SURE = 1_000_000.0


@dataclass(frozen=True)
class Reader:
    """One listing format: how to recognise it and how to parse it.

    ``score`` (optional) measures the evidence for the format in the start of a
    file (0 = none); without it a ``detect`` yes counts as :data:`SURE`.
    ``expects`` says what the format looks like, for the message when nothing fits.
    """

    name: str
    detect: Callable[[SourceText], bool]
    parse: Callable[[SourceText, int | None], ParseResult]
    expects: str = ""
    score: Callable[[SourceText], float] | None = None

    def confidence(self, src: SourceText) -> float:
        """How sure this reader is that ``src`` is its format (0 = not at all)."""
        if self.score is not None:
            return self.score(src)
        return SURE if self.detect(src) else 0.0


_BIBTEX_FIELD = re.compile(r"[{,][ \t]*\n?[ \t]*[A-Za-z][\w:.-]*[ \t]*=")
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)


def _bibtex_score(src: SourceText) -> float:
    """Sure with a field (``title = …``) or two entries; a lone ``@article{x,`` is weak."""
    if not bibtex.detect(src):
        return 0.0
    head = src.head_text
    sure = _BIBTEX_FIELD.search(head) or len(_BIBTEX_ENTRY.findall(head)) >= 2
    return SURE if sure else WEAK


_RIS_TAG = re.compile(r"^(?:[A-Z][A-Z0-9]  -|ER  -)", re.MULTILINE)
#: A lone ``TY  - `` line (no other tag, no ``ER``) is weak evidence: a page capture's
#: papers under it are read, not lost to an RIS reader that finds no record.
WEAK = 0.5


def _ris_score(src: SourceText) -> float:
    """Sure with two tags (``TY`` and another, or ``ER``); a lone ``TY  - `` is weak."""
    if not ris.detect(src):
        return 0.0
    return SURE if len(_RIS_TAG.findall(src.head_text)) >= 2 else WEAK


def _parse_hf_text(src: SourceText, year: int | None) -> ParseResult:
    year = year if year is not None else capture_year(src.head_text)
    blocks = blank_front_matter(src.byte_blocks(), src.head_text)
    return parse_hf_text(blocks, src.name, year=year)


#: Suffix -> the format a file so named is read as (no content sniffing).
SUFFIX_FORMATS: dict[str, str] = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "hf-json",
    ".atom": "arxiv-atom",
    ".md": "hf-markdown",
    ".markdown": "hf-markdown",
    ".xlsx": "xlsx",
}

#: Format -> the other formats a file its suffix names may hold (a saved paper page is
#: Markdown too): the one of them its content shows most is read.
SUFFIX_ALSO: dict[str, tuple[str, ...]] = {"hf-markdown": ("hf-paper-page",)}

#: Known formats, tried in order; later issues register more here.
READERS: list[Reader] = [
    # most specific first (ties go to the earlier): structured formats, then the page
    # captures (scored by the papers they show), then the plain copy, then CSV
    Reader("hf-json", hf_json.detect, hf_json.read, "a JSON list of papers (Hugging Face API)"),
    Reader(
        "bibtex", bibtex.detect, bibtex.read, "BibTeX entries like '@article{key,'", _bibtex_score
    ),
    Reader("ris", ris.detect, ris.read, "RIS records starting 'TY  - '", _ris_score),
    Reader("arxiv-atom", arxiv_atom.detect, arxiv_atom.read, "an arXiv API Atom feed"),
    Reader(
        "hf-paper-page",
        hf_paper_page.detect,
        hf_paper_page.read,
        "one paper's page ('arxiv:<id>', its title, 'Published on …', 'Authors:')",
        hf_paper_page.score,
    ),
    Reader(
        "hf-markdown",
        hf_markdown.detect,
        hf_markdown.read,
        "a Hugging Face papers page as Markdown ('### [Title](…/papers/…)' headings)",
        hf_markdown.score,
    ),
    Reader(
        "hf-linked-text",
        hf_linked_text.detect,
        hf_linked_text.read,
        "a papers page saved as text with URL lines ('https://huggingface.co/papers/…')",
        hf_linked_text.score,
    ),
    Reader(
        "hf-text",
        lambda src: looks_like_hf_text(src.head_text),
        _parse_hf_text,
        "the plain copy of a papers page (title, abstract, '• N authors', '·', a date)",
        lambda src: hf_text_score(src.head_text),
    ),
    Reader(
        "csv",
        table_csv.detect,
        table_csv.read,
        "a CSV/TSV header row with a title column",
        lambda src: CSV_CONFIDENCE if table_csv.detect(src) else 0.0,
    ),
    Reader("xlsx", table_xlsx.detect, table_xlsx.read, "an .xlsx workbook, title column"),
]


def read_listing(
    source: Source,
    *,
    year: int | None = None,
    errors: Errors = "warn",
    format: str | None = None,
) -> pd.DataFrame:
    """Read a listing of papers into a DataFrame in the litreview schema.

    ``source`` is a path, the listing text itself, or an open text file.
    Blocks that cannot be read are reported, never silently dropped: by
    default one :class:`ListingWarning` sums them up; ``errors="raise"`` raises
    :class:`ListingError` on the first; ``errors="ignore"`` stays quiet.
    ``year`` is used for dates shown without a year. A date or count the
    table cannot hold (before 1677-09-22 or after 2262-04-11, beyond Int64) is
    left out of its paper and reported, never wrapped around.

    The format is ``format=`` if given, else the one a file's suffix names
    (``.bib``, ``.ris``, ``.csv``/``.tsv``, ``.json``, ``.md``), else the one
    the content shows. Bad input raises only :class:`ListingError` (a missing
    path raises its subclass ``ListingNotFoundError``, also a ``FileNotFoundError``);
    files are UTF-8 or UTF-16 with a BOM.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> len(df), df.loc[0, "title"][:9]
    (36, 'Doracamom')
    """
    return read_listing_and_format(source, year=year, errors=errors, format=format)[0]


def read_listing_and_format(
    source: Source, *, year: int | None = None, errors: Errors = "warn", format: str | None = None
) -> tuple[pd.DataFrame, str]:
    """Like :func:`read_listing`, also returning the name of the format read.

    >>> import litreview
    >>> read_listing_and_format(litreview.SAMPLE_LISTING)[1]
    'hf-text'
    """
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', got {errors!r}")
    # Parsing and the table build 100k+ lists and dicts, none in a cycle: one pause for
    # both (a collection between them rescans every cell the parse made, ~30 ms per 100k).
    with gc_paused():
        src = table_xlsx.open_xlsx(source) or open_source(source)  # a workbook is no text
        try:  # every way out closes the file: an empty one, a refusal, an error
            if not src.head_text.strip():
                return papers_from_columns({}), format or "empty"
            reader = pick_reader(src, format)
            try:
                columns, problems = reader.parse(src, year)
            except RecursionError as exc:  # a last guard: each reader limits nesting itself
                raise ListingError(f"{src.name}: nested too deeply to read ({exc})") from exc
        finally:
            src.close()
        capture = format is None and reader.name.startswith("hf-")  # a page capture, sniffed
        if capture and problems and errors != "ignore" and not _count(columns):
            raise _no_papers(src.name, reader, problems)  # one error, not a warning per block
        report_problems(problems, src.name, errors)
        return separate_arxiv_variants(papers_from_columns(columns)), reader.name


def separate_arxiv_variants(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the ids the "same paper" rule (:mod:`litreview.ids`) gives: a paper
    whose ``paper_id`` an earlier paper with another arXiv id holds gets its own.

    >>> df = papers_from_columns({"paper_id": ["x", "x"], "title": ["Same", "Same"],
    ...                           "arxiv_id": ["2401.00001", "2401.00002"]})
    >>> ids = separate_arxiv_variants(df)["paper_id"].tolist()
    >>> from litreview.ids import arxiv_variant_id
    >>> ids[0], ids[1] == arxiv_variant_id("Same", "2401.00002")
    ('x', True)
    """
    if df["arxiv_id"].isna().all():
        return df  # no arXiv ids at all (a page copy): no variant to tell apart
    ids = df["paper_id"]
    shared = ids.duplicated(keep=False).to_numpy()
    if not shared.any() or df["arxiv_id"][shared].isna().all():
        return df  # the usual case: no id held twice with an arXiv id
    index = PaperIndex()
    rows = np.flatnonzero(shared)
    placed = [
        index.place(pid, title, normalize_arxiv_id(arxiv))[0]
        for pid, title, arxiv in zip(
            ids.to_numpy(dtype=object)[rows],
            df["title"].to_numpy(dtype=object, na_value="")[rows],
            df["arxiv_id"].to_numpy(dtype=object, na_value="")[rows],
            strict=True,
        )
    ]
    out = ids.to_numpy(dtype=object).copy()
    out[rows] = placed
    df["paper_id"] = pd.array(out, dtype="string")
    return df


def pick_reader(src: SourceText, format: str | None) -> Reader:
    """The reader for ``src``: ``format`` if given, else the suffix's, else the content's."""
    if format is not None:
        return _reader(format)
    suffix = src.path.suffix.lower() if src.path is not None else ""
    if suffix in SUFFIX_FORMATS:
        named = _reader(SUFFIX_FORMATS[suffix])
        family = [named, *map(_reader, SUFFIX_ALSO.get(named.name, ()))]
        best = max(family, key=lambda r: r.confidence(src))
        if best is named and not named.detect(src):
            raise ListingError(_not_as_named(src, named.name, suffix))
        return best
    found = _sniff(src)
    if found is None:
        raise ListingError(
            f"{src.name}: not a listing format litreview reads (tried "
            f"{', '.join(r.name for r in READERS)}); it starts with {_first_line(src)!r}. "
            f"Expected: {_tried()}"
        )
    return found


def _tried() -> str:
    """Each format and what it expects, for the message when nothing fits."""
    return "; ".join(f"{r.name}: {r.expects}" if r.expects else r.name for r in READERS)


def _count(columns: Columns) -> int:
    values = next(iter(columns.values()), None) if columns else None
    return 0 if values is None else len(values)


def _no_papers(name: str, reader: Reader, problems: list[Problem]) -> ListingError:
    """One error for a file whose reader found not one paper (not a warning per block)."""
    first = min(problems, key=lambda p: p.line)
    return ListingError(
        f"{name}: no paper found: it looked like {reader.name}, but none of its "
        f"{len(problems)} block(s) read as a paper (first: {first}). "
        f"Formats and what they expect: {_tried()}",
        problems,
    )


def _reader(name: str) -> Reader:
    for reader in READERS:
        if reader.name == name:
            return reader
    known = ", ".join(r.name for r in READERS)
    raise ValueError(f"unknown format {name!r}; known formats: {known}")


def _sniff(src: SourceText) -> Reader | None:
    """The most confident reader for ``src`` (ties: the earlier one), or None; a file
    whose first line is a CSV header is CSV even when a cell (a pasted citation)
    looks like BibTeX or RIS."""
    found, best = None, 0.0
    for reader in READERS:
        confidence = reader.confidence(src)
        if confidence > best:
            found, best = reader, confidence
    if found is not None and found.name in ("bibtex", "ris") and table_csv.detect(src):
        first = _first_line(src)
        if not (first.startswith("@") or first.startswith("TY  -")):
            return _reader("csv")
    return found


def _first_line(src: SourceText) -> str:
    return next((line.strip() for line in src.head if line.strip()), "")[:60]


def _not_as_named(src: SourceText, expected: str, suffix: str) -> str:
    other = _sniff(src)
    found = f"it reads as {other.name}" if other else f"it starts with {_first_line(src)!r}"
    hint = f"format={other.name!r}" if other else "format=..."
    return (
        f"{src.name}: expected {expected} (the suffix {suffix} says so), but {found}; "
        f"rename the file or pass {hint} to read it anyway"
    )


def report_problems(problems: list[Problem], name: str, errors: Errors) -> None:
    """Raise, warn about, or ignore the problems found while reading ``name``."""
    if not problems or errors == "ignore":
        return
    if errors == "raise":
        raise ListingError.from_problem(problems[0])
    problems = sorted(problems, key=lambda p: p.line)
    shown = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    tail = f"\n  … and {more} more" if more > 0 else ""
    kept = sum(p.kept for p in problems)
    parts = []
    if len(problems) > kept:
        parts.append(
            f"{len(problems) - kept} block(s) could not be read as papers and were skipped"
        )
    if kept:
        parts.append(f"{kept} problem(s) in papers that were kept")
    warnings.warn(
        f"{name}: {'; '.join(parts)}:\n{shown}{tail}\n"
        "Pass errors='raise' to stop at the first one.",
        ListingWarning,
        stacklevel=4,
    )


__all__ = [
    "READERS",
    "SUFFIX_FORMATS",
    "Errors",
    "Reader",
    "Source",
    "pick_reader",
    "read_listing",
    "read_listing_and_format",
    "report_problems",
    "separate_arxiv_variants",
]
