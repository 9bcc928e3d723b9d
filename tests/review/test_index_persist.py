"""The review's search index on disk: built once, loaded without tokenizing, exact after
adds, abstract edits, merges and undo, and rebuilt when its file is damaged or stale."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import litreview
from litreview.query import index as index_module
from litreview.query.filters import SearchIndex, search
from litreview.query.index_file import IndexCache, fingerprint, index_path
from litreview.schema import papers_from_columns

QUERIES = [
    "transformer",
    "efficient attention",
    '"vision transformer"',
    "title:efficient -title:image",
    "abstract:zebrafish",
    "zebra OR transform",
    "quokka",
    '"linear attention" year:>=2021',
]


@pytest.fixture
def review(tmp_path: Path) -> Iterator[litreview.Review]:
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as r:
        r.add(litreview.SAMPLE_LISTING)
        yield r


def results(review: litreview.Review, query: str) -> tuple[list[str], list[float]]:
    hits = review.search(query)
    return hits["paper_id"].tolist(), hits["score"].tolist()


def assert_same_as_a_fresh_build(review: litreview.Review) -> None:
    """Every query gives the ids, order and scores (bit for bit) of a fresh index."""
    papers = review.papers
    fresh = SearchIndex(papers)
    for query in QUERIES:
        expected = search(papers, query, index=fresh)
        assert results(review, query) == (
            expected["paper_id"].tolist(),
            expected["score"].tolist(),
        ), query


def new_papers(n: int, start: int = 0, word: str = "quokka") -> pd.DataFrame:
    return papers_from_columns(
        {
            "paper_id": [f"new{start + i}" for i in range(n)],
            "title": [f"A {word} transformer number {start + i}" for i in range(n)],
            "abstract": [f"Efficient attention for {word} zebrafish {i}." for i in range(n)],
        }
    )


def reopened(review: litreview.Review) -> IndexCache:
    """A new Review object on the same file (the index loaded from disk) and its cache."""
    other = litreview.Review.open(review.location, reviewer="ada")
    assert_same_as_a_fresh_build(other)
    assert other._index_cache is not None
    return other._index_cache


def test_the_index_is_saved_once_and_loaded_without_tokenizing(review: litreview.Review) -> None:
    path = index_path(review.path)
    assert not path.exists()
    assert_same_as_a_fresh_build(review)
    assert path.exists() and review._index_cache is not None and review._index_cache.built == 1
    mtime = path.stat().st_mtime_ns
    before = index_module.TOKENIZED["papers"]
    cache = reopened(review)
    assert cache.built == 0 and cache.problem is None
    # the fresh index tokenized nothing: only the comparison builds in the helper did
    assert index_module.TOKENIZED["papers"] - before == len(review.papers)
    assert path.stat().st_mtime_ns == mtime


def test_a_fresh_process_searches_without_tokenizing(review: litreview.Review) -> None:
    expected = results(review, '"vision transformer" OR efficient')
    mtime = index_path(review.path).stat().st_mtime_ns
    code = (
        "import json, sys, litreview\n"
        "from litreview.query import index\n"
        "r = litreview.Review.open(sys.argv[1], reviewer='ada')\n"
        "hits = r.search('\"vision transformer\" OR efficient')\n"
        "print(json.dumps([hits.paper_id.tolist(), hits.score.tolist(),\n"
        "                  index.TOKENIZED['papers'], r._index_cache.built]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(review.location)],
        capture_output=True,
        text=True,
        check=True,
    )
    ids, scores, tokenized, built = json.loads(run.stdout)
    assert (ids, scores) == expected
    assert tokenized == 0 and built == 0
    assert index_path(review.path).stat().st_mtime_ns == mtime


def test_adds_are_incremental_and_persisted(review: litreview.Review) -> None:
    review.search("x")
    base_mtime = index_path(review.path).stat().st_mtime_ns
    for start in (0, 5, 12):
        review.add(new_papers(5 + start // 5, start))
        assert_same_as_a_fresh_build(review)
    cache = review._index_cache
    assert cache is not None and cache.built == 1
    assert index_path(review.path).stat().st_mtime_ns == base_mtime  # the base is kept
    assert cache.delta_path.exists()
    loaded = IndexCache(index_path(review.path)).index_for(review.papers)
    assert loaded._stats is not None and loaded._stats_thread is None  # norms read, not derived
    other = reopened(review)
    assert other.built == 0 and other.index is not None
    assert len(other.index) - other.index.n_base == 5 + 6 + 7


def test_an_edited_abstract_is_seen_and_exact(review: litreview.Review) -> None:
    review.search("x")
    row = review.papers.iloc[[3]][["paper_id", "title", "abstract", "published"]].copy()
    row["abstract"] = row["abstract"] + " Tested on zebrafish."
    assert review.add(row).updated == 1
    assert results(review, "zebrafish")[0] == row["paper_id"].tolist()
    assert_same_as_a_fresh_build(review)
    assert reopened(review).built == 0  # the rebuilt index was saved


def test_another_review_object_sees_an_edit_made_through_the_other(
    review: litreview.Review,
) -> None:
    other = litreview.Review.open(review.location, reviewer="bob")
    assert results(other, "zebrafish") == ([], [])
    row = review.papers.iloc[[0]][["paper_id", "title", "abstract", "published"]].copy()
    row["abstract"] = row["abstract"] + " Zebrafish only."
    review.add(row)
    assert results(other, "zebrafish")[0] == row["paper_id"].tolist()
    assert_same_as_a_fresh_build(other)


def test_a_merge_with_new_and_known_papers_is_exact(review: litreview.Review) -> None:
    review.search("x")
    known = review.papers.iloc[[1, 2]][["paper_id", "title", "abstract", "published"]].copy()
    known["abstract"] = known["abstract"] + " Also quokka."
    merged = pd.concat([known, new_papers(3, 100)], ignore_index=True)
    summary = review.add(merged)
    assert (summary.new, summary.updated) == (3, 2)
    assert len(results(review, "quokka")[0]) == 5
    assert_same_as_a_fresh_build(review)
    reopened(review)


def test_undo_and_annotations_keep_the_index(review: litreview.Review) -> None:
    review.search("x")
    cache = review._index_cache
    pid = review.papers["paper_id"].iloc[0]
    review.annotate(pid, decision="include", tags=["survey"])
    review.undo()
    review.annotate(pid, note="later")
    assert_same_as_a_fresh_build(review)
    assert review._index_cache is cache and cache is not None and cache.built == 1


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flip":
        data[len(data) * 2 // 3] ^= 0x40
    elif how == "truncate":
        data = data[: len(data) - 100]
    elif how == "header":
        data[40] ^= 0x01
    elif how == "reserved":
        data[30] ^= 0x01
    elif how == "magic":
        data[:4] = b"JUNK"
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("how", "problem"),
    [
        ("flip", "checksum"),
        ("truncate", "truncated"),
        ("header", "damaged header"),
        ("reserved", "damaged header"),
        ("magic", "not a litreview index"),
        ("empty", "truncated"),
    ],
)
def test_a_damaged_index_file_is_rebuilt(review: litreview.Review, how: str, problem: str) -> None:
    review.search("x")
    path = index_path(review.path)
    damage(path, how)
    other = litreview.Review.open(review.location, reviewer="ada")
    assert_same_as_a_fresh_build(other)
    cache = other._index_cache
    assert cache is not None and cache.built == 1 and problem in str(cache.problem)
    assert reopened(review).built == 0  # rewritten whole


def test_a_damaged_delta_is_ignored_and_its_papers_indexed_again(
    review: litreview.Review,
) -> None:
    review.search("x")
    review.add(new_papers(4))
    review.search("x")
    cache = review._index_cache
    assert cache is not None
    damage(cache.delta_path, "flip")
    other = reopened(review)
    assert other.built == 0 and "checksum" in str(other.problem)


def test_a_stale_index_file_is_never_trusted(review: litreview.Review, tmp_path: Path) -> None:
    review.search("x")
    # an index of the same papers with one abstract changed, under this review's name
    papers = review.papers
    changed = papers.copy()
    changed.loc[5, "abstract"] = "Quokka zebrafish."
    stale = IndexCache(tmp_path / "elsewhere.index")
    stale.index_for(changed)
    index_path(review.path).write_bytes(stale.path.read_bytes())
    other = litreview.Review.open(review.location, reviewer="ada")
    assert results(other, "quokka") == ([], [])
    cache = other._index_cache
    assert cache is not None and cache.built == 1 and "stale" in str(cache.problem)
    assert_same_as_a_fresh_build(other)


def test_an_unwritable_directory_keeps_the_index_in_memory(tmp_path: Path) -> None:
    cache = IndexCache(tmp_path / "missing-dir" / "r.index")
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    with pytest.warns(RuntimeWarning, match="not saved"):
        index = cache.index_for(papers)
    assert cache.index_for(papers) is index and cache.built == 1


def test_a_dataframe_outside_a_review_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    litreview.query.index_for.cache_clear()  # type: ignore[attr-defined]
    assert len(litreview.search(papers, "transformer")) > 0
    assert list(tmp_path.iterdir()) == []


def test_the_fingerprint_covers_ids_titles_and_abstracts() -> None:
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    fp = fingerprint(papers)
    for column, value in (("title", "X"), ("abstract", "Y"), ("paper_id", "z")):
        changed = papers.copy()
        changed.loc[7, column] = value
        assert fingerprint(changed) != fp, column
    missing = papers.copy()
    missing.loc[7, "abstract"] = pd.NA
    assert fingerprint(missing) != fp
    annotated = papers.assign(note="n", upvotes=np.arange(len(papers)))
    assert fingerprint(annotated) == fp


def test_an_index_asked_for_a_table_read_before_an_edit_does_not_pass_for_the_current(
    review: litreview.Review,
) -> None:
    review.add(papers_from_columns({"paper_id": ["px"], "title": ["A paper, no abstract yet"]}))
    review.search_index()
    before = review.papers  # a table taken before the edit (as a queued app load would)
    edited = before[before["paper_id"] == "px"][["paper_id", "title"]].copy()
    edited["abstract"] = ["zyzzyva, a word only this abstract has"]
    assert review.add(edited).updated == 1
    review.search_index(before)  # the index of that older table
    assert review.search("zyzzyva")["paper_id"].tolist() == ["px"]
    assert_same_as_a_fresh_build(review)
