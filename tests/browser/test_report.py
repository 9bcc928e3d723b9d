"""`litreview render` output (a review and a notebook) opened in headless Chromium with
the network cut off: every chart drawn, the table present, no failed request, and a hostile
note shown as text, never run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import litreview
from litreview.cli import main
from litreview.report.html import report_figures
from litreview.report.loading import load
from tests.browser.chromium import code_notebook, offline_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

HOSTILE = "<script>window.__pwned = 1</script>"
CONTROL_URL = "https://example.invalid/x.png"
HOSTILE_TITLE = '<img src=x onerror="window.__pwned = 2">'


def rendered_review(tmp_path: Path) -> tuple[Path, int]:
    """A review screened through the CLI, rendered through the CLI; also its chart count."""
    review = tmp_path / "r.litreview"
    assert main(["add", str(review), str(litreview.SAMPLE_LISTING)]) == 0
    ids = load(review).papers["paper_id"].tolist()
    assert main(["annotate", str(review), ids[0], ids[1], "--decision", "include",
                 "--tag", "core", "--note", HOSTILE]) == 0  # fmt: skip
    assert main(["annotate", str(review), ids[2], "--decision", "exclude",
                 "--reason", HOSTILE_TITLE]) == 0  # fmt: skip
    out = tmp_path / "exports" / "review.html"
    assert main(["render", str(review), "-o", str(out)]) == 0
    loaded = load(review)
    return out, len(report_figures(loaded.papers, loaded.imports))


NOTEBOOK_CELLS = [
    "import litreview\nfrom litreview import charts\ncharts.use_offline_renderer()\n"
    "papers = litreview.read_listing(litreview.SAMPLE_LISTING)",
    "import ipywidgets\nipywidgets.IntSlider(value=3)",  # no kernel in the file: a note instead
    "charts.timeline(papers, freq='Y')",
    "charts.top_terms(papers, n=10)",
    "papers[['title', 'published']].head(5)",
]


def rendered_notebook(tmp_path: Path) -> tuple[Path, int]:
    """A small notebook (shared offline renderer, a widget, two charts, a table) rendered
    through the CLI."""
    import nbformat

    path = tmp_path / "nb" / "demo.ipynb"
    path.parent.mkdir()
    nbformat.write(code_notebook(NOTEBOOK_CELLS), path)
    out = tmp_path / "exports" / "notebook.html"
    assert main(["render", str(path), "-o", str(out)]) == 0
    return out, 2


def test_rendered_review_works_offline_and_escapes_notes(tmp_path: Path) -> None:
    html, n_charts = rendered_review(tmp_path)
    notebook_html, notebook_charts = rendered_notebook(tmp_path)
    control = tmp_path / "control.html"
    control.write_text(f'<img src="{CONTROL_URL}">', encoding="utf-8")
    assert n_charts == 5  # PRISMA, decisions, timeline, terms, tags
    with offline_page(tmp_path / "profile") as tab:
        page = tab.page
        drawn = drawn_plots(page, html, n_charts)
        declared = page.locator("main").get_attribute("data-charts")
        table_rows = page.locator("table.papers tbody tr").count()
        pwned = page.evaluate("window.__pwned")
        note_text = page.locator("#notes ~ ul.notes .note").first.inner_text()
        visible = page.get_by_text(HOSTILE).first.is_visible()
        body_text = page.locator("body").inner_text()
        nb_drawn = drawn_plots(page, notebook_html, notebook_charts)
        nb_tables = page.locator("table.dataframe").count()
        nb_widget_note = page.get_by_text("Interactive app").count()
        page.goto(control.as_uri())  # proves the guard is live: its one request is cut
        page.wait_for_load_state("load")
    assert plots_ok(drawn, n_charts), drawn
    assert plots_ok(nb_drawn, notebook_charts), nb_drawn
    assert nb_tables == 1 and nb_widget_note == 1
    assert declared == str(n_charts)
    assert table_rows == 2  # the selection: the two included papers
    assert pwned is None  # undefined in the page: neither script ran
    assert note_text == HOSTILE and visible
    assert HOSTILE_TITLE in body_text  # the exclusion reason, shown as text in the PRISMA table
    assert tab.blocked == [CONTROL_URL] and tab.failed == [CONTROL_URL]  # nothing from the report
    assert tab.errors == []


def drawn_plots(page: Page, html: Path, n_charts: int) -> list[int]:
    """Open ``html``, wait until ``n_charts`` charts are drawn; the SVG count of each plot."""
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_charts}",
        timeout=30_000,
    )
    plots = page.locator(".js-plotly-plot")
    return [plots.nth(i).locator(".main-svg").count() for i in range(plots.count())]


def plots_ok(drawn: list[int], n_charts: int) -> bool:
    """One plotly plot per chart, each with its SVG drawn."""
    return len(drawn) == n_charts and all(count >= 1 for count in drawn)
