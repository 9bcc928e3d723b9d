"""Histogram of one numeric column (authors, comments, upvotes, rating)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from litreview.charts._style import (
    add_group_bar,
    add_note,
    by_group,
    color_groups,
    count_ticks,
    empty_figure,
    hover_titles,
    new_figure,
    require,
)

LABELS = {
    "n_authors": "Authors per paper",
    "comments": "Comments per paper",
    "upvotes": "Upvotes per paper",
    "rating": "Rating",
}
#: Skewness above which the bins grow by powers of two.
SKEWED = 2.0
#: Integer columns spanning at most this many values get one bar per value.
MAX_INT_BARS = 40


def bins(values: np.ndarray, log: bool | None = None) -> tuple[np.ndarray, list[str], bool]:
    """Bin edges (left-closed), their labels, and whether the bins are logarithmic.

    ``log=None`` picks powers of two when the values are non-negative and skewed.

    >>> edges, labels, log = bins(np.array([0] * 50 + [1] * 20 + [2, 3, 900]))
    >>> labels[:4], log
    (['0', '1', '2–3', '4–7'], True)
    """
    lo, hi = float(values.min()), float(values.max())
    integer = bool(np.all(np.mod(values, 1) == 0))
    if log is None:
        std = float(values.std())
        skew = float(np.mean(((values - values.mean()) / std) ** 3)) if std > 0 else 0.0
        log = lo >= 0 and skew > SKEWED and hi > 8 * max(lo, 1)
    if log:
        if lo < 0:
            raise ValueError("a log scale needs values >= 0")
        top = int(np.ceil(np.log2(hi + 1))) if hi >= 1 else 0
        edges = np.array([0.0] + [float(2**k) for k in range(top + 1)])
        if integer:
            labels = ["0"] + [
                f"{2**k}" if 2**k == 2 ** (k + 1) - 1 else f"{2**k}–{2 ** (k + 1) - 1}"
                for k in range(top)
            ]
        else:
            labels = ["0–1"] + [f"{2**k}–{2 ** (k + 1)}" for k in range(top)]
        return edges, labels, True
    if integer and hi - lo < MAX_INT_BARS:
        edges = np.arange(lo, hi + 2)
        return edges, [f"{int(e)}" for e in edges[:-1]], False
    edges = np.histogram_bin_edges(values, bins=30)
    edges[-1] = np.nextafter(edges[-1], np.inf)
    return edges, [f"{a:g}–{b:g}" for a, b in itertools.pairwise(edges)], False


def distribution(
    df: pd.DataFrame,
    column: str = "n_authors",
    color: str | None = None,
    *,
    log: bool | None = None,
    title: str | None = None,
) -> go.Figure:
    """How many papers have each value of ``column`` (``n_authors``, ``comments``,
    ``upvotes``, ``rating`` or any numeric column), stacked by ``color``.

    Skewed counts get bins that double in width (0, 1, 2–3, 4–7 ...); ``log=True`` or
    ``False`` forces the choice. Papers without a value are counted in a note.

    >>> import litreview
    >>> fig = distribution(litreview.read_listing(litreview.SAMPLE_LISTING), "n_authors")
    >>> int(sum(fig.data[0].y))
    36
    """
    label = LABELS.get(column, column)
    title = title or f"Distribution: {label.lower()}"
    if len(df) == 0:
        return empty_figure(title)
    require(df, column, "title", chart="distribution")
    numeric = pd.to_numeric(df[column], errors="coerce").astype("Float64")
    unreadable = int((numeric.isna() & df[column].notna()).sum())
    if unreadable:
        first = df[column][numeric.isna() & df[column].notna()].iloc[0]
        raise ValueError(
            f"distribution() needs a numeric column; {column!r} has {unreadable:,} values "
            f"that are not numbers, e.g. {first!r}"
        )
    has = numeric.notna()
    missing = int((~has).sum())
    if not has.any():
        return empty_figure(title, f"No papers with a value for {column!r} ({missing:,} without)")
    known = df[has.to_numpy()]
    values = numeric[has].to_numpy(dtype=float)
    edges, labels, is_log = bins(values, log)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(labels) - 1)
    frame, order = color_groups(
        known.assign(_bin=index), color, table=df, chart="distribution", single="papers"
    )
    counts = frame.groupby(["_group", "_bin"]).size()
    hovers = hover_titles(frame["title"], frame["_group"] + "|" + frame["_bin"].astype(str))
    fig = new_figure(title)
    for i, group, part in by_group(counts, order):
        y = part.reindex(range(len(labels)), fill_value=0)
        text = [hovers.get(f"{group}|{b}", "") for b in range(len(labels))]
        head = f"{label}: %{{x}}"
        add_group_bar(
            fig, labels, y.to_numpy(), head=head, group=group, i=i, color=color, titles=text
        )
    fig.update_layout(
        barmode="stack", bargap=0.05, legend_title_text=color or "", showlegend=bool(color)
    )
    fig.update_xaxes(
        title_text=label + (" (bins double in width)" if is_log else ""), type="category"
    )
    fig.update_yaxes(title_text="Papers", **count_ticks(counts.groupby(level="_bin").sum().max()))
    if missing:
        add_note(fig, f"{missing:,} papers without a value for {column} are not shown")
    return fig
