"""A review on a PostgreSQL server beside the same review in a SQLite file (issue 20).

The same listing, the same calls, in the same run: ``add`` of 100k papers to a new
review, ``papers`` (the first call after opening, and a later, cached one), annotating
10k papers in one call (one transaction) and undoing it. The server is a temporary
cluster of Debian's PostgreSQL on 127.0.0.1 (``tests/pg_server.py``: fsync on,
``synchronous_commit = on``), so the figures include the TCP round trips a local server
has and none of a network's. Without PostgreSQL installed the group gives no rows.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Row, listing, timed

import litreview

ROOT = Path(__file__).resolve().parents[1]


def rows(quick: bool) -> list[Row]:
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PgServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        print("bench_server: PostgreSQL is not installed; no rows", file=sys.stderr)
        return []
    n = 2_000 if quick else 100_000
    n_annotate = 1_000 if quick else 10_000
    source = listing(n)
    server = PgServer(bin_dir)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            file_times = _measure(Path(tmp) / "bench.litreview", source, n_annotate)
            server_times = _measure(server.url("bench"), source, n_annotate)
    finally:
        server.stop()
    out = []
    for case, count in (
        ("add listing (new review)", n),
        ("papers, first call after open", n),
        ("papers, later calls", n),
        ("annotate in one call (1 transaction)", n_annotate),
        ("undo the bulk annotate", n_annotate),
    ):
        out.append(
            Row("server", case, count, server_times[case], "same on a SQLite file",
                file_times[case], notes="PostgreSQL 127.0.0.1")
        )  # fmt: skip
    return out


def _measure(location: Any, source: Path, n_annotate: int) -> dict[str, float]:
    """The seconds each case takes on the review at ``location``."""
    times: dict[str, float] = {}

    def run(case: str, fn: Callable[[], Any], repeat: int = 1) -> Any:
        times[case], result = timed(fn, repeat=repeat)
        return result

    review = litreview.Review.open(location, reviewer="bench")
    run("add listing (new review)", lambda: review.add(source))
    review.close()
    review = litreview.Review.open(location, reviewer="bench")
    papers = run("papers, first call after open", lambda: review.papers)
    run("papers, later calls", lambda: review.papers, repeat=3)
    ids = papers["paper_id"].iloc[:n_annotate].tolist()
    run(
        "annotate in one call (1 transaction)",
        lambda: review.annotate(ids, decision="include", add_tags="bench", rating=4),
    )
    run("undo the bulk annotate", review.undo)
    review.close()
    return times
