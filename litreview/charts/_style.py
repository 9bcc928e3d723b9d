"""The shared look of every litreview chart and the small helpers the charts share.

Nothing here changes plotly's global state: each figure gets :data:`TEMPLATE` itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from litreview.schema import DECISIONS

#: Colors of the screening decisions, the same in every chart.
DECISION_COLORS: dict[str, str] = {
    "include": "#2a9d8f",
    "maybe": "#e9c46a",
    "exclude": "#e76f51",
    "unscreened": "#9aa5b1",
}
#: Colors for everything else, in order.
COLORWAY: tuple[str, ...] = (
    "#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a",
    "#457b9d", "#8ab17d", "#b56576", "#7f7f7f", "#bc6c25", "#3d5a80",
)  # fmt: skip
OTHER = "(other)"
NONE = "(none)"
#: The exclusion reason shown for an excluded paper without one.
NO_REASON = "(no reason given)"
#: Most groups a ``color=`` column gets before the rest is pooled as "(other)".
MAX_GROUPS = 10
#: Titles listed in a hover box before "… and N more".
HOVER_TITLES = 5

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": "Inter, Helvetica, Arial, sans-serif", "size": 13, "color": "#222"},
        title={"x": 0.02, "xanchor": "left", "font": {"size": 17}},
        colorway=list(COLORWAY),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
        legend={"title": {"font": {"size": 12}}},
        xaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False, "automargin": True},
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
    )
)

FREQ_NAMES = {"M": "month", "Q": "quarter", "Y": "year"}
#: d3 date format of a period in hover text.
HOVER_DATE = {"M": "%b %Y", "Q": "%b %Y", "Y": "%Y"}


def new_figure(title: str) -> go.Figure:
    """A figure with the litreview look and ``title``."""
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title={"text": title})
    return fig


def empty_figure(title: str, note: str = "No papers to show") -> go.Figure:
    """A valid figure with no data and a centered "No papers" note."""
    fig = new_figure(title)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=note, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16}
    )
    return fig


def add_note(fig: go.Figure, text: str) -> go.Figure:
    """A small grey note under the title (samples drawn, rows without a value...)."""
    fig.add_annotation(
        text=text,
        x=0,
        y=1.0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 11, "color": "#666"},
    )
    return fig


def count_ticks(maximum: float) -> dict[str, Any]:
    """Axis settings for paper counts: whole numbers only (one tick per paper when few)."""
    ticks: dict[str, Any] = {"tickformat": ",d", "rangemode": "tozero"}
    if maximum <= 10:
        ticks["dtick"] = 1
    return ticks


def papers_of(data: Any) -> pd.DataFrame:
    """The paper table of a DataFrame or of a review-like object with ``.papers``."""
    if isinstance(data, pd.DataFrame):
        return data
    papers = getattr(data, "papers", None)
    if callable(papers):
        papers = papers()
    if isinstance(papers, pd.DataFrame):
        return papers
    raise TypeError(
        f"expected a DataFrame of papers or a Review with .papers, got {type(data).__name__}"
    )


def require(df: pd.DataFrame, *columns: str, chart: str) -> None:
    """Raise a clear error naming the chart and the missing columns."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(
            f"{chart}() needs column(s) {', '.join(map(repr, missing))}; "
            f"the DataFrame has {', '.join(map(str, df.columns))}"
        )


def check_freq(freq: str) -> str:
    """``freq`` upper-cased, or a ValueError listing the allowed ones."""
    key = freq.upper()
    if key not in FREQ_NAMES:
        raise ValueError(f"freq must be one of {', '.join(FREQ_NAMES)}, got {freq!r}")
    return key


def periods(dates: pd.Series, freq: str) -> pd.Series:
    """The start of each date's month, quarter or year (NaT stays NaT)."""
    return pd.to_datetime(dates).dt.to_period(freq).dt.start_time


def split_dated(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The papers with a ``published`` date, and how many have none."""
    dated = df[df["published"].notna()]
    return dated, len(df) - len(dated)


def no_dates(undated: int) -> str:
    """The empty figure's note when no paper has a date."""
    return f"No papers with a date ({undated:,} without one)"


def undated_note(undated: int) -> str:
    """The figure note counting the papers left out for want of a date."""
    return f"{undated:,} papers without a date are not shown"


def decision_column(df: pd.DataFrame) -> pd.Series:
    """The decision of every paper as str; a table without decisions is all unscreened."""
    if "decision" not in df.columns:
        return pd.Series("unscreened", index=df.index, dtype=object)
    return df["decision"].astype(object).where(df["decision"].notna(), "unscreened")


def exclusion_reasons(papers: pd.DataFrame) -> pd.Series:
    """The exclusion reason of every excluded paper, NA and blank shown as :data:`NO_REASON`.

    >>> import pandas as pd
    >>> exclusion_reasons(pd.DataFrame({"decision": ["exclude", "include", "exclude"],
    ...                                 "reason": [" off topic", "x", None]})).tolist()
    ['off topic', '(no reason given)']
    """
    excluded = papers[decision_column(papers).eq("exclude").to_numpy()]
    if "reason" not in excluded.columns:
        return pd.Series(NO_REASON, index=excluded.index, dtype=object)
    reason = excluded["reason"].astype(object)
    blank = reason.isna() | reason.map(lambda r: not str(r).strip() if r is not None else True)
    return reason.where(~blank, NO_REASON).map(lambda r: str(r).strip())


def is_list_column(values: pd.Series) -> bool:
    """True when the cells hold lists (tags, code_urls ...)."""
    first = values.dropna().head(20)
    return len(first) > 0 and all(isinstance(v, list | tuple | np.ndarray) for v in first)


def group_labels(df: pd.DataFrame, column: str) -> tuple[pd.DataFrame, list[str]]:
    """``df`` with a ``_group`` column (str) for ``color=column`` and the groups in order.

    Decisions keep their fixed order; other columns are ordered by size and the groups
    past :data:`MAX_GROUPS` are pooled as "(other)". List columns (tags) are exploded:
    a paper counts once per value and papers without one are "(none)".
    """
    if column == "decision":
        out = df.assign(_group=decision_column(df))
        present = set(out["_group"])
        return out, [d for d in DECISIONS if d in present] + sorted(present - set(DECISIONS))
    values = df[column]
    if is_list_column(values):
        values = values.map(lambda v: list(v) if isinstance(v, list | tuple | np.ndarray) else [])
        values = values.map(lambda v: v or [NONE])
        out = df.assign(_group=values).explode("_group")
    else:
        out = df.assign(_group=values.astype(object))
    out["_group"] = out["_group"].where(out["_group"].notna(), NONE).astype(str)
    order = out["_group"].value_counts().index.tolist()
    if len(order) > MAX_GROUPS:
        keep = set(order[: MAX_GROUPS - 1])
        out["_group"] = out["_group"].where(out["_group"].isin(keep), OTHER)
        order = [*order[: MAX_GROUPS - 1], OTHER]
    return out, order


def color_groups(
    frame: pd.DataFrame, color: str | None, *, table: pd.DataFrame, chart: str, single: str
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with a ``_group`` column for ``color=`` and the groups in order
    (:func:`group_labels`); without ``color``, one group named ``single``.

    ``color`` must be a column of ``table`` (the DataFrame the chart was given), except
    ``"decision"``: a table without decisions is all unscreened.
    """
    if not color:
        return frame.assign(_group=single), [single]
    if color != "decision":
        require(table, color, chart=chart)
    return group_labels(frame, color)


def by_group(counts: pd.Series | pd.DataFrame, order: list[str]) -> Iterator[tuple[int, str, Any]]:
    """``(i, group, rows)`` for each group of ``order`` that ``counts`` holds in its
    ``_group`` index level; ``i`` is the place in ``order``, so colors stay stable."""
    present = counts.index.get_level_values("_group")
    for i, group in enumerate(order):
        if group in present:
            yield i, group, counts.xs(group, level="_group")


def add_group_bar(
    fig: go.Figure,
    x: Any,
    y: Any,
    *,
    head: str,
    group: str,
    i: int,
    color: str | None,
    titles: Sequence[str],
    horizontal: bool = False,
) -> None:
    """Add the bars of one ``color=`` group (the ``i``-th): its color, and a hover box of
    ``head`` (bold), the group's count and ``titles`` (one text per bar)."""
    count = "%{x}" if horizontal else "%{y}"
    fig.add_bar(
        x=x,
        y=y,
        orientation="h" if horizontal else None,
        name=group,
        marker_color=group_color(color, group, i),
        customdata=np.array(titles, dtype=object),
        hovertemplate=(
            f"<b>{head}</b> · {group}: {count} papers<br>%{{customdata}}<extra></extra>"
        ),
    )


def group_color(column: str | None, group: str, i: int) -> str:
    """The color of one group: fixed for decisions, the colorway otherwise."""
    if column == "decision" and group in DECISION_COLORS:
        return DECISION_COLORS[group]
    return COLORWAY[i % len(COLORWAY)]


def hover_titles(titles: pd.Series, keys: Sequence[Any] | pd.Series | pd.Index) -> pd.Series:
    """Per group key: the first few titles joined with <br>, plus "… and N more".

    ``titles`` and ``keys`` align row by row; the result is indexed by key.
    """
    frame = pd.DataFrame({"key": list(keys), "title": titles.fillna("(untitled)").astype(str)})
    sizes = frame.groupby("key", sort=False).size()
    firsts = frame.groupby("key", sort=False).head(HOVER_TITLES)
    joined = firsts.groupby("key", sort=False)["title"].agg(
        lambda s: "<br>".join(shorten(t) for t in s)
    )
    more = (sizes - HOVER_TITLES).clip(lower=0)
    suffix = more.map(lambda m: f"<br>… and {m:,} more" if m else "")
    return joined + suffix.reindex(joined.index).fillna("")


def shorten(text: str, width: int = 80) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def sample_note(n_sample: int, n_total: int, seed: int) -> str:
    """The figure note saying a random sample was drawn."""
    return f"random sample of {n_sample:,} of {n_total:,} papers (seed {seed})"
