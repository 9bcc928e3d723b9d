"""Issue 21's table: a persisted search index and one machine at 100k and 1M papers.

On demand only (``python benchmarks/run.py --group scale``; not in ``make bench`` or
``make test``): it generates a 1M-paper listing (about 1.5 GB) and a review of it
under ``benchmarks/data/`` once, and takes 15-30 minutes. ``LITREVIEW_SCALE_SIZES``
(e.g. ``2000,20000``) replaces the sizes for a smoke run.

Rows, each beside its baseline in the same run:

- index build against ``sqlite3`` FTS5 (``porter unicode61``) over the same titles and
  abstracts, both in memory;
- a fresh interpreter: ``Review.open`` + the first ``search(limit=100)`` (the papers read
  from ``<review>.papers``, the index memory-mapped from ``<review>.index``: the row checks
  nothing was tokenized), and its peak RSS against the listing's size; the app's model to
  its first page, likewise; the first read after a change (the review read, the paper
  table saved) and a fresh interpreter after an add (base + delta files);
- query p95 over the query benchmark's 50 queries (first 100 rows);
- ``SearchIndex.add`` and ``review.add`` of 100 new papers (then the next search);
- ``read_listing`` against ``pandas.read_csv`` of the same table.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from common import DATA, Row, latencies, listing, timed

import litreview
import litreview.review.core  # loaded now: a long run must not import half-edited modules later
from litreview.query.filters import SearchIndex, search
from litreview.query.index_file import index_path
from litreview.review.store.paper_file import delta_path, paper_file_path, wait_for_saves
from litreview.schema import papers_from_columns

SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000, 20_000)
LIMIT = 100
BUILD_ROUNDS = 2
ADDED = 100
#: The issue's targets: (100k, 1M).
TARGETS = {
    "open": (1.0, 5.0),
    "app": (1.5, 8.0),
    "p95": (0.020, 0.100),
    "index_add": (0.1, 0.5),
    "review_add": (0.5, 2.0),
}
MAX_RSS_RATIO = 4.0

FRESH = """
import json, re, sys, time
def hwm():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
import litreview, pandas  # a kernel that imported litreview (and pandas)
start, cpu = time.perf_counter(), time.process_time()
from litreview.query import index
from litreview.review.store import table
sql_reads, read = [], table._read_snapshot
table._read_snapshot = lambda store: sql_reads.append(1) or read(store)
review = litreview.Review.open(sys.argv[1], reviewer="bench")
if sys.argv[2] == "app":
    from litreview.app.state import AppState
    state = AppState(review, export_dir=sys.argv[3])
    rows = state.page_rows()
else:
    rows = review.search(sys.argv[2], limit=100)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"s": seconds, "cpu": cpu, "rows": len(rows),
                  "tokenized": index.TOKENIZED["papers"], "built": review._index_cache.built,
                  "sql_reads": len(sql_reads),
                  "peak_kb": hwm()}))
"""


def fts5_build(titles: list[str], abstracts: list[str]) -> float:
    """Seconds to build SQLite's FTS5 index (porter, unicode61) of the same text."""
    return fts5_build_times(titles, abstracts)[0]


def fts5_build_times(titles: list[str], abstracts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds to build SQLite's FTS5 index (porter, unicode61) of the text."""
    start, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(title, abstract, tokenize='porter unicode61')")
    conn.executemany("INSERT INTO f VALUES (?, ?)", zip(titles, abstracts, strict=True))
    conn.commit()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return seconds, cpu


def build_times(df: pd.DataFrame) -> tuple[float, float, SearchIndex]:
    """Wall and CPU seconds of ``SearchIndex(df)``, and the index."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    index = SearchIndex(df)
    return time.perf_counter() - start, time.process_time() - cpu, index


def wall_and_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call of ``fn`` (after a collection), and its result."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def load() -> str:
    """The machine's load average (1, 5, 15 minutes), for a row's notes."""
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def review_of(n: int) -> Path:
    """A review of the ``n``-paper listing with its index saved (made once, then reused)."""
    path = DATA / f"review-{n}.litreview"
    if path.exists():
        with litreview.Review.open(path, reviewer="bench") as review:
            if len(review) == n:
                review.search("warm", limit=1)  # (re)builds and saves the index if needed
                return path
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    with litreview.Review.open(path, reviewer="bench") as review:
        review.add(listing(n))
        review.search("warm", limit=1)
    return path


def fresh(path: Path, what: str, tmp: str, repeat: int = 3) -> dict[str, float]:
    """Best of ``repeat`` fresh interpreters opening the review (``what``: a query or "app")."""
    best: dict[str, float] | None = None
    for _ in range(repeat):
        for attempt in range(3):  # the tree is shared: another engineer's edit may be half-done
            done = subprocess.run(
                [sys.executable, "-c", FRESH, str(path), what, tmp], capture_output=True, text=True
            )
            if done.returncode == 0 or attempt == 2:
                break
            print(
                f"fresh process failed, retrying in 60 s:\n{done.stderr[-2000:]}", file=sys.stderr
            )
            time.sleep(60)
        done.check_returncode()
        got = json.loads(done.stdout.strip().splitlines()[-1])
        best = got if best is None or got["s"] < best["s"] else best
    assert best is not None
    return best


def added_papers(n: int) -> pd.DataFrame:
    """``n`` new papers in the generated listings' vocabulary."""
    return papers_from_columns(
        {
            "paper_id": [f"scale-new-{i}" for i in range(n)],
            "title": [
                f"Sparse Attention Quokka{i}: Efficient Vision Transformer" for i in range(n)
            ],
            "abstract": [f"We study efficient attention {i} for long context." for i in range(n)],
        }
    )


def target(key: str, n: int) -> float:
    """The issue's target for ``n`` papers (its 1M column above 100k)."""
    return TARGETS[key][1 if n > 100_000 else 0]


def size_rows(n: int) -> list[Row]:
    """The issue's rows for one size (each printed to stderr as soon as it is measured:
    a long run that fails later keeps what it measured). The review and fresh-process
    rows come first: at 1M they are the issue's point and the memory rows take longest."""
    out = _Printed()
    path = review_of(n)
    mb = listing(n).stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        got = fresh(path, "efficient attention", tmp)
        t = target("open", n)
        note = f"tokenized {got['tokenized']:.0f} papers, {got['built']:.0f} builds, "
        note += f"{got['sql_reads']:.0f} reads of the paper table; index file "
        note += f"{index_path(path).stat().st_size / 1e6:.0f} MB, paper file "
        note += f"{paper_file_path(path).stat().st_size / 1e6:.0f} MB; CPU {got['cpu']:.2f} s; "
        note += f"best of 3; {load()}"
        ok = got["s"] <= t and got["tokenized"] == 0 and got["sql_reads"] == 0
        out.append(Row("scale", "fresh process: Review.open + first search", n, got["s"], "", None,
                       f"<= {t} s", ok, note))  # fmt: skip
        peak = got["peak_kb"] / 1024
        big = n > 100_000  # the issue sets this target at 1M only
        out.append(Row("scale", "peak RSS of open + search / listing size", n, peak / mb, "", None,
                       f"<= {MAX_RSS_RATIO:.0f}x" if big else "(1M only)",
                       peak / mb <= MAX_RSS_RATIO if big else None,
                       f"peak {peak:.0f} MB for a {mb:.0f} MB listing"))  # fmt: skip
        got = fresh(path, "app", tmp)
        t = target("app", n)
        out.append(Row("scale", "fresh process: app model to first page", n, got["s"], "", None,
                       f"<= {t} s", got["s"] <= t and got["tokenized"] == 0
                       and got["sql_reads"] == 0, f"tokenized {got['tokenized']:.0f} papers, "
                       f"{got['sql_reads']:.0f} reads of the paper table; CPU {got['cpu']:.2f} s; "
                       f"best of 3; {load()}"))  # fmt: skip
        out.extend(_review_add_rows(path, n, Path(tmp)))
    out.extend(_memory_rows(n))
    out.extend(_read_rows(n))
    return out


class _Printed(list[Row]):
    """Rows, each printed to stderr as it is added."""

    def append(self, row: Row) -> None:
        from run import format_table

        print(format_table([row]).splitlines()[-1], file=sys.stderr, flush=True)
        super().append(row)

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)


def _memory_rows(n: int) -> list[Row]:
    """Index build against FTS5, SearchIndex.add and query latency, in this process."""
    from bench_query import QUERIES

    out: list[Row] = []
    df = litreview.read_listing(listing(n), errors="ignore")
    titles = df["title"].fillna("").tolist()
    abstracts = df["abstract"].fillna("").tolist()
    rounds = []  # side by side, alternating, in this process (the machine is shared)
    for _ in range(BUILD_ROUNDS):
        wall, cpu, index = build_times(df)
        rounds.append((wall, cpu, *fts5_build_times(titles, abstracts)))
    del titles, abstracts
    build_s, build_cpu, fts_s, fts_cpu = (min(r[i] for r in rounds) for i in range(4))
    row = Row("scale", "index build", n, build_s, "sqlite3 FTS5 (porter unicode61)", fts_s)
    row.target, row.ok = "ratio <= 1.0", row.ratio is not None and row.ratio <= 1.0
    each = ", ".join(f"{w / f:.2f}" for w, _, f, _ in rounds)
    row.notes = f"best of {len(rounds)} rounds (wall ratios {each}); CPU {build_cpu:.2f} s vs "
    row.notes += f"{fts_cpu:.2f} s (ratio {build_cpu / fts_cpu:.2f}); {load()}"
    out.append(row)

    for q in QUERIES:  # warm up (the idf and norms, derived on first use)
        search(df, q, index=index, limit=LIMIT)
    med, p95 = latencies(lambda q: search(df, q, index=index, limit=LIMIT), QUERIES)
    t = target("p95", n)
    out.append(Row("scale", "query p95 (50 queries, 100 rows)", n, p95, "", None,
                   f"<= {t * 1000:.0f} ms", p95 <= t, f"median {med * 1000:.1f} ms"))  # fmt: skip
    new = added_papers(ADDED)
    add_s, _ = timed(lambda: index.add(new))
    t = target("index_add", n)
    out.append(Row("scale", f"SearchIndex.add {ADDED} papers", n, add_s, "full build", build_s,
                   f"<= {t} s", add_s <= t))  # fmt: skip
    return out


def _review_add_rows(path: Path, n: int, tmp: Path) -> list[Row]:
    copy = tmp / path.name
    for source in path.parent.glob(path.name + "*"):
        if source.suffix != ".tmp" and not source.name.endswith(("-wal", "-shm")):
            shutil.copy(source, tmp / source.name)
    new = added_papers(ADDED)
    with litreview.Review.open(copy, reviewer="bench") as review:
        for saved in (paper_file_path(copy), delta_path(copy)):
            saved.unlink(missing_ok=True)  # as after a change of the papers
        read_s, read_cpu, _ = wall_and_cpu(lambda: review.papers)
        saved_s, _ = timed(lambda: wait_for_saves(review._store))  # (not during the add)
        review.search("warm", limit=1)
        add_s, add_cpu, _ = wall_and_cpu(lambda: review.add(new))
        next_s, next_cpu, hits = wall_and_cpu(lambda: review.search("quokka1", limit=LIMIT))
        assert len(hits) > 0
    after = fresh(copy, "quokka1", str(tmp))
    t, t_open = target("review_add", n), target("open", n)
    mb = paper_file_path(copy).stat().st_size / 1e6
    return [
        Row("scale", "first read after a change (the review; its paper table saved after)", n,
            read_s, "", None, "", None, f"paper file {mb:.0f} MB, written {saved_s:.1f} s "
            f"after the read returned, by a thread; CPU {read_cpu:.2f} s; {load()}"),
        Row("scale", f"review.add {ADDED} new papers", n, add_s, "", None, f"<= {t} s",
            add_s <= t, f"CPU {add_cpu:.2f} s; {load()}"),
        Row("scale", "then the next search (index updated, deltas saved)", n, next_s, "", None,
            "", None, f"CPU {next_cpu:.2f} s; {load()}"),
        Row("scale", "then a fresh process: Review.open + first search", n, after["s"], "",
            None, f"<= {t_open} s", after["s"] <= t_open and after["tokenized"] == 0
            and after["sql_reads"] == 0, f"tokenized {after['tokenized']:.0f}, "
            f"{after['sql_reads']:.0f} reads of the paper table; CPU {after['cpu']:.2f} s; "
            "best of 3"),
    ]  # fmt: skip


def _read_rows(n: int) -> list[Row]:
    """read_listing against read_csv of the same table, alternating, best of 3
    (bench_read's row: a single cold shot favours whichever reader runs second)."""
    from bench_read import read_row

    row = read_row(n, rounds=3)
    row.area = "scale"
    row.ok = row.ratio is not None and row.ratio <= 1.0
    return [row]


def rows(quick: bool = False) -> list[Row]:
    """Every size's rows; each size's table also goes to stderr as soon as it is measured
    (a long run that fails later keeps what it measured)."""
    from run import format_table

    sizes = QUICK_SIZES if quick else SIZES
    if os.environ.get("LITREVIEW_SCALE_SIZES"):
        sizes = tuple(int(s) for s in os.environ["LITREVIEW_SCALE_SIZES"].split(","))
    out: list[Row] = []
    for n in sizes:
        measured = size_rows(n)
        print(format_table(measured), file=sys.stderr, flush=True)
        out.extend(measured)
    return out
