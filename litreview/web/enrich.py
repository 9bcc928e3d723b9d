"""Completing papers' metadata from the web: the lookups and the proposed changes, without
touching any review (:meth:`litreview.Review.enrich` writes them, undoably).

Each paper missing authors, arXiv id, DOI, venue or URL is looked up by its arXiv id
(arXiv's ``id_list``, 100 a request), else its DOI (OpenAlex), else its title
(Hugging Face papers search, then an arXiv title search). A title match is taken only
when certain (:mod:`.matching`); the others are listed as :class:`Uncertain` for the
user to confirm. A preprint's published version (DOI, venue) comes from OpenAlex.
A value is proposed only where the paper has none, or a poorer one (a year-only date,
a cut abstract, fewer authors, an arXiv DOI), never for a field in ``locked``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from litreview.ids import normalize_arxiv_id
from litreview.schema import PAPER_COLUMNS
from litreview.web import arxiv, hf, openalex
from litreview.web.client import Client, Stats, WebError
from litreview.web.matching import Match, decide

#: The fields enrichment may fill (those the paper table has).
FIELDS: tuple[str, ...] = tuple(
    f
    for f in (
        "authors",
        "n_authors",
        "arxiv_id",
        "url",
        "abstract",
        "published",
        "date_precision",
        "doi",
        "venue",
        "entry_type",
    )
    if f in PAPER_COLUMNS
)
#: A paper missing any of these is looked up.
WANTED: tuple[str, ...] = tuple(
    f for f in ("authors", "arxiv_id", "doi", "venue", "url") if f in FIELDS
)
ARXIV_ABS = "https://arxiv.org/abs/"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Update:
    """Set ``field`` of ``paper_id`` from ``old`` to ``new`` (schema values), from ``source``."""

    paper_id: str
    field: str
    old: Any
    new: Any
    source: str


@dataclass(frozen=True)
class Uncertain:
    """A title match not certain enough to apply: the candidate for the user to confirm
    (``review.enrich(confirm={paper_id: arxiv_id})``)."""

    paper_id: str
    title: str
    candidate_title: str
    candidate_arxiv_id: str | None
    reason: str


@dataclass
class Plan:
    """What an enrichment would change, what needs confirming, what was not found."""

    updates: list[Update] = field(default_factory=list)
    uncertain: list[Uncertain] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    #: Title lookups an API refused (HTTP 4xx), one line each: those papers are not found.
    refused: list[str] = field(default_factory=list)
    #: Steps left out, one line each (OpenAlex unavailable: no published versions).
    notes: list[str] = field(default_factory=list)
    looked_up: int = 0
    stats: Stats = field(default_factory=Stats)

    def updates_frame(self) -> pd.DataFrame:
        """The proposed changes: ``paper_id, field, old_value, new_value, source``."""
        rows = [(u.paper_id, u.field, u.old, u.new, u.source) for u in self.updates]
        return pd.DataFrame(rows, columns=["paper_id", "field", "old_value", "new_value", "source"])

    def uncertain_frame(self) -> pd.DataFrame:
        """The matches to confirm: ``paper_id, title, candidate_title, candidate_arxiv_id,
        reason``."""
        names = ["paper_id", "title", "candidate_title", "candidate_arxiv_id", "reason"]
        return pd.DataFrame([tuple(vars(u).values()) for u in self.uncertain], columns=names)


def missing(value: Any) -> bool:
    """True for a value the paper does not have (None, NA, NaT, '', [])."""
    if value is None or (isinstance(value, list | tuple) and not value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def needs_lookup(row: Mapping[str, Any]) -> bool:
    return any(missing(row.get(f)) for f in WANTED)


def plan_enrichment(
    papers: pd.DataFrame,
    *,
    locked: Mapping[str, set[str]] | None = None,
    confirm: Mapping[str, str] | Iterable[str] | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The changes that would complete ``papers`` (a paper table; nothing is written).

    ``locked`` maps a paper_id to fields never to change (your own edits); ``confirm``
    maps a paper_id to the arXiv id of the right paper (or lists paper_ids whose
    uncertain candidate you accept).
    """
    from litreview.web import fill

    own = client is None
    client = client or Client()
    try:
        every = cast(list[dict[str, Any]], papers.to_dict("records"))
        rows = [r for r in every if needs_lookup(r)]
        plan = Plan()
        lookup = _Lookup(client, progress, _steps(rows))
        found = lookup.identify(rows, _confirmations(confirm), plan)
        # batches over every paper with an arXiv id (sorted): the same selection asks the
        # same URLs, so a second run is answered by the cache
        known = {str(r["paper_id"]): _known_id(r) for r in every}
        ids = sorted({a for a in known.values() if a} | {a for a, _ in found.values()})
        need_arxiv = {a for r in rows if (a := _arxiv_of(r, found)) and _needs_arxiv(r, found)}
        need_published = {a for r in rows if (a := _arxiv_of(r, found)) and _needs_published(r)}
        entries = lookup.arxiv_entries(ids, need_arxiv)
        published = lookup.published(ids, need_published)
        locked = locked or {}
        for row in rows:
            pid = str(row["paper_id"])
            if pid not in found:
                continue
            arxiv_id, how = found[pid]
            plan.updates += fill.proposals(
                row, entries.get(arxiv_id), lookup.hf_found.get(pid), published.get(arxiv_id),
                arxiv_id=arxiv_id, how=how, locked=locked.get(pid, set()),
            )  # fmt: skip
        plan.looked_up = len(rows)
        plan.notes += lookup.notes
        lookup.done()
        plan.stats = client.stats
        return plan
    finally:
        if own:
            client.close()


def _known_id(row: Mapping[str, Any]) -> str | None:
    """The paper's arXiv id as arXiv answers it (None when it has none)."""
    known = normalize_arxiv_id(str(row.get("arxiv_id") or ""))
    return arxiv.canonical_id(known) if known else None


def _arxiv_of(row: dict[str, Any], found: dict[str, tuple[str, str]]) -> str | None:
    hit = found.get(str(row["paper_id"]))
    return hit[0] if hit else None


def _needs_arxiv(row: dict[str, Any], found: dict[str, tuple[str, str]]) -> bool:
    """Whether arXiv's record could add something: a field it gives is missing."""
    if found[str(row["paper_id"])][1]:  # just identified: its record is the source
        return True
    return any(missing(row.get(f)) for f in ("authors", "url", "abstract", "published"))


def _needs_published(row: dict[str, Any]) -> bool:
    return any(missing(row.get(f)) for f in ("doi", "venue") if f in FIELDS)


def _steps(rows: list[dict[str, Any]]) -> int:
    n = len(rows)
    titles = sum(missing(r.get("arxiv_id")) for r in rows)
    return titles + (n // arxiv.ID_BATCH + 1) + (n // openalex.BATCH + 1)


def _confirmations(confirm: Mapping[str, str] | Iterable[str] | None) -> dict[str, str | None]:
    """paper_id -> confirmed arXiv id (None: accept the candidate found)."""
    if confirm is None:
        return {}
    if isinstance(confirm, str):
        return {confirm: None}
    if isinstance(confirm, Mapping):
        out: dict[str, str | None] = {}
        for pid, value in confirm.items():
            norm = normalize_arxiv_id(str(value)) if value else None
            if value and not norm:
                raise ValueError(f"confirm[{pid!r}]: {value!r} is not an arXiv id")
            out[str(pid)] = norm
        return out
    return {str(pid): None for pid in confirm}


class _Lookup:
    """The lookups of one enrichment, sharing a client and a progress count."""

    def __init__(self, client: Client, progress: Progress | None, total: int) -> None:
        self.client, self.progress, self.total, self.count = client, progress, max(total, 1), 0
        self.hf_found: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []

    def step(self, message: str, n: int = 1) -> None:
        self.count = min(self.total, self.count + n)
        if self.progress:
            self.progress(self.count, self.total, message)

    def done(self) -> None:
        if self.progress:
            self.progress(self.total, self.total, "done")

    def identify(
        self, rows: list[dict[str, Any]], confirmed: dict[str, str | None], plan: Plan
    ) -> dict[str, tuple[str, str]]:
        """paper_id -> (arXiv id, how it was found), by arXiv id, then DOI, then title."""
        found: dict[str, tuple[str, str]] = {}
        by_doi: dict[str, str] = {}
        for row in rows:
            pid = str(row["paper_id"])
            known = _known_id(row)
            if known:
                found[pid] = (known, "")
            elif confirmed.get(pid):
                found[pid] = (str(confirmed[pid]), "confirmed by you")
            elif not missing(row.get("doi")):
                by_doi[pid] = openalex.bare_doi(str(row["doi"])) or ""
        found.update(self._by_doi(by_doi))
        for row in rows:
            pid = str(row["paper_id"])
            if pid in found:
                continue
            self.step(f"title lookup: {str(row['title'])[:40]}")
            try:
                match = self._by_title(row)
            except WebError as exc:
                if exc.status is None or not 400 <= exc.status < 500:
                    raise  # the network or the API is down: one error, nothing written
                plan.not_found.append(pid)  # the API refused this title's query: the others go on
                plan.refused.append(f"{pid}: {exc}")
                continue
            if match.status == "certain" or (match.status == "uncertain" and pid in confirmed):
                assert match.candidate is not None
                found[pid] = (str(match.candidate["arxiv_id"]), _how(match, pid in confirmed))
                self.hf_found[pid] = match.candidate
            elif match.status == "uncertain" and match.candidate is not None:
                cand = match.candidate
                plan.uncertain.append(
                    Uncertain(
                        pid,
                        str(row["title"]),
                        str(cand.get("title") or ""),
                        cand.get("arxiv_id"),
                        match.reason,
                    )
                )
            else:
                plan.not_found.append(pid)
        return found

    def _by_doi(self, dois: dict[str, str]) -> dict[str, tuple[str, str]]:
        if not dois:
            return {}
        try:
            works = openalex.works_by_doi(list(dois.values()), client=self.client)
        except WebError as exc:
            if self.client.settings.offline:
                raise
            # OpenAlex refuses or fails: those papers are looked up by title instead
            self.notes.append(f"DOIs not looked up on OpenAlex: {exc}")
            return {}
        out = {}
        for pid, doi in dois.items():
            work = works.get(doi.lower())
            ids = openalex.arxiv_ids_of(work) if work else []
            if ids:
                out[pid] = (ids[0], f"OpenAlex, by DOI {doi}")
        return out

    def _by_title(self, row: dict[str, Any]) -> Match:
        title = str(row["title"])
        year = _year(row.get("published"))
        authors = list(row.get("authors") or [])
        items = hf.search_papers(title, client=self.client)
        match = decide(
            title, year, authors, [_with_source(hf.paper_fields(i), "hf") for i in items]
        )
        if match.status != "none":
            return match
        phrase = " ".join(w for w in title.replace('"', " ").split())
        feed = arxiv.search(f'ti:"{phrase}"', max_results=5, client=self.client)
        cands = [_with_source(e, "arxiv") for e in arxiv.entries(feed)]
        return decide(title, year, authors, cands)

    def arxiv_entries(self, ids: list[str], needed: set[str]) -> dict[str, dict[str, Any]]:
        """arXiv id -> its arXiv record, asked 100 ids at a time (batches nobody needs skipped)."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), arxiv.ID_BATCH):
            batch = ids[start : start + arxiv.ID_BATCH]
            self.step(f"arXiv: {len(batch)} ids")
            if needed.isdisjoint(batch):
                continue
            for entry in arxiv.entries(arxiv.by_ids(batch, client=self.client)):
                out[str(entry["arxiv_id"])] = entry
        return out

    def published(self, ids: list[str], needed: set[str]) -> dict[str, dict[str, str]]:
        """arXiv id -> its published version (OpenAlex), for papers missing a DOI or venue."""
        out: dict[str, dict[str, str]] = {}
        for start in range(0, len(ids), openalex.BATCH):
            batch = ids[start : start + openalex.BATCH]
            self.step(f"OpenAlex: {len(batch)} preprints")
            if needed.isdisjoint(batch):
                continue
            try:
                works = openalex.works_for_arxiv(batch, client=self.client)
            except WebError as exc:
                if self.client.settings.offline:
                    raise  # offline: what is not cached is an error, as everywhere
                # the published versions are a bonus: an OpenAlex that refuses (its daily
                # budget spent, a key it wants) or fails leaves what arXiv and HF gave
                self.notes.append(f"published versions not looked up: {exc}")
                break
            out.update({a: v for a, w in works.items() if (v := openalex.published_version(w))})
        return out


def _how(match: Match, confirmed: bool) -> str:
    cand = match.candidate or {}
    where = "Hugging Face search" if cand.get("_source") == "hf" else "arXiv title search"
    return f"{where}, {'confirmed by you' if confirmed else match.reason}"


def _with_source(record: dict[str, Any], source: str) -> dict[str, Any]:
    return {**record, "_source": source}


def _year(value: Any) -> int | None:
    if missing(value):
        return None
    try:
        return int(pd.Timestamp(value).year)
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> str | None:
    if missing(value):
        return None
    if isinstance(value, dt.date | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]
