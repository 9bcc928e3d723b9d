"""Schema v4: a v3 review gains the citable columns and the settings table; the new
columns (doi, venue, entry_type, date_precision, citation_key, extra) are stored and
read back exactly, and merged by the policy on a re-import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from litreview import Review
from litreview.ids import paper_id
from litreview.review.store.connection import Store
from litreview.review.store.migrations import SCHEMA_VERSION, migrate
from litreview.review.store.settings import get_setting, set_setting
from litreview.schema import papers_from_columns, validate


def _papers(**columns: list) -> pd.DataFrame:
    base = {"paper_id": [paper_id("A Paper")], "title": ["A Paper"]}
    return papers_from_columns({**base, **columns})


def test_a_version_3_review_is_migrated_with_dates_known_to_the_day(tmp_path: Path) -> None:
    path = tmp_path / "v3.litreview"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=3)
    conn.execute(
        "INSERT INTO papers(paper_id, title_key, title, published) VALUES "
        "('a', 'a', 'A', '1500-03-04T00:00:00.000000'), ('b', 'b', 'B', NULL)"
    )
    conn.close()
    store = Store.open(path)
    assert (store.version_found, store.version) == (3, SCHEMA_VERSION) and SCHEMA_VERSION >= 5
    assert set_setting(store, "app.keywords", ["x"], reviewer="ada")
    store.close()
    with Review.open(path, reviewer="ada") as review:
        papers = review.papers.set_index("paper_id")
        validate(review.papers.drop(columns=list(review.papers.columns[-7:])))
        assert papers.loc["a", "published"] == pd.Timestamp("1500-03-04")
        assert papers.loc["a", "date_precision"] == "day"
        assert pd.isna(papers.loc["b", "date_precision"]) and papers.loc["b", "extra"] == {}
        assert pd.isna(papers.loc["a", "doi"])
    store = Store.open(path)
    assert get_setting(store, "app.keywords") == ["x"]
    store.close()


def test_new_columns_are_stored_and_read_back_exactly(tmp_path: Path) -> None:
    df = _papers(
        published=pd.to_datetime(["1066-01-01"]),
        date_precision=["year"],
        doi=["10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P"],
        venue=["Journal of Things"],
        entry_type=["article"],
        citation_key=["smith1066things"],
        extra=[{"volume": "49", "pages": "693--700", "note": "ünïcode {braces}"}],
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(df)
        row = review.papers.iloc[0]
    for name in ("doi", "venue", "entry_type", "citation_key", "date_precision"):
        assert row[name] == df.loc[0, name], name
    assert row["published"] == pd.Timestamp("1066-01-01")
    assert row["extra"] == {"volume": "49", "pages": "693--700", "note": "ünïcode {braces}"}
    assert list(row["extra"]) == ["volume", "pages", "note"]  # the source's field order


def test_a_reimport_merges_extra_and_keeps_the_finer_date(tmp_path: Path) -> None:
    first = _papers(
        published=pd.to_datetime(["2019-01-01"]),
        date_precision=["year"],
        extra=[{"pages": "1--2", "note": "a"}],
    )
    second = _papers(
        published=pd.to_datetime(["2019-05-17"]),
        date_precision=["day"],
        doi=["10.1/X"],
        extra=[{"note": "b", "isbn": "978"}],
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(first)
        review.add(second)
        row = review.papers.iloc[0]
        assert row["extra"] == {"pages": "1--2", "note": "a", "note_2": "b", "isbn": "978"}
        assert (row["published"], row["date_precision"]) == (pd.Timestamp("2019-05-17"), "day")
        assert row["doi"] == "10.1/X"
        review.add(first)  # a year again: the day stays
        row = review.papers.iloc[0]
        assert (row["published"], row["date_precision"]) == (pd.Timestamp("2019-05-17"), "day")
        assert review.add(second).updated == 0


def test_an_untitled_record_with_a_doi_is_stored(tmp_path: Path) -> None:
    df = papers_from_columns(
        {"paper_id": ["x1"], "title": [None], "doi": ["10.1/abc"], "extra": [{"TY": "JOUR"}]}
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        assert review.add(df).new == 1
        assert review.papers["doi"].tolist() == ["10.1/abc"]


def test_a_version_4_review_gains_the_full_text_tables(tmp_path: Path) -> None:
    path = tmp_path / "v4.litreview"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=4)
    conn.execute("INSERT INTO papers(paper_id, title_key, title) VALUES ('a', 'a', 'A')")
    conn.close()
    with Review.open(path, reviewer="ada") as review:
        assert review._store.version_found == 4
        assert review.fulltext().empty
        assert review.set_fulltext("a", location="pdfs/a.pdf")
        assert review.fulltext()["location"].tolist() == ["pdfs/a.pdf"]
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM fulltext_log")
    conn.close()
