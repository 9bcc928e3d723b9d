"""The paper table saved beside a review: read back exactly as the review holds it, used
only for the very state it was saved from (on both backends), and never for another."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.review.store import paper_file, table
from litreview.review.store.paper_file import paper_file_path
from litreview.review.store.stamps import PAPER_FILE_STAMP, read_stamp
from litreview.schema import papers_from_columns

ODD = papers_from_columns(
    {
        "paper_id": ["odd-1", "odd-2", "odd-3"],
        "title": ["Ünïcödé 🦘 title", "", "Zero\u200bwidth e\u0301"],
        "abstract": [pd.NA, "Line one\nline two\ttab", "x" * 5000],
        "authors": [["Ada Lovelace", "Émile Borel"], [], ["李四"]],
        "keywords": [["a"], ["b", "c"], []],
        "upvotes": [pd.NA, 0, 2**40],
        "published": [pd.Timestamp("1650-01-02"), pd.NaT, pd.Timestamp("2024-02-29 13:14")],
        "venue": ["NeurIPS", "NeurIPS", pd.NA],
        "doi": [pd.NA, "10.1234/untitled", pd.NA],
        "extra": [{"k": "v", "ü": "ß"}, {}, {"n": "1"}],
    }
)


@pytest.fixture(autouse=True)
def every_review_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paper_file, "MIN_PAPERS", 0)


@pytest.fixture
def review(locate: Callable[[str], str | Path]) -> Iterator[Review]:
    with Review.open(locate("r"), reviewer="ada") as opened:
        opened.add(litreview.SAMPLE_LISTING)
        opened.add(ODD)
        yield opened


def read(review: Review) -> pd.DataFrame:
    """``review``'s paper table, once every file the read began saving is written."""
    papers = table.paper_frame(review._store)
    paper_file.wait_for_saves(review._store)
    return papers


def from_the_review(review: Review, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The paper table read from the review itself (no side file), in a fresh cache."""
    paper_file.wait_for_saves(review._store)
    with monkeypatch.context() as patched:
        patched.setattr(paper_file, "load", lambda store, version: None)
        patched.setattr(paper_file, "save", lambda store, snapshot, wait=True: None)
        review._store.cache.clear()
        return table.paper_frame(review._store)


def from_the_file(review: Review, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The paper table a fresh cache reads, which must come from the side file."""

    def no_sql(store: object) -> None:
        raise AssertionError("the papers were read from the review, not from its side file")

    paper_file.wait_for_saves(review._store)
    with monkeypatch.context() as patched:
        patched.setattr(table, "_read_snapshot", no_sql)
        review._store.cache.clear()
        return table.paper_frame(review._store)


def test_the_saved_table_is_exactly_the_reviews(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = from_the_review(review, monkeypatch)
    review._store.cache.clear()
    read(review)  # reads the review, saves the file
    assert paper_file_path(review.path).exists()
    got = from_the_file(review, monkeypatch)
    pd.testing.assert_frame_equal(got, expected)
    odd = got.set_index("paper_id").loc["odd-3"]
    assert odd["title"] == "Zero\u200bwidth e\u0301" and odd["authors"] == ["李四"]
    assert got.set_index("paper_id").loc["odd-1", "extra"] == {"k": "v", "ü": "ß"}
    assert pd.isna(got.set_index("paper_id").loc["odd-1", "abstract"])
    assert got.set_index("paper_id").loc["odd-2", "title"] == ""


def test_lists_handed_out_are_fresh_copies(review: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    read(review)
    first = from_the_file(review, monkeypatch)
    first.loc[first["paper_id"] == "odd-1", "authors"].iloc[0].append("Mutated")
    again = read(review)
    assert again.set_index("paper_id").loc["odd-1", "authors"] == ["Ada Lovelace", "Émile Borel"]


def test_a_change_of_the_papers_is_never_read_from_an_older_file(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(review)
    stamp = read_stamp(review._store, PAPER_FILE_STAMP)
    edited = review.papers.iloc[[0]][["paper_id", "title", "abstract", "published"]].copy()
    edited["abstract"] = edited["abstract"] + " A sentence only here."
    review.add(edited)
    review._store.cache.clear()
    got = read(review)  # the file is stale: the review is read
    assert got.loc[0, "abstract"].endswith(" A sentence only here.")
    assert read_stamp(review._store, PAPER_FILE_STAMP) != stamp  # and saved anew
    pd.testing.assert_frame_equal(from_the_file(review, monkeypatch), got)


def test_a_review_copied_back_from_a_backup_does_not_trust_a_newer_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        read(review)
    shutil.copy(path, tmp_path / "backup")
    with Review.open(path, reviewer="ada") as review:  # one change, the file saved for it
        review.add(papers_from_columns({"paper_id": ["later"], "title": ["Added later"]}))
        review._store.cache.clear()
        read(review)
    shutil.copy(tmp_path / "backup", path)
    with Review.open(path, reviewer="ada") as review:  # the backup, changed once: same version
        review.add(papers_from_columns({"paper_id": ["other"], "title": ["Another paper"]}))
        review._store.cache.clear()
        ids = read(review)["paper_id"].tolist()
        assert "other" in ids and "later" not in ids
        pd.testing.assert_frame_equal(
            from_the_file(review, monkeypatch), from_the_review(review, monkeypatch)
        )


def test_another_reviews_file_copied_beside_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, listing in (("a", litreview.SAMPLE_LISTING), ("b", None)):
        with Review.open(tmp_path / f"{name}.litreview", reviewer="ada") as review:
            review.add(listing if listing is not None else ODD)
            read(review)
    shutil.copy(
        paper_file_path(tmp_path / "a.litreview"), paper_file_path(tmp_path / "b.litreview")
    )
    with Review.open(tmp_path / "b.litreview", reviewer="ada") as review:
        assert review.papers["paper_id"].tolist() == ["odd-1", "odd-2", "odd-3"]


@pytest.mark.parametrize("where", [-1, -5000, 200])
def test_a_damaged_file_is_read_from_the_review_and_saved_again(
    review: Review, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:
    expected = from_the_review(review, monkeypatch)
    review._store.cache.clear()
    read(review)
    path = paper_file_path(review.path)
    data = bytearray(path.read_bytes())
    data[where] ^= 0x20
    path.write_bytes(bytes(data))
    review._store.cache.clear()
    pd.testing.assert_frame_equal(read(review), expected)
    pd.testing.assert_frame_equal(from_the_file(review, monkeypatch), expected)  # saved again


def test_a_truncated_or_missing_file_is_not_trusted(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = from_the_review(review, monkeypatch)
    review._store.cache.clear()
    read(review)
    path = paper_file_path(review.path)
    path.write_bytes(path.read_bytes()[:-100])
    review._store.cache.clear()
    pd.testing.assert_frame_equal(read(review), expected)
    path.unlink()
    review._store.cache.clear()
    pd.testing.assert_frame_equal(read(review), expected)


def test_a_file_that_cannot_be_written_warns_and_the_review_reads_as_before(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paper_file.PAPER_FILE.__class__, "write", full_disk)
    review._store.cache.clear()
    with pytest.warns(RuntimeWarning, match="not saved beside the review.*No space"):
        papers = read(review)
    assert len(papers) == 39 and not paper_file_path(review.path).exists()


def test_a_text_holding_nul_keeps_the_table_in_the_review(tmp_path: Path) -> None:
    # (a server cannot store NUL at all)
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(papers_from_columns({"paper_id": ["nul"], "title": ["Bad\x00title"]}))
        review._store.cache.clear()
        with pytest.warns(RuntimeWarning, match="holds NUL"):
            papers = read(review)
        assert papers["title"].iloc[-1] == "Bad\x00title"


def test_small_reviews_get_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paper_file, "MIN_PAPERS", 37)
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        assert len(review.papers) == 36 and not paper_file_path(review.path).exists()
        review.add(papers_from_columns({"paper_id": ["one-more"], "title": ["The 37th"]}))
        review._store.cache.clear()
        assert len(review.papers) == 37
        paper_file.wait_for_saves(review._store)
        assert paper_file_path(review.path).exists()


def test_a_fresh_process_reads_the_file_and_searches_the_same(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.add(ODD)
        expected = review.search("vision transformer")["paper_id"].tolist()
        paper_file.wait_for_saves(review._store)
    code = (
        "import sys, litreview\n"
        "from litreview.review.store import table\n"
        "def no_sql(store): raise SystemExit('read the papers with SQL')\n"
        "table._read_snapshot = no_sql\n"
        "review = litreview.Review.open(sys.argv[1], reviewer='ada')\n"
        "print(','.join(review.search('vision transformer')['paper_id']))\n"
    )
    assert paper_file_path(path).exists()  # saved by the search above
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().split(",") == expected


def added(review: Review, n: int, start: int = 0) -> None:
    review.add(
        papers_from_columns(
            {
                "paper_id": [f"added-{start + i}" for i in range(n)],
                "title": [f"Added paper {start + i}" for i in range(n)],
                "authors": [["New Author"]] * n,
            }
        )
    )


def test_papers_added_here_go_to_the_delta_file(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(review)  # reads the review, saves the base
    base = paper_file_path(review.path).read_bytes()
    added(review, 3)
    read(review)  # extends the cached table, saves the delta
    added(review, 2, start=3)
    read(review)
    assert paper_file_path(review.path).read_bytes() == base  # the base is not rewritten
    assert paper_file.delta_path(review.path).exists()
    got = from_the_file(review, monkeypatch)
    assert got["paper_id"].tolist()[-5:] == [f"added-{i}" for i in range(5)]
    added(review, 1, start=5)  # after a read of base + delta, adds still go to the delta
    read(review)
    assert paper_file_path(review.path).read_bytes() == base
    got = from_the_file(review, monkeypatch)
    assert got["paper_id"].tolist()[-6:] == [f"added-{i}" for i in range(6)]
    pd.testing.assert_frame_equal(got, from_the_review(review, monkeypatch))


def test_a_delta_of_a_quarter_of_the_base_becomes_a_new_base(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(review)
    base = paper_file_path(review.path).read_bytes()
    added(review, 10)  # 10 of 39: a new base, no delta
    read(review)
    assert paper_file_path(review.path).read_bytes() != base
    assert not paper_file.delta_path(review.path).exists()
    pd.testing.assert_frame_equal(
        from_the_file(review, monkeypatch), from_the_review(review, monkeypatch)
    )


def test_a_damaged_or_foreign_delta_is_not_used(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(review)
    added(review, 2)
    read(review)
    delta = paper_file.delta_path(review.path)
    data = bytearray(delta.read_bytes())
    data[-3] ^= 1
    delta.write_bytes(bytes(data))
    expected = from_the_review(review, monkeypatch)  # (a read that saves nothing)
    review._store.cache.clear()
    pd.testing.assert_frame_equal(read(review), expected)  # saves a base

    added(review, 2, start=2)
    read(review)  # a delta of the new base
    good_delta = delta.read_bytes()
    paper_file.save(review._store, review._store.cache["papers"])  # another base, no delta
    delta.write_bytes(good_delta)  # a delta of the older base, stamped with an older token
    expected = from_the_review(review, monkeypatch)
    review._store.cache.clear()
    pd.testing.assert_frame_equal(from_the_file(review, monkeypatch), expected)


def test_the_file_is_written_after_the_read_returns_and_never_stands_for_a_later_change(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    release, writing = threading.Event(), threading.Event()
    kind = type(paper_file.PAPER_FILE)
    real = kind.write

    def slow_write(fmt: object, path: Path, arrays: dict, meta: dict) -> int:
        writing.set()
        release.wait(30)
        return real(fmt, path, arrays, meta)  # type: ignore[arg-type]

    monkeypatch.setattr(kind, "write", slow_write)
    review._store.cache.clear()
    papers = table.paper_frame(review._store)  # returns while its file is being written
    assert writing.wait(30) and len(papers) == 39
    added(review, 2)  # a change while the file of the version before is written
    release.set()
    paper_file.wait_for_saves(review._store)
    monkeypatch.setattr(kind, "write", real)
    version = review._store.read(lambda conn: review._store.counter(conn, "papers_version"))
    assert paper_file.load(review._store, version) is None  # that file is not for this version
    expected = from_the_review(review, monkeypatch)
    assert len(expected) == 41
    review._store.cache.clear()
    pd.testing.assert_frame_equal(read(review), expected)  # from the review, saved anew
    pd.testing.assert_frame_equal(from_the_file(review, monkeypatch), expected)


def test_a_save_overtaken_by_another_never_becomes_the_base_of_a_delta(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save 1 finishing while save 2 (of an edited table, as many papers) still waits:
    papers appended then must not go to a delta of save 1's table."""
    import threading

    first, second, reached = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        reached.set()
        second.wait(30)

    store = review._store
    store.cache.clear()
    paper_file._saver(store).submit(first.wait, 30)
    table.paper_columns(store)  # save 1 queued
    paper_file._saver(store).submit(hold)
    edited = review.papers.iloc[[0]][["paper_id", "title", "abstract", "published"]].copy()
    edited["title"] = "An edited title, the same number of papers"
    review.add(edited)
    table.paper_columns(store)  # save 2 queued
    first.set()
    assert reached.wait(30)  # save 1 is done (or dropped), save 2 waits
    added(review, 1)
    table.paper_columns(store)  # an append
    version = store.read(lambda conn: store.counter(conn, "papers_version"))
    loaded = paper_file.load(store, version)  # what a fresh process would read now
    assert loaded is None or loaded.columns["title"][0] == edited["title"].iloc[0]
    second.set()
    paper_file.wait_for_saves(store)
    loaded = paper_file.load(store, version)
    assert loaded is None or loaded.columns["title"][0] == edited["title"].iloc[0]
    assert len(read(review)) == 40


def test_a_delta_stamped_for_a_base_that_was_replaced_is_not_used(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.review.store.stamps import save_stamp

    read(review)
    added(review, 2)
    read(review)  # base A, a delta of A (stamped S)
    delta = paper_file.delta_path(review.path)
    good_delta, stamp = delta.read_bytes(), read_stamp(review._store, PAPER_FILE_STAMP)
    paper_file.save(review._store, review._store.cache["papers"])  # base B, the delta removed
    delta.write_bytes(good_delta)  # the delta of A back, and its stamp
    save_stamp(review._store, PAPER_FILE_STAMP, stamp)  # type: ignore[arg-type]
    version = review._store.read(lambda conn: review._store.counter(conn, "papers_version"))
    assert paper_file.load(review._store, version) is None  # B is not the base it names


def test_a_delta_that_cannot_be_removed_warns_and_the_review_reads_as_before(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    read(review)
    monkeypatch.setattr(Path, "unlink", refused)
    added(review, 12)  # a quarter of the base: saved as a new base, the delta removed first
    with pytest.warns(RuntimeWarning, match="not saved beside the review.*Permission denied"):
        papers = read(review)
    assert len(papers) == 51


def test_a_save_whose_stamp_fails_leaves_no_older_save_to_become_a_base(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    store, gate = review._store, threading.Event()
    store.cache.clear()
    paper_file._saver(store).submit(gate.wait, 30)
    table.paper_columns(store)  # save 1 queued
    edited = review.papers.iloc[[0]][["paper_id", "title", "abstract", "published"]].copy()
    edited["title"] = "Edited while save 1 waits"
    review.add(edited)

    def locked(*args: object) -> None:
        raise store.database_errors[0]("database is locked")  # this backend's own error

    with monkeypatch.context() as patched, pytest.warns(RuntimeWarning, match="locked"):
        patched.setattr(paper_file, "save_stamp", locked)
        table.paper_columns(store)  # save 2 cannot stamp
    gate.set()
    paper_file.wait_for_saves(store)
    added(review, 1)
    table.paper_columns(store)  # an append: no delta of save 1's table
    version = store.read(lambda conn: store.counter(conn, "papers_version"))
    loaded = paper_file.load(store, version)
    assert loaded is None or loaded.columns["title"][0] == "Edited while save 1 waits"


def test_a_base_overtaken_by_a_later_save_or_read_gets_no_delta(review: Review) -> None:
    read(review)  # a base saved, this process knows it
    # a later save took over (its file still pending) after this base's thread named it:
    review._store.cache[paper_file.LATEST] = object()
    added(review, 2)
    read(review)
    assert not paper_file.delta_path(review.path).exists()
