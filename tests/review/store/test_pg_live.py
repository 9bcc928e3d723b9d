"""Live updates on a server review (issue 20 item 3): another client's commit reaches an
open review through LISTEN/NOTIFY with what changed, and nothing else does."""

from __future__ import annotations

import queue
from typing import Any

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.review.live import RemoteChange

WAIT_S = 10


def _next(changes: queue.Queue[RemoteChange]) -> RemoteChange:
    return changes.get(timeout=WAIT_S)


def test_another_clients_change_arrives_with_what_changed(pg_server: Any) -> None:
    url = pg_server.url()
    with Review.open(url, reviewer="ada") as here, Review.open(url, reviewer="ada") as there:
        here.add(litreview.SAMPLE_LISTING)
        ids = here.papers["paper_id"][:3].tolist()
        changes: queue.Queue[RemoteChange] = queue.Queue()
        stop = here.subscribe(changes.put)
        here.annotate(ids[0], note="my own")  # this review's own commit: not reported
        there.annotate(ids[1:], decision="include", note="from the other laptop")
        change = _next(changes)
        assert change.paper_ids == tuple(ids[1:]) and change.reviewers == {"ada": tuple(ids[1:])}
        assert {"decision", "note"} <= set(change.fields) and not change.papers_changed
        patched = here.annotations_of(ids[1:]).set_index("paper_id")
        assert patched["note"].tolist() == ["from the other laptop"] * 2
        assert patched["decision"].astype(str).tolist() == ["include"] * 2
        with pytest.raises(ZeroDivisionError), there._store.write() as conn:
            conn.execute("UPDATE meta SET value = value WHERE key = 'x'")
            1 / 0  # noqa: B018  # a rolled-back transaction notifies nobody
        new = pd.DataFrame({"paper_id": ["new1"], "title": ["A paper added elsewhere"]})
        there.add(new)  # an import: the paper table changed
        change = _next(changes)
        assert change.by == "postgres" and change.papers_changed and change.paper_ids == ()
        stop()
        there.annotate(ids[2], note="after unsubscribing")
        with pytest.raises(queue.Empty):
            changes.get(timeout=1.5)
        assert changes.empty()


def test_a_file_review_has_no_notifications(tmp_path: Any) -> None:
    with Review.open(tmp_path / "r.litreview") as review:
        stop = review.subscribe(lambda change: None)
        stop()
