"""The review app: one ipywidgets widget to filter, read, decide, tag, chart and export.

>>> import tempfile, pathlib, litreview
>>> from litreview.app import review_app
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> app = review_app(review)   # show it: put ``app`` last in a cell
>>> app.state.n_total
36

The model (:class:`~litreview.app.state.AppState`) holds the logic; the views
in this package only link and observe it. Nothing is displayed from a constructor.
"""

from __future__ import annotations

from os import PathLike
from typing import Any

import ipywidgets as widgets

from litreview.app._bind import button, guard
from litreview.app._html import status_html
from litreview.app.annotate import AnnotateView
from litreview.app.charts_tab import ChartsView
from litreview.app.export_tab import ExportView
from litreview.app.filters import FilterPanel
from litreview.app.paper import PaperView
from litreview.app.results import ResultsView
from litreview.app.screening import ScreeningView
from litreview.app.state import AppState
from litreview.review.core import Review

__all__ = ["AppState", "ReviewApp", "review_app"]

TABS = ("Browse", "Screening", "Charts", "Export")


class ReviewApp(widgets.VBox):
    """The app widget; ``app.state`` is its model (set traits or call methods to drive it)."""

    def __init__(self, state: AppState, **kwargs: Any) -> None:
        self.state = state
        self.filters = FilterPanel(state)
        self.results = ResultsView(state)
        self.paper = PaperView(state)
        self.annotate = AnnotateView(state)
        self.screening = ScreeningView(state)
        self.charts = ChartsView(state)
        self.exports = ExportView(state)
        self._status = widgets.HTML(status_html(state.status, state.error))
        self._status.add_class("lr-status-area")
        state.observe(self._on_status, names=["status", "error"])
        reader = widgets.VBox(
            [self.annotate.widget, self.paper.widget],
            layout=widgets.Layout(width="440px", flex="0 0 440px", padding="0 0 0 12px"),
        )
        browse = widgets.HBox([self.filters.widget, self.results.widget, reader])
        self.tabs = widgets.Tab(
            children=[browse, self.screening.widget, self.charts.widget, self.exports.widget],
            titles=TABS,
        )
        self.tabs.observe(guard(state, self._on_tab), names="selected_index")
        title = widgets.HTML(
            f'<b style="font-size:15px">litreview</b> · {review_label(state.review)}'
        )
        self._reload = button(
            "Reload", "lr-reload", width="72px",
            tooltip="Read the review file again: papers added and annotations made "
            "elsewhere (another notebook, the command line) appear",
        )  # fmt: skip
        self._reload.on_click(guard(state, self._on_reload))
        header = widgets.HBox([title, self._reload], layout=widgets.Layout(align_items="center"))
        super().__init__([header, self._status, self.tabs], **kwargs)
        self.add_class("litreview-app")

    def _on_status(self, _change: Any) -> None:
        self._status.value = status_html(self.state.status, self.state.error)

    def _flush_typing(self) -> None:
        """Save a note still being typed (its save waits for a pause in typing)."""
        self.annotate.flush()
        self.screening._annotate.flush()

    def _on_reload(self, _button: Any) -> None:
        self._flush_typing()
        self.state.reload()

    def _on_tab(self, change: dict[str, Any]) -> None:
        self._flush_typing()
        tab = TABS[change["new"]] if change["new"] is not None else ""
        self.state.mode = "screen" if tab == "Screening" else "browse"
        if tab == "Screening":
            self.screening.shown()
        self.charts.shown(tab == "Charts")
        self.exports.shown(tab == "Export")

    def select_tab(self, name: str) -> None:
        """Open the tab called ``name`` (Browse, Screening, Charts or Export)."""
        self.tabs.selected_index = TABS.index(name)


def review_label(review: Review) -> str:
    from litreview.app._html import esc

    return f"{esc(review.path.name)} · reviewer <b>{esc(review.reviewer)}</b>"


def review_app(
    review: Review, *, export_dir: str | PathLike[str] = "exports", page_size: int = 50
) -> ReviewApp:
    """The review app for ``review``: filters, results, paper, screening, charts, export.

    Exports are written to ``export_dir``; ``page_size`` rows are shown per page.
    """
    return ReviewApp(AppState(review, export_dir=export_dir, page_size=page_size))
