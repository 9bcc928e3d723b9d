"""The paged results table (only the visible page is sent to the browser) and bulk actions."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from litreview.app._bind import button, guard, hidden
from litreview.app._html import esc
from litreview.app._widgets import PaperTable
from litreview.app.state import AppState

COLUMNS = [["title", "Title"], ["date", "Date"], ["decision", "Decision"], ["tags", "Tags"],
           ["code", "Code"]]  # fmt: skip
#: Shown after the others when the table is sorted by relevance to a query.
SCORE = ["score", "Score"]


def columns(sort: str, query: str) -> list[list[str]]:
    """The table's columns: the score only when it orders the rows.

    >>> [c[0] for c in columns("relevance", "vision")][-1], len(columns("date", "vision"))
    ('score', 5)
    """
    return [*COLUMNS, SCORE] if sort == "relevance" and query.strip() else list(COLUMNS)


class ResultsView:
    """Pager + table + "apply to the whole selection" bar."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._table = PaperTable(on_open=guard(state, state.open), columns=COLUMNS)
        self._table.add_class("lr-results")
        self._prev = button("◀", "lr-prev-page", tooltip="Previous page", width="40px")
        self._next = button("▶", "lr-next-page", tooltip="Next page", width="40px")
        self._page = widgets.HTML()
        self._page.add_class("lr-pager-text")
        self._bulk_what = widgets.Dropdown(options=state.BULK, description="All in selection:")
        self._bulk_what.style.description_width = "110px"
        self._bulk_what.layout.width = "250px"
        self._bulk_value = widgets.Combobox(
            options=state.all_tags, placeholder="tag / reason", ensure_option=False
        )
        self._bulk_value.layout.width = "160px"
        self._bulk_apply = button("Apply…", "lr-bulk-apply", tooltip="Asks before changing")
        self._confirm_text = widgets.HTML()
        self._confirm_yes = button("Yes, apply", "lr-bulk-yes", style="warning")
        self._confirm_no = button("Cancel", "lr-bulk-no")
        self._confirm = widgets.HBox([self._confirm_text, self._confirm_yes, self._confirm_no])
        self._wire()
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self._prev, self._page, self._next],
                    layout=widgets.Layout(
                        flex_flow="row nowrap", align_items="center", overflow="hidden"
                    ),
                ),
                self._table,
                widgets.HBox(
                    [self._bulk_what, self._bulk_value, self._bulk_apply],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self._confirm,
            ],
            layout=widgets.Layout(flex="1 1 520px", min_width="420px", width="auto"),
        )
        self._draw()
        self._show_confirm()

    def _wire(self) -> None:
        s = self._state
        self._prev.on_click(guard(s, lambda _b: s.go_page(s.page - 1)))
        self._next.on_click(guard(s, lambda _b: s.go_page(s.page + 1)))
        self._bulk_apply.on_click(
            guard(s, lambda _b: s.request_bulk(self._bulk_what.value, self._bulk_value.value))
        )
        self._confirm_yes.on_click(guard(s, lambda _b: s.confirm_bulk()))
        self._confirm_no.on_click(guard(s, lambda _b: s.cancel_bulk()))
        s.observe(lambda _c: self._draw(), names=["revision", "page"])
        s.observe(lambda _c: self._draw(), names="mode")
        s.observe(self._on_current, names="current_id")
        s.observe(lambda _c: self._show_confirm(), names="confirm")
        s.observe(self._on_lists, names=["all_tags", "reasons"])

    def _draw(self) -> None:
        s = self._state
        if s.mode != "browse":  # hidden behind the screening tab: drawn when shown again
            return
        self._table.columns = columns(s.sort, s.applied_query)
        self._table.rows = s.page_rows()
        self._table.selected = s.current_id
        self._page.value = (
            '<span style="padding:0 8px;white-space:nowrap">'
            f"page {s.page + 1:,} of {s.n_pages:,} · {esc(s.count_text())}</span>"
        )
        self._prev.disabled = s.page == 0
        self._next.disabled = s.page >= s.n_pages - 1

    def _on_current(self, change: dict[str, Any]) -> None:
        self._table.selected = change["new"]

    def _on_lists(self, _change: Any) -> None:
        s = self._state
        self._bulk_value.options = list(dict.fromkeys([*s.all_tags, *s.reasons]))

    def _show_confirm(self) -> None:
        text = self._state.confirm
        self._confirm_text.value = f"<b>{esc(text)}</b>"
        hidden(self._confirm, not text)
