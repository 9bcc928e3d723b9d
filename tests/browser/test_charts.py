"""Every chart's offline HTML drawn by headless Chromium with the network cut off."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import charts
from tests.browser.chromium import offline_page

pytestmark = pytest.mark.browser


def all_figures() -> dict[str, object]:
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    n = len(papers)
    decision = [("include", "exclude", "maybe", "unscreened")[i % 4] for i in range(n)]
    annotated = papers.assign(
        decision=pd.Categorical(decision, categories=litreview.DECISIONS),
        reason=pd.array(["off topic" if d == "exclude" else None for d in decision], "string"),
        tags=[["vision"] if i % 2 else ["nlp", "efficiency"] for i in range(n)],
        rating=pd.array([(i % 5) + 1 for i in range(n)], dtype="Int64"),
    )
    imports = pd.DataFrame({"source": ["a.txt", "b.txt"], "n_records": [30, 10]})
    return {
        "timeline": charts.timeline(annotated, freq="Q"),
        "top_terms": charts.top_terms(annotated),
        "term_trends": charts.term_trends(annotated),
        "distribution": charts.distribution(annotated, "n_authors", color="decision"),
        "code_availability": charts.code_availability(annotated),
        "decisions": charts.decisions(annotated),
        "tags": charts.tags(annotated, color="decision"),
        "prisma": charts.prisma(papers=annotated, imports=imports),
        "topic_map": charts.topic_map(annotated, n_topics=3),
        "empty": charts.timeline(litreview.empty_papers()),
    }


def test_every_chart_renders_offline_in_chromium(tmp_path: Path) -> None:
    files = {
        name: charts.write_html(fig, tmp_path / f"{name}.html", title=name)  # type: ignore[arg-type]
        for name, fig in all_figures().items()
    }
    control = tmp_path / "control.html"  # proves the guard is live: its one request must be cut
    control.write_text('<img src="https://example.invalid/x.png">', encoding="utf-8")
    drawn: dict[str, int] = {}
    with offline_page(tmp_path / "profile") as tab:
        page = tab.page
        for name, path in files.items():
            page.goto(path.as_uri())
            page.wait_for_selector(".main-svg", timeout=20_000)
            drawn[name] = page.locator(".js-plotly-plot .main-svg").count()
        page.goto(control.as_uri())
        page.wait_for_load_state("load")
    control_url = "https://example.invalid/x.png"
    assert tab.blocked == [control_url] and tab.failed == [control_url]  # nothing from the charts
    assert tab.errors == []
    assert all(count >= 1 for count in drawn.values()), drawn
    assert set(drawn) == set(files)
