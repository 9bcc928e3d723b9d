"""Review.add follows the "same paper" rule (litreview.ids) and the merge policy
(litreview.readers.policy) of read_listings: the same ids, no downgrade, idempotent,
and every field an import changes is logged."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.ids import arxiv_variant_id, paper_id
from litreview.review.store.connection import SCHEMA_VERSION, Store, migrate
from tests.paths import FIXTURES

CAPTURES = FIXTURES / "captures"
TITLE = "Sparse Mixture Routers for Long-Context Retrieval"
JSON = CAPTURES / "paper.json"  # 2410.05434, published 2024-10-07, abstract "Short summary."
BIBTEX = """@misc{smr,
  title = {Sparse Mixture Routers for Long Context Retrieval (extended)},
  author = {Lovelace, Ada and Turing, Alan and Hopper, Grace},
  eprint = {2410.05434v3}, archivePrefix = {arXiv},
  year = {2024},
  abstract = {A much longer abstract than the short summary of the JSON record.},
}
"""


def _bib(tmp_path: Path, text: str = BIBTEX, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _table(review: Review) -> pd.DataFrame:
    return review.papers[list(litreview.PAPER_COLUMNS)]


def test_a_poorer_record_never_downgrades(tmp_path: Path) -> None:
    bib = _bib(tmp_path)
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(JSON)
        summary = review.add(bib)  # year only (read as Jan 1), a BibTeX title
        assert (summary.new, summary.updated) == (0, 1)  # the longer abstract, more authors
        row = review.papers.iloc[0]
        assert row["published"] == pd.Timestamp("2024-10-07")  # the JSON day stays
        assert row["title"] == TITLE  # JSON ranks before BibTeX
        assert row["abstract"].startswith("A much longer abstract")
        assert row["n_authors"] == 3
    with Review.open(tmp_path / "other.litreview", reviewer="ada") as review:
        review.add(bib)
        review.add(JSON)  # the richer date and the preferred title replace BibTeX's
        row = review.papers.iloc[0]
        assert row["published"] == pd.Timestamp("2024-10-07") and row["title"] == TITLE
        assert row["paper_id"] == paper_id(
            "Sparse Mixture Routers for Long Context Retrieval (extended)"
        )  # a known paper keeps its id


def test_re_adding_the_same_files_changes_nothing(tmp_path: Path) -> None:
    bib = _bib(tmp_path)
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        first = [review.add(JSON), review.add(bib)]
        state = _table(review)
        changes = review.import_changes()
        again = [review.add(JSON), review.add(bib)]
        assert [s.updated for s in again] == [0, 0]
        assert [s.unchanged for s in again] == [1, 1]
        assert first[1].updated == 1
        pd.testing.assert_frame_equal(_table(review), state)
        pd.testing.assert_frame_equal(review.import_changes(), changes)


def test_import_changes_are_logged(tmp_path: Path) -> None:
    bib = _bib(tmp_path)
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(JSON)
        assert review.import_changes().empty  # new papers are not changes
        review.add(bib)
        log = review.import_changes()
        assert list(log.columns) == [
            "paper_id",
            "reviewer",
            "at",
            "source",
            "field",
            "old_value",
            "new_value",
        ]
        pairs = zip(log["old_value"], log["new_value"], strict=True)
        changed = dict(zip(log["field"], pairs, strict=True))
        assert set(changed) == {"abstract", "n_authors", "authors"} | {"entry_type", "extra"} | {
            "citation_key"
        }
        assert changed["abstract"][0] == "Short summary."
        assert changed["n_authors"] == (2, 3)
        assert changed["authors"][1][-1] == "Grace Hopper"
        assert set(log["source"]) == {"refs.bib"} and set(log["reviewer"]) == {"ada"}
        pid = review.papers.loc[0, "paper_id"]
        pd.testing.assert_frame_equal(review.import_changes(pid), log)
        assert review.history().empty  # the annotation history is as it was
        with pytest.raises(KeyError):
            review.import_changes("nope")


SAME_TITLES = """@misc{a, title = {Attention}, eprint = {1111.11111}, archivePrefix = {arXiv}}
@misc{b, title = {Attention}, eprint = {2222.22222}, archivePrefix = {arXiv}}
@misc{c, title = {attention!}}
"""
SAME_TITLES_RIS = """TY  - JOUR
TI  - Attention
AB  - A third arXiv id of the same title.
UR  - https://arxiv.org/abs/3333.33333
ER  -
TY  - JOUR
TI  - Attention
UR  - https://arxiv.org/abs/2222.22222v2
ER  -
"""


def test_a_frame_and_a_review_give_the_same_ids(tmp_path: Path) -> None:
    files = [
        CAPTURES / "daily-plain.txt",
        CAPTURES / "daily.md",
        CAPTURES / "daily_papers.json",
        CAPTURES / "refs.ris",
        _bib(tmp_path, SAME_TITLES, "same.bib"),
        _bib(tmp_path, SAME_TITLES_RIS, "same.ris"),
        CAPTURES / "refs.bib",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", litreview.ListingWarning)
        frame = litreview.read_listings(files, year=2026)
        with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
            for path in files:
                review.add(path, year=2026)
            stored = review.papers
    assert frame["paper_id"].is_unique and stored["paper_id"].is_unique
    assert sorted(frame["paper_id"]) == sorted(stored["paper_id"])
    by_arxiv = dict(zip(frame["arxiv_id"], frame["paper_id"], strict=True))
    assert by_arxiv["1111.11111"] == paper_id("Attention")
    assert by_arxiv["2222.22222"] == arxiv_variant_id("Attention", "2222.22222")
    assert by_arxiv["3333.33333"] == arxiv_variant_id("Attention", "3333.33333")
    assert len(frame) == len(stored)


def test_a_version_2_review_is_migrated_and_keeps_what_it_knows(tmp_path: Path) -> None:
    path = tmp_path / "old.litreview"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=2)
    conn.execute(
        "INSERT INTO imports(source, content_hash, imported_at, reviewer, n_records, n_new, "
        "n_updated, n_unchanged) VALUES ('paper.json', 'x', '2025-01-02T03:04:05.000000', "
        "'ada', 1, 1, 0, 0)"
    )
    conn.execute(
        "INSERT INTO papers(paper_id, title_key, title, published, arxiv_id, first_import, "
        "last_import) VALUES (?, ?, ?, '2024-10-07T00:00:00.000000', '2410.05434', 1, 1)",
        (paper_id(TITLE), litreview.ids.normalize_title(TITLE), TITLE),
    )
    conn.close()
    store = Store.open(path)
    assert (store.version_found, store.version) == (2, SCHEMA_VERSION) and SCHEMA_VERSION >= 3
    store.close()
    with Review.open(path, reviewer="ada") as review:
        summary = review.add(_bib(tmp_path))  # a known paper without ranks: no downgrade
        assert (summary.new, summary.updated) == (0, 1)
        row = review.papers.iloc[0]
        assert row["published"] == pd.Timestamp("2024-10-07") and row["title"] == TITLE
        assert "published" not in set(review.import_changes()["field"])
        assert review.add(_bib(tmp_path)).updated == 0
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM import_changes")
    conn.close()
