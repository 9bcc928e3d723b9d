"""The app's model, driven without widgets: every action lands in the review file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.app._debounce import Debouncer
from litreview.app._html import highlight, query_terms
from litreview.app.state import AppState

ANNOTATIONS = ["decision", "reason", "tags", "note", "rating", "decided_by"]


@pytest.fixture
def state(review: litreview.Review, tmp_path: Path) -> AppState:
    return AppState(review, export_dir=tmp_path / "exports", page_size=10)


def cached_matches_file(state: AppState) -> None:
    """The state's cached table says what the review file says."""
    mine = state.papers.set_index("paper_id")[ANNOTATIONS].sort_index()
    disk = state.review.papers.set_index("paper_id")[ANNOTATIONS].sort_index()
    pd.testing.assert_frame_equal(mine.astype(str), disk.astype(str))


def test_query_filters_count_and_pages(state: AppState) -> None:
    assert state.count_text().startswith("36 of 36 papers")
    assert state.n_pages == 4 and len(state.page_rows()) == 10
    state.query = "vision transformer"
    expected = litreview.search(state.papers, "vision transformer")
    assert state.n_matched == len(expected) < 36
    assert state.page_ids() == expected["paper_id"].tolist()[:10]
    state.set_filters(has_code=True, since="2021")
    expected = litreview.search(state.papers, "vision transformer", has_code=True, since="2021")
    assert state.n_matched == len(expected)
    state.go_page(99)
    assert state.page == state.n_pages - 1
    state.reset_filters()
    assert state.query == "vision transformer" and state.page == 0


def test_bad_query_keeps_text_and_previous_selection(state: AppState) -> None:
    state.query = "vision"
    before = state.page_ids()
    state.query = 'vision ("linear'
    assert state.query == 'vision ("linear'
    assert "position" in state.query_error
    assert state.page_ids() == before
    state.has_code = True  # filters still apply, to the last good query
    assert state.n_matched == len(litreview.search(state.papers, "vision", has_code=True))
    state.query = "vision attention"
    assert state.query_error == ""


def test_bad_filter_goes_to_status(state: AppState) -> None:
    state.since = "last tuesday"
    assert "since" in state.error
    state.since = "2022"
    assert state.error == ""


def test_decide_tag_note_rating_undo(state: AppState, review: litreview.Review) -> None:
    pid = state.page_ids()[0]
    state.open(pid)
    assert state.decide("exclude", reason="off topic")
    state.add_tag("vision ")
    state.save_note(pid, "read the appendix")
    state.rate(pid, 4)
    row = review.papers.set_index("paper_id").loc[pid]
    assert (row.decision, row.reason, row.tags, row.note, row.rating) == (
        "exclude", "off topic", ["vision"], "read the appendix", 4
    )  # fmt: skip
    assert "off topic" in state.reasons and state.all_tags == ["vision"]
    cached_matches_file(state)
    assert state.decide("include")  # switching away from exclude clears the reason
    assert pd.isna(review.papers.set_index("paper_id").loc[pid, "reason"])
    assert state.undo() == pid
    assert review.papers.set_index("paper_id").loc[pid, "decision"] == "exclude"
    state.remove_tag("vision")
    state.rate(pid, 0)
    cached_matches_file(state)
    assert len(state.history(pid)) > 5


def test_errors_never_raise(state: AppState) -> None:
    state.current_id = ""
    assert not state.decide("include")
    assert "open a paper" in state.error
    state.open("nope")
    assert "nope" in state.error
    state.open(state.page_ids()[0])
    assert not state.annotate(decision="perhaps")
    assert "decision must be one of" in state.error
    for _ in range(3):
        state.undo()
    assert state.status == "nothing to undo"


def test_a_refused_edit_says_why_and_leaves_file_and_cache_alone(
    state: AppState, review: litreview.Review
) -> None:
    pid = state.page_ids()[0]
    state.open(pid)
    before = state.papers.copy()
    assert not state.rate(pid, 9)
    assert "rating must be a whole number from 1 to 5" in state.error  # the edit's message
    assert not state.annotate(add_tags=["ok", " "])
    assert "add_tags: a tag cannot be empty" in state.error
    pd.testing.assert_frame_equal(state.papers, before)
    assert review.history().empty
    cached_matches_file(state)


def test_bulk_asks_before_acting(state: AppState, review: litreview.Review) -> None:
    state.query = "vision"
    n = state.n_matched
    state.request_bulk("add tag", "batch")
    assert f"{n:,} papers" in state.confirm
    assert review.tags() == []
    state.cancel_bulk()
    state.request_bulk("exclude", "off topic")
    state.confirm_bulk()
    assert state.confirm == ""
    papers = review.papers
    assert (papers["decision"] == "exclude").sum() == n
    assert (papers["reason"] == "off topic").sum() == n
    state.request_bulk("add tag", "")
    assert "type the tag" in state.error
    cached_matches_file(state)


def test_priority_sort_puts_unscreened_first(state: AppState) -> None:
    ids = state.papers["paper_id"].tolist()
    state.decide("include", ids=ids[:2])
    state.decide("exclude", ids=ids[2:4])
    state.sort = "priority"
    top = state.selection["decision"].astype(str).tolist()
    assert top[:32] == ["unscreened"] * 32 and state.n_matched == 36


def test_screening_order_keys_progress_and_resume(
    state: AppState, review: litreview.Review, tmp_path: Path
) -> None:
    screen = state.screen
    screen.order = "date"
    assert (screen.done, screen.total) == (0, 36)
    first = screen.current_id
    newest = state.papers.sort_values("published", ascending=False)["paper_id"].iloc[0]
    assert first == newest
    screen.key("i")
    screen.key("m")
    screen.key("e")  # asks for a reason: nothing is recorded yet
    assert screen.excluding and screen.done == 2
    screen.key("1")
    assert screen.reason == state.reason_keys[0] == "off topic"
    screen.key("Enter")
    assert screen.done == 3 and screen.pos == 3 and not screen.excluding
    screen.key("k")
    screen.key("ArrowLeft")
    assert screen.pos == 1
    screen.key("j")
    screen.key("u")  # undo the exclude: back on that paper
    assert screen.done == 2 and screen.pos == 2
    decisions = review.papers.set_index("paper_id")["decision"]
    assert decisions[first] == "include"
    third = screen.queue[2]
    assert decisions[third] == "unscreened"
    # a new app on the same file resumes at the first unscreened paper
    again = AppState(litreview.Review.open(review.path, reviewer="ada"), export_dir=tmp_path)
    again.screen.order = "date"
    assert again.screen.current_id == third and again.screen.done == 2


def test_screening_priority_and_all_done(state: AppState) -> None:
    state.query = "title:efficient"
    state.screen.start()
    assert state.screen.method == "relevance"
    for _ in range(state.screen.total):
        state.screen.key("i")
    assert state.screen.done == state.screen.total
    assert state.status.startswith("all")


def test_export_writes_through_the_library(state: AppState, tmp_path: Path) -> None:
    state.query = "vision"
    path = state.export("bibtex", "selection", "sel")
    assert path == tmp_path / "exports" / "sel.bib"
    assert path.read_text(encoding="utf-8").count("@") == state.n_matched
    assert state.export("csv", "selection", "sel.csv") is not None
    assert state.export("bibtex", "selection", "sel") is None
    assert "already exists" in state.error
    assert state.export("ris", "selection", "../evil.ris") is None
    assert "plain name" in state.error
    state.decide("include", ids=state.page_ids()[:2])
    state.add_tag("keep", ids=state.page_ids()[:3])
    inc = state.export("markdown", "included", "inc.md")
    tagged = state.export("ris", "tag:keep", "keep.ris")
    assert inc is not None and tagged is not None
    assert tagged.read_text(encoding="utf-8").count("TY  -") == 3


def test_figures_follow_the_selection(state: AppState) -> None:
    state.query = "vision"
    figures = state.figures()
    assert set(figures) >= {"timeline", "decisions", "top_terms"}
    total = sum(sum(t.y) for t in figures["timeline"].data)
    assert total == state.n_matched


def test_highlight_escapes_and_marks() -> None:
    assert query_terms('vit "linear attention" -survey title:depth') == [
        "vit", "linear attention", "depth"
    ]  # fmt: skip
    out = highlight("<script>Linear  attention</script> & depths", ["linear attention", "depth"])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark>Linear  attention</mark>" in out and "<mark>depths</mark>" in out


def test_debouncer_without_loop_runs_at_once() -> None:
    seen: list[str] = []
    d = Debouncer(0.25, seen.append)
    d("x")
    assert seen == ["x"] and not d.pending


def test_debouncer_on_a_loop_runs_the_last_call_once_after_the_pause() -> None:
    import asyncio

    seen: list[str] = []

    async def typing() -> None:
        d = Debouncer(0.05, seen.append)
        for text in ("v", "vi", "vis"):
            d(text)
            await asyncio.sleep(0.01)
        assert seen == [] and d.pending
        await asyncio.sleep(0.1)
        assert seen == ["vis"]
        d("note")
        d.flush()  # e.g. switching papers: saved now, not lost
        assert seen == ["vis", "note"] and not d.pending

    asyncio.run(typing())


def test_e_then_a_digit_then_enter_excludes_with_that_reason(
    state: AppState, review: litreview.Review
) -> None:
    screen = state.screen
    screen.start()
    shown = screen.current_id
    screen.key("e")
    screen.key("2")
    screen.key("Escape")  # cancelled: still unscreened, same paper
    assert not screen.excluding and screen.current_id == shown
    assert review.papers.set_index("paper_id").loc[shown, "decision"] == "unscreened"
    for key in ("e", "2", "Enter"):
        screen.key(key)
    saved = review.papers.set_index("paper_id").loc[shown]
    assert (saved.decision, saved.reason) == ("exclude", state.reason_keys[1])
    assert screen.current_id != shown
    screen.key("9" if len(state.reason_keys) < 9 else "0")  # no such reason: said, not done
    assert "no reason" in state.error or not screen.excluding


def test_reason_numbers_never_change_while_the_app_is_open(state: AppState) -> None:
    before = list(state.reason_keys)
    state.decide("exclude", reason="zz new reason", ids=state.page_ids()[:3])
    state.decide("exclude", reason="aa another", ids=state.page_ids()[3:4])
    assert state.reason_keys[: len(before)] == before
    assert state.reason_keys[len(before) :] == ["zz new reason", "aa another"]


def test_priority_queue_is_reranked_every_n_decisions_and_says_so(state: AppState) -> None:
    screen = state.screen
    screen.background = False  # ranked at once (the app ranks in a thread, see below)
    screen.rerank_every = 3
    screen.start()
    assert screen.method == "relevance" and screen.order_text.startswith("by relevance")
    for decision in ("include", "exclude", "include", "exclude"):
        screen.decide(decision)
    # re-ranked after the 3rd decision (2 includes, 1 exclude: still relevance), not yet again
    assert screen.since_rank == 1 and screen.method == "relevance"
    screen.decide("maybe")
    screen.decide("maybe")  # 3 since the last ranking: 2 includes, 2 excludes -> the model
    assert screen.method == "model" and screen.since_rank == 0
    assert screen.order_text == "by priority (learned from 2 includes and 2 excludes)"
    assert "by priority" in state.status
    todo = screen.queue[screen.done :]
    expected = litreview.prioritize(state.selection, index=state.index)["paper_id"].tolist()
    assert todo == expected
    screen.rerank_every = 0  # only on request
    for _ in range(4):
        screen.decide("include")
    assert screen.since_rank == 4


def test_keywords_are_folded_like_query_words(state: AppState) -> None:
    state.set_keywords(include="Transformers; linear attention", exclude=["Surveys", ""])
    assert state.include_words == ["transformer", "linear attention"]
    assert state.exclude_words == ["survey"]
    state.set_keywords(exclude="")
    assert state.exclude_words == [] and state.include_words == ["transformer", "linear attention"]


def test_the_open_paper_knows_when_it_left_the_selection(state: AppState) -> None:
    state.query = "vision"
    pid = state.page_ids()[0]
    state.open(pid)
    assert state.current_listed
    state.query = "diffusion"
    assert state.current_id == pid and not state.current_listed
    state.query = ""
    assert state.current_listed


def test_an_edit_patches_the_selection_as_a_new_search_would_give_it(state: AppState) -> None:
    state.query = "vision"
    ids = state.page_ids()[:3]
    revision = state.revision
    state.decide("exclude", reason="off topic", ids=ids[:2])
    state.add_tag("later", ids=ids[1:])
    assert state.revision == revision + 2  # the views redraw
    patched = state.selection.copy()
    state.refresh(keep_page=True)  # what a full search gives
    cols = ["paper_id", "decision", "reason", "tags", "decided_by"]
    assert patched[cols].astype(str).equals(state.selection[cols].astype(str))
    assert state.page_rows()[0]["decision"] == "exclude"
    # a query on annotations is searched again: the excluded papers leave it
    state.query = "vision decision:unscreened"
    before = state.n_matched
    state.decide("include", ids=state.page_ids()[:1])
    assert state.n_matched == before - 1


def test_keywords_are_review_settings_everyone_sees(
    state: AppState, review: litreview.Review, tmp_path: Path
) -> None:
    from litreview.app import review_app

    state.set_keywords(include="LLM agents; Transformers", exclude="survey")
    assert review.setting("app.include_keywords") == ["LLM agents", "Transformers"]
    colleague = litreview.Review.open(review.path, reviewer="bo")
    app = review_app(colleague, export_dir=tmp_path)
    assert app.state.include_words == ["llm agents", "transformer"]
    assert app.filters._include.value == "LLM agents, Transformers"  # as typed
    app.filters._exclude.value = ""
    assert colleague.setting("app.exclude_keywords") == []
    state.reload()
    assert state.exclude_words == []
    colleague.close()


def test_background_rerank_keeps_the_paper_shown_and_applies_at_the_next_key(
    state: AppState,
) -> None:
    screen = state.screen
    screen.rerank_every = 4
    screen.start()
    for decision in ("include", "exclude", "include", "exclude"):
        screen.decide(decision)  # the 4th starts a ranking; the next paper is shown at once
    shown = screen.current_id
    assert screen.ranking and screen.method == "relevance"
    assert screen.wait_ranking()
    assert not screen.ranking and screen.method == "model"
    assert screen.current_id == shown  # the reviewer keeps the paper they are reading
    todo = screen.queue[screen.done + 1 :]
    ranked = litreview.prioritize(state.selection, index=state.index)["paper_id"].tolist()
    assert todo == [pid for pid in ranked if pid != shown]
    assert len(set(screen.queue)) == len(screen.queue) == state.n_matched
    # without waiting: the finished ranking is applied by the next key
    for _ in range(4):
        screen.key("i")
    assert screen.ranking
    shown = screen.current_id
    screen.key("e")
    screen.key("2")  # choosing a reason while the ranking finishes
    screen._future.exception(60)  # type: ignore[union-attr]
    screen.key("Enter")  # applies the ranking first; the exclusion under way is kept
    assert not screen.ranking and screen.order_text.endswith("6 includes and 2 excludes)")
    saved = state.paper(shown)
    assert (saved.decision, saved.reason) == ("exclude", state.reason_keys[1])
