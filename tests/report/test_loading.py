"""Opening a review file or listings for reports and the command line (litreview.report.loading)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import litreview
from litreview.report.loading import is_review_file, load
from litreview.review.core import Review
from litreview.review.store.connection import ReviewFileError

SAMPLE = litreview.SAMPLE_LISTING


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as r:
        r.add(SAMPLE)
        ids = r.papers["paper_id"].tolist()
        r.annotate(ids[:3], decision="include")
    return path


def test_load_listings_review_and_refusals(review: Path, tmp_path: Path) -> None:
    one = load(SAMPLE)
    assert (one.name, one.is_review, len(one.papers)) == (SAMPLE.name, False, 36)
    assert one.papers["decision"].astype(str).eq("unscreened").all()
    part = litreview.export(one.papers.head(10), tmp_path / "part.csv")
    two = load([SAMPLE, part])
    assert len(two.papers) == 36 and two.imports["n_records"].tolist() == [36, 10]
    r = load(review, reviewer="ada")
    assert r.is_review and int(r.papers["decision"].eq("include").sum()) == 3
    assert r.imports["n_records"].tolist() == [36]
    with pytest.raises(ValueError, match="alone"):
        load([review, SAMPLE])
    with pytest.raises(FileNotFoundError, match="no such review"):
        load(tmp_path / "missing.litreview")
    assert not (tmp_path / "missing.litreview").exists()
    with pytest.raises(FileNotFoundError, match="no such file"):
        load(tmp_path / "missing.txt")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = other.read_bytes()
    with pytest.raises(ReviewFileError, match="not a litreview review"):
        load(other)
    assert other.read_bytes() == before


def test_is_review_file(review: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "review.sqlite"
    renamed.write_bytes(review.read_bytes())
    assert is_review_file(review) and is_review_file(renamed)
    assert is_review_file("new.litreview")  # by suffix, before it exists
    assert not is_review_file(SAMPLE) and not is_review_file(tmp_path)
