"""The PRISMA 2020 style flow of a review, computed from the review itself.

Every number comes from the store: records identified per import, duplicates merged,
records screened, excluded (per reason), awaiting a decision, included.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from litreview.charts._style import (
    DECISION_COLORS,
    decision_column,
    empty_figure,
    exclusion_reasons,
    new_figure,
)

#: Sources or reasons listed one by one before the rest is pooled.
MAX_LINES = 8
ADDED_DIRECTLY = "(added without an import record)"
IMPORT_COLUMNS = ("source", "n_records")


def prisma_counts(
    review: Any = None, *, papers: pd.DataFrame | None = None, imports: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The numbers of the PRISMA flow as a table: ``stage, label, n``.

    Pass a Review (anything with ``.papers`` and ``.imports()``) or both DataFrames.
    Stages: ``identified`` (one row per source), ``duplicates``, ``screened``,
    ``excluded`` (total, then ``reason`` rows), ``awaiting`` (total, then ``pending``
    rows for maybe/unscreened) and ``included``. They add up: identified − duplicates
    = screened, and screened − excluded − awaiting = included.

    >>> import pandas as pd, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING).assign(decision="include")
    >>> imports = pd.DataFrame({"source": ["a.txt", "b.txt"], "n_records": [36, 4]})
    >>> counts = prisma_counts(papers=papers, imports=imports).set_index("stage")["n"]
    >>> int(counts["duplicates"]), int(counts["included"])
    (4, 36)
    """
    papers, imports = _inputs(review, papers, imports)
    rows: list[tuple[str, str, int]] = []
    per_source = imports.groupby("source", sort=False)["n_records"].sum()
    for source, n in per_source.items():
        rows.append(("identified", str(source), int(n)))
    identified = int(per_source.sum())
    screened = len(papers)
    if identified < screened:  # papers that came in without an import row: say so, do not hide it
        rows.append(("identified", ADDED_DIRECTLY, screened - identified))
        identified = screened
    rows.append(("duplicates", "Duplicates merged", identified - screened))
    rows.append(("screened", "Records screened", screened))
    decided = decision_column(papers)
    reasons = exclusion_reasons(papers).value_counts()
    rows.append(("excluded", "Records excluded", int(reasons.sum())))
    rows += [("reason", str(r), int(n)) for r, n in reasons.items()]
    pending = decided[decided.isin(["maybe", "unscreened"])].value_counts()
    pending = pending.reindex(["maybe", "unscreened"], fill_value=0)
    rows.append(("awaiting", "Awaiting a decision", int(pending.sum())))
    rows += [("pending", str(d), int(n)) for d, n in pending.items()]
    rows.append(("included", "Studies included", int(decided.eq("include").sum())))
    return pd.DataFrame(rows, columns=["stage", "label", "n"])


def _inputs(
    review: Any, papers: pd.DataFrame | None, imports: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if review is not None:
        if papers is None:
            papers = review.papers() if callable(review.papers) else review.papers
        if imports is None:
            imports = review.imports()
    if papers is None or imports is None:
        raise TypeError("prisma() needs a Review, or both papers= and imports= DataFrames")
    missing = [c for c in IMPORT_COLUMNS if c not in imports.columns]
    if missing:
        raise KeyError(
            f"prisma() needs import columns {', '.join(IMPORT_COLUMNS)}; missing {missing}"
        )
    if "content_hash" in imports.columns:  # the same file imported again identifies nothing new
        again = imports["content_hash"].notna() & imports["content_hash"].duplicated()
        imports = imports[~again]
    return papers, imports


def _lines(head: str, items: list[tuple[str, int]]) -> list[str]:
    """A box's lines: the heading, then up to MAX_LINES items and the rest pooled."""
    lines = [head]
    shown = items if len(items) <= MAX_LINES else items[: MAX_LINES - 1]
    lines += [f"  {label} (n = {n:,})" for label, n in shown]
    if len(items) > len(shown):
        rest = items[len(shown) :]
        lines.append(f"  {len(rest)} more (n = {sum(n for _, n in rest):,})")
    return lines


def prisma(
    review: Any = None,
    *,
    papers: pd.DataFrame | None = None,
    imports: pd.DataFrame | None = None,
    title: str | None = None,
) -> go.Figure:
    """A PRISMA 2020 style flow diagram of the review; no number in it is typed by hand.

    ``fig.data[0].customdata`` holds ``[stage, label, n]`` of every number drawn
    (the rows of :func:`prisma_counts`).

    >>> import pandas as pd, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING).assign(decision="include")
    >>> fig = prisma(papers=papers, imports=pd.DataFrame({"source": ["a"], "n_records": [36]}))
    >>> [row[2] for row in fig.data[0].customdata if row[0] == "included"]
    [36]
    """
    title = title or "PRISMA flow of the review"
    papers, imports = _inputs(review, papers, imports)
    if len(papers) == 0 and int(imports["n_records"].sum()) == 0:
        return empty_figure(title)
    counts = prisma_counts(papers=papers, imports=imports)
    by = {stage: part for stage, part in counts.groupby("stage", sort=False)}
    total = {s: int(by[s]["n"].iloc[0]) for s in ("duplicates", "screened", "excluded", "awaiting")}
    total["included"] = int(by["included"]["n"].iloc[0])
    identified = by["identified"]

    def items(stage: str) -> list[tuple[str, int]]:
        part = by.get(stage)
        return [] if part is None else list(zip(part["label"], part["n"], strict=True))

    n_identified = int(identified["n"].sum())
    boxes = {  # key -> (column, lines, fill color)
        "identified": (
            0,
            _lines(f"Records identified (n = {n_identified:,}) from:", items("identified")),
            "#eef3f8",
        ),
        "duplicates": (
            1,
            [f"Duplicates merged before screening (n = {total['duplicates']:,})"],
            "#f5f5f5",
        ),
        "screened": (0, [f"Records screened (n = {total['screened']:,})"], "#eef3f8"),
        "excluded": (
            1,
            _lines(f"Records excluded (n = {total['excluded']:,}):", items("reason")),
            "#fbe9e4",
        ),
        "awaiting": (
            1,
            _lines(f"Awaiting a decision (n = {total['awaiting']:,}):", items("pending")),
            "#fcf5e2",
        ),
        "included": (0, [f"Studies included in the review (n = {total['included']:,})"], "#e3f4f1"),
    }
    rows = [
        ("identified", "duplicates"),
        ("screened", "excluded"),
        (None, "awaiting"),
        ("included", None),
    ]
    line_h, pad, gap = 1.0, 0.8, 1.2
    x_span = {0: (0.0, 10.0), 1: (12.0, 22.0)}
    centers: dict[str, tuple[float, float]] = {}
    spans: dict[str, tuple[float, float]] = {}
    y = 0.0
    fig = new_figure(title)
    for row in rows:
        height = max(len(boxes[k][1]) for k in row if k) * line_h + pad
        for key in row:
            if key is None:
                continue
            col, lines, fill = boxes[key]
            x0, x1 = x_span[col]
            top, bottom = -y, -y - height
            fig.add_shape(
                type="rect",
                x0=x0,
                x1=x1,
                y0=bottom,
                y1=top,
                fillcolor=fill,
                line={"color": "#7a8794", "width": 1},
                layer="below",
            )
            fig.add_annotation(
                x=x0 + 0.3,
                y=(top + bottom) / 2,
                text="<br>".join(lines),
                xanchor="left",
                showarrow=False,
                align="left",
                font={"size": 12},
            )
            centers[key] = ((x0 + x1) / 2, (top + bottom) / 2)
            spans[key] = (top, bottom)
        y += height + gap

    def arrow(x0: float, y0: float, x1: float, y1: float) -> None:
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowwidth=1.3,
            arrowcolor="#555",
            text="",
        )

    mid = 5.0
    arrow(mid, spans["identified"][1], mid, spans["screened"][0])
    arrow(10.0, centers["identified"][1], 12.0, centers["duplicates"][1])
    arrow(10.0, centers["screened"][1], 12.0, centers["excluded"][1])
    arrow(mid, centers["awaiting"][1], 12.0, centers["awaiting"][1])
    arrow(mid, spans["screened"][1], mid, spans["included"][0])
    keys = {
        "identified": "identified",
        "duplicates": "duplicates",
        "screened": "screened",
        "excluded": "excluded",
        "reason": "excluded",
        "awaiting": "awaiting",
        "pending": "awaiting",
        "included": "included",
    }
    points = [centers[keys[s]] for s in counts["stage"]]
    fig.add_scatter(
        x=[p[0] for p in points],
        y=[p[1] for p in points],
        mode="markers",
        marker={"size": 18, "opacity": 0, "color": DECISION_COLORS["unscreened"]},
        customdata=counts[["stage", "label", "n"]].to_numpy(dtype=object),
        hovertemplate="%{customdata[1]}: %{customdata[2]:,}<extra></extra>",
        name="PRISMA counts",
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[-0.5, 22.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-y + gap - 0.5, 0.5], fixedrange=True)
    fig.update_layout(height=int(90 + 26 * (y - gap + 1)), width=900, plot_bgcolor="white")
    return fig
