"""Reader for the Hugging Face Daily Papers page as a browser copies it to text.

Each paper is a title paragraph, an abstract paragraph and a block of the
author count, a ``·`` line and the date with an optional comment count::

    Transformer in Transformer

    Transformer networks have achieved great progress …

      • 6 authors
    ·
    Feb 26, 2021 1

The text is cut into *segments* that end with a ``·`` line and its date line.
A segment in the usual shape is read on a fast path; any other segment (page
furniture, wrapped lines, broken blocks) goes through the line-by-line parser,
which reports what it cannot read instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from litreview.errors import Problem
from litreview.ids import paper_id
from litreview.links import code_and_project_urls

MONTHS = {
    name: number
    for number, names in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"],
        start=1,
    )
    for name in names.split()
}
DATE_PATTERN = (
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?"
)
_DATE_LINE = re.compile(DATE_PATTERN + r"(?:\s+(?P<comments>\d+))?", re.IGNORECASE)
_AUTHORS = re.compile(r"•\s*(?P<n>\d+)\s+authors?", re.IGNORECASE)
_META = re.compile(
    r"^(?:•\s*(?:(?P<n>\d+)\s+authors?|(?P<org>[^·•\d][^·•]*?))\s*)?(?P<dot>·\s*)?"
    + DATE_PATTERN
    + r"(?:\s+(?P<comments>\d+))?$",
    re.IGNORECASE,
)
_BARE_DATE = re.compile(r"^" + DATE_PATTERN + r"$", re.IGNORECASE)
FURNITURE = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "trending papers",
        "submit",
    }
)
EXPECTED_META = "an author line '• N authors', a '·' line and a date like 'Jan 25, 2025'"
SEPARATOR = "\n·\n"
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
NAT = np.iinfo(np.int64).min

Columns = dict[str, Any]


def looks_like_hf_text(head: str) -> bool:
    """True when ``head`` (the start of a file) reads as a plain-text capture."""
    lines = [s.strip() for s in head.splitlines()]
    return "·" in lines and any(s.startswith("•") or _META.match(s) for s in lines)


def parse_hf_text(
    blocks: Iterable[str], source: str, *, year: int | None = None
) -> tuple[Columns, list[Problem]]:
    """Parse a plain-text capture, given as blocks of whole lines, into
    per-column lists and the problems found."""
    parser = _Parser(source, year or dt.date.today().year)
    carry = ""
    line = 1  # line number of carry[0]
    for block in blocks:
        text = carry + block
        end, line = parser.segments(text, line, final=False)
        carry = text[end:]
    parser.segments("\n" + carry if carry.startswith("·") else carry, line, final=True)
    return parser.finish(), parser.problems


class _Parser:
    """Turns segments of text into papers and problems."""

    def __init__(self, source: str, default_year: int) -> None:
        self.source = source
        self.default_year = default_year
        self.problems: list[Problem] = []
        self.pending: list[tuple[int, list[str]]] = []  # text paragraphs waiting for a meta block
        self.cols: Columns = {
            k: []
            for k in (
                "paper_id", "title", "abstract", "n_authors", "organization", "published",
                "comments", "code_urls", "project_urls", "source_line",
            )
        }

    # -- segmenting ---------------------------------------------------------------------

    def segments(self, text: str, line: int, *, final: bool) -> tuple[int, int]:
        """Read every complete segment of ``text``; return where the rest starts and its line."""
        pos = 0
        while (dot := text.find(SEPARATOR, pos)) >= 0:
            end = text.find("\n", dot + len(SEPARATOR))
            if end < 0:
                if not final:
                    break
                end = len(text)
            if not self._fast_segment(text, pos, dot, end, line):
                self._slow_lines(text[pos:end].split("\n"), line)
            line += text.count("\n", pos, end)
            pos = end
        if final:
            self._slow_lines(text[pos:].split("\n"), line)
        return pos, line

    def _fast_segment(self, text: str, pos: int, dot: int, end: int, line: int) -> bool:
        """Read a segment in the usual shape; False sends it to the slow path."""
        if self.pending:
            return False
        body = text[pos:dot]
        stripped = body.lstrip("\n")
        parts = stripped.split("\n")
        if len(parts) != 5 or parts[1].strip() or parts[3].strip():
            return False
        title, abstract = parts[0].strip(), parts[2].strip()
        authors = _AUTHORS.fullmatch(parts[4].strip())
        date = _DATE_LINE.fullmatch(text[dot + len(SEPARATOR) : end].strip())
        if not (title and abstract and authors and date and date["year"]) or (
            not self.cols["title"] and title.casefold() in FURNITURE
        ):
            return False
        day = _days(int(date["year"]), date["month"], date["day"])
        if day is None:
            return False
        first_line = line + len(body) - len(stripped)
        self._emit(first_line, title, abstract, int(authors["n"]), None, day, date["comments"])
        return True

    # -- slow path: paragraphs ----------------------------------------------------------

    def _slow_lines(self, lines: list[str], line: int) -> None:
        paragraph: list[str] = []
        start = line
        for number, raw in enumerate(lines, start=line):
            stripped = raw.strip()
            if stripped:
                if not paragraph:
                    start = number
                paragraph.append(stripped)
            elif paragraph:
                self._paragraph(start, paragraph)
                paragraph = []
        if paragraph:
            self._paragraph(start, paragraph)

    def _paragraph(self, line: int, lines: list[str]) -> None:
        if "·" in lines or lines[0].startswith("•"):
            self._meta(line, lines)
        elif len(lines) == 1 and _BARE_DATE.match(lines[0]):
            return  # the page's own date ("Jan 2"), not part of a paper
        elif not self.cols["title"] and not self.pending and lines[0].casefold() in FURNITURE:
            return  # page furniture before the first paper
        else:
            self.pending.append((line, lines))

    def _problem(self, line: int, lines: list[str], expected: str) -> None:
        self.problems.append(Problem(self.source, line, " ".join(lines), expected))

    def _meta(self, line: int, lines: list[str]) -> None:
        pending, self.pending = self.pending, []
        match = _META.match(" ".join(lines))
        day = self._meta_day(match) if match else None
        if match is None or day is None:
            self._problem(line, lines, EXPECTED_META)
            if len(pending) >= 2:
                title_line, title = pending[-2]
                self._problem(title_line, title, f"a paper whose author/date block at line {line} is readable")
            return
        if not pending:
            self._problem(line, lines, "a title and an abstract before the author/date block")
            return
        for stray_line, stray in pending[:-2]:
            self._problem(stray_line, stray, "a title, an abstract and " + EXPECTED_META)
        if len(pending) == 1:
            (title_line, title), abstract = pending[0], None
            self._problem(title_line, title, "an abstract paragraph between the title and the author line")
        else:
            (title_line, title), (_, abstract_lines) = pending[-2], pending[-1]
            abstract = " ".join(abstract_lines)
        n = int(match["n"]) if match["n"] else None
        org = match["org"].strip() if match["org"] else None
        self._emit(title_line, " ".join(title), abstract, n, org, day, match["comments"])

    def _meta_day(self, match: re.Match[str]) -> int | None:
        if not (match["dot"] or match["n"] or match["org"] or match["year"]):
            return None
        year = int(match["year"]) if match["year"] else self.default_year
        return _days(year, match["month"], match["day"])

    # -- output -------------------------------------------------------------------------

    def _emit(
        self,
        line: int,
        title: str,
        abstract: str | None,
        n_authors: int | None,
        organization: str | None,
        day: int,
        comments: str | None,
    ) -> None:
        cols = self.cols
        code, project = code_and_project_urls(abstract) if abstract else ([], [])
        cols["paper_id"].append(paper_id(title))
        cols["title"].append(title)
        cols["abstract"].append(abstract)
        cols["n_authors"].append(n_authors)
        cols["organization"].append(organization)
        cols["published"].append(day)
        cols["comments"].append(int(comments) if comments else 0)
        cols["code_urls"].append(code)
        cols["project_urls"].append(project)
        cols["source_line"].append(line)

    def finish(self) -> Columns:
        for line, lines in self.pending:
            self._problem(line, lines, "a title and abstract followed by " + EXPECTED_META)
        self.pending = []
        cols = self.cols
        days = np.array(cols["published"], dtype=np.int64)
        cols["published"] = days.view("datetime64[D]").astype("datetime64[ns]")
        n = len(cols["title"])
        cols["source"] = [self.source] * n
        cols["sources"] = [[f"{self.source}:{line}"] for line in cols["source_line"]]
        return cols


def _days(year: int, month: str, day: str) -> int | None:
    """Days since 1970-01-01, or None for an impossible date."""
    try:
        return dt.date(year, MONTHS[month[:3].lower()], int(day)).toordinal() - EPOCH_ORDINAL
    except (ValueError, KeyError):
        return None
