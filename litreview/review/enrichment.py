"""Completing the review's papers from the web (:meth:`Review.enrich`), undoably.

An enrichment is one *step* of the review's history (action ``enrich``): one history
row per field it filled, with the value before and after and, in ``new_meta``, the
source it came from and the rank the value now has. :meth:`Review.undo` and
:meth:`Review.redo` revert and re-apply it like any change; a field changed since
(by an import) is left as it is. A field you set yourself (a DataFrame given to
``add``: rank :data:`~litreview.readers.policy.YOUR_TABLE`) is never changed.
The lookups (:mod:`litreview.web.enrich`) run before the write transaction: a network
failure leaves the review unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from litreview.readers.policy import rank
from litreview.review.store import enrichment_log as log
from litreview.review.store.base import ReviewStore
from litreview.schema import DATETIME, INT, LIST, PAPER_COLUMNS, STRING

if TYPE_CHECKING:
    from litreview.query.filters import SearchOptions
    from litreview.web.client import Client, Stats
    from litreview.web.enrich import Plan, Update

#: The rank an enriched value gets (a web record: after every listing format).
WEB_RANK = rank("web")
Progress = Callable[[int, int, str], None]


@dataclass
class EnrichReport:
    """What :meth:`Review.enrich` did (or, with ``dry_run``, would do).

    ``changes``: ``paper_id, field, old_value, new_value, source``; ``to_confirm``: the
    uncertain title matches with their candidate; ``not_found``: paper_ids nothing
    matched; ``stats``: requests made, answers from the cache.
    """

    looked_up: int
    changes: pd.DataFrame
    to_confirm: pd.DataFrame
    not_found: list[str]
    stats: Stats
    dry_run: bool = False
    skipped: list[str] = field(default_factory=list)
    #: Lookups left out or refused, one line each (e.g. OpenAlex unavailable).
    notes: list[str] = field(default_factory=list)

    @property
    def papers_changed(self) -> int:
        return int(self.changes["paper_id"].nunique()) if len(self.changes) else 0

    def __str__(self) -> str:
        verb = "would complete" if self.dry_run else "completed"
        return (
            f"{self.looked_up:,} paper(s) looked up: {verb} {self.papers_changed:,} "
            f"({len(self.changes):,} fields), {len(self.to_confirm):,} to confirm, "
            f"{len(self.not_found):,} not found; {self.stats}"
        ) + "".join(f"\n  note: {n}" for n in self.notes)


class ReviewEnrichment:
    """The ``enrich`` part of :class:`~litreview.review.core.Review` (a mixin)."""

    _store: ReviewStore
    reviewer: str
    _index_stale: bool

    if TYPE_CHECKING:  # provided by Review and ReviewActions

        @property
        def papers(self) -> pd.DataFrame: ...

        def search(self, query: str = "", **filters: Unpack[SearchOptions]) -> pd.DataFrame: ...

    def enrich(
        self,
        paper_ids: str | Iterable[str] | None = None,
        *,
        query: str | None = None,
        confirm: Mapping[str, str] | Iterable[str] | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        client: Client | None = None,
    ) -> EnrichReport:
        """Complete the metadata of the papers (all, ``paper_ids``, or those ``query``
        finds) from arXiv, Hugging Face and OpenAlex; one undoable step.

        A title match that is not certain is never applied: it is listed in
        ``report.to_confirm``; pass ``confirm={paper_id: arxiv_id}`` (or the paper_ids
        whose candidate is right) to apply it. ``progress(done, total, message)`` is
        called as lookups go (the app's progress bar). Raises
        :class:`litreview.web.WebError` (one line) when a source cannot be reached; the
        review is then unchanged.

        >>> import tempfile, pathlib, litreview, os
        >>> os.environ["LITREVIEW_OFFLINE"] = "1"
        >>> os.environ["LITREVIEW_CACHE_DIR"] = tempfile.mkdtemp()
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> print(review.enrich())  # doctest: +ELLIPSIS
        0 paper(s) looked up: completed 0 (0 fields), 0 to confirm, 0 not found; 0 request(s), ...
        >>> review.close(); del os.environ["LITREVIEW_OFFLINE"], os.environ["LITREVIEW_CACHE_DIR"]
        """
        from litreview.web.enrich import plan_enrichment

        papers = self._selected(paper_ids, query)
        locked = _your_values(papers, log.locked(self._store, papers["paper_id"].tolist()))
        plan = plan_enrichment(
            papers, locked=locked, confirm=confirm, client=client, progress=progress
        )
        skipped: list[str] = []
        if not dry_run and plan.updates:
            skipped = self._write_enrichment(plan)
            self._index_stale = True
        return _report(plan, dry_run, skipped)

    def enrichments(self, paper_id: str | None = None) -> pd.DataFrame:
        """Every field an enrichment changed (and its undos and redos), oldest first:
        ``paper_id, reviewer, at, action, field, old_value, new_value, source``."""
        return log.enrichment_rows(self._store, paper_id)

    def _selected(self, paper_ids: str | Iterable[str] | None, query: str | None) -> pd.DataFrame:
        papers = self.papers if query is None else self.search(query)
        if paper_ids is None:
            return papers
        wanted = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
        unknown = [p for p in wanted if p not in set(papers["paper_id"])]
        if unknown:
            raise KeyError(
                f"no paper {unknown[0]!r} in this review" + (" (or query)" if query else "")
            )
        return papers[papers["paper_id"].isin(wanted)]

    def _write_enrichment(self, plan: Plan) -> list[str]:
        """Write the plan as one ``enrich`` step; return the fields skipped (changed since)."""
        return log.write(self._store, self.reviewer, [_change(u) for u in plan.updates])

    # -- undo and redo (Review.undo/redo ask these first) ------------------------------------

    def _enrichment_target(self, verb: str) -> int | None:
        """The enrich step ``undo``/``redo`` would act on now, else None."""
        return log.pending(self._store, self.reviewer, verb)

    def _step_enrichment(self, verb: str) -> pd.DataFrame:
        """Undo or redo the enrichment step :meth:`_enrichment_target` names."""
        frame = log.step(self._store, self.reviewer, verb)
        self._index_stale = True
        return frame


def _change(update: Update) -> log.FieldChange:
    return log.FieldChange(
        update.paper_id, update.field, _to_json(update.field, update.old),
        _to_json(update.field, update.new), {}, {"source": update.source, "rank": WEB_RANK},
    )  # fmt: skip


def _to_json(name: str, value: Any) -> str | None:
    """A schema value as the history keeps it: JSON of the stored SQLite value."""
    stored = _stored(name, value)
    if stored is None:
        return None
    return stored if PAPER_COLUMNS[name] is LIST else json.dumps(stored, ensure_ascii=False)


def _stored(name: str, value: Any) -> Any:
    """The SQLite value of a schema value (lists as JSON, dates as the store's text)."""
    if value is None or (isinstance(value, list) and not value):
        return None
    dtype = PAPER_COLUMNS[name]
    if dtype is LIST:
        return json.dumps([str(v) for v in value], ensure_ascii=False)
    if dtype is DATETIME or name == "published":
        return f"{str(value)[:10]}T00:00:00.000000"
    if dtype is INT:
        return int(value)
    return str(value) if dtype is STRING or isinstance(value, str) else value


def _your_values(papers: pd.DataFrame, ranked: dict[str, set[str]]) -> dict[str, set[str]]:
    """The fields you gave a value yourself (a field your table left empty may be filled)."""
    from litreview.web.enrich import missing

    rows = papers.set_index("paper_id")
    out: dict[str, set[str]] = {}
    for pid, names in ranked.items():
        mine = {n for n in names if n in rows.columns and not missing(rows.at[pid, n])}
        if mine:
            out[pid] = mine
    return out


def _report(plan: Plan, dry_run: bool, skipped: list[str]) -> EnrichReport:
    changes = plan.updates_frame()
    if skipped:
        gone = set(skipped)
        keep = [
            f"{p}:{f}" not in gone
            for p, f in zip(changes["paper_id"], changes["field"], strict=True)
        ]
        changes = changes[keep].reset_index(drop=True)
    return EnrichReport(
        plan.looked_up, changes, plan.uncertain_frame(), plan.not_found, plan.stats,
        dry_run, skipped, [*plan.refused, *plan.notes],
    )  # fmt: skip
