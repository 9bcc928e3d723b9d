"""A review as a team runs it: blind screening, resolvers and final decisions, and the
full-text stage, mixed into :class:`litreview.Review` (the rules are in
:mod:`litreview.review.stages`)::

    >>> import tempfile, pathlib, litreview
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.litreview"
    >>> ada = litreview.Review.open(path, reviewer="ada")
    >>> _ = ada.add(litreview.SAMPLE_LISTING)
    >>> first = ada.papers.loc[0, "paper_id"]
    >>> ada.annotate(first, decision="include")
    >>> bob = litreview.Review.open(path, reviewer="bob")
    >>> bob.annotate(first, decision="exclude", reason="off topic")
    >>> bob.blind, list(bob.decisions().columns)  # on once a second reviewer screens
    (True, ['paper_id', 'title', 'bob'])
    >>> ada.set_blind(False); ada.set_resolvers(["ada"])
    >>> ada.resolve(first, decision="include", reason="in scope after discussion")
    >>> ada.final().loc[0, ["final_decision", "basis"]].tolist()
    ['include', 'resolved']
    >>> ada.close(); bob.close()

Settings (:mod:`litreview.review.store.settings`, every change logged with who and
when): ``team.blind`` (True/False; unset = on once two reviewers have screened) and
``team.resolvers`` (a list of names). In a local file blind mode is a courtesy, not a
protection: anyone who can open the file can read every decision with SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.edits import Edit
from litreview.review.stages import STAGES, review_decisions
from litreview.review.store import queries
from litreview.review.store.annotations import FINAL, annotate, row_key, split_key
from litreview.review.store.base import ReviewStore
from litreview.review.store.fulltext import fulltext_frame, fulltext_log, set_fulltext
from litreview.review.store.history import annotation_columns, annotation_rows, decision_columns
from litreview.review.store.settings import get_setting, set_setting, settings_log
from litreview.review.store.table import paper_frame
from litreview.schema import DECISIONS

BLIND = "team.blind"
RESOLVERS = "team.resolvers"
TEAM_KEYS = (BLIND, RESOLVERS)
#: How many reviewers made a decision in this review (decisions imported from another
#: tool, made elsewhere, do not turn blind mode on).


class TeamViews:
    """Mixed into :class:`litreview.Review`; needs ``_store`` and ``reviewer``."""

    _store: ReviewStore
    reviewer: str

    # -- settings ----------------------------------------------------------------------

    @property
    def blind(self) -> bool:
        """Whether reviewers see only their own decisions, notes and tags: the
        ``team.blind`` setting, else on once a second reviewer has screened in this
        review (decisions imported from another tool do not count)."""
        value = get_setting(self._store, BLIND)
        if value is not None:
            return bool(value)
        return queries.screener_count(self._store) >= 2

    def set_blind(self, on: bool) -> None:
        """Turn blind mode on or off for everyone (logged in :meth:`team_log`).

        >>> TeamViews.set_blind.__name__
        'set_blind'
        """
        if not isinstance(on, bool):
            raise ValueError(f"set_blind() takes True or False; got {on!r}")
        set_setting(self._store, BLIND, on, reviewer=self.reviewer)

    @property
    def resolvers(self) -> list[str]:
        """The reviewers with the resolver role (``team.resolvers``)."""
        return list(get_setting(self._store, RESOLVERS, []))

    def set_resolvers(self, names: str | Iterable[str]) -> None:
        """Give the resolver role to ``names`` (replacing the list; ``[]`` for none).

        >>> TeamViews.set_resolvers.__name__
        'set_resolvers'
        """
        items = [names] if isinstance(names, str) else list(names)
        if any(not isinstance(n, str) or not n.strip() for n in items):
            raise ValueError(f"resolver names must be non-empty text; got {names!r}")
        cleaned = list(dict.fromkeys(n.strip() for n in items))
        set_setting(self._store, RESOLVERS, cleaned, reviewer=self.reviewer)

    @property
    def is_resolver(self) -> bool:
        return self.reviewer in self.resolvers

    @property
    def sees_all(self) -> bool:
        """True when this reviewer may see everyone's work: blind mode off, or a resolver."""
        return self.is_resolver or not self.blind

    def team_log(self) -> pd.DataFrame:
        """Every change of the team settings (blind mode, resolvers), oldest first."""
        log = settings_log(self._store)
        return log[log["key"].isin(TEAM_KEYS)].reset_index(drop=True)

    # -- who did what ------------------------------------------------------------------

    def reviewers(self) -> list[str]:
        """The reviewers who made a decision at any stage, sorted (final rows aside)."""
        rows = annotation_rows(self._store, None)
        names = {split_key(r[1])[0] for r in rows if r[2] != "unscreened"}
        return sorted(names - {FINAL})

    def visible_keys(self) -> set[str] | None:
        """The annotation rows this reviewer may see (None: all of them)."""
        if self.sees_all:
            return None
        return {row_key(self.reviewer, s) for s in STAGES}

    def visible_history(self, changes: pd.DataFrame) -> pd.DataFrame:
        """``changes`` (a history table) without what blind mode hides from this
        reviewer: others' changes and final decisions."""
        if self.sees_all:
            return changes
        mine = changes["reviewer"].eq(self.reviewer) & ~changes["field"].str.startswith("final_")
        return changes[mine.fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)

    def visible_rows(self) -> list[tuple[Any, ...]]:
        """Every annotation row this reviewer may see (exports, tags, reasons)."""
        rows = annotation_rows(self._store, None)
        visible = self.visible_keys()
        return rows if visible is None else [r for r in rows if r[1] in visible]

    def blind_reasons(self) -> list[str]:
        """The exclusion reasons in this reviewer's own annotations, most used first."""
        found = pd.Series([r[3] for r in self.visible_rows() if r[3] is not None], dtype=object)
        counts = found.value_counts()
        return sorted(counts.index, key=lambda r: (-counts[r], r))

    def blind_tags(self) -> list[str]:
        """The tags of this reviewer's own annotations, sorted."""
        import json

        found = {t for r in self.visible_rows() if r[4] != "[]" for t in json.loads(r[4])}
        return sorted(found, key=lambda t: (t.casefold(), t))

    def progress(self) -> pd.DataFrame:
        """How far each reviewer is: ``reviewer, stage, screened, include, exclude,
        maybe`` (counts only: shown in blind mode too)."""
        rows = annotation_rows(self._store, None)
        records = []
        for _, key, decision, *_ in rows:
            who, stage = split_key(key)
            if who != FINAL and decision != "unscreened":
                records.append((who, stage, decision))
        frame = pd.DataFrame(records, columns=["reviewer", "stage", "decision"])
        table = pd.crosstab([frame["reviewer"], frame["stage"]], frame["decision"])
        table = table.reindex(columns=["include", "exclude", "maybe"], fill_value=0)
        table.insert(0, "screened", table.sum(axis=1))
        return table.reset_index().rename_axis(columns=None)

    def stage_decisions(self, stage: str = "title") -> pd.DataFrame:
        """:meth:`decisions` at ``stage`` (``"title"`` or ``"fulltext"``): one decision
        column per reviewer this reviewer may see, then ``@final`` when any is recorded."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}; got {stage!r}")
        rows = annotation_rows(self._store, None)
        visible = self.visible_keys()
        keys: dict[str, list[tuple[Any, ...]]] = {}
        for r in rows:
            who, at = split_key(r[1])
            if at == stage and (visible is None or r[1] in visible):
                keys.setdefault(who, []).append(r)
        base = paper_frame(self._store)[["paper_id", "title"]]
        for name in sorted((set(keys) - {FINAL}) | {self.reviewer}):
            columns = annotation_columns(base["paper_id"], keys.get(name, []))
            base[name] = columns["decision"]
        if FINAL in keys:
            base[FINAL] = annotation_columns(base["paper_id"], keys[FINAL])["decision"]
        return base

    def stage_rows(self, stage: str = "title") -> dict[str, dict[str, Any]]:
        """Every visible annotation column at ``stage``, per reviewer (and ``@final``)."""
        rows = annotation_rows(self._store, None)
        visible = self.visible_keys()
        keys: dict[str, list[tuple[Any, ...]]] = {}
        for r in rows:
            who, at = split_key(r[1])
            if at == stage and (visible is None or r[1] in visible):
                keys.setdefault(who, []).append(r)
        ids = paper_frame(self._store)["paper_id"]
        index = pd.Index(ids)
        return {who: annotation_columns(index, got) for who, got in keys.items()}

    # -- resolution --------------------------------------------------------------------

    def resolve(
        self,
        paper_ids: str | Iterable[str],
        *,
        decision: str,
        reason: str | None = None,
        note: str | None = None,
        stage: str = "title",
    ) -> None:
        """Record the review's final decision (and reason) for one paper or many.

        A resolver (:meth:`set_resolvers`) may resolve any paper; when no resolver is
        named, a reviewer may record the pair's consensus once blind mode is off. One
        undoable step in the history (``final_decision``, ``final_reason``);
        ``decision="unscreened"`` withdraws a final decision.
        """
        if not self.is_resolver:
            if self.resolvers:
                raise PermissionError(
                    f"{self.reviewer!r} is not a resolver of this review "
                    f"(resolvers: {', '.join(self.resolvers)})"
                )
            if self.blind:
                raise PermissionError(
                    "blind mode is on: turn it off (set_blind(False)) to record a decision "
                    "by consensus, or name a resolver (set_resolvers)"
                )
        edit = Edit.of(decision=decision, reason="" if reason is None else reason, note=note)
        key = row_key(FINAL, stage)
        annotate(self._store, self.reviewer, paper_ids, edit, as_row=key, action="resolve")

    def final(self, stage: str = "title") -> pd.DataFrame:
        """The review's decision per paper at ``stage``: ``paper_id, title,
        final_decision, final_reason, basis, resolved_by`` where ``basis`` says how:
        ``resolved`` (a final decision), ``agreed`` (everyone who screened it agrees),
        ``single`` (one reviewer), ``conflict`` (they disagree: final_decision is
        ``conflict``) or ``unscreened``. In blind mode a reviewer who is not a resolver
        sees only their own decisions here."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}; got {stage!r}")
        base = paper_frame(self._store)[["paper_id", "title"]]
        index = pd.Index(base["paper_id"])
        keys: dict[str, list[tuple[Any, ...]]] = {}
        visible = self.visible_keys()
        for r in annotation_rows(self._store, None):
            who, at = split_key(r[1])
            if at == stage and (visible is None or r[1] in visible):
                keys.setdefault(who, []).append(r)
        columns = {who: decision_columns(index, got) for who, got in keys.items()}
        return review_decisions(base, columns)

    def final_papers(self) -> pd.DataFrame:
        """``papers`` with the review's title/abstract decisions (:meth:`final`) in
        ``decision`` and ``reason`` (a conflict reads ``maybe``: not settled) and
        ``final_decision``, ``basis``, ``resolved_by`` beside them: what exports and
        reports use. In blind mode (not a resolver) the reviewer's own decisions.

        >>> TeamViews.final_papers.__name__
        'final_papers'
        """
        papers: pd.DataFrame = self.papers  # type: ignore[attr-defined]
        final = self.final("title")
        decision = final["final_decision"].replace({"conflict": "maybe"}).astype(str)
        return papers.assign(
            decision=pd.Categorical(decision.to_numpy(), categories=list(DECISIONS)),
            reason=final["final_reason"].to_numpy(),
            final_decision=final["final_decision"].to_numpy(),
            basis=final["basis"].to_numpy(),
            resolved_by=final["resolved_by"].to_numpy(),
        )

    def conflict_queue(self, stage: str = "title") -> pd.DataFrame:
        """The papers a resolver still has to settle (unresolved conflicts): the queue
        the app shows."""
        table: pd.DataFrame = self.conflicts(stage)  # type: ignore[attr-defined]
        return table[~table["resolved"]].reset_index(drop=True)

    # -- the full-text stage -------------------------------------------------------------

    def annotate_fulltext(
        self,
        paper_ids: str | Iterable[str],
        *,
        decision: str | None = None,
        reason: str | None = None,
        note: str | None = None,
    ) -> None:
        """This reviewer's full-text decision (and its exclusion reason) for papers
        included at title/abstract (by the review, or by this reviewer in blind mode);
        undoable like :meth:`annotate`."""
        ids = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
        allowed = set(self.fulltext_candidates()["paper_id"])
        refused = [i for i in ids if i not in allowed]
        if refused:
            raise ValueError(
                f"{len(refused)} paper(s) were not included at title/abstract, so they have "
                f"no full-text stage: {', '.join(map(str, refused[:3]))}"
            )
        edit = Edit.of(decision=decision, reason=reason, note=note)
        annotate(self._store, self.reviewer, ids, edit, as_row=row_key(self.reviewer, "fulltext"))

    def stage_papers(self, stage: str = "title") -> pd.DataFrame:
        """The papers a reviewer screens at ``stage``, for the app's stage switch: at
        ``"title"`` every paper (``papers``); at ``"fulltext"`` the candidates
        (:meth:`fulltext_candidates`) with this reviewer's full-text ``decision``,
        ``reason``, ``note``, ``decided_by`` and ``decided_at`` in the annotation
        columns, and the columns of :meth:`search_table`."""
        papers: pd.DataFrame = self.papers  # type: ignore[attr-defined]
        if stage == "title":
            return papers
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}; got {stage!r}")
        table = self.search_table(papers)
        rows = annotation_rows(self._store, row_key(self.reviewer, "fulltext"))
        columns = annotation_columns(papers["paper_id"], rows)
        taken = ("decision", "reason", "note", "decided_by", "decided_at")
        out = table.assign(**{k: columns[k] for k in taken})
        return out[table["stage"].eq("fulltext").to_numpy()].reset_index(drop=True)

    def search_table(self, papers: pd.DataFrame | None = None) -> pd.DataFrame:
        """``papers`` (default: :attr:`papers`; any table with ``paper_id``) with what the
        query language's ``stage:`` and ``fulltext:`` read: ``stage`` (``fulltext`` for
        the :meth:`fulltext_candidates`, else ``title``), this reviewer's
        ``fulltext_decision`` and ``fulltext_reason`` (NA before full text),
        ``fulltext_location``, ``not_retrieved`` and ``fulltext_note``.

        >>> TeamViews.search_table.__name__
        'search_table'
        """
        if papers is None:
            papers = self.papers  # type: ignore[attr-defined]
        assert papers is not None
        ids = papers["paper_id"]
        at = ids.isin(set(self.fulltext_candidates()["paper_id"])).to_numpy()
        rows = annotation_rows(self._store, row_key(self.reviewer, "fulltext"))
        columns = decision_columns(pd.Index(ids), rows)
        records = self.fulltext().set_index("paper_id")
        decision = pd.Series(pd.Categorical(columns["decision"], categories=list(DECISIONS)))
        decision = decision.where(at)
        reason = pd.Series(columns["reason"], dtype="string").where(at)
        missing = ids.isin(records.index[records["not_retrieved"]]).to_numpy()
        return papers.assign(
            stage=pd.array(np.where(at, "fulltext", "title"), dtype="string"),
            fulltext_decision=decision.to_numpy(),
            fulltext_reason=reason.to_numpy(),
            fulltext_location=ids.map(records["location"]).astype("string").to_numpy(),
            not_retrieved=missing,
            fulltext_note=ids.map(records["note"]).astype("string").to_numpy(),
        )

    def fulltext_candidates(self) -> pd.DataFrame:
        """The papers that go on to full text: included at title/abstract (the rows of
        :meth:`final` whose decision is include)."""
        table = self.final("title")
        return table[table["final_decision"].eq("include").to_numpy()].reset_index(drop=True)

    def set_fulltext(
        self,
        paper_id: str,
        *,
        location: str | None = None,
        not_retrieved: bool | None = None,
        note: str | None = None,
    ) -> bool:
        """Record where a paper's full text is (a URL or a file path) or that it could
        not be retrieved (``note`` says why); logged (:meth:`fulltext_log`)."""
        return set_fulltext(
            self._store,
            paper_id,
            reviewer=self.reviewer,
            location=location,
            not_retrieved=not_retrieved,
            note=note,
        )

    def fulltext(self) -> pd.DataFrame:
        """The full-text records: ``paper_id, location, not_retrieved, note, changed_by,
        changed_at``."""
        return fulltext_frame(self._store)

    def fulltext_log(self) -> pd.DataFrame:
        """Every change of a full-text record, oldest first."""
        return fulltext_log(self._store)
