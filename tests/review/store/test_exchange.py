"""Annotation files written like exports (unique temporary file, fsync, rename) and safe
to open in a spreadsheet, still read back exactly (issue 13, items 4 and 11)."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.writers._spreadsheet import FORMULA_PREFIXES

TRICKY_NOTES = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tstarts with a tab",
    "\rstarts with a carriage return",
    "'=already quoted by a colleague",
    "''+twice",
    "'just a quote",
    "plain note - with = inside",
]


def others(folder: Path) -> list[str]:
    """The files in ``folder`` beside the open review's own."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("r.litreview"))


def test_csv_cells_are_inert_in_a_spreadsheet_and_read_back_exactly(
    review: Review, tmp_path: Path
) -> None:
    ids = review.papers["paper_id"].tolist()[: len(TRICKY_NOTES)]
    for pid, note in zip(ids, TRICKY_NOTES, strict=True):
        review.annotate(pid, note=note, reason=note, decision="exclude", add_tags=note.strip())
    out = review.export_annotations(tmp_path / "ann.csv")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows for cell in row]
    dangerous = [c for c in cells if c.startswith(FORMULA_PREFIXES)]
    assert dangerous == []  # old code: every formula note and reason as written
    assert sum(c.startswith("'=HYPERLINK") for c in cells) == 2  # note and reason
    with Review.open(tmp_path / "copy.litreview", reviewer="bob") as other:
        other.add(litreview.SAMPLE_LISTING)
        report = other.import_annotations(out)
        assert report.conflicts.empty and not report.unknown_ids
        with Review.open(other.path, reviewer="ada") as theirs:
            mine = review.papers.set_index("paper_id").loc[ids, ["note", "reason", "tags"]]
            got = theirs.papers.set_index("paper_id").loc[ids, ["note", "reason", "tags"]]
            pd.testing.assert_frame_equal(got, mine)
            assert got["note"].tolist() == [n.strip() for n in TRICKY_NOTES]  # as stored


def test_jsonl_is_left_as_written(review: Review, tmp_path: Path) -> None:
    pid = review.papers["paper_id"].iloc[0]
    review.annotate(pid, note="=1+1")
    assert '"note": "=1+1"' in review.export_annotations(tmp_path / "a.jsonl").read_text()


def test_neutralize_and_restore_are_inverse() -> None:
    from litreview.writers._spreadsheet import neutralize_cell, restore_cell

    for cell in [*TRICKY_NOTES, "", "'", "''", "=", "'-", "x'=y"]:
        assert restore_cell(neutralize_cell(cell)) == cell
        assert not neutralize_cell(cell).startswith(FORMULA_PREFIXES)


def test_concurrent_exports_to_one_file_never_collide(review: Review, tmp_path: Path) -> None:
    review.annotate(review.papers["paper_id"][:5], decision="include", note="n")
    out = tmp_path / "shared.csv"
    failures: list[BaseException] = []

    def export_many() -> None:
        with Review.open(review.location, reviewer="ada") as mine:
            for _ in range(30):
                try:
                    mine.export_annotations(out)
                except BaseException as exc:  # counted below
                    failures.append(exc)

    threads = [threading.Thread(target=export_many) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []  # old code: a fixed <file>.tmp, renamed away under the other export
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 5
    assert others(tmp_path) == ["shared.csv"]  # no temporary file left


def test_failed_export_keeps_the_old_file_and_leaves_no_temporary(
    review: Review, tmp_path: Path
) -> None:
    review.annotate(review.papers["paper_id"][0], note="n")
    blocked = tmp_path / "ann.csv"
    blocked.mkdir()  # cannot be replaced by a file
    with pytest.raises(OSError):
        review.export_annotations(blocked)
    assert others(tmp_path) == ["ann.csv"]  # old code: ann.csv.tmp left behind


def test_the_report_counts_decisions_applied_per_reviewer(review: Review, tmp_path: Path) -> None:
    ids = review.papers["paper_id"].tolist()
    path = tmp_path / "team.csv"
    path.write_text(
        "paper_id,reviewer,decision,note\n"
        f"{ids[0]},ana,include,\n{ids[1]},ana,exclude,\n"
        f"{ids[2]},bo,maybe,\n{ids[3]},bo,,only a note\n",
        encoding="utf-8",
    )
    report = review.import_annotations(path)
    assert report.decisions == {"ana": 2, "bo": 1}  # a note is no decision
    again = review.import_annotations(path)
    assert again.decisions == {}  # nothing applied twice
