"""The index stamp: a review trusts its saved index without the fingerprint only when it
can prove its papers are the text the index was saved for; copies and forks are checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import litreview
from litreview.query.index_file import IndexCache, index_path
from litreview.review.index_stamp import papers_version, proven_version, saved_stamp
from tests.review.test_index_persist import assert_same_as_a_fresh_build, new_papers, results


def edit_abstract(review: litreview.Review, row: int, text: str) -> str:
    """Extend one abstract through an import (the papers version moves on by one)."""
    edited = review.papers.iloc[[row]][["paper_id", "title", "abstract", "published"]].copy()
    edited["abstract"] = edited["abstract"] + " " + text
    assert review.add(edited).updated == 1
    return str(edited["paper_id"].iloc[0])


def copy_review(source: Path, target: Path) -> None:
    """A consistent copy through SQLite (never a byte copy of a live file)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def cache_of(review: litreview.Review) -> IndexCache:
    cache = review._index_cache
    assert cache is not None
    return cache


def test_a_reopened_review_trusts_its_stamp_and_skips_the_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    with litreview.Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.search("x")
        stamp = saved_stamp(review._store)
        assert stamp is not None and stamp.startswith(f"{papers_version(review._store)}:")
    with litreview.Review.open(path, reviewer="ada") as again:
        assert_same_as_a_fresh_build(again)
        cache = cache_of(again)
        assert (cache.built, cache.fingerprinted, cache.problem) == (0, 0, None)
        # an edit moves the version on: the next save carries a new stamp
        edit_abstract(again, 2, "Quokka zebrafish.")
        assert len(results(again, "quokka")[0]) == 1
        assert saved_stamp(again._store) not in (None, stamp)
    with litreview.Review.open(path, reviewer="ada") as third:
        assert_same_as_a_fresh_build(third)
        assert (cache_of(third).built, cache_of(third).fingerprinted) == (0, 0)


def test_papers_changed_in_memory_are_not_proven(tmp_path: Path) -> None:
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        papers = review.papers
        assert proven_version(review._store, papers) == papers_version(review._store)
        changed = papers.copy()
        changed.loc[4, "abstract"] = str(changed.loc[4, "abstract"])[:-1] + "!"
        assert proven_version(review._store, changed) is None
        assert proven_version(review._store, papers.iloc[::-1]) is None
        assert proven_version(review._store, papers.iloc[1:]) is None
        version = papers_version(review._store)
        review.add(new_papers(1))
        assert proven_version(review._store, papers) == version  # still that version's text
        assert proven_version(review._store, review.papers) == version + 1
        assert proven_version(review._store, papers) is None  # an older snapshot's


def test_a_backup_restored_and_edited_to_the_same_version_is_checked(tmp_path: Path) -> None:
    path, backup = tmp_path / "r.litreview", tmp_path / "backup.litreview"
    with litreview.Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.search("x")
        copy_review(path, backup)  # the backup holds the stamp of this index
        edit_abstract(review, 3, "Quokka zebrafish study.")
        assert len(results(review, "quokka")[0]) == 1  # index saved at the next version
        version = papers_version(review._store)
    copy_review(backup, path)  # restored; then another abstract gets text of the same length
    with litreview.Review.open(path, reviewer="ada") as restored:
        pid = edit_abstract(restored, 5, "Wombat zebrafish study.")
        assert papers_version(restored._store) == version
        assert results(restored, "wombat")[0] == [pid]
        assert results(restored, "quokka") == ([], [])
        cache = cache_of(restored)
        assert cache.built == 1 and "stale" in str(cache.problem)
        assert_same_as_a_fresh_build(restored)


def test_another_reviews_index_at_the_same_version_is_checked(tmp_path: Path) -> None:
    one, two = tmp_path / "one.litreview", tmp_path / "two.litreview"
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    changed = papers.copy()
    changed.loc[6, "abstract"] = "Quokka zebrafish."
    for path, listing in ((one, papers), (two, changed)):
        with litreview.Review.open(path, reviewer="ada") as review:
            review.add(listing)
            review.search("x")
    index_path(one).write_bytes(index_path(two).read_bytes())
    with litreview.Review.open(one, reviewer="ada") as review:
        assert results(review, "quokka") == ([], [])
        cache = cache_of(review)
        assert cache.built == 1 and cache.fingerprinted == 1 and "stale" in str(cache.problem)
        assert_same_as_a_fresh_build(review)


def test_an_index_saved_without_a_stamp_gets_one_without_rewriting_its_base(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.litreview"
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    with litreview.Review.open(path, reviewer="ada") as review:
        review.add(papers)
        IndexCache(index_path(path)).index_for(review.papers)  # as before stamps: none saved
    base = index_path(path).stat().st_mtime_ns
    for fingerprinted in (1, 0):
        with litreview.Review.open(path, reviewer="ada") as again:
            assert_same_as_a_fresh_build(again)
            cache = cache_of(again)
            assert (cache.built, cache.fingerprinted) == (0, fingerprinted)
            assert saved_stamp(again._store) is not None
    assert index_path(path).stat().st_mtime_ns == base  # the stamp went to a small delta
    assert cache.delta_path.stat().st_size < 4096
