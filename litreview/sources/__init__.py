"""Read paper listings into the paper table, whatever form they come in.

Each format is one module with a ``detect`` function (on the start of the
file) and a ``parse`` function; :func:`read_listing` picks the reader from
the content, not only the suffix.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from litreview._gc import gc_paused
from litreview.errors import ListingError, ListingWarning, Problem
from litreview.schema import papers_from_columns
from litreview.sources import bibtex, hf_json, hf_linked_text, hf_markdown, ris, table_csv
from litreview.sources._io import Source, SourceText, open_source
from litreview.sources.frontmatter import blank_front_matter, capture_year
from litreview.sources.hf_text import Columns, looks_like_hf_text, parse_hf_text

Errors = Literal["warn", "raise", "ignore"]
ParseResult = tuple[Columns, list[Problem]]
MAX_PROBLEMS_SHOWN = 10


@dataclass(frozen=True)
class Reader:
    """One listing format: how to recognise it and how to parse it."""

    name: str
    detect: Callable[[SourceText], bool]
    parse: Callable[[SourceText, int | None], ParseResult]


def _parse_hf_text(src: SourceText, year: int | None) -> ParseResult:
    year = year if year is not None else capture_year(src.head_text)
    blocks = blank_front_matter(src.byte_blocks(), src.head_text)
    return parse_hf_text(blocks, src.name, year=year)


#: Known formats, tried in order; later issues register more here.
READERS: list[Reader] = [
    # most specific first: structured formats, then the page captures, then the plain copy
    Reader("hf-json", hf_json.detect, hf_json.read),
    Reader("bibtex", bibtex.detect, bibtex.read),
    Reader("ris", ris.detect, ris.read),
    Reader("hf-markdown", hf_markdown.detect, hf_markdown.read),
    Reader("hf-linked-text", hf_linked_text.detect, hf_linked_text.read),
    Reader("hf-text", lambda src: looks_like_hf_text(src.head_text), _parse_hf_text),
    Reader("csv", table_csv.detect, table_csv.read),
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
    ``year`` is used for dates shown without a year.

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> len(df), df.loc[0, "title"][:9]
    (36, 'Doracamom')
    """
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', got {errors!r}")
    src = open_source(source)
    if not src.head_text.strip():
        return papers_from_columns({})
    reader = _pick_reader(src, format)
    with gc_paused():
        columns, problems = reader.parse(src, year)
        report_problems(problems, src.name, errors)
        return papers_from_columns(columns)


def _pick_reader(src: SourceText, format: str | None) -> Reader:
    if format is not None:
        for reader in READERS:
            if reader.name == format:
                return reader
        known = ", ".join(r.name for r in READERS)
        raise ValueError(f"unknown format {format!r}; known formats: {known}")
    for reader in READERS:
        if reader.detect(src):
            return reader
    tried = ", ".join(r.name for r in READERS)
    first = next((line.strip() for line in src.head if line.strip()), "")
    raise ListingError(
        f"{src.name}: not a listing format litreview reads (tried {tried}); "
        f"it starts with {first[:60]!r}"
    )


def report_problems(problems: list[Problem], name: str, errors: Errors) -> None:
    """Raise, warn about, or ignore the problems found while reading ``name``."""
    if not problems or errors == "ignore":
        return
    if errors == "raise":
        raise ListingError.from_problem(problems[0])
    shown = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    tail = f"\n  … and {more} more" if more > 0 else ""
    warnings.warn(
        f"{name}: {len(problems)} block(s) could not be read as papers and were skipped:\n"
        f"{shown}{tail}\nPass errors='raise' to stop at the first one.",
        ListingWarning,
        stacklevel=3,
    )
