"""``litreview enrich`` against the local stand-in APIs."""

from __future__ import annotations

from pathlib import Path

import pytest

import litreview
from litreview.cli import main
from litreview.web.local_server import LocalAPIs


def test_dry_run_then_enrich_then_undo(
    apis: LocalAPIs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "r.litreview"
    assert main(["add", str(review), str(litreview.SAMPLE_LISTING)]) == 0
    capsys.readouterr()
    assert main(["enrich", str(review), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("36 paper(s) looked up: would complete 36 (")
    assert "fields: " in out and "arxiv_id 36" in out and "authors 36" in out
    with litreview.Review.open(review) as r:
        assert r.papers["arxiv_id"].isna().all()
    assert main(["enrich", str(review)]) == 0
    assert "completed 36" in capsys.readouterr().out
    with litreview.Review.open(review) as r:
        assert r.papers["arxiv_id"].notna().all()
    assert main(["undo", str(review)]) == 0
    with litreview.Review.open(review) as r:
        assert r.papers["arxiv_id"].isna().all()


def test_uncertain_matches_are_listed_and_confirmed(
    apis: LocalAPIs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "r.litreview"
    bib = tmp_path / "a.bib"
    bib.write_text("@misc{v, title={Attention Is All You Need}, year={2017}}\n", encoding="utf-8")
    assert main(["add", str(review), str(bib)]) == 0
    with litreview.Review.open(review) as r:
        pid = r.papers.loc[0, "paper_id"]
    capsys.readouterr()
    assert main(["enrich", str(review)]) == 0
    captured = capsys.readouterr()
    assert f"to confirm: {pid} 'Attention Is All You Need'" in captured.out
    assert "(arXiv 1706.03762; 2 papers have this title)" in captured.out
    assert "--confirm PAPER_ID=ARXIV_ID" in captured.err
    assert main(["enrich", str(review), "--confirm", f"{pid}=1706.03762"]) == 0
    with litreview.Review.open(review) as r:
        assert r.papers.loc[0, "arxiv_id"] == "1706.03762"
    assert main(["enrich", str(review), "--confirm", f"{pid}=not-an-id"]) == 1
    assert "is not an arXiv id" in capsys.readouterr().err


def test_offline_with_an_empty_cache_is_one_line(
    apis: LocalAPIs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    review = tmp_path / "r.litreview"
    assert main(["add", str(review), str(litreview.SAMPLE_LISTING)]) == 0
    monkeypatch.setenv("LITREVIEW_OFFLINE", "1")
    capsys.readouterr()
    assert main(["enrich", str(review)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("litreview: error: offline (LITREVIEW_OFFLINE=1) and not in the cache")
    assert err.count("\n") == 1 and apis.requests == []
