"""Screening: one paper at a time in priority, relevance or date order.

The queue is the current selection: papers already screened first (so ``k``
goes back to them), then the unscreened ones in the chosen order. It starts at
the first unscreened paper, so reopening the app resumes where the reviewer
stopped. In priority order the unscreened part is ranked again every
:attr:`ScreenState.rerank_every` decisions, so the model learns as you screen;
:attr:`ScreenState.order_text` always names the order the queue is in.

Excluding takes a reason by keys: ``e`` (or a digit) opens the exclusion,
``1``–``9`` pick one of :attr:`AppState.reason_keys`, Enter confirms, Esc cancels.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import traitlets

from litreview.app._debounce import running_loop
from litreview.query.filters import prioritize

if TYPE_CHECKING:
    from litreview.app.state import AppState

ORDERS = ("priority", "relevance", "date")
#: Key -> action of the screening tab (``1``–``9`` pick a reason, see :meth:`ScreenState.key`).
KEYS = {"i": "include", "m": "maybe", "e": "exclude", "Enter": "confirm", "Escape": "cancel",
        "j": "next", "k": "previous", "ArrowRight": "next", "ArrowDown": "next",
        "ArrowLeft": "previous", "ArrowUp": "previous", "u": "undo", "r": "redo",
        **{str(n): "reason" for n in range(1, 10)}}  # fmt: skip
#: The columns a queue is built from (the query's own columns too while priority
#: falls back to relevance to a query).
BUILD_COLUMNS = ("paper_id", "decision", "decided_at", "published")
#: Decisions between two re-rankings of the queue in priority order.
RERANK_EVERY = 5
#: The one thread background re-rankings run in (one at a time).
_RANKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="litreview-rank")


class ScreenState(traitlets.HasTraits):
    """Position in the screening queue, progress (screened of total), the exclusion
    being given a reason, and how the queue is ordered."""

    order = traitlets.Enum(ORDERS, default_value="priority")
    pos = traitlets.Int(0)
    current_id = traitlets.Unicode("")
    done = traitlets.Int(0)
    total = traitlets.Int(0)
    #: How the queue is ranked: the order, or for priority "model" / "relevance".
    method = traitlets.Unicode("")
    #: What the order label and the status say about the order in use.
    order_text = traitlets.Unicode("")
    #: Re-rank the unscreened papers after this many decisions (0: only on request).
    rerank_every = traitlets.Int(RERANK_EVERY, min=0)
    #: Decisions since the queue was last ranked.
    since_rank = traitlets.Int(0)
    #: True while an exclusion waits for its reason (after ``e`` or a digit).
    excluding = traitlets.Bool(False)
    #: The reason picked for that exclusion ('' for none yet).
    reason = traitlets.Unicode("")
    #: Re-rank in a background thread, the reviewer going on meanwhile (False: at once).
    background = traitlets.Bool(True)
    #: True while a background re-rank is under way.
    ranking = traitlets.Bool(False)

    def __init__(self, app: AppState) -> None:
        super().__init__()
        self.app = app
        #: The queue's paper_ids (an object array: a 100k-paper list is not rebuilt per ranking).
        self._queue = np.array([], dtype=object)
        #: Row of each queued paper in ``app.papers`` (found once per ranking).
        self._rows = np.array([], dtype=np.intp)
        self._stale = True
        self._detail = ""
        self._future: Future[tuple[np.ndarray, str, str]] | None = None
        self._source: pd.DataFrame | None = None
        app.observe(self._selection_changed, names="revision")

    @property
    def queue(self) -> list[str]:
        """The queue's paper_ids in order: screened first, then those to go."""
        return [str(p) for p in self._queue]

    def _selection_changed(self, change: dict[str, Any]) -> None:
        self._stale = True

    @traitlets.observe("order")
    def _on_order(self, change: dict[str, Any]) -> None:
        self.start()

    @traitlets.observe("pos")
    def _on_pos(self, change: dict[str, Any]) -> None:
        shown = str(self._queue[self.pos]) if 0 <= self.pos < len(self._queue) else ""
        if shown != self.current_id:  # another paper: an exclusion under way is dropped
            self.excluding, self.reason = False, ""
        self.current_id = shown

    def ensure(self) -> None:
        """Build the queue when the selection changed since the last build."""
        if self._stale:
            self.start()

    def start(self) -> None:
        """Build the queue from the current selection and go to the first unscreened paper."""
        if not self._rank():
            return
        left = self.total - self.done
        self.app.say(f"screening {self.total:,} papers {self.order_text}, {left:,} to go")

    def rerank(self) -> None:
        """Rank the unscreened papers again from the decisions so far (keeps the selection).

        With :attr:`background` the ranking runs in a thread while the reviewer goes on;
        the new order is applied on the kernel's loop as soon as it is ready (without a
        running loop, at the next key), keeping the paper on screen where it is.
        """
        if not self.background:
            if self._rank():
                self.app.say(f"re-ranked {self.total - self.done:,} papers to go {self.order_text}")
            return
        if self._future is not None:  # one at a time; the next one follows the next decisions
            return
        self._source = self.app.selection
        snapshot = self._source.copy(deep=False)  # copy-on-write: the app's edits stay apart
        self.since_rank = 0
        self.ranking = True
        future = self._future = _RANKER.submit(self._build_rows, snapshot)
        loop = running_loop()
        if loop is not None:
            future.add_done_callback(lambda f: loop.call_soon_threadsafe(self.apply_ranking, f))

    def apply_ranking(self, future: Future[tuple[np.ndarray, str, str]] | None = None) -> bool:
        """Put a finished background ranking in place; False when there is none (yet)."""
        future = future or self._future
        if future is None or future is not self._future or not future.done():
            return False
        self._future, self.ranking = None, False
        try:
            todo_all, method, detail = future.result()
        except Exception as exc:
            self.app.fail(f"screening: {exc}")
            return False
        if self._source is not self.app.selection:  # the selection changed: start() ranks
            return False
        # rows of app.papers throughout: a 100k-paper queue is merged in a few ms
        rows, open_ = self._rows, self._unscreened()
        current = self._rows[self.pos] if 0 <= self.pos < len(rows) and open_[self.pos] else -1
        left = rows[open_]
        todo = todo_all[np.isin(todo_all, left) & (todo_all != current)]
        rest = left[~np.isin(left, todo) & (left != current)]
        head = np.array([current] if current >= 0 else [], dtype=rows.dtype)
        new = np.concatenate([rows[~open_], head, todo, rest])
        ids = np.asarray(self.app._pos, dtype=object)  # the index's own array: no copy
        self._queue, self._rows = ids[new], new
        self.method, self._detail = method, detail
        self._describe()
        self._count()
        if current >= 0:
            self.pos = int((~open_).sum())  # the paper on screen, first of those to go
        self.app.say(f"re-ranked {len(left):,} papers to go {self.order_text}")
        return True

    def wait_ranking(self, timeout: float | None = 60) -> bool:
        """Wait for a background ranking and apply it (scripts and tests)."""
        if self._future is None:
            return False
        self._future.exception(timeout)
        return self.apply_ranking()

    def _rank(self) -> bool:
        self._future, self.ranking = None, False  # a ranking under way is now out of date
        try:
            queue, self.method, self._detail = self._build(self.app.selection)
        except Exception as exc:
            self.app.fail(f"screening: {exc}")
            return False
        self._queue = np.array(queue, dtype=object)
        self._rows = self.app._pos.get_indexer(pd.Index(self._queue, dtype=object))
        self._stale = False
        self.since_rank = 0
        self._count()
        self._describe()
        first = self._next_unscreened(-1)
        self.pos = -1  # always fire: the paper under pos may be another one now
        self.pos = first if first is not None else max(0, len(self._queue) - 1)
        return True

    def _build_rows(self, sel: pd.DataFrame) -> tuple[np.ndarray, str, str]:
        """:meth:`_build` with the queue as rows of ``app.papers`` (run in the thread)."""
        ids, method, detail = self._build(sel)
        return self.app._pos.get_indexer(pd.Index(ids, dtype=object)), method, detail

    def _build(self, sel: pd.DataFrame) -> tuple[list[str], str, str]:
        if not len(sel):
            return [], "", ""
        if self.order != "priority" or not self.app.applied_query.strip():
            # only the columns the order reads: splitting and ranking a 100k-row table
            # copies every column otherwise (most of a re-rank's time, GIL held)
            sel = sel[[c for c in BUILD_COLUMNS if c in sel]]
        decided = sel["decision"].astype(str).to_numpy() != "unscreened"
        done = sel[decided]
        if "decided_at" in done:
            done = done.sort_values("decided_at", kind="stable", na_position="first")
        todo = sel[~decided]
        method, detail = self.order, ""
        if self.order == "priority":
            todo = prioritize(sel, query=self.app.applied_query, index=self.app.index)
            method = str(todo["priority_method"].iloc[0]) if len(todo) else "model"
            n_inc = int((done["decision"] == "include").sum())
            n_exc = int((done["decision"] == "exclude").sum())
            detail = f"{n_inc} include{'s' * (n_inc != 1)} and {n_exc} exclude{'s' * (n_exc != 1)}"
        elif self.order == "date":
            todo = todo.sort_values("published", ascending=False, kind="stable")
        ids = pd.concat([done["paper_id"], todo["paper_id"]]).astype(object).tolist()
        return ids, method, detail

    def _describe(self) -> None:
        if self.order == "priority" and self.method == "model":
            text = f"by priority (learned from {self._detail})"
        elif self.order == "priority":
            text = f"by relevance: priority learns from 2 includes and 2 excludes ({self._detail})"
        elif self.order == "relevance":
            text = "by relevance to the query"
        else:
            text = "by date, newest first"
        self.order_text = text

    def _unscreened(self) -> np.ndarray:
        """Whether each queued paper is still unscreened (from the app's current table)."""
        decision = self.app.papers["decision"]
        if isinstance(decision.dtype, pd.CategoricalDtype):  # the table's dtype: no strings
            codes = decision.array.codes  # a view: .cat.codes builds a 100k Series per call
            cats = list(decision.dtype.categories)
            code = cats.index("unscreened") if "unscreened" in cats else -2
            return np.asarray(codes[self._rows] == code)
        return np.asarray(decision.astype(str).to_numpy()[self._rows] == "unscreened")

    def _count(self) -> None:
        self.total = len(self._queue)
        self.done = int((~self._unscreened()).sum()) if len(self._queue) else 0

    def _next_unscreened(self, after: int) -> int | None:
        if not len(self._queue):
            return None
        unscreened = np.flatnonzero(self._unscreened())
        later = unscreened[unscreened > after]
        if len(later):
            return int(later[0])
        return int(unscreened[0]) if len(unscreened) else None

    # -- actions --------------------------------------------------------------------------

    def key(self, key: str) -> None:
        """What a key press does (see :data:`KEYS`)."""
        self.apply_ranking()
        what = KEYS.get(key)
        if what in ("include", "maybe"):
            self.decide(what)
        elif what == "exclude":
            self.ask_reason()
        elif what == "reason":
            self.pick_reason(int(key))
        elif what == "confirm":
            if self.excluding:
                self.decide("exclude", self.reason)
        elif what == "cancel":
            self.excluding, self.reason = False, ""
        elif what in ("next", "previous"):
            self.move(1 if what == "next" else -1)
        elif what == "undo":
            self.undo()
        elif what == "redo":
            self.redo()

    def ask_reason(self) -> None:
        """Start excluding the paper shown: a reason (or none) is confirmed with Enter."""
        if not self.current_id:
            self.app.fail("screening: no paper to screen (the selection is empty)")
            return
        self.excluding, self.reason = True, ""

    def pick_reason(self, number: int) -> None:
        """Reason ``number`` (1-based) of :attr:`AppState.reason_keys` for the exclusion."""
        reasons = self.app.reason_keys
        if not 1 <= number <= len(reasons):
            self.app.fail(f"screening: no reason {number}; reasons 1–{len(reasons)}")
            return
        self.ask_reason()
        if self.excluding:
            self.reason = reasons[number - 1]

    def move(self, step: int) -> None:
        if len(self._queue):
            self.pos = max(0, min(len(self._queue) - 1, self.pos + step))

    def decide(self, decision: str, reason: str | None = None) -> bool:
        """Decide the paper shown and go on to the next unscreened one."""
        if not self.current_id:
            self.app.fail("screening: no paper to screen (the selection is empty)")
            return False
        # the app's notifications (changes, status) wait until the next paper is shown:
        # the views redraw the next paper once instead of the decided one first
        with self.app.hold_trait_notifications():
            return self._decide(decision, reason)

    def _decide(self, decision: str, reason: str | None) -> bool:
        if not self.app.decide(decision, reason=reason or None, ids=[self.current_id]):
            return False
        self.excluding, self.reason = False, ""
        self.since_rank += 1
        due = self.rerank_every and self.since_rank >= self.rerank_every
        if self.order == "priority" and due and not self.background:
            self.rerank()
            return True
        self._count()
        nxt = self._next_unscreened(self.pos)
        if nxt is None:
            self.app.say(f"all {self.total:,} papers screened")
            self.move(1)
        else:
            self.pos = nxt
        if self.order == "priority" and due:
            self.rerank()  # in the background: the next paper is already shown
        return True

    def undo(self) -> None:
        """Undo the latest change and show the paper it touched."""
        self._show(self.app.undo())

    def redo(self) -> None:
        """Redo what was undone and show the paper it touched."""
        self._show(self.app.redo())

    def _show(self, paper_id: str | None) -> None:
        self._count()
        found = np.flatnonzero(self._queue == paper_id) if paper_id else np.array([], dtype=np.intp)
        if len(found):
            self.pos = int(found[0])
