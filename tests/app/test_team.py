"""The app for a team (issue 19): the stage switch (title/abstract, full text with its
location and not-retrieved mark), the conflicts queue a resolver settles, and blind mode
(a badge, others' progress as counts only, nobody else's decisions anywhere)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.app import ReviewApp, review_app
from litreview.app.state import AppState


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[litreview.Review, litreview.Review, litreview.Review]]:
    """ada and bob screened the same 6 papers: they agree on 0-1, disagree on 2-4; cy
    resolves."""
    path = tmp_path / "team.litreview"
    ada = litreview.Review.open(path, reviewer="ada")
    ada.add(litreview.SAMPLE_LISTING)
    bob = litreview.Review.open(path, reviewer="bob")
    cy = litreview.Review.open(path, reviewer="cy")
    ids = ada.papers["paper_id"].tolist()
    ada.annotate(ids[:5], decision="include", note="ada thinks so")
    bob.annotate(ids[:2], decision="include")
    bob.annotate(ids[2:5], decision="exclude", reason="off topic", note="bob disagrees")
    ada.annotate(ids[5], decision="exclude", reason="duplicate")
    ada.set_resolvers(["cy"])
    yield ada, bob, cy
    for review in (ada, bob, cy):
        review.close()


def ids_of(review: litreview.Review) -> list[str]:
    return review.papers["paper_id"].tolist()


def test_the_stage_switch_screens_full_texts(review: litreview.Review, tmp_path: Path) -> None:
    state = AppState(review, export_dir=tmp_path)
    ids = ids_of(review)
    assert state.decide("include", ids=ids[:3]) and state.decide("exclude", ids=ids[3:5])
    state.stage = "fulltext"
    assert state.n_total == 3 and set(state.papers["paper_id"]) == set(ids[:3])
    assert (state.papers["decision"].astype(str) == "unscreened").all()
    assert "full text stage: 3 papers included" in state.status
    assert state.reason_keys[0] == "no evaluation"  # the full-text reasons
    assert state.decide("exclude", reason="no evaluation", ids=[ids[0]])
    assert state.add_tag("read-later", ids=[ids[0]])
    assert state.save_note(ids[1], "section 4 is the evaluation")
    full = review.stage_papers("fulltext").set_index("paper_id")
    assert (
        full.loc[ids[0], "decision"] == "exclude" and full.loc[ids[0], "reason"] == "no evaluation"
    )
    assert full.loc[ids[1], "note"] == "section 4 is the evaluation"
    title = review.papers.set_index("paper_id")
    assert title.loc[ids[0], "decision"] == "include"  # the title decision stays
    assert title.loc[ids[0], "tags"] == ["read-later"]  # tags are the paper's own
    assert pd.isna(title.loc[ids[1], "note"])
    # where the full text is, or that it could not be retrieved
    assert state.set_fulltext(ids[1], location="https://arxiv.org/pdf/2401.00001")
    assert state.set_fulltext(ids[2], not_retrieved=True, note="paywalled")
    records = review.fulltext().set_index("paper_id")
    assert records.loc[ids[1], "location"] == "https://arxiv.org/pdf/2401.00001"
    assert bool(records.loc[ids[2], "not_retrieved"]) and records.loc[ids[2], "note"] == "paywalled"
    assert state.fulltext_record(ids[2]) == {"location": "", "not_retrieved": True,
                                             "note": "paywalled"}  # fmt: skip
    assert state.fulltext_record(ids[1])["location"].startswith("https://arxiv.org/pdf/")
    # the query language works on the full-text table
    state.query = "decision:exclude"
    assert state.selection["paper_id"].tolist() == [ids[0]]
    state.query = ""
    # undo takes the latest full-text change back (the note), then the tag
    assert state.undo() == ids[1]
    assert pd.isna(state.paper(ids[1])["note"])
    state.stage = "title"
    assert state.n_total == 36 and state.paper(ids[0])["decision"] == "include"
    assert state.fulltext_record(ids[0]) == {}


def test_screening_keys_decide_at_the_full_text_stage(
    review: litreview.Review, tmp_path: Path
) -> None:
    app = review_app(review, export_dir=tmp_path)
    ids = ids_of(review)
    app.state.decide("include", ids=ids[:4])
    app._stage.value = "fulltext"  # the toolbar's switch
    assert app.state.stage == "fulltext"
    app.select_tab("Screening")
    screen = app.state.screen
    assert screen.total == 4 and screen.done == 0
    first = screen.current_id
    for key in ("e", "2", "Enter"):
        app.keyboard.press(key)
    second = screen.current_id
    app.keyboard.press("i")
    decisions = review.decisions("fulltext").set_index("paper_id")["ada"].astype(str)
    assert decisions[first] == "exclude" and decisions[second] == "include"
    reason = review.stage_papers("fulltext").set_index("paper_id").loc[first, "reason"]
    assert reason == app.state.reason_keys[1] == "wrong study design"
    assert screen.done == 2
    # the full-text box under the annotations, shown at this stage only
    panel = app.screening._annotate._fulltext
    assert panel.widget.layout.display is None
    panel._location.value = "papers/first.pdf"
    assert review.fulltext().set_index("paper_id").loc[screen.current_id, "location"] == (
        "papers/first.pdf"
    )
    assert panel._link.value == "<code>papers/first.pdf</code>"
    app._stage.value = "title"
    app.select_tab("Browse")
    app.state.open(ids[0])
    assert app.annotate._fulltext.widget.layout.display == "none"


def test_a_resolver_settles_the_conflicts_queue(team, tmp_path: Path) -> None:
    ada, _bob, cy = team
    ids = ids_of(ada)
    app = review_app(cy, export_dir=tmp_path)
    app.select_tab("Conflicts")
    queue = app.state.conflicts
    assert queue.open_count == 3 and queue.ids == ids[2:5] and queue.blocked == ""
    assert queue.current_id == ids[2]
    rows = {r["reviewer"]: r for r in queue.decisions(ids[2])}
    assert rows["ada"]["decision"] == "include" and rows["ada"]["note"] == "ada thinks so"
    assert rows["bob"]["reason"] == "off topic" and rows["bob"]["note"] == "bob disagrees"
    view = app.conflicts
    assert "3</b> open conflicts at title/abstract · 0 resolved · conflict 1 of 3" in (
        view._label.value
    )
    assert "bob disagrees" in view._table.value and view._bar.layout.display is None
    view._reason.value = "not about vision"
    view._final["exclude"].click()
    assert queue.open_count == 2 and queue.current_id == ids[3]  # the next one
    final = cy.final().set_index("paper_id")
    assert final.loc[ids[2], "final_decision"] == "exclude"
    assert final.loc[ids[2], "final_reason"] == "not about vision"
    assert final.loc[ids[2], "resolved_by"] == "cy"
    view._final["include"].click()
    assert cy.final().set_index("paper_id").loc[ids[3], "final_decision"] == "include"
    assert queue.open_count == 1 and queue.resolved_count == 2
    app._undo.click()  # the toolbar's undo takes the latest resolution back, shown at once
    assert queue.open_count == 2 and ids[3] in queue.ids
    assert "2</b> open conflicts" in view._label.value
    _bob.annotate(ids[4], decision="include", reason="")  # now both include it
    # full text: no conflict there yet
    app._stage.value = "fulltext"
    app.select_tab("Browse")
    app.select_tab("Conflicts")
    assert queue.open_count == 0 and "No open conflict" in view._table.value
    # then one, on the 3rd of the stage's papers (the 5th of the review): each reviewer's
    # full-text reason and note, found by the paper's row in the review
    assert app.state.papers["paper_id"].tolist() == [ids[0], ids[1], ids[4]]
    ada.annotate_fulltext(ids[4], decision="include", note="ada read it")
    _bob.annotate_fulltext(ids[4], decision="exclude", reason="no evaluation", note="no table")
    app.select_tab("Browse")
    app._reload.click()
    app.select_tab("Conflicts")
    assert queue.ids == [ids[4]]
    rows = {r["reviewer"]: r for r in queue.decisions(ids[4])}
    assert (rows["ada"]["decision"], rows["ada"]["reason"], rows["ada"]["note"]) == (
        "include",
        "",
        "ada read it",
    )
    assert (rows["bob"]["decision"], rows["bob"]["reason"], rows["bob"]["note"]) == (
        "exclude",
        "no evaluation",
        "no table",
    )


def test_blind_mode_badge_counts_only_and_no_conflicts(team, tmp_path: Path) -> None:
    ada, bob, _cy = team
    ids = ids_of(ada)
    assert bob.blind
    app: ReviewApp = review_app(bob, export_dir=tmp_path)
    badge = app._team.value
    assert "blind" in badge and app._team.layout.display is None
    assert "ada: 6 screened" in badge and "bob: 5 screened" in badge  # counts only
    line = app.screening._team
    assert line.value.endswith("others, counts only: ada: 6 screened</span>")
    assert line.layout.display is None
    # bob sees none of ada's decisions, notes or reasons anywhere in the app
    state = app.state
    papers = state.papers.set_index("paper_id")
    assert papers.loc[ids[5], "decision"] == "unscreened"  # ada's exclusion: hidden
    assert "ada thinks so" not in papers["note"].dropna().tolist()
    app.state.open(ids[2])
    assert "ada" not in app.paper._history.value
    app.select_tab("Conflicts")
    queue = state.conflicts
    assert queue.open_count == 0 and queue.decisions(ids[2]) == []
    assert queue.blocked.startswith("only the resolvers (cy)")
    assert app.conflicts._blocked.layout.display is None
    assert app.conflicts._bar.layout.display == "none"
    assert not queue.resolve("include") and "no open conflict" in state.error


def test_no_badge_for_one_reviewer(review: litreview.Review, tmp_path: Path) -> None:
    app = review_app(review, export_dir=tmp_path)
    assert app._team.layout.display == "none"
    assert app.screening._team.layout.display == "none"
    assert app.state.team_text() == ("", "")


def test_extraction_fields_in_the_paper_view(review: litreview.Review, tmp_path: Path) -> None:
    review.define_field("sample_size", "number", description="participants analysed")
    review.define_field("design", "choice", options=["RCT", "cohort"])
    review.define_field("blinded", "yesno")
    review.define_field("setting", "text")
    app = review_app(review, export_dir=tmp_path)
    ids = ids_of(review)
    app.state.open(ids[0])
    form = app.annotate._fields
    assert list(form._inputs) == ["sample_size", "design", "blinded", "setting"]
    assert form.widget.layout.display is None
    assert form._inputs["sample_size"].tooltip == "participants analysed"
    form._inputs["sample_size"].value = "120"
    form._inputs["design"].value = "RCT"
    form._inputs["blinded"].value = "yes"
    form._inputs["setting"].value = "rural clinic"
    stored = review.papers.set_index("paper_id").loc[ids[0]]
    assert (stored["sample_size"], stored["design"], bool(stored["blinded"])) == (120, "RCT", True)
    assert stored["setting"] == "rural clinic"
    # a wrong type: said beside the box and in the status line, nothing saved
    form._inputs["sample_size"].value = "many"
    assert "is a number" in form._errors["sample_size"].value and "is a number" in app.state.error
    assert review.papers.set_index("paper_id").loc[ids[0], "sample_size"] == 120
    # searchable at once, from the app's own table
    app.state.query = "field:sample_size:100.."
    assert app.state.selection["paper_id"].tolist() == [ids[0]]
    app.state.open(ids[1])
    form._inputs["sample_size"].value = "150"
    assert set(app.state.selection["paper_id"]) == {ids[0], ids[1]}
    app.state.query = 'field:setting:"rural clinic"'
    assert app.state.selection["paper_id"].tolist() == [ids[0]]
    # another paper shows its own (empty) values; undo takes a value back
    app.state.open(ids[2])
    assert form._inputs["sample_size"].value == "" and form._inputs["blinded"].value == ""
    app.state.query = ""
    app.state.open(ids[1])
    assert form._inputs["sample_size"].value == "150"
    assert app.state.undo() == ids[1]
    assert form._inputs["sample_size"].value == ""
    # the stage columns, when a query reads them
    app.state.decide("include", ids=[ids[0]])
    app.state.query = "stage:fulltext"
    assert app.state.selection["paper_id"].tolist() == [ids[0]]


def test_no_extraction_form_without_fields(review: litreview.Review, tmp_path: Path) -> None:
    app = review_app(review, export_dir=tmp_path)
    app.state.open(ids_of(review)[0])
    assert app.annotate._fields.widget.layout.display == "none"


def test_other_clients_changes_reach_the_team_views(pg_server: Any, tmp_path: Path) -> None:
    """Over a server review the resolver's open Conflicts tab and counts follow what the
    reviewers record elsewhere (live updates), without a Reload."""
    url = pg_server.url()
    with Review.open(url, reviewer="ada") as ada, Review.open(url, reviewer="bob") as bob:
        ada.add(litreview.SAMPLE_LISTING)
        ada.set_resolvers(["cy"])
        with Review.open(url, reviewer="cy") as cy:
            app = review_app(cy, export_dir=tmp_path)
            app.select_tab("Conflicts")
            queue = app.state.conflicts
            assert queue.open_count == 0 and "No open conflict" in app.conflicts._table.value
            pid = str(app.state.papers["paper_id"].iloc[3])
            ada.annotate(pid, decision="include", note="fits")
            bob.annotate(pid, decision="exclude", reason="off topic")
            deadline = time.monotonic() + 10
            while len(app.state.live.pending) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert app.state.live.apply() >= 2
            assert queue.open_count == 1 and queue.current_id == pid
            assert "off topic" in app.conflicts._table.value
            tip = app._team.value
            assert "ada: 1 screened" in tip and "bob: 1 screened" in tip


def test_the_stage_switch_closes_papers_that_are_not_at_the_new_stage(team, tmp_path: Path) -> None:
    """The paper open in Browse and the conflict on screen are title/abstract papers
    that have no full-text stage: the switch closes them (it failed on them before)."""
    ada, _bob, cy = team
    ids = ids_of(ada)
    app = review_app(cy, export_dir=tmp_path)
    app.select_tab("Conflicts")
    assert app.state.conflicts.current_id == ids[2]  # excluded by bob: no full text
    app.select_tab("Browse")
    app.state.open(ids[5])
    app._stage.value = "fulltext"
    assert app.state.error == ""
    assert app.state.status == "full text stage: 2 papers included at title/abstract"
    assert app.state.current_id == "" and app.state.conflicts.current_id == ""
    assert "Click a paper" in app.paper._card.value
    app.select_tab("Conflicts")
    assert app.state.conflicts.open_count == 0 and app.state.error == ""
    app._stage.value = "title"
    assert app.state.conflicts.ids == ids[2:5] and app.state.error == ""
