"""Export the selection, the included papers or a tag, through :func:`litreview.export`."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from litreview.app._bind import Quiet, button, guard
from litreview.app._html import esc, preview
from litreview.app.display import export_name
from litreview.app.state import AppState
from litreview.writers import formats

#: The format dropdown's (label, name) options, from the one format table.
FORMATS = [(f.label, f.name) for f in formats.FORMATS]
#: Files up to this size also get a download link that works without a file server.
INLINE_BYTES = 2_000_000


class ExportView:
    """Format, what, file name, overwrite; the result shows a link and a preview."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._format = widgets.Dropdown(options=FORMATS, value="bibtex", description="format")
        self._format.add_class("lr-export-format")
        self._what = widgets.Dropdown(description="what")
        self._what.add_class("lr-export-what")
        #: The name the app chose; a name the user typed is never replaced.
        self._auto_name = export_name("selection", formats.get_format("bibtex").suffix)
        self._name = widgets.Text(value=self._auto_name, description="file name")
        self._name.add_class("lr-export-name")
        self._overwrite = widgets.Checkbox(value=False, description="replace an existing file")
        self._go = button("Export", "lr-export-go", style="primary")
        self._result = widgets.HTML()
        self._result.add_class("lr-export-result")
        for w in (self._format, self._what, self._name):
            w.layout.width = "420px"
        self._format.observe(self._on_format, names="value")
        self._quiet = Quiet()  # set while the options are replaced
        self._what.observe(lambda _c: None if self._quiet.on else self._follow(), names="value")
        self._go.on_click(guard(state, lambda _b: self._export()))
        self._visible = False
        self._stale = True
        state.observe(self._on_change, names=["revision", "all_tags"])
        folder = widgets.HTML(f"Files go to <code>{esc(state.export_dir.resolve())}</code>")
        self.widget = widgets.VBox(
            [folder, self._format, self._what, self._name, self._overwrite, self._go, self._result]
        )
        self.widget.add_class("lr-export")
        self._options()

    def shown(self, visible: bool = True) -> None:
        """The tab was opened (or closed): the counts in "what" are refreshed lazily."""
        self._visible = visible
        if visible and self._stale:
            self._options()

    def _on_change(self, _change: Any) -> None:
        self._stale = True
        if self._visible:
            self._options()

    def _options(self) -> None:
        self._stale = False
        s = self._state
        n_inc = int((s.papers["decision"] == "include").sum())
        options = [(f"current selection ({s.n_matched:,} papers)", "selection"),
                   (f"included papers ({n_inc:,})", "included")]  # fmt: skip
        counts = s.papers["tags"].explode().value_counts()
        options += [(f"tag: {t} ({int(counts.get(t, 0)):,})", f"tag:{t}") for t in s.all_tags]
        current = self._what.value
        value = current if current in [v for _, v in options] else "selection"
        if options == list(self._what.options) and value == current:
            return
        # One update, the chosen entry kept: replacing the options alone selects the
        # first one, which sent the page "selection" (and its file name) before the
        # entry chosen came back, a flicker a choice made meanwhile could be lost in.
        with self._quiet(), self._what.hold_sync():
            self._what.options = options
            self._what.value = value
        if value != current:
            self._follow()

    def _follow(self) -> None:
        """The file name follows "what" and the format, unless the user typed one."""
        suffix = formats.get_format(self._format.value).suffix
        if self._name.value == self._auto_name and self._what.value:
            self._auto_name = export_name(self._what.value, suffix)
            self._name.value = self._auto_name

    def _on_format(self, change: dict[str, Any]) -> None:
        if self._name.value == self._auto_name:
            self._follow()
            return
        name = Path(self._name.value)
        if formats.suffix_format(name.suffix) is not None:  # another suffix stays as typed
            self._name.value = str(name.with_suffix(formats.get_format(change["new"]).suffix))

    def _export(self) -> None:
        path = self._state.export(
            self._format.value, self._what.value, self._name.value, overwrite=self._overwrite.value
        )
        if path is None:
            self._result.value = ""
            return
        data = path.read_bytes()
        link = ""
        if len(data) <= INLINE_BYTES:
            mime = formats.get_format(self._format.value).media_type
            href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
            link = (
                f'<a class="lr-download" href="{href}" download="{esc(path.name)}">download</a> · '
            )
        self._result.value = (
            f"<div>Wrote <code>{esc(path.resolve())}</code> ({len(data):,} bytes) · {link}"
            f"{esc(self._state.status)}</div>" + preview(data.decode("utf-8", errors="replace"))
        )
