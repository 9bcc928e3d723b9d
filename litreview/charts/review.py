"""Charts of the screening: decisions, exclusion reasons, tags and the PRISMA counts.

Each takes a Review (anything with ``.papers``) or its annotated paper table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from litreview.charts._style import (
    DECISION_COLORS,
    TEMPLATE,
    add_group_bar,
    add_note,
    by_group,
    color_groups,
    count_ticks,
    decision_column,
    empty_figure,
    exclusion_reasons,
    hover_titles,
    new_figure,
    papers_of,
    require,
)
from litreview.schema import DECISIONS


def decisions(review: Any, *, title: str | None = None) -> go.Figure:
    """Screened papers per decision and, for the excluded ones, per exclusion reason.

    The unscreened papers are counted in the panel's title, not drawn: next to 100k of
    them the bars of a few hundred decisions would be invisible. Every bar shows its count.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> fig = decisions(papers.assign(decision="include"))
    >>> dict(zip(fig.data[0].x, fig.data[0].y))["include"]
    36
    """
    title = title or "Screening decisions"
    papers = papers_of(review)
    if len(papers) == 0:
        return empty_figure(title)
    require(papers, "title", chart="decisions")
    decided = decision_column(papers)
    screened = [d for d in DECISIONS if d != "unscreened"]
    counts = decided.value_counts().reindex(screened, fill_value=0)
    unscreened = int((decided == "unscreened").sum())
    reasons = exclusion_reasons(papers)
    by_reason = reasons.value_counts()
    done = len(papers) - unscreened
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.45, 0.55],
        vertical_spacing=0.2,
        subplot_titles=(
            f"{done:,} screened paper{'s' * (done != 1)} by decision "
            f"({unscreened:,} of {len(papers):,} still unscreened)",
            "Excluded papers by reason",
        ),
    )
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title},
        showlegend=False,
        height=max(420, 300 + 26 * len(by_reason)),
    )
    hovers = hover_titles(papers["title"], decided)
    fig.add_bar(
        x=list(counts.index),
        y=[int(v) for v in counts],
        text=[f"{int(v):,}" for v in counts],
        textposition="outside",
        cliponaxis=False,
        marker_color=[DECISION_COLORS[d] for d in counts.index],
        customdata=np.array([hovers.get(d, "") for d in counts.index], dtype=object),
        hovertemplate="<b>%{x}</b>: %{y} papers<br>%{customdata}<extra></extra>",
        name="decisions",
        row=1,
        col=1,
    )
    reason_hover = hover_titles(papers.loc[reasons.index, "title"], reasons)
    fig.add_bar(
        x=[int(v) for v in by_reason],
        y=list(by_reason.index),
        text=[f"{int(v):,}" for v in by_reason],
        textposition="outside",
        cliponaxis=False,
        orientation="h",
        marker_color=DECISION_COLORS["exclude"],
        customdata=np.array([reason_hover.get(r, "") for r in by_reason.index], dtype=object),
        hovertemplate="<b>%{y}</b>: %{x} papers<br>%{customdata}<extra></extra>",
        name="reasons",
        row=2,
        col=1,
    )
    top = int(counts.max()) if len(counts) else 0
    fig.update_yaxes(title_text="Papers", row=1, col=1, **count_ticks(top))
    fig.update_yaxes(range=[0, max(1, top) * 1.2], row=1, col=1)
    fig.update_xaxes(title_text="Papers", row=2, col=1, **count_ticks(by_reason.max() or 0))
    fig.update_yaxes(autorange="reversed", type="category", dtick=1, automargin=True, row=2, col=1)
    if by_reason.empty:
        fig.add_annotation(
            text="No papers excluded yet",
            xref="x2 domain",
            yref="y2 domain",
            x=0.5,
            y=0.5,
            showarrow=False,
        )
    return fig


def tags(
    review: Any, n: int = 30, color: str | None = None, *, title: str | None = None
) -> go.Figure:
    """How many papers carry each tag (the ``n`` most used), optionally stacked by ``color``.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> fig = tags(papers.assign(tags=[["vision"]] * 36))
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['vision'], [36])
    """
    title = title or "Papers per tag"
    papers = papers_of(review)
    if len(papers) == 0:
        return empty_figure(title)
    require(papers, "title", "tags", chart="tags")
    cells = papers["tags"].map(
        lambda v: list(v) if isinstance(v, list | tuple | np.ndarray) else []
    )
    untagged = int(cells.map(len).eq(0).sum())
    tagged = papers.assign(_tag=cells).explode("_tag")
    tagged = tagged[tagged["_tag"].notna()].assign(_tag=lambda d: d["_tag"].astype(str))
    if tagged.empty:
        return empty_figure(title, f"No tagged papers ({untagged:,} papers without a tag)")
    totals = tagged["_tag"].value_counts()
    shown = list(totals.index[:n])
    tagged = tagged[tagged["_tag"].isin(shown)]
    tagged, order = color_groups(tagged, color, table=papers, chart="tags", single="papers")
    counts = tagged.groupby(["_group", "_tag"]).size()
    hovers = hover_titles(tagged["title"], tagged["_group"] + "|" + tagged["_tag"])
    fig = new_figure(title)
    for i, group, part in by_group(counts, order):
        x = part.reindex(shown, fill_value=0)
        text = [hovers.get(f"{group}|{t}", "") for t in shown]
        add_group_bar(
            fig,
            [int(v) for v in x],
            shown,
            head="%{y}",
            group=group,
            i=i,
            color=color,
            titles=text,
            horizontal=True,
        )
    fig.update_layout(
        barmode="stack",
        showlegend=bool(color),
        legend_title_text=color or "",
        height=max(400, 24 * len(shown) + 140),
    )
    fig.update_yaxes(autorange="reversed", type="category", title_text="Tag")
    fig.update_xaxes(title_text="Papers", **count_ticks(counts.groupby(level="_tag").sum().max()))
    notes = []
    if len(totals) > n:
        notes.append(f"the {n} most used of {len(totals):,} tags")
    if untagged:
        notes.append(f"{untagged:,} papers have no tag")
    if notes:
        add_note(fig, "; ".join(notes))
    return fig
