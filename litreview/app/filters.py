"""The filter panel: query box (debounced, inline errors), ranges, pickers, sort, count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets
import pandas as pd

from litreview.app._bind import Quiet, button, guard, hidden
from litreview.app._debounce import Debouncer
from litreview.app._html import esc, split_keywords
from litreview.app.selection import RANGE_FIELDS, SORTS
from litreview.app.state import AppState
from litreview.schema import DECISIONS

QUERY_DELAY = 0.25
PLACEHOLDER = 'e.g. vision "linear attention" -survey year:>=2023 has:code'
SORT_LABELS = {"relevance": "relevance", "priority": "priority (screening)", "date": "newest",
               "-date": "oldest", "comments": "most comments", "upvotes": "most upvotes",
               "authors": "most authors", "title": "title"}  # fmt: skip


class FilterPanel:
    """Left-hand panel. ``FilterPanel(state).widget`` is the box to show."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._quiet = Quiet()
        self._debounce = Debouncer(QUERY_DELAY, guard(state, self._apply_query))
        self._query = widgets.Text(placeholder=PLACEHOLDER, continuous_update=True)
        self._query.layout.width = "250px"
        self._query.add_class("lr-query")
        self._query_error = widgets.HTML()
        self._query_error.add_class("lr-query-error")
        self._since = widgets.DatePicker(description="from")
        self._until = widgets.DatePicker(description="to")
        self._ranges = {name: self._range(name, column) for name, column in RANGE_FIELDS.items()}
        self._has_code = widgets.ToggleButtons(
            options=[("any", None), ("yes", True), ("no", False)], description="code"
        )
        self._has_code.style.button_width = "52px"
        self._decisions = widgets.SelectMultiple(options=DECISIONS, rows=4, description="decision")
        self._tags = widgets.SelectMultiple(options=state.all_tags, rows=4, description="tags")
        self._sort = widgets.Dropdown(
            options=[(SORT_LABELS[s], s) for s in SORTS], value=state.sort, description="sort"
        )
        self._include = widgets.Text(
            placeholder="include words: a, b, c", continuous_update=False, description="include"
        )
        self._include.add_class("lr-keywords-include")
        self._exclude = widgets.Text(
            placeholder="exclude words: a, b, c", continuous_update=False, description="exclude"
        )
        self._exclude.add_class("lr-keywords-exclude")
        self._count = widgets.HTML()
        self._count.add_class("lr-count")
        self._reset = button(
            "Reset filters", "lr-reset", tooltip="Show all papers (keeps the query)"
        )
        for w in (
            self._since,
            self._until,
            self._has_code,
            self._decisions,
            self._tags,
            self._sort,
            self._include,
            self._exclude,
        ):
            w.style.description_width = "64px"
            w.layout.width = "250px"
        self._wire()
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>Search</b>"),
                self._query,
                self._query_error,
                self._count,
                self._sort,
                widgets.HTML("<b>Filters</b>"),
                self._since,
                self._until,
                *[r for r in self._ranges.values() if r is not None],
                self._has_code,
                self._decisions,
                self._tags,
                self._reset,
                widgets.HTML(
                    '<b>Keywords</b> <mark style="background:#bbf7d0">include</mark> '
                    '<mark style="background:#fecaca">exclude</mark>'
                ),
                self._include,
                self._exclude,
            ],
            layout=widgets.Layout(width="262px", flex="0 0 262px", padding="0 8px 0 0"),
        )
        self.widget.add_class("lr-filters")
        self._show_error()
        self._show_count()
        self._show_keywords()

    def _range(self, name: str, column: str) -> widgets.IntRangeSlider | None:
        values = pd.to_numeric(self._state.papers[column], errors="coerce").dropna()
        if values.empty:
            return None
        lo, hi = int(values.min()), int(values.max())
        if lo == hi:
            return None
        slider = widgets.IntRangeSlider(
            value=(lo, hi), min=lo, max=hi, description=name, continuous_update=False
        )
        slider.style.description_width = "64px"
        slider.layout.width = "250px"
        slider.add_class(f"lr-range-{name}")
        return slider

    def _wire(self) -> None:
        s = self._state
        self._query.observe(self._on_query, names="value")
        self._since.observe(guard(s, self._on_dates), names="value")
        self._until.observe(guard(s, self._on_dates), names="value")
        for name, slider in self._ranges.items():
            if slider is not None:
                slider.observe(guard(s, lambda c, n=name: self._on_range(n, c)), names="value")
        self._has_code.observe(guard(s, self._on_simple("has_code")), names="value")
        self._decisions.observe(guard(s, self._on_multi("decisions")), names="value")
        self._tags.observe(guard(s, self._on_multi("tags")), names="value")
        self._sort.observe(guard(s, self._on_simple("sort")), names="value")
        self._reset.on_click(guard(s, lambda _b: s.reset_filters()))
        self._include.observe(guard(s, lambda c: s.set_keywords(include=c["new"])), names="value")
        self._exclude.observe(guard(s, lambda c: s.set_keywords(exclude=c["new"])), names="value")
        s.observe(self._show_keywords, names=["include_keywords", "exclude_keywords"])
        s.observe(lambda _c: self._show_error(), names="query_error")
        s.observe(lambda _c: self._show_count(), names=["revision", "page"])
        s.observe(self._on_tags_list, names="all_tags")
        s.observe(self._from_state, names=["since", "until", "has_code", "decisions", "tags",
                                           "sort", *[f"{e}_{n}" for n in RANGE_FIELDS
                                                     for e in ("min", "max")]])  # fmt: skip

    # -- widget -> state --------------------------------------------------------------------

    def _on_query(self, change: dict[str, Any]) -> None:
        self._debounce(change["new"])

    def _apply_query(self, text: str) -> None:
        self._state.query = text

    def _on_dates(self, change: dict[str, Any]) -> None:
        if self._quiet.on:
            return
        since, until = self._since.value, self._until.value
        self._state.set_filters(
            since=since.isoformat() if isinstance(since, dt.date) else "",
            until=until.isoformat() if isinstance(until, dt.date) else "",
        )

    def _on_range(self, name: str, change: dict[str, Any]) -> None:
        if self._quiet.on:
            return
        slider = self._ranges[name]
        assert slider is not None
        lo, hi = change["new"]
        self._state.set_filters(
            **{
                f"min_{name}": None if lo <= slider.min else int(lo),
                f"max_{name}": None if hi >= slider.max else int(hi),
            }
        )

    def _on_simple(self, name: str) -> Any:
        def on(change: dict[str, Any]) -> None:
            if not self._quiet.on:
                setattr(self._state, name, change["new"])

        return on

    def _on_multi(self, name: str) -> Any:
        def on(change: dict[str, Any]) -> None:
            if not self._quiet.on:
                setattr(self._state, name, list(change["new"]))

        return on

    # -- state -> widget --------------------------------------------------------------------

    def _from_state(self, _change: Any = None) -> None:
        s = self._state
        with self._quiet():
            self._since.value = _date(s.since)
            self._until.value = _date(s.until)
            self._has_code.value = s.has_code
            self._decisions.value = tuple(d for d in s.decisions if d in DECISIONS)
            self._tags.value = tuple(t for t in s.tags if t in self._tags.options)
            self._sort.value = s.sort
            for name, slider in self._ranges.items():
                if slider is not None:
                    lo, hi = getattr(s, f"min_{name}"), getattr(s, f"max_{name}")
                    slider.value = (
                        slider.min if lo is None else lo,
                        slider.max if hi is None else hi,
                    )

    def _show_keywords(self, _change: Any = None) -> None:
        s = self._state
        pairs = ((self._include, s.include_keywords), (self._exclude, s.exclude_keywords))
        for box, words in pairs:
            if split_keywords(box.value) != words:  # the box keeps what was typed otherwise
                box.value = ", ".join(words)

    def _on_tags_list(self, change: dict[str, Any]) -> None:
        with self._quiet():
            chosen = self._tags.value
            self._tags.options = change["new"]
            self._tags.value = tuple(t for t in chosen if t in change["new"])

    def _show_error(self) -> None:
        error = self._state.query_error
        self._query_error.value = (
            f'<pre style="color:#b91c1c;font-size:12px;margin:2px 0;white-space:pre-wrap">'
            f"{esc(error)}</pre>"
            if error
            else ""
        )
        hidden(self._query_error, not error)

    def _show_count(self) -> None:
        s = self._state
        self._count.value = f"<b>{s.n_matched:,}</b> of {s.n_total:,} papers"


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
