"""The whole PRISMA 2020 flow of a scripted two-reviewer review (issue 19): every box
at both stages equals a hand count, and prisma_records returns exactly its papers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review, charts
from litreview.charts.prisma_2020 import flow_layout, flow_svg


def scripted(path: Path) -> tuple[dict[str, Review], list[str]]:
    """ada and bob screen blind, cy resolves; the counts are worked out by hand below."""
    sample = litreview.read_listing(litreview.SAMPLE_LISTING)
    ada = Review.open(path, reviewer="ada")
    ada.add(sample.iloc[:24].assign(source="week1.txt"))
    ada.add(sample.iloc[16:].assign(source="week2.txt"))  # 8 records seen twice
    bob, cy = Review.open(path, reviewer="bob"), Review.open(path, reviewer="cy")
    p = ada.papers["paper_id"].tolist()
    ada.annotate(p[0:14], decision="include")
    bob.annotate(p[0:10], decision="include")
    bob.annotate(p[10:14], decision="exclude", reason="wrong study type")
    ada.annotate(p[14:20], decision="exclude", reason="off topic")
    bob.annotate(p[14:20], decision="exclude", reason="off topic")
    ada.annotate(p[20:22], decision="exclude")
    ada.annotate(p[22:24], decision="maybe")
    ada.set_resolvers(["cy"])
    cy.resolve(p[10:12], decision="include", reason="meets the criteria")
    cy.resolve(p[12], decision="exclude", reason="wrong study type")  # p13 stays a conflict
    for pid in (p[0], p[2], p[3], p[4], p[10]):
        ada.set_fulltext(pid, location=f"pdfs/{pid}.pdf")
    ada.set_fulltext(p[9], not_retrieved=True, note="paywalled")
    ada.annotate_fulltext([p[0], p[1], p[2], p[3], p[4], p[10]], decision="include")
    bob.annotate_fulltext([p[0], p[2], p[3], p[4], p[7]], decision="include")
    bob.annotate_fulltext([p[1], p[5], p[6]], decision="exclude", reason="no evaluation")
    ada.annotate_fulltext([p[5], p[6]], decision="exclude", reason="no evaluation")
    ada.annotate_fulltext(p[7], decision="exclude", reason="wrong population")
    ada.annotate_fulltext(p[8], decision="maybe")
    cy.resolve(p[7], decision="exclude", reason="wrong population", stage="fulltext")
    return {"ada": ada, "bob": bob, "cy": cy}, p


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[dict[str, Review], list[str]]]:
    reviews, p = scripted(tmp_path / "team.litreview")
    yield reviews, p
    for review in reviews.values():
        review.close()


def boxes(review: Review) -> dict[tuple[str, str, str], int]:
    table = review.prisma_table()
    return {(s, b, lbl): int(n) for s, b, lbl, n in table.itertuples(index=False, name=None)}


def test_every_box_of_the_resolvers_flow_equals_the_hand_count(team) -> None:
    reviews, _ = team
    got = boxes(reviews["cy"])
    hand = {
        ("identification", "identified", "week1.txt"): 24,
        ("identification", "identified", "week2.txt"): 20,
        ("identification", "duplicates", "Duplicate records removed"): 8,
        ("identification", "removed", "Records removed for other reasons"): 0,
        ("title", "screened", "Records screened"): 24,
        ("title", "unscreened", "Records not screened yet"): 12,
        ("title", "excluded", "Records excluded"): 9,
        ("title", "reason", "off topic"): 6,
        ("title", "reason", "wrong study type"): 1,
        ("title", "reason", "(no reason given)"): 2,
        ("title", "awaiting", "Awaiting a decision"): 3,
        ("title", "pending", "maybe"): 2,
        ("title", "pending", "conflict"): 1,
        ("fulltext", "sought", "Reports sought for retrieval"): 12,
        ("fulltext", "not_retrieved", "Reports not retrieved"): 1,
        ("fulltext", "assessed", "Reports assessed for eligibility"): 10,
        ("fulltext", "unassessed", "Reports not assessed yet"): 1,
        ("fulltext", "excluded", "Reports excluded"): 3,
        ("fulltext", "reason", "no evaluation"): 2,
        ("fulltext", "reason", "wrong population"): 1,
        ("fulltext", "awaiting", "Awaiting a decision"): 2,
        ("fulltext", "pending", "maybe"): 1,
        ("fulltext", "pending", "conflict"): 1,
        ("included", "included", "Studies included in review"): 5,
    }
    imports = {k: v for k, v in got.items() if k[1] == "import"}
    assert sorted(imports.values()) == [20, 24] and len(imports) == 2  # one row per import
    assert {k: v for k, v in got.items() if k[1] != "import"} == hand


def test_prisma_records_are_exactly_the_papers_of_each_box(team) -> None:
    reviews, p = team
    cy = reviews["cy"]

    def records(box: str, stage: str | None = None, label: str | None = None) -> set[str]:
        return set(cy.prisma_records(box, stage=stage, label=label)["paper_id"])

    assert records("screened") == set(p[:24]) and records("unscreened") == set(p[24:])
    assert records("excluded", "title") == {p[12], *p[14:22]}
    assert records("reason", "title", "wrong study type") == {p[12]}
    assert records("reason", "title", "(no reason given)") == {p[20], p[21]}
    assert records("pending", "title", "conflict") == {p[13]}
    assert records("awaiting", "title") == {p[13], p[22], p[23]}
    assert records("sought") == set(p[:12])
    assert records("not_retrieved", "retrieval") == {p[9]}
    assert records("assessed") == {*p[:9], p[10]} and records("unassessed") == {p[11]}
    assert records("excluded", stage="fulltext") == {p[5], p[6], p[7]}
    assert records("reason", "fulltext", "wrong population") == {p[7]}
    assert records("awaiting", "fulltext") == {p[1], p[8]}
    assert records("included") == {p[0], p[2], p[3], p[4], p[10]}
    flow = cy.prisma()
    for (stage, box, label), n in boxes(cy).items():  # every box's papers add up to its number
        if stage != "identification":
            assert (
                len(flow.records(box, stage, label if box in ("reason", "pending") else None)) == n
            )
    with pytest.raises(ValueError, match="pass stage="):
        cy.prisma_records("excluded")
    with pytest.raises(ValueError, match="import records"):
        cy.prisma_records("duplicates")
    with pytest.raises(KeyError, match="no box"):
        cy.prisma_records("nonsense")


def test_in_blind_mode_bobs_flow_is_his_own(team) -> None:
    reviews, p = team
    got = boxes(reviews["bob"])
    assert got[("title", "screened", "Records screened")] == 20
    assert got[("title", "excluded", "Records excluded")] == 10
    assert got[("title", "reason", "wrong study type")] == 4
    assert ("title", "reason", "(no reason given)") not in got  # ada's reasonless excludes
    assert got[("title", "awaiting", "Awaiting a decision")] == 0
    assert got[("fulltext", "sought", "Reports sought for retrieval")] == 10
    assert got[("fulltext", "assessed", "Reports assessed for eligibility")] == 8
    assert got[("fulltext", "excluded", "Reports excluded")] == 3
    assert got[("included", "included", "Studies included in review")] == 5
    assert set(reviews["bob"].prisma_records("included")["paper_id"]) == {
        p[0], p[2], p[3], p[4], p[7]
    }  # fmt: skip


def test_the_2020_figure_and_svg_show_every_number(team) -> None:
    reviews, _ = team
    cy = reviews["cy"]
    counts = charts.prisma_counts(cy, flow="2020")
    pd.testing.assert_frame_equal(counts, cy.prisma_table())
    fig = charts.prisma(cy, flow="2020")
    assert [list(r) for r in fig.data[0].customdata] == counts.values.tolist()
    layout = flow_layout(counts)
    texts = [a.text for a in fig.layout.annotations if not a.showarrow and a.textangle is None]
    assert texts == layout["text"].tolist()
    text = "\n".join(texts)
    for line in ("Records identified (n = 44) from:", "Duplicate records (n = 8)",
                 "Records screened (n = 24)", "Reports not retrieved (n = 1)",
                 "Reports assessed for eligibility (n = 10)", "no evaluation (n = 2)",
                 "reviewers disagree (n = 1)", "Studies included in review (n = 5)"):  # fmt: skip
        assert line in text
    svg = ET.fromstring(flow_svg(counts))
    ns = "{http://www.w3.org/2000/svg}"
    drawn = [r.get("data-box") for r in svg.iter(f"{ns}rect") if r.get("class") == "box"]
    assert drawn == layout["box"].tolist()
    words = " ".join(t.text or "" for t in svg.iter(f"{ns}text"))
    assert "Studies included in review (n = 5)" in words and "Identification" in words
    assert len(list(svg.iter(f"{ns}line"))) == 4 + 6  # down the left column, to each right box


def test_a_single_stage_review_from_dataframes_keeps_its_includes() -> None:
    papers = pd.DataFrame(
        {
            "paper_id": list("abcd"),
            "decision": ["include", "exclude", "maybe", "unscreened"],
            "reason": [None, "<b>off</b>", None, None],
        }
    )
    imports = pd.DataFrame({"source": ["x.ris", "x.ris"], "n_records": [3, 2],
                            "content_hash": ["h1", "h1"]})  # fmt: skip
    counts = charts.prisma_counts(papers=papers, imports=imports, flow="2020")
    assert set(counts["stage"]) == {"identification", "title", "included"}
    got = counts.set_index(["stage", "box"])["n"]
    assert got[("identification", "identified")].sum() == 4  # the repeat adds nothing; 1 added
    assert got[("included", "included")] == 1 and got[("title", "screened")] == 3
    assert "&lt;b&gt;off&lt;/b&gt;" in flow_svg(counts)
    legacy = charts.prisma_counts(papers=papers, imports=imports)  # today's table unchanged
    assert list(legacy.columns) == ["stage", "label", "n"]
    with pytest.raises(ValueError, match="flow must be one of"):
        charts.prisma_counts(papers=papers, imports=imports, flow="2009")
