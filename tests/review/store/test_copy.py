"""``litreview copy`` (issue 20 item 5): a review moves from a file to a PostgreSQL
server and back without losing anything: every table compared, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import litreview
from litreview import Review
from litreview.cli import main
from litreview.review.store.base import open_store
from litreview.review.store.copy import copy_review, read_tables, table_columns


def _rich_review(path: Path) -> None:
    """Papers from two imports, two reviewers' decisions, tags, notes, full-text decisions,
    a resolver's final decision, undo and redo, settings, an extraction field, full-text
    locations, pinned citation keys."""
    with Review.open(path, reviewer="ada") as ada:
        ada.add(litreview.SAMPLE_LISTING)
        first = ada.papers.iloc[:3]
        changed = first.assign(title=first["title"] + " (revised)", source="fix.csv")
        ada.add(changed)
        ids = ada.papers["paper_id"].tolist()
        ada.define_field("sample_size", "number")
        ada.annotate(ids[:5], decision="include", add_tags=["ml", "é ünïcode"], note="n1")
        ada.annotate(ids[5:8], decision="exclude", reason="off topic", rating=2)
        ada.undo()
        ada.redo()
        ada.set_field(ids[:2], "sample_size", 120)
        ada.set_fulltext(ids[0], location="https://arxiv.org/pdf/1", note="open access")
        ada.citation_keys()
        ada.set_resolvers(["cy"])
    with Review.open(path, reviewer="bob") as bob:
        bob.annotate(ids[:6], decision="exclude", reason="wrong study type")
    with Review.open(path, reviewer="cy") as cy:
        cy.resolve(ids[0], decision="include", reason="consensus")


def _tables(location: Any) -> dict[str, list[tuple[Any, ...]]]:
    store = open_store(location)
    try:
        return store.read(lambda conn: read_tables(store, conn))  # type: ignore[no-any-return]
    finally:
        store.close()


def test_file_to_server_and_back_is_lossless(pg_server: Any, tmp_path: Path) -> None:
    original = tmp_path / "a.litreview"
    _rich_review(original)
    url = pg_server.url()
    report = copy_review(original, url)
    back = tmp_path / "back.litreview"
    assert main(["copy", url, str(back)]) == 0
    before, there, after = _tables(original), _tables(url), _tables(back)
    assert set(before) == set(table_columns()) and before["history"] and before["fulltext"]
    for table in before:  # every table, row by row, on the server and back in a file
        assert there[table] == before[table], table
        assert after[table] == before[table], table
    assert report.rows == {t: len(r) for t, r in before.items()}
    for location in (url, back):  # and through the API, as each reviewer sees it
        for name in ("ada", "bob", "cy"):
            with (
                Review.open(original, reviewer=name) as a,
                Review.open(location, reviewer=name) as b,
            ):
                pd.testing.assert_frame_equal(a.papers, b.papers)
                pd.testing.assert_frame_equal(a.history(), b.history())
                pd.testing.assert_frame_equal(a.final(), b.final())
                assert a.citation_keys().equals(b.citation_keys())
                assert a.can_undo == b.can_undo and a.can_redo == b.can_redo
    with Review.open(url, reviewer="ada") as moved:  # it goes on as a review: ids continue
        moved.annotate(moved.papers["paper_id"][9], note="after the move")
        moved.undo()
        assert moved.integrity_check() == "ok"


def test_a_target_holding_a_review_is_refused_untouched(pg_server: Any, tmp_path: Path) -> None:
    source = tmp_path / "a.litreview"
    _rich_review(source)
    with pytest.raises(ValueError, match="same review"):
        copy_review(source, source)
    Review.open(tmp_path / "b.litreview").close()
    with pytest.raises(ValueError, match="exists"):
        copy_review(source, tmp_path / "b.litreview")
    url = pg_server.url()
    with Review.open(url, reviewer="zed") as other:
        other.add(litreview.SAMPLE_LISTING)
    before = _tables(url)
    with pytest.raises(ValueError, match="holds a review already"):
        copy_review(source, url)
    assert _tables(url) == before
    assert main(["copy", str(source), url]) == 1  # one line on stderr, exit 1


def test_the_commands_take_a_server_url(pg_server: Any, capsys: Any) -> None:
    url = pg_server.url()
    assert main(["add", url, str(litreview.SAMPLE_LISTING)]) == 0
    assert "36 papers" in capsys.readouterr().out
    assert main(["stats", url]) == 0
    assert "transformer" in capsys.readouterr().out
    assert main(["search", url, "vision transformer"]) == 0
    assert "DuoFormer" in capsys.readouterr().out
    assert main(["app", url, "--dry-run"]) == 0
    assert f"LITREVIEW_REVIEW='{url}'" in capsys.readouterr().out
