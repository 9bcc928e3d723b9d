"""The paper view: title, date, authors, links, highlighted abstract, history, similar papers."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from litreview.app._bind import button, guard, hidden
from litreview.app._html import history_table, paper_card, query_terms
from litreview.app.state import AppState

N_SIMILAR = 5


class PaperView:
    """Shows the paper whose id is ``source.<name>`` (the browse or the screening paper)."""

    def __init__(
        self,
        state: AppState,
        source: traitlets.HasTraits | None = None,
        name: str = "current_id",
        *,
        similar: bool = True,
    ) -> None:
        self._state = state
        self._source = source if source is not None else state
        self._name = name
        self._card = widgets.HTML()
        self._card.add_class("lr-paper-card")
        self._unlisted = widgets.HTML(
            '<div class="lr-unlisted" style="background:#fef9c3;padding:2px 8px;'
            'border-radius:3px">Not in the selection any more (the query or filters '
            "changed); it stays open until you open another paper.</div>"
        )
        hidden(self._unlisted, True)
        self._history = widgets.HTML()
        self._similar_buttons = [
            button("", f"lr-similar-{i}", width="100%") for i in range(N_SIMILAR)
        ]
        self._similar_ids = [""] * N_SIMILAR
        for i, b in enumerate(self._similar_buttons):
            b.layout.justify_content = "flex-start"
            b.on_click(guard(state, lambda _b, i=i: state.open(self._similar_ids[i])))
        self._similar = widgets.VBox(
            [widgets.HTML("<b>Similar papers</b>"), *self._similar_buttons]
        )
        self._show_similar = similar
        self._similar_of = ""
        self._details = widgets.Accordion(children=[self._history], titles=("History",))
        self._details.selected_index = None
        self._details.observe(lambda _c: self._draw_history(), names="selected_index")
        self.widget = widgets.VBox([self._unlisted, self._card, self._similar, self._details])
        self.widget.add_class("lr-paper")
        self._source.observe(lambda _c: self._draw(), names=name)
        state.observe(self._on_changes, names="changes")
        state.observe(self._on_revision, names="revision")
        state.observe(lambda _c: self._draw_card(), names=["include_words", "exclude_words"])
        if source is None:  # the browse panel: say when its paper left the selection
            state.observe(lambda _c: self._show_listed(), names=["current_listed"])
        self._terms = query_terms(state.applied_query)
        self._draw()

    def _on_changes(self, _change: Any) -> None:
        changed = self._state.changed_ids
        if changed is None or self.paper_id in changed:  # another paper's change: nothing new
            self._draw()

    @property
    def paper_id(self) -> str:
        return str(getattr(self._source, self._name))

    def _on_revision(self, _change: Any) -> None:
        terms = query_terms(self._state.applied_query)
        if terms != self._terms:  # a new query: only the highlighting changes
            self._terms = terms
            self._draw_card()

    def _draw_history(self) -> None:
        """The history, read only while its section is open (a query per paper otherwise)."""
        pid = self.paper_id
        if not pid or self._details.selected_index is None:
            self._history.value = ""
            return
        history = self._state.history(pid)
        self._history.value = history_table(history) if history is not None else ""

    def _show_listed(self) -> None:
        hidden(self._unlisted, self._state.current_listed or not self.paper_id)

    def _draw_card(self) -> None:
        if self.paper_id:
            s = self._state
            self._card.value = paper_card(
                s.paper(self.paper_id), self._terms, s.include_words, s.exclude_words
            )

    def _draw(self) -> None:
        pid = self.paper_id
        hidden(self._similar, not pid or not self._show_similar)
        hidden(self._details, not pid)
        if self._source is self._state:
            self._show_listed()
        if not pid:
            self._card.value = (
                '<div style="color:#666">Click a paper in the table to open it.</div>'
            )
            return
        s = self._state
        self._draw_card()
        self._draw_history()
        if self._show_similar and pid != self._similar_of:
            self._similar_of = pid
            near = s.similar_to(pid, n=N_SIMILAR)
            ids = near["paper_id"].astype(str).tolist() if near is not None else []
            for i, b in enumerate(self._similar_buttons):
                self._similar_ids[i] = ids[i] if i < len(ids) else ""
                title = str(near["title"].iloc[i]) if i < len(ids) else ""
                b.description = title if len(title) < 70 else title[:69] + "…"
                b.tooltip = title
                hidden(b, i >= len(ids))
