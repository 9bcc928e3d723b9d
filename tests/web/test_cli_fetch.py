"""``litreview fetch`` against the local stand-in APIs: files written in the API's format,
--add into a review, and one-line errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import litreview
from litreview.cli import main
from litreview.readers import read_listing_and_format
from litreview.web.local_server import LocalAPIs


def test_hf_daily_range_to_a_file_and_a_review(
    apis: LocalAPIs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, review = tmp_path / "june.json", tmp_path / "r.litreview"
    args = ["fetch", "hf-daily", "--since", "2025-06-01", "--until", "2025-06-30", "-o", str(out)]
    assert main([*args, "--add", str(review)]) == 0
    printed = capsys.readouterr().out
    assert f"hf-daily: 3 papers -> {out}" in printed and "june.json: 3 records, 3 new" in printed
    assert read_listing_and_format(out)[1] == "hf-json"
    with litreview.Review.open(review) as r:
        assert len(r) == 3 and r.papers["authors"].map(len).gt(0).all()
    assert apis.count("/hf/api/daily_papers") == 30
    assert main(args) == 1  # the file exists now
    assert "--overwrite" in capsys.readouterr().err


def test_hf_search_and_arxiv(
    apis: LocalAPIs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hits = tmp_path / "hits.json"
    assert (
        main(["fetch", "hf-search", "Transformer in Transformer", "--limit", "3", "-o", str(hits)])
        == 0
    )
    assert len(litreview.read_listing(hits)) == 3
    feed = tmp_path / "tnt.atom"
    query = 'ti:"Transformer in Transformer" AND cat:cs.CV'
    assert main(["fetch", "arxiv", query, "--max", "200", "-o", str(feed)]) == 0
    papers, fmt = read_listing_and_format(feed)
    assert fmt == "arxiv-atom" and papers.loc[0, "arxiv_id"] == "2102.13630"
    ids = tmp_path / "ids.atom"
    assert main(["fetch", "arxiv", "--ids", "2102.13630", "2011.15997v3", "-o", str(ids)]) == 0
    assert litreview.read_listing(ids)["arxiv_id"].tolist() == ["2102.13630", "2011.15997"]
    assert "arxiv: 2 papers" in capsys.readouterr().out


def test_add_without_a_file_adds_the_answer(apis: LocalAPIs, tmp_path: Path) -> None:
    review = tmp_path / "r.litreview"
    assert main(["fetch", "arxiv", "--ids", "2102.13630", "--add", str(review)]) == 0
    with litreview.Review.open(review) as r:
        assert r.papers.loc[0, "title"] == "Transformer in Transformer"
        assert r.imports().loc[0, "source"] == "<text>"


def test_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LITREVIEW_HF_API", f"http://127.0.0.1:{port}/api")
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
    out = tmp_path / "day.json"
    assert main(["fetch", "hf-daily", "--date", "2025-06-02", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("litreview: error: cannot get 127.0.0.1:")
    assert "LITREVIEW_OFFLINE=1" in err and not out.exists()
    assert main(["fetch", "hf-daily", "--date", "2025-06-02"]) == 2
    assert "-o FILE, --add REVIEW" in capsys.readouterr().err
    assert main(["fetch", "arxiv", "-o", str(out)]) == 2
    assert main(["fetch", "hf-daily", "--until", "2025-06-02", "-o", str(out)]) == 2
    assert main(["fetch", "hf-daily", "--date", "June", "-o", str(out)]) == 1
    assert "date must be a date like 2025-06-01" in capsys.readouterr().err
