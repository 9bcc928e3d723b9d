"""The app's side of live updates (:mod:`litreview.review.live`): another client's change
to a server review reaches the open app without a Reload.

:class:`LiveUpdates` subscribes to the review; the notification arrives in a background
thread and is only queued there. :meth:`LiveUpdates.apply` runs on the thread that owns
the model (scheduled on the kernel's event loop when there is one, else called by the
caller) and patches the cached table: the current reviewer's rows another session
changed are set from the store (:meth:`~litreview.review.live.LiveReview.annotations_of`),
other reviewers' changes only tell the views (``changes``), and a change of the paper
table itself (an import, an enrichment) reloads it. A file review gets no notifications.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from litreview.app.state import AppState
    from litreview.review.live import RemoteChange


class LiveUpdates:
    """Queues a review's remote changes and applies them to an :class:`AppState`."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.pending: list[RemoteChange] = []
        self.applied = 0
        self._lock = threading.Lock()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # no loop running (a script, a test): apply() by hand
            self._loop = None
        self.stop = state.review.subscribe(self._heard)

    def _heard(self, change: RemoteChange) -> None:
        with self._lock:
            self.pending.append(change)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.apply)

    def apply(self) -> int:
        """Apply the queued changes to the model (its thread); returns how many."""
        with self._lock:
            changes, self.pending = self.pending, []
        if not changes:
            return 0
        state = self.state
        self.applied += len(changes)  # before the views hear of them (they read it)
        if any(c.papers_changed for c in changes):
            state.reload()
        else:
            mine = [p for c in changes for p in c.reviewers.get(state.review.reviewer, ())]
            if mine:
                _patch(state, list(dict.fromkeys(mine)))
            state.changed_ids = list(dict.fromkeys(p for c in changes for p in c.paper_ids))
            state.changes += 1
        who = ", ".join(dict.fromkeys(c.by for c in changes))
        state.say(f"{sum(len(c.paper_ids) for c in changes)} change(s) by {who} shown")
        return len(changes)


def _patch(state: AppState, ids: list[str]) -> None:
    """Set the cached rows of ``ids`` (table and selection) from the store."""
    fresh = state.review.annotations_of(ids).set_index("paper_id")
    for frame, index in ((state.papers, state._pos), (state.selection, state._sel_pos)):
        if frame.empty:
            continue
        positions = index.get_indexer(pd.Index(ids, dtype=object))
        for name in fresh.columns:
            if name not in frame.columns:
                continue
            j = frame.columns.get_loc(name)
            for pid, row in zip(ids, positions, strict=True):
                if row >= 0:
                    value: Any = fresh.at[pid, name]
                    frame.iat[row, j] = value  # type: ignore[index]
    state.revision += 1
