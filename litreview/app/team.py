"""The team side of the app's model: the stage switch, full-text records, blind mode.

:attr:`TeamState.stage` switches every tab between title/abstract screening (the
reviewer's ``papers``) and the full-text stage (``Review.stage_papers("fulltext")``:
the papers included at title/abstract, with this reviewer's full-text decision,
reason and note in the usual columns, where the full text is and whether it could be
retrieved). At full text a decision, reason or note is saved with
``Review.annotate_fulltext``; tags and ratings stay the paper's own.
:meth:`TeamState.team_text` is what the toolbar's badge says: blind mode, and the
others' progress as counts only.

>>> import tempfile, pathlib, litreview
>>> from litreview.app.state import AppState
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> state = AppState(review)
>>> state.decide("include", ids=state.page_ids()[:2])
True
>>> state.stage = "fulltext"
>>> state.n_total, state.papers["decision"].astype(str).tolist()
(2, ['unscreened', 'unscreened'])
>>> state.decide("exclude", reason="no evaluation", ids=state.page_ids()[:1])
True
>>> review.decisions("fulltext")[review.reviewer].astype(str).tolist().count("exclude")
1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import traitlets

from litreview.app._action import action
from litreview.review.core import DEFAULT_REASONS

if TYPE_CHECKING:
    from litreview.review.core import Review

STAGES = ("title", "fulltext")
STAGE_LABELS = {"title": "Title/abstract", "fulltext": "Full text"}
#: The exclusion reasons offered at full text before any is used (PRISMA's usual ones).
FULLTEXT_REASONS = ("no evaluation", "wrong study design", "wrong outcome", "duplicate report")
#: The edits a full-text annotation takes (tags and ratings are the paper's own).
FULLTEXT_EDITS = frozenset({"decision", "reason", "note"})


class TeamState(traitlets.HasTraits):
    """The stage switch and the team's view (a mixin of :class:`~litreview.app.state.AppState`)."""

    stage = traitlets.Enum(STAGES, default_value="title")
    #: The other reviewers' progress at the stage, counts only ('' for one reviewer alone);
    #: read again by :meth:`team_text` (tab switches, reloads, the stage switch).
    team_progress = traitlets.Unicode("")

    if TYPE_CHECKING:  # what the model provides
        review: Review
        papers: pd.DataFrame
        selection: pd.DataFrame
        _reason_order: list[str]
        changed_ids: list[str] | None
        changes: int
        revision: int
        flushers: list[Any]
        _pos: Any  # pd.Index (as pandas-stubs type its constructor here)
        _every: pd.DataFrame  # every paper, in the review's order

        def fail(self, message: str) -> None: ...
        def say(self, message: str) -> None: ...
        def paper(self, paper_id: str) -> pd.Series: ...
        def _load(self) -> None: ...
        def refresh(self, *, keep_page: bool = False) -> bool: ...

    @traitlets.observe("stage")
    def _on_stage(self, change: dict[str, Any]) -> None:
        for flush in self.flushers:  # a note typed at the other stage is saved first
            flush()
        self._reason_order = []  # the reason keys are the new stage's
        self._load()
        self.refresh()
        self.changed_ids = None
        self.changes += 1
        n = len(self.papers)
        what = "papers" if change["new"] == "title" else "papers included at title/abstract"
        self.say(f"{STAGE_LABELS[change['new']].lower()} stage: {n:,} {what}")

    # -- what _load, _refresh_lists and annotate ask -----------------------------------------

    def _stage_load(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The papers of the stage, and every paper (what the search index holds)."""
        papers = self.review.papers
        if self.stage == "title":
            return papers, papers
        return self.review.stage_papers("fulltext"), papers

    def review_order(self) -> Any:
        """Every paper's id in the review's order (a ``pd.Index``): the rows of
        ``Review.decisions`` and ``Review.stage_rows`` (at title/abstract, the app's own
        table's)."""
        if self.stage == "title":
            return self._pos
        return pd.Index(self._every["paper_id"].astype(object))

    def _searchable(self, query: str) -> pd.DataFrame:
        """The table ``query`` is searched in: at title/abstract, with the columns the
        ``stage:`` and ``fulltext:`` fields read when it uses them (built then only:
        0.9 s at 100k papers)."""
        if self.stage == "title" and _reads_stage(query):
            return self.review.search_table(self.papers)
        return self.papers

    def _stage_defaults(self) -> tuple[str, ...]:
        """The exclusion reasons offered at this stage before any is used."""
        return DEFAULT_REASONS if self.stage == "title" else FULLTEXT_REASONS

    def _stage_reasons(self) -> list[str]:
        if self.stage == "title":
            return self.review.reasons()
        used = self.papers["reason"].dropna().astype(str)
        names = used.value_counts().index.tolist() if len(used) else []
        return names + [r for r in FULLTEXT_REASONS if r not in names]

    def _save_edit(self, paper_ids: list[str], edit: dict[str, Any]) -> None:
        """Save ``edit`` at the current stage (``Review.annotate`` or ``annotate_fulltext``)."""
        if self.stage == "title":
            self.review.annotate(paper_ids, **edit)
            return
        staged = {k: v for k, v in edit.items() if k in FULLTEXT_EDITS}
        rest = {k: v for k, v in edit.items() if k not in FULLTEXT_EDITS}
        if staged:
            self.review.annotate_fulltext(paper_ids, **staged)
        if rest:
            self.review.annotate(paper_ids, **rest)

    # -- full-text records ---------------------------------------------------------------

    @action("full text")
    def set_fulltext(
        self,
        paper_id: str,
        *,
        location: str | None = None,
        not_retrieved: bool | None = None,
        note: str | None = None,
    ) -> bool:
        """Record where ``paper_id``'s full text is (a URL or a file path), or that it
        could not be retrieved (``note`` says why); True when saved."""
        if location is not None:
            location = location.strip()
        self.review.set_fulltext(
            paper_id, location=location, not_retrieved=not_retrieved, note=note
        )
        values = {"fulltext_location": location or None, "not_retrieved": not_retrieved,
                  "fulltext_note": note}  # fmt: skip
        for frame in (self.papers, self.selection):  # the app's copies, in place
            rows = np.flatnonzero(frame["paper_id"].to_numpy(dtype=object) == paper_id)
            for column, value in values.items():
                col = int(frame.columns.get_indexer(pd.Index([column]))[0])
                if len(rows) and col >= 0 and value is not None:
                    frame.iloc[rows, col] = value
                elif len(rows) and col >= 0 and column == "fulltext_location" and location == "":
                    frame.iloc[rows, col] = pd.NA
        self.changed_ids = [paper_id]
        self.changes += 1
        if not_retrieved:
            self.say("marked as not retrieved")
        else:
            self.say("full text: " + (location or "location cleared") if location is not None
                     else "full-text note saved")  # fmt: skip
        return True

    def fulltext_record(self, paper_id: str) -> dict[str, Any]:
        """``location``, ``not_retrieved`` and ``note`` of ``paper_id`` ({} at title)."""
        if self.stage != "fulltext" or "fulltext_location" not in self.papers:
            return {}
        try:
            row = self.paper(paper_id)
        except KeyError:
            return {}
        location, note = row.get("fulltext_location"), row.get("fulltext_note")
        return {
            "location": "" if pd.isna(location) else str(location),
            "not_retrieved": bool(row.get("not_retrieved", False)),
            "note": "" if pd.isna(note) else str(note),
        }

    # -- the team ------------------------------------------------------------------------

    @property
    def remote_changes(self) -> int:
        """How many changes other clients made have been applied (a server review's live
        updates, :mod:`litreview.app.live`; 0 for a file): views that show others' work
        (the conflicts queue, the counts) read again when it grows."""
        return int(getattr(getattr(self, "live", None), "applied", 0))

    def team_text(self) -> tuple[str, str]:
        """(badge, tooltip): blind mode and the others' progress, counts only.

        The badge is empty for a review one reviewer screens alone.
        """
        review = self.review
        progress = review.progress()
        others = progress[progress["reviewer"] != review.reviewer]
        blind = review.blind
        if not blind and others.empty:
            self.team_progress = ""
            return "", ""
        stage = progress[progress["stage"] == self.stage]
        counts = [f"{r.reviewer}: {r.screened:,} screened" for r in stage.itertuples(index=False)]
        theirs = [c for c, r in zip(counts, stage["reviewer"], strict=True) if r != review.reviewer]
        # others' counts only: they change on Reload, this reviewer's own ones at every key
        self.team_progress = "; ".join(theirs) if theirs else "none at this stage yet"
        role = " (resolver: sees everyone's work)" if review.is_resolver else ""
        if blind:
            badge = "blind" + (" · resolver" if review.is_resolver else "")
            tip = (
                f"Blind mode: you see only your own decisions, notes and tags{role}. "
                "Others' progress, as counts only: "
            )
        else:
            badge, tip = "team", "Blind mode is off: everyone sees everyone's decisions. "
        return badge, tip + ("; ".join(counts) if counts else "nobody has screened yet")


def _reads_stage(query: str) -> bool:
    """Whether ``query`` uses the ``stage:`` or ``fulltext:`` fields.

    >>> _reads_stage("vision stage:fulltext"), _reads_stage("vision"), _reads_stage('("')
    (True, False, False)
    """
    from litreview.errors import QueryError
    from litreview.query.language import parse, uses

    try:
        return bool(uses(parse(query)) & {"stage", "fulltext"})
    except QueryError:  # the search says what is wrong
        return False
