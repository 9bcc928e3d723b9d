"""Reading the paper table back (``store_paper_table``): exactly what was stored,
one consistent snapshot while another process writes, and a damaged table refused."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.review.core import ReviewFileError
from litreview.review.store import table
from litreview.review.store.connection import Store
from litreview.review.store.table import COLUMNS, decode_column
from litreview.schema import PAPER_COLUMNS


def make_review(path: Path) -> list[str]:
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        return review.papers["paper_id"].tolist()


def reference_papers(path: Path) -> pd.DataFrame:
    """The paper table read the plain way (one row at a time, decoded per column)."""
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM papers ORDER BY rowid").fetchall()
    conn.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in COLUMNS]
    data = {}
    for name, values in zip(COLUMNS, columns, strict=True):
        decoded = decode_column(values, PAPER_COLUMNS[name])
        data[name] = pd.Series(decoded, dtype=object) if isinstance(decoded, list) else decoded
    return pd.DataFrame(data)


def add_in_another_process(path: Path, papers: pd.DataFrame) -> None:
    """``papers`` added to the review at ``path`` by bob, in a process of its own."""
    pickled = path.with_name(f"{path.name}-{os.urandom(4).hex()}.pkl")
    papers.to_pickle(pickled)
    code = (
        "import sys, pandas, litreview\n"
        "with litreview.Review.open(sys.argv[1], reviewer='bob') as other:\n"
        "    other.add(pandas.read_pickle(sys.argv[2]))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(pickled)], check=True)


TRICKY = ['quote " back\\slash', "nul \x00 tab \t bell \x07", "line\u2028sep 🦜 ü", "123", " "]


def tricky_papers(nul: str = "\x00") -> pd.DataFrame:
    """Text JSON and SQL must carry exactly (PostgreSQL text holds no NUL: pass another)."""
    texts = [t.replace("\x00", nul) for t in TRICKY]
    n = len(texts)
    return litreview.schema.conform(
        pd.DataFrame(
            {
                "paper_id": [f"p{i}" for i in range(n)],
                "title": [f"{t} title {i}" for i, t in enumerate(texts)],
                "abstract": [*texts[:-1], None],
                "n_authors": [2**62, None, 0, -1, 3],
                "authors": [[t] for t in texts[:-1]] + [[]],
                "published": pd.to_datetime(
                    ["1899-12-31 23:59:59.000001", None, "2024-02-29", "1970-01-01", "2262-04-11"],
                    format="ISO8601",
                ),
                "keywords": [[], ["a", "b"], [], ['"[x]"', "y,z"], []],
                "url": [None, texts[0], None, None, "https://x.org/?a=1&b=2"],
            }
        )
    )


def test_papers_read_back_exactly_as_the_plain_reading(tmp_path: Path) -> None:
    """With gaps in the rowids (as papers merged away leave)."""
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as review:
        assert review.papers.empty and list(review.papers.columns[:2]) == ["paper_id", "title"]
        review.add(tricky_papers())
        review.add(litreview.SAMPLE_LISTING)
        changed = tricky_papers()
        changed.loc[0, "abstract"] = "updated"
        review.add(changed)  # updates keep rowid order
    conn = sqlite3.connect(path)
    with conn:  # gaps in the rowids, as papers merged away leave
        conn.execute("DELETE FROM papers WHERE rowid IN (7, 8, 9, 10, 11, 12, 20)")
    conn.close()
    expected = reference_papers(path)
    assert len(expected) == 36 + len(TRICKY) - 7 and expected.loc[0, "abstract"] == "updated"
    with Review.open(path, reviewer="ada") as review:
        for papers in (review.papers, review.papers):  # first call, then from the cache
            plain = papers[list(expected.columns)]
            pd.testing.assert_frame_equal(plain, expected, check_exact=True)
            for name in litreview.schema.LIST_COLUMNS:
                assert all(type(v) is list for v in plain[name])
        assert papers.loc[1, "title"] == "nul \x00 tab \t bell \x07 title 1"


def test_papers_snapshot_is_consistent_when_another_process_adds_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two connections read two snapshots; when they differ, papers are read again."""
    path = tmp_path / "r.litreview"
    make_review(path)
    review = Review.open(path, reviewer="ada")
    store = review._store
    calls: list[int] = []
    real = Store.read_both

    def read_both(self: Store, first, second):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 1:
            return real(self, first, second)
        second_done = threading.Event()

        def late_first(conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
            second_done.wait(10)
            # another process commits between the two reads (a second Review in this
            # process would share the connection, inside this read transaction)
            add_in_another_process(path, tricky_papers())
            return first(conn)

        def early_second(conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
            try:
                return second(conn)
            finally:
                second_done.set()

        return real(self, late_first, early_second)

    monkeypatch.setattr(Store, "read_both", read_both)
    papers = review.papers
    assert len(calls) == 2
    assert len(papers) == 36 + len(TRICKY)
    assert papers["abstract"].isna().sum() == reference_papers(path)["abstract"].isna().sum()
    pd.testing.assert_frame_equal(
        papers[["paper_id", "abstract"]], reference_papers(path)[["paper_id", "abstract"]]
    )
    review.close()
    assert store.closed
    with pytest.raises(sqlite3.ProgrammingError):
        store._reader.execute("SELECT 1")  # the second connection is closed too


@pytest.mark.parametrize("stored", ['["a"],["b"]', '["a"', "]"])
def test_damaged_list_column_names_the_file(tmp_path: Path, stored: str) -> None:
    """A list column's stored JSON that would shift or break the column is refused."""
    path = tmp_path / "r.litreview"
    make_review(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE papers SET keywords = ? WHERE rowid = 2", (stored,))
    conn.close()
    review = Review.open(path, reviewer="ada")
    with pytest.raises(ReviewFileError, match=r"r\.litreview.*papers table is damaged"):
        _ = review.papers
    review.close()


def fresh_read(review: Review) -> pd.DataFrame:
    """The paper table read anew (the cached snapshot dropped)."""
    review._store.cache.pop("papers", None)
    return review.papers


def test_papers_added_here_extend_the_cached_table_without_reading_every_paper(
    locate: Callable[[str], str | Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Review.open(locate("extend"), reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.annotate(review.papers["paper_id"][0], decision="include", tags=["t"])
        before = review.papers
        reads: list[int] = []
        real = table._read_snapshot
        monkeypatch.setattr(table, "_read_snapshot", lambda store: reads.append(1) or real(store))
        review.add(tricky_papers(nul="\x01"))  # new papers only
        extended = review.papers
        assert reads == [] and len(extended) == len(before) + len(TRICKY)
        pd.testing.assert_frame_equal(extended, fresh_read(review), check_exact=True)
        assert reads == [1]
        assert extended.loc[len(before) + 1, "authors"] == [TRICKY[1].replace("\x00", "\x01")]
        changed = tricky_papers(nul="\x01").iloc[:2].copy()
        changed["abstract"] = ["updated", "also updated"]
        review.add(changed)  # updates: read again
        assert review.papers["abstract"].tolist()[-len(TRICKY) :][:2] == ["updated", "also updated"]
        assert reads == [1, 1]


def test_papers_added_by_another_process_too_are_read_again(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    make_review(path)
    with Review.open(path, reviewer="ada") as review:
        _ = review.papers
        review.add(tricky_papers().iloc[:2])
        add_in_another_process(path, tricky_papers().iloc[2:])
        papers = review.papers
        assert len(papers) == 36 + len(TRICKY)
        pd.testing.assert_frame_equal(papers, fresh_read(review), check_exact=True)
