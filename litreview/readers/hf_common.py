"""What the Hugging Face page readers share: reference-style links, upvote and star
counts, the submitter, and one paper per page when a page shows it twice.

Markdown converters that write reference-style links (``[Title][32]`` with
``[32]: https://huggingface.co/papers/2405.01234`` at the end) are turned into
inline links first, so every reader sees one shape::

    >>> resolve_references('### [T][1]\\n\\n[1]: <https://hf.co/papers/1> "t"\\n')
    '### [T](https://hf.co/papers/1)\\n\\n\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from litreview.ids import paper_id
from litreview.readers._records import Record
from litreview.schema import PAPER_COLUMNS

_DEFINITION = re.compile(
    r"^[ \t]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<url>\S+))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$",
    re.MULTILINE,
)
_REFERENCE = re.compile(r"\]\[(?P<label>[^\]\n]+)\]")
_COUNT = re.compile(r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<k>[kKmM])?")
_VOTE_LABEL = re.compile(r"(?:upvote)?\s*(?P<n>\d[\d,]*|-)?\s*", re.IGNORECASE)
#: The vote button's checkbox as r.jina.ai writes it: ``[- [x] Upvote 29](…)``.
_CHECKBOX = re.compile(r"^\s*(?:[-*]\s*)?\[[xX ]?\]")
_NEXT_PAPER = re.compile(r"(?:%2F|/)papers(?:%2F|/)(?P<id>[^&%\s)/#]+)", re.IGNORECASE)
SUBMITTED = re.compile(r"^[ \t]*(?:[-*·][ \t]*)?Submitted by\b[ \t]*(?P<rest>.*)$", re.MULTILINE)
_IMAGE = re.compile(r"!?\[[^\]\n]*\](?:\([^)\n]*\))?")
#: The submission date after a submitter's name: `` on Oct 8, 2024``, or with no space
#: before it as a fetch tool joins the name's link and the date (``Fang Yuon Oct 8``).
ON_DATE = re.compile(
    r"\s*\bon\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?\s*$|(?<=[a-z])on\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?\s*$",
    re.IGNORECASE,
)


def resolve_references(text: str) -> str:
    """``text`` with reference-style links made inline and their definitions blanked
    (line numbers stay); text without definitions is returned as it is."""
    if "]:" not in text:
        return text
    targets: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        url = match["angled"] if match["angled"] is not None else match["url"]
        targets.setdefault(match["label"].strip().lower(), url)
    if not targets:
        return text
    text = _DEFINITION.sub(lambda m: "", text)

    def inline(match: re.Match[str]) -> str:
        url = targets.get(match["label"].strip().lower())
        return match[0] if url is None else f"]({url})"

    return _REFERENCE.sub(inline, text)


#: Pandoc's Markdown: attributes after a link, image or heading (``{.cursor-pointer}``,
#: ``{#id .class key="v"}``), bracketed spans ``[text]{.class}`` and ``:::`` div fences.
_ATTRIBUTES = re.compile(
    r"(?:(?<=[)\]`])|[ \t]+(?=\{[^{}\n]*\}[ \t]*$))\{(?:[#.][\w:-]|[\w-]+=)"
    r"[^{}\n]*(?:\n[ \t]*[^{}\s][^{}\n]*)*\}",
    re.MULTILINE,
)
_SPAN = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?=\{(?:[#.][\w:-]|[\w-]+=))")
_FENCE = re.compile(r"^[ \t]*:{3,}.*$", re.MULTILINE)
_ANGLED = re.compile(r"\]\(<([^<>\n]*)>")


def normalize_markdown(text: str) -> str:
    """``text`` in the one Markdown shape the readers read: reference-style links made
    inline (:func:`resolve_references`), ``[t](<url>)`` as ``[t](url)``, and pandoc's
    attributes, spans and div fences dropped (line numbers stay).

    >>> normalize_markdown("::: {.card}\\n### [T](</papers/1>){.line-clamp-3}\\n:::")
    '\\n### [T](/papers/1)\\n'
    """
    text = resolve_references(text)
    if "](<" in text:
        text = _ANGLED.sub(r"](\1", text)
    if "{" in text and _ATTRIBUTES.search(text):
        text = _ATTRIBUTES.sub("", _SPAN.sub(r"\1", text))
    if ":::" in text:
        text = _FENCE.sub("", text)
    return text


def page_url(url: str) -> str:
    """A link of the page as an address: a relative one (a page saved by a browser and
    converted, ``/papers/2405.01234``) on huggingface.co.

    >>> page_url("/papers/2405.01234"), page_url("https://hf.co/x")
    ('https://huggingface.co/papers/2405.01234', 'https://hf.co/x')
    """
    return "https://huggingface.co" + url if url.startswith("/") else url


def count(text: str) -> int | None:
    """A count as the page shows it: ``40``, ``1,234``, ``40.1k``, ``1.2M``.

    >>> count("40.1k"), count("1,234"), count("7"), count("none")
    (40100, 1234, 7, None)
    """
    match = _COUNT.search(text)
    if match is None:
        return None
    digits = match["n"].replace(",", "")
    if not match["k"] and "." not in digits:
        return int(digits)  # exact, however large (a range check reports what is too large)
    scale = {"k": 1_000, "m": 1_000_000}.get((match["k"] or "").lower(), 1)
    return round(float(digits) * scale)


def vote(label: str, url: str) -> tuple[int, str | None] | None:
    """The upvote count of a login link (``[Upvote 34](/login?next=%2Fpapers%2F<id>)``,
    ``[-](…)`` is 0) and the paper id it names; None for other login links.

    >>> vote("- [x] Upvote 29", "/login?next=%2Fpapers%2F2410.02675")
    (29, '2410.02675')
    """
    if "login" not in url:
        return None
    text = label.replace("\\", "")  # Turndown (MarkDownload) escapes a lone "-": "\\-"
    text = _CHECKBOX.sub(" ", text.replace("[ ]", " ").replace("[]", " "))
    match = _VOTE_LABEL.fullmatch(text.strip())
    if match is None or match["n"] is None:
        return None
    ident = _NEXT_PAPER.search(url)
    n = 0 if match["n"] == "-" else int(match["n"].replace(",", ""))
    return n, ident["id"] if ident else None


def submitter(text: str, start: int) -> str | None:
    """The name after ``Submitted by`` at ``start`` of ``text``: on its line, or the
    next line that is not an avatar (images and links are unwrapped)."""
    match = SUBMITTED.match(text, start)
    if match is None:
        return None
    candidates = [match["rest"], *text[match.end() :].split("\n", 6)[1:6]]
    for line in candidates:
        name = ON_DATE.sub("", _IMAGE.sub(lambda m: _label(m[0]), line))
        name = " ".join(name.replace("](", " ").strip("[]()* \t").split())
        if name and not name.startswith(("http", "/")):
            return name
    return None


def _label(link: str) -> str:
    """The text a link shows (an image shows nothing)."""
    if link.startswith("!"):
        return " "
    return link[1 : link.index("]")] if "](" in link else " "


def merge_duplicates(records: list[Record]) -> list[Record]:
    """One record per paper: a page showing a paper twice (a card and a list item)
    gives one, with the values either shows (the larger upvote count, links of both).

    >>> merge_duplicates([{"title": "A", "upvotes": 3}, {"title": "A", "n_authors": 2}])
    [{'title': 'A', 'upvotes': 3, 'n_authors': 2}]
    """
    kept: dict[str, Record] = {}
    out: list[Record] = []
    for record in records:
        key = str(record.get("arxiv_id") or "") or "t:" + paper_id(str(record.get("title", "")))
        first = kept.get(key)
        if first is None:
            kept[key] = record
            out.append(record)
            continue
        _merge_into(first, record)
    return out


def _merge_into(first: Record, other: Record) -> None:
    for key, value in other.items():
        if key == "source_line" or value is None or value == [] or value == "":
            continue
        mine = first.get(key)
        if key in ("code_urls", "project_urls", "authors", "keywords"):
            first[key] = list(dict.fromkeys([*(mine or []), *value]))
        elif key == "upvotes" and mine is not None:
            first[key] = max(mine, value)
        elif key == "abstract" and mine is not None:
            first[key] = mine if len(str(mine)) >= len(str(value)) else value
        elif mine is None or mine == "":
            first[key] = value


#: What a page shows that the schema has no column for -> its key in ``extra`` (the
#: Hugging Face API's names, as hf-json keeps them, so the same paper merges into one).
EXTRA_KEYS = {"submitted_by": "submittedBy", "github_stars": "githubStars"}


def add_extra(cols: dict[str, Any], records: Iterable[Record]) -> None:
    """Keep each record's submitter and GitHub stars in the ``extra`` column (when the
    schema has one): what the page showed, as text."""
    if "extra" not in PAPER_COLUMNS:
        return
    extras = [
        {key: str(r[k]) for k, key in EXTRA_KEYS.items() if r.get(k) is not None} for r in records
    ]
    if any(extras):
        cols["extra"] = extras


_CAPTURED = re.compile(
    r"^[\s>*#-]*(?:captured|retrieved|accessed|fetched|exported|created|clipped|saved|date)"
    r"\b[^:\n]{0,20}:\s*\**\s*(?P<year>(?:19|20)\d\d)-\d\d-\d\d",
    re.IGNORECASE | re.MULTILINE,
)
HF_EVIDENCE = ("hugging face", "huggingface", "daily papers", "trending papers")


def header_year(head: str) -> int | None:
    """The capture's year from a header line such as ``Captured (UTC): 2026-06-29…``
    or ``FETCHED: 2026-09-14`` near the top (tools that write no front matter).

    >>> header_year("# Web source\\n- Captured (UTC): 2026-06-29T16:31:22\\n")
    2026
    """
    match = _CAPTURED.search(head[:4000])
    return int(match["year"]) if match else None


_PERIOD_HINT = re.compile(
    r"/papers/(?:week|month|date)/(?P<url>[12]\d{3})-\d|^[ \t\[*]*(?:Week\s+\d{1,2}(?:,|\s+of)?|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December))\s+(?P<shown>[12]\d{3})[ \t\]*]*(?:\{[^}\n]*\})?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def period_year(head: str) -> int | None:
    """The year of the day, week or month a papers page lists (its ``Week 30, 2025`` or
    ``July 2025`` header, its ``/papers/week/2025-W30`` links; the most named): a date
    the page shows without a year is in it (the page leaves the year out only for dates
    of the year it is viewed in, and it lists no paper from after its period).

    >>> period_year("[Previous](/papers/week/2025-W29)\\n\\nWeek 30, 2025\\n")
    2025
    """
    votes: dict[int, int] = {}
    for match in _PERIOD_HINT.finditer(head[:20000]):
        found = int(match["url"] or match["shown"])
        votes[found] = votes.get(found, 0) + 1
    return max(votes, key=lambda y: votes[y]) if votes else None


def looks_like_hf(head: str) -> bool:
    """True when ``head`` names Hugging Face or its papers pages."""
    lower = head[:20000].lower()
    return any(word in lower for word in HF_EVIDENCE)
