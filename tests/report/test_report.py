"""The offline HTML report and notebook rendering (report.html, report.notebook)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import litreview
from litreview.report.html import MAX_ROWS, build_report, render, report_figures, write_report
from litreview.report.loading import load
from litreview.report.notebook import NotebookError, make_static, render_notebook
from litreview.review.core import Review
from tests.browser.chromium import code_notebook as notebook

SAMPLE = litreview.SAMPLE_LISTING
PLOTLYJS = "* plotly.js v"  # the banner at the top of the embedded bundle
HOSTILE = "<script>window.__pwned = 1</script>"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(SAMPLE)


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as r:
        r.add(SAMPLE)
        ids = r.papers["paper_id"].tolist()
        r.annotate(ids[:3], decision="include", tags=["core"], note=HOSTILE)
        r.annotate(ids[3], decision="exclude", reason="off <topic>")
    return path


def resource_urls(html: str) -> list[str]:
    """URLs the page would load: script/img/iframe sources and stylesheets (not links)."""
    outside = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    scripts = re.findall(r'<script\b[^>]*\ssrc="(https?:[^"]*)"', html)
    return scripts + re.findall(r'(?:\ssrc="|<link\b[^>]*href=")(https?:[^"]*)"', outside)


# ------------------------------------------------------------------------ build_report


def test_report_is_self_contained_with_plotlyjs_once(papers: pd.DataFrame) -> None:
    html = build_report(papers, title="Sample")
    assert html.count(PLOTLYJS) == 1
    assert html.count('class="plotly-graph-div"') == 4  # PRISMA, decisions, timeline, terms
    assert 'data-charts="4"' in html
    assert resource_urls(html) == []
    assert "<link" not in html  # no stylesheet from anywhere
    assert "All 36 papers (none included yet)" in html
    assert html.count("<tr>") > 36


def test_every_piece_of_user_text_is_escaped(papers: pd.DataFrame) -> None:
    hostile = papers.head(2).copy()
    hostile["title"] = pd.array(["<b>bold</b> & co", "x"], dtype="string")
    hostile["url"] = pd.array(["javascript:alert(1)", "https://ok.example/a?b=1&c=2"], "string")
    hostile["authors"] = [["<i>Eve</i>"], []]
    hostile = hostile.assign(
        decision=pd.Categorical(["include", "include"], categories=litreview.DECISIONS),
        reason=pd.array([None, "<u>r</u>"], dtype="string"),
        tags=[["<t>"], []],
        note=pd.array([HOSTILE, None], dtype="string"),
    )
    html = build_report(hostile, title="<title>")
    body = html.split('<main class="litreview-report"', 1)[1]
    for raw in ("<b>bold</b>", "<i>Eve</i>", "<u>r</u>", "<t>", HOSTILE, "<title>"):
        assert raw not in body.split("<script")[0] and raw not in _without_scripts(body)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # only http(s) links
    assert 'href="https://ok.example/a?b=1&amp;c=2"' in html


def _without_scripts(html: str) -> str:
    return re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL)


def test_selection_is_the_included_papers_and_long_tables_say_so(papers: pd.DataFrame) -> None:
    decision = ["include" if i < 5 else "unscreened" for i in range(len(papers))]
    annotated = papers.assign(decision=pd.Categorical(decision, categories=litreview.DECISIONS))
    html = build_report(annotated)
    assert "Selection: 5 included papers" in html
    table = html.split('<table class="papers">')[1].split("</table>")[0]
    assert table.count("<tr>") == 6  # header + 5
    short = build_report(papers, max_rows=10)
    assert "Showing the first 10 of 36 papers" in short
    assert MAX_ROWS >= 1000


def test_empty_table_still_renders(tmp_path: Path) -> None:
    html = build_report(litreview.empty_papers())
    assert "All 0 papers" in html and "No notes yet." in html
    assert html.count(PLOTLYJS) == 1


def test_decision_counts_and_notes(review: Path) -> None:
    loaded = load(review, reviewer="ada")
    html = build_report(loaded.papers, loaded.imports, source="r.litreview")
    counts = html.split('<table class="decision-counts">')[1].split("</table>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", counts)
    assert dict(zip(cells[::2], cells[1::2], strict=True)) == {
        "unscreened": "32", "include": "3", "maybe": "0", "exclude": "1",
    }  # fmt: skip
    assert html.count('<div class="note">') == 3
    assert "off &lt;topic&gt;" in html  # the reason, in the PRISMA counts table
    assert 'data-charts="5"' in html  # tags are in use: a tags chart too


# ------------------------------------------------------------------------ load


def test_report_figures_follow_the_data(papers: pd.DataFrame) -> None:
    loaded = load(SAMPLE)
    names = [n for n, _ in report_figures(loaded.papers, loaded.imports)]
    assert names == ["PRISMA flow", "Screening decisions", "Papers over time", "Top terms"]
    prisma = report_figures(loaded.papers, loaded.imports)[0][1]
    assert "36" in str(prisma.to_dict())


# ------------------------------------------------------------------------ write_report


def test_write_report_from_file_review_object_and_frame(
    review: Path, tmp_path: Path, papers: pd.DataFrame
) -> None:
    out = write_report(review, tmp_path / "a" / "r.html", reviewer="ada")
    assert out.exists() and "Selection: 3 included papers" in out.read_text(encoding="utf-8")
    with pytest.raises(FileExistsError, match="overwrite"):
        write_report(review, out)
    with Review.open(review, reviewer="ada") as r:
        write_report(r, out, overwrite=True, title="From object")
    assert "<title>From object</title>" in out.read_text(encoding="utf-8")
    frame = write_report(papers, tmp_path / "f.html")
    assert "All 36 papers" in frame.read_text(encoding="utf-8")
    via_render = render(SAMPLE, tmp_path / "s.html")
    assert via_render.stat().st_size > 1_000_000


# ------------------------------------------------------------------------ notebooks


def test_make_static_without_a_kernel() -> None:
    fig = {"data": [{"type": "bar", "x": [1], "y": [2]}], "layout": {}}
    nb = notebook(["a", "b", "c"])
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {
        "application/vnd.jupyter.widget-view+json": {"model_id": "m", "version_major": 2},
        "text/plain": "VBox()"})]  # fmt: skip
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", {
        "application/vnd.plotly.v1+json": fig, "text/plain": "Figure"})]  # fmt: skip
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", {
        "text/html": '<script src="https://cdn.example/mathjax.js"></script><div>x</div>',
        "application/vnd.plotly.v1+json": fig})]  # fmt: skip
    nb.metadata["widgets"] = {"state": {}}
    make_static(nb)
    assert "Interactive app" in nb.cells[0].outputs[0]["data"]["text/html"]
    assert PLOTLYJS in nb.cells[1].outputs[0]["data"]["text/html"]
    assert nb.cells[2].outputs[0]["data"]["text/html"] == "<div>x</div>"
    assert "widgets" not in nb.metadata


def test_render_notebook_offline(tmp_path: Path) -> None:
    nb = notebook([
        "import plotly.graph_objects as go, ipywidgets as w\n"
        "go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]))",  # the kernel's default renderer
        "w.Button(description='Screen')",
        "from pathlib import Path\nPath('here.txt').write_text('x')",  # runs in its folder
    ])  # fmt: skip
    path = tmp_path / "nb" / "demo.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    seen: list[tuple[int, int]] = []
    out = render_notebook(path, tmp_path / "demo.html", on_cell=lambda d, t: seen.append((d, t)))
    html = out.read_text(encoding="utf-8")
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert (path.parent / "here.txt").exists()
    assert html.count(PLOTLYJS) == 1 and 'class="plotly-graph-div"' in html
    assert "Interactive app" in html
    assert resource_urls(html) == []
    with pytest.raises(FileExistsError):
        render_notebook(path, out)


def test_render_notebook_names_the_failing_cell(tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    nbformat.write(notebook(["x = 1", "1 / 0"]), path)
    with pytest.raises(NotebookError, match=r"bad\.ipynb: cell 2 failed: ZeroDivisionError"):
        render_notebook(path, tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()
    kept = render_notebook(path, tmp_path / "bad.html", allow_errors=True)
    assert "ZeroDivisionError" in kept.read_text(encoding="utf-8")
