"""read_listing against pandas.read_csv of the same records, and peak memory; reading a
10k-entry Zotero-like BibTeX library against ``bibtexparser.parse_file`` of the same file.

The baseline writes exactly the DataFrame read_listing returns with
``DataFrame.to_csv`` and times ``pandas.read_csv(path, parse_dates=["published"],
dtype_backend="numpy_nullable")``, so both sides build a typed table (string,
Int64 and datetime columns) of the same papers. The two run side by side in this
process, alternating (which goes first swaps each round: the first to run after a
large free pays the page faults of its table), best of :data:`REPEAT` in wall and in
CPU time; the row notes both and the load average (the machine is shared).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bibtexparser
import pandas as pd
from common import DATA, Row, listing, timed
from generate import write_bibtex

import litreview

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
MAX_RSS_RATIO = 4.0
BIBTEX_ENTRIES = 10_000
MAX_BIBTEX_RATIO = 1.5  # issue 15: read BibTeX within 1.5x bibtexparser.parse_file
BIBTEX_REPEAT = 3
REPEAT = 5  # best of 5: single runs of either side vary by 10-20% on a 2-core machine
# VmHWM (peak RSS of this process image): ru_maxrss would carry over the parent's peak
# through fork/exec on Linux.
PEAK_RSS_SCRIPT = """
import json, re, sys
def hwm():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
import litreview
before = hwm()
df = litreview.read_listing(sys.argv[1])
print(json.dumps({"rows": len(df), "before_kb": before, "peak_kb": hwm()}))
"""


def read_csv_typed(path: Path) -> pd.DataFrame:
    """The baseline: pandas' C reader building nullable typed columns."""
    return pd.read_csv(path, parse_dates=["published"], dtype_backend="numpy_nullable")


def peak_rss(path: str) -> dict[str, int]:
    """Peak RSS (KiB) of a fresh interpreter that imports litreview and reads ``path``."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_SCRIPT, path], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def bibtex_row(n: int = BIBTEX_ENTRIES) -> Row:
    """read_listing of a Zotero-like library (every field kept, LaTeX decoded where read)
    against bibtexparser 2's parse_file (its default middlewares) of the same file."""
    path = write_bibtex(DATA / f"library-{n}.bib", n)
    base_s, library = timed(lambda: bibtexparser.parse_file(str(path)), repeat=BIBTEX_REPEAT)
    lit_s, df = timed(lambda: litreview.read_listing(path), repeat=BIBTEX_REPEAT)
    row = Row(
        "read",
        "read_listing BibTeX (Zotero-like)",
        n,
        lit_s,
        "bibtexparser.parse_file",
        base_s,
        f"ratio <= {MAX_BIBTEX_RATIO}",
    )
    row.ok = row.ratio is not None and row.ratio <= MAX_BIBTEX_RATIO and len(df) == n
    row.notes = f"{path.stat().st_size / 1e6:.0f} MB, {len(df):,} papers, "
    row.notes += f"{len(library.entries):,} entries for bibtexparser"
    return row


def side_by_side(
    fns: dict[str, Callable[[], Any]], rounds: int = REPEAT
) -> dict[str, tuple[float, float]]:
    """Best wall and best CPU seconds of each of ``fns``, run alternating in this process
    (the order reversed every other round), ``rounds`` times each."""
    best = {name: (float("inf"), float("inf")) for name in fns}
    for r in range(rounds):
        for name in list(fns) if r % 2 == 0 else list(fns)[::-1]:
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            result = fns[name]()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            del result  # freed outside the clock
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def load() -> str:
    """The machine's load average (1, 5, 15 minutes), for a row's notes."""
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def read_row(n: int, rounds: int = REPEAT) -> Row:
    """read_listing of the ``n``-paper listing against read_csv_typed of the table it
    reads (written first), side by side (:func:`side_by_side`)."""
    path = listing(n)
    csv_path = DATA / f"listing-{n}.csv"
    litreview.read_listing(path).to_csv(csv_path, index=False)
    got = side_by_side(
        {"lit": lambda: litreview.read_listing(path), "csv": lambda: read_csv_typed(csv_path)},
        rounds,
    )
    (lit_s, lit_cpu), (csv_s, csv_cpu) = got["lit"], got["csv"]
    row = Row("read", "read_listing", n, lit_s, "pandas.read_csv", csv_s, "ratio <= 1.0")
    row.notes = f"{path.stat().st_size / 1e6:.1f} MB; best of {rounds}, alternating; CPU "
    row.notes += f"{lit_cpu:.3f} s vs {csv_cpu:.3f} s (ratio {lit_cpu / csv_cpu:.2f}); {load()}"
    return row


def rows(quick: bool = False) -> list[Row]:
    result = [bibtex_row()]
    for n in QUICK_SIZES if quick else SIZES:
        row = read_row(n)
        row.ok = row.ratio is not None and row.ratio <= 1.0 if n == max(SIZES) else None
        result.append(row)
        if n == max(SIZES):
            path = listing(n)
            mb = path.stat().st_size / 1e6
            mem = peak_rss(str(path))
            peak_mb = mem["peak_kb"] / 1024
            ratio = peak_mb / mb
            result.append(
                Row(
                    "read",
                    "peak RSS / file size",
                    n,
                    row.litreview_s,
                    target=f"< {MAX_RSS_RATIO:.0f}x file",
                    ok=ratio < MAX_RSS_RATIO,
                    notes=f"peak {peak_mb:.0f} MB for {mb:.0f} MB ({ratio:.2f}x; "
                    f"{mem['before_kb'] / 1024:.0f} MB after imports)",
                )
            )
    return result
