"""export(): format by suffix, exports/ by default, atomic, never replaces by accident."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview._files import write_atomic
from litreview.writers import export


@pytest.fixture
def df() -> pd.DataFrame:
    return litreview.read_listing(litreview.SAMPLE_LISTING)


@pytest.mark.parametrize(
    ("name", "start"),
    [("a.bib", "@misc{"), ("a.csv", "paper_id,"), ("a.ris", "TY  - "), ("a.md", "- ")],
)
def test_format_by_suffix(tmp_path: Path, df: pd.DataFrame, name: str, start: str) -> None:
    path = export(df, tmp_path / name)
    assert path == tmp_path / name
    assert path.read_text(encoding="utf-8").startswith(start)


def test_bare_name_goes_to_exports(
    tmp_path: Path, df: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = litreview.export(df, "included.bib")
    assert path == Path("exports/included.bib")
    assert (tmp_path / "exports" / "included.bib").exists()


def test_existing_file_needs_overwrite(tmp_path: Path, df: pd.DataFrame) -> None:
    path = tmp_path / "x.csv"
    path.write_text("keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        export(df, path)
    assert path.read_text() == "keep me"
    export(df, path, overwrite=True)
    assert path.read_text().startswith("paper_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]  # no temp file left


def test_options_and_format_override(tmp_path: Path, df: pd.DataFrame) -> None:
    path = export(df, tmp_path / "sheet.txt", format="csv", excel=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(ValueError, match=r"unknown export suffix '\.docx'"):
        export(df, tmp_path / "x.docx")


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")

    with pytest.raises(TypeError):
        write_atomic(path, 123)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]
    with pytest.raises(FileExistsError):
        write_atomic(path, "new", overwrite=False)
    write_atomic(tmp_path / "sub" / "b.txt", "ünï")
    assert (tmp_path / "sub" / "b.txt").read_text(encoding="utf-8") == "ünï"
    mode = (tmp_path / "sub" / "b.txt").stat().st_mode & 0o777
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # like open(), not mkstemp's 0o600


def test_empty_selection_exports_every_format(tmp_path: Path) -> None:
    empty = litreview.empty_papers()
    for name in ["e.bib", "e.csv", "e.ris", "e.md"]:
        assert export(empty, tmp_path / name).exists()
