"""The app over a server review (issue 20 item 3): another session's change reaches the
open app without a Reload, patching the cached table in place."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

import litreview
from litreview import Review
from litreview.app.state import AppState


def _wait(state: AppState, n: int = 1) -> None:
    deadline = time.monotonic() + 10
    while len(state.live.pending) < n and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(state.live.pending) >= n


def test_another_sessions_change_patches_the_open_app(pg_server: Any, tmp_path: Path) -> None:
    url = pg_server.url()
    with Review.open(url, reviewer="ada") as mine, Review.open(url, reviewer="ada") as laptop:
        mine.add(litreview.SAMPLE_LISTING)
        state = AppState(mine, export_dir=tmp_path)
        table = state.papers  # the cached table: patched, not read again
        pid = str(state.papers["paper_id"].iloc[4])
        laptop.annotate(pid, decision="exclude", reason="off topic", note="on the train")
        _wait(state)
        before = state.changes
        assert state.live.apply() == 1
        assert state.papers is table and state.changes == before + 1
        row = state.paper(pid)
        assert (str(row["decision"]), row["reason"], row["note"]) == (
            "exclude", "off topic", "on the train",
        )  # fmt: skip
        assert state.changed_ids == [pid] and "by postgres" in state.status
        with Review.open(url, reviewer="bob") as bob:  # someone else's: no row of ada's
            bob.annotate(pid, decision="include")
            _wait(state)
            state.live.apply()
            assert str(state.paper(pid)["decision"]) == "exclude"
            bob.add(pd.DataFrame({"paper_id": ["new1"], "title": ["Added by bob"]}))
            _wait(state)
            state.live.apply()  # the paper table changed: read again
            assert state.n_total == 37


def test_an_app_over_a_file_review_is_unchanged(review: Review, tmp_path: Path) -> None:
    state = AppState(review, export_dir=tmp_path)
    assert state.live.apply() == 0 and state.live.pending == []
