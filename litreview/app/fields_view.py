"""The extraction form of the paper view: one input per field of the review (text and
number boxes that save on Enter or leaving the box, a choice list, yes/no buttons), the
field's description as its tooltip, and the reason a value was refused beside it
(see :mod:`litreview.app.fields`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from litreview.app._bind import Quiet, guard, hidden
from litreview.app._html import esc
from litreview.app.state import AppState
from litreview.review.fields import FieldDef

YESNO = [("–", ""), ("yes", "yes"), ("no", "no")]


def field_input(field: FieldDef) -> Any:
    """The widget a field is typed in.

    >>> type(field_input(FieldDef.of("design", "choice", options=["RCT"]))).__name__
    'Dropdown'
    """
    if field.kind == "choice":
        box: Any = widgets.Dropdown(options=[("–", ""), *[(o, o) for o in field.options]])
    elif field.kind == "yesno":
        box = widgets.ToggleButtons(options=YESNO)
        box.style.button_width = "46px"
    else:
        hint = "a number" if field.kind == "number" else "text"
        box = widgets.Text(placeholder=f"{hint}, Enter saves", continuous_update=False)
    box.description = field.name
    box.tooltip = field.description or f"{field.name} ({field.kind})"
    box.style.description_width = "120px"
    box.add_class(f"lr-field-{field.name}")
    return box


def shown(field: FieldDef, value: Any) -> Any:
    """A stored value as its input shows it ('' when unset)."""
    if value is None:
        return ""
    if field.kind == "yesno":
        return "yes" if bool(value) else "no"
    return str(value)


class FieldsView:
    """The form for the paper ``source.<name>``; hidden while the review has no field."""

    def __init__(self, state: AppState, source: traitlets.HasTraits, name: str) -> None:
        self._state, self._source, self._name = state, source, name
        self._quiet = Quiet()
        self._inputs: dict[str, Any] = {}
        self._errors: dict[str, widgets.HTML] = {}
        self._rows = widgets.VBox()
        self.widget = widgets.VBox([widgets.HTML("<b>Extraction</b>"), self._rows])
        self.widget.add_class("lr-fields")
        source.observe(lambda _c: self._draw(), names=name)
        state.observe(self._on_changes, names="changes")
        state.observe(lambda _c: self._build(), names="field_version")
        self._build()

    @property
    def paper_id(self) -> str:
        return str(getattr(self._source, self._name))

    def _build(self) -> None:
        for old in self._rows.children:
            old.close()
        self._inputs, self._errors, rows = {}, {}, []
        for field in self._state.field_defs:
            box = field_input(field)
            error = widgets.HTML()
            error.add_class("lr-field-error")
            box.observe(guard(self._state, lambda c, f=field: self._on_value(f, c)), names="value")
            self._inputs[field.name], self._errors[field.name] = box, error
            rows.append(widgets.HBox([box, error], layout=widgets.Layout(align_items="center")))
        self._rows.children = rows
        self._draw()

    def _on_changes(self, _change: Any) -> None:
        changed = self._state.changed_ids
        if changed is None or self.paper_id in changed:
            self._draw()

    def _on_value(self, field: FieldDef, change: dict[str, Any]) -> None:
        if self._quiet.on or not self.paper_id:
            return
        value = change["new"]
        if field.kind == "yesno":
            value = {"yes": True, "no": False}.get(value)
        ok = self._state.set_field(self.paper_id, field.name, value)
        text = "" if ok else self._state.error.removeprefix("field: ")
        self._errors[field.name].value = f'<span style="color:#b91c1c">{esc(text)}</span>'

    def _draw(self) -> None:
        pid = self.paper_id
        hidden(self.widget, not pid or not self._inputs)
        if not pid:
            return
        with self._quiet():
            for field in self._state.field_defs:
                box = self._inputs.get(field.name)
                if box is not None:
                    box.value = shown(field, self._state.field_value(pid, field.name))
                    self._errors[field.name].value = ""
