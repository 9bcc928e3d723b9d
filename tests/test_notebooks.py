"""The notebooks people start from run top to bottom and carry their outputs.

Each notebook is copied into a scratch project (``notebooks/`` beside an
``exports/`` folder) and executed with nbclient, as JupyterLab would run it.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pybtex.database
import pytest
from nbclient import NotebookClient

import litreview
from litreview.web.local_server import LocalAPIs
from tests.paths import FIXTURES, TESTS

NOTEBOOKS = TESTS.parent / "notebooks"
PLOTLY = "application/vnd.plotly.v1+json"
WIDGET = "application/vnd.jupyter.widget-view+json"


def execute(name: str, project: Path) -> nbformat.NotebookNode:
    """Run notebooks/<name> inside ``project`` and return the executed notebook."""
    folder = project / "notebooks"
    folder.mkdir(parents=True)
    (project / "exports").mkdir()
    shutil.copy(NOTEBOOKS / name, folder / name)
    book = nbformat.read(folder / name, as_version=4)
    NotebookClient(
        book, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    nbformat.write(book, folder / name)
    return book


@contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """``os.environ`` with ``values`` set (None: unset) while the block runs (a kernel
    started inside inherits them), restored afterwards."""
    old = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def stand_in_web(cache: Path) -> Iterator[LocalAPIs]:
    """The web APIs answered by the local stand-in (recorded papers), for the kernel too."""
    papers = json.loads((FIXTURES / "web" / "catalogue.json").read_text(encoding="utf-8"))
    with LocalAPIs(papers["papers"]) as apis, environment(
        **apis.env(), LITREVIEW_CACHE_DIR=str(cache), LITREVIEW_RATE_LIMIT="0",
        LITREVIEW_BACKOFF="0.01", LITREVIEW_OFFLINE=None,
    ):  # fmt: skip
        yield apis


def stdout(book: nbformat.NotebookNode) -> str:
    return "".join(o["text"] for o in outputs(book) if o.get("name") == "stdout")


def outputs(book: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs]


def assert_no_errors(book: nbformat.NotebookNode) -> None:
    errors = [out for out in outputs(book) if out.output_type == "error"]
    assert not errors, "\n".join(f"{e.ename}: {e.evalue}" for e in errors)


@pytest.fixture(scope="module")
def review_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nbformat.NotebookNode]:
    project = tmp_path_factory.mktemp("project")
    with stand_in_web(project / "web-cache") as apis:
        book = execute("review.ipynb", project)
        assert apis.count("/") > 0  # the notebook asked the stand-in, not the internet
    return project, book


def test_review_notebook_runs_without_errors(review_run) -> None:
    assert_no_errors(review_run[1])


def test_review_notebook_shows_charts_offline_and_the_app(review_run) -> None:
    _, book = review_run
    data = [out.get("data", {}) for out in outputs(book)]
    plotly = [d for d in data if PLOTLY in d]
    assert len(plotly) >= 7  # timeline, terms, trends, code, topics, decisions, prisma
    # the +notebook renderer also writes HTML with plotly.js embedded: no CDN needed
    assert all("text/html" in d and "cdn.plot.ly" not in d["text/html"] for d in plotly)
    assert any(WIDGET in d for d in data), "the app widget is displayed"
    assert book.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    tables = [d["text/html"] for d in data if "text/html" in d and "<table" in d["text/html"]]
    assert len(tables) >= 4


def test_review_notebook_writes_valid_exports(review_run) -> None:
    project, _ = review_run
    bib = project / "exports" / "review.bib"
    csv = project / "exports" / "review.csv"
    entries = pybtex.database.parse_file(str(bib)).entries
    assert len(entries) == 36
    # completed from the web: every entry is citable (authors, arXiv id, link)
    assert all(e.persons.get("author") for e in entries.values())
    assert all("eprint" in e.fields and "url" in e.fields for e in entries.values())
    back = litreview.read_listing(csv)
    assert len(back) == 36 and back.paper_id.is_unique


def test_review_notebook_completes_metadata_and_follows_a_day(review_run) -> None:
    project, book = review_run
    text = stdout(book)
    assert "36 paper(s) looked up: completed 36" in text
    assert "1 papers of 2025-06-25: 1 new" in text
    assert (project / "exports" / "hf-daily-2025-06-25.json").is_file()
    with litreview.Review.open(project / "exports" / "sample-review.litreview") as review:
        assert review.papers["arxiv_id"].notna().all()
        assert set(review.enrichments()["field"]) >= {"authors", "arxiv_id", "url"}


def test_running_again_keeps_the_review_and_duplicates_nothing(review_run) -> None:
    """The second run is offline with nothing cached: the web cells say so, the rest runs."""
    project, _ = review_run
    review_file = project / "exports" / "sample-review.litreview"
    with litreview.Review.open(review_file) as review:
        first = review.papers.paper_id.iloc[0]
        review.annotate(first, decision="include", note="keep me")
    folder = project / "notebooks"
    book = nbformat.read(folder / "review.ipynb", as_version=4)
    with environment(LITREVIEW_OFFLINE="1", LITREVIEW_CACHE_DIR=str(project / "empty-cache")):
        NotebookClient(
            book, timeout=240, kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
        ).execute()  # fmt: skip
    assert_no_errors(book)
    text = stdout(book)
    assert "fetching the daily papers: not done (offline (LITREVIEW_OFFLINE=1)" in text
    with litreview.Review.open(review_file) as review:
        papers = review.papers
        assert len(papers) == 36
        row = papers.set_index("paper_id").loc[first]
        assert row.decision == "include" and row.note == "keep me"


def test_quickstart_runs(tmp_path: Path) -> None:
    book = execute("quickstart.ipynb", tmp_path)
    assert_no_errors(book)
    data = [out.get("data", {}) for out in outputs(book)]
    assert any(PLOTLY in d for d in data)
    assert any(WIDGET in d for d in data)
    included = tmp_path / "exports" / "included.bib"  # the project's exports/, as review.ipynb
    assert len(pybtex.database.parse_file(str(included)).entries) == 3
    printed = [o["text"] for o in outputs(book) if o.get("name") == "stdout"]
    assert printed and printed[-1].startswith("@")  # the export is shown, not empty
    cells = book.cells
    for before, cell in itertools.pairwise(cells):  # a sentence before every step
        if cell.cell_type == "code":
            assert before.cell_type == "markdown" and len(before.source) > 40


def test_demo_opens_a_copy_under_exports() -> None:
    """``make demo`` leaves the tracked notebook alone: it opens a copy in exports/."""
    import subprocess

    out = subprocess.run(
        ["make", "-n", "demo"], cwd=NOTEBOOKS.parent, capture_output=True, text=True, check=True
    ).stdout
    assert "jupyter lab exports/review.ipynb" in out
    assert "jupyter lab notebooks/" not in out
