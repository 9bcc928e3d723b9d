"""What the app shows, computed from a DataFrame: table rows, the selection's charts,
the rows an export writes, and short texts for the status line (no state here).

>>> import litreview
>>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
>>> table_rows(papers.head(1))[0]["authors"], count_papers(1)
('11 authors', '1 paper')
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def table_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Display strings per paper: title, date, authors, comments, decision, tags, code
    (a mark when the paper links code) and score (when the frame has one)."""
    rows = []
    scored = "score" in frame
    records: Any = frame.itertuples(index=False)
    for r in records:
        authors = list(r.authors)
        who = (
            (authors[0] + (f" +{len(authors) - 1}" if len(authors) > 1 else ""))
            if authors
            else str(r.organization)
            if pd.notna(r.organization)
            else (_authors(int(r.n_authors)) if pd.notna(r.n_authors) else "")
        )
        decision = getattr(r, "decision", "unscreened")
        rows.append({
            "paper_id": str(r.paper_id),
            "title": str(r.title),
            "date": "" if pd.isna(r.published) else f"{r.published:%Y-%m-%d}",
            "authors": who,
            "comments": str(int(r.comments)) if pd.notna(r.comments) else "",
            "decision": "" if decision == "unscreened" else str(decision),
            "tags": ", ".join(getattr(r, "tags", [])),
            "code": "code" if len(getattr(r, "code_urls", None) or []) else "",
            "score": f"{r.score:.2f}" if scored and pd.notna(r.score) else "",
        })  # fmt: skip
    return rows


def selection_figures(df: pd.DataFrame) -> dict[str, Any]:
    """The charts tab's figures for ``df`` (name -> ``go.Figure``)."""
    from litreview import charts

    return {
        "timeline": charts.timeline(df, freq="M" if _span_days(df) < 800 else "Q"),
        "decisions": charts.decisions(df),
        "tags": charts.tags(df),
        "top_terms": charts.top_terms(df, n=20),
        "authors": charts.distribution(df, "n_authors", color="decision"),
        "code": charts.code_availability(df),
    }


def export_rows(papers: pd.DataFrame, selection: pd.DataFrame, what: str) -> pd.DataFrame:
    """The papers an export writes: ``selection``, ``included`` or ``tag:NAME``."""
    if what == "selection":
        return selection.drop(columns=["score", "priority"], errors="ignore")
    if what == "included":
        return papers[papers["decision"] == "include"]
    if what.startswith("tag:"):
        tag = what[4:]
        return papers[papers["tags"].map(lambda ts: tag in ts).astype(bool)]
    raise ValueError(f"export what= must be 'selection', 'included' or 'tag:NAME', got {what!r}")


def export_name(what: str, suffix: str) -> str:
    """The file name an export of ``what`` gets by default.

    >>> export_name("selection", ".bib"), export_name("tag:must read/2", ".csv")
    ('litreview-selection.bib', 'litreview-tag-must-read-2.csv')
    """
    import re

    slug = re.sub(r"[^\w-]+", "-", what.replace(":", "-")).strip("-").lower() or "export"
    return f"litreview-{slug}{suffix}"


def count_papers(n: int) -> str:
    """``"1 paper"``, ``"2,000 papers"``."""
    return f"{n:,} paper" + ("" if n == 1 else "s")


def short(value: Any) -> str:
    """A value for the status line, cut at 30 characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) < 30 else text[:29] + "…"


def _span_days(df: pd.DataFrame) -> float:
    dates = df["published"].dropna() if len(df) else pd.Series([], dtype="datetime64[ns]")
    return (
        float((pd.Timestamp(dates.max()) - pd.Timestamp(dates.min())).days)
        if len(dates) > 1
        else 0.0
    )


def _authors(n: int) -> str:
    return f"{n} author" + ("" if n == 1 else "s")
