"""``litreview field``: define extraction fields, record values, print the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import litreview
from litreview.cli import main
from litreview.review.core import Review


@pytest.fixture
def review(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as ada:
        ada.add(litreview.SAMPLE_LISTING)
        return path, ada.papers["paper_id"].tolist()[:2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_define_set_and_print(capsys, review) -> None:
    path, ids = review
    code, out, _ = run(capsys, "field", str(path))
    assert code == 0 and "no extraction fields yet" in out
    code, out, _ = run(capsys, "field", str(path), "--define", "sample_size", "--kind", "number")
    assert code == 0 and "'sample_size' (number) defined" in out
    argv = ["field", str(path), "--define", "design", "--kind", "choice", "--options", "RCT"]
    assert run(capsys, *argv, "cohort", "--description", "study design")[0] == 0
    code, out, _ = run(capsys, "field", str(path))
    assert out.splitlines()[0].split() == ["name", "kind", "options", "description"]
    assert "RCT, cohort" in out and "study design" in out
    argv = ["field", str(path), *ids, "--set", "sample_size=120", "--set", "design=rct"]
    code, out, _ = run(capsys, *argv, "--reviewer", "bob")
    assert code == 0 and out == "recorded sample_size, design for 2 papers\n"
    code, out, _ = run(capsys, "field", str(path), "--table", "--format", "json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["reviewer"], r["sample_size"], r["design"]) for r in rows] == [
        ("bob", 120, "RCT")
    ] * 2
    with Review.open(path, reviewer="bob") as bob:
        assert bob.papers.loc[0, "sample_size"] == 120
        assert bob.history()["field"].tolist()[-2:] == ["field:design", "field:sample_size"]


def test_errors_are_one_line(capsys, review) -> None:
    path, ids = review
    run(capsys, "field", str(path), "--define", "n", "--kind", "number")
    code, _, err = run(capsys, "field", str(path), ids[0], "--set", "n=lots")
    assert code == 1 and err.count("\n") == 1 and "field 'n' is a number; got 'lots'" in err
    code, _, err = run(capsys, "field", str(path), ids[0], "--set", "m=3")
    assert code == 1 and "no extraction field 'm'" in err
    code, _, err = run(capsys, "field", str(path), ids[0])
    assert code == 2 and "paper IDs need --set" in err
    code, _, err = run(capsys, "field", str(path), "--define", "x")
    assert code == 2 and "--define needs --kind" in err


def test_search_and_export_read_stage_and_field_queries(capsys, review, tmp_path) -> None:
    path, ids = review
    with Review.open(path, reviewer="ada") as ada:
        ada.annotate(ids[0], decision="include")
        ada.define_field("n", "number")
        ada.set_field(ids, "n", 5)
    code, out, _ = run(capsys, "search", str(path), "stage:fulltext", "--reviewer", "ada")
    assert code == 0 and [line.split()[2] for line in out.splitlines()[1:]] == [ids[0]]
    code, out, _ = run(capsys, "search", str(path), "field:n:5", "--reviewer", "ada")
    assert code == 0 and len(out.splitlines()) == 3
    target = tmp_path / "ft.csv"
    argv = ["export", str(path), "--query", "fulltext:unscreened", "-o", str(target)]
    code, _, err = run(capsys, *argv, "--reviewer", "ada")
    assert code == 0 and "wrote 1 papers" in err
    code, _, err = run(capsys, "search", str(path), "stage:nope")
    assert code != 0 and "expected stage:title or stage:fulltext" in err
