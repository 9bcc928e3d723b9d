"""The whole PRISMA 2020 flow diagram (identification, screening, retrieval,
eligibility, included) drawn from the table of
:func:`litreview.review.prisma.prisma_flow`: as a plotly figure, or as a standalone
SVG written here (kaleido is not needed).

>>> import pandas as pd
>>> from litreview.review.prisma import prisma_flow
>>> papers = pd.DataFrame({"paper_id": ["p", "q"], "decision": ["include", "exclude"]})
>>> flow = prisma_flow(pd.DataFrame({"source": ["a.ris"], "n_records": [3]}), papers)
>>> layout = flow_layout(flow.counts)
>>> layout["box"].tolist()[-1], layout["text"].tolist()[-1]
('included.included', 'Studies included in review (n = 1)')
>>> flow_svg(flow.counts).startswith("<svg")
True
"""

from __future__ import annotations

from html import escape
from itertools import pairwise

import pandas as pd
import plotly.graph_objects as go

from litreview.charts._style import new_figure

MAX_LINES = 8
LINE_HEIGHT, PAD, GAP = 1.0, 0.8, 1.2
X_SPAN = {0: (0.0, 10.0), 1: (12.0, 22.0)}
LAYOUT_COLUMNS = ["box", "stage", "x0", "x1", "y0", "y1", "text", "fill"]
Key = tuple[str, str]
#: Rows of (left box, right box), top to bottom; the full-text rows only when used.
ROWS: tuple[tuple[Key | None, Key | None], ...] = (
    (("identification", "identified"), ("identification", "duplicates")),
    (("title", "screened"), ("title", "excluded")),
    (None, ("title", "awaiting")),
    (("fulltext", "sought"), ("fulltext", "not_retrieved")),
    (("fulltext", "assessed"), ("fulltext", "excluded")),
    (None, ("fulltext", "awaiting")),
    (("included", "included"), None),
)
FILLS = {"identified": "#eef3f8", "duplicates": "#f5f5f5", "screened": "#eef3f8",
         "excluded": "#fbe9e4", "awaiting": "#fcf5e2", "sought": "#eef3f8",
         "not_retrieved": "#f5f5f5", "assessed": "#eef3f8", "included": "#e3f4f1"}  # fmt: skip
SECTIONS = {"identification": "Identification", "title": "Screening", "included": "Included"}


def _box_lines(counts: pd.DataFrame) -> dict[Key, list[str]]:
    """The lines written in each box."""

    def rows(stage: str, box: str) -> list[tuple[str, int]]:
        part = counts[(counts["stage"] == stage) & (counts["box"] == box)]
        return list(zip(part["label"], part["n"].astype(int), strict=True))

    def n(stage: str, box: str) -> int:
        got = rows(stage, box)
        return got[0][1] if got else 0

    def listed(head: str, items: list[tuple[str, int]]) -> list[str]:
        shown = items if len(items) <= MAX_LINES else items[: MAX_LINES - 1]
        out = [head, *(f"  {label} (n = {k:,})" for label, k in shown)]
        if len(items) > len(shown):
            rest = items[len(shown) :]
            out.append(f"  {len(rest)} more (n = {sum(k for _, k in rest):,})")
        return out

    sources = rows("identification", "identified")
    total = sum(k for _, k in sources)
    lines: dict[Key, list[str]] = {
        ("identification", "identified"): listed(
            f"Records identified (n = {total:,}) from:", sources
        ),
        ("identification", "duplicates"): [
            "Records removed before screening:",
            f"  Duplicate records (n = {n('identification', 'duplicates'):,})",
            f"  Removed for other reasons (n = {n('identification', 'removed'):,})",
        ],
        ("included", "included"): [
            f"Studies included in review (n = {n('included', 'included'):,})"
        ],
    }  # fmt: skip
    for stage, noun, first, rest in (
        ("title", "Records", "screened", "unscreened"),
        ("fulltext", "Reports", "assessed", "unassessed"),
    ):
        if counts["stage"].eq(stage).any():
            head = "Records screened" if stage == "title" else "Reports assessed for eligibility"
            lines[(stage, first)] = [f"{head} (n = {n(stage, first):,})"]
            lines[(stage, "excluded")] = listed(
                f"{noun} excluded (n = {n(stage, 'excluded'):,}):", rows(stage, "reason")
            )
            pending = [(lbl.replace("conflict", "reviewers disagree"), k)
                       for lbl, k in rows(stage, "pending")]  # fmt: skip
            lines[(stage, "awaiting")] = [
                f"{'Not screened' if stage == 'title' else 'Not assessed'} yet "
                f"(n = {n(stage, rest):,})",
                *listed(f"Awaiting a decision (n = {n(stage, 'awaiting'):,}):", pending),
            ]
    if counts["stage"].eq("fulltext").any():
        lines[("fulltext", "sought")] = [
            f"Reports sought for retrieval (n = {n('fulltext', 'sought'):,})"
        ]
        lines[("fulltext", "not_retrieved")] = [
            f"Reports not retrieved (n = {n('fulltext', 'not_retrieved'):,})"
        ]
    return lines


def flow_layout(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per box: ``box`` (``stage.box``), ``stage``, ``x0, x1, y0, y1`` (y grows
    upwards from 0 at the top), ``text`` (lines joined by ``<br>``) and ``fill``."""
    lines = _box_lines(counts)
    out: list[tuple[str, str, float, float, float, float, str, str]] = []
    y = 0.0
    for row in ROWS:
        keys = [k for k in row if k is not None and k in lines]
        if not keys:
            continue
        height = max(len(lines[k]) for k in keys) * LINE_HEIGHT + PAD
        for col, key in enumerate(row):
            if key is not None and key in lines:
                x0, x1 = X_SPAN[col]
                text = "<br>".join(lines[key])
                out.append(
                    (f"{key[0]}.{key[1]}", key[0], x0, x1, -y - height, -y, text, FILLS[key[1]])
                )
        y += height + GAP
    return pd.DataFrame(out, columns=LAYOUT_COLUMNS)


def _arrows(boxes: pd.DataFrame) -> list[tuple[float, float, float, float]]:
    """``(x0, y0, x1, y1)`` of each arrow: down the left column, and to each right box."""
    spans = [
        (float(x0), float(y0), float(y1))
        for x0, y0, y1 in boxes[["x0", "y0", "y1"]].itertuples(index=False, name=None)
    ]
    left = [(y0, y1) for x0, y0, y1 in spans if x0 == X_SPAN[0][0]]
    arrows = [(5.0, a[0], 5.0, b[1]) for a, b in pairwise(left)]
    for x0, y0, y1 in spans:
        if x0 == X_SPAN[1][0]:
            mid = (y0 + y1) / 2
            beside = any(low <= mid <= high for low, high in left)
            arrows.append((X_SPAN[0][1] if beside else 5.0, mid, X_SPAN[1][0], mid))
    return arrows


def flow_figure(counts: pd.DataFrame, title: str = "PRISMA 2020 flow of the review") -> go.Figure:
    """The flow as a plotly figure; ``fig.data[0].customdata`` holds every row of
    ``counts`` (``stage, box, label, n``) at the box that shows it."""
    boxes = flow_layout(counts)
    fig = new_figure(title)
    for _, _, x0, x1, y0, y1, text, fill in boxes.itertuples(index=False, name=None):
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=fill,
                      line={"color": "#7a8794", "width": 1}, layer="below")  # fmt: skip
        fig.add_annotation(x=x0 + 0.3, y=(y0 + y1) / 2, text=text, xanchor="left",
                           showarrow=False, align="left", font={"size": 12})  # fmt: skip
    for x0, y0, x1, y1 in _arrows(boxes):
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=2, arrowwidth=1.3, arrowcolor="#555",
                           text="")  # fmt: skip
    for stage, name in _sections(boxes).items():
        fig.add_annotation(x=-1.0, y=name[1], text=f"<b>{SECTIONS.get(stage, name[0])}</b>",
                           textangle=-90, showarrow=False, font={"size": 12})  # fmt: skip
    where = boxes.set_index("box")
    shown = [f"{s}.{b}" for s, b in zip(counts["stage"], counts["box"], strict=True)]
    parents = {
        "reason": "excluded", "pending": "awaiting", "unscreened": "awaiting",
        "unassessed": "awaiting", "import": "identified", "removed": "duplicates",
    }  # fmt: skip
    keys = []
    for key in shown:
        stage, box = key.split(".")
        keys.append(key if key in where.index else f"{stage}.{parents.get(box, box)}")
    center_x = ((where["x0"] + where["x1"]) / 2).to_dict()
    center_y = ((where["y0"] + where["y1"]) / 2).to_dict()
    fig.add_scatter(
        x=[center_x[k] for k in keys],
        y=[center_y[k] for k in keys],
        mode="markers",
        marker={"size": 18, "opacity": 0},
        customdata=counts[["stage", "box", "label", "n"]].to_numpy(dtype=object),
        hovertemplate="%{customdata[2]}: %{customdata[3]:,}<extra></extra>",
        name="PRISMA counts",
        showlegend=False,
    )
    depth = -float(boxes["y0"].min())
    fig.update_xaxes(visible=False, range=[-2.0, 22.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-depth - 0.5, 0.5], fixedrange=True)
    fig.update_layout(height=int(90 + 26 * (depth + 1)), width=940, plot_bgcolor="white")
    return fig


def _sections(boxes: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Section label per stage and the middle height of its boxes (full text joins
    screening as in the PRISMA template)."""
    out: dict[str, tuple[str, float]] = {}
    merged = boxes.assign(section=boxes["stage"].replace({"fulltext": "title"}))
    for stage, part in merged.groupby("section", sort=False):
        low, high = float(part["y0"].min()), float(part["y1"].max())
        out[str(stage)] = (str(stage), (low + high) / 2)
    return out


def flow_svg(counts: pd.DataFrame, title: str = "PRISMA 2020 flow of the review") -> str:
    """The flow as one standalone SVG document (text escaped; no fonts or scripts)."""
    boxes = flow_layout(counts)
    scale, left, top = 38.0, 2.0, 1.5  # px per unit; the x and y margins in units
    depth = -float(boxes["y0"].min())
    width, height = (22.5 + left) * scale, (depth + top + 0.5) * scale

    def px(x: float, y: float) -> tuple[float, float]:
        return round((x + left) * scale, 1), round((-y + top) * scale, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<rect width="100%" height="100%" fill="white"/><title>{escape(title)}</title>',
        f'<text x="{scale * left:.0f}" y="{scale * 0.8:.0f}" font-size="16" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    for box, _, bx0, bx1, by0, by1, text, fill in boxes.itertuples(index=False, name=None):
        (x0, y1), (x1, y0) = px(bx0, by1), px(bx1, by0)
        parts.append(f'<rect class="box" data-box="{box}" x="{x0}" y="{y1}" width="{x1 - x0}" '
                     f'height="{y0 - y1}" fill="{fill}" stroke="#7a8794"/>')  # fmt: skip
        lines = str(text).split("<br>")
        first = (by0 + by1) / 2 + (len(lines) - 1) * LINE_HEIGHT / 2
        for i, line in enumerate(lines):
            tx, ty = px(bx0 + 0.3, first - i * LINE_HEIGHT - 0.25)
            parts.append(f'<text x="{tx}" y="{ty}" xml:space="preserve">{escape(line)}</text>')
    for x0, y0, x1, y1 in _arrows(boxes):
        (ax, ay), (bx, by) = px(x0, y0), px(x1, y1)
        parts.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="#555" '
                     'stroke-width="1.3" marker-end="url(#arrow)"/>')  # fmt: skip
    for stage, (_, mid) in _sections(boxes).items():
        sx, sy = px(-1.0, mid)
        parts.append(f'<text x="{sx}" y="{sy}" font-weight="bold" text-anchor="middle" '
                     f'transform="rotate(-90 {sx} {sy})">{escape(SECTIONS.get(stage, stage))}'
                     "</text>")  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
