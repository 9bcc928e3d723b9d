"""RIS export: rispy and litreview's RIS reader read it back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rispy

import litreview
from litreview.schema import conform
from litreview.writers.ris import to_ris


def sample() -> pd.DataFrame:
    df = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    df.at[0, "authors"] = ["Ashish Vaswani", "Ludwig van Beethoven"]
    df.loc[0, "arxiv_id"] = "1706.03762"
    df.at[0, "tags"] = ["to read"]
    df.loc[0, "note"] = "multi\nline note"
    df.loc[0, "decision"] = "include"
    return df


def test_rispy_reads_every_record(tmp_path: Path) -> None:
    df = sample()
    path = tmp_path / "papers.ris"
    text = to_ris(df, path)
    assert text.startswith("TY  - GEN\n")
    records = rispy.loads(path.read_text(encoding="utf-8"))
    assert len(records) == len(df)
    first = records[0]
    assert first["title"] == df.loc[0, "title"]
    assert first["authors"] == ["Vaswani, Ashish", "van Beethoven, Ludwig"]
    assert first["year"] == "2025" and first["date"] == "2025/01/25"
    assert first["doi"] == "10.48550/arXiv.1706.03762"
    assert first["urls"][0] == "https://arxiv.org/abs/1706.03762"
    assert first["keywords"] == ["to read"]
    assert first["notes"] == ["Decision: include; multi line note"]
    assert first["id"] == df.loc[0, "paper_id"]
    assert [r["title"] for r in records] == df["title"].tolist()


def test_read_listing_reads_it_back(tmp_path: Path) -> None:
    df = sample()
    path = tmp_path / "papers.ris"
    to_ris(df, path)
    back = litreview.read_listing(path, errors="raise")
    assert back["title"].tolist() == df["title"].tolist()
    assert back["paper_id"].tolist() == df["paper_id"].tolist()
    assert back["published"].tolist() == df["published"].tolist()
    assert back.loc[0, "authors"] == ["Ashish Vaswani", "Ludwig van Beethoven"]
    assert back.loc[0, "arxiv_id"] == "1706.03762"
    assert back["abstract"].tolist() == [" ".join(a.split()) for a in df["abstract"]]
    assert back["code_urls"].tolist() == df["code_urls"].tolist()


def test_empty_selection_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.ris"
    assert to_ris(litreview.empty_papers(), path) == ""
    assert path.read_text() == "" and rispy.loads("") == []
