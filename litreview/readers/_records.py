"""Helpers shared by the capture readers: dates, Markdown clean-up, rows to columns.

Each reader collects one ``dict`` per paper (any of the keys of
:data:`litreview.schema.PAPER_COLUMNS`, plus ``source_line``) and turns the
list into per-column lists with :func:`records_to_columns`, which derives
``paper_id`` from the title exactly as the plain-text reader does (from the
arXiv id or DOI for a record without a title: :func:`litreview.ids.identifier_id`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from litreview._links import clean_url, links_of_texts
from litreview.errors import Problem
from litreview.ids import identifier_id, normalize_arxiv_id, paper_id
from litreview.readers._dates import MONTHS
from litreview.readers._limits import (
    LEFT_OUT,
    count_in_range,
    count_problem,
    date_in_range,
    date_problem,
)

Record = dict[str, Any]
Columns = dict[str, Any]

DATE_RE = (
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?"
)
_DATE = re.compile(DATE_RE, re.IGNORECASE)
_ISO_DATE = re.compile(
    r"(?P<year>\d{4})(?!\d)(?:-(?P<month>\d{1,2})(?!\d)(?:-(?P<day>\d{1,2})(?!\d))?)?"
)
#: What a date field must look like (reported when a record's ``published_text`` is not).
ISO_DATE_EXPECTED = "a date like 2024-10-07, 2024-10 or 2024"
_HARD_BREAK = re.compile(r"\\{1,2}[ \t]*\r?\n")
_BACKSLASH_SPACE = re.compile(r"\\(?=\s)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")
_AUTHOR_COUNT = re.compile(r"(?P<n>\d+)\s+authors?\b", re.IGNORECASE)
TEXT_KEYS = ("title", "abstract", "organization", "url", "arxiv_id", "venue")
#: Keys taken as given (already clean): the source's own spelling matters.
RAW_KEYS = ("doi", "entry_type", "citation_key")
COUNT_KEYS = ("n_authors", "comments", "upvotes")


def month_day(text: str, default_year: int) -> tuple[dt.date | None, re.Match[str] | None]:
    """The date written like ``May 29`` or ``Feb 27, 2025`` at the start of ``text``."""
    match = _DATE.match(text.strip())
    if not match:
        return None, None
    year = int(match["year"]) if match["year"] else default_year
    try:
        return dt.date(year, MONTHS[match["month"][:3].lower()], int(match["day"])), match
    except ValueError:
        return None, match


def iso_date(text: str | None) -> dt.date | None:
    """``2024-10-07``, ``2024-10`` or ``2024`` (what APIs, BibTeX and RIS give) as a date;
    a missing month or day counts as the first."""
    if not text:
        return None
    match = _ISO_DATE.match(text.strip().replace("/", "-"))
    if not match:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"] or 1), int(match["day"] or 1))
    except ValueError:
        return None


def clean_markdown(text: str) -> str:
    """Markdown text as the page shows it: wrapped lines (trailing ``\\\\`` or ``\\``)
    joined, ``\\ `` and other backslash escapes undone, whitespace collapsed.

    >>> clean_markdown("Scholars Engage\\\\  with Past\\\\\\\\\\nResearch \\\\[v2\\\\]")
    'Scholars Engage with Past Research [v2]'
    """
    if "\\" in text:
        text = _HARD_BREAK.sub(" ", text)
        text = _BACKSLASH_SPACE.sub("", text)
        text = _ESCAPED.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def author_count(text: str) -> int | None:
    """``N`` from text ending in ``N authors``, else ``None``."""
    match = _AUTHOR_COUNT.search(text)
    return int(match["n"]) if match else None


def arxiv_id_in(texts: list[str]) -> str | None:
    """The first arXiv id named in ``texts`` (arXiv URLs, ``arXiv:2401.12345``, DOIs
    ``10.48550/arXiv.…``, Hugging Face paper pages); other numbers are ignored."""
    for text in texts:
        lower = text.lower()
        if "arxiv" in lower:
            found = normalize_arxiv_id(lower.split("arxiv", 1)[1])
        elif "huggingface.co/papers/" in lower:
            found = normalize_arxiv_id(lower.split("huggingface.co/papers/", 1)[1])
        else:
            continue
        if found:
            return found
    return None


def clean_text(value: Any) -> str | None:
    """A trimmed one-line string, or ``None`` for missing or blank values."""
    if value is None:
        return None
    text = " ".join(str(value).split())  # ~5x faster than a regex on a long abstract
    return text or None


def records_to_columns(
    records: list[Record], source: str, problems: list[Problem] | None = None
) -> Columns:
    """Per-column lists in the paper schema from one dict per paper.

    Code and project links come from the abstract plus any ``code_urls`` /
    ``project_urls`` a record already holds; ``sources`` is ``[source:line]``.
    A date or count the table cannot hold, or a ``published_text`` that gave no
    date, is left out of its paper, with a problem appended to ``problems``.
    """
    found = _out_of_range(records, source)
    if problems is not None:
        problems.extend(found)
    n = len(records)
    cols: Columns = {}
    for key in TEXT_KEYS:
        cols[key] = [clean_text(r.get(key)) for r in records]
    for key in RAW_KEYS:
        cols[key] = [r.get(key) or None for r in records]
    cols["arxiv_id"] = [normalize_arxiv_id(a) if a else None for a in cols["arxiv_id"]]
    cols["paper_id"] = [
        paper_id(t) if t else identifier_id(d, a) or paper_id("")
        for t, d, a in zip(cols["title"], cols["doi"], cols["arxiv_id"], strict=True)
    ]
    cols["extra"] = [r.get("extra") or {} for r in records]
    cols["n_authors"] = [r.get("n_authors") for r in records]
    cols["authors"] = [list(r.get("authors") or []) for r in records]
    for i, (r, authors) in enumerate(zip(records, cols["authors"], strict=True)):
        if authors and "n_authors" not in r:  # a reader sets None when the count is unknown
            cols["n_authors"][i] = len(authors)
    # no comment count shown is 0; None is a count left out (out of range): NA
    cols["comments"] = [
        None if r.get("comments", 0) is None else int(r.get("comments") or 0) for r in records
    ]
    cols["upvotes"] = [r.get("upvotes") for r in records]
    days = [r.get("published") for r in records]
    cols["published"] = np.array(
        [np.datetime64(d, "D") if d else np.datetime64("NaT") for d in days], dtype="datetime64[D]"
    )
    cols["date_precision"] = [
        (r.get("date_precision") or "day") if d else None
        for r, d in zip(records, days, strict=True)
    ]
    code_urls, project_urls = [], []
    found_code, found_project = links_of_texts(cols["abstract"])  # one batch: fast at 100k
    for r, code, project in zip(records, found_code, found_project, strict=True):
        given_code, given_project = r.get("code_urls"), r.get("project_urls")
        code_urls.append(_unique([*(clean_url(u) for u in given_code or []), *code]))
        project_urls.append(_unique([*(clean_url(u) for u in given_project or []), *project]))
    cols["code_urls"] = code_urls
    cols["project_urls"] = project_urls
    cols["keywords"] = [[str(k) for k in r.get("keywords") or []] for r in records]
    cols["source_line"] = [int(r["source_line"]) for r in records]
    cols["source"] = [source] * n
    cols["sources"] = [[f"{source}:{line}"] for line in cols["source_line"]]
    return cols


def _out_of_range(records: list[Record], source: str) -> list[Problem]:
    """Remove (in place) the dates and counts beyond what the table stores; report each,
    and each date a record gave (``published_text``) that could not be read."""
    problems = []
    for r in records:
        day = r.get("published")
        if day is not None and not date_in_range(day):
            problems.append(date_problem(source, int(r["source_line"]), day))
            r["published"] = None
        elif day is None and r.get("published_text"):
            line = int(r["source_line"])
            text = str(r["published_text"])
            problems.append(
                Problem(source, line, text, ISO_DATE_EXPECTED, kept=True, note=LEFT_OUT)
            )
        for key in COUNT_KEYS:
            value = r.get(key)
            if value is not None and not count_in_range(value):
                problems.append(count_problem(source, int(r["source_line"]), key, value))
                r[key] = None
    return problems


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(u for u in urls if u))
