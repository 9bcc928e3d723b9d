"""Reader for the Hugging Face Daily Papers page as a browser copies it to text.

Each paper is a title paragraph, an abstract paragraph and a block of the
author count, a ``·`` line and the date with an optional comment count::

    Transformer in Transformer

    Transformer networks have achieved great progress …

      • 6 authors
    ·
    Feb 26, 2021 1

Papers in the usual shape (one-line title, one-line abstract, the author/date
block) are read in bulk (:mod:`.bulk`); everything else (page furniture,
wrapped lines, broken blocks) goes through the line-by-line parser here,
which reports what it cannot read instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from litreview._links import links_of_texts
from litreview.errors import ListingError, Problem
from litreview.ids import paper_id
from litreview.readers._dates import days_since_epoch
from litreview.readers._limits import checked_days, count_in_range, count_problem
from litreview.readers.hf_common import header_year, period_year
from litreview.readers.hf_text.bulk import Lines, Papers, read_papers
from litreview.readers.hf_text.cards import card, card_columns, is_card, merge_repeats, old_shape
from litreview.readers.hf_text.furniture import (
    BARE_DATE,
    author_bullets,
    is_furniture,
    is_query,
    unbroken,
)

DATE_PATTERN = (
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?"
)
_META = re.compile(
    r"^(?:•\s*(?:(?P<n>\d+)\s+authors?|(?P<org>[^·•\d][^·•]*?))\s*)?(?P<dot>·\s*)?"
    + r"(?:Published on\s+)?"
    + DATE_PATTERN
    + r"(?:\s+(?P<comments>\d+))?$",
    re.IGNORECASE,
)
EXPECTED_META = "an author line '• N authors', a '·' line and a date like 'Jan 25, 2025'"
NO_BLANK = "a blank line after the date line of the paper above"
NEXT = "read as the next paper"
NO_BLANK_TITLE = "a blank line between the title and the abstract"
FIRST_LINE = "read the first line as the title"
_FIELDS = ("source_line", "title", "abstract", "n_authors", "organization", "published", "comments")
Columns = dict[str, Any]
_CARD = ("upvotes", "submitted_by", "github_stars")


def looks_like_hf_text(head: str) -> bool:
    """True when ``head`` (the start of a file) reads as a plain-text capture."""
    lines = [s.strip() for s in head.splitlines()]
    return "·" in lines and any(s.startswith("•") or _META.match(s) for s in lines)


def hf_text_score(head: str) -> float:
    """The evidence that ``head`` is a plain-text capture: its author/date blocks
    (a ``•`` line or a date next to a ``·`` line), 0 when it does not look like one."""
    if not looks_like_hf_text(head):
        return 0.0
    lines = [s.strip() for s in head.splitlines()]
    dots = [i for i, s in enumerate(lines) if s == "·"]
    found = sum(1 for i in dots if i + 1 < len(lines) and BARE_DATE.match(lines[i + 1]))
    return float(max(found, 1))


def parse_hf_text(
    blocks: Iterable[bytes], source: str, *, year: int | None = None, fast: bool = True
) -> tuple[Columns, list[Problem]]:
    """Parse a plain-text capture, given as UTF-8 blocks cut anywhere, into
    per-column lists and the problems found.

    Each block is read up to its last blank line; the paragraph cut by the
    block's end is read with the next one. ``fast=False`` reads everything
    with the line-by-line parser: the reference the fast path is tested against.
    """
    if year is None:  # a header line or the period the page lists says the year
        blocks = iter(blocks)
        opening = next(blocks, b"")
        blocks = itertools.chain([opening], blocks)
        head = opening[:20000].decode("utf-8", "replace")
        year = header_year(head) or period_year(head)
    parser = _Parser(source, year or dt.date.today().year)
    if not fast:
        parser._slow(b"".join(blocks), 0, None, 1)
        return parser.finish(), parser.problems
    carry: list[bytes] = []  # the start of a paragraph cut by the end of the last block
    line = 1  # the line where carry starts
    for block in blocks:
        last = block.rfind(b"\n\n")
        if last < 0:
            carry.append(block)
            continue
        first = block.find(b"\n\n")
        seam = b"".join((*carry, block[:first]))
        line = parser.read(seam, 0, len(seam), line) + 1
        if last >= first + 2:  # a third "\n" would make the two separators overlap
            line = parser.read(block, first + 2, last, line) + 1
            carry = [block[last + 2 :]]
        else:
            carry = [block[first + 2 :]]
    rest = b"".join(carry)
    parser.read(rest, 0, len(rest), line)
    return parser.finish(), parser.problems


class _Parser:
    """Turns lines of text into papers and problems."""

    def __init__(self, source: str, default_year: int) -> None:
        self.source = source
        self.default_year = default_year
        self.problems: list[Problem] = []
        self.pending: list[tuple[int, list[str]]] = []  # text paragraphs waiting for a meta block
        self.cols: Columns = {name: [] for name in (*_FIELDS, "paper_id", *_CARD)}
        self.card: dict[str, Any] = {}  # card lines (votes, submitter) read for the next paper
        # today's layout (card lines, a trending page) shows a paper twice in a row: one row
        self.repeats = False
        self.votes_after_date = False  # a date read "· Published on …": today's cards
        self.just_dated = False  # nothing but card lines since the last paper's date

    # -- fast path: papers in the usual shape, found and read all at once ---------------

    def read(self, data: bytes, start: int, end: int, line: int) -> int:
        """Read ``data[start:end]``, whole paragraphs whose first line is number
        ``line``; return the number of the line after them.

        Papers in the usual shape are read in bulk; the lines between them go
        through the line-by-line parser, in order.
        """
        lines = Lines.of(data, start, end)
        starts, ends = lines.starts, lines.ends
        papers = read_papers(lines)
        done = 0  # lines before this index are read
        for first, last in papers.runs():
            title_line = int(papers.dots[first]) - 5
            if done < title_line:
                self._slow(data, int(starts[done]), int(ends[title_line - 1]), line + done)
            if self.pending:
                self._take_cards()
                self._flush_pending()
            self._extend(papers, first, last, line)
            self._apply_card(len(self.cols["title"]) - (last - first))
            done = int(papers.dots[last - 1]) + 2
        if done < len(starts):
            self._slow(data, int(starts[done]), end, line + done)
        return line + len(lines)

    def _extend(self, papers: Papers, first: int, last: int, line: int) -> None:
        cols, n = self.cols, last - first
        cols["source_line"].extend((papers.dots[first:last] + (line - 5)).tolist())
        cols["title"].extend(papers.titles[first:last])
        cols["paper_id"].extend(papers.ids[first:last])
        cols["abstract"].extend(papers.abstracts[first:last])
        cols["n_authors"].extend(papers.n_authors[first:last])
        cols["organization"].extend([None] * n)
        cols["published"].extend(papers.days[first:last])
        cols["comments"].extend(papers.comments[first:last])
        for name in _CARD:
            cols[name].extend([None] * n)

    def _take_cards(self, keep_last: int = 0) -> None:
        """Move the card paragraphs (votes, submitter) out of ``pending`` into ``card``,
        but for the last ``keep_last`` (a title and abstract, whatever they hold)."""
        kept = []
        cut = len(self.pending) - keep_last
        for i, (line, lines) in enumerate(self.pending):
            found = card(lines) if i < cut else None
            if found is None:
                kept.append((line, lines))
            else:
                self.card.update(found)
                self.repeats = True
        self.pending = kept

    def _apply_card(self, row: int) -> None:
        """Give the card read before it to the paper at ``row``."""
        for name, value in self.card.items():
            self.cols[name][row] = value
        self.card = {}

    def _decode(self, data: bytes, line: int) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            at = line + data.count(b"\n", 0, exc.start)
            raise ListingError(
                f"{self.source}:{at}: not UTF-8 text ({exc.reason}); save the listing as UTF-8"
            ) from exc

    def _slow(self, data: bytes, start: int, end: int | None, line: int) -> None:
        """Read ``data[start:end]`` line by line, the first line being number ``line``."""
        self._slow_lines(self._decode(data[start:end], line).split("\n"), line)

    def _flush_pending(self) -> None:
        self._strays(self.pending, "a title, an abstract and " + EXPECTED_META)
        self.pending = []

    def _strays(self, paragraphs: list[tuple[int, list[str]]], expected: str) -> None:
        """Report text that belongs to no paper; page furniture and page dates are skipped."""
        previous: list[str] = []
        for line, lines in paragraphs:
            if not is_furniture(lines) and not is_query(previous, lines):
                self._problem(line, lines, expected)
            elif lines[0].casefold() == "trending papers":
                self.repeats = True
            previous = lines

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
                self._paragraphs(start, paragraph)
                paragraph = []
        if paragraph:
            self._paragraphs(start, paragraph)

    def _paragraphs(self, line: int, lines: list[str]) -> None:
        """Read a paragraph; one holding several papers (a copy without blank lines) is
        read as the paragraphs the page would have."""
        for start, part in unbroken(line, lines):
            self._paragraph(start, part)

    def _paragraph(self, line: int, lines: list[str]) -> None:
        if len(lines) > 1 and is_furniture(lines[:1]):  # "Jan 2" with no blank line after it
            self.problems.append(
                Problem(
                    self.source,
                    line,
                    " ".join(lines),
                    f"a blank line after the page's {lines[0]!r}",
                    kept=True,
                    note=f"read {lines[0]!r} as page furniture",
                )
            )
            line, lines = line + 1, lines[1:]
        after_date = self.votes_after_date and self.just_dated and not self.pending
        if after_date and (found := card(lines)) is not None:
            self._card_after_date(found)  # today's cards: the votes follow the date
            return
        self.just_dated = False
        lines = old_shape(author_bullets(lines), self.votes_after_date)
        if "·" in lines or lines[0].startswith("•"):
            dot = lines.index("·") if "·" in lines else -1
            if 0 <= dot < len(lines) - 2 and is_card(lines[dot + 2 :]):
                trailing = card(lines[dot + 2 :]) or {}  # "Upvote 45", "GitHub 1.2k" after it
                papers = len(self.cols["title"])
                self._meta(line, lines[: dot + 2])
                for name, value in trailing.items() if len(self.cols["title"]) > papers else ():
                    self.cols[name][-1] = value  # only to the paper this block gave
                return
            if 0 <= dot < len(lines) - 2 and _META.match(" ".join(lines[: dot + 2])):
                # no blank line after the date: what follows is the next paper's title
                after = line + dot + 2
                self._meta(line, lines[: dot + 2])
                self.problems.append(
                    Problem(self.source, after, " ".join(lines[dot + 1 :]), NO_BLANK, True, NEXT)
                )
                self.pending.append((after, lines[dot + 2 :]))
                return
            self._meta(line, lines)
        else:
            self.pending.append((line, lines))

    def _card_after_date(self, found: dict[str, Any]) -> None:
        """Card lines right after a '· Published on' date: the votes and stars are that
        paper's; a 'Submitted by' there already names the next paper's submitter."""
        submitter = found.pop("submitted_by", None)
        for name, value in found.items():
            self.cols[name][-1] = value
        if submitter:
            self.card["submitted_by"] = submitter
            self.just_dated = False  # what follows is the next paper's
        self.repeats = True

    def _problem(self, line: int, lines: list[str], expected: str) -> None:
        self.problems.append(Problem(self.source, line, " ".join(lines), expected))

    def _meta(self, line: int, lines: list[str]) -> None:
        self._take_cards(keep_last=2)
        pending, self.pending = self.pending, []
        if pending and len(pending[-2:][0][1]) > 1:  # card lines heading the title paragraph
            at = len(pending) - len(pending[-2:])
            start, first = pending[at]
            cut = next((i for i in range(len(first) - 1, 0, -1) if is_card(first[:i])), 0)
            if cut:
                self.card.update(card(first[:cut]) or {})
                self.repeats = True
                pending[at] = (start + cut, first[cut:])
        match = _META.match(" ".join(lines))
        day = self._meta_day(match) if match else None
        if match is None or day is None:
            self._problem(line, lines, EXPECTED_META)
            self._strays(pending[:-2], "a title, an abstract and " + EXPECTED_META)
            if len(pending) >= 2:
                title_line, title = pending[-2]
                self._problem(
                    title_line, title, f"a paper whose author/date block at line {line} is readable"
                )
            return
        if not pending:
            self._problem(line, lines, "a title and an abstract before the author/date block")
            return
        if len(pending[-1][1]) > 1 and (len(pending) == 1 or is_furniture(pending[-2][1])):
            # no blank line between the title and the abstract: the title is the first line
            start, joined = pending[-1]
            self.problems.append(
                Problem(self.source, start, " ".join(joined), NO_BLANK_TITLE, True, FIRST_LINE)
            )
            pending = [*pending[:-1], (start, joined[:1]), (start + 1, joined[1:])]
        self._strays(pending[:-2], "a title, an abstract and " + EXPECTED_META)
        if len(pending) == 1:
            (title_line, title), abstract = pending[0], None
            self._problem(
                title_line, title, "an abstract paragraph between the title and the author line"
            )
        else:
            (title_line, title), (_, abstract_lines) = pending[-2], pending[-1]
            abstract = " ".join(abstract_lines)
        n = self._count(title_line, "n_authors", match["n"]) if match["n"] else None
        org = match["org"].strip() if match["org"] else None
        self.votes_after_date |= "published on" in " ".join(lines).lower()
        comments = self._count(title_line, "comments", match["comments"] or "0")
        self._emit(title_line, " ".join(title), abstract, n, org, day, comments)
        self.just_dated = True

    def _count(self, line: int, column: str, digits: str) -> int | None:
        """``digits`` as a count, or None (reported) when Int64 cannot hold it."""
        value = int(digits)
        if count_in_range(value):
            return value
        self.problems.append(count_problem(self.source, line, column, digits))
        return None

    def _meta_day(self, match: re.Match[str]) -> int | None:
        if not (match["dot"] or match["n"] or match["org"] or match["year"]):
            return None
        year = int(match["year"]) if match["year"] else self.default_year
        return days_since_epoch(year, match["month"], match["day"])

    # -- output -------------------------------------------------------------------------

    def _emit(
        self,
        line: int,
        title: str,
        abstract: str | None,
        n_authors: int | None,
        organization: str | None,
        day: int,
        comments: int | None,
    ) -> None:
        values = (line, title, abstract, n_authors, organization, day, comments)
        for name, value in zip(_FIELDS, values, strict=True):
            self.cols[name].append(value)
        self.cols["paper_id"].append(paper_id(title))
        for name in _CARD:
            self.cols[name].append(None)
        self._apply_card(len(self.cols["title"]) - 1)

    def finish(self) -> Columns:
        """The papers read, as columns."""
        self._strays(self.pending, "a title and abstract followed by " + EXPECTED_META)
        self.pending = []
        cols = merge_repeats(self.cols) if self.repeats else self.cols
        for i, votes in enumerate(cols["upvotes"]):  # a card's count Int64 cannot hold
            if votes is not None and not count_in_range(votes):
                line = cols["source_line"][i]
                self.problems.append(count_problem(self.source, line, "upvotes", str(votes)))
                cols["upvotes"][i] = None
        card_columns(cols)
        days, out_of_range = checked_days(
            np.array(cols["published"], dtype=np.int64), cols["source_line"], self.source
        )
        self.problems.extend(out_of_range)
        cols["published"] = days.view("datetime64[D]")
        cols["code_urls"], cols["project_urls"] = links_of_texts(cols["abstract"])
        cols["source"] = [self.source] * len(cols["title"])
        cols["sources"] = [[f"{self.source}:{line}"] for line in cols["source_line"]]
        return cols
