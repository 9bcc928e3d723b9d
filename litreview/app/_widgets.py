"""Two tiny front-end widgets ipywidgets lacks: a clickable table and key shortcuts.

Both are anywidgets (plain ES modules, no build step). The front end only
reports what happened (``{"open": id}``, ``{"key": "i"}``); Python decides what
it means, so tests drive them with :meth:`PaperTable.click` / :meth:`KeyCatcher.press`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

_TABLE_ESM = r"""
function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "lr-table-wrap";
  el.appendChild(wrap);
  const draw = () => {
    const cols = model.get("columns");
    const rows = model.get("rows");
    const selected = model.get("selected");
    const table = document.createElement("table");
    table.className = "lr-table";
    const head = table.createTHead().insertRow();
    for (const [, label] of cols) {
      const th = document.createElement("th");
      th.textContent = label;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.tabIndex = 0;
      tr.dataset.id = row.paper_id;
      if (row.paper_id === selected) tr.classList.add("lr-selected");
      for (const [key] of cols) {
        const td = tr.insertCell();
        td.textContent = row[key] ?? "";
        td.className = "lr-col-" + key;
      }
      const open = () => model.send({ open: row.paper_id });
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); open(); }
      });
    }
    if (!rows.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = cols.length;
      td.className = "lr-empty";
      td.textContent = model.get("empty_text");
    }
    wrap.replaceChildren(table);
  };
  model.on("change:rows", draw);
  model.on("change:selected", draw);
  draw();
}
export default { render };
"""

_TABLE_CSS = """
.lr-table-wrap { max-height: 640px; overflow: auto; }
.lr-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.lr-table th { position: sticky; top: 0; background: var(--jp-layout-color2, #eee);
  text-align: left; padding: 4px 6px; }
.lr-table td { padding: 3px 6px; border-bottom: 1px solid var(--jp-border-color2, #ddd);
  vertical-align: top; }
.lr-table tbody tr { cursor: pointer; }
.lr-table tbody tr:hover { background: var(--jp-layout-color2, #f3f3f3); }
.lr-table tr.lr-selected { background: #dbeafe; }
.lr-table .lr-col-title { min-width: 240px; }
.lr-table .lr-col-date, .lr-table .lr-col-authors,
.lr-table .lr-col-decision { white-space: nowrap; }
.lr-table .lr-empty { color: #666; font-style: italic; }
"""

_KEYS_ESM = r"""
const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "lr-keys";
  box.tabIndex = 0;
  box.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = () => { box.textContent = model.get("label"); };
  model.on("change:label", label);
  label();
  el.appendChild(box);
  const onKey = (e) => {
    if (e.__litreviewHandled || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!box.isConnected || box.offsetParent === null) return;  // tab not shown
    const target = e.target;
    if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
    const app = box.closest(".litreview-app");
    const inside = target === document.body || (app && app.contains(target));
    if (!inside) return;
    if (!model.get("shortcuts").includes(e.key)) return;
    e.__litreviewHandled = true;
    e.preventDefault();
    e.stopPropagation();
    box.classList.add("lr-pressed");
    setTimeout(() => box.classList.remove("lr-pressed"), 150);
    model.send({ key: e.key });
  };
  // window, capture phase: runs before JupyterLab's own shortcuts (m, j, k, ...)
  window.addEventListener("keydown", onKey, true);
  return () => window.removeEventListener("keydown", onKey, true);
}
export default { render };
"""

_KEYS_CSS = """
.lr-keys { padding: 4px 8px; border: 1px dashed #94a3b8; border-radius: 4px; color: #475569;
  font-size: 12px; outline: none; }
.lr-keys:focus { border-color: #2563eb; }
.lr-keys.lr-pressed { background: #dbeafe; }
"""


class PaperTable(anywidget.AnyWidget):  # type: ignore[misc]
    """One page of papers as an HTML table; clicking a row (or Enter) reports its id."""

    _esm = traitlets.Unicode(_TABLE_ESM).tag(sync=True)
    _css = traitlets.Unicode(_TABLE_CSS).tag(sync=True)
    columns = traitlets.List(traitlets.List()).tag(sync=True)
    rows = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    empty_text = traitlets.Unicode("No papers match.").tag(sync=True)

    def __init__(self, on_open: Callable[[str], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_open = on_open
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("open"), str):
            self._on_open(content["open"])

    def click(self, paper_id: str) -> None:
        """What a click on the row of ``paper_id`` does (for tests and scripts)."""
        self._message(self, {"open": paper_id}, [])


class KeyCatcher(anywidget.AnyWidget):  # type: ignore[misc]
    """Keyboard shortcuts for the part of the app it sits in.

    Keys pressed while focus is inside the app (not in a text box) and this
    widget is visible are reported to ``on_key`` and kept from JupyterLab.
    """

    _esm = traitlets.Unicode(_KEYS_ESM).tag(sync=True)
    _css = traitlets.Unicode(_KEYS_CSS).tag(sync=True)
    shortcuts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)

    def __init__(self, on_key: Callable[[str], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_key = on_key
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("key") in self.shortcuts:
            self._on_key(content["key"])

    def press(self, key: str) -> None:
        """What pressing ``key`` in the browser does (for tests and scripts)."""
        self._message(self, {"key": key}, [])
