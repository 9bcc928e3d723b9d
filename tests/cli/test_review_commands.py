"""``litreview history``, ``undo`` and ``conflicts``: the shell can read what changed,
take a change back and see where reviewers disagree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import litreview
from litreview.cli import main
from litreview.review.core import Review


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, list[str]]:
    """A review on the sample where ada and bob disagree on the first paper."""
    path = tmp_path / "team.litreview"
    with Review.open(path, reviewer="ada") as ada:
        ada.add(litreview.SAMPLE_LISTING)
        ids = ada.papers["paper_id"].tolist()[:3]
        ada.annotate(ids[0], decision="include")
        ada.annotate(ids[1], decision="exclude", reason="off topic")
    with Review.open(path, reviewer="bob") as bob:
        bob.annotate(ids[0], decision="exclude", reason="survey")
        bob.annotate(ids[1], decision="exclude", reason="off topic")
        bob.set_blind(False)  # the team compares decisions (blind: see the tests below)
    return path, ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_lists_every_change_with_who_and_what(capsys, team) -> None:
    path, ids = team
    code, out, _ = run(capsys, "history", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["at", "reviewer", "paper_id", "field", "old_value", "new_value"]
    assert sum(" bob " in f" {line} " for line in lines) == 4  # 2 decisions + 2 reasons
    assert any(ids[0] in line and "survey" in line for line in lines)


def test_history_of_one_paper_one_reviewer_as_json(capsys, team) -> None:
    path, ids = team
    argv = ["history", str(path), ids[0], "--reviewer", "ada", "--format", "json"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    rows = json.loads(out)
    assert [(r["paper_id"], r["field"], r["new_value"]) for r in rows] == [
        (ids[0], "decision", "include")
    ]


def test_history_of_an_unknown_paper_is_one_error_line(capsys, team) -> None:
    path, _ = team
    code, _, err = run(capsys, "history", str(path), "no-such-paper")
    assert code == 1
    assert err.count("litreview: error:") == 1 and "no-such-paper" in err


def test_undo_reverts_the_reviewers_latest_change_on_disk_and_redo_reapplies(capsys, team):
    path, ids = team
    code, out, _ = run(capsys, "undo", str(path), "--reviewer", "bob")
    assert code == 0 and out.startswith("undo 1:")
    with Review.open(path, reviewer="bob") as bob:
        mine = bob.papers.set_index("paper_id")
        assert mine.loc[ids[1], "decision"] == "unscreened"
        assert mine.loc[ids[0], "decision"] == "exclude"
    with Review.open(path, reviewer="ada") as ada:  # ada's own changes are untouched
        assert ada.papers.set_index("paper_id").loc[ids[1], "decision"] == "exclude"
    code, out, _ = run(capsys, "undo", str(path), "--reviewer", "bob", "--redo")
    assert code == 0 and out.startswith("redo 1:")
    with Review.open(path, reviewer="bob") as bob:
        assert bob.papers.set_index("paper_id").loc[ids[1], "decision"] == "exclude"


def test_undo_past_the_first_change_stops_with_one_error(capsys, team) -> None:
    path, _ = team
    code, out, err = run(capsys, "undo", str(path), "--reviewer", "bob", "--steps", "5")
    assert code == 1
    assert out.count("undo ") == 2  # bob made two changes; both undone and saved
    assert "stopped after 2 of 5 steps" in err
    assert err.count("litreview: error:") == 1 and "nothing to undo" in err
    with Review.open(path, reviewer="bob") as bob:
        assert set(bob.papers["decision"].astype(str)) == {"unscreened"}


def test_conflicts_lists_the_disagreement_and_kappa(capsys, team) -> None:
    path, ids = team
    code, out, _ = run(capsys, "conflicts", str(path), "--kappa")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1 conflict between ada, bob"
    assert lines[1].split()[:2] == ["paper_id", "title"]
    assert lines[1].split()[-2:] == ["ada", "bob"]
    assert lines[2].startswith(ids[0]) and lines[2].split()[-2:] == ["include", "exclude"]
    assert lines[-1].startswith("kappa ada / bob: ")


# -- resolve and prisma (issue 19, item 7) ---------------------------------------------


def test_resolve_records_the_final_decision_of_a_resolver(capsys, team) -> None:
    path, ids = team
    with Review.open(path, reviewer="ada") as ada:
        ada.set_resolvers(["cy"])
    argv = ["resolve", str(path), ids[0], "--decision", "include", "--reason", "in scope"]
    code, _, err = run(capsys, *argv, "--reviewer", "bob")
    assert code == 1 and err.count("litreview: error:") == 1 and "not a resolver" in err
    code, out, _ = run(capsys, *argv, "--reviewer", "cy")
    assert code == 0
    assert out == "resolved 1 paper as include (title) by cy; 0 open conflicts\n"
    with Review.open(path, reviewer="cy") as cy:
        row = cy.conflicts().set_index("paper_id").loc[ids[0]]
        assert row["resolved"] and row["final_reason"] == "in scope"
    code, out, _ = run(capsys, "undo", str(path), "--reviewer", "cy")
    assert code == 0
    with Review.open(path, reviewer="cy") as cy:
        assert cy.conflict_queue()["paper_id"].tolist() == [ids[0]]


def test_prisma_prints_and_writes_every_format(capsys, team, tmp_path) -> None:
    path, ids = team
    code, out, _ = run(capsys, "prisma", str(path), "--format", "json", "--reviewer", "ada")
    rows = {(r["stage"], r["box"], r["label"]): r["n"] for r in json.loads(out)}
    assert code == 0 and rows[("title", "screened", "Records screened")] == 2
    assert rows[("title", "pending", "conflict")] == 1  # blind off: ada and bob disagree on one
    assert rows[("title", "reason", "off topic")] == 1
    code, out, _ = run(capsys, "prisma", str(path), "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "stage,box,label,n"
    svg = tmp_path / "flow.svg"
    code, _, err = run(capsys, "prisma", str(path), "--format", "svg", "-o", str(svg))
    assert code == 0 and svg.read_text().startswith("<svg") and "wrote" in err
    code, _, err = run(capsys, "prisma", str(path), "--format", "svg", "-o", str(svg))
    assert code == 1 and "--overwrite" in err
    page = tmp_path / "flow.html"
    code, _, _ = run(capsys, "prisma", str(path), "--format", "html", "-o", str(page))
    assert code == 0 and "Records screened (n = 2)" in page.read_text()
    code, _, err = run(capsys, "prisma", str(path), "--format", "html")
    assert code == 1 and "needs -o FILE" in err
    code, out, _ = run(capsys, "prisma", str(path), "--box", "excluded", "--stage", "title")
    assert code == 0 and ids[1] in out and ids[0] not in out


def test_the_shell_respects_blind_mode(capsys, team, monkeypatch) -> None:
    path, _ = team
    with Review.open(path, reviewer="ada") as ada:
        ada.set_blind(True)
    monkeypatch.setenv("LITREVIEW_REVIEWER", "dan")
    code, out, _ = run(capsys, "history", str(path))
    assert code == 0 and out == "(no changes)\n"  # the shell's user screened nothing
    monkeypatch.setenv("LITREVIEW_REVIEWER", "bob")
    code, out, _ = run(capsys, "history", str(path))
    assert code == 0 and " ada " not in out and out.count(" bob ") == 4
    code, out, _ = run(capsys, "conflicts", str(path))
    assert code == 0 and out.startswith("0 conflicts between bob")
