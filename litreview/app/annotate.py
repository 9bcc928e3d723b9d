"""Annotate the open paper: decision (exclude asks why), tags, note, rating."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import traitlets

from litreview.app._bind import Quiet, button, guard, hidden
from litreview.app._debounce import Debouncer
from litreview.app._html import esc
from litreview.app.fields_view import FieldsView
from litreview.app.fulltext_view import FulltextView
from litreview.app.patch import annotation_of
from litreview.app.state import AppState
from litreview.review.edits import RATINGS

#: Seconds of no typing before the note is saved (it is also saved before switching papers).
NOTE_DELAY = 0.8
STYLES = {"include": "success", "maybe": "warning", "exclude": "danger"}


class AnnotateView:
    """Buttons and boxes acting on the paper ``source.<name>``; ``decide(decision, reason)``
    defaults to :meth:`AppState.decide`. With ``screen`` (the screening tab, whose
    decision bar decides) only tags, note and rating are shown."""

    def __init__(
        self,
        state: AppState,
        source: traitlets.HasTraits | None = None,
        name: str = "current_id",
        *,
        decide: Callable[[str, str | None], Any] | None = None,
        screen: bool = False,
    ) -> None:
        self._state = state
        self._source = source if source is not None else state
        self._name = name
        self._decide = decide or (lambda d, r: state.decide(d, reason=r))
        self._quiet = Quiet()
        self._shown_id = ""
        self._decision = {
            d: button(
                d.capitalize(), f"lr-{d}", tooltip=f"{d.capitalize()} this paper", width="84px"
            )
            for d in STYLES
        }
        self._reason = widgets.Combobox(
            options=state.reasons, placeholder="why? pick or type a new reason", ensure_option=False
        )
        self._reason.add_class("lr-reason")
        self._reason_ok = button("Exclude", "lr-exclude-confirm", style="danger")
        self._reason_cancel = button("Cancel", "lr-exclude-cancel")
        self._reason_row = widgets.HBox([self._reason, self._reason_ok, self._reason_cancel])
        self._tags = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._tags.add_class("lr-tags")
        self._no_tags = widgets.HTML('<span style="color:#94a3b8">none</span>')
        self._chips_of: tuple[str, ...] | None = None
        self._new_tag = widgets.Combobox(
            options=state.all_tags, placeholder="add a tag (existing or new)", ensure_option=False
        )
        self._new_tag.add_class("lr-new-tag")
        if screen:
            self._new_tag.add_class("lr-screen-tag")
        self._add_tag = button("Add tag", "lr-add-tag", width="80px")
        self._note = widgets.Textarea(
            placeholder="Note (saved as you type)", continuous_update=True, rows=3
        )
        self._note.layout.width = "100%"
        self._note.add_class("lr-note")
        self._note_state = widgets.HTML()
        self._note_state.add_class("lr-note-state")
        self._reason_state = widgets.HTML()
        self._reason_state.add_class("lr-reason-state")
        self._save_note = Debouncer(NOTE_DELAY, guard(state, self._save))
        self._rating = widgets.ToggleButtons(
            options=[("–", 0)] + [(str(i), i) for i in RATINGS], description="rating"
        )
        self._rating.style.button_width = "34px"
        self._rating.style.description_width = "50px"
        self._rating.add_class("lr-rating")
        self._fields = FieldsView(state, self._source, name)  # the review's extraction fields
        self._fulltext = FulltextView(state, self._source, name)  # shown at the full-text stage
        self._wire()
        decisions = widgets.HBox([*self._decision.values(), self._reason_state],
                                 layout=widgets.Layout(align_items="center"))  # fmt: skip
        hidden(decisions, screen)
        line = widgets.Layout(align_items="center", flex_flow="row wrap")
        self.widget = widgets.VBox(
            [
                decisions,
                self._reason_row,
                widgets.HBox(
                    [widgets.HTML("<b>Tags</b>&nbsp;"), self._tags, self._new_tag, self._add_tag],
                    layout=line,
                ),
                widgets.HBox([widgets.HTML("<b>Note</b>&nbsp;"), self._note_state], layout=line),
                self._note,
                self._rating,
                self._fields.widget,
                self._fulltext.widget,
            ]
        )
        self.widget.add_class("lr-annotate")
        hidden(self._reason_row, True)
        self._draw()

    @property
    def paper_id(self) -> str:
        return str(getattr(self._source, self._name))

    def _wire(self) -> None:
        s = self._state
        for d, b in self._decision.items():
            b.on_click(guard(s, lambda _b, d=d: self._on_decision(d)))
        self._reason_ok.on_click(guard(s, lambda _b: self._exclude()))
        self._reason_cancel.on_click(lambda _b: hidden(self._reason_row, True))
        self._add_tag.on_click(guard(s, lambda _b: self._on_add_tag()))
        self._note.observe(self._on_note, names="value")
        self._rating.observe(guard(s, self._on_rating), names="value")
        self._source.observe(lambda _c: self._switch(), names=self._name)
        s.observe(self._on_changes, names="changes")
        s.observe(self._on_lists, names=["all_tags", "reasons"])

    # -- actions ---------------------------------------------------------------------------

    def _on_decision(self, decision: str) -> None:
        if not self.paper_id:
            self._state.fail("annotate: open a paper first")
            return
        if decision == "exclude":
            hidden(self._reason_row, False)
            return
        self._decide(decision, None)

    def enter(self, field: str) -> None:
        """Enter pressed in the reason box (``lr-reason``: exclude) or the tag box."""
        if field == "lr-reason":
            self._exclude()
        elif field in ("lr-new-tag", "lr-screen-tag"):
            self._on_add_tag()

    def _exclude(self) -> None:
        hidden(self._reason_row, True)
        self._decide("exclude", self._reason.value.strip() or None)

    def _on_add_tag(self) -> None:
        if self._state.add_tag(self._new_tag.value, ids=[self.paper_id] if self.paper_id else None):
            self._new_tag.value = ""

    def _remove_tag(self, tag: str) -> None:
        self._state.remove_tag(tag, ids=[self.paper_id])

    def _on_note(self, change: dict[str, Any]) -> None:
        if self._quiet.on or not self._shown_id:
            return
        self._note_state.value = '<span style="color:#64748b">saving…</span>'
        self._save_note(self._shown_id, change["new"])

    def _save(self, paper_id: str, text: str) -> None:
        if self._state.save_note(paper_id, text):
            self._note_state.value = '<span style="color:#15803d">note saved</span>'
        else:  # the text stays in the box; the status area says why
            self._note_state.value = '<span style="color:#b91c1c">note not saved</span>'

    def flush(self) -> None:
        """Save a note still waiting for its pause (before switching papers or tabs)."""
        self._save_note.flush()

    def _on_rating(self, change: dict[str, Any]) -> None:
        if not self._quiet.on and self.paper_id:
            self._state.rate(self.paper_id, change["new"])

    # -- drawing ---------------------------------------------------------------------------

    def _on_changes(self, _change: Any) -> None:
        changed = self._state.changed_ids
        if changed is None or self.paper_id in changed:
            self._draw()

    def _switch(self) -> None:
        self.flush()
        hidden(self._reason_row, True)
        self._draw()

    def _show_tags(self, tags: tuple[str, ...]) -> None:
        """One chip per tag (click removes it); rebuilt only when the tags change."""
        if tags == self._chips_of:
            return
        self._chips_of = tags
        chips = []
        for tag in tags:
            chip = button(f"{tag} ✕", "lr-tag", tooltip=f"Remove tag {tag!r}")
            chip.layout.width = "auto"
            chip.on_click(guard(self._state, lambda _b, t=tag: self._remove_tag(t)))
            chips.append(chip)
        for old in self._tags.children:
            if old is not self._no_tags:
                old.close()
        self._tags.children = chips or [self._no_tags]

    def _on_lists(self, _change: Any) -> None:
        self._reason.options = self._state.reasons
        self._new_tag.options = self._state.all_tags

    def _draw(self) -> None:
        pid = self.paper_id
        self.widget.layout.visibility = "visible" if pid else "hidden"
        if not pid:
            self._shown_id = ""
            return
        shown = annotation_of(self._state.paper(pid))
        for d, b in self._decision.items():
            b.button_style = STYLES[d] if d == shown.decision else ""
        self._show_tags(shown.tags)
        with self._quiet():
            text = shown.note or ""
            same = pid == self._shown_id
            typing = same and (self._save_note.pending or self._note.value.strip() == text)
            if not typing:  # never rewrite what is being typed (e.g. a trailing space)
                self._note.value = text
                self._note_state.value = ""
            self._rating.value = shown.rating or 0
        excluded = shown.decision == "exclude" and shown.reason is not None
        self._reason_state.value = (
            f'<span style="color:#b91c1c">excluded: {esc(shown.reason)}</span>' if excluded else ""
        )
        self._shown_id = pid
