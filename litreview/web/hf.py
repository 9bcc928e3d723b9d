"""The Hugging Face papers API: daily papers (a day, an ISO week, a month or a date
range), the papers search and one paper by arXiv id. Each function returns the API's
own JSON (the items of every page, in order, without repeats), which
:func:`litreview.read_listing` reads back (format ``hf-json``).

>>> days_between(dt.date(2025, 6, 1), dt.date(2025, 6, 3))
['2025-06-01', '2025-06-02', '2025-06-03']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from litreview.web.client import Client, WebError

#: Items per page asked of ``/api/daily_papers`` (the API's largest page).
PAGE = 100
#: Pages of one day, week or month before litreview stops (a month is ~20 pages at most).
MAX_PAGES = 60
#: The papers search takes ``q`` of at most 250 characters and ``limit`` of 1 to 120.
MAX_QUERY = 250
MAX_SEARCH = 120
_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
Progress = Callable[[int, int, str], None]


def days_between(since: dt.date, until: dt.date) -> list[str]:
    """Every day from ``since`` to ``until`` (both included) as ``YYYY-MM-DD``."""
    if until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    return [(since + dt.timedelta(days=n)).isoformat() for n in range((until - since).days + 1)]


def daily_papers(
    *,
    date: str | dt.date | None = None,
    week: str | None = None,
    month: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """The Hugging Face daily papers of a ``date`` (``2025-06-02``), a ``week``
    (``2025-W23``), a ``month`` (``2025-06``) or the days ``since``..``until``.

    Each item is as the API gives it (``{"paper": {...}, "numComments": 2, ...}``);
    a paper listed on several days of a range comes once (its first day).

    >>> daily_papers(week="2025-23")
    Traceback (most recent call last):
    ...
    ValueError: week must look like 2025-W23, got '2025-23'
    """
    queries = _queries(date, week, month, since, until)
    own = client is None
    client = client or Client()
    try:
        seen: set[str] = set()
        items: list[dict[str, Any]] = []
        for done, params in enumerate(queries):
            if progress:
                progress(done, len(queries), f"daily papers {next(iter(params.values()))}")
            for item in _pages(client, params):
                key = _key(item)
                if key not in seen:
                    seen.add(key)
                    items.append(item)
        if progress:
            progress(len(queries), len(queries), "daily papers")
        return items
    finally:
        if own:
            client.close()


def _queries(
    date: str | dt.date | None,
    week: str | None,
    month: str | None,
    since: str | dt.date | None,
    until: str | dt.date | None,
) -> list[dict[str, str]]:
    given = [n for n, v in (("date", date), ("week", week), ("month", month)) if v is not None]
    if since is not None or until is not None:
        given.append("since/until")
    if len(given) != 1:
        raise ValueError(f"give one of date, week, month or since/until, got {given or 'none'}")
    if date is not None:
        return [{"date": _day(date, "date").isoformat()}]
    if week is not None:
        if not _WEEK.match(week):
            raise ValueError(f"week must look like 2025-W23, got {week!r}")
        return [{"week": week}]
    if month is not None:
        if not _MONTH.match(month):
            raise ValueError(f"month must look like 2025-06, got {month!r}")
        return [{"month": month}]
    first = _day(since if since is not None else until, "since")
    last = _day(until, "until") if until is not None else dt.date.today()
    return [{"date": day} for day in days_between(first, last)]


def _day(value: str | dt.date | None, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date like 2025-06-01, got {value!r}") from None


def _pages(client: Client, params: dict[str, str]) -> list[dict[str, Any]]:
    """Every item of one day, week or month, page by page (``p``, ``limit``)."""
    url = client.settings.hf_api + "/daily_papers"
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for page in range(MAX_PAGES):
        items = _list(client.get_json(url, {**params, "p": page, "limit": PAGE}), url)
        fresh = [item for item in items if _key(item) not in seen]
        seen.update(_key(item) for item in fresh)
        out += fresh
        if len(items) < PAGE or not fresh:  # the last page, or an API that ignores p
            break
    return out


def search_papers(
    query: str, *, limit: int | None = None, client: Client | None = None
) -> list[dict[str, Any]]:
    """The Hugging Face papers search (``/api/papers/search?q=``): the API's items.

    A query longer than the API takes (250 characters) is cut at a word; ``limit`` is
    kept within the API's 1 to 120.

    >>> search_query("  a  " + "word " * 60)[-4:], len(search_query("word " * 60))
    ('word', 249)
    """
    q = search_query(query)
    if not q:
        raise ValueError("the search query is empty")
    own = client is None
    client = client or Client()
    try:
        url = client.settings.hf_api + "/papers/search"
        params: dict[str, Any] = {"q": q}
        if limit is not None:
            params["limit"] = max(1, min(MAX_SEARCH, limit))
        items = _list(client.get_json(url, params), url)
        return items[:limit] if limit is not None else items
    finally:
        if own:
            client.close()


def search_query(text: str) -> str:
    """``text`` as the search's ``q``: spaces tidied, cut at a word to 250 characters."""
    q = " ".join(text.split())
    if len(q) <= MAX_QUERY:
        return q
    cut = q[: MAX_QUERY + 1].rsplit(" ", 1)[0]
    return cut if cut and len(cut) <= MAX_QUERY else q[:MAX_QUERY]


def paper(arxiv_id: str, *, client: Client | None = None) -> dict[str, Any] | None:
    """One paper (``/api/papers/<arXiv id>``), None when Hugging Face does not have it."""
    own = client is None
    client = client or Client()
    try:
        url = f"{client.settings.hf_api}/papers/{arxiv_id}"
        value = client.get_json(url, missing_ok=True)
        if value is not None and not isinstance(value, dict):
            raise WebError(f"{url}: expected a paper object, got {type(value).__name__}")
        return value
    finally:
        if own:
            client.close()


def _list(value: Any, url: str) -> list[dict[str, Any]]:
    """The items of a list answer (an object with ``papers`` is accepted too)."""
    if isinstance(value, dict) and isinstance(value.get("papers"), list):
        value = value["papers"]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise WebError(f"{url}: expected a JSON list of paper objects")
    return value


def _key(item: dict[str, Any]) -> str:
    paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
    return str(paper.get("id") or paper.get("title") or id(item))  # type: ignore[union-attr]


def paper_fields(item: dict[str, Any]) -> dict[str, Any]:
    """The metadata of one API item (daily, search or single paper) as schema values.

    >>> f = paper_fields({"paper": {"id": "2401.00001v2", "title": " A  B ",
    ...     "authors": [{"name": "Ada"}], "publishedAt": "2024-01-02T00:00:00.000Z"}})
    >>> f["arxiv_id"], f["title"], f["authors"], f["published"]
    ('2401.00001', 'A B', ['Ada'], '2024-01-02')
    """
    from litreview.ids import normalize_arxiv_id

    paper: dict[str, Any] = item["paper"] if isinstance(item.get("paper"), dict) else item
    authors = [
        " ".join(str(a["name"]).split())
        for a in paper.get("authors") or []
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
    ]
    published = paper.get("publishedAt") or item.get("publishedAt")
    return {
        "arxiv_id": normalize_arxiv_id(str(paper.get("id") or "")) or None,
        "title": " ".join(str(paper.get("title") or item.get("title") or "").split()) or None,
        "authors": authors,
        "abstract": " ".join(str(paper.get("summary") or "").split()) or None,
        "published": str(published)[:10] if isinstance(published, str) else None,
    }
