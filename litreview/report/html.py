"""A review you can share: one self-contained HTML file that works offline.

The report holds the PRISMA flow, the decision counts, the charts (plotly.js
embedded once, no CDN), the selection as a table and every note. All text that
came from a listing or a reviewer is HTML-escaped, so a note containing
``<script>`` is shown, never run::

    >>> import litreview, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "review.html"
    >>> path = write_report(litreview.SAMPLE_LISTING, out)
    >>> path.stat().st_size > 1_000_000, 'src="http' in path.read_text()
    (True, False)

:func:`render` also takes a notebook: it is executed and converted (see
:mod:`litreview.report.notebook`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from litreview import charts
from litreview._files import write_atomic
from litreview.charts.prisma_2020 import flow_figure
from litreview.report.loading import is_review_file, load
from litreview.report.tables import html_table, notes_list, papers_table
from litreview.review.store.connection import inspect as inspect_review
from litreview.schema import DECISIONS, conform

__all__ = [
    "MAX_ROWS",
    "build_report",
    "render",
    "report_figures",
    "review_report",
    "team_section",
    "write_report",
]

#: Rows shown in the selection table; the report says when more were left out.
MAX_ROWS = 5000
NOTEBOOK_SUFFIX = ".ipynb"


# ------------------------------------------------------------------------ the report


def report_figures(papers: pd.DataFrame, imports: pd.DataFrame) -> list[tuple[str, go.Figure]]:
    """The charts of the report, in order: ``(heading, figure)``.

    >>> import litreview
    >>> loaded = load(litreview.SAMPLE_LISTING)
    >>> [name for name, _ in report_figures(loaded.papers, loaded.imports)]
    ['PRISMA flow', 'Screening decisions', 'Papers over time', 'Top terms']
    """
    figures = [
        ("PRISMA flow", charts.prisma(papers=papers, imports=imports)),
        ("Screening decisions", charts.decisions(papers)),
        ("Papers over time", charts.timeline(papers, freq=_freq(papers))),
        ("Top terms", charts.top_terms(papers)),
    ]
    if "tags" in papers and papers["tags"].map(len).sum() > 0:
        figures.append(("Tags", charts.tags(papers, color="decision")))
    return figures


def _freq(papers: pd.DataFrame) -> str:
    dates = papers["published"].dropna() if "published" in papers else pd.Series([])
    if len(dates) < 2:
        return "M"
    return "Y" if (dates.max() - dates.min()).days > 3 * 365 else "M"


def build_report(
    papers: pd.DataFrame,
    imports: pd.DataFrame | None = None,
    *,
    title: str = "Literature review",
    source: str = "",
    max_rows: int = MAX_ROWS,
    team: str = "",
    flow: pd.DataFrame | None = None,
) -> str:
    """The report as one HTML page (a ``str``); every piece of paper/user text is escaped.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING).assign(note="<b>hi</b>")
    >>> html = build_report(papers)
    >>> "&lt;b&gt;hi&lt;/b&gt;" in html and "<b>hi</b>" not in html
    True
    """
    papers = conform(papers, annotated=True)
    if imports is None:
        imports = pd.DataFrame({"source": [source or "papers"], "n_records": [len(papers)]})
    figures = report_figures(papers, imports)
    if flow is not None:  # a review: the whole PRISMA 2020 flow of its final decisions
        figures[0] = ("PRISMA flow", flow_figure(flow))
    decided = papers["decision"].astype(str)
    included = papers[decided.eq("include").to_numpy()]
    selection, heading = (
        (included, f"Selection: {len(included):,} included papers")
        if len(included)
        else (papers, f"All {len(papers):,} papers (none included yet)")
    )
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{len(papers):,} papers from {escape(source or "papers")} · '
        f"generated {made} by litreview</p>",
        _summary(papers, decided),
        team,
        '<h2 id="prisma">PRISMA flow</h2>',
        html_table(
            charts.prisma_counts(papers=papers, imports=imports) if flow is None else flow,
            "prisma-counts",
        ),
        '<h2 id="charts">Charts</h2>',
        *_charts_html(figures),
        f'<h2 id="selection">{escape(heading)}</h2>',
        papers_table(selection, max_rows),
        '<h2 id="notes">Notes</h2>',
        notes_list(papers),
    ]
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body>\n<main class="litreview-report" data-charts="{len(figures)}">\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _summary(papers: pd.DataFrame, decided: pd.Series) -> str:
    dates = papers["published"].dropna()
    span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    with_code = int(papers["code_urls"].map(len).gt(0).sum())
    counts = decided.value_counts().reindex(list(DECISIONS), fill_value=0)
    table = pd.DataFrame({"decision": counts.index, "papers": counts.to_numpy()})
    return (
        '<section id="summary"><h2>Summary</h2><dl>'
        f"<dt>Papers</dt><dd>{len(papers):,}</dd>"
        f"<dt>Published</dt><dd>{escape(span)}</dd>"
        f"<dt>With code</dt><dd>{with_code:,}</dd></dl>"
        f"<h3>Decisions</h3>{html_table(table, 'decision-counts')}</section>"
    )


def _charts_html(figures: list[tuple[str, go.Figure]]) -> list[str]:
    out = []
    for i, (name, fig) in enumerate(figures):
        div = pio.to_html(
            fig, include_plotlyjs=(i == 0), full_html=False, include_mathjax=False
        )  # figure JSON is escaped by plotly (< > / as \\u escapes)
        out.append(f'<figure class="litreview-chart"><figcaption>{escape(name)}</figcaption>'
                   f"{div}</figure>")  # fmt: skip
    return out


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2933}
main{max-width:1200px;margin:0 auto;padding:1rem 2rem}
.meta{color:#52606d}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #d9e2ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}
.papers td:first-child{color:#7b8794}
.note,.notes .note{white-space:pre-wrap}
code.pid{color:#7b8794;font-size:.75rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{font-weight:600}dd{margin:0}
figure{margin:1rem 0}figcaption{font-weight:600}
"""


# ------------------------------------------------------------------------ team reviews


def review_report(review: Any, *, title: str | None = None) -> str:
    """The report of a :class:`~litreview.Review` as its reviewer may see it: the
    review's final decisions (resolved, else agreed) when blind mode is off or the
    reviewer resolves, else their own; who the reviewers are, their counts, kappa and
    conflicts (:func:`team_section`); the whole PRISMA 2020 flow.

    >>> review_report.__name__
    'review_report'
    """
    from litreview.report.extraction import extraction_section

    name = Path(review.path).name
    papers = review.final_papers() if review.sees_all else review.papers
    return build_report(
        papers,
        review.imports(),
        title=title or name,
        source=name,
        team=team_section(review) + extraction_section(review),
        flow=review.prisma_table(),
    )


def team_section(review: Any) -> str:
    """Whose report it is: the reviewers, blind mode and resolvers, each reviewer's
    counts per stage, Cohen's kappa per pair and the conflicts (open ones listed);
    kappa and conflicts are left out, and the report says so, while blind mode hides
    them from this reviewer."""
    from itertools import combinations

    names = review.reviewers()
    blind = "on" if review.blind else "off"
    resolvers = ", ".join(review.resolvers) or "none"
    if review.sees_all:
        whose = "the review's final decisions (resolved, else agreed by the reviewers)"
    else:
        whose = f"{review.reviewer}'s own decisions (blind mode)"
    parts = [
        '<section id="team"><h2>Reviewers</h2>',
        f'<p class="whose">Report of <b>{escape(review.reviewer)}</b>, showing {escape(whose)}. '
        f"Reviewers: <b>{escape(', '.join(names) or 'none yet')}</b>; blind mode {blind}; "
        f"resolvers: {escape(resolvers)}.</p>",
        html_table(review.progress(), "reviewer-counts"),
    ]
    if not review.sees_all:
        parts.append(
            '<p class="blind">Agreement and conflicts are hidden while blind mode is on.</p>'
        )
        return "\n".join([*parts, "</section>"])
    pairs = []
    for stage in ("title", "fulltext"):
        for a, b in combinations(names, 2):
            try:
                kappa = f"{review.agreement(a, b, stage=stage):.3f}"
            except (KeyError, ValueError):  # no paper screened by both at this stage
                kappa = "n/a"
            pairs.append({"stage": stage, "reviewers": f"{a} / {b}", "kappa": kappa})
    if pairs:
        parts.append("<h3>Agreement (Cohen's kappa)</h3>")
        parts.append(html_table(pd.DataFrame(pairs), "kappa"))
    for stage in ("title", "fulltext"):
        found = review.conflicts(stage)
        open_ = found[~found["resolved"]]
        parts.append(
            f"<h3>Conflicts at {'title/abstract' if stage == 'title' else 'full text'}</h3>"
            f'<p class="conflicts" data-stage="{stage}">{len(found):,} conflicts, '
            f"{len(found) - len(open_):,} resolved, {len(open_):,} open</p>"
        )
        if len(open_):
            shown = ["paper_id", "title", *(n for n in names if n in open_.columns)]
            parts.append(html_table(open_[shown], "open-conflicts"))
    return "\n".join([*parts, "</section>"])


# ------------------------------------------------------------------------ writing


def write_report(
    source: Any,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    title: str | None = None,
    reviewer: str | None = None,
) -> Path:
    """Build the report of ``source`` and write it to ``path``; return the path.

    ``source`` is a review file, a listing path (or a list of them), a
    :class:`~litreview.Review`, or a paper DataFrame. An existing file raises
    :class:`FileExistsError` unless ``overwrite=True``.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} already exists; pass overwrite=True to replace it")
    if isinstance(source, pd.DataFrame):
        html = build_report(source, title=title or "Literature review")
    elif hasattr(source, "papers") and hasattr(source, "imports"):
        html = review_report(source, title=title)
    elif not isinstance(source, list | tuple) and is_review_file(source):
        from litreview.review.core import Review

        inspect_review(Path(source))  # refuse a foreign or empty file before opening it
        with Review.open(source, reviewer=reviewer) as review:
            html = review_report(review, title=title)
    else:
        loaded = load(source, reviewer=reviewer)
        html = build_report(
            loaded.papers, loaded.imports, title=title or loaded.name, source=loaded.name
        )
    return write_atomic(target, html, overwrite=overwrite)


def render(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    title: str | None = None,
    reviewer: str | None = None,
    timeout: int = 600,
    on_cell: Callable[[int, int], None] | None = None,
    allow_errors: bool = False,
) -> Path:
    """Write ``path``: a notebook (``.ipynb``) is executed and converted (``allow_errors``
    keeps going past failing cells), anything else (a review file or a listing) gets the
    report built directly."""
    if Path(source).suffix.lower() == NOTEBOOK_SUFFIX:
        from litreview.report.notebook import render_notebook

        return render_notebook(
            source,
            path,
            overwrite=overwrite,
            timeout=timeout,
            on_cell=on_cell,
            allow_errors=allow_errors,
        )
    return write_report(source, path, overwrite=overwrite, title=title, reviewer=reviewer)
