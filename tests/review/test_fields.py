"""Extraction fields: typed, per reviewer, undoable, in the history, blind, exchanged."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.review.fields import FieldDef, check_value


@pytest.fixture
def pair(locate: Callable[[str], str | Path]) -> Iterator[tuple[Review, Review, list[str]]]:
    path = locate("team")  # a file, and a PostgreSQL review
    ada = Review.open(path, reviewer="ada")
    ada.add(litreview.SAMPLE_LISTING)
    ada.define_field("sample_size", "number")
    ada.define_field("design", "choice", options=["RCT", "cohort"])
    ada.define_field("blinded", "yesno")
    ada.define_field("setting", "text", description="where the study ran")
    bob = Review.open(path, reviewer="bob")
    ids = ada.papers["paper_id"].tolist()
    yield ada, bob, ids
    ada.close()
    bob.close()


def test_values_are_typed_and_errors_name_field_and_type() -> None:
    size = FieldDef.of("sample_size", "number")
    assert check_value(size, "1_000") == 1000 and check_value(size, "2.5") == 2.5
    for bad in ("many", True, float("inf"), [1]):
        with pytest.raises(ValueError, match="field 'sample_size' is a number; got"):
            check_value(size, bad)
    yes = FieldDef.of("blinded", "yes/no")
    assert [check_value(yes, v) for v in ("Yes", "no", True, 0)] == [True, False, True, False]
    with pytest.raises(ValueError, match=r"'blinded' is yes/no .*got 'maybe'"):
        check_value(yes, "maybe")
    with pytest.raises(ValueError, match="give its options"):
        FieldDef.of("design", "choice")
    with pytest.raises(ValueError, match="a field kind is one of text, number, choice, yesno"):
        FieldDef.of("x", "date")
    with pytest.raises(ValueError, match="'title' is a column of the paper table"):
        FieldDef.of("title", "text")
    with pytest.raises(ValueError, match="lower-case letters"):
        FieldDef.of("sample size", "text")


def test_set_and_read_back(pair: tuple[Review, Review, list[str]]) -> None:
    ada, _, ids = pair
    ada.set_field(ids[:2], "sample_size", "120")
    ada.annotate(ids[0], fields={"design": "rct", "blinded": "yes", "setting": " clinic "})
    papers = ada.papers
    assert papers["sample_size"].dtype == "Int64"
    assert papers["sample_size"].tolist()[:3] == [120, 120, pd.NA]
    assert papers.loc[0, "design"] == "RCT" and list(papers["design"].cat.categories) == [
        "RCT",
        "cohort",
    ]
    assert papers["blinded"].dtype == "boolean" and papers.loc[0, "blinded"]
    assert papers.loc[0, "setting"] == "clinic"
    with pytest.raises(ValueError, match="no extraction field 'size'"):
        ada.set_field(ids[0], "size", 3)
    with pytest.raises(ValueError, match="'design' is a choice of 'RCT', 'cohort'; got 'survey'"):
        ada.annotate(ids[0], decision="include", fields={"design": "survey"})
    assert ada.papers.loc[0, "decision"] == "unscreened"  # nothing written
    ada.set_field(ids[1], "sample_size", 12.5)
    assert ada.papers["sample_size"].dtype == "Float64"


def test_history_undo_redo(pair: tuple[Review, Review, list[str]]) -> None:
    ada, _, ids = pair
    ada.set_field(ids[0], "sample_size", 40)
    ada.set_field(ids[0], "sample_size", 41)
    history = ada.history(ids[0])
    assert history["field"].tolist() == ["field:sample_size", "field:sample_size"]
    assert history["old_value"].tolist() == [None, 40]
    assert history["new_value"].tolist() == [40, 41]
    ada.undo()
    assert ada.papers.loc[0, "sample_size"] == 40
    ada.undo()
    assert pd.isna(ada.papers.loc[0, "sample_size"])
    ada.redo()
    assert ada.papers.loc[0, "sample_size"] == 40
    ada.set_field(ids[0], "sample_size", None)  # clearing is a change too
    assert pd.isna(ada.papers.loc[0, "sample_size"])
    assert ada.field_history("sample_size")["new_value"].tolist()[-1] is None


def test_per_reviewer_and_blind(pair: tuple[Review, Review, list[str]], tmp_path: Path) -> None:
    ada, bob, ids = pair
    ada.annotate(ids[0], decision="include", fields={"sample_size": 100})
    bob.annotate(ids[0], decision="include", fields={"sample_size": 90})
    assert bob.blind and ada.blind
    assert bob.papers.loc[0, "sample_size"] == 90 and ada.papers.loc[0, "sample_size"] == 90 + 10
    assert bob.extraction()[["reviewer", "sample_size"]].values.tolist() == [["bob", 90]]
    assert "field:sample_size" in bob.history()["field"].tolist()
    assert set(bob.history()["reviewer"]) == {"bob"}
    exported = bob.export_annotations(tmp_path / "b.jsonl").read_text().splitlines()
    assert [json.loads(line)["fields"] for line in exported] == [{"sample_size": 90}]
    bob.set_blind(False)
    table = bob.extraction()
    assert table[["reviewer", "sample_size"]].values.tolist() == [["ada", 100], ["bob", 90]]
    assert bob.extraction(reviewer="ada")["sample_size"].tolist() == [100]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_exchange_round_trip(
    pair: tuple[Review, Review, list[str]],
    suffix: str,
    tmp_path: Path,
    locate: Callable[[str], str | Path],
) -> None:
    ada, _, ids = pair
    ada.annotate(ids[0], fields={"sample_size": 120, "design": "cohort", "blinded": False})
    ada.annotate(ids[1], fields={"setting": "=cmd"})
    out = ada.export_annotations(tmp_path / f"a{suffix}")
    text = out.read_text()
    if suffix == ".csv":
        header = text.splitlines()[0].split(",")
        assert header[-4:] == [
            "field:sample_size",
            "field:design",
            "field:blinded",
            "field:setting",
        ]
        assert ",'=cmd" in text and ",no," in text
    else:
        assert json.loads(text.splitlines()[0])["fields"]["sample_size"] == 120
    other = Review.open(locate("other"), reviewer="ada")
    other.add(litreview.SAMPLE_LISTING)
    with pytest.raises(
        litreview.ListingError, match=r"no extraction field '(blinded|sample_size)'"
    ):
        other.import_annotations(out)
    for name, kind, opts in [
        ("sample_size", "number", None),
        ("design", "choice", ["RCT", "cohort"]),
        ("blinded", "yesno", None),
        ("setting", "text", None),
    ]:
        other.define_field(name, kind, options=opts)
    report = other.import_annotations(out)
    assert report.applied == 4
    got = other.extraction()
    assert got.loc[0, ["sample_size", "design", "blinded"]].tolist() == [120, "cohort", False]
    assert got.loc[1, "setting"] == "=cmd"
    other.set_field(ids[0], "sample_size", 7)
    report = other.import_annotations(out)
    assert report.conflicts[["field", "local", "incoming"]].values.tolist() == [
        ["field:sample_size", 7, 120]
    ]
    other.import_annotations(out, on_conflict="replace")
    assert other.papers.loc[0, "sample_size"] == 120
    other.undo()
    assert other.papers.loc[0, "sample_size"] == 7
    other.close()


def test_definitions_are_logged_and_protect_values(pair: tuple[Review, Review, list[str]]) -> None:
    ada, bob, ids = pair
    assert ada.fields()["name"].tolist() == ["sample_size", "design", "blinded", "setting"]
    ada.set_field(ids[0], "design", "RCT")
    with pytest.raises(ValueError, match="stored values would not fit: 'RCT'"):
        bob.define_field("design", "choice", options=["cohort", "case series"])
    bob.define_field("design", "choice", options=["RCT", "cohort", "case series"])
    assert ada.fields().loc[1, "options"] == ["RCT", "cohort", "case series"]
    with pytest.raises(ValueError, match="holds 1 value"):
        ada.remove_field("design")
    ada.remove_field("setting")
    assert "setting" not in ada.papers.columns
    assert ada.field_log()["reviewer"].tolist() == ["ada"] * 4 + ["bob", "ada"]


def test_csv_export_has_the_field_columns(
    pair: tuple[Review, Review, list[str]], tmp_path: Path
) -> None:
    ada, _, ids = pair
    ada.set_field(ids[0], "sample_size", 120)
    out = ada.export(ada.papers.head(2), tmp_path / "papers.csv")
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["sample_size"].tolist() == ["120", ""]


def test_a_version_5_file_migrates_with_no_values(tmp_path: Path) -> None:
    path = tmp_path / "old.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.annotate(review.papers["paper_id"][0], decision="include")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE annotations DROP COLUMN fields")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with Review.open(path, reviewer="ada") as review:
        assert review.papers.loc[0, "decision"] == "include"
        review.define_field("n", "number")
        review.set_field(review.papers["paper_id"][0], "n", 3)
        assert review.papers.loc[0, "n"] == 3


def test_bibtex_entries_get_the_fields(
    pair: tuple[Review, Review, list[str]], tmp_path: Path
) -> None:
    import pybtex.database

    from litreview.writers import to_bibtex

    ada, _, ids = pair
    ada.annotate(ids[0], fields={"sample_size": 120, "design": "RCT", "blinded": False})
    out = tmp_path / "papers.bib"
    out.write_text(to_bibtex(ada.with_fields_in_extra(ada.papers.head(2))), encoding="utf-8")
    exported = ada.export(ada.papers.head(2), tmp_path / "exported.bib")  # the review's own export
    assert "sample_size = {120}" in exported.read_text()
    entries = list(pybtex.database.parse_file(str(out)).entries.values())
    assert entries[0].fields["sample_size"] == "120" and entries[0].fields["design"] == "RCT"
    assert entries[0].fields["blinded"] == "no" and "sample_size" not in entries[1].fields
