"""Chart benchmarks: every chart on the 100k-paper listing.

Targets (issue 6): each chart builds in < 2 s at 100k papers; ``topic_map`` < 30 s
with the sample it draws itself. Baselines measured in the same run: the bare
pandas/numpy aggregation the chart is built on (so the ratio is the cost of
hover text, styling and figure building). The term charts and the topic map read
a seeded random sample (5,000 and 2,500 papers) above their limits, and say so in
the figure; their baseline is the same text features fitted on that sample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from common import Row, listing, timed

import litreview
from litreview import charts
from litreview._text import make_vectorizer, paper_documents
from litreview.charts.terms import TERM_SAMPLE
from litreview.charts.topics import TOPIC_SAMPLE

DECISIONS = np.array(["include", "exclude", "maybe", "unscreened"])
REASONS = np.array(["off topic", "not a paper", "duplicate study", "wrong population"])
TAGS = ["vision", "nlp", "efficiency", "theory", "survey", "benchmark", "robotics", "audio"]


def annotated(papers: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """The papers with seeded random decisions, reasons, tags and ratings."""
    rng = np.random.default_rng(seed)
    n = len(papers)
    decision = DECISIONS[rng.integers(0, 4, n)]
    reason = np.where(decision == "exclude", REASONS[rng.integers(0, 4, n)], None)
    picks = rng.integers(0, len(TAGS), (n, 2))
    count = rng.integers(0, 3, n)
    return papers.assign(
        decision=pd.Categorical(decision, categories=litreview.DECISIONS),
        reason=pd.array(reason, dtype="string"),
        tags=[[TAGS[j] for j in row[:k]] for row, k in zip(picks, count, strict=True)],
        rating=pd.array(rng.integers(1, 6, n), dtype="Int64"),
    )


def rows(quick: bool) -> list[Row]:
    n = 2_000 if quick else 100_000
    papers = annotated(litreview.read_listing(listing(n)))
    imports = pd.DataFrame({"source": ["listing.txt", "again.txt"], "n_records": [n, n // 10]})
    decision = papers["decision"].astype(str)
    month = papers["published"].dt.to_period("M")
    year = papers["published"].dt.to_period("Y")
    sample_docs = paper_documents(papers.sample(min(n, TERM_SAMPLE), random_state=0))
    topic_docs = paper_documents(papers.sample(min(n, TOPIC_SAMPLE), random_state=0))
    cases = [
        (
            "timeline (M, by decision)",
            lambda: charts.timeline(papers, "M"),
            "groupby(month, decision).size",
            lambda: papers.groupby([month, decision]).size(),
        ),
        (
            "top_terms (n=25)",
            lambda: charts.top_terms(papers),
            f"TF-IDF fit on the {len(sample_docs):,} sampled",
            lambda: make_vectorizer().fit_transform(sample_docs),
        ),
        (
            "term_trends (top 6, Y)",
            lambda: charts.term_trends(papers),
            f"TF-IDF fit on the {len(sample_docs):,} sampled",
            lambda: make_vectorizer().fit_transform(sample_docs),
        ),
        (
            "distribution (n_authors)",
            lambda: charts.distribution(papers, "n_authors"),
            "value_counts",
            lambda: papers["n_authors"].value_counts(),
        ),
        (
            "code_availability (Y)",
            lambda: charts.code_availability(papers),
            "groupby(year).mean of has-code",
            lambda: (papers["code_urls"].map(len) > 0).groupby(year).mean(),
        ),
        (
            "decisions",
            lambda: charts.decisions(papers),
            "value_counts x2",
            lambda: (decision.value_counts(), papers["reason"].value_counts()),
        ),
        (
            "tags (color=decision)",
            lambda: charts.tags(papers, color="decision"),
            "explode + value_counts",
            lambda: papers["tags"].explode().value_counts(),
        ),
        (
            "prisma",
            lambda: charts.prisma(papers=papers, imports=imports),
            "value_counts x2",
            lambda: (decision.value_counts(), papers["reason"].value_counts()),
        ),
    ]
    out: list[Row] = []
    for case, run, base_name, base in cases:
        base_s, _ = timed(base, repeat=2)
        chart_s, fig = timed(run, repeat=2)
        assert len(fig.data) > 0, case
        ok = chart_s < 2.0 if not quick else None
        out.append(Row("charts", case, n, chart_s, base_name, base_s, "<2 s", ok))
    base_s, _ = timed(lambda: make_vectorizer(min_df=2).fit_transform(topic_docs))
    topic_s, fig = timed(lambda: charts.topic_map(papers))
    assert sum(len(t.x) for t in fig.data) == min(n, TOPIC_SAMPLE)
    ok = topic_s < 30.0 if not quick else None
    base_name = f"TF-IDF fit on the {len(topic_docs):,} sampled"
    out.append(Row("charts", "topic_map (sampled)", n, topic_s, base_name, base_s, "<30 s", ok))
    return out
