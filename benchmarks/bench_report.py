"""Report and command-line benchmarks.

No target in the issue; measured so a regression shows. Baselines in the same run:

* ``build_report`` against plotly's own page of the same figures plus pandas'
  ``DataFrame.to_html`` of the same rows (the ratio is the cost of escaping every cell,
  the links, notes and PRISMA table);
* ``litreview --help`` in a fresh process against ``python -c "import litreview"``
  (the ratio is the cost of the command line over importing the package).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
from common import Row, listing, timed

import litreview
from litreview import charts
from litreview.report.html import MAX_ROWS, build_report, report_figures

DECISIONS = np.array(["include", "exclude", "maybe", "unscreened"])


def annotated(papers: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = len(papers)
    decision = DECISIONS[rng.integers(0, 4, n)]
    return papers.assign(
        decision=pd.Categorical(decision, categories=litreview.DECISIONS),
        reason=pd.array(np.where(decision == "exclude", "off topic", None), dtype="string"),
        note=pd.array(np.where(rng.random(n) < 0.1, "<b>check</b> §4", None), dtype="string"),
        tags=[["vision"] if i % 3 == 0 else [] for i in range(n)],
    )


def report_row(n: int) -> Row:
    papers = annotated(litreview.read_listing(listing(n)))
    imports = pd.DataFrame({"source": ["listing.txt"], "n_records": [n]})
    selection = papers[papers["decision"].eq("include").to_numpy()].head(MAX_ROWS)

    def baseline() -> str:
        figures = [fig for _, fig in report_figures(papers, imports)]
        return charts.to_html(figures) + selection.to_html()

    t, html = timed(lambda: build_report(papers, imports), repeat=2)
    tb, _ = timed(baseline, repeat=2)
    return Row(
        "report",
        "build_report (5 charts, table, notes)",
        n,
        t,
        "plotly page + DataFrame.to_html",
        tb,
        notes=f"{len(html) / 1e6:.1f} MB",
    )


def rows(quick: bool) -> list[Row]:
    out = [report_row(n) for n in ((1_000,) if quick else (1_000, 10_000))]
    cli = [sys.executable, "-m", "litreview", "--help"]
    base = [sys.executable, "-c", "import litreview"]
    repeat = 2 if quick else 5
    t, _ = timed(lambda: subprocess.run(cli, check=True, capture_output=True), repeat=repeat)
    tb, _ = timed(lambda: subprocess.run(base, check=True, capture_output=True), repeat=repeat)
    out.append(
        Row("cli", "litreview --help (new process)", 0, t, "python -c 'import litreview'", tb)
    )
    return out
