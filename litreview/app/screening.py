"""Screening mode: one paper at a time, keyboard first, with progress."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from litreview.app._bind import button, guard
from litreview.app._widgets import KeyCatcher
from litreview.app.annotate import AnnotateView
from litreview.app.paper import PaperView
from litreview.app.screen_state import KEYS, ORDERS
from litreview.app.state import AppState

HELP = "Keys: i include · m maybe · e exclude · j / → next · k / ← previous · u undo"


class ScreeningView:
    """The screening tab; call :meth:`shown` when the tab is opened."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        screen = state.screen
        self._order = widgets.ToggleButtons(options=ORDERS, value=screen.order, description="order")
        self._order.add_class("lr-screen-order")
        self._restart = button("Re-rank", "lr-screen-restart", tooltip="Rebuild the queue now")
        self._progress = widgets.IntProgress(min=0, max=1, value=0)
        self._progress.add_class("lr-screen-progress")
        self._label = widgets.HTML()
        self._label.add_class("lr-screen-label")
        self._reason = widgets.Dropdown(description="e excludes as")
        self._reason.style.description_width = "100px"
        self._prev = button("◀ Previous (k)", "lr-screen-prev")
        self._next = button("Next (j) ▶", "lr-screen-next")
        self._keys = KeyCatcher(on_key=guard(state, self._on_key), shortcuts=list(KEYS), label=HELP)
        self._keys.add_class("lr-screen-keys")
        self._annotate = AnnotateView(state, screen, "current_id", decide=self._decide)
        self._paper = PaperView(state, screen, "current_id", similar=False)
        self._wire()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self._order, self._restart]),
                widgets.HBox([self._progress, self._label]),
                widgets.HBox([self._prev, self._next, self._reason]),
                self._keys,
                self._annotate.widget,
                self._paper.widget,
            ]
        )
        self.widget.add_class("lr-screening")
        self._on_reasons()
        self._show_progress()

    def _wire(self) -> None:
        s, screen = self._state, self._state.screen
        self._order.observe(guard(s, self._on_order), names="value")
        self._restart.on_click(guard(s, lambda _b: screen.start()))
        self._prev.on_click(guard(s, lambda _b: self._on_key("k")))
        self._next.on_click(guard(s, lambda _b: self._on_key("j")))
        self._reason.observe(self._on_reason, names="value")
        screen.observe(lambda _c: self._show_progress(), names=["done", "total", "pos"])
        s.observe(lambda _c: self._on_reasons(), names="reasons")

    def shown(self) -> None:
        """The tab became visible: rebuild the queue if the selection changed."""
        self._state.screen.ensure()

    def _on_key(self, key: str) -> None:
        self._annotate.flush()
        self._state.screen.key(key)

    def _decide(self, decision: str, reason: str | None) -> Any:
        self._annotate.flush()
        return self._state.screen.decide(decision, reason)

    def _on_order(self, change: dict[str, Any]) -> None:
        self._state.screen.order = change["new"]

    def _on_reason(self, change: dict[str, Any]) -> None:
        self._state.screen.exclude_reason = change["new"] or ""

    def _on_reasons(self) -> None:
        current = self._reason.value
        self._reason.options = [("(no reason)", "")] + [(r, r) for r in self._state.reasons]
        self._reason.value = current if current in self._state.reasons else ""

    def _show_progress(self) -> None:
        screen = self._state.screen
        self._progress.max = max(1, screen.total)
        self._progress.value = screen.done
        where = f" · paper {screen.pos + 1:,} of {screen.total:,}" if screen.total else ""
        how = f" · by {screen.method}" if screen.method else ""
        self._label.value = (
            f'<span style="padding:0 8px"><b>{screen.done:,}</b> of {screen.total:,} '
            f"screened{where}{how}</span>"
        )
        self._prev.disabled = screen.pos <= 0
        self._next.disabled = screen.pos >= screen.total - 1
