"""read_listing against pandas.read_csv of the same records, and peak memory; reading a
10k-entry Zotero-like BibTeX library against ``bibtexparser.parse_file`` of the same file.

The baseline writes exactly the DataFrame read_listing returns with
``DataFrame.to_csv`` and times ``pandas.read_csv(path, parse_dates=["published"],
dtype_backend="numpy_nullable")``, so both sides build a typed table (string,
Int64 and datetime columns) of the same papers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def rows(quick: bool = False) -> list[Row]:
    result = [bibtex_row()]
    for n in QUICK_SIZES if quick else SIZES:
        path = listing(n)
        csv_path = DATA / f"listing-{n}.csv"
        lit_s, df = timed(lambda p=path: litreview.read_listing(p), repeat=REPEAT)
        df.to_csv(csv_path, index=False)
        csv_s, _ = timed(lambda p=csv_path: read_csv_typed(p), repeat=REPEAT)
        mb = path.stat().st_size / 1e6
        row = Row("read", "read_listing", n, lit_s, "pandas.read_csv", csv_s, "ratio <= 1.0")
        row.ok = row.ratio is not None and row.ratio <= 1.0 if n == max(SIZES) else None
        row.notes = f"{mb:.1f} MB"
        result.append(row)
        if n == max(SIZES):
            mem = peak_rss(str(path))
            peak_mb = mem["peak_kb"] / 1024
            ratio = peak_mb / mb
            result.append(
                Row(
                    "read",
                    "peak RSS / file size",
                    n,
                    lit_s,
                    target=f"< {MAX_RSS_RATIO:.0f}x file",
                    ok=ratio < MAX_RSS_RATIO,
                    notes=f"peak {peak_mb:.0f} MB for {mb:.0f} MB ({ratio:.2f}x; "
                    f"{mem['before_kb'] / 1024:.0f} MB after imports)",
                )
            )
    return result
