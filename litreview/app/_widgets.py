"""Two tiny front-end widgets ipywidgets lacks: a clickable table and the app's keyboard.

Both are anywidgets (plain ES modules, no build step). The front end only
reports what happened (``{"open": id}``, ``{"key": "i"}``); Python decides what
it means, so tests drive them with :meth:`PaperTable.click` / :meth:`AppKeys.press`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

_TABLE_ESM = r"""
function cell(td, key, row) {
  const value = row[key] ?? "";
  if (key === "title") {
    const t = document.createElement("div");
    t.className = "lr-title";
    t.textContent = value;
    td.appendChild(t);
    if (row.authors) {
      const sub = document.createElement("div");
      sub.className = "lr-sub";
      sub.textContent = row.authors;
      td.appendChild(sub);
    }
  } else if (key === "decision") {
    const chip = document.createElement("span");
    chip.className = "lr-chip lr-chip-" + (value || "unscreened");
    chip.textContent = value || "–";
    td.appendChild(chip);
  } else if (key === "tags") {
    for (const tag of value ? value.split(", ") : []) {
      const chip = document.createElement("span");
      chip.className = "lr-tagchip";
      chip.textContent = tag;
      td.appendChild(chip);
    }
  } else if (key === "code") {
    if (value) { td.textContent = "</>"; td.title = "links to code"; }
  } else {
    td.textContent = value;
  }
}
function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "lr-table-wrap";
  el.appendChild(wrap);
  const reveal = () => setTimeout(() => {  // the paper panel, when it sits below the table
    const panel = el.closest(".litreview-app")?.querySelector(".lr-reader");
    if (panel && panel.getBoundingClientRect().top >= wrap.getBoundingClientRect().bottom - 4)
      panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, 250);
  const draw = () => {
    const cols = model.get("columns");
    const rows = model.get("rows");
    const selected = model.get("selected");
    const table = document.createElement("table");
    table.className = "lr-table";
    const group = document.createElement("colgroup");
    for (const [key] of cols) {
      const col = document.createElement("col");
      col.className = "lr-colw-" + key;
      group.appendChild(col);
    }
    table.appendChild(group);
    const head = table.createTHead().insertRow();
    for (const [key, label] of cols) {
      const th = document.createElement("th");
      th.textContent = label;
      th.className = "lr-col-" + key;
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
        td.className = "lr-col-" + key;
        cell(td, key, row);
      }
      const open = () => { model.send({ open: row.paper_id }); reveal(); };
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => {
        let to = null;
        if (e.key === "Enter") { open(); }
        else if (e.key === "ArrowDown" || e.key === "j") { to = tr.nextElementSibling; }
        else if (e.key === "ArrowUp" || e.key === "k") { to = tr.previousElementSibling; }
        else return;
        e.preventDefault();
        if (to) to.focus();
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
  model.on("change:columns", draw);
  model.on("change:selected", draw);
  draw();
}
export default { render };
"""

_TABLE_CSS = """
.lr-table-wrap { max-height: 640px; overflow-y: auto; overflow-x: hidden;
  scroll-padding-top: 30px; }
.lr-table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 13px; }
.lr-table th { position: sticky; top: 0; z-index: 1; background: var(--jp-layout-color2, #eee);
  text-align: left; padding: 4px 6px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.lr-table td { padding: 3px 6px; border-bottom: 1px solid var(--jp-border-color2, #ddd);
  vertical-align: top; overflow-wrap: break-word; word-break: normal; hyphens: manual; }
.lr-table tbody tr { cursor: pointer; }
.lr-table tbody tr:hover { background: var(--jp-layout-color2, #f3f3f3); }
.lr-table tbody tr:focus { outline: 2px solid #93c5fd; outline-offset: -2px; }
.lr-table tr.lr-selected { background: #dbeafe; }
.lr-table .lr-sub { color: #64748b; font-size: 11px; }
.lr-table col.lr-colw-date { width: 84px; }
.lr-table col.lr-colw-decision { width: 88px; }
.lr-table col.lr-colw-tags { width: 16%; }
.lr-table col.lr-colw-code { width: 50px; }
.lr-table col.lr-colw-score { width: 58px; }
.lr-table td.lr-col-date, .lr-table td.lr-col-score { white-space: nowrap; color: #475569; }
.lr-table td.lr-col-code { color: #0f766e; font-family: monospace; white-space: nowrap; }
.lr-chip { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11px;
  line-height: 18px; white-space: nowrap; }
.lr-chip-include { background: #dcfce7; color: #166534; }
.lr-chip-maybe { background: #fef3c7; color: #92400e; }
.lr-chip-exclude { background: #fee2e2; color: #991b1b; }
.lr-chip-unscreened { color: #94a3b8; }
.lr-tagchip { display: inline-block; margin: 0 3px 2px 0; padding: 0 5px; border-radius: 3px;
  background: #e0e7ff; color: #3730a3; font-size: 11px; overflow-wrap: anywhere; }
.lr-table .lr-empty { color: #666; font-style: italic; }
"""

_KEYS_ESM = r"""
const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
function attach(model, el, root) {
  root.tabIndex = -1;  // a click anywhere in the app keeps the focus (and the keys) in it
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const typing = (t) => t && (TYPING.has(t.tagName) || t.isContentEditable);
  // capture phase: text boxes (ipywidgets' own handlers stop their keys) see Enter and Esc
  const onField = (e) => {
    const target = e.target;
    if (!typing(target) || e.ctrlKey || e.metaKey) return;
    if (e.key === "Escape") {  // back to the keys
      e.preventDefault();
      target.blur();
      root.focus({ preventScroll: true });
    } else if (e.key === "Enter" && target.tagName !== "TEXTAREA") {
      const field = model.get("fields").find((f) => target.closest("." + f));
      if (field) model.send({ key: "Enter", field });
    }
  };
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey) return;  // Ctrl/Cmd shortcuts (save, copy) stay the page's
    e.stopPropagation();  // no key ever reaches JupyterLab or Voila from inside the app
    if (e.type !== "keydown") return;
    const target = e.target;
    if (typing(target)) return;
    if (e.altKey) return;
    const scope = root.querySelector(model.get("scope"));
    if (!scope || scope.offsetParent === null) return;  // the tab with the keys is not shown
    if (target && target.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return;
    const focus = model.get("focus")[e.key];
    if (focus) {
      const box = scope.querySelector(focus);
      if (box) { e.preventDefault(); box.focus(); }
      return;
    }
    if (!model.get("shortcuts").includes(e.key)) return;
    e.preventDefault();
    model.send({ key: e.key });
  };
  const types = ["keydown", "keypress", "keyup"];
  for (const type of types) root.addEventListener(type, onKey);
  root.addEventListener("keydown", onField, true);
  return () => {
    for (const type of types) root.removeEventListener(type, onKey);
    root.removeEventListener("keydown", onField, true);
  };
}
function render({ model, el }) {
  el.className += " lr-keyguard";
  let detach = null;
  let tries = 0;
  const find = () => {  // the app's root exists once this view is in the page
    const root = el.closest(".litreview-app");
    if (root) detach = attach(model, el, root);
    else if (tries++ < 200) setTimeout(find, 50);
  };
  find();
  return () => { if (detach) detach(); };
}
export default { render };
"""

_KEYS_CSS = """
.litreview-app:focus { outline: none; }
.lr-keyguard { display: none; }
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


class AppKeys(anywidget.AnyWidget):  # type: ignore[misc]
    """The app's keyboard: no key pressed inside the app reaches the page around it
    (JupyterLab's command mode, Voila), and the app's own keys are reported.

    ``shortcuts`` are reported while the element matching ``scope`` (a CSS selector in
    the app) is shown and focus is not in a text box; ``focus`` maps a key to a text box
    in that scope to focus (``t`` -> the tag box); Enter in a text box inside an element
    with one of the ``fields`` classes is reported with that class as ``field``.
    """

    _esm = traitlets.Unicode(_KEYS_ESM).tag(sync=True)
    _css = traitlets.Unicode(_KEYS_CSS).tag(sync=True)
    shortcuts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    scope = traitlets.Unicode(".lr-screening").tag(sync=True)
    focus = traitlets.Dict(value_trait=traitlets.Unicode()).tag(sync=True)
    fields = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, on_key: Callable[[str, str], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_key = on_key
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        key, field = content.get("key"), content.get("field")
        if isinstance(field, str) and key == "Enter" and field in self.fields:
            self._on_key(key, field)
        elif field is None and key in self.shortcuts:
            self._on_key(key, "")

    def press(self, key: str, field: str = "") -> None:
        """What pressing ``key`` in the browser does (in the text box of class ``field``)."""
        self._message(self, {"key": key, "field": field or None}, [])
