"""Completing metadata from the app: the selection's papers looked up while you go on.

:meth:`Enrichment.enrich` runs :meth:`Review.enrich` on the current selection in a
worker thread; its progress (``enrich_done`` of ``enrich_total``, ``enrich_message``)
reaches the traits through the kernel's event loop, so the app stays responsive. When
it ends the app reads the papers again and lists the uncertain title matches in
:attr:`Enrichment.to_confirm`, for the reviewer to accept (:meth:`confirm_matches`:
``Review.enrich(confirm=...)``) or dismiss. Without a running loop (a script, a test)
:meth:`wait_enrichment` applies the result.

>>> import tempfile, pathlib, os, litreview
>>> from litreview.app.state import AppState
>>> os.environ.update(LITREVIEW_OFFLINE="1", LITREVIEW_CACHE_DIR=tempfile.mkdtemp())
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> state = AppState(review)
>>> state.enrich(), state.wait_enrichment()
(True, True)
>>> state.error[:44]
'complete metadata: offline (LITREVIEW_OFFLIN'
>>> review.close(); del os.environ["LITREVIEW_OFFLINE"], os.environ["LITREVIEW_CACHE_DIR"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

from litreview.app._action import error_text
from litreview.app._debounce import running_loop

if TYPE_CHECKING:
    from litreview.review.core import Review
    from litreview.review.enrichment import EnrichReport

#: The columns of :attr:`Enrichment.to_confirm` (those of ``EnrichReport.to_confirm``).
MATCH_COLUMNS = ["paper_id", "title", "candidate_title", "candidate_arxiv_id", "reason"]
#: The one thread lookups run in (one enrichment at a time).
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="litreview-enrich")


class Enrichment(traitlets.HasTraits):
    """The model's metadata completion (a mixin of :class:`~litreview.app.state.AppState`)."""

    #: True while lookups run.
    enriching = traitlets.Bool(False)
    enrich_done = traitlets.Int(0)
    enrich_total = traitlets.Int(0)
    #: What the lookups are doing now ("arXiv ids 100 of 250"), or how the last run ended.
    enrich_message = traitlets.Unicode("")
    #: Bumped whenever :attr:`to_confirm` changes.
    matches = traitlets.Int(0)
    #: Look up in a worker thread (False: at once, the caller waits).
    enrich_background = traitlets.Bool(True)

    #: Uncertain title matches waiting for the reviewer (:data:`MATCH_COLUMNS`).
    to_confirm: pd.DataFrame = pd.DataFrame(columns=MATCH_COLUMNS)
    #: The report of the last enrichment (None before the first).
    last_enrichment: EnrichReport | None = None
    _enrich_future: Future[EnrichReport] | None = None
    _enrich_ids: tuple[str, ...] = ()

    if TYPE_CHECKING:  # what the model provides
        review: Review
        selection: pd.DataFrame
        changed_ids: list[str] | None
        changes: int
        flushers: list[Callable[[], None]]

        def fail(self, message: str) -> None: ...
        def say(self, message: str) -> None: ...
        def _load(self) -> None: ...
        def refresh(self, *, keep_page: bool = False) -> bool: ...

    def enrich(self, ids: Iterable[str] | None = None) -> bool:
        """Complete the metadata of ``ids`` (default: the current selection) from arXiv,
        Hugging Face and OpenAlex; True when the lookups started."""
        wanted = (
            self.selection["paper_id"].astype(object).tolist()
            if ids is None and len(self.selection)
            else list(ids or [])
        )
        if not wanted:
            self.fail("complete metadata: the selection is empty")
            return False
        return self._start_enrichment(wanted, None)

    def confirm_matches(self, paper_ids: str | Iterable[str] | None = None) -> bool:
        """Accept the candidate of these uncertain matches (default: every one listed)
        and complete those papers with it; True when the lookups started."""
        rows = self._matches(paper_ids)
        if not len(rows):
            self.fail("complete metadata: no match to confirm")
            return False
        confirm = dict(zip(rows["paper_id"], rows["candidate_arxiv_id"], strict=True))
        return self._start_enrichment(list(confirm), confirm)

    def dismiss_matches(self, paper_ids: str | Iterable[str] | None = None) -> None:
        """Drop these uncertain matches (default: all) from the list; nothing is changed."""
        gone = self._matches(paper_ids)
        self._set_matches(self.to_confirm[~self.to_confirm["paper_id"].isin(gone["paper_id"])])
        self.say(f"dismissed {len(gone):,} match{'es' * (len(gone) != 1)}: papers unchanged")

    def wait_enrichment(self, timeout: float | None = 120) -> bool:
        """Wait for the lookups under way and apply their result (scripts and tests)."""
        future = self._enrich_future
        if future is None:
            return False
        future.exception(timeout)
        self._finish_enrichment(future)
        return True

    def _matches(self, paper_ids: str | Iterable[str] | None) -> pd.DataFrame:
        if paper_ids is None:
            return self.to_confirm
        wanted = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
        return self.to_confirm[self.to_confirm["paper_id"].isin(wanted)]

    def _set_matches(self, frame: pd.DataFrame) -> None:
        self.to_confirm = frame.reset_index(drop=True)
        self.matches += 1

    def _start_enrichment(self, ids: list[str], confirm: dict[str, str] | None) -> bool:
        if self.enriching:
            self.fail("complete metadata: lookups are already under way")
            return False
        from litreview.web.config import Settings

        self._enrich_ids = tuple(ids)
        self.enriching, self.enrich_done, self.enrich_total = True, 0, len(ids)
        offline = " (offline: the cache only)" if Settings.from_env().offline else ""
        self.enrich_message = f"looking up {len(ids):,} paper{'s' * (len(ids) != 1)}{offline}…"
        loop = running_loop()

        def progress(done: int, total: int, message: str) -> None:
            if loop is not None:  # traits change on the kernel's thread, never this one
                loop.call_soon_threadsafe(self._enrich_progress, done, total, message)

        def run() -> EnrichReport:
            return self.review.enrich(ids, confirm=confirm, progress=progress)

        if not self.enrich_background:
            future: Future[EnrichReport] = Future()
            try:
                future.set_result(run())
            except Exception as exc:
                future.set_exception(exc)
            self._enrich_future = future
            self._finish_enrichment(future)
            return True
        future = self._enrich_future = _WORKER.submit(run)
        if loop is not None:
            future.add_done_callback(
                lambda f: loop.call_soon_threadsafe(self._finish_enrichment, f)
            )
        return True

    def _enrich_progress(self, done: int, total: int, message: str) -> None:
        if self.enriching:
            self.enrich_total, self.enrich_done = max(total, 1), min(done, max(total, 1))
            self.enrich_message = message

    def _finish_enrichment(self, future: Future[EnrichReport]) -> None:
        if future is not self._enrich_future:  # already applied
            return
        self._enrich_future = None
        self.enriching = False
        try:
            report = future.result()
        except Exception as exc:  # a network failure: the review is unchanged
            self.enrich_message = "not completed: the review is unchanged"
            self.fail(f"complete metadata: {error_text(exc)}")
            return
        self.last_enrichment = report
        looked = set(self._enrich_ids)
        kept = self.to_confirm[~self.to_confirm["paper_id"].isin(looked)]
        found = report.to_confirm.reindex(columns=MATCH_COLUMNS)
        self._set_matches(pd.concat([kept, found], ignore_index=True) if len(kept) else found)
        if report.papers_changed:
            for flush in self.flushers:  # a note still being typed is saved first
                flush()
            self._load()
            self.refresh(keep_page=True)
            self.changed_ids = None
            self.changes += 1
        self.enrich_done = self.enrich_total
        self.enrich_message = summary(report)
        self.say(f"complete metadata: {self.enrich_message}")


def summary(report: EnrichReport) -> str:
    """One line on what an enrichment did.

    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> changes = pd.DataFrame({"paper_id": ["a", "a", "b"]})
    >>> summary(NS(looked_up=3, papers_changed=2, changes=changes, to_confirm=changes[:1],
    ...            not_found=[], stats="4 request(s)"))
    '3 looked up: 2 completed (3 fields), 1 to confirm, 0 not found · 4 request(s)'
    """
    return (
        f"{report.looked_up:,} looked up: {report.papers_changed:,} completed "
        f"({len(report.changes):,} field{'s' * (len(report.changes) != 1)}), "
        f"{len(report.to_confirm):,} to confirm, {len(report.not_found):,} not found"
        f" · {report.stats}"
    )


def match_rows(frame: pd.DataFrame, limit: int = 8) -> list[dict[str, Any]]:
    """The first ``limit`` matches to confirm as plain dicts (for the view)."""
    return [{str(k): v for k, v in r.items()} for r in frame.head(limit).to_dict("records")]
