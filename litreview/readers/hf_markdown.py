r"""Reader for the Hugging Face Daily Papers page saved as Markdown (web clippers, scrapers).

Each paper is an upvote link, a heading link, the abstract as a link, the
author count (or an organization) as a link, a ``·`` line and the date with
an optional comment-count link::

    [101](https://huggingface.co/login?next=%2Fpapers%2F2606.00683)

    ### [OCC-RAG: Optimal Cognitive Core](https://huggingface.co/papers/2606.00683)

    [Recent progress in the development of language models has been\\
    defined by scale ...](https://huggingface.co/papers/2606.00683)

    [- ![](https://huggingface.co/avatars/a.svg)\\
    - 3 authors](https://huggingface.co/papers/2606.00683)

    ·

    May 29[6](https://huggingface.co/papers/2606.00683#community)

``[-]`` is zero upvotes; wrapped lines (trailing ``\\`` or ``\``) are joined;
a date without a year takes the capture's year (see :mod:`.frontmatter`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from litreview.errors import Problem
from litreview.readers._io import SourceText
from litreview.readers._records import (
    Columns,
    Record,
    author_count,
    clean_markdown,
    month_day,
    records_to_columns,
)
from litreview.readers.frontmatter import default_year

_HEADING = re.compile(r"^#{1,6}[ \t]*(?=\[)", re.MULTILINE)
_DETECT = re.compile(r"^#{1,6}[ \t]*\[.+\]\(https?://[^)\s]*/papers/", re.MULTILINE)
_UPVOTES = re.compile(
    r"^[ \t]*\[(?P<n>\d[\d,]*|-)\]\((?P<url>[^)\s]*login[^)\s]*)\)[ \t]*$", re.MULTILINE
)
_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\([^)]*\)")
_LIST_MARK = re.compile(r"(?:^|(?<=\s))[-*+](?=\s|$)")
_COMMUNITY = re.compile(r"\[(?P<n>\d[\d,]*)\]\([^)\s]*#community\)")
_PAPER_URL = re.compile(r"https?://(?:www\.)?huggingface\.co/papers/(?P<id>[^/?#\s)]+)$")
ORPHAN = "a heading link '### [Title](…/papers/…)' after the upvote link"
EXPECTED = "an abstract link, an author line, a '·' line and a date like 'May 29' or 'Feb 27, 2025'"


def looks_like_hf_markdown(head: str) -> bool:
    """True when ``head`` has a heading link to a paper page (``### [Title](…/papers/…)``)."""
    return "/papers/" in head and _DETECT.search(head) is not None  # substring test: faster


@dataclass(frozen=True)
class Link:
    """A Markdown link ``[label](url)`` found at ``start``..``end`` of the text."""

    label: str
    url: str
    start: int
    end: int


def scan_link(text: str, start: int) -> Link | None:
    """The link whose ``[`` is at ``start`` (nested brackets, escapes and line
    breaks allowed in the label), or ``None``."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    if i + 1 >= n or text[i + 1] != "(":
        return None
    j, parens = i + 2, 1
    while j < n:
        c = text[j]
        if c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
            if parens == 0:
                break
        elif c == "\n":
            return None
        j += 1
    if j >= n:
        return None
    url = text[i + 2 : j].strip().split(" ", 1)[0]
    return Link(text[start + 1 : i], url, start, j + 1)


def parse_hf_markdown(text: str, source: str, *, year: int) -> tuple[Columns, list[Problem]]:
    """Parse a Markdown capture into per-column lists and the problems found."""
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        return bisect.bisect_right(newlines, pos - 1) + 1

    headings: list[Link] = []
    for match in _HEADING.finditer(text):
        link = scan_link(text, match.end())
        if link is not None and _PAPER_URL.match(link.url):
            headings.append(link)
    upvotes = [(m.start(), m) for m in _UPVOTES.finditer(text)]
    upvote_starts = [pos for pos, _ in upvotes]
    records: list[Record] = []
    problems: list[Problem] = []
    used: set[int] = set()  # the upvote links that belong to a heading
    for k, heading in enumerate(headings):
        previous_end = headings[k - 1].end if k else 0
        next_start = headings[k + 1].start if k + 1 < len(headings) else len(text)
        # the upvote link just before the heading, and the next paper's one closing the body
        before = bisect.bisect_left(upvote_starts, heading.start) - 1
        vote = upvotes[before][1] if before >= 0 and upvote_starts[before] > previous_end else None
        if vote is not None:
            used.add(before)
        after = bisect.bisect_left(upvote_starts, heading.end)
        body_end = min(upvote_starts[after], next_start) if after < len(upvotes) else next_start
        record = _paper(text, heading, body_end, year)
        start_line = line_of(vote.start() if vote else heading.start)
        if record is None:
            line_start = text.rfind("\n", 0, heading.start) + 1
            snippet = text[line_start : min(body_end, line_start + 200)]
            problems.append(Problem(source, line_of(heading.start), snippet, EXPECTED))
            continue
        if vote is not None:
            record["upvotes"] = 0 if vote["n"] == "-" else int(vote["n"].replace(",", ""))
        record["source_line"] = start_line
        records.append(record)
    for index, (pos, _) in enumerate(upvotes):  # a paper whose heading is gone
        if index not in used:
            snippet = text[pos : pos + 200]
            problems.append(Problem(source, line_of(pos), snippet, ORPHAN))
    problems.sort(key=lambda p: p.line)
    return records_to_columns(records, source, problems), problems


def _label_text(label: str) -> str:
    """A link label without images, list markers and Markdown escapes."""
    text = clean_markdown(_IMAGE.sub(" ", label))
    return " ".join(_LIST_MARK.sub(" ", text).split())


def _paper(text: str, heading: Link, end: int, year: int) -> Record | None:
    paper_url = _PAPER_URL.match(heading.url)
    record: Record = {
        "title": clean_markdown(heading.label),
        "url": heading.url,
        "arxiv_id": paper_url["id"] if paper_url else None,
    }
    abstract_lines: list[str] = []
    seen_dot = False
    pos = heading.end
    while pos < end:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            break
        link = scan_link(text, pos) if text[pos] == "[" and not seen_dot else None
        if link is not None and link.end <= end:
            _link(record, link, abstract_lines)
            pos = link.end
            continue
        line_end = text.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        line = text[pos:line_end].strip()
        pos = line_end
        if line == "·":
            seen_dot = True
        elif seen_dot:
            day, match = month_day(line, year)
            if day is not None and match is not None:
                record["published"] = day
                comments = _COMMUNITY.search(line, match.end())
                if comments:
                    record["comments"] = int(comments["n"].replace(",", ""))
                break
        elif "abstract" not in record:
            abstract_lines.append(line)
    if "published" not in record:
        return None
    if "abstract" not in record and abstract_lines:
        record["abstract"] = clean_markdown("\n".join(abstract_lines))
    return record


def _link(record: Record, link: Link, abstract_lines: list[str]) -> None:
    """Read one link of a paper's body into ``record``."""
    label = _label_text(link.label)
    n = re.fullmatch(r"(\d+)\s+authors?", label, re.IGNORECASE)
    if n:
        record["n_authors"] = author_count(label)
    elif "abstract" not in record and not abstract_lines and _PAPER_URL.match(link.url):
        record["abstract"] = clean_markdown(link.label)
    elif label and not _PAPER_URL.match(link.url) and "#" not in link.url:
        record.setdefault("organization", label)


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` a Markdown capture?"""
    return looks_like_hf_markdown(src.head_text)


def score(src: SourceText) -> float:
    """Registry hook: the evidence in the start of ``src``, the paper headings it shows."""
    head = src.head_text
    if "/papers/" not in head:
        return 0.0
    return float(len(_DETECT.findall(head)))


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src`` (dates without a year take the capture's year)."""
    text = src.read()
    return parse_hf_markdown(text, src.name, year=default_year(year, src.head_text))
