"""Plotly charts of the literature: DataFrame (or Review) in, ``go.Figure`` out.

>>> import litreview
>>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
>>> fig = litreview.charts.timeline(papers, freq="Y")
>>> type(fig).__name__
'Figure'

Each chart's data preparation is a function of its own returning a DataFrame
(``prisma_counts`` and ``prisma_layout`` for ``prisma``, ``topic_points`` for
``topic_map``, ``top_terms`` for ``term_weights``...), so the numbers can be checked
or reused without drawing. Every chart handles an empty table with an empty figure
saying "No papers".
In a notebook, call :func:`use_offline_renderer` once so figures also show in
exported HTML without a network.
"""

from __future__ import annotations

from litreview.charts.histogram import distribution
from litreview.charts.prisma_flow import prisma, prisma_counts, prisma_layout
from litreview.charts.render import to_html, use_offline_renderer, write_html
from litreview.charts.review import decisions, tags
from litreview.charts.terms import term_trends, term_weights, top_terms
from litreview.charts.time import code_availability, timeline
from litreview.charts.topics import topic_map, topic_points, topic_table

__all__ = [
    "code_availability",
    "decisions",
    "distribution",
    "prisma",
    "prisma_counts",
    "prisma_layout",
    "tags",
    "term_trends",
    "term_weights",
    "timeline",
    "to_html",
    "top_terms",
    "topic_map",
    "topic_points",
    "topic_table",
    "use_offline_renderer",
    "write_html",
]
