"""Apply an action to the whole selection, after a confirmation showing the count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

if TYPE_CHECKING:
    import pandas as pd


class BulkActions(traitlets.HasTraits):
    """The model's bulk actions (a mixin of :class:`~litreview.app.state.AppState`)."""

    confirm = traitlets.Unicode("")
    _pending: tuple[str, str, list[str]] | None = None

    if TYPE_CHECKING:  # what the model provides
        selection: pd.DataFrame

        def fail(self, message: str) -> None: ...
        def say(self, message: str) -> None: ...
        def decide(self, decision: str, *, reason: str | None = None, ids: Any = None) -> bool: ...
        def add_tag(self, tag: str, ids: Any = None) -> bool: ...
        def remove_tag(self, tag: str, ids: Any = None) -> bool: ...

    BULK = ("include", "maybe", "exclude", "unscreened", "add tag", "remove tag")

    def request_bulk(self, what: str, value: str = "") -> None:
        """Ask to apply ``what`` to the whole selection; :meth:`confirm_bulk` does it."""
        if what not in self.BULK:
            self.fail(f"bulk: choose one of {', '.join(self.BULK)}")
            return
        if what.endswith("tag") and not value.strip():
            self.fail(f"bulk: type the tag to {what.split()[0]}")
            return
        ids = self.selection["paper_id"].astype(object).tolist() if len(self.selection) else []
        if not ids:
            self.fail("bulk: the selection is empty")
            return
        self._pending = (what, value.strip(), ids)
        label = f"{what} {value.strip()!r}" if what.endswith("tag") else f"mark as {what}"
        self.confirm = f"{label.capitalize()}: {len(ids):,} papers in the selection. Apply?"

    def confirm_bulk(self) -> bool:
        pending, self._pending, self.confirm = self._pending, None, ""
        if pending is None:
            return False
        what, value, ids = pending
        if what == "add tag":
            return self.add_tag(value, ids)
        if what == "remove tag":
            return self.remove_tag(value, ids)
        reason = value if what == "exclude" and value else None
        return self.decide(what, reason=reason, ids=ids)

    def cancel_bulk(self) -> None:
        self._pending, self.confirm = None, ""
        self.say("bulk action cancelled")
