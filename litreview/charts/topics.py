"""A 2D map of the papers: TF-IDF, truncated SVD, k-means topics and a t-SNE layout.

scikit-learn (about a second to import) is loaded by :func:`topic_table` on first use,
so the other charts (and ``import litreview.charts``) do without it.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from litreview._text import make_vectorizer, paper_documents
from litreview.charts._style import (
    add_note,
    decision_column,
    empty_figure,
    group_color,
    new_figure,
    require,
    sample_note,
    shorten,
)

#: Above this many papers the map draws a random sample (t-SNE grows fast with n).
TOPIC_SAMPLE = 2_500
#: t-SNE iterations (scikit-learn's default is 1000; the layout is settled well before).
TSNE_ITERATIONS = 750
#: Threads for t-SNE: half the cores, so a busy notebook server stays responsive and
#: timings stay steady (two OpenMP threads on a loaded 2-core machine ran 2-4x slower).
TSNE_THREADS = max(1, (os.cpu_count() or 2) // 2)
#: Below this many papers t-SNE runs exactly (faster and steadier than Barnes-Hut there).
EXACT_TSNE = 300
#: Terms that name a topic.
LABEL_TERMS = 3


def topic_table(
    df: pd.DataFrame, n_topics: int | None = None, *, seed: int = 0
) -> tuple[pd.DataFrame, list[str]]:
    """Every paper's 2D position and topic: a copy of ``df`` with ``x, y, topic`` columns,
    and the topic labels (top terms of each cluster, by topic number).

    >>> import litreview
    >>> table, labels = topic_table(litreview.read_listing(litreview.SAMPLE_LISTING), 3)
    >>> len(labels), sorted(table["topic"].unique().tolist())
    (3, [0, 1, 2])
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.manifold import TSNE
    from sklearn.preprocessing import normalize
    from threadpoolctl import threadpool_limits

    n = len(df)
    vectorizer = make_vectorizer(min_df=2 if n >= 50 else 1, max_features=20_000)
    matrix = vectorizer.fit_transform(paper_documents(df))
    names = vectorizer.get_feature_names_out()
    k = n_topics or int(np.clip(round(np.sqrt(n / 4)), 2, 12))
    k = max(1, min(k, n))
    dims = min(50, matrix.shape[1] - 1, n - 1)
    if dims >= 2:
        reduced = normalize(TruncatedSVD(dims, random_state=seed).fit_transform(matrix))
    else:
        reduced = np.zeros((n, 2))
    labels = (
        KMeans(k, n_init=4, random_state=seed).fit_predict(reduced) if k > 1 else np.zeros(n, int)
    )
    if n >= 8:
        perplexity = float(min(30.0, (n - 1) / 3))
        method = "exact" if n < EXACT_TSNE else "barnes_hut"  # exact is faster on few papers
        tsne = TSNE(
            2,
            perplexity=perplexity,
            init="pca",
            method=method,
            max_iter=TSNE_ITERATIONS,
            random_state=seed,
        )
        with threadpool_limits(TSNE_THREADS):  # OpenMP spin-waits on a busy machine otherwise
            xy = tsne.fit_transform(reduced)
    else:  # too few papers for t-SNE: the first two SVD axes
        xy = np.zeros((n, 2))
        xy[:, : min(2, reduced.shape[1])] = reduced[:, :2]
    topic_names = []
    for topic in range(k):
        rows = labels == topic
        weight = (
            np.asarray(matrix[rows].mean(axis=0)).ravel() if rows.any() else np.zeros(len(names))
        )
        best = np.argsort(-weight, kind="stable")[:LABEL_TERMS]
        topic_names.append(", ".join(names[best]) if len(best) else f"topic {topic + 1}")
    out = df.assign(x=xy[:, 0], y=xy[:, 1], topic=labels.astype(int))
    return out, topic_names


def topic_points(
    df: pd.DataFrame, n_topics: int | None = None, *, seed: int = 0
) -> tuple[pd.DataFrame, list[str]]:
    """What :func:`topic_map` draws: one row per paper of ``df`` (same index) with its
    position and topic (``x, y, topic``, as :func:`topic_table`), the topic's label,
    its ``decision`` ("unscreened" when none) and the ``hover`` text; and the topic labels.

    >>> import litreview
    >>> points, labels = topic_points(litreview.read_listing(litreview.SAMPLE_LISTING), 3)
    >>> list(points.columns), len(points)
    (['x', 'y', 'topic', 'topic_label', 'decision', 'hover'], 36)
    """
    table, names = topic_table(df, n_topics, seed=seed)
    dates = (
        pd.to_datetime(table["published"]).dt.strftime("%Y-%m-%d").fillna("no date")
        if "published" in table.columns
        else pd.Series("no date", index=table.index)
    )
    hover = [
        f"<b>{shorten(str(t))}</b><br>{d}"
        for t, d in zip(table["title"].fillna(""), dates, strict=True)
    ]
    points = pd.DataFrame(
        {
            "x": table["x"].to_numpy(),
            "y": table["y"].to_numpy(),
            "topic": table["topic"].to_numpy(),
            "topic_label": [names[t] for t in table["topic"]],
            "decision": decision_column(table).to_numpy(),
            "hover": hover,
        },
        index=table.index,
    )
    return points, names


def topic_map(
    df: pd.DataFrame,
    n_topics: int | None = None,
    color: str = "cluster",
    *,
    title: str | None = None,
    max_papers: int | None = TOPIC_SAMPLE,
    seed: int = 0,
) -> go.Figure:
    """A 2D map of the papers: close papers use similar words; clusters are labelled
    by their top terms. ``color="cluster"`` or ``"decision"``; hover shows title and date.

    ``n_topics`` defaults to about √(n/4) (2 to 12). Above ``max_papers`` a random
    sample with ``seed`` is drawn, and the figure says so. The points drawn are those
    of :func:`topic_points`.

    >>> import litreview
    >>> fig = topic_map(litreview.read_listing(litreview.SAMPLE_LISTING), n_topics=3)
    >>> sum(len(trace.x) for trace in fig.data)
    36
    """
    title = title or "Topic map of the papers"
    if color not in ("cluster", "decision"):
        raise ValueError(f"color must be 'cluster' or 'decision', got {color!r}")
    if len(df) == 0:
        return empty_figure(title)
    require(df, "title", "abstract", chart="topic_map")
    note = ""
    if max_papers is not None and len(df) > max_papers:
        note = sample_note(max_papers, len(df), seed)
        df = df.sample(max_papers, random_state=seed)
    try:
        points, names = topic_points(df, n_topics, seed=seed)
    except ValueError as exc:  # no vocabulary: every word a stop word
        if "vocabulary" not in str(exc):
            raise
        return empty_figure(title, "No papers with words to map (only stop words)")
    fig = _draw(points, names, color, title)
    if note:
        add_note(fig, note)
    return fig


def _draw(points: pd.DataFrame, names: list[str], color: str, title: str) -> go.Figure:
    """The map of :func:`topic_points`: a trace per topic (or decision); with
    ``color="decision"`` each topic's label stands at its median position."""
    fig = new_figure(title)
    if color == "cluster":
        groups: list[tuple[str, pd.DataFrame, str | None]] = [
            (names[t], points[points["topic"] == t], None) for t in range(len(names))
        ]
    else:
        present = set(points["decision"])
        order = [d for d in ("include", "maybe", "exclude", "unscreened") if d in present]
        groups = [(d, points[points["decision"] == d], "decision") for d in order]
    for i, (name, part, column) in enumerate(groups):
        if part.empty:
            continue
        fig.add_scatter(
            x=part["x"].to_numpy(),
            y=part["y"].to_numpy(),
            mode="markers",
            name=name,
            marker={"size": 7, "opacity": 0.8, "color": group_color(column, name, i)},
            customdata=np.column_stack([part["hover"], part["topic_label"], part["decision"]]),
            hovertemplate=(
                "%{customdata[0]}<br>topic: %{customdata[1]}<br>"
                "decision: %{customdata[2]}<extra></extra>"
            ),
        )
    if color == "decision":
        centers = points.groupby("topic")[["x", "y"]].median()
        for topic, x, y in zip(centers.index, centers["x"], centers["y"], strict=True):
            fig.add_annotation(
                x=x,
                y=y,
                text=names[int(topic)],
                showarrow=False,
                font={"size": 11, "color": "#333"},
                bgcolor="rgba(255,255,255,0.7)",
            )
    fig.update_xaxes(showticklabels=False, title_text="", showgrid=False)
    fig.update_yaxes(showticklabels=False, title_text="", showgrid=False, scaleanchor="x")
    fig.update_layout(legend_title_text="topic" if color == "cluster" else "decision", height=600)
    return fig
