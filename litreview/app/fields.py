"""Extraction fields in the app's model: the review's typed fields (text, number,
choice, yes/no) and this reviewer's values, set one paper at a time.

:meth:`FieldsState.set_field` checks the value with the review's own rule
(``Review.check_fields``: a wrong type is one status line naming the field and what it
expects, nothing saved), saves it with ``Review.annotate(fields=...)`` (one undoable
step) and mirrors the stored value in the app's table, so ``field:name:value`` queries
see it at once.

>>> import tempfile, pathlib, litreview
>>> from litreview.app.state import AppState
>>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
>>> _ = review.add(litreview.SAMPLE_LISTING)
>>> review.define_field("sample_size", "number")
>>> state = AppState(review)
>>> pid = state.page_ids()[0]
>>> state.set_field(pid, "sample_size", "120"), int(state.paper(pid)["sample_size"])
(True, 120)
>>> state.set_field(pid, "sample_size", "many"), state.error
(False, "field: field 'sample_size' is a number; got 'many'")
>>> review.close()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import traitlets

from litreview.app._action import error_text

if TYPE_CHECKING:
    from litreview.review.core import Review
    from litreview.review.fields import FieldDef


class FieldsState(traitlets.HasTraits):
    """The review's extraction fields (a mixin of :class:`~litreview.app.state.AppState`)."""

    #: Bumped when the field definitions are read again (the paper view rebuilds its form).
    field_version = traitlets.Int(0)

    if TYPE_CHECKING:  # what the model provides
        review: Review
        papers: pd.DataFrame
        selection: pd.DataFrame
        changed_ids: list[str] | None
        changes: int

        def fail(self, message: str) -> None: ...
        def say(self, message: str) -> None: ...

        applied_query: str

        def annotate(self, ids: Any = None, **edit: Any) -> bool: ...
        def refresh(self, *, keep_page: bool = False) -> bool: ...

    def _load_fields(self) -> None:
        defs = self.review.field_definitions()
        if [d.as_json() for d in defs] != [d.as_json() for d in self.field_defs]:
            self._field_defs = defs
            self.field_version += 1

    @property
    def field_defs(self) -> list[FieldDef]:
        """The review's extraction fields, in display order."""
        return list(getattr(self, "_field_defs", []))

    def field_value(self, paper_id: str, name: str) -> Any:
        """This reviewer's value of ``name`` for ``paper_id`` (None when unset)."""
        if name not in self.papers:
            return None
        try:
            value = self.paper(paper_id)[name]  # type: ignore[attr-defined]
        except KeyError:  # not in this stage's table
            return None
        return None if pd.isna(value) else value

    def set_field(self, paper_id: str, name: str, value: Any) -> bool:
        """Record ``value`` (text as typed; None or '' clears) for field ``name``."""
        try:
            checked = dict(self.review.check_fields({name: value}))
        except ValueError as exc:
            self.fail(f"field: {error_text(exc)}")
            return False
        if self.field_value(paper_id, name) == checked[name]:
            return True
        if not self.annotate(paper_id, fields=checked):
            return False
        self._mirror_fields([paper_id])
        if "field:" in self.applied_query.lower():  # searched before the value was mirrored
            self.refresh(keep_page=True)
        self.changes += 1  # the views show the stored value
        return True

    def _mirror_fields(self, paper_ids: list[str]) -> None:
        """The stored field values of ``paper_ids`` into the app's table and selection."""
        stored = self.review.field_columns(pd.Index(paper_ids, dtype=object))
        for frame in (self.papers, self.selection):
            ids = frame["paper_id"].to_numpy(dtype=object)
            for i, pid in enumerate(paper_ids):
                rows = np.flatnonzero(ids == pid)
                for name, column in stored.items():
                    if not len(rows) or name not in frame:
                        continue
                    value = pd.Series(column).iloc[i]
                    try:
                        frame.iloc[rows, int(frame.columns.get_indexer(pd.Index([name]))[0])] = (
                            value
                        )
                    except (TypeError, ValueError):  # a number column turned Float64
                        whole = self.review.field_columns(pd.Index(ids))[name]
                        frame[name] = pd.Series(whole, index=frame.index)
