"""Reader for the Daily Papers page saved as text with every link's URL on its own line.

"Save as text" tools turn the page into the plain copy plus URL lines::

     [-] 74

    https://huggingface.co/login?next=%2Fpapers%2F2310.17680

    CodeFusion: A Pre-trained Diffusion Model for Code Generation

    https://huggingface.co/papers/2310.17680

    Imagine a developer who can only change their last line of code ...

    https://huggingface.co/papers/2310.17680

    [

    6 authors](https://huggingface.co/papers/2310.17680)

    ·

    Oct 26, 2023

    3

    https://huggingface.co/papers/2310.17680#community

``[-] -`` is zero upvotes; an organization (a name line and its URL) may
stand instead of the author count; the comment count may follow the date on
its own line with its ``#community`` URL.
"""

from __future__ import annotations

import re

from litreview.errors import Problem
from litreview.readers._io import SourceText
from litreview.readers._records import (
    Columns,
    Record,
    author_count,
    clean_text,
    month_day,
    records_to_columns,
)
from litreview.readers.frontmatter import default_year

_PAPER_URL = re.compile(
    r"^https?://(?:www\.)?huggingface\.co/papers/(?P<id>\d{4}\.\d{4,5}(?:v\d+)?)"
    r"(?P<community>#community)?/?$"
)
_DETECT = re.compile(
    r"^[ \t]*https?://(?:www\.)?huggingface\.co/papers/\d{4}\.\d{4,5}\S*[ \t]*$", re.MULTILINE
)
_URL = re.compile(r"^https?://\S+$")
_UPVOTES = re.compile(r"^\[-\]\s*(?P<n>\d[\d,]*|-)$")
_COUNT = re.compile(r"^\d[\d,]*$")
EXPECTED = "an abstract, its URL line, an author line, a '·' line and a date like 'Oct 7, 2024'"
MAX_META_LINES = 12
ORPHAN = "an upvote count followed by its login link, the paper's title and its URL"


def looks_like_hf_linked_text(head: str) -> bool:
    """True when ``head`` has paper-page URLs on their own lines and a ``·`` line."""
    if "/papers/" not in head:  # a fast substring test before the line scan and the regex
        return False
    has_dot = any(line.strip() == "·" for line in head.splitlines())
    return has_dot and _DETECT.search(head) is not None


def parse_hf_linked_text(
    lines: list[str], source: str, *, year: int
) -> tuple[Columns, list[Problem]]:
    """Parse a linked-text capture (its lines) into per-column lists and the problems found."""
    items = [(n, s) for n, s in ((n, raw.strip()) for n, raw in enumerate(lines, 1)) if s]
    records: list[Record] = []
    problems: list[Problem] = []
    i = 0
    while i + 1 < len(items):
        title_line, title = items[i]
        url = _PAPER_URL.match(items[i + 1][1])
        if url is None or url["community"] or _URL.match(title) or title == "·":
            if _UPVOTES.match(title) and not _starts_paper(items, i):
                snippet = " ".join(s for _, s in items[i : i + 4])
                problems.append(Problem(source, title_line, snippet, ORPHAN))
            i += 1
            continue
        record, i_next = _paper(items, i, url["id"], year)
        if record is None:
            snippet = " ".join(s for _, s in items[i : i + 4])
            problems.append(Problem(source, title_line, snippet, EXPECTED))
            i = i_next
            continue
        record.update(title=title, url=items[i + 1][1], arxiv_id=url["id"])
        record["source_line"] = title_line
        if i >= 2 and "login" in items[i - 1][1] and (vote := _UPVOTES.match(items[i - 2][1])):
            record["upvotes"] = 0 if vote["n"] == "-" else int(vote["n"].replace(",", ""))
            record["source_line"] = items[i - 2][0]
        records.append(record)
        i = i_next
    return records_to_columns(records, source, problems), problems


def _paper(
    items: list[tuple[int, str]], i: int, arxiv_id: str, year: int
) -> tuple[Record | None, int]:
    """Read the paper whose title is ``items[i]``; return it (or None) and the next index."""
    record: Record = {}
    j = i + 2
    abstract: list[str] = []
    while j < len(items) and not _is_paper_url(items[j][1], arxiv_id) and items[j][1] != "·":
        if (start := _next_paper(items, j, arxiv_id)) is not None:
            return None, start
        abstract.append(items[j][1])
        j += 1
    record["abstract"] = " ".join(abstract) if abstract else None
    meta: list[str] = []
    while j < len(items) and items[j][1] != "·" and len(meta) < MAX_META_LINES:
        if (start := _next_paper(items, j, arxiv_id)) is not None:
            return None, start  # no "·" line before the next paper: never borrow its date
        if not _URL.match(items[j][1]):
            meta.append(items[j][1])
        j += 1
    if j >= len(items) or items[j][1] != "·" or j + 1 >= len(items):
        return None, j
    _meta(record, meta)
    day, match = month_day(items[j + 1][1], year)
    if day is None or match is None:
        return None, j + 1
    record["published"] = day
    rest = items[j + 1][1][match.end() :].strip()
    j += 2
    if _COUNT.match(rest):
        record["comments"] = int(rest.replace(",", ""))
    elif (
        j + 1 < len(items)
        and _COUNT.match(items[j][1])
        and _is_paper_url(items[j + 1][1], arxiv_id, community=True)
    ):
        record["comments"] = int(items[j][1].replace(",", ""))
        j += 2
    return record, j


def _starts_paper(items: list[tuple[int, str]], i: int) -> bool:
    """True when the upvote line ``items[i]`` has a login link, a title and a paper URL after it."""
    if i + 3 >= len(items) or "login" not in items[i + 1][1]:
        return False
    url = _PAPER_URL.match(items[i + 3][1])
    return url is not None and not url["community"]


def _next_paper(items: list[tuple[int, str]], j: int, arxiv_id: str) -> int | None:
    """The index where the next paper starts if ``items[j]`` is its upvote line, its
    login link or its title (a line followed by another paper's URL); else None."""
    line = items[j][1]
    if _UPVOTES.match(line) or (_URL.match(line) and "login" in line):
        return j
    if j + 1 < len(items) and not _URL.match(line) and line != "·":
        url = _PAPER_URL.match(items[j + 1][1])
        if url is not None and not url["community"] and url["id"] != arxiv_id:
            return j
    return None


def _is_paper_url(line: str, arxiv_id: str, *, community: bool = False) -> bool:
    match = _PAPER_URL.match(line)
    return bool(match and match["id"] == arxiv_id and bool(match["community"]) == community)


def _meta(record: Record, meta: list[str]) -> None:
    """The author count, or the organization standing in its place."""
    text = " ".join(meta)
    n = author_count(text)
    if n is not None:
        record["n_authors"] = n
        return
    for line in meta:
        name = clean_text(line.split("](", 1)[0].strip("[]•· \t"))
        if name:
            record["organization"] = name
            return


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` a linked-text capture?"""
    return looks_like_hf_linked_text(src.head_text)


def score(src: SourceText) -> float:
    """Registry hook: the evidence in the start of ``src``: its papers, each a ``·`` line
    and (at least two) URL lines of its paper page."""
    head = src.head_text
    if not looks_like_hf_linked_text(head):
        return 0.0
    dots = sum(line.strip() == "·" for line in head.splitlines())
    return min(len(_DETECT.findall(head)) / 2, float(dots))


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src`` (dates without a year take the capture's year)."""
    lines = list(src.lines())
    return parse_hf_linked_text(lines, src.name, year=default_year(year, src.head_text))
