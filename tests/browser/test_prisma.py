"""The PRISMA 2020 flow of the scripted two-reviewer review (issue 19) drawn offline by
headless Chromium: the figure of `litreview prisma --format html`, the SVG of
`--format svg`, and the team report, with every number of the flow on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.cli import main
from tests.browser.chromium import offline_page
from tests.charts.test_prisma_2020 import scripted

pytestmark = pytest.mark.browser

SHOWN = (
    "Records identified (n = 44) from:",
    "Records screened (n = 24)",
    "Reports sought for retrieval (n = 12)",
    "Reports not retrieved (n = 1)",
    "Reports assessed for eligibility (n = 10)",
    "Studies included in review (n = 5)",
)


def test_the_prisma_figure_renders_offline_in_chromium(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "team.litreview"
    reviews, _ = scripted(path)
    for review in reviews.values():
        review.close()
    monkeypatch.setenv("LITREVIEW_REVIEWER", "cy")  # the resolver sees the whole flow
    page_file, svg_file = tmp_path / "prisma.html", tmp_path / "prisma.svg"
    assert main(["prisma", str(path), "--format", "html", "-o", str(page_file)]) == 0
    assert main(["prisma", str(path), "--format", "svg", "-o", str(svg_file)]) == 0
    report = tmp_path / "report.html"
    assert main(["render", str(path), "-o", str(report)]) == 0
    with offline_page(tmp_path / "profile") as tab:
        page = tab.page
        page.goto(page_file.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        drawn = page.locator(".js-plotly-plot").first.text_content() or ""
        rects = page.locator(".js-plotly-plot .shapelayer path").count()
        page.goto(svg_file.as_uri())
        page.wait_for_load_state("load")
        svg_text = page.locator("svg").first.text_content() or ""
        boxes = page.locator("rect.box").count()
        width = page.evaluate("document.querySelector('svg').getBBox().width")
        page.goto(report.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        charts_drawn = page.locator(".litreview-chart .js-plotly-plot").count()
        whose = page.locator("p.whose").text_content() or ""
    assert tab.blocked == [] and tab.failed == [] and tab.errors == []
    text = drawn.replace("\xa0", " ")
    for line in SHOWN:
        assert line in text and line in svg_text
    assert rects == boxes == 11 and width > 500  # 7 rows of boxes, 4 with a box beside
    assert charts_drawn >= 4 and "Reviewers: ada, bob" in whose
