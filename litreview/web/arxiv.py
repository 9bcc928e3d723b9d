"""The arXiv API (``export.arxiv.org/api/query``): searches and id lists, page by page,
one request every 3 seconds (arXiv's rule; ``LITREVIEW_RATE_LIMIT=0`` for a local
server). The answer is the API's Atom feed, the pages joined into one feed that
:func:`litreview.read_listing` reads back (format ``arxiv-atom``).

>>> join_feeds(['<feed><entry>a</entry></feed>', '<feed><entry>b</entry></feed>'])
'<feed><entry>a</entry><entry>b</entry></feed>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from litreview.ids import normalize_arxiv_id
from litreview.readers.arxiv_atom import ATOM, entry_record
from litreview.web.client import Client, WebError

#: Entries per request (arXiv allows up to 2,000; smaller pages fail less).
PAGE = 200
#: Ids per ``id_list`` request.
ID_BATCH = 100
#: Times a page that comes back empty, though the feed said more results exist, is asked.
EMPTY_PAGE_TRIES = 3
_ENTRY = re.compile(r"<entry[\s>].*?</entry>", re.DOTALL)
_TOTAL = re.compile(r"<opensearch:totalResults[^>]*>\s*(\d+)\s*<")
#: The reason arXiv gives for an id it cannot read (``incorrect id format for 1234.1234v1``).
_BAD_ID = re.compile(r"incorrect id format for (\S+)", re.IGNORECASE)
Progress = Callable[[int, int, str], None]


_SUBJECT_CLASS = re.compile(r"^([a-z-]+)\.[A-Za-z]{2}/(\d{7})$", re.IGNORECASE)


def canonical_id(arxiv_id: str) -> str:
    """An arXiv id as arXiv's API answers it: an old-style id without the subject class
    it was once written with (``math.GT/0309136`` is ``math/0309136``).

    >>> canonical_id("math.GT/0309136"), canonical_id("2010.11929")
    ('math/0309136', '2010.11929')
    """
    return _SUBJECT_CLASS.sub(r"\1/\2", arxiv_id.strip())


def search(
    query: str,
    *,
    max_results: int = 100,
    sort_by: str | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> str:
    """The Atom feed of an arXiv search (``search_query``, e.g. ``ti:"vision transformer"
    AND cat:cs.CV``), up to ``max_results`` entries; ``sort_by`` is ``relevance``,
    ``lastUpdatedDate`` or ``submittedDate``."""
    if not query.strip():
        raise ValueError("the arXiv query is empty")
    if max_results < 1:
        raise ValueError(f"max_results must be at least 1, got {max_results}")
    params: dict[str, Any] = {"search_query": query.strip()}
    if sort_by:
        params.update(sortBy=sort_by, sortOrder="descending")
    return _paged(params, max_results, client, progress)


def by_ids(
    ids: Sequence[str], *, client: Client | None = None, progress: Progress | None = None
) -> str:
    """The Atom feed of these arXiv ids (asked ``ID_BATCH`` at a time), one entry each."""
    clean = list(dict.fromkeys(canonical_id(normalize_arxiv_id(i) or i) for i in ids if i.strip()))
    if not clean:
        raise ValueError("no arXiv ids given")
    own = client is None
    client = client or Client()
    try:
        feeds = []
        for start in range(0, len(clean), ID_BATCH):
            if progress:
                progress(start, len(clean), "arXiv ids")
            feeds.append(_id_batch(client, clean[start : start + ID_BATCH]))
        if progress:
            progress(len(clean), len(clean), "arXiv ids")
        return join_feeds(feeds)
    finally:
        if own:
            client.close()


def _id_batch(client: Client, batch: list[str]) -> str:
    """The feed of one ``id_list`` batch. An id arXiv refuses (HTTP 400, ``incorrect id
    format for …``) would sink the whole batch: it is left out and the rest asked again."""
    while True:
        params = {"id_list": ",".join(batch), "max_results": len(batch)}
        try:
            return _feed(client, params)
        except WebError as exc:
            match = _BAD_ID.search(exc.detail or "")
            bad = match[1] if match else None
            if bad is None or bad not in batch or len(batch) == 1:
                raise
            batch = [i for i in batch if i != bad]


def _paged(
    params: dict[str, Any], wanted: int, client: Client | None, progress: Progress | None
) -> str:
    own = client is None
    client = client or Client()
    try:
        feeds: list[str] = []
        got, total = 0, wanted
        while got < min(wanted, total):
            if progress:
                progress(got, min(wanted, total), "arXiv search")
            size = min(PAGE, wanted - got)
            page = {**params, "start": got, "max_results": size}
            for _ in range(EMPTY_PAGE_TRIES):
                text = _feed(client, page)
                found = len(_ENTRY.findall(text))
                match = _TOTAL.search(text)
                said = int(match[1]) if match else got + found
                total = said if not feeds else max(said, min(total, got + size))
                if found or got >= total:
                    break
                # arXiv sometimes answers a page empty though more results exist: ask again
                client.forget_url(client.settings.arxiv_api, page)
            feeds.append(text)
            got += found
            if found == 0:  # no more (or a page still empty after asking again: stop there)
                break
        if progress:
            progress(got, got, "arXiv search")
        return join_feeds(feeds)
    finally:
        if own:
            client.close()


def _feed(client: Client, params: dict[str, Any]) -> str:
    """One page, checked: well-formed Atom, and no error entry (a bad query or id)."""
    url = client.settings.arxiv_api
    try:
        response = client.get_text(url, params)
    except WebError as exc:
        if exc.status is None or not exc.detail:  # arXiv answers a bad query with HTTP 400
            raise  # and an error feed, whose summary says what is wrong
        raise WebError(
            f"arXiv refused the query: {exc.detail}", status=exc.status, detail=exc.detail
        ) from exc
    assert response is not None
    try:
        root = ET.fromstring(response)
    except ET.ParseError as exc:
        client.forget_url(url, params)
        raise WebError(f"malformed Atom feed from {url} ({exc})") from exc
    if root.tag != ATOM + "feed":
        client.forget_url(url, params)
        raise WebError(f"{url}: expected an Atom feed, got <{root.tag}>")
    for entry in root.iter(ATOM + "entry"):
        entry_id = entry.findtext(ATOM + "id") or ""
        if "/api/errors" in entry_id:
            summary = " ".join((entry.findtext(ATOM + "summary") or "").split())
            raise WebError(f"arXiv refused the query: {summary or entry_id}", detail=summary)
    return response


def join_feeds(feeds: Sequence[str]) -> str:
    """One feed: the first page with the entries of the others appended."""
    if not feeds:
        raise ValueError("no feeds to join")
    first = feeds[0]
    extra = "".join(m for feed in feeds[1:] for m in _ENTRY.findall(feed))
    if not extra:
        return first
    end = first.rfind("</feed>")
    return first[:end] + extra + first[end:]


def entries(feed: str) -> list[dict[str, Any]]:
    """The papers of a feed as records (schema values), errors and oddities left out."""
    root = ET.fromstring(feed)
    return [r for e in root.iter(ATOM + "entry") if (r := entry_record(e)) is not None]
