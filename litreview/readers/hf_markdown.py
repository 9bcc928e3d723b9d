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

The other shapes of the same pages are read too: reference-style links
(``### [Title][32]`` with ``[32]: https://…`` definitions at the end); the
current layout (``- 7 authors`` or an organization link, ``· Published on Aug 2,
2025``, ``[Upvote 117](…login…)`` after the date, ``[GitHub 40.1k](…)``);
trending and search pages that show each paper twice (one paper is kept, with
the values of both); and, on pages whose headings carry no link, ``### Title``
headings followed by an author line or a code link. A ``Submitted by`` name is
kept in ``extra``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from litreview._links import clean_url, is_code_url
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
from litreview.readers.frontmatter import capture_year
from litreview.readers.hf_common import (
    SUBMITTED,
    add_extra,
    count,
    header_year,
    looks_like_hf,
    merge_duplicates,
    normalize_markdown,
    page_url,
    period_year,
    submitter,
    vote,
)

_HEADING = re.compile(r"^#{1,6}[ \t]*(?=\[)", re.MULTILINE)
_PLAIN_HEADING = re.compile(r"^#{2,6}[ \t]+(?P<title>[^\[#\s].*?)[ \t#]*$", re.MULTILINE)
_DETECT = re.compile(r"^#{1,6}[ \t]*\[.+\]\((?:https?://[^)\s]*)?/papers/", re.MULTILINE)
_REF_HEADING = re.compile(r"^#{1,6}[ \t]*\[.+\]\[[^\]\n]+\][ \t]*$", re.MULTILINE)
_CARD_META = re.compile(
    r"^(?:[-*•][ \t]*\d+[ \t]+authors?|\[(?:LINK: )?GitHub[ \t]+[\d.,]+[kKmM]?\]\()",
    re.MULTILINE,
)
_LOGIN_LINK = re.compile(
    r"\[(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^)\s]*login[^)\s]*)\)"
)
_KEYWORD_LINK = re.compile(
    r"\[([^\[\]\n]*)\]\((?:https?://(?:www\.)?huggingface\.co)?/papers\?q=[^)\s]*\)"
)
_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\([^)]*\)")
_AVATARS = re.compile(r"^[-*+•](?:\s*(?:[-*+•]|!\[[^\]\n]*\]\([^)\n]*\)|\[[^\[\]\n]*\]))*\s*$")
_EMPHASIS = re.compile(r"^(?P<mark>\*\*|__|\*|_)(?P<title>[^*_].*?)(?P=mark)$")
_ALT = re.compile(r"^\[[^\]]*\]\s*")
_LIST_MARK = re.compile(r"(?:^|(?<=\s))[-*+•](?=\s|$)")
_COMMUNITY = re.compile(r"\[\s*(?P<n>\d[\d,]*)\s*\]\([^)\s]*#community\)")
_PAPER_URL = re.compile(
    r"^(?:https?://(?:www\.)?huggingface\.co)?/papers/(?P<id>[^/?#\s)]*\d[^/?#\s)]*)/?$"
)
_ORG_URL = re.compile(r"^(?:https?://(?:www\.)?huggingface\.co)?/(?P<org>[\w.-]+)/?$")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5})")
_META_LINE = re.compile(r"^(?P<dot>·\s*)?(?P<published>Published on\s+)?")
_AUTHORS_LINE = re.compile(r"^(?:[-*•+]\s*)?(?P<n>\d+)\s+authors?$", re.IGNORECASE)
_NOT_ORGS = frozenset({"papers", "login", "join", "models", "datasets", "spaces", "docs"})
ORPHAN = "a heading link '### [Title](…/papers/…)' after the upvote link"
EXPECTED = "an abstract link, an author line, a '·' line and a date like 'May 29' or 'Feb 27, 2025'"


def looks_like_hf_markdown(head: str) -> bool:
    """True when ``head`` has a heading link to a paper page (``### [Title](…/papers/…)``),
    inline or reference-style, or paper headings with author lines on a Hugging Face page."""
    return _evidence(head) > 0


def _evidence(head: str) -> int:
    """How many papers the start of a capture shows (0: not a Markdown capture)."""
    if "/papers/" in head and (found := len(_DETECT.findall(head))):  # substring test: faster
        return found
    if not looks_like_hf(head):
        return 0
    if found := len(_REF_HEADING.findall(head)):
        return found
    # author lines count only under Markdown headings: a plain copy has "- 7 authors" too
    return len(_CARD_META.findall(head)) if _PLAIN_HEADING.search(head) else 0


@dataclass(frozen=True)
class Heading:
    """A paper's heading: its title, its page (None for a heading without link), where."""

    title: str
    url: str | None
    start: int
    end: int

    @property
    def ident(self) -> str | None:
        match = _PAPER_URL.match(self.url) if self.url else None
        return match["id"] if match else None


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
    text = _KEYWORD_LINK.sub(r"\1", normalize_markdown(text))
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        return bisect.bisect_right(newlines, pos - 1) + 1

    headings = _headings(text)
    starts = [h.start for h in headings]
    votes, orphans = _votes(text, headings, starts)
    by_owner: dict[int, list[tuple[int, int]]] = {}
    for p, (owner, n) in votes.items():
        by_owner.setdefault(owner, []).append((p, n))
    # where a body ends: another paper's upvote link, a "Submitted by", an orphan link
    stops = sorted([p for p, (owner, _) in votes.items()] + orphans)
    owner_at = {p: owner for p, (owner, _) in votes.items()}
    submitters = [m.start() for m in SUBMITTED.finditer(text)]
    stops = sorted([*stops, *submitters])
    records: list[Record] = []
    problems = [Problem(source, line_of(p), text[p : p + 200], ORPHAN) for p in orphans]
    for k, heading in enumerate(headings):
        end = headings[k + 1].start if k + 1 < len(headings) else len(text)
        at = bisect.bisect_left(stops, heading.end)
        while at < len(stops) and stops[at] < end and owner_at.get(stops[at]) == k:
            at += 1  # this paper's own upvote link (after its date) does not end it
        body_end = min(end, stops[at]) if at < len(stops) else end
        record = _paper(text, heading, body_end, year)
        mine = by_owner.get(k, [])
        if mine:
            record["upvotes"] = max(n for _, n in mine)
        previous_end = headings[k - 1].end if k else 0
        last = bisect.bisect_left(submitters, heading.start) - 1
        name = submitter(text, submitters[last]) if last >= 0 else None
        if name and submitters[last] >= previous_end:
            record["submitted_by"] = name
        if not _is_paper(record):
            if heading.url is not None:  # a heading without link that is no paper is furniture
                snippet = text[text.rfind("\n", 0, heading.start) + 1 :][:200]
                problems.append(Problem(source, line_of(heading.start), snippet, EXPECTED))
            continue
        first = min([heading.start, *(p for p, _ in mine if p < heading.start)])
        record["source_line"] = line_of(first)
        records.append(record)
    records = merge_duplicates(records)
    problems.sort(key=lambda p: p.line)
    cols = records_to_columns(records, source, problems)
    add_extra(cols, records)
    return cols, problems


def _headings(text: str) -> list[Heading]:
    """The paper headings: linked ones, else (a page without any) plain ``### Title``."""
    found: list[Heading] = []
    for match in _HEADING.finditer(text):
        link = scan_link(text, match.end())
        if link is not None and _PAPER_URL.match(link.url):
            title = _unemphasize(clean_markdown(link.label))
            found.append(Heading(title, link.url, match.start(), link.end))
    if found:
        return found
    for match in _PLAIN_HEADING.finditer(text):
        title, end = match["title"], match.end()
        while (nxt := text.find("\n", end + 1)) > end + 1 and text[end + 1] in " \t":
            title, end = f"{title} {text[end + 1 : nxt]}", nxt  # a title wrapped by the tool
        found.append(Heading(_unemphasize(clean_markdown(title)), None, match.start(), end))
    return found


def _unemphasize(title: str) -> str:
    """A title without the bold or italic marks a converter wrapped it in (``**T**``)."""
    match = _EMPHASIS.match(title)
    return match["title"].strip() if match else title


def _votes(
    text: str, headings: list[Heading], starts: list[int]
) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Each upvote link's position -> (the heading it belongs to, its count); and the
    positions of those whose paper is not there. A link names its paper (``next=``):
    the heading above it (the count shown after the date) or below it (before the title)."""
    owners: dict[int, tuple[int, int]] = {}
    orphans: list[int] = []
    for match in _LOGIN_LINK.finditer(text):
        found = vote(match["label"], match["url"])
        if found is None:
            continue
        n, ident = found
        above = bisect.bisect_right(starts, match.start()) - 1
        candidates = [j for j in (above, above + 1) if 0 <= j < len(headings)]
        if ident is not None and any(headings[j].ident for j in candidates):
            owner = next((j for j in candidates if headings[j].ident == ident), None)
        else:
            owner = above + 1 if above + 1 < len(headings) else None
        if owner is None:
            orphans.append(match.start())
        else:
            owners[match.start()] = (owner, n)
    return owners, orphans


def _is_paper(record: Record) -> bool:
    """A heading is a paper when something besides its title and abstract shows it."""
    keys = ("published", "n_authors", "organization", "upvotes", "code_urls")
    return any(record.get(key) for key in keys)


def _label_text(label: str) -> str:
    """A link label without images, image alt text, list markers and Markdown escapes."""
    text = clean_markdown(_IMAGE.sub(" ", label))
    return " ".join(_LIST_MARK.sub(" ", _ALT.sub("", text)).split())


def _paper(text: str, heading: Heading, end: int, year: int) -> Record:
    """Read the body of the paper under ``heading`` (up to ``end``)."""
    url = page_url(heading.url) if heading.url else None
    record: Record = {"title": heading.title, "url": url, "arxiv_id": heading.ident}
    abstract_lines: list[str] = []
    state = {"meta": False}
    pos = heading.end
    while pos < end:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            break
        link = scan_link(text, pos) if text[pos] == "[" else None
        if link is not None and link.end <= end:
            other = _PAPER_URL.match(link.url)
            if other and heading.ident and other["id"] != heading.ident:
                break  # another paper's thumbnail or broken heading: this body ends
            _link(record, link, abstract_lines, state)
            pos = link.end
            continue
        line_end = text.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        _line(record, text[pos:line_end].strip(), year, abstract_lines, state)
        pos = line_end
    if "abstract" not in record and abstract_lines:
        record["abstract"] = clean_markdown("\n".join(abstract_lines))
    return record


def _line(
    record: Record, line: str, year: int, abstract: list[str], state: dict[str, bool]
) -> None:
    """Read one line of text of a paper's body (not a link) into ``record``."""
    if line.startswith("\\"):  # Turndown escapes a list mark it did not write: "\\- 4 authors"
        line = clean_markdown(line)
    if line == "·":
        state["meta"] = state["dot"] = True
        return
    if n := _AUTHORS_LINE.match(line):
        record.setdefault("n_authors", int(n["n"]))
        state["meta"] = True
        return
    meta = _META_LINE.match(line)
    rest = line[meta.end() :] if meta else line
    dated = bool(meta and (meta["dot"] or meta["published"])) or state.get("dot", False)
    if dated and "published" not in record:
        day, match = month_day(rest, year)
        if day is not None and match is not None:
            record["published"] = day
            state["meta"] = True
            if comments := _COMMUNITY.search(rest, match.end()):
                record["comments"] = int(comments["n"].replace(",", ""))
            return
    if _AVATARS.match(line):  # the authors' avatars as list items ("- [image]", "-")
        return
    if not state["meta"] and "abstract" not in record and not line.startswith(("·", "[")):
        abstract.append(line)


def _link(record: Record, link: Link, abstract: list[str], state: dict[str, bool]) -> None:
    """Read one link of a paper's body into ``record``."""
    url, label = link.url, _label_text(link.label)
    if "login" in url:  # upvotes: read with their heading
        return
    if "#community" in url:  # the comment count, on the page of this paper only
        owner = _PAPER_URL.match(url.split("#", 1)[0])
        if owner is None or owner["id"] != (record.get("arxiv_id") or owner["id"]):
            return
        if (n := count(label)) is not None:
            record["comments"] = n
        return
    if author_count(label) is not None and re.fullmatch(r"\d+\s+authors?", label, re.I):
        record.setdefault("n_authors", author_count(label))
        state["meta"] = True
    elif _PAPER_URL.match(url):
        if "abstract" not in record and not abstract and not state["meta"] and label:
            record["abstract"] = clean_markdown(link.label)
    elif arxiv := _ARXIV_URL.search(url):
        record["arxiv_id"] = record.get("arxiv_id") or arxiv["id"]
    elif (org := _ORG_URL.match(url)) and label and org["org"].lower() not in _NOT_ORGS:
        record.setdefault("organization", label)
        state["meta"] = True
    elif url.startswith(("http://", "https://")) and (cleaned := clean_url(url)):
        kind = "code_urls" if is_code_url(cleaned) else "project_urls"
        record.setdefault(kind, []).append(cleaned)
        if label.lower().startswith(("github", "link: github")) and (n := count(label)):
            record.setdefault("github_stars", n)  # "GitHub 40.1k": the stars
        state["meta"] = True


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` a Markdown capture?"""
    return looks_like_hf_markdown(src.head_text)


def score(src: SourceText) -> float:
    """Registry hook: the evidence in the start of ``src``, the paper headings it shows."""
    return float(_evidence(src.head_text))


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src`` (dates without a year take the capture's year)."""
    text = src.read()
    head = src.head_text
    year = year or capture_year(head) or header_year(head) or period_year(head)
    return parse_hf_markdown(text, src.name, year=year or dt.date.today().year)
