"""Screening mode: the paper first, a compact decision bar above it, keys for everything.

Keys (see :data:`~litreview.app.screen_state.KEYS`): ``i`` include, ``m`` maybe,
``e`` exclude (then ``1``–``9`` for a reason shown on the bar, Enter confirms, Esc
cancels), ``j``/``k`` next/previous, ``u``/``r`` undo/redo, ``t`` the tag box, ``n``
the note (Esc goes back to the keys).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from litreview.app._bind import Quiet, button, guard, hidden
from litreview.app._html import esc
from litreview.app.annotate import AnnotateView
from litreview.app.paper import PaperView
from litreview.app.screen_state import ORDERS
from litreview.app.state import AppState

HELP = ("i include · m maybe · e exclude, 1–9 reason, Enter confirm, Esc cancel · "
        "j/k next/previous · u undo · r redo · t tags · n note")  # fmt: skip
#: Keys that focus a text box of the screening tab (the app's keyboard does it in the page).
FOCUS = {"t": ".lr-screen-tag input", "n": ".lr-note textarea"}


class ScreeningView:
    """The screening tab; call :meth:`shown` when the tab is opened."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._quiet = Quiet()
        self._keys_shown: list[str] | None = None
        self._buttons = {
            d: button(f"{d.capitalize()} ({d[0]})", f"lr-screen-{d}", style=style, width="108px")
            for d, style in (("include", "success"), ("maybe", "warning"), ("exclude", "danger"))
        }
        self._prev = button("◀ k", "lr-screen-prev", tooltip="Previous paper (k)", width="52px")
        self._next = button("j ▶", "lr-screen-next", tooltip="Next paper (j)", width="52px")
        self._progress = widgets.IntProgress(min=0, max=1, value=0)
        self._progress.layout.width = "120px"
        self._progress.add_class("lr-screen-progress")
        self._label = widgets.HTML()
        self._label.add_class("lr-screen-label")
        self._reasons = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._reasons.add_class("lr-screen-reasons")
        self._prompt = widgets.HTML()
        self._prompt.add_class("lr-screen-prompt")
        self._new_reason = widgets.Combobox(
            placeholder="or type a reason, Enter", options=state.reasons, ensure_option=False
        )
        self._new_reason.layout.width = "220px"
        self._new_reason.add_class("lr-screen-reason")
        self._confirm = button("Exclude ⏎", "lr-screen-confirm", style="danger", width="96px")
        self._order = widgets.Dropdown(options=ORDERS, value=state.screen.order)
        self._order.layout.width = "110px"
        self._order.add_class("lr-screen-order")
        self._every = widgets.BoundedIntText(value=state.screen.rerank_every, min=0, max=1000)
        self._every.layout.width = "56px"
        self._every.add_class("lr-screen-every")
        self._restart = button("Re-rank", "lr-screen-restart", tooltip="Rank the queue again now")
        self._team = widgets.HTML()  # the team's progress, counts only (blind mode too)
        self._team.add_class("lr-screen-team")
        state.observe(lambda _c: self._show_team(), names="team_progress")
        self._show_team()
        self._annotate = AnnotateView(state, state.screen, "current_id", screen=True)
        self._paper = PaperView(state, state.screen, "current_id", similar=False)
        self._wire()
        bar = widgets.VBox(
            [
                widgets.HBox(
                    [*self._buttons.values(), self._prev, self._next, self._progress, self._label],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                widgets.HBox(
                    [self._reasons, self._prompt, self._new_reason, self._confirm],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                widgets.HBox(
                    [
                        widgets.HTML("order"),
                        self._order,
                        widgets.HTML("re-rank every"),
                        self._every,
                        widgets.HTML("decisions"),
                        self._restart,
                        widgets.HTML(f'<span class="lr-help">{esc(HELP)}</span>'),
                    ],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
            ]
        )
        bar.add_class("lr-screen-bar")
        bar.children = (*bar.children, self._team)
        self.widget = widgets.VBox([bar, self._paper.widget, self._annotate.widget])
        self.widget.add_class("lr-screening")
        self._on_reasons()
        self._show_progress()
        self._show_exclusion()

    def _wire(self) -> None:
        s, screen = self._state, self._state.screen
        for d, b in self._buttons.items():
            b.on_click(guard(s, lambda _b, d=d: self.key("e" if d == "exclude" else d[0])))
        self._prev.on_click(guard(s, lambda _b: self.key("k")))
        self._next.on_click(guard(s, lambda _b: self.key("j")))
        self._confirm.on_click(guard(s, lambda _b: self.confirm()))
        self._order.observe(guard(s, self._on_order), names="value")
        self._every.observe(guard(s, self._on_every), names="value")
        self._restart.on_click(guard(s, lambda _b: screen.rerank()))
        progress = ["done", "total", "pos", "order_text", "since_rank", "rerank_every", "ranking"]
        screen.observe(lambda _c: self._show_progress(), names=progress)
        screen.observe(lambda _c: self._show_exclusion(), names=["excluding", "reason"])
        s.observe(lambda _c: self._on_reasons(), names="reasons")

    def shown(self) -> None:
        """The tab became visible: rebuild the queue if the selection changed."""
        self._state.screen.ensure()

    def flush(self) -> None:
        """Save a note still waiting for its pause."""
        self._annotate.flush()

    def enter(self, field: str) -> None:
        """Enter in the tab's tag box."""
        self._annotate.enter(field)

    def key(self, key: str) -> None:
        """A key pressed in the tab (or a button standing for one)."""
        if key == "Enter":
            self.confirm()
            return
        self._annotate.flush()
        self._state.screen.key(key)

    def confirm(self) -> None:
        """Exclude with the reason picked, or typed in the reason box."""
        self._annotate.flush()
        screen = self._state.screen
        typed = self._new_reason.value.strip()
        if typed:
            screen.ask_reason()
        if screen.excluding:
            screen.decide("exclude", typed or screen.reason)
            self._new_reason.value = ""

    def _show_team(self) -> None:
        text = self._state.team_progress
        self._team.value = f'<span class="lr-help">others, counts only: {esc(text)}</span>'
        hidden(self._team, not text)

    def _on_order(self, change: dict[str, Any]) -> None:
        if not self._quiet.on:
            self._state.screen.order = change["new"]

    def _on_every(self, change: dict[str, Any]) -> None:
        self._state.screen.rerank_every = int(change["new"] or 0)

    def _on_reasons(self) -> None:
        self._new_reason.options = self._state.reasons
        keys = list(self._state.reason_keys)
        if keys == self._keys_shown:  # the numbered reasons did not change
            return
        self._keys_shown = keys
        chips = []
        for i, reason in enumerate(self._state.reason_keys, start=1):
            chip = button(f"{i} {reason}", "lr-reason-key", tooltip=f"Exclude as {reason!r} ({i})")
            chip.layout.width = "auto"
            chip.on_click(guard(self._state, lambda _b, i=i: self.key(str(i))))
            chips.append(chip)
        for old in self._reasons.children:
            old.close()
        self._reasons.children = chips
        self._show_exclusion()

    def _show_exclusion(self) -> None:
        screen = self._state.screen
        for chip, reason in zip(self._reasons.children, self._state.reason_keys, strict=False):
            chip.button_style = "danger" if screen.excluding and reason == screen.reason else ""
        if screen.excluding:
            picked = f"as <b>{esc(screen.reason)}</b>" if screen.reason else "with no reason yet"
            self._prompt.value = (
                f'<span class="lr-excluding">Exclude {picked}: Enter confirms, Esc cancels</span>'
            )
        else:
            self._prompt.value = '<span class="lr-help">e then 1–9: exclude with a reason</span>'
        hidden(self._new_reason, not screen.excluding)
        hidden(self._confirm, not screen.excluding)

    def _show_progress(self) -> None:
        screen = self._state.screen
        self._progress.max = max(1, screen.total)
        self._progress.value = screen.done
        where = f" · paper {screen.pos + 1:,} of {screen.total:,}" if screen.total else ""
        how = f" · {esc(screen.order_text)}" if screen.order_text else ""
        if screen.ranking:
            how += " · re-ranking…"
        elif screen.order == "priority" and screen.rerank_every and screen.total > screen.done:
            left = max(1, screen.rerank_every - screen.since_rank)
            how += f" · re-ranks in {left} decision{'s' * (left != 1)}"
        self._label.value = (
            f'<span style="padding:0 8px"><b>{screen.done:,}</b> of {screen.total:,} '
            f"screened{where}{how}</span>"
        )
        self._prev.disabled = screen.pos <= 0
        self._next.disabled = screen.pos >= screen.total - 1
        with self._quiet():
            self._order.value = screen.order
