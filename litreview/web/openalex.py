"""OpenAlex (``api.openalex.org``): the published version of an arXiv preprint.

OpenAlex is chosen over Crossref because it knows arXiv preprints (their DataCite
DOIs ``10.48550/arXiv.<id>``, which Crossref does not index) and merges a preprint
with its published version into one work: one lookup by the arXiv DOI, 50 papers a
request, gives the journal or proceedings DOI and venue, with no key and a documented
limit (10 requests a second). Crossref would need a fuzzy title search per paper.

>>> published_version({"doi": "https://doi.org/10.1109/CVPR.2024.1", "type": "article",
...     "primary_location": {"source": {"display_name": "CVPR", "type": "conference"}}})
{'doi': '10.1109/CVPR.2024.1', 'venue': 'CVPR', 'entry_type': 'inproceedings'}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from litreview.ids import normalize_arxiv_id
from litreview.web.client import Client, WebError

#: DOIs per request (OpenAlex takes up to 100 values in one filter; 50 keeps URLs short).
BATCH = 50
#: Works per answer asked (OpenAlex's largest page).
PER_PAGE = 200
ARXIV_DOI = "10.48550/arxiv."
_DOI_URL = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
#: An arXiv page in a location's URL: new ids (``2010.11929v2``) and old (``hep-th/9901001``).
_ABS = re.compile(
    r"arxiv\.org/(?:abs|pdf)/((?:[a-z][a-z.-]*/)?[^/?#]+?)(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE
)
_VENUE_TYPES = {"journal": "article", "conference": "inproceedings", "book series": "incollection"}


def bare_doi(value: str | None) -> str | None:
    """A DOI without its ``https://doi.org/`` or ``doi:`` prefix.

    >>> bare_doi("https://doi.org/10.1/ABC"), bare_doi(None)
    ('10.1/ABC', None)
    """
    return _DOI_URL.sub("", value.strip()) or None if value else None


def is_arxiv_doi(doi: str | None) -> bool:
    return bool(doi) and str(doi).lower().startswith(ARXIV_DOI)


def works_for_arxiv(arxiv_ids: Sequence[str], *, client: Client) -> dict[str, dict[str, Any]]:
    """arXiv id -> the OpenAlex work of that preprint (found by its arXiv DOI)."""
    out: dict[str, dict[str, Any]] = {}
    ids = list(dict.fromkeys(a for a in arxiv_ids if a))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        wanted = set(batch)
        for work in _works(client, "doi:" + "|".join(ARXIV_DOI + a for a in batch)):
            for arxiv_id in arxiv_ids_of(work):
                # OpenAlex may hold a preprint twice (its arXiv record, and merged with the
                # published version): the work that shows a published version wins
                if arxiv_id in wanted and (
                    arxiv_id not in out or not published_version(out[arxiv_id])
                ):
                    out[arxiv_id] = work
    return out


def works_by_doi(dois: Sequence[str], *, client: Client) -> dict[str, dict[str, Any]]:
    """Lowercased DOI -> its OpenAlex work (50 DOIs a request)."""
    out: dict[str, dict[str, Any]] = {}
    # a filter cannot hold a value with "," (between filters) or "|" (between values)
    wanted = list(dict.fromkeys(d.lower() for d in dois if d and not set(d) & {",", "|"}))
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        for work in _works(client, "doi:" + "|".join(batch)):
            doi = (bare_doi(work.get("doi")) or "").lower()
            if doi in batch:
                out.setdefault(doi, work)
    return out


def _works(client: Client, filter_: str) -> list[dict[str, Any]]:
    """The works of one filtered request, checked (``per-page`` 200, OpenAlex's largest:
    room for a value that matches several works)."""
    url = client.settings.openalex_api + "/works"
    params: dict[str, Any] = {"filter": filter_, "per-page": PER_PAGE}
    if client.settings.mailto:
        params["mailto"] = client.settings.mailto
    if client.settings.openalex_key:
        params["api_key"] = client.settings.openalex_key
    answer = client.get_json(url, params)
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        client.forget_url(url, params)
        raise WebError(f"{url}: expected an OpenAlex list with 'results'")
    return [w for w in results if isinstance(w, dict)]


def arxiv_ids_of(work: dict[str, Any]) -> list[str]:
    """The arXiv ids a work names: its DOI, and its locations' arXiv pages."""
    found = []
    doi = bare_doi(work.get("doi"))
    if doi and is_arxiv_doi(doi):
        found.append(doi[len(ARXIV_DOI) :])
    for location in work.get("locations") or []:
        if not isinstance(location, dict):
            continue
        for key in ("landing_page_url", "pdf_url"):
            match = _ABS.search(str(location.get(key) or ""))
            if match:
                found.append(match[1])
    return [n for a in found if (n := normalize_arxiv_id(a))]


def published_version(work: dict[str, Any]) -> dict[str, str]:
    """The published version's ``doi``, ``venue`` and ``entry_type`` a work shows (empty
    for a preprint only known from arXiv)."""
    out: dict[str, str] = {}
    doi = bare_doi(work.get("doi"))
    locations = [work.get("primary_location"), *(work.get("locations") or [])]
    for location in locations:
        if not isinstance(location, dict) or not isinstance(location.get("source"), dict):
            continue
        source = location["source"]
        kind = str(source.get("type") or "")
        if kind in _VENUE_TYPES and source.get("display_name"):
            out["venue"] = " ".join(str(source["display_name"]).split())
            out["entry_type"] = _VENUE_TYPES[kind]
            landing = bare_doi(str(location.get("landing_page_url") or "")) or ""
            if not (doi and not is_arxiv_doi(doi)) and landing.startswith("10."):
                doi = landing
            break
    if doi and not is_arxiv_doi(doi):
        out = {"doi": doi, **out}
    return out
