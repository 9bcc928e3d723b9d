"""The charts of the current selection, redrawn once per selection change and only
when the tab is visible."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from litreview.app.state import AppState


class ChartsView:
    """The figures of :meth:`AppState.figures`, one Output each; call :meth:`shown` on tab open.

    Figures go out as the plotly MIME bundle, drawn by the plotly.js JupyterLab and
    Voila already load once (a FigureWidget would ship all of plotly.js per chart).
    """

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._visible = False
        self._drawn_revision = -1
        #: How many times the charts were drawn (tests check "once per change").
        self.draws = 0
        self._note = widgets.HTML()
        self._grid = widgets.GridBox(
            layout=widgets.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))")
        )
        self.widget = widgets.VBox([self._note, self._grid])
        self.widget.add_class("lr-charts")
        state.observe(self._on_revision, names="revision")

    def shown(self, visible: bool = True) -> None:
        self._visible = visible
        if visible and self._drawn_revision != self._state.revision:
            self._draw()

    def _on_revision(self, _change: Any) -> None:
        if self._visible:
            self._draw()

    def _draw(self) -> None:
        s = self._state
        self._drawn_revision = s.revision
        figures = s.figures()
        if figures is None:
            return
        self.draws += 1
        while len(self._grid.children) < len(figures):
            self._grid.children = (*self._grid.children, widgets.Output())
        for out, fig in zip(self._grid.children, figures.values(), strict=False):
            out.outputs = ({"output_type": "display_data", "data": bundle(fig), "metadata": {}},)
        self._note.value = f"Charts of the current selection: {s.n_matched:,} papers."


def bundle(fig: go.Figure) -> dict[str, Any]:
    """The MIME bundle of ``fig`` sized for the grid (a chart that sets a taller height,
    one bar per term or tag, keeps it, so no label is dropped)."""
    height = max(360, int(fig.layout.height or 0))
    fig = go.Figure(fig).update_layout(height=height, margin={"t": 48, "b": 40})
    return {
        "application/vnd.plotly.v1+json": {
            "config": {"displaylogo": False},
            **json.loads(fig.to_json()),
        },
        "text/plain": f"<Figure: {fig.layout.title.text or 'chart'}>",
    }
