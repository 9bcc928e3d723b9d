"""Live updates: another reviewer's change reaching an open review without a reload.

On a server review, :meth:`LiveReview.subscribe` calls ``callback(change)`` after each
commit another client makes (PostgreSQL's LISTEN/NOTIFY, :mod:`.store.pg_listen`),
with a :class:`RemoteChange` saying which papers and whose rows changed, read from the
history as this reviewer may see it (blind mode applies). The callback runs in a
background thread: the app queues it and patches its cached table from the main
thread (:meth:`annotations_of` gives the rows to patch). A file review has no
notifications: ``subscribe`` returns a no-op and the app reloads as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from litreview.review.store import queries
from litreview.review.store.annotations import split_key
from litreview.review.store.base import ReviewStore
from litreview.review.store.history import annotation_columns, annotation_rows


@dataclass(frozen=True)
class RemoteChange:
    """What another client committed: ``by`` (its role), the ``paper_ids`` whose
    annotations changed, per reviewer (``reviewers``: name -> paper ids), the history
    ``fields``; ``papers_changed``: the paper table itself changed (an import, an
    enrichment, a key), so it is read again."""

    by: str
    paper_ids: tuple[str, ...] = ()
    reviewers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    papers_changed: bool = False


class LiveReview:
    """Mixed into :class:`litreview.Review`; needs ``_store`` and ``reviewer``."""

    _store: ReviewStore
    reviewer: str

    def subscribe(self, callback: Callable[[RemoteChange], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after each change another client commits (a server
        review); returns the function that unsubscribes. A file review: a no-op.

        >>> import tempfile, pathlib, litreview
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> stop = review.subscribe(print); stop(); review.close()
        """
        listen = getattr(self._store, "listen", None)
        if listen is None:
            return lambda: None
        store = self._store
        own_pid = int(getattr(store, "backend_pid", -1))
        last = [queries.last_history_id(store)]
        papers_seen = [queries.papers_state(store)]
        lock = threading.Lock()

        def heard(payload: dict[str, Any]) -> None:
            if store.closed:
                return
            until = int(payload.get("history") or 0)
            with lock:
                if payload.get("pid") == own_pid:  # this review's own commit: known already
                    last[0] = max(last[0], until)
                    papers_seen[0] = queries.papers_state(store)
                    return
                rows = queries.history_since(store, last[0], until)
                last[0] = max(last[0], until)
                state = queries.papers_state(store)
                papers_changed, papers_seen[0] = state != papers_seen[0], state
            who: dict[str, dict[str, None]] = {}
            for pid, key, _, _ in rows:
                who.setdefault(split_key(key)[0], {})[pid] = None
            callback(
                RemoteChange(
                    by=str(payload.get("by", "")),
                    paper_ids=tuple(dict.fromkeys(r[0] for r in rows)),
                    reviewers={name: tuple(ids) for name, ids in who.items()},
                    fields=tuple(dict.fromkeys(r[2] for r in rows)),
                    papers_changed=papers_changed,
                )
            )

        stop: Callable[[], None] = listen(heard)
        return stop

    def annotations_of(self, paper_ids: Iterable[str]) -> pd.DataFrame:
        """This reviewer's annotation columns of ``paper_ids`` as stored now (``paper_id``
        plus the columns of :attr:`papers`): what an app patches after a remote change."""
        ids = list(dict.fromkeys(paper_ids))
        wanted = set(ids)
        rows = [r for r in annotation_rows(self._store, self.reviewer) if r[0] in wanted]
        index = pd.Index(ids, dtype=object)
        columns = annotation_columns(index, rows)
        frame = pd.DataFrame({"paper_id": pd.array(ids, dtype="string"), **columns})
        return frame.drop(columns=[c for c in frame.columns if c == "fields"])
