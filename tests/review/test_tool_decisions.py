"""Decisions other screening tools exported (ASReview, Rayyan, Covidence) become the
review's annotations under the tools' reviewer names, as one undoable import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import litreview
from litreview.review.tool_decisions import tool_decisions
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "export"


def _annotations(review: litreview.Review, tmp_path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every reviewer's annotations, by (title, reviewer)."""
    path = review.export_annotations(tmp_path / "all.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    path.unlink()
    return {(r["title"], r["reviewer"]): r for r in rows}


@pytest.fixture
def review(locate: Any) -> Any:
    with litreview.Review.open(locate("r"), reviewer="me") as opened:
        yield opened


def test_asreview_csv_labels_become_decisions(review: Any, tmp_path: Path) -> None:
    summary = review.add(FIXTURES / "asreview.csv")
    assert summary.new == 3 and summary.decisions == {"asreview": 2}
    assert "2 decision(s) imported (asreview 2)" in str(summary)
    assert "decisions={'asreview': 2}" in repr(summary) and "conflicts" not in repr(summary)
    got = _annotations(review, tmp_path)
    assert got[("Active learning for screening prioritisation", "asreview")]["decision"] == (
        "include"
    )
    assert got[("Stopping rules for screening", "asreview")]["decision"] == "exclude"
    assert ("Unscreened record", "asreview") not in got  # empty label: not seen
    assert review.decisions()["me"].eq("unscreened").all()  # the user's own: untouched


def test_asreview_lab_export_keeps_its_reviewer_time_and_note(review: Any, tmp_path: Path) -> None:
    text = (
        "record_id,title,abstract,asreview_label,asreview_time,asreview_note,asreview_user_name\n"
        "1,First,x,1,2025-09-07T11:00:00Z,keep: on topic,Jonas\n"
        "2,Second,y,0,2025-09-07T11:05:00Z,,Jonas\n"
        "3,Third,z,,,,\n"
    )
    summary = review.add(text)
    assert summary.decisions == {"Jonas": 2}
    got = _annotations(review, tmp_path)
    first = got[("First", "Jonas")]
    assert (first["decision"], first["note"]) == ("include", "keep: on topic")
    assert first["decided_by"] == "Jonas" and first["decided_at"].startswith("2025-09-07T11:00:00")


def test_rayyan_csv_notes_become_each_reviewers_decision(review: Any, tmp_path: Path) -> None:
    summary = review.add(FIXTURES / "rayyan.csv")
    assert summary.decisions == {"Ana": 1, "Bo": 1}
    got = _annotations(review, tmp_path)
    title = "Mood and performance in team sports"
    assert got[(title, "Ana")]["decision"] == "include"
    assert got[(title, "Bo")]["decision"] == "exclude"
    assert got[(title, "Bo")]["reason"] == "wrong population"
    assert got[(title, "Ana")]["reason"] is None  # the reasons are the excluders'


def _as_ris_reader_gives(path: Path) -> pd.DataFrame:
    """The papers of a RIS file with each record's N1 in ``extra``, as the RIS reader
    keeps every field it has no column for (built here so this test is about the notes)."""
    df = litreview.read_listing(path)
    notes = [
        next((line[6:] for line in block.splitlines() if line.startswith("N1  - ")), None)
        for block in path.read_text(encoding="utf-8").split("ER  - ")[:-1]
    ]
    df["extra"] = [
        {**extra, "N1": n} if n else extra for extra, n in zip(df["extra"], notes, strict=True)
    ]
    return df


def test_rayyan_ris_notes_with_labels_reasons_and_user_notes(review: Any, tmp_path: Path) -> None:
    summary = review.add(_as_ris_reader_gives(FIXTURES / "rayyan.ris"))
    assert summary.decisions == {"Ana": 2, "Bo": 1}
    got = _annotations(review, tmp_path)
    title = "Mood and performance in team sports"
    assert got[(title, "Bo")]["reason"] == "wrong population; foreign language"
    assert got[(title, "Ana")]["tags"] == ["cohort", "adults"]
    assert got[(title, "Ana")]["note"] == "check the follow-up"
    assert got[("Sleep and recovery", "Ana")]["decision"] == "maybe"


def test_asreview_ris_notes(review: Any, tmp_path: Path) -> None:
    assert review.add(_as_ris_reader_gives(FIXTURES / "asreview.ris")).decisions == {"asreview": 2}
    got = _annotations(review, tmp_path)
    assert got[("Stopping rules for screening", "asreview")]["decision"] == "exclude"


def test_the_import_is_one_undoable_step_and_never_twice(review: Any, tmp_path: Path) -> None:
    review.add(FIXTURES / "rayyan.csv")
    steps = len(review.history())
    again = review.add(FIXTURES / "rayyan.csv")
    assert again.decisions == {} and len(review.history()) == steps  # nothing twice
    assert "decision(s) imported" not in str(again)
    review.undo()  # one step takes every imported decision back
    assert _annotations(review, tmp_path) == {}
    assert len(review) == 2  # the papers stay: only the decisions were the import's step


def test_a_decision_made_in_the_review_is_never_overwritten(tmp_path: Path) -> None:
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="Bo") as review:
        review.add("Title,Authors\nMood and performance in team sports,X Y\n")
        pid = review.papers.loc[0, "paper_id"]
        review.annotate(pid, decision="include")  # Bo decided here first
        summary = review.add(FIXTURES / "rayyan.csv")
        assert summary.decisions == {"Ana": 1}
        conflicts = summary.conflicts
        assert conflicts is not None and conflicts["field"].tolist() == ["decision", "reason"]
        assert conflicts.iloc[0][["reviewer", "local", "incoming", "resolution"]].tolist() == [
            "Bo",
            "include",
            "exclude",
            "kept local",
        ]
        assert "differ from the review's" in str(summary)
        assert review.decisions().loc[0, "Bo"] == "include"


def test_covidence_columns_and_tags(review: Any, tmp_path: Path) -> None:
    text = (
        "Title,Authors,Published Year,Covidence #,Decision,Exclusion reason,Tags\n"
        "A trial,X Y,2020,#1,Excluded,Wrong outcome,RCT; adults\n"
        "B trial,X Y,2020,#2,Included,,\n"
        "C trial,X Y,2020,#3,,,\n"
    )
    summary = review.add(text)
    assert summary.decisions == {"covidence": 2}
    got = _annotations(review, tmp_path)
    a = got[("A trial", "covidence")]
    assert (a["decision"], a["reason"], a["tags"]) == (
        "exclude",
        "Wrong outcome",
        ["RCT", "adults"],
    )


def test_a_papers_frame_is_scanned_whatever_the_field_names() -> None:
    df = pd.DataFrame(
        {
            "paper_id": ["a", "b", "c", "d"],
            "title": ["A", "B", "C", "D"],
            "N1": ["", "ASReview_irrelevant", "", ""],  # a reader's own field name
            "extra": [
                {
                    "annote": 'x | RAYYAN-INCLUSION: {"Ann Lee"=>"Excluded", "Bo"=>"Included"}'
                    " | RAYYAN-LABELS: q | RAYYAN-EXCLUSION-REASONS: off topic"
                },
                {},
                {"RAYYAN-INCLUSION": '{"Zoe"=>"Undecided"}'},  # no decision: nothing
                {"label_included": "yes"},
            ],
        }
    )
    found = tool_decisions(df)
    # the excluder's reason; None, never NaN, for the others (NaN is truthy: it was imported)
    assert found["reason"].tolist() == ["off topic", None, None, None]
    assert found[["row", "tool", "reviewer", "decision", "tags"]].values.tolist() == [
        [0, "rayyan", "Ann Lee", "exclude", ("q",)],
        [0, "rayyan", "Bo", "include", ("q",)],
        [1, "asreview", "asreview", "exclude", ()],
        [3, "asreview", "asreview", "include", ()],
    ]


def test_a_listing_without_tool_decisions_imports_nothing(review: Any) -> None:
    summary = review.add(litreview.SAMPLE_LISTING)
    assert summary.decisions == {} and summary.conflicts is None
    assert review.history().empty


def test_an_asreview_xlsx_export_gives_its_decisions(review: Any, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["record_id", "title", "abstract", "asreview_label", "asreview_time"])
    sheet.append([1, "First", "x", 1, dt.datetime(2025, 9, 7, 11, 0)])
    sheet.append([2, "Second", "y", 0.0, None])
    sheet.append([3, "Third", "z", None, None])
    book.save(tmp_path / "asreview.xlsx")
    assert review.add(tmp_path / "asreview.xlsx").decisions == {"asreview": 2}
    first = _annotations(review, tmp_path)[("First", "asreview")]
    assert first["decided_at"].startswith("2025-09-07T11:00:00")


def test_rayyan_and_asreview_files_as_their_readers_give_them(review: Any, tmp_path: Path) -> None:
    assert review.add(FIXTURES / "rayyan.ris").decisions == {"Ana": 2, "Bo": 1}  # N1
    assert review.add(FIXTURES / "asreview.ris").decisions == {"asreview": 2}  # N1
    with litreview.Review.open(tmp_path / "bib.litreview") as other:
        summary = other.add(FIXTURES / "rayyan.bib")  # BibTeX note
        assert summary.decisions == {"Ana": 1, "Bo": 1}
        got = _annotations(other, tmp_path)
        title = "Mood and performance in team sports"
        assert got[(title, "Ana")]["reason"] == "wrong outcome"
        assert got[(title, "Bo")]["reason"] is None
