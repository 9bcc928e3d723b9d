"""Auto-exports: files the review keeps up to date, as Better BibTeX's "keep updated" does.

:meth:`ReviewAutoExports.auto_export` writes a selection (a query, over the review's
decisions) once and records it in the review's settings (``exports.auto``); after every
change committed to the review file (by this process: the app, the CLI, a notebook) the
file is rewritten, atomically and only when its text changes. The hook sits at the
store's commit point (:attr:`~litreview.review.store.base.ReviewStore.after_commit`), so
whatever goes through :class:`~litreview.Review` honours it::

    >>> import tempfile, pathlib, litreview
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> review = litreview.Review.open(folder / "r.litreview", reviewer="ada")
    >>> _ = review.add(litreview.SAMPLE_LISTING)
    >>> out = review.auto_export(folder / "included.bib", query="decision:include")
    >>> out.read_text()
    ''
    >>> review.annotate(review.papers["paper_id"][0], decision="include")
    >>> out.read_text().count("@misc{")
    1

A failed rewrite (a full disk, a folder gone) never fails the change that triggered it:
it is logged and shown in :meth:`ReviewAutoExports.auto_exports` (``last_error``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from litreview._files import file_exists_error, write_atomic
from litreview.review.store import stamps
from litreview.review.store.base import ReviewStore, now
from litreview.schema import STRING

if TYPE_CHECKING:
    from litreview.review.core import Review

#: The review setting listing the auto-exports.
SETTING = "exports.auto"
log = logging.getLogger(__name__)
_RUNNING = threading.local()


@dataclass
class _Written:
    """What this process last wrote for one auto-export."""

    state: tuple[tuple[str, str], ...] = ()
    at: str | None = None
    error: str | None = None


#: path -> what was written (per process: another process keeps its own).
_WRITTEN: dict[str, _Written] = {}


class ReviewAutoExports:
    """The auto-export part of :class:`~litreview.review.core.Review` (a mixin)."""

    _store: ReviewStore
    reviewer: str

    def setting(self, key: str, default: Any = None) -> Any:  # provided by Review
        raise NotImplementedError

    def set_setting(self, key: str, value: Any) -> bool:  # provided by Review
        raise NotImplementedError

    def auto_export(
        self,
        path: str | PathLike[str],
        query: str = "",
        *,
        overwrite: bool = False,
        **options: Any,
    ) -> Path:
        """Keep ``path`` up to date with the papers matching ``query`` (default: all),
        in the format its suffix names (``options`` as for :func:`litreview.export`:
        ``dialect="biblatex"``, ``with_notes=True``, ``format=``). Writes it now; an
        existing file is replaced only with ``overwrite=True`` (later rewrites always
        replace it). Setting the same path again changes its query and options.
        Returns the path (absolute, a bare name under ``exports/``)."""
        from litreview.query.language import parse
        from litreview.writers import DEFAULT_DIR
        from litreview.writers.formats import format_for

        target = Path(path)
        if target.parent == Path(".") and not str(path).startswith(("./", ".\\")):
            target = DEFAULT_DIR / target
        target = target.expanduser().resolve()
        format_for(target, options.get("format"))  # an unknown suffix fails now
        parse(query)  # a query that does not parse fails now, not after every change
        entries = [e for e in self._auto_entries() if e["path"] != str(target)]
        known = any(e["path"] == str(target) for e in self._auto_entries())
        if target.exists() and not overwrite and not known:
            raise file_exists_error(target)
        if not target.parent.is_dir():
            raise FileNotFoundError(f"cannot auto-export to {target}: no folder {target.parent}")
        entry = {"path": str(target), "query": query, "options": options}
        entry["reviewer"] = self.reviewer
        _WRITTEN.pop(str(target), None)
        self.set_setting(SETTING, [*entries, entry])  # the commit hook writes it
        if str(target) not in _WRITTEN or _WRITTEN[str(target)].error:
            try:
                refresh(self._store, only=str(target), strict=True)
            except Exception:
                self.set_setting(SETTING, entries)  # not kept: it could not be written
                raise
        return target

    def auto_exports(self) -> pd.DataFrame:
        """The auto-exports: ``path, query, options, reviewer`` and, for this process,
        ``last_written`` (UTC) and ``last_error`` (None when the last rewrite worked)."""
        rows = []
        for e in self._auto_entries():
            done = _WRITTEN.get(e["path"], _Written())
            rows.append((e["path"], e["query"], e["options"], e["reviewer"], done.at, done.error))
        frame = pd.DataFrame(
            rows, columns=["path", "query", "options", "reviewer", "last_written", "last_error"]
        )
        frame["last_written"] = pd.to_datetime(frame["last_written"], format="ISO8601")
        return frame.astype({c: STRING for c in ("path", "query", "reviewer", "last_error")})

    def remove_auto_export(self, path: str | PathLike[str]) -> bool:
        """Stop keeping ``path`` up to date (the file stays); False if it was not one."""
        target = Path(path)
        candidates = {str(target), str(target.expanduser().resolve())}
        entries = self._auto_entries()
        kept = [e for e in entries if e["path"] not in candidates]
        if len(kept) == len(entries):
            return False
        for name in candidates:
            _WRITTEN.pop(name, None)
        return self.set_setting(SETTING, kept)

    def _auto_entries(self) -> list[dict[str, Any]]:
        return list(self.setting(SETTING, []) or [])


def install(store: ReviewStore) -> None:
    """Rewrite this file's auto-exports after each commit (once per open file)."""
    hooks = store.after_commit
    if _hook not in hooks:
        hooks.append(_hook)


def _hook(store: ReviewStore) -> None:
    if getattr(_RUNNING, "active", False) or store.closed:
        return  # the pinning an export does commits too: no rewrite inside a rewrite
    try:
        refresh(store)
    except Exception:  # a failed rewrite never fails the change that triggered it
        log.exception("%s: auto-export failed", store.path)


def refresh(store: ReviewStore, *, only: str | None = None, strict: bool = False) -> None:
    """Rewrite each auto-export whose review state changed since this process wrote it
    (only ``only`` when given); errors are recorded, raised with ``strict``."""
    from litreview.review.store.settings import get_setting

    entries = [e for e in get_setting(store, SETTING, []) or [] if only in (None, e["path"])]
    if not entries:
        return
    state = _state(store)
    _RUNNING.active = True
    try:
        for entry in entries:
            done = _WRITTEN.setdefault(entry["path"], _Written())
            if done.state == state and done.error is None:
                continue
            try:
                _write(store, entry)
            except Exception as exc:
                done.error = f"{type(exc).__name__}: {exc}"
                log.warning("%s: auto-export to %s failed: %s", store.path, entry["path"], exc)
                if strict:
                    raise
                continue
            done.state, done.at, done.error = _state(store), now(), None
    finally:
        _RUNNING.active = False


def _state(store: ReviewStore) -> tuple[tuple[str, str], ...]:
    """Every change counter of the file: any change to papers, annotations or settings
    (not the stamps of the files kept beside it, which change nothing an export shows)."""
    rows = store.read(lambda c: c.execute("SELECT key, value FROM meta ORDER BY key").fetchall())
    return tuple((str(k), str(v)) for k, v in rows if k not in stamps.KEYS)


def _write(store: ReviewStore, entry: dict[str, Any]) -> None:
    """Build the export's text as the entry's reviewer sees the review; write it when new."""
    from litreview.query.filters import search
    from litreview.review.core import Review

    review: Review = Review(store, entry.get("reviewer") or "reviewer")
    papers = review.final_papers()
    if entry.get("query"):
        papers = search(papers, entry["query"]).drop(columns="score")
    path = Path(entry["path"])
    text = review.export_text(papers, path, **dict(entry.get("options") or {}))
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return  # unchanged: no rewrite (editors and LaTeX see no new file)
    except OSError:
        pass
    write_atomic(path, text, overwrite=True)
