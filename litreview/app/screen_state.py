"""Screening: one paper at a time in priority, relevance or date order.

The queue is the current selection: papers already screened first (so ``k``
goes back to them), then the unscreened ones in the chosen order. It starts at
the first unscreened paper, so reopening the app resumes where the reviewer
stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import traitlets

from litreview.query.filters import prioritize

if TYPE_CHECKING:
    from litreview.app.state import AppState

ORDERS = ("priority", "relevance", "date")
#: Key -> action of the screening tab.
KEYS = {"i": "include", "m": "maybe", "e": "exclude", "j": "next", "k": "previous",
        "ArrowRight": "next", "ArrowDown": "next", "ArrowLeft": "previous",
        "ArrowUp": "previous", "u": "undo"}  # fmt: skip


class ScreenState(traitlets.HasTraits):
    """Position in the screening queue and progress (screened of total)."""

    order = traitlets.Enum(ORDERS, default_value="priority")
    pos = traitlets.Int(0)
    current_id = traitlets.Unicode("")
    done = traitlets.Int(0)
    total = traitlets.Int(0)
    #: Reason given when ``e`` excludes (empty: none).
    exclude_reason = traitlets.Unicode("")
    method = traitlets.Unicode("")

    def __init__(self, app: AppState) -> None:
        super().__init__()
        self.app = app
        self.queue: list[str] = []
        self._stale = True
        app.observe(self._selection_changed, names="revision")

    def _selection_changed(self, change: dict[str, Any]) -> None:
        self._stale = True

    @traitlets.observe("order")
    def _on_order(self, change: dict[str, Any]) -> None:
        self.start()

    @traitlets.observe("pos")
    def _on_pos(self, change: dict[str, Any]) -> None:
        self.current_id = self.queue[self.pos] if 0 <= self.pos < len(self.queue) else ""

    def ensure(self) -> None:
        """Build the queue when the selection changed since the last build."""
        if self._stale:
            self.start()

    def start(self) -> None:
        """Build the queue from the current selection and go to the first unscreened paper."""
        try:
            self.queue, self.method = self._build()
        except Exception as exc:
            self.app.fail(f"screening: {exc}")
            return
        self._stale = False
        self._count()
        first = self._next_unscreened(-1)
        self.pos = -1  # always fire: the paper under pos may be another one now
        self.pos = first if first is not None else max(0, len(self.queue) - 1)
        left = self.total - self.done
        self.app.say(f"screening {self.total:,} papers by {self.order}, {left:,} to go")

    def _build(self) -> tuple[list[str], str]:
        sel = self.app.selection
        if not len(sel):
            return [], ""
        decided = sel["decision"].astype(str).to_numpy() != "unscreened"
        done = sel[decided]
        if "decided_at" in done:
            done = done.sort_values("decided_at", kind="stable", na_position="first")
        todo = sel[~decided]
        method = self.order
        if self.order == "priority":
            ranked = prioritize(sel, query=self.app.applied_query, index=self.app.index)
            method = str(ranked["priority_method"].iloc[0]) if len(ranked) else "priority"
            todo = ranked
        elif self.order == "date":
            todo = todo.sort_values("published", ascending=False, kind="stable")
        ids = pd.concat([done["paper_id"], todo["paper_id"]]).astype(object).tolist()
        return ids, method

    def _decisions(self) -> np.ndarray:
        rows = self.app._pos.get_indexer(self.queue)
        return self.app.papers["decision"].astype(str).to_numpy()[rows]

    def _count(self) -> None:
        self.total = len(self.queue)
        self.done = int((self._decisions() != "unscreened").sum()) if self.queue else 0

    def _next_unscreened(self, after: int) -> int | None:
        if not self.queue:
            return None
        unscreened = np.flatnonzero(self._decisions() == "unscreened")
        later = unscreened[unscreened > after]
        if len(later):
            return int(later[0])
        return int(unscreened[0]) if len(unscreened) else None

    # -- actions --------------------------------------------------------------------------

    def key(self, key: str) -> None:
        """What a key press does (see :data:`KEYS`)."""
        what = KEYS.get(key)
        if what is None:
            return
        if what == "next":
            self.move(1)
        elif what == "previous":
            self.move(-1)
        elif what == "undo":
            self.undo()
        else:
            self.decide(what)

    def move(self, step: int) -> None:
        if self.queue:
            self.pos = max(0, min(len(self.queue) - 1, self.pos + step))

    def decide(self, decision: str, reason: str | None = None) -> bool:
        """Decide the paper shown and go on to the next unscreened one."""
        if not self.current_id:
            self.app.fail("screening: no paper to screen (the selection is empty)")
            return False
        if decision == "exclude" and reason is None:
            reason = self.exclude_reason or None
        if not self.app.decide(decision, reason=reason, ids=[self.current_id]):
            return False
        self._count()
        nxt = self._next_unscreened(self.pos)
        if nxt is None:
            self.app.say(f"all {self.total:,} papers screened")
            self.move(1)
        else:
            self.pos = nxt
        return True

    def undo(self) -> None:
        """Undo the latest change and show the paper it touched."""
        paper_id = self.app.undo()
        self._count()
        if paper_id and paper_id in self.queue:
            self.pos = self.queue.index(paper_id)
