"""The report of a team review says whose it is (issue 19, item 6): reviewers, counts,
kappa and conflicts for a resolver; only the reader's own work in blind mode."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from litreview.report import write_report
from tests.charts.test_prisma_2020 import scripted


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_resolvers_report_names_both_reviewers_and_shows_kappa(tmp_path: Path) -> None:
    reviews, _ = scripted(tmp_path / "team.litreview")
    cy = reviews["cy"]
    try:
        html = write_report(cy, tmp_path / "cy.html").read_text(encoding="utf-8")
        kappa = cy.agreement("ada", "bob")
    finally:
        for review in reviews.values():
            review.close()
    body = text(html)
    assert "Report of cy" in body and "Reviewers: ada, bob" in body and "resolvers: cy" in body
    assert f"title ada / bob {kappa:.3f}" in body
    assert "4 conflicts, 3 resolved, 1 open" in body and "2 conflicts, 1 resolved, 1 open" in body
    assert re.search(r"ada title 24 14 8 2", body) and re.search(r"bob title 20 10 10 0", body)
    assert "Studies included in review (n = 5)" in html  # the 2020 flow, from final decisions
    selection = html[html.index('id="selection"') :]
    assert "Selection: 12 included papers" in selection  # final title decisions: 12 includes


def test_bob_reads_only_his_own_work_in_his_report(tmp_path: Path) -> None:
    path = tmp_path / "team.litreview"
    reviews, p = scripted(path)
    reviews["ada"].annotate(p[0], note="ada-secret-note", add_tags="ada-secret-tag")
    for review in reviews.values():
        review.close()
    html = write_report(path, tmp_path / "bob.html", reviewer="bob").read_text(encoding="utf-8")
    body = text(html)
    assert "Report of bob" in body and "bob's own decisions (blind mode)" in body
    assert "hidden while blind mode is on" in body and "kappa" not in body.lower()
    assert "ada-secret" not in html and "(no reason given)" not in html  # ada's reasonless
    assert "Selection: 10 included papers" in body  # bob's own includes
    assert re.search(r"title screened Records screened 20 ", body)


@pytest.mark.parametrize("name", ["ada", "bob"])
def test_a_reviewers_report_without_blind_mode_uses_final_decisions(tmp_path, name) -> None:
    reviews, _ = scripted(tmp_path / "team.litreview")
    reviews["ada"].set_blind(False)
    html = write_report(reviews[name], tmp_path / "r.html").read_text(encoding="utf-8")
    for review in reviews.values():
        review.close()
    assert "the review's final decisions" in text(html)
    assert "Selection: 12 included papers" in text(html)
