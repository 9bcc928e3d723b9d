"""The extraction fields in a review's report: what each field is, how many papers
have a value, the most common values, and the extraction table (what this reader may
see: in blind mode their own values only).

>>> extraction_section.__name__
'extraction_section'
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from litreview.report.tables import html_table

MAX_ROWS = 500
TOP_VALUES = 5


def extraction_section(review: Any, *, max_rows: int = MAX_ROWS) -> str:
    """The report's "Extraction fields" section ('' when the review defines none)."""
    defs = review.field_definitions()
    if not defs:
        return ""
    table: pd.DataFrame = review.extraction()
    summary = []
    for d in defs:
        values = table[d.name].dropna() if d.name in table else pd.Series(dtype=object)
        counts = values.astype(str).value_counts()
        common = ", ".join(f"{v} ({n})" for v, n in counts.head(TOP_VALUES).items())
        summary.append(
            {
                "field": d.name,
                "kind": d.kind + (f": {', '.join(d.options)}" if d.options else ""),
                "description": d.description,
                "papers": int(table.loc[values.index, "paper_id"].nunique()),
                "values": len(values),
                "most common": common,
            }
        )
    whose = "every reviewer's" if review.sees_all else f"{review.reviewer}'s own (blind mode)"
    parts = [
        '<section id="extraction"><h2>Extraction fields</h2>',
        f'<p class="whose">Values: {escape(whose)}; one row per paper and reviewer.</p>',
        html_table(pd.DataFrame(summary), "extraction-fields"),
    ]
    if len(table):
        shown = table.head(max_rows)
        parts.append(html_table(shown, "extraction"))
        if len(table) > max_rows:
            parts.append(f"<p>… and {len(table) - max_rows:,} more rows (see extraction()).</p>")
    return "\n".join([*parts, "</section>"])
