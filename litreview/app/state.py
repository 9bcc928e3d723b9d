"""The app's model: what the reviewer is looking at and every action they can take.

Views only set these traits and call these methods; every method goes through
the same library calls a user could type (``search``, ``prioritize``,
``Review.annotate``, ``Review.undo``, ``export``, the charts), so all of it is
tested without a browser. Errors never escape: they land in :attr:`AppState.error`.

>>> import tempfile, pathlib, litreview
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> state = AppState(review)
>>> state.query = "vision transformer"
>>> state.n_matched < state.n_total
True
>>> state.decide("include", ids=state.page_ids()[:1])
True
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets

from litreview.app._action import action, error_text
from litreview.app.bulk import BulkActions
from litreview.app.conflicts import ConflictState
from litreview.app.display import count_papers, short, table_rows
from litreview.app.enrich import Enrichment
from litreview.app.fields import FieldsState
from litreview.app.keywords import Keywords
from litreview.app.live import LiveUpdates
from litreview.app.outputs import OutputActions
from litreview.app.patch import lists_change, patch_papers
from litreview.app.screen_state import ScreenState
from litreview.app.selection import FILTER_TRAITS, SORTS, search_kwargs, select
from litreview.app.team import TeamState
from litreview.errors import QueryError
from litreview.query.filters import SearchFilters, similar
from litreview.review.core import Review
from litreview.review.store.connection import now

#: Query fields that read annotations (a query with one is searched again after an edit).
ANNOTATION_FIELDS = re.compile(
    r"(?i)\b(decision|tags?|reason|note|rating|has|stage|fulltext|field)\s*:"
)


class AppState(BulkActions, OutputActions, Keywords, Enrichment, TeamState, FieldsState):
    """Query, filters, the selection they give, paging, the open paper, status."""

    query = traitlets.Unicode("")
    query_error = traitlets.Unicode("")
    since = traitlets.Unicode("")
    until = traitlets.Unicode("")
    min_authors = traitlets.Int(None, allow_none=True)
    max_authors = traitlets.Int(None, allow_none=True)
    min_comments = traitlets.Int(None, allow_none=True)
    max_comments = traitlets.Int(None, allow_none=True)
    min_upvotes = traitlets.Int(None, allow_none=True)
    max_upvotes = traitlets.Int(None, allow_none=True)
    has_code = traitlets.Bool(None, allow_none=True)
    decisions = traitlets.List(traitlets.Unicode())
    tags = traitlets.List(traitlets.Unicode())
    sort = traitlets.Enum(SORTS, default_value="relevance")

    page = traitlets.Int(0)
    n_total = traitlets.Int(0)
    n_matched = traitlets.Int(0)
    #: Bumped whenever :attr:`selection` is recomputed (views redraw on it).
    revision = traitlets.Int(0)
    #: Bumped whenever annotations change (the paper view and progress redraw on it).
    changes = traitlets.Int(0)
    current_id = traitlets.Unicode("")
    mode = traitlets.Enum(("browse", "screen"), default_value="browse")
    status = traitlets.Unicode("")
    error = traitlets.Unicode("")
    all_tags = traitlets.List(traitlets.Unicode())
    reasons = traitlets.List(traitlets.Unicode())
    #: Whether the open paper (:attr:`current_id`) is in the current selection.
    current_listed = traitlets.Bool(True)

    def __init__(
        self, review: Review, *, export_dir: str | PathLike[str] = "exports", page_size: int = 50
    ) -> None:
        super().__init__()
        self.review = review
        self.export_dir = Path(export_dir)
        self.page_size = page_size
        self.selection = pd.DataFrame()
        self._sel_pos = pd.Index([], dtype=object)
        #: The papers the latest change touched (None: any paper, after undo or reload).
        self.changed_ids: list[str] | None = None
        self._batch = False
        self._filter_failed = False
        self._pending: tuple[str, str, list[str]] | None = None
        self._reason_order: list[str] = []
        #: The last query that parsed (the one the selection reflects).
        self.applied_query = ""
        #: Called before the app reads the papers again on its own (views save typing).
        self.flushers: list[Callable[[], None]] = []
        self._load()
        self.refresh()
        self.screen = ScreenState(self)
        self.conflicts = ConflictState(self)
        #: Other clients' changes to a server review, applied as they come (app/live.py).
        self.live = LiveUpdates(self)

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        #: The papers of the stage, every paper, and the review's own search index (of
        #: every paper, shared with ``review.search``, updated on add).
        self.review.prefetch_search_index()  # its checksum, read while the papers load
        self.papers, self._every = self._stage_load()
        self.index = self.review.search_index(self._every)
        self.index.warm()  # "similar" papers of the first paper opened, ready by then
        self._pos = pd.Index(self.papers["paper_id"].astype(object))
        if len(self._pos):  # builds the lookup table now, not at the first decision
            self._pos.get_indexer(self._pos[:1])
        self.n_total = len(self.papers)
        if self.current_id and self.current_id not in self._pos:  # not at this stage
            self.current_id = ""
        self._refresh_lists()
        self._load_keywords()
        self._load_fields()
        # The table's ~600k list objects out of the cyclic collector's way: a full
        # collection otherwise walks them all (0.3-0.8 s at 100k papers, several times
        # while screening). They are freed as usual when the table is replaced.
        gc.freeze()

    def _refresh_lists(self) -> None:
        self.all_tags = self.review.tags()
        reasons = self._stage_reasons()
        if not self._reason_order:  # the defaults, then the ones in use, alphabetically
            defaults = self._stage_defaults()
            used = sorted(r for r in reasons if r not in defaults)
            self._reason_order = [*defaults, *used]
        else:  # a reason typed since is added at the end: the numbers never change
            self._reason_order += [r for r in reasons if r not in self._reason_order]
        self.reasons = reasons  # after the keys: the views number them on this change

    @property
    def reason_keys(self) -> list[str]:
        """The exclusion reasons keys ``1``–``9`` pick, in an order that never changes
        while the app is open (new reasons are appended)."""
        return self._reason_order[:9]

    @action("reload")
    def reload(self) -> None:
        """Read the papers again (after ``review.add`` in the notebook)."""
        self._load()
        self.refresh(keep_page=True)
        self.changed_ids = None
        self.changes += 1
        self.say(f"{self.n_total:,} papers loaded")

    def paper(self, paper_id: str) -> pd.Series:
        """The row of ``paper_id`` with its current annotations."""
        return self.papers.iloc[self._pos.get_loc(paper_id)]

    def filter_kwargs(self) -> SearchFilters:
        """The panel's filters as :func:`litreview.search` keywords (unset ones left out)."""
        return search_kwargs({name: getattr(self, name) for name in FILTER_TRAITS})

    def set_filters(self, **values: Any) -> None:
        """Set several filters and recompute the selection once.

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> state = AppState(review)
        >>> state.set_filters(since="2021", has_code=True)
        >>> state.n_matched, state.n_total
        (13, 36)
        """
        self._batch = True
        try:
            for name, value in values.items():
                if name not in FILTER_TRAITS:
                    raise ValueError(
                        f"unknown filter {name!r}; filters: {', '.join(FILTER_TRAITS)}"
                    )
                setattr(self, name, value)
        finally:
            self._batch = False
        self.refresh()

    def reset_filters(self) -> None:
        """Every filter back to 'all papers' (the query is kept)."""
        self.set_filters(since="", until="", min_authors=None, max_authors=None,
                         min_comments=None, max_comments=None, min_upvotes=None,
                         max_upvotes=None, has_code=None, decisions=[], tags=[])  # fmt: skip

    @traitlets.observe(*FILTER_TRAITS)
    def _on_filter(self, change: dict[str, Any]) -> None:
        if not self._batch:
            self.refresh()

    def refresh(self, *, keep_page: bool = False) -> bool:
        """Recompute the selection from the query and filters; False on a bad query
        or filter (the previous selection stays and the error says why)."""
        query, ok = self.query, True
        try:
            try:
                selection = self._select(query)
            except QueryError as exc:  # keep the text; filters still apply to the last good query
                self.query_error = str(exc)
                query, ok = self.applied_query, False
                selection = self._select(query)
        except Exception as exc:
            self._filter_failed = True
            self.fail(f"filters: {error_text(exc)}")
            return False
        if ok:
            self.query_error = ""
        self.applied_query = query
        if self._filter_failed:
            self._filter_failed = False
            self.error = ""
        self.selection = selection
        self._sel_pos = pd.Index(selection["paper_id"].astype(object))
        self.n_matched = len(selection)
        self._check_current()
        self.page = min(self.page, self.n_pages - 1) if keep_page else 0
        self.revision += 1
        return ok

    def _select(self, query: str) -> pd.DataFrame:
        papers = self._searchable(query)  # with the stage columns when the query reads them
        return select(papers, query, self.filter_kwargs(), sort=self.sort, index=self.index)

    # -- paging ---------------------------------------------------------------------------

    @property
    def n_pages(self) -> int:
        return max(1, -(-self.n_matched // self.page_size))

    def page_frame(self) -> pd.DataFrame:
        """The rows of the current page (only these are ever rendered)."""
        start = self.page * self.page_size
        return self.selection.iloc[start : start + self.page_size]

    def page_ids(self) -> list[str]:
        return self.page_frame()["paper_id"].astype(object).tolist() if self.n_matched else []

    def page_rows(self) -> list[dict[str, str]]:
        """The current page as display strings (title, date, authors, comments, decision, tags)."""
        return table_rows(self.page_frame())

    def count_text(self) -> str:
        first = self.page * self.page_size + 1 if self.n_matched else 0
        last = min(self.n_matched, (self.page + 1) * self.page_size)
        return f"{self.n_matched:,} of {self.n_total:,} papers" + (
            f" · showing {first:,}–{last:,}" if self.n_matched else ""
        )

    def go_page(self, page: int) -> None:
        self.page = max(0, min(page, self.n_pages - 1))

    # -- the open paper -------------------------------------------------------------------

    def open(self, paper_id: str) -> None:
        """Show ``paper_id`` in the paper view ('' closes it)."""
        if paper_id and paper_id not in self._pos:
            self.fail(f"open: no paper with paper_id {paper_id!r}")
            return
        self.current_id = paper_id
        self._check_current()

    def _check_current(self) -> None:
        pid = self.current_id
        self.current_listed = not pid or pid in self._sel_pos

    @action("similar papers")
    def similar_to(self, paper_id: str, n: int = 5) -> pd.DataFrame:
        return similar(self.papers, paper_id, n=n, index=self.index)

    @action("history")
    def history(self, paper_id: str) -> pd.DataFrame:
        return self.review.history(paper_id)

    # -- annotating -----------------------------------------------------------------------

    def _ids(self, ids: str | Iterable[str] | None) -> list[str]:
        if ids is None:
            if not self.current_id:
                raise ValueError("open a paper first")
            return [self.current_id]
        return [ids] if isinstance(ids, str) else list(ids)

    @action("annotate")
    def annotate(self, ids: str | Iterable[str] | None = None, **edit: Any) -> bool:
        """``Review.annotate`` on ``ids`` (default: the open paper); True when saved."""
        paper_ids = self._ids(ids)
        self._save_edit(paper_ids, edit)
        at, reviewer = now(), self.review.reviewer
        patch_papers(self.papers, self._pos.get_indexer(paper_ids), edit, reviewer, at=at)
        if lists_change(edit, self.reasons, self.all_tags):
            self._refresh_lists()
        if self._annotation_free():  # the same rows: patch them instead of searching again
            rows = self._sel_pos.get_indexer(pd.Index(paper_ids, dtype=object))
            if (rows >= 0).any():
                patch_papers(self.selection, rows[rows >= 0], edit, reviewer, at=at)
            self.revision += 1
        else:
            self.refresh(keep_page=True)
        self.changed_ids = paper_ids
        self.changes += 1
        said = {**{k: v for k, v in edit.items() if k != "fields"}, **dict(edit.get("fields", {}))}
        what = ", ".join(f"{k}={short(v)}" for k, v in said.items())
        self.say(f"saved {what} for {count_papers(len(paper_ids))}")
        return True

    def _annotation_free(self) -> bool:
        """Whether the selection's rows and order ignore annotations (no decision or tag
        filter, no annotation field in the query, not sorted by priority)."""
        return not (
            self.decisions
            or self.tags
            or self.sort == "priority"
            or ANNOTATION_FIELDS.search(self.applied_query)
        )

    def decide(self, decision: str, *, reason: str | None = None, ids: Any = None) -> bool:
        """Include / maybe / exclude (with an optional reason); other decisions clear the reason."""
        edit: dict[str, Any] = {"decision": decision}
        if decision == "exclude" and reason:
            edit["reason"] = reason
        elif decision != "exclude":
            try:
                rows = self._pos.get_indexer(self._ids(ids))
            except ValueError as exc:
                self.fail(f"annotate: {exc}")
                return False
            found = rows[rows >= 0]  # the array, not iloc: no Series built per decision
            if len(found) and not pd.isna(self.papers["reason"].array[found]).all():
                edit["reason"] = ""
        return bool(self.annotate(ids, **edit))

    def add_tag(self, tag: str, ids: Any = None) -> bool:
        if not tag.strip():
            self.fail("tag: type a tag name first")
            return False
        return bool(self.annotate(ids, add_tags=tag.strip()))

    def remove_tag(self, tag: str, ids: Any = None) -> bool:
        return bool(self.annotate(ids, remove_tags=tag))

    def save_note(self, paper_id: str, text: str) -> bool:
        """Save ``text`` as the note of ``paper_id`` unless it is already saved."""
        if not paper_id:
            return False
        saved = self.paper(paper_id)["note"]
        if ("" if pd.isna(saved) else str(saved)) == text.strip():
            return True
        return bool(self.annotate(paper_id, note=text))

    def rate(self, paper_id: str, rating: int | None) -> bool:
        """Rate 1–5; 0 or None clears the rating."""
        return bool(self.annotate(paper_id, rating=rating if rating else pd.NA))

    @action("undo")
    def undo(self) -> str | None:
        """Revert the latest change; returns the paper it touched."""
        try:
            changes = self.review.undo()
        except LookupError:
            self.say("nothing to undo")
            return None
        return self._after_history(changes, "undid")

    @action("redo")
    def redo(self) -> str | None:
        try:
            changes = self.review.redo()
        except LookupError:
            self.say("nothing to redo")
            return None
        return self._after_history(changes, "redid")

    def _after_history(self, changes: pd.DataFrame, verb: str) -> str | None:
        self._load()
        self.refresh(keep_page=True)
        self.changed_ids = None
        self.changes += 1
        ids = changes["paper_id"].unique().tolist() if len(changes) else []
        fields = ", ".join(dict.fromkeys(changes["field"].tolist())) if len(changes) else ""
        self.say(f"{verb} {fields or 'a change'} on {count_papers(len(ids))}")
        return str(ids[0]) if ids else None

    # -- status ---------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.error = ""
        self.status = message

    def fail(self, message: str) -> None:
        self.error = message
