"""What the app shows, computed from a DataFrame (litreview.app.display)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

import litreview
from litreview.app.display import (
    count_papers,
    export_rows,
    selection_figures,
    short,
    table_rows,
)
from litreview.schema import conform


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    df = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    df.loc[0, "decision"] = "include"
    df.at[1, "tags"] = ["vit", "core"]
    return df


def test_table_rows_are_display_strings(papers: pd.DataFrame) -> None:
    rows = table_rows(papers.head(2))
    assert rows[0]["authors"] == "11 authors" and rows[0]["decision"] == "include"
    assert rows[0]["date"] == "2025-01-25" and rows[0]["comments"] == "0"
    assert rows[1]["tags"] == "vit, core" and rows[1]["decision"] == ""
    named = papers.head(1).assign(authors=[["Ada Lovelace", "Alan Turing"]])
    assert table_rows(named)[0]["authors"] == "Ada Lovelace +1"


def test_export_rows_by_what(papers: pd.DataFrame) -> None:
    selection = papers.head(5).assign(score=1.0)
    assert "score" not in export_rows(papers, selection, "selection").columns
    assert export_rows(papers, selection, "included").paper_id.tolist() == [papers.paper_id[0]]
    assert len(export_rows(papers, selection, "tag:vit")) == 1
    with pytest.raises(ValueError, match="tag:NAME"):
        export_rows(papers, selection, "everything")


def test_selection_figures_are_figures(papers: pd.DataFrame) -> None:
    figures = selection_figures(papers)
    assert set(figures) == {"timeline", "decisions", "tags", "top_terms", "authors", "code"}
    assert all(isinstance(f, go.Figure) for f in figures.values())


def test_status_texts() -> None:
    assert count_papers(1) == "1 paper" and count_papers(2000) == "2,000 papers"
    assert short("x" * 40) == "x" * 29 + "…" and short(3) == "3"
