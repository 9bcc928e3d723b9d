"""Charts over time: papers per period and the share with code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from litreview.charts._style import (
    FREQ_NAMES,
    HOVER_DATE,
    add_group_bar,
    add_note,
    by_group,
    check_freq,
    color_groups,
    count_ticks,
    empty_figure,
    group_color,
    hover_titles,
    new_figure,
    no_dates,
    periods,
    require,
    split_dated,
    undated_note,
)


def timeline(
    df: pd.DataFrame,
    freq: str = "M",
    color: str | None = "decision",
    *,
    title: str | None = None,
) -> go.Figure:
    """Papers per month, quarter or year (``freq="M"|"Q"|"Y"``), stacked by ``color``.

    ``color`` is any column (``"decision"``, ``"source"``, ``"tags"`` ...) or None.
    A table without decisions shows every paper as unscreened. Papers without a
    date are counted in a note, never dropped silently.

    >>> import litreview
    >>> fig = timeline(litreview.read_listing(litreview.SAMPLE_LISTING), freq="Y")
    >>> int(sum(sum(trace.y) for trace in fig.data))
    36
    """
    freq = check_freq(freq)
    title = title or f"Papers per {FREQ_NAMES[freq]}"
    if len(df) == 0:
        return empty_figure(title)
    require(df, "published", "title", chart="timeline")
    dated, undated = split_dated(df)
    if len(dated) == 0:
        return empty_figure(title, no_dates(undated))
    grouped, order = color_groups(dated, color, table=df, chart="timeline", single="papers")
    grouped = grouped.assign(_period=periods(grouped["published"], freq))
    counts = grouped.groupby(["_period", "_group"], sort=True).size()
    keys = grouped["_period"].astype(str) + "|" + grouped["_group"]
    hovers = hover_titles(grouped["title"], keys)
    fig = new_figure(title)
    label = HOVER_DATE[freq]
    for i, group, part in by_group(counts, order):
        x = part.index
        text = [hovers.get(f"{p}|{group}", "") for p in x.astype(str)]
        add_group_bar(
            fig,
            x,
            part.to_numpy(),
            head=f"%{{x|{label}}}",
            group=group,
            i=i,
            color=color,
            titles=text,
        )
    fig.update_layout(
        barmode="stack",
        legend_title_text=color or "",
        showlegend=bool(color),
        bargap=0.1,
    )
    fig.update_xaxes(title_text=FREQ_NAMES[freq].capitalize())
    fig.update_yaxes(
        title_text="Papers", **count_ticks(counts.groupby(level="_period").sum().max())
    )
    if undated:
        add_note(fig, undated_note(undated))
    return fig


def code_availability(
    df: pd.DataFrame,
    freq: str = "Y",
    color: str | None = None,
    *,
    title: str | None = None,
) -> go.Figure:
    """Share of papers that link a code repository, per period (one line per ``color`` group).

    >>> import litreview
    >>> fig = code_availability(litreview.read_listing(litreview.SAMPLE_LISTING))
    >>> all(0 <= share <= 100 for share in fig.data[0].y)
    True
    """
    freq = check_freq(freq)
    title = title or f"Papers with code, per {FREQ_NAMES[freq]}"
    if len(df) == 0:
        return empty_figure(title)
    require(df, "published", "code_urls", "title", chart="code_availability")
    dated, undated = split_dated(df)
    if len(dated) == 0:
        return empty_figure(title, no_dates(undated))
    grouped, order = color_groups(
        dated, color, table=df, chart="code_availability", single="all papers"
    )
    has_code = grouped["code_urls"].map(
        lambda v: isinstance(v, list | tuple | np.ndarray) and len(v) > 0
    )
    grouped = grouped.assign(
        _period=periods(grouped["published"], freq), _code=has_code.astype(bool)
    )
    stats = grouped.groupby(["_group", "_period"], sort=True)["_code"].agg(["sum", "size"])
    with_code = grouped[grouped["_code"]]
    keys = with_code["_period"].astype(str) + "|" + with_code["_group"]
    hovers = hover_titles(with_code["title"], keys)
    fig = new_figure(title)
    for i, group, part in by_group(stats, order):
        share = 100.0 * part["sum"] / part["size"]
        text = [
            f"{int(k):,} of {int(n):,} papers"
            + (f"<br>{hovers[f'{p}|{group}']}" if f"{p}|{group}" in hovers.index else "")
            for p, k, n in zip(part.index.astype(str), part["sum"], part["size"], strict=True)
        ]
        fig.add_scatter(
            x=part.index,
            y=share.to_numpy(),
            mode="lines+markers",
            name=group,
            line_color=group_color(color, group, i),
            customdata=np.array(text, dtype=object),
            hovertemplate=(
                f"<b>%{{x|{HOVER_DATE[freq]}}}</b> · {group}: %{{y:.1f}}% with code<br>"
                "%{customdata}<extra></extra>"
            ),
        )
    fig.update_layout(legend_title_text=color or "", showlegend=bool(color))
    fig.update_xaxes(title_text=FREQ_NAMES[freq].capitalize())
    fig.update_yaxes(title_text="Papers with code (%)", range=[0, 100], ticksuffix="%")
    if undated:
        add_note(fig, undated_note(undated))
    return fig
