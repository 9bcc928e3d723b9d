"""HTML pieces of the report: tables of any frame, the papers table, the notes list;
every cell HTML-escaped, so text from a listing or a reviewer is shown, never run.

    >>> import pandas as pd
    >>> html = html_table(pd.DataFrame({"note": ["<b>x</b>"]}), "notes")
    >>> "<td>&lt;b&gt;x&lt;/b&gt;</td>" in html, html.startswith('<table class="notes">')
    (True, True)
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

import pandas as pd

__all__ = ["PAPER_HEAD", "cell_text", "html_table", "notes_list", "papers_table"]


def html_table(df: pd.DataFrame, css_class: str) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell_text(v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


PAPER_HEAD = ("#", "Title", "Published", "Authors", "Decision", "Reason", "Tags", "Rating", "Note")


def papers_table(papers: pd.DataFrame, max_rows: int) -> str:
    shown = papers.head(max_rows)
    rows = []
    records: list[dict[str, Any]] = shown.to_dict("records")  # type: ignore[assignment]
    for i, row in enumerate(records, start=1):
        cells = [
            str(i),
            _title_cell(row.get("title"), row.get("url"), row.get("paper_id")),
            cell_text(row.get("published"), date=True),
            cell_text(_authors(row)),
            cell_text(row.get("decision")),
            cell_text(row.get("reason")),
            cell_text(", ".join(map(str, row.get("tags") or []))),
            cell_text(row.get("rating")),
            f'<span class="note">{cell_text(row.get("note"))}</span>',
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in PAPER_HEAD)
    more = ""
    if len(papers) > len(shown):
        more = (
            f'<p class="more">Showing the first {len(shown):,} of {len(papers):,} papers; '
            "export them all with <code>litreview export</code>.</p>"
        )
    return (
        f'<table class="papers"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


def _title_cell(title: Any, url: Any, paper_id: Any) -> str:
    text = cell_text(title)
    link = str(url) if isinstance(url, str) else ""
    if link.startswith(("https://", "http://")):
        text = f'<a href="{escape(link, quote=True)}">{text}</a>'
    return f'{text}<br><code class="pid">{cell_text(paper_id)}</code>'


def _authors(row: dict[str, Any]) -> str:
    names = [str(a) for a in (row.get("authors") or [])]
    if names:
        return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
    org = row.get("organization")
    if isinstance(org, str):
        return org
    n = row.get("n_authors")
    return "" if n is None or pd.isna(n) else f"{int(n)} authors"


def notes_list(papers: pd.DataFrame) -> str:
    has = papers["note"].fillna("").astype(str).str.strip().ne("")
    noted = papers[has.to_numpy()]
    if noted.empty:
        return '<p class="empty">No notes yet.</p>'
    items = "".join(
        f'<li><span class="title">{cell_text(t)}</span> <code class="pid">{cell_text(pid)}</code>'
        f'<div class="note">{cell_text(n)}</div></li>'
        for t, pid, n in zip(noted["title"], noted["paper_id"], noted["note"], strict=True)
    )
    return f'<ul class="notes">{items}</ul>'


def cell_text(value: Any, *, date: bool = False) -> str:
    """Escaped text of a cell; missing values are empty."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    if date and isinstance(value, pd.Timestamp | datetime):
        return f"{value:%Y-%m-%d}"
    return escape(str(value), quote=True)
