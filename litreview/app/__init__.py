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

from litreview.app._bind import button, guard, hidden
from litreview.app._html import esc, status_html
from litreview.app._widgets import AppKeys
from litreview.app.annotate import AnnotateView
from litreview.app.charts_tab import ChartsView
from litreview.app.conflicts_view import ConflictsView
from litreview.app.enrich_view import EnrichView
from litreview.app.export_tab import ExportView
from litreview.app.filters import FilterPanel
from litreview.app.paper import PaperView
from litreview.app.results import ResultsView
from litreview.app.screen_state import KEYS
from litreview.app.screening import FOCUS, ScreeningView
from litreview.app.state import AppState
from litreview.app.team import STAGE_LABELS, STAGES
from litreview.review.core import Review

__all__ = ["AppState", "ReviewApp", "review_app"]

TABS = ("Browse", "Screening", "Conflicts", "Charts", "Export")
#: Text boxes whose Enter does something (the first class that contains the box wins).
FIELDS = ("lr-screen-reason", "lr-screen-tag", "lr-reason", "lr-new-tag")


class ReviewApp(widgets.VBox):
    """The app widget; ``app.state`` is its model (set traits or call methods to drive it)."""

    def __init__(self, state: AppState, **kwargs: Any) -> None:
        self.state = state
        self.filters = FilterPanel(state)
        self.results = ResultsView(state)
        self.enrichment = EnrichView(state)
        self.results.widget.children = (*self.results.widget.children, self.enrichment.widget)
        self.paper = PaperView(state)
        self.annotate = AnnotateView(state)
        self.screening = ScreeningView(state)
        self.conflicts = ConflictsView(state)
        self.charts = ChartsView(state)
        self.exports = ExportView(state)
        self.keyboard = AppKeys(
            on_key=guard(state, self._on_key),
            shortcuts=list(KEYS),
            focus=FOCUS,
            fields=list(FIELDS),
        )
        self._status = widgets.HTML(status_html(state.status, state.error))
        self._status.add_class("lr-status-area")
        self._status.layout = widgets.Layout(flex="1 1 0", min_width="0", height="26px",
                                             overflow="hidden", padding="0 0 0 8px")  # fmt: skip
        state.observe(self._on_status, names=["status", "error"])
        self.reader = widgets.VBox(
            [self.annotate.widget, self.paper.widget],
            layout=widgets.Layout(flex="1 1 400px", min_width="340px", padding="0 0 0 12px"),
        )
        self.reader.add_class("lr-reader")
        state.observe(lambda _c: self._show_reader(), names="current_id")
        self._show_reader()
        browse = widgets.HBox(
            [self.filters.widget, self.results.widget, self.reader],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
        )
        browse.add_class("lr-browse")
        self.tabs = widgets.Tab(
            children=[
                browse,
                self.screening.widget,
                self.conflicts.widget,
                self.charts.widget,
                self.exports.widget,
            ],
            titles=TABS,
        )
        self.tabs.observe(guard(state, self._on_tab), names="selected_index")
        title = widgets.HTML(
            f'<b style="font-size:15px">litreview</b> · {review_label(state.review)}'
        )
        title.layout.flex = "0 0 auto"
        self._undo = button(
            "↶ Undo", "lr-undo", tooltip="Undo your latest change (u)", width="74px"
        )
        self._redo = button("↷ Redo", "lr-redo", tooltip="Redo what you undid (r)", width="74px")
        self._undo.on_click(guard(state, lambda _b: self._undo_redo("undo")))
        self._redo.on_click(guard(state, lambda _b: self._undo_redo("redo")))
        self._reload = button(
            "Reload", "lr-reload", width="72px",
            tooltip="Read the review file again: papers added and annotations made "
            "elsewhere (another notebook, the command line) appear",
        )  # fmt: skip
        self._reload.on_click(guard(state, self._on_reload))
        for b in (self._undo, self._redo, self._reload):
            b.layout.flex = "0 0 auto"  # a long status line never squeezes the buttons
        self._stage = widgets.Dropdown(  # compact: the toolbar fits 1400 px with the sidebar
            options=[(STAGE_LABELS[s], s) for s in STAGES], value=state.stage,
            tooltip="The stage every tab works at: title/abstract, or the full texts of the "
            "papers included at title/abstract",
        )  # fmt: skip
        self._stage.layout = widgets.Layout(width="124px", flex="0 0 auto")
        self._stage.add_class("lr-stage")
        self._stage.observe(guard(state, self._on_stage), names="value")
        self._team = widgets.HTML()
        self._team.layout.flex = "0 0 auto"
        self._team.add_class("lr-team")
        state.observe(lambda _c: self._show_team(), names="stage")
        state.observe(self._on_changes, names="changes")
        self._seen_remote = state.remote_changes
        self._show_team()
        header = widgets.HBox(
            [
                title,
                self._team,
                self._stage,
                self._undo,
                self._redo,
                self._reload,
                self._status,
                self.keyboard,
            ],
            layout=widgets.Layout(align_items="center", flex_flow="row nowrap"),
        )
        header.add_class("lr-toolbar")
        state.flushers.append(self._flush_typing)
        super().__init__([header, self.tabs], **kwargs)
        self.add_class("litreview-app")

    def _show_reader(self) -> None:
        """The paper panel takes room only while a paper is open."""
        hidden(self.reader, not self.state.current_id)

    def _on_key(self, key: str, field: str) -> None:
        if field == "lr-screen-reason" or (not field and self.state.mode == "screen"):
            self.screening.key(key)
        elif field == "lr-screen-tag":
            self.screening.enter(field)
        elif field in ("lr-reason", "lr-new-tag"):
            self.annotate.enter(field)

    def _undo_redo(self, what: str) -> None:
        self._flush_typing()
        if self.state.mode == "screen":
            getattr(self.state.screen, what)()
        else:
            getattr(self.state, what)()

    def _on_status(self, _change: Any) -> None:
        self._status.value = status_html(self.state.status, self.state.error)

    def _flush_typing(self) -> None:
        """Save a note still being typed (its save waits for a pause in typing)."""
        self.annotate.flush()
        self.screening.flush()

    def _on_reload(self, _button: Any) -> None:
        self._flush_typing()
        self.state.reload()

    def _on_tab(self, change: dict[str, Any]) -> None:
        self._flush_typing()
        tab = TABS[change["new"]] if change["new"] is not None else ""
        self.state.mode = "screen" if tab == "Screening" else "browse"
        if tab == "Screening":
            self.screening.shown()
        self.conflicts.shown(tab == "Conflicts")
        self._show_team()  # others' progress may have been read again since
        self.charts.shown(tab == "Charts")
        self.exports.shown(tab == "Export")

    def _on_stage(self, change: dict[str, Any]) -> None:
        self._flush_typing()
        self.state.stage = change["new"]

    def _on_changes(self, _change: Any) -> None:
        remote = self.state.remote_changes  # another client's change (a server review)
        if self.state.changed_ids is None or remote != self._seen_remote:
            self._seen_remote = remote  # reloaded, undone, another stage: counts again
            self._show_team()

    def _show_team(self) -> None:
        """The blind-mode badge; its tooltip gives the others' progress, counts only."""
        badge, tip = self.state.team_text()
        hidden(self._team, not badge)
        colour = "#7c3aed" if badge.startswith("blind") else "#0369a1"
        self._team.value = (
            f'<span class="lr-team-badge" title="{esc(tip)}" style="background:{colour};'
            f'color:white;border-radius:9px;padding:1px 8px;font-size:12px">'
            f"{esc(badge)}</span>"
        )
        if self._stage.value != self.state.stage:
            self._stage.value = self.state.stage

    def select_tab(self, name: str) -> None:
        """Open the tab called ``name`` (Browse, Screening, Charts or Export)."""
        self.tabs.selected_index = TABS.index(name)


def review_label(review: Review) -> str:
    return f"{esc(review.path.name)} · reviewer <b>{esc(review.reviewer)}</b>"


def review_app(
    review: Review, *, export_dir: str | PathLike[str] = "exports", page_size: int = 50
) -> ReviewApp:
    """The review app for ``review``: filters, results, paper, screening, charts, export.

    Exports are written to ``export_dir``; ``page_size`` rows are shown per page.
    """
    return ReviewApp(AppState(review, export_dir=export_dir, page_size=page_size))
