"""Reader for the Hugging Face papers API as JSON.

Three shapes are read: the daily papers list (``/api/daily_papers``: items
with a nested ``paper`` object and ``numComments`` at the top level), the
papers search list (``/api/papers/search``: the same items), a single paper object
(``/api/papers/<id>``), and an object holding a ``papers`` list. What the schema has
no column for is kept in ``extra`` (``ai_summary``, ``submittedOnDailyAt``, the
submitter, ``githubStars``, ``discussionId``, hidden authors' count)::

    [{"paper": {"id": "2410.05434", "title": "…", "summary": "…",
                "authors": [{"name": "Ada Lovelace"}], "publishedAt": "2024-10-07T17:57:05.000Z",
                "upvotes": 12, "githubRepo": "https://github.com/a/b", "ai_keywords": ["LLM"]},
      "numComments": 2}]
"""

from __future__ import annotations

import json
import re
from typing import Any

from litreview.errors import ListingError, Problem
from litreview.ids import normalize_arxiv_id
from litreview.readers._io import SourceText
from litreview.readers._records import Columns, Record, clean_text, iso_date, records_to_columns
from litreview.schema import PAPER_COLUMNS

_DETECT = re.compile(r'^\s*(?:\[\s*(?:[{\]]|$)|\{\s*(?:"|$))')
PAPER_PAGE = "https://huggingface.co/papers/"
EXPECTED = "a paper object with at least an 'id' or a 'title'"
MAX_DEPTH = 200  # Python's json module gives up near 1,000; papers need 4


def looks_like_hf_json(head: str) -> bool:
    """True when ``head`` starts a JSON list of objects or a JSON object."""
    return _DETECT.match(head) is not None


def parse_hf_json(text: str, source: str) -> tuple[Columns, list[Problem]]:
    """Parse API JSON into per-column lists and the problems found.

    Raises :class:`json.JSONDecodeError` (with its position) on invalid JSON.
    """
    items = _items_with_lines(text)
    records: list[Record] = []
    problems: list[Problem] = []
    for line, item in items:
        record = _record(item) if isinstance(item, dict) else None
        if record is None:
            problems.append(Problem(source, line, json.dumps(item)[:200], EXPECTED))
            continue
        record["source_line"] = line
        records.append(record)
    columns = records_to_columns(records, source, problems)
    for name, empty in (("date_precision", None), ("extra", {})):
        if name in PAPER_COLUMNS and name not in columns:
            columns[name] = [r.get(name, empty) for r in records]
    return columns, problems


def _items_with_lines(text: str) -> list[tuple[int, Any]]:
    """The top-level items (or the one object) with the line each starts on."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start):
        value, end = decoder.raw_decode(text, start)
        _only_space_after(text, end)
        if isinstance(value, dict) and isinstance(value.get("papers"), list):
            return [(1, item) for item in value["papers"]]
        return [(text.count("\n", 0, start) + 1, value)]
    items: list[tuple[int, Any]] = []
    pos, line, counted = start + 1, 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise json.JSONDecodeError("unterminated list", text, pos)
        if text[pos] == "]":
            _only_space_after(text, pos + 1)
            return items
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = decoder.raw_decode(text, pos)
        items.append((line, value))


def _only_space_after(text: str, end: int) -> None:
    """Text after the JSON value is an error, not something to ignore."""
    rest = len(text) - len(text[end:].lstrip())
    if rest < len(text):
        raise json.JSONDecodeError("extra data after the JSON value", text, rest)


def _record(item: dict[str, Any]) -> Record | None:
    paper: dict[str, Any] = item["paper"] if isinstance(item.get("paper"), dict) else item
    title = clean_text(paper.get("title") or item.get("title"))
    arxiv_id = normalize_arxiv_id(str(paper.get("id") or "")) if paper.get("id") else None
    if not title:
        return None
    authors = [
        name
        for a in paper.get("authors") or []
        if isinstance(a, dict) and (name := clean_text(a.get("name")))
    ]
    org = paper.get("organization") or item.get("organization")
    organization = (
        clean_text(org.get("fullname") or org.get("name")) if isinstance(org, dict) else None
    )
    comments = item.get("numComments", paper.get("numComments"))
    upvotes = paper.get("upvotes", item.get("upvotes"))
    keywords = paper.get("ai_keywords") or item.get("ai_keywords") or []
    published = paper.get("publishedAt") or item.get("publishedAt")
    listed = [a for a in paper.get("authors") or [] if isinstance(a, dict)]
    counts = {"n_authors": len(listed)} if len(listed) > len(authors) else {}
    return {
        **counts,
        "title": title,
        "abstract": clean_text(paper.get("summary") or item.get("summary")),
        "authors": authors,
        "organization": organization,
        "published": iso_date(paper.get("publishedAt") or item.get("publishedAt")),
        "published_text": paper.get("publishedAt") or item.get("publishedAt"),
        "comments": _count(comments) or 0,
        "upvotes": _count(upvotes),
        "arxiv_id": arxiv_id,
        "url": PAPER_PAGE + str(paper["id"]) if paper.get("id") else None,
        "code_urls": _links(_github(paper.get("githubRepo"))),
        "project_urls": _links(paper.get("projectPage")),
        "keywords": [k for k in keywords if isinstance(k, str)],
        "date_precision": "day" if iso_date(published) else None,
        "extra": _extra(item, paper),
    }


_OWNER_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")


def _github(value: Any) -> Any:
    """A GitHub link as the API gives it: a URL, or ``owner/repo`` (made a URL).

    >>> _github("thu-ml/Causal-Forcing"), _github("https://github.com/a/b"), _github(None)
    ('https://github.com/thu-ml/Causal-Forcing', 'https://github.com/a/b', None)
    """
    if isinstance(value, str) and _OWNER_REPO.match(value.strip()):
        return "https://github.com/" + value.strip()
    return value


def _links(value: Any) -> list[str]:
    """A link field (a URL, null or empty) as a list of URLs."""
    return [value.strip()] if isinstance(value, str) and value.strip() else []


#: API fields kept in ``extra`` (the schema has no column for them).
EXTRA_FIELDS = ("ai_summary", "submittedOnDailyAt", "githubStars", "discussionId")


def _extra(item: dict[str, Any], paper: dict[str, Any]) -> dict[str, str]:
    """The item's other fields worth keeping, as text."""
    out: dict[str, str] = {}
    for key in EXTRA_FIELDS:
        value = paper.get(key, item.get(key))
        if (
            isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and str(value).strip()
        ):
            out[key] = " ".join(str(value).split())
    by = paper.get("submittedOnDailyBy") or item.get("submittedBy")
    if isinstance(by, dict) and (name := by.get("fullname") or by.get("user")):
        out["submittedBy"] = str(name)
    hidden = sum(
        1
        for a in paper.get("authors") or []
        if isinstance(a, dict) and not clean_text(a.get("name"))
    )
    if hidden:
        out["unnamed_authors"] = str(hidden)
    return out


def _count(value: Any) -> int | None:
    """A count given as a JSON number (``12`` or ``12.0``); None for anything else
    (text, ``true``, ``NaN``, ``Infinity``, fractions)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():  # NaN and infinities too
        return None
    return int(value)


def detect(src: SourceText) -> bool:
    """Registry hook: is ``src`` Hugging Face API JSON?"""
    return looks_like_hf_json(src.head_text)


def read(src: SourceText, year: int | None) -> tuple[Columns, list[Problem]]:
    """Registry hook: parse ``src``; invalid JSON is a :class:`ListingError` with its line."""
    text = src.read()
    try:
        return parse_hf_json(text, src.name)
    except json.JSONDecodeError as exc:
        raise ListingError(
            f"{src.name}:{exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        line = text.count("\n", 0, _too_deep(text)) + 1
        raise ListingError(
            f"{src.name}:{line}: expected JSON nested at most {MAX_DEPTH} deep "
            "(a list of paper objects), found deeper nesting"
        ) from exc


def _too_deep(text: str, limit: int = MAX_DEPTH) -> int:
    """The offset where ``[``/``{`` nesting (outside strings) first exceeds ``limit``."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return offset
        elif char in "]}":
            depth -= 1
    return 0
