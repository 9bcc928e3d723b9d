"""The Conflicts tab: the papers whose reviewers disagree, one at a time, with each
reviewer's decision, reason and note, and the review's final decision to record
(see :mod:`litreview.app.conflicts`)."""

from __future__ import annotations

import ipywidgets as widgets

from litreview.app._bind import button, guard, hidden
from litreview.app._html import esc
from litreview.app.paper import PaperView
from litreview.app.state import AppState

COLOURS = {"include": "#15803d", "exclude": "#b91c1c", "maybe": "#a16207"}


def decisions_html(rows: list[dict[str, str]]) -> str:
    """Each reviewer's decision, reason and note as a small table.

    >>> "ada" in decisions_html([{"reviewer": "ada", "decision": "include", "reason": "",
    ...                          "note": "fits"}])
    True
    """
    cell = "padding:2px 16px 2px 0;text-align:left;vertical-align:top"
    lines = [
        f'<tr><td style="{cell}"><b>{esc(r["reviewer"])}</b></td>'
        f'<td style="{cell};color:{COLOURS.get(r["decision"], "#475569")}">'
        f"{esc(r['decision'])}</td>"
        f'<td style="{cell}">{esc(r["reason"])}</td><td style="{cell}">{esc(r["note"])}</td></tr>'
        for r in rows
        if r["decision"] != "unscreened"  # the resolver's own empty column, say
    ]
    if not lines:
        return ""
    head = "".join(
        f'<th style="{cell}">{h}</th>' for h in ("reviewer", "decision", "reason", "note")
    )
    return f'<table class="lr-conflict-table"><tr>{head}</tr>{"".join(lines)}</table>'


class ConflictsView:
    """Queue position, the paper, the reviewers' decisions and the resolution bar."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        queue = state.conflicts
        self._label = widgets.HTML()
        self._label.add_class("lr-conflicts-label")
        self._prev = button("◀", "lr-conflict-prev", tooltip="Previous conflict", width="40px")
        self._next = button("▶", "lr-conflict-next", tooltip="Next conflict", width="40px")
        self._blocked = widgets.HTML()
        self._blocked.add_class("lr-conflicts-blocked")
        self._table = widgets.HTML()
        self._table.add_class("lr-conflict-decisions")
        self._final = {
            d: button(f"Final: {d}", f"lr-resolve-{d}", style=s, width="118px")
            for d, s in (("include", "success"), ("maybe", "warning"), ("exclude", "danger"))
        }
        self._reason = widgets.Combobox(
            placeholder="reason (for the final exclusion)", ensure_option=False
        )
        self._reason.layout.width = "240px"
        self._reason.add_class("lr-resolve-reason")
        for d, b in self._final.items():
            b.on_click(guard(state, lambda _b, d=d: self.resolve(d)))
        self._prev.on_click(guard(state, lambda _b: queue.move(-1)))
        self._next.on_click(guard(state, lambda _b: queue.move(1)))
        self._paper = PaperView(state, queue, "current_id", similar=False)
        self._bar = widgets.HBox(
            [*self._final.values(), self._reason],
            layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
        )
        queue.observe(lambda _c: self._draw(), names=["current_id", "version", "blocked"])
        state.observe(lambda _c: self._on_reasons(), names="reasons")
        state.observe(self._on_changes, names="changes")
        self._visible = False
        self._seen_remote = state.remote_changes
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self._prev, self._label, self._next],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self._blocked,
                self._bar,
                self._table,
                self._paper.widget,
            ]
        )
        self.widget.add_class("lr-conflicts")
        self._on_reasons()
        self._draw()

    def shown(self, visible: bool = True) -> None:
        """The tab became visible (or hidden): read the queue again if annotations changed."""
        self._visible = visible
        if visible:
            self._state.conflicts.ensure()

    def _on_changes(self, _change: object) -> None:
        remote = self._state.remote_changes
        if remote != self._seen_remote or self._state.changed_ids is None:
            self._seen_remote = remote  # another client's change, an undo, a reload
            if self._visible:
                self._state.conflicts.refresh()

    def resolve(self, decision: str) -> None:
        reason = self._reason.value.strip() or None
        if self._state.conflicts.resolve(
            decision, reason=reason if decision == "exclude" else None
        ):
            self._reason.value = ""

    def _on_reasons(self) -> None:
        self._reason.options = self._state.reasons

    def _draw(self) -> None:
        queue = self._state.conflicts
        stage = "full text" if self._state.stage == "fulltext" else "title/abstract"
        where = f" · conflict {queue.pos + 1:,} of {queue.open_count:,}" if queue.ids else ""
        self._label.value = (
            f'<span style="padding:0 8px"><b>{queue.open_count:,}</b> open conflict'
            f"{'s' * (queue.open_count != 1)} at {stage} · {queue.resolved_count:,} resolved"
            f"{where}</span>"
        )
        self._blocked.value = (
            f'<div class="lr-help" style="background:#f1f5f9;padding:2px 8px">'
            f"{esc(queue.blocked)}</div>"
            if queue.blocked
            else ""
        )
        hidden(self._blocked, not queue.blocked)
        pid = queue.current_id
        hidden(self._bar, not pid or bool(queue.blocked))
        self._table.value = decisions_html(queue.decisions(pid)) if pid else (
            '<div style="color:#666">No open conflict: every paper the reviewers disagree '
            "on has a final decision.</div>"
        )  # fmt: skip
        self._prev.disabled = queue.pos <= 0
        self._next.disabled = queue.pos >= len(queue.ids) - 1
        self._paper.widget.layout.display = None if pid else "none"
