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
from litreview.charts.prisma_2020 import flow_figure
from litreview.review.prisma import Flow, prisma_flow

#: Sources or reasons listed one by one before the rest is pooled.
MAX_LINES = 8
ADDED_DIRECTLY = "(added without an import record)"
IMPORT_COLUMNS = ("source", "n_records")


#: The two flows: today's screening summary, and the whole PRISMA 2020 flow.
FLOWS = ("screening", "2020")


def flow_2020(
    review: Any = None, *, papers: pd.DataFrame | None = None, imports: pd.DataFrame | None = None
) -> Flow:
    """The whole PRISMA 2020 :class:`~litreview.review.prisma.Flow` of a Review (its final
    decisions and full-text stage) or of ``papers`` (``decision``, ``reason`` and, for
    the full-text stage, ``fulltext_decision``, ``fulltext_reason``, ``not_retrieved``).

    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["p"], "decision": ["include"]})
    >>> imports = pd.DataFrame({"source": ["a"], "n_records": [1]})
    >>> flow_2020(papers=papers, imports=imports).n("included")
    1
    """
    if review is not None and hasattr(review, "prisma") and papers is None and imports is None:
        return review.prisma()  # type: ignore[no-any-return]
    papers, imports = _inputs(review, papers, imports)
    return prisma_flow(imports, papers)


def prisma_counts(
    review: Any = None,
    *,
    papers: pd.DataFrame | None = None,
    imports: pd.DataFrame | None = None,
    flow: str = "screening",
) -> pd.DataFrame:
    """The numbers of the PRISMA flow as a table: ``stage, label, n``.

    ``flow="2020"`` gives the whole PRISMA 2020 flow instead (:func:`flow_2020`):
    ``stage, box, label, n`` with stages ``identification``, ``title``, ``fulltext``
    (when used) and ``included``; every box's papers come from
    ``Review.prisma_records(box, stage=...)``.

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
    if flow not in FLOWS:
        raise ValueError(f"flow must be one of {', '.join(FLOWS)}; got {flow!r}")
    if flow == "2020":
        return flow_2020(review, papers=papers, imports=imports).counts
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


#: The flow's rows of boxes, top to bottom: (left box, right box); None leaves a gap.
ROWS: tuple[tuple[str | None, str | None], ...] = (
    ("identified", "duplicates"),
    ("screened", "excluded"),
    (None, "awaiting"),
    ("included", None),
)
FILLS = {
    "identified": "#eef3f8",
    "duplicates": "#f5f5f5",
    "screened": "#eef3f8",
    "excluded": "#fbe9e4",
    "awaiting": "#fcf5e2",
    "included": "#e3f4f1",
}
#: The box that shows each stage of :func:`prisma_counts`.
BOX_OF_STAGE = {
    "identified": "identified",
    "duplicates": "duplicates",
    "screened": "screened",
    "excluded": "excluded",
    "reason": "excluded",
    "awaiting": "awaiting",
    "pending": "awaiting",
    "included": "included",
}
LINE_HEIGHT, PAD, GAP = 1.0, 0.8, 1.2
#: x extent of the left (0) and right (1) column of boxes.
X_SPAN = {0: (0.0, 10.0), 1: (12.0, 22.0)}
LAYOUT_COLUMNS = ["box", "x0", "x1", "y0", "y1", "text", "fill"]


def prisma_layout(counts: pd.DataFrame) -> pd.DataFrame:
    """Where :func:`prisma` draws each box and what it writes in it, from the rows of
    :func:`prisma_counts`: one row per box (``box, x0, x1, y0, y1, text, fill``; ``y0``
    is the bottom, ``y1`` the top, y grows upwards from 0 at the top of the flow).

    >>> import pandas as pd, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING).assign(decision="include")
    >>> imports = pd.DataFrame({"source": ["a"], "n_records": [36]})
    >>> counts = prisma_counts(papers=papers, imports=imports)
    >>> boxes = prisma_layout(counts).set_index("box")
    >>> boxes.loc["included", "text"], float(boxes.loc["included", "x0"])
    ('Studies included in the review (n = 36)', 0.0)
    """
    by = {stage: part for stage, part in counts.groupby("stage", sort=False)}

    def total(stage: str) -> int:
        return int(by[stage]["n"].iloc[0])

    def items(stage: str) -> list[tuple[str, int]]:
        part = by.get(stage)
        return [] if part is None else list(zip(part["label"], part["n"], strict=True))

    n_identified = int(by["identified"]["n"].sum())
    lines = {
        "identified": _lines(
            f"Records identified (n = {n_identified:,}) from:", items("identified")
        ),
        "duplicates": [f"Duplicates merged before screening (n = {total('duplicates'):,})"],
        "screened": [f"Records screened (n = {total('screened'):,})"],
        "excluded": _lines(f"Records excluded (n = {total('excluded'):,}):", items("reason")),
        "awaiting": _lines(f"Awaiting a decision (n = {total('awaiting'):,}):", items("pending")),
        "included": [f"Studies included in the review (n = {total('included'):,})"],
    }
    boxes: list[tuple[str, float, float, float, float, str, str]] = []
    y = 0.0
    for row in ROWS:
        height = max(len(lines[k]) for k in row if k) * LINE_HEIGHT + PAD
        for col, key in enumerate(row):
            if key is not None:
                x0, x1 = X_SPAN[col]
                boxes.append((key, x0, x1, -y - height, -y, "<br>".join(lines[key]), FILLS[key]))
        y += height + GAP
    return pd.DataFrame(boxes, columns=LAYOUT_COLUMNS)


def prisma(
    review: Any = None,
    *,
    papers: pd.DataFrame | None = None,
    imports: pd.DataFrame | None = None,
    title: str | None = None,
    flow: str = "screening",
) -> go.Figure:
    """A PRISMA 2020 style flow diagram of the review; no number in it is typed by hand.
    ``flow="2020"`` draws the whole PRISMA 2020 flow (identification, screening,
    retrieval, eligibility, included: :func:`litreview.charts.prisma_2020.flow_figure`).

    ``fig.data[0].customdata`` holds ``[stage, label, n]`` of every number drawn
    (the rows of :func:`prisma_counts`); the boxes are those of :func:`prisma_layout`.

    >>> import pandas as pd, litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING).assign(decision="include")
    >>> fig = prisma(papers=papers, imports=pd.DataFrame({"source": ["a"], "n_records": [36]}))
    >>> [row[2] for row in fig.data[0].customdata if row[0] == "included"]
    [36]
    """
    if flow not in FLOWS:
        raise ValueError(f"flow must be one of {', '.join(FLOWS)}; got {flow!r}")
    if flow == "2020":
        counts = flow_2020(review, papers=papers, imports=imports).counts
        return flow_figure(counts, title or "PRISMA 2020 flow of the review")
    title = title or "PRISMA flow of the review"
    papers, imports = _inputs(review, papers, imports)
    if len(papers) == 0 and int(imports["n_records"].sum()) == 0:
        return empty_figure(title)
    counts = prisma_counts(papers=papers, imports=imports)
    return _draw(prisma_layout(counts), counts, title)


def _draw(boxes: pd.DataFrame, counts: pd.DataFrame, title: str) -> go.Figure:
    """The flow figure: the boxes of :func:`prisma_layout`, the arrows between them and
    an invisible marker per row of ``counts`` (the hover and ``customdata``)."""
    fig = new_figure(title)
    top: dict[str, float] = {}
    bottom: dict[str, float] = {}
    center: dict[str, float] = {}
    for key, x0, x1, y0, y1, text, fill in boxes[LAYOUT_COLUMNS].itertuples(index=False, name=None):
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x1,
            y0=y0,
            y1=y1,
            fillcolor=fill,
            line={"color": "#7a8794", "width": 1},
            layer="below",
        )
        fig.add_annotation(
            x=x0 + 0.3,
            y=(y1 + y0) / 2,
            text=text,
            xanchor="left",
            showarrow=False,
            align="left",
            font={"size": 12},
        )
        top[key], bottom[key], center[key] = y1, y0, (x0 + x1) / 2
    middle = {key: (top[key] + bottom[key]) / 2 for key in top}
    mid = 5.0
    for x0, y0, x1, y1 in (
        (mid, bottom["identified"], mid, top["screened"]),
        (10.0, middle["identified"], 12.0, middle["duplicates"]),
        (10.0, middle["screened"], 12.0, middle["excluded"]),
        (mid, middle["awaiting"], 12.0, middle["awaiting"]),
        (mid, bottom["screened"], mid, top["included"]),
    ):
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
    shown = [BOX_OF_STAGE[s] for s in counts["stage"]]
    fig.add_scatter(
        x=[center[k] for k in shown],
        y=[middle[k] for k in shown],
        mode="markers",
        marker={"size": 18, "opacity": 0, "color": DECISION_COLORS["unscreened"]},
        customdata=counts[["stage", "label", "n"]].to_numpy(dtype=object),
        hovertemplate="%{customdata[1]}: %{customdata[2]:,}<extra></extra>",
        name="PRISMA counts",
        showlegend=False,
    )
    depth = -float(boxes["y0"].min())  # the flow's height, from its top at 0
    fig.update_xaxes(visible=False, range=[-0.5, 22.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-depth - 0.5, 0.5], fixedrange=True)
    fig.update_layout(height=int(90 + 26 * (depth + 1)), width=900, plot_bgcolor="white")
    return fig
