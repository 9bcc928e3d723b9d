"""The review file itself: persistence, refusing files that are not reviews,
migrations, concurrent writers and a writer killed mid-run."""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.review.core import ReviewFileError
from litreview.review.store.connection import APPLICATION_ID, SCHEMA_VERSION, Store, migrate
from tests.paths import TESTS

REPO = TESTS.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_review(path: Path) -> list[str]:
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        return review.papers["paper_id"].tolist()


def test_annotations_survive_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    ids = make_review(path)
    with Review.open(path, reviewer="ada") as review:
        review.annotate(ids[:3], decision="include", tags=["keep"], note="ü ✓", rating=5)
        review.annotate(ids[3], decision="exclude", reason="duplicate")
        before = review.papers
        history = review.history()
    with Review.open(path, reviewer="ada") as review:
        pd.testing.assert_frame_equal(review.papers, before)
        pd.testing.assert_frame_equal(review.history(), history)
        assert review.can_undo
        review.undo()  # the undo stack is in the file too
        assert review.papers.loc[3, "decision"] == "unscreened"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_closed_review_refuses_use(tmp_path: Path) -> None:
    review = Review.open(tmp_path / "r.litreview", reviewer="ada")
    review.close()
    review.close()  # twice is fine
    with pytest.raises(ValueError, match="is closed"):
        review.papers  # noqa: B018


def test_history_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    ids = make_review(path)
    with Review.open(path, reviewer="ada") as review:
        review.annotate(ids[0], decision="include")
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM history")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE history SET new_value = 'x'")
    conn.close()


# -- files that are not reviews -----------------------------------------------------------


def sqlite_file(path: Path, sql: str) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("notes.txt", lambda p: p.write_text("just some notes\n"), "not an SQLite database"),
        (
            "other.db",
            lambda p: sqlite_file(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"),
            "an SQLite database but not a litreview review",
        ),
        (
            "corrupt.litreview",
            lambda p: p.write_bytes(b"SQLite format 3\x00" + random.Random(0).randbytes(4000)),
            "corrupt",
        ),
    ],
)
def test_non_review_files_are_refused_and_untouched(tmp_path: Path, name, make, message) -> None:
    path = tmp_path / name
    make(path)
    before = digest(path)
    with pytest.raises(ReviewFileError, match=message) as info:
        Review.open(path, reviewer="ada")
    assert str(path) in str(info.value) and info.value.path == path
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_truncated_review_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.litreview"
    make_review(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with (
        pytest.raises(ReviewFileError, match=r"damaged|corrupt") as info,
        Review.open(path, reviewer="ada") as review,
    ):
        review.papers  # noqa: B018
    assert str(path) in str(info.value)


def test_future_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.litreview"
    make_review(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    with pytest.raises(ReviewFileError, match="newer litreview"):
        Review.open(path)
    assert digest(path) == before


def test_missing_folder_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="folder"):
        Review.open(tmp_path / "nope" / "r.litreview")
    with pytest.raises(IsADirectoryError):
        Review.open(tmp_path)


def test_empty_file_is_refused_unless_created_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "empty.litreview"
    path.touch()
    with pytest.raises(ReviewFileError, match=r"empty file \(0 bytes\).*create=True"):
        Review.open(path, reviewer="ada")
    assert path.stat().st_size == 0 and sorted(tmp_path.iterdir()) == [path]
    with pytest.raises(ReviewFileError, match="empty file"):
        litreview.report.loading.load(path)
    with Review.open(path, reviewer="ada", create=True) as review:
        assert len(review) == 0
    with Review.open(path, reviewer="ada") as review:  # now a review
        assert len(review) == 0


# -- migrations -----------------------------------------------------------------------------


def test_version_1_file_is_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.litreview"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=1)
    at = "2025-01-02T03:04:05.000000"
    conn.executescript(
        f"""
        INSERT INTO papers(paper_id, title_key, title, comments)
        VALUES ('p1', 'oldpaper', 'Old paper', 0);
        INSERT INTO annotations(paper_id, reviewer, decision, tags)
        VALUES ('p1', 'ada', 'include', '["t"]');
        INSERT INTO steps(reviewer, at, action) VALUES ('ada', '{at}', 'annotate');
        INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value)
        VALUES (1, 'p1', 'ada', '{at}', 'decision', '"unscreened"', '"include"');
        """
    )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    store = Store.open(path)
    assert (store.version_found, store.version) == (1, SCHEMA_VERSION)
    store.close()
    with Review.open(path, reviewer="ada") as review:
        assert review.papers.loc[0, "decision"] == "include"
        assert review.papers.loc[0, "tags"] == ["t"]
        assert review.history()["new_value"].tolist() == ["include"]
        review.undo()
        assert review.papers.loc[0, "decision"] == "unscreened"
        review.annotate("p1", note="after migration")
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM history")
    conn.close()


# -- concurrency and crashes -----------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time, pathlib
    from litreview import Review
    path, name, n, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    review = Review.open(path, reviewer="team")
    ids = review.papers["paper_id"].tolist()
    pathlib.Path(ready, name).touch()
    while len(list(pathlib.Path(ready).iterdir())) < 2:
        time.sleep(0.01)
    for i in range(n):
        pid = ids[i % len(ids)]
        if name == "p0":
            review.annotate(pid, note=f"p0-{i}", add_tags=f"p0-{i}")
        else:
            review.annotate(pid, rating=1 + i % 5, add_tags=f"p1-{i}")
        print(i, flush=True)
    review.close()
    """
)


def test_two_processes_annotating_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.litreview"
    ids = make_review(path)
    ready = tmp_path / "ready"
    ready.mkdir()
    n = 200
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(n), str(ready)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for name in ("p0", "p1")
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.split() == [str(i) for i in range(n)]
    with Review.open(path, reviewer="team") as review:
        history = review.history()
        tags = history[history["field"] == "tags"]
        added = {t for value in tags["new_value"] for t in value}
        expected = {f"p{k}-{i}" for k in (0, 1) for i in range(n)}
        assert added == expected  # every change is in the history
        assert len(tags) == 2 * n
        by_writer = tags["new_value"].map(lambda v: v[-1][:2]).tolist()
        switches = sum(a != b for a, b in itertools.pairwise(by_writer))
        assert switches >= 2, f"the two writers did not overlap ({switches} switches)"
        papers = review.papers.set_index("paper_id")
        for j, pid in enumerate(ids):
            mine = {f"p{k}-{i}" for k in (0, 1) for i in range(j, n, len(ids))}
            assert set(papers.loc[pid, "tags"]) == mine  # no lost update
            last = max(range(j, n, len(ids)))
            assert papers.loc[pid, "note"] == f"p0-{last}"
            assert papers.loc[pid, "rating"] == 1 + last % 5
        assert review.integrity_check() == "ok"


KILLED = textwrap.dedent(
    """
    import sys
    from litreview import Review
    review = Review.open(sys.argv[1], reviewer="ada")
    ids = review.papers["paper_id"].tolist()
    i = 0
    while True:
        review.annotate(ids, add_tags=f"t{i}", note=f"n{i}")
        print(i, flush=True)
        i += 1
    """
)


def test_writer_killed_mid_run_loses_no_acknowledged_change(tmp_path: Path) -> None:
    path = tmp_path / "killed.litreview"
    ids = make_review(path)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    acknowledged: list[int] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while len(acknowledged) < 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    time.sleep(0.013)  # land inside a later transaction
    os.kill(proc.pid, signal.SIGKILL)
    rest, err = proc.communicate(timeout=30)
    acknowledged += [int(x) for x in rest.split()]
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 25, err
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Review.open(path, reviewer="ada") as review:
        papers = review.papers
        for i in acknowledged:
            assert all(f"t{i}" in tags for tags in papers["tags"]), i
        notes = set(review.history().query("field == 'note'")["new_value"])
        assert {f"n{i}" for i in acknowledged} <= notes
        assert set(papers["note"]) == {papers.loc[0, "note"]}  # all or nothing per call
        assert len(papers) == len(ids)


def test_the_review_file_alone_holds_every_change_while_still_open(tmp_path: Path) -> None:
    path = tmp_path / "open.litreview"
    review = Review.open(path, reviewer="ada")
    review.add(litreview.SAMPLE_LISTING)
    first = review.papers["paper_id"].iloc[0]
    review.annotate(first, decision="include", note="shared copy")
    copy = tmp_path / "copy.litreview"
    # what a colleague gets: the file, not the -wal (copied by another process: reading
    # it with Python here would drop the open review's locks)
    subprocess.run(["cp", str(path), str(copy)], check=True)
    with Review.open(copy, reviewer="ada") as shared:
        papers = shared.papers.set_index("paper_id")
        assert len(papers) == 36
        assert papers.loc[first, "decision"] == "include"
        assert papers.loc[first, "note"] == "shared copy"
    review.close()
