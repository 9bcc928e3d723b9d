"""Completing metadata from the app (issue 16): the selection's papers looked up in a
worker thread against the local stand-in APIs, progress reported, the app's table read
again, uncertain matches listed for the reviewer to accept or dismiss, one undo."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

import litreview
from litreview.app import review_app
from litreview.app.state import AppState
from litreview.web.local_server import LocalAPIs


@pytest.fixture
def state(review: litreview.Review, tmp_path: Path, apis: LocalAPIs) -> AppState:
    return AppState(review, export_dir=tmp_path / "exports")


def test_the_selection_is_completed_in_the_background(state: AppState, apis: LocalAPIs) -> None:
    state.query = "transformer"
    chosen = set(state.selection["paper_id"])
    assert 0 < len(chosen) < 36
    apis.fail("slow", "/hf/api/papers/search", times=3, seconds=0.3)
    started = time.perf_counter()
    assert state.enrich()
    assert time.perf_counter() - started < 0.25  # the call returns while lookups run
    assert state.enriching and state.enrich_total == len(chosen)
    assert state.decide("include", ids=[next(iter(chosen))])  # the app goes on meanwhile
    assert state.wait_enrichment()
    assert not state.enriching and state.error == ""
    papers = state.papers.set_index("paper_id")
    assert papers.loc[list(chosen), "arxiv_id"].notna().all()
    assert papers.drop(index=list(chosen))["arxiv_id"].isna().all()  # only the selection
    assert papers.loc[next(iter(chosen)), "decision"] == "include"  # the decision kept
    disk = state.review.papers.set_index("paper_id")
    assert disk.loc[list(chosen), "authors"].map(len).gt(0).all()
    assert f"{len(chosen)} completed" in state.status
    assert state.enrich_done == state.enrich_total
    # the selection is searched again on the completed text (authors now known)
    first = papers.loc[next(iter(chosen)), "authors"][0]
    state.query = f'author:"{first}"'
    assert state.n_matched >= 1
    # one undo takes the enrichment back
    state.query = ""
    assert state.undo() is not None
    assert state.papers["arxiv_id"].isna().all()


def test_progress_reaches_the_traits_on_the_kernel_loop(
    review: litreview.Review, tmp_path: Path, apis: LocalAPIs
) -> None:
    async def run() -> tuple[list[tuple[int, int]], set[str], AppState]:
        state = AppState(review, export_dir=tmp_path)
        seen: list[tuple[int, int]] = []
        threads: set[str] = set()

        def on_progress(_change: object) -> None:
            seen.append((state.enrich_done, state.enrich_total))
            threads.add(threading.current_thread().name)

        state.observe(on_progress, names="enrich_done")
        assert state.enrich()
        for _ in range(400):
            if not state.enriching:
                break
            await asyncio.sleep(0.025)
        return seen, threads, state

    seen, threads, state = asyncio.run(run())
    assert not state.enriching and state.error == ""
    assert threads == {threading.main_thread().name}  # never from the worker thread
    assert len(seen) >= 3 and seen[-1][0] == seen[-1][1]
    assert state.papers["arxiv_id"].notna().all()


def test_uncertain_matches_wait_for_the_reviewer(tmp_path: Path, apis: LocalAPIs) -> None:
    with litreview.Review.open(tmp_path / "t.litreview", reviewer="ada") as review:
        review.add(
            "@misc{v, title={Attention Is All You Need}, year={2017}}\n"
            "@misc{s, title={Scaling Law for Neural Language Models}, year={2019}}\n"
        )
        state = AppState(review, export_dir=tmp_path)
        assert state.enrich() and state.wait_enrichment()
        assert state.papers["arxiv_id"].isna().all()  # nothing applied silently
        assert len(state.to_confirm) == 2 and "2 to confirm" in state.status
        vaswani = state.to_confirm.set_index("candidate_arxiv_id").loc["1706.03762", "paper_id"]
        other = next(p for p in state.to_confirm["paper_id"] if p != vaswani)
        state.dismiss_matches(other)
        assert state.to_confirm["paper_id"].tolist() == [vaswani]
        assert state.confirm_matches(vaswani) and state.wait_enrichment()
        assert state.to_confirm.empty
        row = state.paper(vaswani)
        assert row["arxiv_id"] == "1706.03762" and "Ashish Vaswani" in row["authors"]
        source = review.enrichments().set_index("field").loc["arxiv_id", "source"]
        assert source == "confirmed by you"
        assert pd_isna(state.paper(other)["arxiv_id"])  # dismissed: unchanged
        assert not state.confirm_matches() and "no match" in state.error


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_offline_and_network_failures_are_one_status_line(
    state: AppState, apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state.review.papers
    apis.fail("status", "/arxiv/api/query?id_list=", times=10, status=503)
    assert state.enrich() and state.wait_enrichment()
    assert state.error.startswith("complete metadata:") and "503" in state.error
    assert "\n" not in state.error and state.enrich_message.endswith("the review is unchanged")
    assert state.review.papers.equals(before) and not state.review.can_undo
    monkeypatch.setenv("LITREVIEW_OFFLINE", "1")
    asked = apis.count("/")
    assert state.enrich()
    assert "offline" in state.enrich_message
    assert state.wait_enrichment()
    assert "offline (LITREVIEW_OFFLINE=1)" in state.error and apis.count("/") == asked


def test_one_enrichment_at_a_time_and_an_empty_selection(state: AppState, apis: LocalAPIs) -> None:
    apis.fail("slow", "/hf/api/papers/search", times=1, seconds=0.3)
    assert state.enrich()
    assert not state.enrich() and "already under way" in state.error
    assert state.wait_enrichment()
    state.query = "nothing-matches-this-zzzz"
    assert not state.enrich() and "selection is empty" in state.error


def test_the_app_button_progress_and_match_rows(tmp_path: Path, apis: LocalAPIs) -> None:
    with litreview.Review.open(tmp_path / "t.litreview", reviewer="ada") as review:
        review.add(
            "@misc{v, title={Attention Is All You Need}, year={2017}}\n"
            "@misc{t, title={Transformer in Transformer}, year={2021}}\n"
        )
        app = review_app(review, export_dir=tmp_path)
        view = app.enrichment
        assert view._start.description == "Complete metadata (2 papers)"
        assert view._matches.layout.display == "none"
        view._start.click()
        assert view._start.disabled and view._bar.layout.display is None
        assert app.state.wait_enrichment()
        assert not view._start.disabled and view._bar.layout.display == "none"
        assert "1 completed" in view._text.value and "1 to confirm" in app._status.value
        assert view._matches.layout.display is None and len(view._rows.children) == 1
        assert "1706.03762" in view._rows.children[0].children[0].value
        accept = view._rows.children[0].children[1]
        accept.click()
        assert app.state.wait_enrichment()
        assert view._matches.layout.display == "none"
        assert app.state.papers["arxiv_id"].notna().all()
