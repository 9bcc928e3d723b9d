"""The full-text record of a paper, shown at the full-text stage under its annotations:
where the full text is (a URL opens in a new tab, a path is shown as it is), a "not
retrieved" mark and why (see :meth:`litreview.app.team.TeamState.set_fulltext`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from litreview.app._bind import Quiet, button, guard, hidden
from litreview.app._html import esc
from litreview.app.state import AppState


def location_html(location: str) -> str:
    """A link for a URL, the path as text otherwise.

    >>> location_html("https://arxiv.org/pdf/2401.00001")[:48]
    '<a href="https://arxiv.org/pdf/2401.00001" targe'
    >>> location_html("papers/smith2024.pdf")
    '<code>papers/smith2024.pdf</code>'
    """
    if not location:
        return '<span style="color:#94a3b8">no full text recorded yet</span>'
    if location.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(location)}" target="_blank" rel="noopener">{esc(location)}</a>'
    return f"<code>{esc(location)}</code>"


class FulltextView:
    """Location box, link, "not retrieved" and its note for the paper ``source.<name>``."""

    def __init__(self, state: AppState, source: traitlets.HasTraits, name: str) -> None:
        self._state, self._source, self._name = state, source, name
        self._quiet = Quiet()
        self._location = widgets.Text(
            placeholder="URL or file path of the full text, Enter saves", continuous_update=False
        )
        self._location.layout = widgets.Layout(flex="1 1 240px", min_width="160px")
        self._location.add_class("lr-fulltext-location")
        self._link = widgets.HTML()
        self._link.add_class("lr-fulltext-link")
        self._missing = widgets.Checkbox(description="not retrieved", indent=False)
        self._missing.layout.width = "auto"
        self._missing.add_class("lr-not-retrieved")
        self._why = widgets.Text(placeholder="why (paywalled, no reply…)", continuous_update=False)
        self._why.layout = widgets.Layout(flex="1 1 200px", min_width="120px")
        self._why.add_class("lr-not-retrieved-note")
        self._save = button("Save", "lr-fulltext-save", width="56px")
        self._location.observe(guard(state, self._on_location), names="value")
        self._missing.observe(guard(state, self._on_missing), names="value")
        self._why.observe(guard(state, self._on_why), names="value")
        self._save.on_click(
            guard(state, lambda _b: self._on_location({"new": self._location.value}))
        )
        source.observe(lambda _c: self._draw(), names=name)
        state.observe(self._on_changes, names="changes")
        state.observe(lambda _c: self._draw(), names="stage")
        line = widgets.Layout(align_items="center", flex_flow="row wrap")
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [widgets.HTML("<b>Full text</b>&nbsp;"), self._location, self._save],
                    layout=line,
                ),
                self._link,
                widgets.HBox([self._missing, self._why], layout=line),
            ]
        )
        self.widget.add_class("lr-fulltext")
        self._draw()

    @property
    def paper_id(self) -> str:
        return str(getattr(self._source, self._name))

    def _on_changes(self, _change: Any) -> None:
        changed = self._state.changed_ids
        if changed is None or self.paper_id in changed:
            self._draw()

    def _on_location(self, change: dict[str, Any]) -> None:
        if not self._quiet.on and self.paper_id:
            self._state.set_fulltext(self.paper_id, location=str(change["new"]))

    def _on_missing(self, change: dict[str, Any]) -> None:
        if not self._quiet.on and self.paper_id:
            note = self._why.value.strip() or None
            self._state.set_fulltext(self.paper_id, not_retrieved=bool(change["new"]), note=note)

    def _on_why(self, change: dict[str, Any]) -> None:
        if not self._quiet.on and self.paper_id:
            self._state.set_fulltext(self.paper_id, note=str(change["new"]))

    def _draw(self) -> None:
        record = self._state.fulltext_record(self.paper_id) if self.paper_id else {}
        hidden(self.widget, not record)
        if not record:
            return
        with self._quiet():
            self._location.value = record["location"]
            self._missing.value = record["not_retrieved"]
            self._why.value = record["note"]
        self._link.value = location_html(record["location"])
