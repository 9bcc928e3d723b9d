"""The conflicts queue: papers whose reviewers disagree, one at a time, settled by a
resolver (or by the pair's consensus when no resolver is named and blind mode is off).

The queue is ``Review.conflict_queue(stage)`` at the app's stage; each paper shows every
reviewer's decision, reason and note, and :meth:`ConflictState.resolve` records the
review's final decision with ``Review.resolve`` (one undoable step), then shows the next
open conflict. A reviewer who may not resolve gets the reason in :attr:`blocked`, and in
blind mode sees no conflict at all (only their own decisions).

>>> import tempfile, pathlib, litreview
>>> from litreview.app.state import AppState
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.litreview"
>>> ada = litreview.Review.open(path, reviewer="ada")
>>> _ = ada.add(litreview.SAMPLE_LISTING)
>>> bob = litreview.Review.open(path, reviewer="bob")
>>> ids = ada.papers["paper_id"].tolist()[:2]
>>> ada.annotate(ids, decision="include"); bob.annotate(ids, decision="exclude")
>>> ada.set_resolvers(["cy"])
>>> cy = AppState(litreview.Review.open(path, reviewer="cy"))
>>> cy.conflicts.refresh(); cy.conflicts.open_count
2
>>> cy.conflicts.resolve("include", reason="in scope"), cy.conflicts.open_count
(True, 1)
>>> for review in (ada, bob, cy.review):
...     review.close()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

if TYPE_CHECKING:
    from litreview.app.state import AppState


class ConflictState(traitlets.HasTraits):
    """The open conflicts of the app's stage and the one on screen."""

    #: The open conflicts, in the review's order.
    ids = traitlets.List(traitlets.Unicode())
    pos = traitlets.Int(0)
    current_id = traitlets.Unicode("")
    open_count = traitlets.Int(0)
    resolved_count = traitlets.Int(0)
    #: Why this reviewer cannot record final decisions ('' when they can).
    blocked = traitlets.Unicode("")
    #: Bumped when the queue is read again.
    version = traitlets.Int(0)

    def __init__(self, app: AppState) -> None:
        super().__init__()
        self.app = app
        self._table = pd.DataFrame()
        self._details: dict[str, list[dict[str, str]]] = {}
        self._stale = True
        app.observe(self._changed, names=["changes", "stage"])

    def _changed(self, _change: dict[str, Any]) -> None:
        self._stale = True
        if self.current_id and self.current_id not in self.app._pos:  # another stage's
            self.ids, self.pos = [], -1  # read again when the tab opens
            self.pos = 0
            self.version += 1

    def ensure(self) -> None:
        """Read the queue again when annotations changed since (the tab was opened)."""
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the conflicts from the review; stay on the paper shown when it is still open."""
        review, stage = self.app.review, self.app.stage
        try:
            table = review.conflicts(stage)
        except Exception as exc:
            self.app.fail(f"conflicts: {exc}")
            return
        self._stale = False
        self._table = table.set_index("paper_id", drop=False)
        self._details = _details(review, stage, table, self.app.review_order())
        open_ = table.loc[~table["resolved"].to_numpy(dtype=bool), "paper_id"]
        shown = self.current_id
        self.ids = open_.astype(str).tolist()
        self.open_count, self.resolved_count = len(self.ids), int(table["resolved"].sum())
        self.blocked = _blocked(review)
        pos = self.ids.index(shown) if shown in self.ids else min(self.pos, len(self.ids) - 1)
        self.pos = -1  # always fire: the paper under pos may be another one now
        self.pos = max(0, pos)
        self.version += 1

    def _settled(self, paper_id: str) -> None:
        """``paper_id`` has its final decision: out of the queue, the next one shown."""
        pos = self.ids.index(paper_id)
        self.ids = [p for p in self.ids if p != paper_id]
        self.open_count, self.resolved_count = len(self.ids), self.resolved_count + 1
        self._stale = False  # the change above was this one: the queue is up to date
        self.pos = -1
        self.pos = min(pos, len(self.ids) - 1) if self.ids else 0
        self.version += 1

    @traitlets.observe("pos")
    def _on_pos(self, change: dict[str, Any]) -> None:
        self.current_id = self.ids[self.pos] if 0 <= self.pos < len(self.ids) else ""

    def move(self, step: int) -> None:
        if self.ids:
            self.pos = max(0, min(len(self.ids) - 1, self.pos + step))

    def decisions(self, paper_id: str) -> list[dict[str, str]]:
        """Each reviewer's ``decision``, ``reason`` and ``note`` on ``paper_id`` (those
        this reviewer may see), in the order of the conflicts table."""
        return self._details.get(paper_id, [])

    def resolve(self, decision: str, *, reason: str | None = None) -> bool:
        """The review's final decision on the conflict shown; the next one is shown."""
        pid = self.current_id
        if not pid:
            self.app.fail("conflicts: no open conflict")
            return False
        if self.blocked:
            self.app.fail(f"conflicts: {self.blocked}")
            return False
        try:
            self.app.review.resolve(pid, decision=decision, reason=reason, stage=self.app.stage)
        except Exception as exc:
            self.app.fail(f"conflicts: {exc}")
            return False
        self.app.changed_ids = [pid]
        self.app.changes += 1
        self._settled(pid)  # not conflicts() again: it reads every paper (6 s at 100k)
        why = f" ({reason})" if reason else ""
        self.app.say(f"final decision {decision}{why}; {self.open_count:,} conflicts open")
        return True


_FINAL_COLUMNS = ("resolved", "final_decision", "final_reason", "resolved_by")


def _blocked(review: Any) -> str:
    if review.is_resolver:
        return ""
    if review.resolvers:
        return f"only the resolvers ({', '.join(review.resolvers)}) record final decisions"
    if review.blind:
        return (
            "blind mode is on: conflicts are hidden; name a resolver, or turn blind mode "
            "off to settle them by consensus"
        )
    return ""


def _details(
    review: Any, stage: str, table: pd.DataFrame, order: Any
) -> dict[str, list[dict[str, str]]]:
    """paper_id -> each visible reviewer's decision, reason and note, for the open
    conflicts; ``order``: every paper's id in the review's order (the rows of
    ``stage_rows``; not read again: 0.9 s at 100k papers)."""
    open_ = table[~table["resolved"].to_numpy(dtype=bool)]
    if open_.empty:
        return {}
    names = [c for c in table.columns[2:] if c not in _FINAL_COLUMNS]
    columns = review.stage_rows(stage)
    at = order.get_indexer(pd.Index(open_["paper_id"].astype(object)))
    out: dict[str, list[dict[str, str]]] = {}
    for pid, row, where in zip(open_["paper_id"], open_.itertuples(index=False), at, strict=True):
        values = dict(zip(open_.columns, row, strict=True))
        out[str(pid)] = [
            {
                "reviewer": str(name),
                "decision": str(values[name]),
                "reason": _text(columns.get(name, {}).get("reason"), where),
                "note": _text(columns.get(name, {}).get("note"), where),
            }
            for name in names
        ]
    return out


def _text(values: Any, at: int) -> str:
    if values is None or at < 0:
        return ""
    value = values[at]
    return "" if value is None or pd.isna(value) else str(value)
