"""Reader for the Hugging Face Daily Papers page as a browser copies it to text.

Each paper is a title paragraph, an abstract paragraph and a block of the
author count, a ``·`` line and the date with an optional comment count::

    Transformer in Transformer

    Transformer networks have achieved great progress …

      • 6 authors
    ·
    Feb 26, 2021 1

The text is split into paragraphs. A paper in the usual shape (one-line title,
one-line abstract, the author/date block) is read on a fast path; everything
else (page furniture, wrapped lines, broken blocks) goes through the
line-by-line parser, which reports what it cannot read instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np

from litreview.errors import ListingError, Problem
from litreview.ids import paper_id, paper_ids_of_utf8
from litreview.links import links_of_texts

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
_META = re.compile(
    r"^(?:•\s*(?:(?P<n>\d+)\s+authors?|(?P<org>[^·•\d][^·•]*?))\s*)?(?P<dot>·\s*)?"
    + DATE_PATTERN
    + r"(?:\s+(?P<comments>\d+))?$",
    re.IGNORECASE,
)
_BARE_DATE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12][0-9]|3[01])(, [12][0-9]{3})?"
)
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
_FAST_META = re.compile(
    "[ \t]*•[ \t]*(?P<n>[0-9]+) authors?[ \t]*\n·[ \t]*\n".encode()
    + rb"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) (?P<day>[0-9]{1,2}), "
    + rb"(?P<year>[0-9]{4})(?: (?P<comments>[0-9]+))?[ \t]*"
)
_DOT = "·".encode()
_NEWLINE = ord("\n")
_RUN_META = re.compile(rb"(?<![^\x00])" + _FAST_META.pattern + rb"\x00")
_FIELDS = ("source_line", "title", "abstract", "n_authors", "organization", "published", "comments")
_FAST_META_CHARS = 80
_FAST_PAPER_LINES = 8  # title, blank, abstract, blank, authors, ·, date, blank
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

Columns = dict[str, Any]


def looks_like_hf_text(head: str) -> bool:
    """True when ``head`` (the start of a file) reads as a plain-text capture."""
    lines = [s.strip() for s in head.splitlines()]
    return "·" in lines and any(s.startswith("•") or _META.match(s) for s in lines)


def parse_hf_text(
    blocks: Iterable[bytes], source: str, *, year: int | None = None, fast: bool = True
) -> tuple[Columns, list[Problem]]:
    """Parse a plain-text capture, given as UTF-8 blocks cut anywhere, into
    per-column lists and the problems found.

    ``fast=False`` reads everything with the line-by-line parser: the reference
    the fast path is tested against.
    """
    parser = _Parser(source, year or dt.date.today().year)
    if not fast:
        parser._slow([b"".join(blocks)], 1)
        return parser.finish(), parser.problems
    carry = b""
    line = 1  # line number where carry starts
    for block in blocks:
        carry, line = parser.paragraphs(block, line, final=False, carry=carry)
    parser.paragraphs(carry, line, final=True)
    return parser.finish(), parser.problems


class _Parser:
    """Turns paragraphs of text into papers and problems."""

    def __init__(self, source: str, default_year: int) -> None:
        self.source = source
        self.default_year = default_year
        self.problems: list[Problem] = []
        self.pending: list[tuple[int, list[str]]] = []  # text paragraphs waiting for a meta block
        self.cols: Columns = {name: [] for name in (*_FIELDS, "paper_id")}

    # -- fast path: paragraphs in the usual shape ----------------------------------------

    def paragraphs(
        self, data: bytes, line: int, *, final: bool, carry: bytes = b""
    ) -> tuple[bytes, int]:
        """Read the complete paragraphs of ``carry + data`` (starting at ``line``);
        return the unread rest and the line where it starts."""
        paras, one_line = split_paragraphs(data, carry)
        usable = len(paras) if final else len(paras) - 1  # the last one may be cut short
        done = 0  # paragraphs before this index are read; ``line`` is where paras[done] starts
        for run in _meta_runs(paras, usable):
            if run[0] - 2 < done:
                run = [i for i in run if i - 2 >= done]
            if run:
                done, line = self._run(paras, one_line, run, done, line)
        if final:
            self._slow(paras[done:], line)
            return b"", line
        return b"\n\n".join(paras[done:]), line

    def _run(
        self, paras: list[bytes], one_line: np.ndarray, run: list[int], done: int, line: int
    ) -> tuple[int, int]:
        """Read a run of papers whose meta blocks stand every third paragraph, all at
        once; fall back to one paper at a time when any of them is unusual."""
        first, last = run[0], run[-1]
        titles, abstracts = paras[first - 2 : last - 1 : 3], paras[first - 1 : last : 3]
        metas = _RUN_META.findall(b"\x00".join(paras[first : last + 1 : 3]) + b"\x00")
        ok = len(metas) == len(run) and bool(one_line[first - 2 : last : 3].all())
        ok = ok and bool(one_line[first - 1 : last : 3].all())
        try:
            title_texts = [t.decode().strip() for t in titles] if ok else []
            abstract_texts = [a.decode().strip() for a in abstracts] if ok else []
        except UnicodeDecodeError:
            ok = False
        days = [_day_number(y, m, d) for _, m, d, y, _ in metas] if ok else []
        if not (ok and all(title_texts) and all(abstract_texts) and None not in days):
            return self._one_by_one(paras, run, done, line)
        if done < first - 2:
            line = self._slow(paras[done : first - 2], line)
        if self.pending:
            self._flush_pending()
        cols, n = self.cols, len(run)
        cols["source_line"].extend(range(line, line + n * _FAST_PAPER_LINES, _FAST_PAPER_LINES))
        cols["title"].extend(title_texts)
        cols["paper_id"].extend(paper_ids_of_utf8(titles))  # the same ids, without decoding
        cols["abstract"].extend(abstract_texts)
        cols["n_authors"].extend([int(m[0]) for m in metas])
        cols["organization"].extend([None] * n)
        cols["published"].extend(days)
        cols["comments"].extend([int(m[4]) if m[4] else 0 for m in metas])
        return last + 1, line + n * _FAST_PAPER_LINES

    def _one_by_one(
        self, paras: list[bytes], run: list[int], done: int, line: int
    ) -> tuple[int, int]:
        for i in run:
            if i - 2 < done:
                continue
            meta = _FAST_META.fullmatch(paras[i])
            title, abstract = paras[i - 2], paras[i - 1]
            if meta is not None and b"\n" not in title and b"\n" not in abstract:
                n, month, day_of_month, year, comments = meta.groups()
                day = _day_number(year, month, day_of_month)
                try:
                    title_text, abstract_text = title.decode().strip(), abstract.decode().strip()
                except UnicodeDecodeError:
                    title_text = abstract_text = ""  # the slow path reports it with its line
                if title_text and abstract_text and day is not None:
                    if done < i - 2:
                        line = self._slow(paras[done : i - 2], line)
                    if self.pending:
                        self._flush_pending()
                    self._emit(line, title_text, abstract_text, int(n), None, day, comments)
                    line += _FAST_PAPER_LINES
                    done = i + 1
                    continue
            line = self._slow(paras[done : i + 1], line)
            done = i + 1
        return done, line

    def _decode(self, data: bytes, line: int) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            at = line + data.count(b"\n", 0, exc.start)
            raise ListingError(
                f"{self.source}:{at}: not UTF-8 text ({exc.reason}); save the listing as UTF-8"
            ) from exc

    def _slow(self, paras: list[bytes], line: int) -> int:
        """Read ``paras`` line by line; return the line after them."""
        if not paras:
            return line
        lines = self._decode(b"\n\n".join(paras), line).split("\n")
        self._slow_lines(lines, line)
        return line + len(lines) + 1

    def _flush_pending(self) -> None:
        self._strays(self.pending, "a title, an abstract and " + EXPECTED_META)
        self.pending = []

    def _strays(self, paragraphs: list[tuple[int, list[str]]], expected: str) -> None:
        """Report text that belongs to no paper; page furniture and page dates are skipped."""
        for line, lines in paragraphs:
            if not _is_furniture(lines):
                self._problem(line, lines, expected)

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
        self._strays(pending[:-2], "a title, an abstract and " + EXPECTED_META)
        if len(pending) == 1:
            (title_line, title), abstract = pending[0], None
            self._problem(
                title_line, title, "an abstract paragraph between the title and the author line"
            )
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
        comments: bytes | str | None,
    ) -> None:
        values = (line, title, abstract, n_authors, organization, day, int(comments or 0))
        for name, value in zip(_FIELDS, values, strict=True):
            self.cols[name].append(value)
        self.cols["paper_id"].append(paper_id(title))

    def finish(self) -> Columns:
        """The papers read, as columns."""
        self._strays(self.pending, "a title and abstract followed by " + EXPECTED_META)
        self.pending = []
        cols = self.cols
        cols["published"] = np.array(cols["published"], dtype=np.int64).view("datetime64[D]")
        cols["code_urls"], cols["project_urls"] = links_of_texts(cols["abstract"])
        cols["source"] = [self.source] * len(cols["title"])
        cols["sources"] = [[f"{self.source}:{line}"] for line in cols["source_line"]]
        return cols


def _is_furniture(lines: list[str]) -> bool:
    """Page furniture ("Subscribe", "Daily Papers", …) or the page's own date ("Jan 2")."""
    return len(lines) == 1 and (
        lines[0].casefold() in FURNITURE or bool(_BARE_DATE.fullmatch(lines[0]))
    )


def split_paragraphs(data: bytes, carry: bytes = b"") -> tuple[list[bytes], np.ndarray]:
    """``(carry + data).split(b"\\n\\n")``, and for each paragraph whether it is one line.

    ``carry`` (the unread end of the previous block) is not copied in front of
    the 4 MB block: unless it ends in a newline, no ``\\n\\n`` can run across
    the two, so only the paragraph at the seam is joined.

    numpy finds the newlines (bytes.split's search for a two-byte separator is
    slow); each paragraph is then one slice, and its newline count comes from
    the same positions, so the fast path need not search the text again.

    >>> paras, one_line = split_paragraphs(b"c\\n\\n\\nd", carry=b"a\\n\\nb\\n")
    >>> paras, one_line.tolist()
    ([b'a', b'b\\nc', b'\\nd'], [True, False, False])
    """
    if carry.endswith(b"\n"):
        return _split_paragraphs(carry + data)
    paras, one_line = _split_paragraphs(data)
    if carry:
        head, head_one_line = _split_paragraphs(carry)
        paras[0] = head[-1] + paras[0]
        one_line[0] &= head_one_line[-1]
        paras = head[:-1] + paras
        one_line = np.concatenate((head_one_line[:-1], one_line))
    return paras, one_line


def _split_paragraphs(data: bytes) -> tuple[list[bytes], np.ndarray]:
    """:func:`split_paragraphs` of one piece of text."""
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NEWLINE)
    pairs = newlines[:-1][np.diff(newlines) == 1]  # where a "\n\n" starts
    # In a run of n newlines the pairs overlap; bytes.split takes the 1st, 3rd, 5th …
    new_run = np.diff(pairs, prepend=-2) != 1
    place_in_run = np.arange(len(pairs)) - np.flatnonzero(new_run)[np.cumsum(new_run) - 1]
    seps = pairs[place_in_run % 2 == 0]
    starts = np.concatenate(([0], seps + 2))
    ends = np.append(seps, len(data))
    paras = [data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    inner_newlines = np.searchsorted(newlines, ends) - np.searchsorted(newlines, starts)
    return paras, inner_newlines == 0


def _meta_runs(paras: list[bytes], usable: int) -> list[list[int]]:
    """Where the author/date blocks stand, in runs that stand every third paragraph.

    After a block, the next is looked for three paragraphs on (title, abstract,
    block); a block this skips is still read, by the slow path, as part of the
    text between the blocks found.
    """
    runs: list[list[int]] = []
    run: list[int] = []
    i = 2
    while i < usable:
        p = paras[i]
        if len(p) < _FAST_META_CHARS and _DOT in p:
            if run and i - run[-1] == 3:
                run.append(i)
            else:
                run = [i]
                runs.append(run)
            i += 3
        else:
            i += 1
    return runs


@lru_cache(maxsize=65536)
def _day_number(year: bytes, month: bytes, day: bytes) -> int | None:
    """:func:`_days` for the fast path's bytes (dates repeat: cached)."""
    return _days(int(year), month.decode(), day.decode())


def _days(year: int, month: str, day: str) -> int | None:
    """Days since 1970-01-01, or None for an impossible date."""
    try:
        return dt.date(year, MONTHS[month[:3].lower()], int(day)).toordinal() - EPOCH_ORDINAL
    except (ValueError, KeyError):
        return None
