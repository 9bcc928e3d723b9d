"""A review as a team runs it (issue 19): blind mode, resolvers and final decisions,
the full-text stage; ada and bob screen the sample, cy resolves."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview import Review
from litreview.review.reviewers import disagreeing
from litreview.review.stages import review_decisions


@pytest.fixture
def team(locate: Callable[[str], str | Path]) -> Iterator[dict[str, Review]]:
    path = locate("team")  # a file, and a PostgreSQL review
    ada = Review.open(path, reviewer="ada")
    ada.add(litreview.SAMPLE_LISTING)
    bob, cy = Review.open(path, reviewer="bob"), Review.open(path, reviewer="cy")
    yield {"ada": ada, "bob": bob, "cy": cy}
    for review in (ada, bob, cy):
        review.close()


def ids(review: Review) -> list[str]:
    return review.papers["paper_id"].tolist()


def screen(ada: Review, bob: Review) -> list[str]:
    """ada and bob screen the first 10 papers; they disagree on 0, 1 and 4."""
    p = ids(ada)
    ada.annotate(p[:4], decision="include", note="ada's secret note", add_tags="ada-tag")
    ada.annotate(p[4:8], decision="exclude", reason="off topic")
    ada.annotate(p[8:10], decision="maybe")
    bob.annotate(p[0:2], decision="exclude", reason="wrong study type")
    bob.annotate(p[2:4], decision="include", note="bob's note")
    bob.annotate(p[4], decision="include")
    bob.annotate(p[5:8], decision="exclude", reason="off topic")
    bob.annotate(p[8:10], decision="maybe")
    return p


def test_blind_mode_is_on_once_a_second_reviewer_screens(team: dict[str, Review]) -> None:
    ada, bob = team["ada"], team["bob"]
    p = ids(ada)
    ada.annotate(p[0], decision="include")
    assert not ada.blind and not bob.blind
    bob.annotate(p[1], decision="exclude")
    assert ada.blind and bob.blind
    assert bob.team_log().empty  # the default is not a setting: nothing logged


def test_bob_never_sees_adas_work_while_blind(team: dict[str, Review], tmp_path: Path) -> None:
    ada, bob = team["ada"], team["bob"]
    p = screen(ada, bob)
    assert bob.blind
    assert list(bob.decisions().columns) == ["paper_id", "title", "bob"]
    assert list(bob.decisions("fulltext").columns) == ["paper_id", "title", "bob"]
    assert set(bob.history()["reviewer"]) == {"bob"}
    assert "ada's secret note" not in bob.history().to_string()
    assert bob.tags() == [] and "wrong study type" in bob.reasons()
    assert bob.conflicts().empty  # only his own column: nothing to compare
    with pytest.raises(KeyError, match="ada"):
        bob.agreement("bob", "ada")
    papers = bob.papers.set_index("paper_id")
    assert papers.loc[p[0], "decision"] == "exclude" and pd.isna(papers.loc[p[0], "note"])
    assert set(bob.search("decision:include")["paper_id"]) == {p[2], p[3], p[4]}
    assert set(bob.final()["final_decision"]) - {"unscreened"} == {"include", "exclude", "maybe"}
    assert bob.final().set_index("paper_id").loc[p[0], "basis"] == "single"
    out = bob.export_annotations(tmp_path / "bob.jsonl")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["reviewer"] for r in rows} == {"bob"}
    progress = bob.progress().set_index("reviewer")  # counts of others' progress only
    assert progress.loc["ada", "screened"] == 10 and progress.loc["bob", "screened"] == 10


def test_turning_blind_mode_off_is_logged_and_shows_everything(team: dict[str, Review]) -> None:
    ada, bob = team["ada"], team["bob"]
    p = screen(ada, bob)
    bob.set_blind(False)
    log = ada.team_log()
    assert log[["key", "old_value", "new_value", "reviewer"]].values.tolist() == [
        ["team.blind", None, False, "bob"]
    ]
    assert list(bob.decisions().columns) == ["paper_id", "title", "ada", "bob"]
    assert set(bob.history()["reviewer"]) == {"ada", "bob"} and bob.tags() == ["ada-tag"]
    conflicts = bob.conflicts()
    assert conflicts["paper_id"].tolist() == [p[0], p[1], p[4]]
    assert not conflicts["resolved"].any()
    assert bob.agreement() == pytest.approx(ada.agreement("ada", "bob"))


def test_a_resolver_sees_all_and_records_final_decisions(
    team: dict[str, Review], tmp_path: Path
) -> None:
    ada, bob, cy = team["ada"], team["bob"], team["cy"]
    p = screen(ada, bob)
    ada.set_resolvers(["cy"])
    assert cy.blind and cy.sees_all and not bob.sees_all
    assert cy.conflicts()["paper_id"].tolist() == [p[0], p[1], p[4]]
    with pytest.raises(PermissionError, match="not a resolver"):
        bob.resolve(p[0], decision="include")
    cy.resolve(p[0], decision="include", reason="meets the criteria")
    cy.resolve([p[1], p[4]], decision="exclude", reason="off topic")
    table = cy.conflicts()
    assert table["resolved"].all() and table["resolved_by"].tolist() == ["cy"] * 3
    assert table["final_decision"].tolist() == ["include", "exclude", "exclude"]
    assert cy.conflict_queue().empty
    exported = cy.export(cy.final_papers(), tmp_path / "final.csv")  # exports use final decisions
    rows = pd.read_csv(exported).set_index("paper_id")
    assert rows.loc[p[0], "decision"] == "include" and rows.loc[p[1], "decision"] == "exclude"
    assert rows.loc[p[8], "decision"] == "maybe"
    final = cy.final().set_index("paper_id")
    assert final.loc[p[0], ["final_decision", "final_reason", "basis"]].tolist() == [
        "include", "meets the criteria", "resolved"
    ]  # fmt: skip
    assert final.loc[p[2], "basis"] == "agreed" and final.loc[p[8], "final_decision"] == "maybe"
    history = cy.history(p[0])
    assert history[history["field"] == "final_decision"]["reviewer"].tolist() == ["cy"]
    assert "final_decision" not in set(bob.history()["field"])  # blind: hidden from bob
    cy.undo()  # the last resolution (p1 and p4) is taken back
    assert cy.conflict_queue()["paper_id"].tolist() == [p[1], p[4]]
    cy.redo()
    assert cy.conflict_queue().empty
    # ada's and bob's own undo are untouched by cy's steps
    bob.undo()
    assert bob.papers.set_index("paper_id").loc[p[8], "decision"] == "unscreened"


def test_the_pair_resolves_by_consensus_once_blind_is_off(team: dict[str, Review]) -> None:
    ada, bob = team["ada"], team["bob"]
    p = screen(ada, bob)
    with pytest.raises(PermissionError, match="blind mode is on"):
        ada.resolve(p[0], decision="include")
    ada.set_blind(False)
    ada.resolve(p[0], decision="include", reason="agreed in our meeting")
    assert bob.conflicts().set_index("paper_id").loc[p[0], "resolved_by"] == "ada"


def test_full_text_stage(team: dict[str, Review]) -> None:
    ada, bob = team["ada"], team["bob"]
    p = screen(ada, bob)
    ada.set_blind(False)
    ada.resolve([p[0]], decision="include")
    ada.resolve([p[1], p[4]], decision="exclude")
    assert ada.fulltext_candidates()["paper_id"].tolist() == [p[0], p[2], p[3]]
    with pytest.raises(ValueError, match="not included at title/abstract"):
        ada.annotate_fulltext(p[5], decision="include")
    assert ada.set_fulltext(p[0], location="https://arxiv.org/pdf/2401.00001")
    assert not ada.set_fulltext(p[0], location="https://arxiv.org/pdf/2401.00001")
    ada.set_fulltext(p[3], not_retrieved=True, note="paywalled")
    ada.annotate_fulltext(p[0], decision="include")
    ada.annotate_fulltext(p[2], decision="exclude", reason="no evaluation")
    bob.annotate_fulltext(p[2], decision="exclude", reason="no evaluation")
    record = ada.fulltext().set_index("paper_id")
    assert record.loc[p[3], "not_retrieved"] and record.loc[p[3], "note"] == "paywalled"
    assert record.loc[p[0], "location"].endswith("2401.00001")
    assert ada.fulltext_log()["field"].tolist() == ["location", "not_retrieved", "note"]
    final = ada.final("fulltext").set_index("paper_id")
    assert final.loc[p[2], ["final_decision", "final_reason", "basis"]].tolist() == [
        "exclude", "no evaluation", "agreed"
    ]  # fmt: skip
    assert ada.decisions("fulltext").set_index("paper_id").loc[p[0], "ada"] == "include"
    assert ada.decisions().set_index("paper_id").loc[p[0], "ada"] == "include"  # title untouched
    stage = ada.stage_papers("fulltext").set_index("paper_id")  # the app's full-text view
    assert stage.index.tolist() == [p[0], p[2], p[3]]
    assert stage.loc[p[2], ["decision", "reason"]].tolist() == ["exclude", "no evaluation"]
    assert stage.loc[p[3], "not_retrieved"] and stage.loc[p[3], "fulltext_note"] == "paywalled"
    assert stage.loc[p[0], "fulltext_location"].endswith("2401.00001")
    assert len(ada.stage_papers("title")) == 36
    found = litreview.search(ada.stage_papers("fulltext"), 'reason:"no evaluation"')
    assert found["paper_id"].tolist() == [p[2]]  # the query language at the full-text stage
    fields = ada.history(p[2])["field"].tolist()
    assert fields[-2:] == ["fulltext_decision", "fulltext_reason"]
    ada.undo()
    assert ada.decisions("fulltext").set_index("paper_id").loc[p[2], "ada"] == "unscreened"


def test_settings_are_checked(team: dict[str, Review]) -> None:
    with pytest.raises(ValueError, match="True or False"):
        team["ada"].set_blind("no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        team["ada"].set_resolvers(["cy", " "])
    with pytest.raises(KeyError, match="no paper"):
        team["ada"].set_fulltext("nope", location="x.pdf")


def test_review_decisions_rule() -> None:
    base = pd.DataFrame({"paper_id": ["a", "b"], "title": ["A", "B"]})
    final = {
        "decision": pd.Series(["unscreened", "include"]),
        "reason": pd.Series([None, "ok"]),
        "decided_by": pd.Series([None, "cy"]),
    }
    ada = {"decision": pd.Series(["exclude", "exclude"]), "reason": pd.Series(["x", "y"])}
    bob = {"decision": pd.Series(["exclude", "include"]), "reason": pd.Series([None, None])}
    out = review_decisions(base, {"ada": ada, "bob": bob, "@final": final})
    assert out[["final_decision", "final_reason", "basis", "resolved_by"]].astype(object).where(
        out[["final_decision", "final_reason", "basis", "resolved_by"]].notna(), None
    ).values.tolist() == [["exclude", "x", "agreed", None], ["include", "ok", "resolved", "cy"]]


DECISION_CELLS = st.sampled_from(["include", "exclude", "maybe", "unscreened", None])


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 4).flatmap(
        lambda w: st.lists(st.lists(DECISION_CELLS, min_size=w, max_size=w), max_size=12)
    )
)
def test_disagreeing_is_more_than_one_decision_besides_unscreened(
    rows: list[list[str | None]],
) -> None:
    width = len(rows[0]) if rows else 0
    table = pd.DataFrame(rows, columns=[f"r{i}" for i in range(width)], dtype="string")
    expected = [len({v for v in row if v not in (None, "unscreened")}) > 1 for row in rows]
    assert disagreeing(table).tolist() == expected
    categorical = table.astype(pd.CategoricalDtype(["include", "exclude", "maybe", "unscreened"]))
    assert disagreeing(categorical).tolist() == expected
