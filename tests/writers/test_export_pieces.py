"""A large table is exported a piece at a time: the file holds exactly the bytes the
whole text would (every format that writes pieces, with pinned keys, odd cells)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.writers import export, formats
from litreview.writers.formats import FORMATS


@pytest.fixture
def table() -> pd.DataFrame:
    df = litreview.read_listing(litreview.SAMPLE_LISTING)
    df.loc[3, "title"] = "A title with a\rcarriage return and ünïcode 🦘"
    df.loc[4, "abstract"] = "=1+1 starts like a formula"
    df.loc[5, "title"] = df.loc[6, "title"]  # two papers making the same key
    df.loc[5, "authors"], df.loc[5, "published"] = df.loc[6, "authors"], df.loc[6, "published"]
    return df


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.pieces is not None], ids=lambda f: f.name)
@pytest.mark.parametrize("rows", [1, 7, 35])
def test_pieces_write_the_bytes_of_the_whole_text(
    table: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt, rows: int
) -> None:
    whole = export(table, tmp_path / f"whole{fmt.suffix}", format=fmt.name).read_bytes()
    monkeypatch.setattr(formats, "PIECE_ROWS", rows)
    pieced = export(table, tmp_path / f"pieced{fmt.suffix}", format=fmt.name).read_bytes()
    assert pieced == whole
    assert len(pieced) > 1000


def test_a_review_exports_a_large_table_in_pieces_with_its_pinned_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        whole = review.export(None, tmp_path / "whole.bib").read_text(encoding="utf-8")
        monkeypatch.setattr(formats, "PIECE_ROWS", 5)
        written: list[str] = []
        real = formats.write_atomic
        monkeypatch.setattr(
            formats, "write_atomic", lambda p, text, **kw: written.append(p) or real(p, text, **kw)
        )
        pieced = review.export(None, tmp_path / "pieced.bib").read_text(encoding="utf-8")
    assert written == [tmp_path / "pieced.bib"]  # the pieces path wrote it
    assert pieced == whole and len(re.findall(r"^@\w+\{", pieced, re.MULTILINE)) == 36
