"""Auto-exports: a file kept up to date after every change that affects it, atomically,
by this process and by another one (the CLI) going through the review."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import litreview
from litreview.review.core import Review
from tests.paths import ROOT


@pytest.fixture
def review(tmp_path: Path) -> Iterator[Review]:
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as opened:
        opened.add(litreview.SAMPLE_LISTING)
        yield opened


def _entries(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n@") + path.read_text().startswith("@")


def test_the_file_follows_each_change_that_affects_it(review: Review, tmp_path: Path) -> None:
    out = review.auto_export(tmp_path / "included.bib", query="decision:include")
    assert out == (tmp_path / "included.bib").resolve() and out.read_text() == ""
    ids = review.papers["paper_id"]
    review.annotate(ids[:3], decision="include")
    assert _entries(out) == 3
    inode = out.stat().st_ino
    review.annotate(ids[10], note="read later")  # not included: the file's text is the same
    assert out.stat().st_ino == inode  # not rewritten
    review.annotate(ids[0], decision="exclude")
    assert _entries(out) == 2 and out.stat().st_ino != inode  # replaced by a rename
    review.undo()
    assert _entries(out) == 3
    keys = review.citation_keys(ids[:3]).tolist()
    assert all("{" + k + "," in out.read_text() for k in keys)  # the pinned keys
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    table = review.auto_exports()
    assert table[["path", "query", "reviewer"]].values.tolist() == [
        [str(out), "decision:include", "ada"]
    ]
    assert table["last_error"].isna().all() and table["last_written"].notna().all()


def test_options_dialect_and_removal(review: Review, tmp_path: Path) -> None:
    out = review.auto_export(tmp_path / "all.bib", dialect="biblatex")
    assert out.read_text().count("date = {") == 36
    csv = review.auto_export(tmp_path / "all.csv", query="has:code")
    assert "zz-core-tag" not in csv.read_text()
    first = review.search("has:code")["paper_id"].iloc[0]
    review.annotate(first, tags=["zz-core-tag"])
    assert "zz-core-tag" in csv.read_text()  # the CSV's tags column
    assert review.remove_auto_export(out) is True and review.remove_auto_export(out) is False
    stamp = out.stat().st_mtime_ns
    review.annotate(first, decision="include", note="changed")
    assert out.stat().st_mtime_ns == stamp  # no longer kept up to date
    assert review.auto_exports()["path"].tolist() == [str(csv)]
    assert review.setting("exports.auto")[0]["query"] == "has:code"


def test_refusals_and_a_failed_rewrite_never_fails_the_change(
    review: Review, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.bib"
    taken.write_text("mine")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        review.auto_export(taken)
    assert taken.read_text() == "mine" and review.auto_exports().empty
    with pytest.raises(litreview.QueryError):
        review.auto_export(tmp_path / "x.bib", query='title:"unclosed')
    with pytest.raises(ValueError, match="unknown export suffix"):
        review.auto_export(tmp_path / "x.txt")
    folder = tmp_path / "gone"
    folder.mkdir()
    out = review.auto_export(folder / "refs.bib")
    folder.joinpath("refs.bib").unlink()
    folder.rmdir()
    folder.write_text("a file where the folder was")  # the rewrite cannot happen
    review.annotate(review.papers["paper_id"][0], decision="include")  # saved anyway
    assert review.papers["decision"].iloc[0] == "include"
    assert "Error" in str(review.auto_exports().set_index("path").at[str(out), "last_error"])
    folder.unlink()
    folder.mkdir()
    review.annotate(review.papers["paper_id"][1], decision="include")
    assert out.exists() and review.auto_exports()["last_error"].isna().all()


def test_another_process_through_the_cli_rewrites_it(review: Review, tmp_path: Path) -> None:
    out = review.auto_export(tmp_path / "included.bib", query="decision:include")
    pid = review.papers["paper_id"][4]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "litreview", "annotate", str(review.path), pid,
         "--decision", "include"],
        capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _entries(out) == 1
    assert "{" + review.citation_keys(pid).iloc[0] + "," in out.read_text()


def test_the_app_honours_it(review: Review, tmp_path: Path) -> None:
    """A decision clicked in the app (its model goes through the review) rewrites the file;
    the Export tab writes the review's pinned keys."""
    from litreview.app.state import AppState

    out = review.auto_export(tmp_path / "included.bib", query="decision:include")
    state = AppState(review, export_dir=tmp_path / "exports", page_size=10)
    ids = state.page_ids()[:2]
    assert state.decide("include", ids=ids)
    assert _entries(out) == 2
    written = state.export("bibtex", "included", "from-app.bib")
    keys = review.citation_keys(ids).tolist()
    assert all("{" + k + "," in written.read_text() for k in keys)
    assert all("{" + k + "," in out.read_text() for k in keys)


def test_saving_the_files_beside_the_review_rebuilds_no_export(
    review: Review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.review import auto_export
    from litreview.review.store import paper_file, table

    review.auto_export(tmp_path / "all.bib")
    built: list[str] = []
    real = auto_export._write
    monkeypatch.setattr(auto_export, "_write", lambda store, entry: built.append(entry["path"]))
    monkeypatch.setattr(paper_file, "MIN_PAPERS", 0)
    review.search("vision")  # saves the index and its stamp
    review._store.cache.clear()
    table.paper_frame(review._store)  # saves the paper table and its stamp
    paper_file.wait_for_saves(review._store)
    assert built == []
    monkeypatch.setattr(auto_export, "_write", real)
    review.annotate(review.papers["paper_id"][0], note="a change: the export is checked")
    assert _entries(tmp_path / "all.bib") == 36
