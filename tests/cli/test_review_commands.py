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
