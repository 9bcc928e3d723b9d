"""Issue 19's "done means", scripted end to end: ada and bob screen blind (cy resolves),
fill extraction fields and search by stage; bob never sees ada's work through any door;
bob's own PRISMA 2020 flow equals a hand count in every box, and each box's records are
exactly its papers. (The resolver's flow is counted by hand in tests/charts.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from litreview import Review, search
from litreview.cli import main
from litreview.report import write_report
from tests.charts.test_prisma_2020 import scripted

SECRET = "ada-secret"


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[dict[str, Review], list[str]]]:
    reviews, p = scripted(tmp_path / "team.litreview")
    ada, bob = reviews["ada"], reviews["bob"]
    ada.define_field("sample_size", "number")
    ada.define_field("design", "choice", options=["RCT", "cohort"])
    ada.define_field("setting", "text")
    ada.annotate(p[0], note=f"{SECRET} note", add_tags=f"{SECRET}-tag")
    ada.annotate(
        p[0], fields={"sample_size": 987653, "design": "RCT", "setting": f"{SECRET} clinic"}
    )
    ada.set_field(p[1], "sample_size", 987653)
    bob.annotate(p[0], fields={"sample_size": 30, "design": "cohort"})
    yield reviews, p
    for review in reviews.values():
        review.close()


def ids(frame) -> set[str]:  # type: ignore[no-untyped-def]
    return set(frame["paper_id"])


def test_bob_never_sees_adas_work(team, tmp_path: Path, capsys, monkeypatch) -> None:
    reviews, p = team
    bob = reviews["bob"]
    assert bob.blind and not bob.sees_all
    own = {p[i]: "include" for i in range(10)} | {p[i]: "exclude" for i in range(10, 20)}
    papers = bob.papers.set_index("paper_id")
    decided = papers["decision"].astype(str)
    assert decided[decided != "unscreened"].to_dict() == own
    assert papers.loc[p[0], "sample_size"] == 30 and papers.loc[p[0], "design"] == "cohort"
    assert papers["sample_size"].dropna().tolist() == [30]
    assert bob.extraction()["reviewer"].tolist() == ["bob"]
    views = [
        bob.papers,
        bob.search_table(),
        bob.stage_papers("fulltext"),
        bob.decisions(),
        bob.decisions("fulltext"),
        bob.history(),
        bob.final(),
        bob.final("fulltext"),
        bob.final_papers(),
        bob.conflicts(),
        bob.extraction(),
        bob.prisma_table(),
    ]
    for view in views:
        assert SECRET not in view.to_string() and "ada" not in view.columns
    assert set(bob.history()["reviewer"]) == {"bob"}
    assert not any(SECRET in t for t in bob.tags())
    for suffix in (".csv", ".jsonl"):
        text = bob.export_annotations(tmp_path / f"bob{suffix}").read_text()
        assert SECRET not in text and "987653" not in text
        assert ",ada," not in text and '"ada"' not in text
    assert "987653" not in bob.export(bob.papers, tmp_path / "bob-papers.csv").read_text()
    report = write_report(bob, tmp_path / "bob.html").read_text(encoding="utf-8")
    assert SECRET not in report and "987653" not in report and "Extraction fields" in report
    # the query language's new fields read bob's own work only
    assert ids(bob.search("decision:include")) == set(p[:10])
    assert ids(bob.search("stage:fulltext")) == set(p[:10])
    assert ids(bob.search("fulltext:include")) == {p[0], p[2], p[3], p[4], p[7]}
    assert ids(bob.search("fulltext:not-retrieved")) == {p[9]}
    assert ids(bob.search("fulltext:awaiting")) == {p[8]}
    assert ids(bob.search("fulltext:retrieved")) == {p[0], p[2], p[3], p[4]}
    assert bob.search("field:sample_size:900000..").empty
    assert ids(bob.search("field:sample_size:10..50 field:design:cohort")) == {p[0]}
    assert bob.search(f"field:setting:{SECRET}").empty and bob.search(f"note:{SECRET}").empty
    assert ids(search(bob.stage_papers("fulltext"), "fulltext:exclude")) == {p[1], p[5], p[6]}
    # and the shell, as bob
    monkeypatch.setenv("LITREVIEW_REVIEWER", "bob")
    assert main(["history", str(bob.path)]) == 0
    out = capsys.readouterr().out
    assert " ada " not in out and SECRET not in out and "field:sample_size" in out
    assert main(["field", str(bob.path), "--table", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert (
        SECRET not in out
        and "987653" not in out
        and out.splitlines()[1].endswith(",bob,30,cohort,")
    )


def test_the_resolver_sees_everyones_fields_and_the_report_shows_them(team, tmp_path) -> None:
    reviews, p = team
    cy = reviews["cy"]
    table = cy.extraction()
    assert table[["paper_id", "reviewer", "sample_size"]].values.tolist() == sorted(
        [[p[0], "ada", 987653], [p[0], "bob", 30], [p[1], "ada", 987653]]
    )
    assert ids(cy.search_table().query("stage == 'fulltext'")) == set(p[:12])
    report = write_report(cy, tmp_path / "cy.html").read_text(encoding="utf-8")
    assert f"{SECRET} clinic" in report and "Reviewers: <b>ada, bob</b>" in report
    assert "RCT (1), cohort (1)" in report  # the most common values of a field


def boxes(review: Review) -> dict[tuple[str, str, str], int]:
    table = review.prisma_table()
    return {(s, b, lbl): int(n) for s, b, lbl, n in table.itertuples(index=False, name=None)}


def test_bobs_own_flow_equals_a_hand_count_in_every_box(team) -> None:
    reviews, p = team
    bob = reviews["bob"]
    hand = {
        ("identification", "identified", "week1.txt"): 24,
        ("identification", "identified", "week2.txt"): 20,
        ("identification", "duplicates", "Duplicate records removed"): 8,
        ("identification", "removed", "Records removed for other reasons"): 0,
        ("title", "screened", "Records screened"): 20,
        ("title", "unscreened", "Records not screened yet"): 16,
        ("title", "excluded", "Records excluded"): 10,
        ("title", "reason", "off topic"): 6,
        ("title", "reason", "wrong study type"): 4,
        ("title", "awaiting", "Awaiting a decision"): 0,
        ("title", "pending", "maybe"): 0,
        ("title", "pending", "conflict"): 0,
        ("fulltext", "sought", "Reports sought for retrieval"): 10,
        ("fulltext", "not_retrieved", "Reports not retrieved"): 1,
        ("fulltext", "assessed", "Reports assessed for eligibility"): 8,
        ("fulltext", "unassessed", "Reports not assessed yet"): 1,
        ("fulltext", "excluded", "Reports excluded"): 3,
        ("fulltext", "reason", "no evaluation"): 3,
        ("fulltext", "awaiting", "Awaiting a decision"): 0,
        ("fulltext", "pending", "maybe"): 0,
        ("fulltext", "pending", "conflict"): 0,
        ("included", "included", "Studies included in review"): 5,
    }
    got = boxes(bob)
    assert {k: v for k, v in got.items() if k[1] != "import"} == hand
    members = {
        ("screened", "title", None): set(p[:20]),
        ("unscreened", "title", None): set(p[20:]),
        ("excluded", "title", None): set(p[10:20]),
        ("reason", "title", "wrong study type"): set(p[10:14]),
        ("reason", "title", "off topic"): set(p[14:20]),
        ("awaiting", "title", None): set(),
        ("sought", "fulltext", None): set(p[:10]),
        ("not_retrieved", "fulltext", None): {p[9]},
        ("assessed", "fulltext", None): set(p[:8]),
        ("unassessed", "fulltext", None): {p[8]},
        ("excluded", "fulltext", None): {p[1], p[5], p[6]},
        ("reason", "fulltext", "no evaluation"): {p[1], p[5], p[6]},
        ("awaiting", "fulltext", None): set(),
        ("included", None, None): {p[0], p[2], p[3], p[4], p[7]},
    }
    for (box, stage, label), want in members.items():
        assert ids(bob.prisma_records(box, stage=stage, label=label)) == want, (box, stage)
    # the stage query fields agree with the flow's boxes
    assert ids(bob.search("stage:fulltext")) == members[("sought", "fulltext", None)]
    assert ids(bob.search("fulltext:exclude")) == members[("excluded", "fulltext", None)]


def test_extraction_values_are_in_the_jsonl_exchange_per_reviewer(team, tmp_path) -> None:
    reviews, p = team
    out = reviews["cy"].export_annotations(tmp_path / "all.jsonl")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    got = {(r["paper_id"], r["reviewer"]): r["fields"] for r in rows if r["fields"]}
    assert got == {
        (p[0], "ada"): {"design": "RCT", "sample_size": 987653, "setting": f"{SECRET} clinic"},
        (p[0], "bob"): {"design": "cohort", "sample_size": 30},
        (p[1], "ada"): {"sample_size": 987653},
    }


def test_settling_the_last_conflicts_moves_exactly_those_papers(team) -> None:
    reviews, p = team
    cy, bob = reviews["cy"], reviews["bob"]
    assert cy.conflict_queue()["paper_id"].tolist() == [p[13]]
    assert cy.conflict_queue("fulltext")["paper_id"].tolist() == [p[1]]
    assert bob.conflict_queue().empty  # blind: bob has nothing to compare
    cy.resolve(p[13], decision="include", reason="in scope after discussion")
    cy.resolve(p[1], decision="exclude", reason="no evaluation", stage="fulltext")
    assert cy.conflict_queue().empty and cy.conflict_queue("fulltext").empty
    got = boxes(cy)
    assert got[("title", "awaiting", "Awaiting a decision")] == 2
    assert got[("title", "pending", "conflict")] == 0
    assert got[("fulltext", "sought", "Reports sought for retrieval")] == 13
    assert got[("fulltext", "unassessed", "Reports not assessed yet")] == 2
    assert got[("fulltext", "excluded", "Reports excluded")] == 4
    assert got[("fulltext", "reason", "no evaluation")] == 3
    assert got[("fulltext", "awaiting", "Awaiting a decision")] == 1
    assert got[("included", "included", "Studies included in review")] == 5
    assert ids(cy.prisma_records("unassessed")) == {p[11], p[13]}
    assert ids(cy.prisma_records("awaiting", stage="fulltext")) == {p[8]}
    assert ids(cy.search_table().query("stage == 'fulltext'")) == {*p[:12], p[13]}
    assert ids(cy.search("stage:fulltext")) == ids(cy.prisma_records("sought"))
    assert (
        boxes(bob)[("fulltext", "sought", "Reports sought for retrieval")] == 10
    )  # bob's own flow
    cy.undo()
    assert cy.conflict_queue("fulltext")["paper_id"].tolist() == [p[1]]
