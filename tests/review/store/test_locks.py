"""The review file's locks: this process never touches an open review outside SQLite,
one connection per file, readers never wait for a writer, and refusals (foreign,
empty, read-only files) leave nothing behind (issue 13, items 1, 2 and 5)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import litreview
from litreview import Review
from litreview.report.loading import is_review_file, load
from litreview.review.store.connection import SCHEMA_VERSION, ReviewFileError, inspect
from tests.conftest import remount
from tests.paths import TESTS

REPO = TESTS.parent
LITREVIEW = [sys.executable, "-m", "litreview"]

# Another process asks for SQLite's exclusive lock on the SHARED byte range of the
# database file: while any connection of ours is open (WAL mode keeps a SHARED lock),
# it must be refused. A Python open()+close() of the file in this process drops it.
PROBE = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)
        print("free")
    except OSError:
        print("held")
    """
)


def lock_seen_by_others(path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def make_review(path: Path) -> list[str]:
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        return review.papers["paper_id"].tolist()


def test_nothing_in_this_process_drops_a_live_connections_locks(tmp_path: Path) -> None:
    """Every way the library looks at a review file while the notebook holds it open."""
    path = tmp_path / "r.litreview"
    make_review(path)
    alias = tmp_path / "alias.sqlite"
    alias.symlink_to(path)
    review = Review.open(path, reviewer="ada")
    assert lock_seen_by_others(path) == "held"
    again = Review.open(path, reviewer="bob")  # the notebook re-runs its cell
    assert is_review_file(path) and is_review_file(alias)
    assert inspect(path) == (litreview.review.store.connection.APPLICATION_ID, SCHEMA_VERSION)
    assert load(alias).is_review
    with Review.open(alias, reviewer="eve") as third:
        assert len(third) == 36
    assert lock_seen_by_others(path) == "held"  # old code: "free" after the re-open
    with pytest.raises(ValueError, match="is a review file"):
        review.add(path)  # reading it as a listing would open() it
    assert lock_seen_by_others(path) == "held"
    review.close()
    assert lock_seen_by_others(path) == "held"  # `again` still holds the file
    again.close()
    assert lock_seen_by_others(path) == "free"


def test_reopen_shares_one_connection_and_both_objects_keep_working(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    ids = make_review(path)
    old = Review.open(path, reviewer="ada")
    new = Review.open(path, reviewer="ada")
    assert new._store.shares_connection_with(old._store)
    old.annotate(ids[0], note="from the old object")
    new.annotate(ids[1], note="from the new object")
    assert old.papers["note"].tolist()[:2] == ["from the old object", "from the new object"]
    old.close()
    with pytest.raises(ValueError, match="closed"):
        len(old)
    assert new.papers.loc[0, "note"] == "from the old object"  # the new one still works
    new.close()
    assert new._store.closed


def test_a_dropped_review_closes_its_connection_at_once(tmp_path: Path) -> None:
    """``del review`` (or rebinding the name) closes the file, not the garbage collector."""
    import gc

    path = tmp_path / "r.litreview"
    make_review(path)
    gc.disable()
    try:
        review = Review.open(path, reviewer="ada")
        assert lock_seen_by_others(path) == "held"
        del review
        assert lock_seen_by_others(path) == "free"
    finally:
        gc.enable()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.litreview"]  # -wal, -shm gone


HOLD_WRITE = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta(key, value) VALUES ('held', '1')")
    print("holding", flush=True)
    time.sleep(120)
    """
)


def test_readers_never_wait_for_another_process_writing(tmp_path: Path) -> None:
    path = tmp_path / "r.litreview"
    make_review(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        timings = {}
        start = time.monotonic()
        with Review.open(path, reviewer="ada") as review:
            timings["open"] = time.monotonic() - start
            assert len(review.papers) == 36
            assert len(review.search("transformer")) > 0
        start = time.monotonic()
        assert len(load(path).papers) == 36  # what `render` and `stats` use
        timings["load"] = time.monotonic() - start
        start = time.monotonic()
        stats = subprocess.run(
            [*LITREVIEW, "stats", str(path)], capture_output=True, text=True, cwd=REPO
        )
        timings["stats"] = time.monotonic() - start
        assert stats.returncode == 0, stats.stderr
        assert max(timings.values()) < 20, timings  # old code: 30 s, then "database is locked"
    finally:
        holder.kill()
        holder.wait()


# -- refusals leave nothing behind ---------------------------------------------------------


NEWER = SCHEMA_VERSION + 1


def wal_database(path: Path, sql: str) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(sql)
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: wal_database(p, "CREATE TABLE t(x);"), "not a litreview review"),
        (
            lambda p: (make_review(p), wal_database(p, f"PRAGMA user_version={NEWER}")),
            "newer litreview",
        ),
    ],
    ids=["foreign-wal-database", "newer-review"],
)
def test_refused_wal_files_leave_no_wal_or_shm(tmp_path: Path, make, message) -> None:
    path = tmp_path / "x.litreview"
    make(path)
    before = path.read_bytes()
    for attempt in (lambda: Review.open(path), lambda: load(path), lambda: inspect(path)):
        with pytest.raises(ReviewFileError, match=message):
            attempt()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["x.litreview"]
    assert path.read_bytes() == before


def test_read_only_folder_and_file_are_named_so(tmp_path: Path, tmpfs) -> None:
    folder = tmpfs("4m")
    path = folder / "r.litreview"
    make_review(path)
    remount(folder, "ro")
    for attempt in (lambda: Review.open(path), lambda: load(path)):
        with pytest.raises(ReviewFileError, match="read-only") as info:
            attempt()
        assert "corrupt" not in str(info.value) and str(folder) in str(info.value)
    with pytest.raises(ReviewFileError, match="read-only"):
        Review.open(folder / "new.litreview")
    assert sorted(p.name for p in folder.iterdir()) == ["r.litreview"]
    remount(folder, "rw")
    remount(path, "ro", bind=True)  # a read-only file in a writable folder
    try:
        with pytest.raises(ReviewFileError, match="file is read-only"):
            Review.open(path)
        assert sorted(p.name for p in folder.iterdir()) == ["r.litreview"]
    finally:
        subprocess.run(["umount", str(path)], check=True)
    with Review.open(path) as review:  # writable again: opens as before
        assert len(review) == 36


# -- the notebook sequence of the issue ----------------------------------------------------

KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from litreview import Review
    review = Review.open(sys.argv[1], reviewer="killed")
    ids = review.papers["paper_id"].tolist()
    i = 0
    while True:
        review.annotate(ids[i % len(ids)], add_tags=f"k{i}")
        print(i, flush=True)
        i += 1
    """
)


def test_notebook_sequence_keeps_every_acknowledged_change(tmp_path: Path) -> None:
    """Open, re-open while the old object lives, CLI annotates, a writer SIGKILLed, re-open."""
    path = tmp_path / "nb.litreview"
    ids = make_review(path)
    notebook = Review.open(path, reviewer="ada")
    old = notebook
    notebook = Review.open(path, reviewer="ada")  # the cell re-run; `old` still alive
    acknowledged: dict[str, str] = {}  # paper -> note
    for i in range(6):
        who = (old, notebook)[i % 2]
        who.annotate(ids[i], note=f"nb-{i}")
        acknowledged[ids[i]] = f"nb-{i}"
        pid = ids[10 + i]
        cli = subprocess.run(
            [*LITREVIEW, "annotate", str(path), pid, "--note", f"cli-{i}", "--reviewer", "ada"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert cli.returncode == 0, cli.stderr
        acknowledged[pid] = f"cli-{i}"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert writer.stdout is not None
    tags = []
    while len(tags) < 40:
        line = writer.stdout.readline()
        assert line, "the writer stopped"
        tags.append(f"k{int(line)}")
        if len(tags) % 10 == 0:
            notebook.annotate(ids[20], add_tags=f"nb{len(tags)}")  # both write meanwhile
    os.kill(writer.pid, signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    tags += [f"k{int(x)}" for x in rest.split()]
    old.annotate(ids[30], note="after the kill")
    acknowledged[ids[30]] = "after the kill"
    notebook.close()
    old.close()
    with Review.open(path, reviewer="ada") as again:
        assert again.integrity_check() == "ok"
        notes = again.papers.set_index("paper_id")["note"]
        lost = {pid: note for pid, note in acknowledged.items() if str(notes[pid]) != note}
        assert lost == {}  # old code: 5 of 12 notebook/CLI notes lost
        history = again.history()
        added = {t for value in history.query("field == 'tags'")["new_value"] for t in value}
        assert set(tags) <= added and {"nb10", "nb20", "nb30", "nb40"} <= added
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_threads_opening_and_closing_one_review_share_it_safely(tmp_path: Path) -> None:
    """Opening while another thread closes the last handle waits for it; nothing is lost."""
    import threading

    path = tmp_path / "r.litreview"
    ids = make_review(path)
    keeper = Review.open(path, reviewer="ada")
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(15):
                with Review.open(path, reviewer=f"t{k}") as mine:
                    mine.annotate(ids[k], add_tags=f"t{k}-{i}")
                    assert is_review_file(path) and inspect(path)[1] == SCHEMA_VERSION
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    keeper.close()  # the first handle goes while the threads open and close theirs
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.litreview"]  # all closed
    with Review.open(path, reviewer="ada") as review:
        added = {t for v in review.history().query("field == 'tags'")["new_value"] for t in v}
        assert added == {f"t{k}-{i}" for k in range(6) for i in range(15)}
        assert review.integrity_check() == "ok"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_opens_its_own_connection(tmp_path: Path) -> None:
    """The parent's connection is not the child's (fcntl locks are not inherited)."""
    path = tmp_path / "r.litreview"
    ids = make_review(path)
    parent = Review.open(path, reviewer="ada")
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            with Review.open(path, reviewer="child") as child:
                code = 0 if not child._store.shares_connection_with(parent._store) else 2
                child.annotate(ids[0], note="from the child")
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert lock_seen_by_others(path) == "held"  # the parent's locks are intact
    parent.annotate(ids[1], note="from the parent")
    parent.close()
    with Review.open(path, reviewer="child") as review:
        assert review.papers.loc[0, "note"] == "from the child"
        assert review.integrity_check() == "ok"


def test_read_listing_refuses_a_review_this_process_has_open(tmp_path: Path) -> None:
    path = tmp_path / "open.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        with pytest.raises(litreview.ListingError, match="a review this process has open"):
            litreview.read_listing(path)
        assert review.integrity_check() == "ok"


def test_no_export_replaces_a_review_this_process_has_open(tmp_path: Path) -> None:
    """``export(..., overwrite=True)`` onto the open review's path would rename a new file
    over it: the connection would go on writing to the deleted file, and lose it all."""
    path = tmp_path / "open.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        with pytest.raises(FileExistsError, match="a review this process has open"):
            litreview.export(review.papers, path, format="csv", overwrite=True)
        review.annotate(review.papers["paper_id"].iloc[0], note="still saved")
    with Review.open(path, reviewer="ada") as again:
        assert "still saved" in again.papers["note"].tolist()
        assert again.integrity_check() == "ok"
