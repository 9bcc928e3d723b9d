"""Review.add finds known papers through the table's indexes (a cost that grows with
the rows added, not the review) with exactly the answers of reading every paper."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview import Review
from litreview.ids import arxiv_variant_id, paper_id
from litreview.review.store import papers
from litreview.schema import papers_from_columns

TITLES = ["Sparse Routers", "sparse routers!", "Dense Routers", "Sparse  Routers?", None]
ARXIV = [None, "2401.00001", "2401.00002", "arXiv:2401.00003v2", "2401.00002v1"]
IDS = ["p-1", "p-2", paper_id("Sparse Routers"), paper_id("Dense Routers")]


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    pid, title, arxiv, abstract = (list(c) for c in zip(*rows, strict=True))
    return papers_from_columns(
        {"paper_id": pid, "title": title, "arxiv_id": arxiv, "abstract": abstract}
    )


def _state(review: Review) -> tuple[list[Any], list[Any], list[Any]]:
    """Every stored paper (in the order added), import and import change."""
    with closing(sqlite3.connect(review.path)) as conn:  # SQLite's own: no locks lost
        rows = conn.execute("SELECT * FROM papers ORDER BY rowid").fetchall()
        imports = conn.execute(
            "SELECT import_id, n_records, n_new, n_updated, n_unchanged FROM imports"
        ).fetchall()
        changes = conn.execute("SELECT * FROM import_changes ORDER BY change_id").fetchall()
    return rows, imports, changes


@contextmanager
def _statements(review: Review) -> Iterator[list[str]]:
    """The SQL the review's connection runs meanwhile."""
    seen: list[str] = []
    conn = review._store.conn  # type: ignore[attr-defined]
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def _scans(review: Review, statements: list[str]) -> list[str]:
    """The statements SQLite answers by scanning the paper table (or a whole index of it),
    explained on the review's own connection (which holds its temporary tables)."""
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]

    def plans(conn: sqlite3.Connection) -> list[list[str]]:
        return [[p[-1] for p in conn.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in selects]

    found = review._store.read(plans)
    return [
        sql
        for sql, plan in zip(selects, found, strict=True)
        if any("SCAN papers" in p for p in plan)
    ]


row = st.tuples(
    st.one_of(st.sampled_from(IDS), st.sampled_from(TITLES).map(lambda t: paper_id(t or "x"))),
    st.sampled_from(TITLES),
    st.sampled_from(ARXIV),
    st.sampled_from(["", "short", "a longer abstract"]),
).filter(lambda r: r[1] is not None or r[2] is not None)  # a title or an arXiv id
imports = st.lists(st.lists(row, min_size=1, max_size=6), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imports)
def test_lookups_give_the_answers_of_reading_every_paper(adds: list[list[Any]]) -> None:
    states = []
    with tempfile.TemporaryDirectory() as tmp:
        for share in (0.0, float("inf")):  # always one scan; always through the indexes
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(papers, "SCAN_SHARE", share)
                with Review.open(Path(tmp) / f"{share}.litreview", reviewer="ada") as review:
                    summaries = [str(review.add(_frame(rows))) for rows in adds]
                    states.append((summaries, _state(review)))
    assert states[0] == states[1]


def test_a_few_rows_added_to_a_large_review_find_their_papers_without_a_scan(
    tmp_path: Path,
) -> None:
    titles = [f"Known Paper Number {i}" for i in range(400)]
    known = _frame(
        [(paper_id(t), t, f"2301.{i:05d}" if i % 2 else None, "") for i, t in enumerate(titles)]
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(known)
        new = _frame(
            [
                ("other-id", "Another title for it", "2301.00001v3", "by arXiv id"),
                ("other-id-2", "known paper, number 2!", None, "by title"),
                (paper_id(titles[5]), titles[5], "2402.99999", "same title, other arXiv id"),
                (paper_id(titles[7]), titles[7], None, "by paper_id"),
                ("fresh", "A New Paper", None, "new"),
            ]
        )
        with _statements(review) as statements:
            summary = review.add(new)
        assert statements and _scans(review, statements) == []
        assert (summary.new, summary.updated) == (2, 3)
        stored = review.papers.set_index("paper_id")["abstract"]
        assert stored[paper_id(titles[1])] == "by arXiv id"
        assert stored[paper_id(titles[2])] == "by title"
        assert stored[paper_id(titles[7])] == "by paper_id"
        assert stored[arxiv_variant_id(titles[5], "2402.99999")] == "same title, other arXiv id"
        assert stored["fresh"] == "new" and len(stored) == 402
        assert summary.paper_ids == (
            paper_id(titles[1]),
            paper_id(titles[2]),
            arxiv_variant_id(titles[5], "2402.99999"),
            paper_id(titles[7]),
            "fresh",
        )


def test_lookups_and_a_scan_agree_on_each_backend(
    locate: Callable[[str], str | Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    adds = [
        [("p-1", "Sparse Routers", "2401.00001", ""), ("p-2", "Dense Routers", None, "d")],
        [("p-1", "sparse routers!", "2401.00002", "variant"), ("p-2", None, "2401.00003", "x")],
        [
            ("p-8", "Sparse  Routers?", "2401.00002v1", "by arXiv"),
            ("p-7", "Dense Routers", None, ""),
        ],
    ]
    tables = []
    for name, share in (("scan", 0.0), ("look", float("inf"))):
        monkeypatch.setattr(papers, "SCAN_SHARE", share)
        with Review.open(locate(name), reviewer="ada") as review:
            summaries = [str(review.add(_frame(rows))) for rows in adds]
            tables.append((summaries, review.papers, review.import_changes()))
    assert tables[0][0] == tables[1][0]
    pd.testing.assert_frame_equal(tables[0][1], tables[1][1])
    columns = ["paper_id", "field", "old_value", "new_value"]
    pd.testing.assert_frame_equal(tables[0][2][columns], tables[1][2][columns])
    variant = arxiv_variant_id("sparse routers!", "2401.00002")  # p-1 has another arXiv id
    assert tables[1][1]["paper_id"].tolist() == ["p-1", "p-2", variant]


def test_tool_decisions_go_to_the_papers_add_matched_without_a_scan(tmp_path: Path) -> None:
    titles = [f"Known Paper Number {i}" for i in range(400)]
    known = _frame(
        [(paper_id(t), t, f"2301.{i:05d}" if i % 2 else None, "") for i, t in enumerate(titles)]
    )
    export = (
        "record_id,title,abstract,asreview_label\n"
        "1,known paper number 2!,x,1\n"  # the stored paper of that title
        "2,A Brand New Paper,y,0\n"
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(known)
        with _statements(review) as statements:
            summary = review.add(export)
        assert statements and _scans(review, statements) == []
        assert (summary.new, summary.updated, summary.decisions) == (1, 1, {"asreview": 2})
        assert summary.paper_ids[0] == paper_id(titles[2]) and len(summary.paper_ids) == 2
        table = review.decisions().set_index("paper_id")["asreview"]
        assert table[paper_id(titles[2])] == "include"
        assert table[summary.paper_ids[1]] == "exclude"
        assert table.ne("unscreened").sum() == 2
