"""Review store benchmarks: import, the paper table, bulk annotate, undo.

Targets (issue 4): ``review.papers`` for 100k papers < 0.5 s; annotating 10k
papers in one call (one transaction) < 1 s. Baselines measured in the same run:
``read_listing`` of the same file (add = read + store), ``pandas.read_sql`` of
the same table (the obvious hand-written alternative), and for annotate the same
durable writes (10k annotation rows, 30k history rows, WAL, synchronous=FULL)
done by hand in raw SQL, so the ratio is the cost of validation and diffing.
The first ``review.papers`` is timed twice: after a reopen in this process, and
in a new interpreter (no warm allocator or imports: what a fresh kernel sees).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from common import Row, listing, timed

import litreview
from litreview.review.store.connection import migrate, now


def rows(quick: bool) -> list[Row]:
    n = 2_000 if quick else 100_000
    n_annotate = 1_000 if quick else 10_000
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.litreview"
        source = listing(n)
        read_s, _ = timed(lambda: litreview.read_listing(source))
        review = litreview.Review.open(path, reviewer="bench")
        add_s, _ = timed(lambda: review.add(source))
        out.append(Row("store", "add listing (new review)", n, add_s, "read_listing", read_s))
        readd_s, _ = timed(lambda: review.add(source))
        out.append(Row("store", "re-add same listing", n, readd_s, "read_listing", read_s))
        review.close()

        conn = sqlite3.connect(path)
        sql_s, _ = timed(lambda: pd.read_sql("SELECT * FROM papers", conn), repeat=2)
        conn.close()
        review = litreview.Review.open(path, reviewer="bench")
        cold_s, papers = timed(lambda: review.papers)
        out.append(
            Row(
                "store",
                "papers, first call after open",
                n,
                cold_s,
                "pd.read_sql",
                sql_s,
                "<0.5 s",
                cold_s < 0.5 if not quick else None,
                notes="reads the whole table (abstracts included) from SQLite once",
            )
        )
        fresh_s = min(_first_call_in_new_process(path) for _ in range(3))
        out.append(
            Row(
                "store",
                "papers, first call in a new process",
                n,
                fresh_s,
                "pd.read_sql",
                sql_s,
                "<0.5 s",
                fresh_s < 0.5 if not quick else None,
                notes="Review.open then review.papers in a fresh interpreter (best of 3)",
            )
        )
        warm_s, _ = timed(lambda: review.papers, repeat=3)
        ok = warm_s < 0.5 if not quick else None
        out.append(
            Row("store", "papers, later calls", n, warm_s, "pd.read_sql", sql_s, "<0.5 s", ok)
        )

        ids = papers["paper_id"].iloc[:n_annotate].tolist()
        scratch = sqlite3.connect(Path(tmp) / "scratch.db", isolation_level=None)
        scratch.execute("PRAGMA journal_mode = WAL")
        scratch.execute("PRAGMA synchronous = FULL")
        migrate(scratch)  # the same tables and indexes as a review

        def bare() -> None:
            """The same durable writes by hand: 10k annotation rows, 30k history rows."""
            at = now()
            scratch.execute("BEGIN IMMEDIATE")
            scratch.execute(
                "INSERT INTO steps(reviewer, at, action) VALUES ('bench', ?, 'x')", (at,)
            )
            scratch.executemany(
                "INSERT INTO annotations(paper_id, reviewer, decision, tags, rating, decided_by, "
                "decided_at) VALUES (?, 'bench', 'include', '[\"bench\"]', 4, 'bench', ?)",
                [(i, at) for i in ids],
            )
            scratch.executemany(
                "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value) "
                "VALUES (1, ?, 'bench', ?, ?, NULL, '1')",
                [(i, at, f) for i in ids for f in ("decision", "tags", "rating")],
            )
            scratch.execute("COMMIT")

        bare_s, _ = timed(bare)
        scratch.close()
        ann_s, _ = timed(
            lambda: review.annotate(ids, decision="include", add_tags="bench", rating=4)
        )
        ok = ann_s < 1.0 if not quick else None
        out.append(
            Row(
                "store",
                "annotate in one call (1 transaction)",
                n_annotate,
                ann_s,
                "same writes, raw SQL",
                bare_s,
                "<1 s",
                ok,
            )
        )
        after_s, _ = timed(lambda: review.papers)
        out.append(
            Row(
                "store",
                "papers after annotate",
                n,
                after_s,
                "pd.read_sql",
                sql_s,
                "<0.5 s",
                after_s < 0.5 if not quick else None,
            )
        )
        undo_s, _ = timed(review.undo)
        out.append(Row("store", "undo the bulk annotate", n_annotate, undo_s))
        hist_s, _ = timed(review.history)
        out.append(Row("store", "history (all rows)", n_annotate, hist_s))
        review.close()
    return out


_FIRST_CALL = """
import sys, time
import litreview
review = litreview.Review.open(sys.argv[1], reviewer="bench")
start = time.perf_counter()
review.papers
print(time.perf_counter() - start)
"""


def _first_call_in_new_process(path: Path) -> float:
    """Seconds of the first ``review.papers`` after ``Review.open`` in a new interpreter
    (nothing cached in the process: what a notebook kernel just started sees)."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_CALL, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[-1])
