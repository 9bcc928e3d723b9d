"""The review a notebook holds: papers, decisions, tags, notes and their full history
in one file.

>>> import tempfile, pathlib, litreview
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.litreview"
>>> with litreview.Review.open(path, reviewer="ada") as review:
...     print(review.add(litreview.SAMPLE_LISTING))
...     first = review.papers.loc[0, "paper_id"]
...     review.annotate(first, decision="include", tags=["survey"])
...     print(review.papers.loc[0, "decision"], review.tags())
hf-papers-transformers.txt: 36 records, 36 new, 0 updated, 0 unchanged
include ['survey']
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from litreview._gc import gc_paused
from litreview.readers import read_listing_and_format
from litreview.readers.policy import YOUR_TABLE, rank
from litreview.review.actions import ReviewActions
from litreview.review.adding import describe_source, names_open_file, warn_what_add_leaves
from litreview.review.auto_export import ReviewAutoExports, install
from litreview.review.edits import Edit
from litreview.review.enrichment import ReviewEnrichment
from litreview.review.extraction import ExtractionViews
from litreview.review.keys import ReviewKeys, with_key_changes
from litreview.review.live import LiveReview
from litreview.review.reviewers import ReviewerViews
from litreview.review.store import queries
from litreview.review.store.annotations import annotate, as_ids, unknown_ids_error
from litreview.review.store.base import ReviewStore, open_store
from litreview.review.store.connection import ReviewFileError, Store
from litreview.review.store.exchange import ImportReport, OnConflict, export_annotations
from litreview.review.store.exchange import import_annotations as _import_annotations
from litreview.review.store.history import (
    annotation_columns,
    annotation_rows,
    history_frame,
    read_history,
    redo,
    redo_target,
    undo,
    undo_target,
)
from litreview.review.store.paper_file import wait_for_saves
from litreview.review.store.papers import (
    AddSummary,
    add_papers,
    import_changes_frame,
    imports_frame,
)
from litreview.review.store.settings import get_setting, set_setting
from litreview.review.store.table import paper_columns, paper_frame
from litreview.review.tool_decisions import AddReport, import_tool_decisions

__all__ = ["AddSummary", "ImportReport", "Review", "ReviewFileError", "default_reviewer"]

#: Offered by :meth:`Review.reasons` even before anyone used them.
DEFAULT_REASONS = ("off topic", "wrong study type", "duplicate", "not a full paper")


def default_reviewer() -> str:
    """``LITREVIEW_REVIEWER``, else the OS user name, else ``"reviewer"``."""
    name = os.environ.get("LITREVIEW_REVIEWER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "reviewer"
    except (OSError, KeyError):
        return "reviewer"


class Review(
    ReviewKeys,
    ReviewAutoExports,
    ReviewActions,
    ReviewerViews,
    ReviewEnrichment,
    ExtractionViews,
    LiveReview,
):
    """A persistent review (a SQLite file, or a schema on a PostgreSQL server: the same
    behaviour, docs/server.md) seen through one reviewer's eyes.

    Open with :meth:`Review.open`; use as a context manager or call :meth:`close`.
    Searching, ranking, exporting and the app come from :class:`ReviewActions`.
    """

    def __init__(self, store: ReviewStore, reviewer: str) -> None:
        self._store = store
        self.reviewer = reviewer
        install(store)  # the file's auto-exports follow every change (review/auto_export.py)

    @classmethod
    def open(
        cls, path: str | PathLike[str], reviewer: str | None = None, *, create: bool = False
    ) -> Review:
        """Open or create the review at ``path`` (``.litreview`` is the usual suffix).
        ``path`` may be a server review's URL, ``postgresql://USER@HOST:PORT/DB?review=NAME``
        (docs/server.md); its reviewer is then, by default, the connection's role.

        Raises :class:`ReviewFileError` (a ValueError) for a file that is not a
        review, is corrupt, read-only, or comes from a newer litreview; the file is
        untouched. An existing empty (0-byte) file is refused unless ``create=True``.
        Opening a file this process already has open (re-running the cell) shares
        its connection: the old and the new object both keep working.

        >>> import tempfile, pathlib
        >>> review = Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview", reviewer="ada")
        >>> review.reviewer, len(review)
        ('ada', 0)
        >>> review.close()
        """
        if reviewer is not None and (not isinstance(reviewer, str) or not reviewer.strip()):
            raise ValueError(f"reviewer must be a non-empty str, got {reviewer!r}")
        store = open_store(path, create=create)
        try:
            name = reviewer or store.reviewer_name() or default_reviewer()
            return cls(store, name.strip())
        except BaseException:
            store.close()
            raise

    @property
    def path(self) -> Path:
        """The review file (for a server review: the local path its side files are named by)."""
        return self._store.path

    @property
    def location(self) -> str | Path:
        """What :meth:`open` takes to open this review again: its file, or its server URL."""
        return self._store.path if isinstance(self._store, Store) else self._store.location

    def close(self) -> None:
        """Close the file (every change is already saved; a copy of the paper table
        still being written beside it is finished first)."""
        if not self._store.closed:
            wait_for_saves(self._store)
        self._store.close()

    def __enter__(self) -> Review:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __len__(self) -> int:
        return queries.paper_count(self._store)

    def __repr__(self) -> str:
        state = "closed" if self._store.closed else f"{len(self):,} papers"
        return f"<Review {self._store.location!r} reviewer={self.reviewer!r} {state}>"

    # -- papers --------------------------------------------------------------------------

    def add(self, source: Any, *, year: int | None = None) -> AddReport:
        """Import papers from a listing (anything :func:`litreview.read_listing` reads)
        or a DataFrame in the schema. Known papers (same paper_id, arXiv id or
        normalized title) are updated. Decisions another tool exported with the records
        (ASReview labels, Rayyan notes, Covidence columns) become annotations under its
        reviewers, as one undoable step that never overwrites the review's own
        (:mod:`litreview.review.tool_decisions`); ``.decisions`` counts them per reviewer.

        >>> import tempfile, pathlib, litreview
        >>> review = Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> review.add(litreview.SAMPLE_LISTING).new
        36
        >>> review.add(litreview.SAMPLE_LISTING).unchanged
        36
        """
        if names_open_file(source):  # reading it with Python would drop its locks
            raise ValueError(f"{source} is a review file; add() takes listings")
        label, digest = describe_source(source)
        if isinstance(source, pd.DataFrame):
            df, order = source, YOUR_TABLE
            warn_what_add_leaves(df)
            if "source" in df and df["source"].nunique() == 1:
                label = str(df["source"].iloc[0])
        else:
            df, fmt = read_listing_and_format(source, year=year)
            order = rank(fmt)
        summary = add_papers(
            self._store, df, source=label, digest=digest, reviewer=self.reviewer, rank=order
        )
        self._index_stale = self._index_stale or summary.updated > 0
        return import_tool_decisions(self._store, self.reviewer, df, summary)

    @property
    def papers(self) -> pd.DataFrame:
        """Every paper with the current reviewer's annotations, then one column per
        extraction field (:meth:`define_field`) with their values (a fresh copy)."""
        snapshot = paper_columns(self._store)
        frame = paper_frame(self._store, snapshot)
        rows = annotation_rows(self._store, self.reviewer)
        with gc_paused():
            columns = annotation_columns(snapshot.index, rows)
        columns |= self.field_columns(snapshot.index)
        return pd.concat([frame, pd.DataFrame(columns)], axis=1)

    def imports(self) -> pd.DataFrame:
        """Every import: ``source, content_hash, imported_at, n_records, n_new,
        n_updated, n_unchanged`` (one row per :meth:`add`, oldest first)."""
        return imports_frame(self._store)

    # -- annotations ---------------------------------------------------------------------

    def annotate(
        self,
        paper_ids: str | Iterable[str],
        *,
        decision: str | None = None,
        reason: str | None = None,
        tags: str | Iterable[str] | None = None,
        add_tags: str | Iterable[str] | None = None,
        remove_tags: str | Iterable[str] | None = None,
        note: str | None = None,
        rating: int | None = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        """Annotate one paper or many, in one transaction (all or nothing).

        ``None`` leaves a field as it is; ``""`` or ``pd.NA`` clears a reason,
        note or rating; ``tags=[]`` clears the tags; ``fields={"sample_size": 120}``
        records extraction values (:meth:`define_field`; None clears one). Raises
        ValueError for a bad value (naming the allowed ones or the type a field
        expects) and KeyError for unknown ids (naming the closest); then nothing is
        written.

        >>> import tempfile, pathlib, litreview
        >>> review = Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> ids = review.papers["paper_id"][:3]
        >>> review.annotate(ids, decision="exclude", reason="off topic", add_tags="todo")
        >>> review.papers["decision"][:3].tolist()
        ['exclude', 'exclude', 'exclude']
        """
        edit = Edit.of(
            decision=decision,
            reason=reason,
            tags=tags,
            add_tags=add_tags,
            remove_tags=remove_tags,
            note=note,
            rating=rating,
            fields=None if fields is None else self.check_fields(fields),
        )
        annotate(self._store, self.reviewer, paper_ids, edit)

    def history(self, paper_id: str | None = None) -> pd.DataFrame:
        """Every change, oldest first: ``paper_id, reviewer, at, field, old_value, new_value``
        (a citation key changed on purpose, :meth:`rekey`/:meth:`set_key`, as ``citation_key``).

        ``at`` is UTC. Undo and redo appear as changes too: nothing is ever removed.
        """
        if paper_id is not None:
            ids = as_ids(paper_id)
            missing = [i for i in ids if not self._has_paper(i)]
            if missing:
                raise self._store.read(lambda c: unknown_ids_error(c, missing))
        history = self.visible_history(history_frame(read_history(self._store, paper_id)))
        return with_key_changes(history, self._store, paper_id)  # rekey/set_key: keys.py

    def import_changes(self, paper_id: str | None = None) -> pd.DataFrame:
        """Every paper field an import changed, oldest first: ``paper_id, reviewer, at,
        source, field, old_value, new_value`` (``at`` and ``reviewer`` are the import's).

        >>> import tempfile, pathlib, litreview
        >>> review = Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> len(review.import_changes())  # new papers are not changes
        0
        """
        if paper_id is not None and not self._has_paper(paper_id):
            raise self._store.read(lambda c: unknown_ids_error(c, [paper_id]))
        return import_changes_frame(self._store, paper_id)

    def undo(self) -> pd.DataFrame:
        """Revert this reviewer's latest change (call again to go further back).

        Returns the changes made; raises LookupError when there is nothing to undo.
        """
        if self._key_target("undo") is not None:  # the latest change set citation keys
            return self._step_keys("undo")
        if self._enrichment_target("undo") is not None:  # the latest change enriched papers
            return self._step_enrichment("undo")
        return history_frame(undo(self._store, self.reviewer))

    def redo(self) -> pd.DataFrame:
        """Re-apply the change undone last; LookupError when there is nothing to redo."""
        if self._key_target("redo") is not None:
            return self._step_keys("redo")
        if self._enrichment_target("redo") is not None:
            return self._step_enrichment("redo")
        return history_frame(redo(self._store, self.reviewer))

    @property
    def can_undo(self) -> bool:
        if self._key_target("undo") is not None or self._enrichment_target("undo") is not None:
            return True
        return self._store.read(lambda c: undo_target(c, self.reviewer)) is not None

    @property
    def can_redo(self) -> bool:
        if self._key_target("redo") is not None or self._enrichment_target("redo") is not None:
            return True
        return self._store.read(lambda c: redo_target(c, self.reviewer)) is not None

    def setting(self, key: str, default: Any = None) -> Any:
        """The review setting ``key`` (shared by everyone on the review), else ``default``."""
        return get_setting(self._store, key, default)

    def set_setting(self, key: str, value: Any) -> bool:
        """Store setting ``key`` as this reviewer (the change is logged); False if unchanged."""
        return set_setting(self._store, key, value, reviewer=self.reviewer)

    def reasons(self) -> list[str]:
        """Exclusion reasons in use (most used first), then the default ones."""
        if not self.sees_all:  # blind mode: only this reviewer's own
            return (used := self.blind_reasons()) + [r for r in DEFAULT_REASONS if r not in used]
        names = queries.reasons_in_use(self._store)
        return names + [r for r in DEFAULT_REASONS if r not in names]

    def tags(self) -> list[str]:
        """Every tag in use by any reviewer (in blind mode: by this one), sorted."""
        if not self.sees_all:
            return self.blind_tags()
        found = queries.tags_in_use(self._store)
        return sorted(found, key=lambda t: (t.casefold(), t))

    # -- exchange -------------------------------------------------------------------------

    def export_annotations(self, path: str | PathLike[str]) -> Path:
        """Write every reviewer's annotations to ``path`` (``.csv`` or ``.jsonl``), sorted
        for clean git diffs. Returns the path."""
        path = Path(path)
        export_annotations(self._store, self.visible_rows(), path)
        return path

    def import_annotations(
        self, path: str | PathLike[str], *, on_conflict: OnConflict = "keep"
    ) -> ImportReport:
        """Merge annotations from a ``.csv``/``.jsonl`` file (one undoable step).

        Empty fields are filled, tags are united; where the file and the review
        disagree the review's value is kept and the conflict reported
        (``on_conflict="replace"`` takes the file's value, still reported).
        """
        return _import_annotations(self._store, self.reviewer, Path(path), on_conflict)

    def integrity_check(self) -> str:
        """``'ok'`` when healthy: SQLite's ``PRAGMA integrity_check`` of a file; on a server,
        the schema version and the append-only triggers."""
        return self._store.integrity_check()

    def _has_paper(self, paper_id: str) -> bool:
        return queries.has_paper(self._store, paper_id)
