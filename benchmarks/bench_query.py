"""Search, "more like this" and screening priority against naive pandas / scikit-learn.

- index build: ``SearchIndex(df)`` against scikit-learn's ``CountVectorizer`` over the
  same titles and abstracts (tokenizing only, no positions or weights), and against
  SQLite's FTS5 (``porter unicode61``, in memory: positions and postings, like ours);
- query latency: 50 fixed queries (words, prefixes, phrases, fields, ranges,
  negations) through ``search(..., limit=100)`` against a naive filter that runs
  ``Series.str.contains`` per query word on pre-folded text (folding not timed)
  and keeps the first 100 rows; every query must give the same matches;
- ``SearchIndex.add`` of 100 new papers against a full build;
- ``similar`` (20 papers) and ``prioritize`` refit (300 decisions).
"""

from __future__ import annotations

import functools
import statistics
import time

import numpy as np
import pandas as pd
from bench_scale import fts5_build, load
from common import Row, latencies, listing, timed
from sklearn.feature_extraction.text import CountVectorizer

import litreview
from litreview._text import fold
from litreview.query.evaluate import text_regex
from litreview.query.filters import SearchIndex, match_mask, prioritize, search, similar
from litreview.query.language import All, And, Has, Node, Not, Or, Phrase, Range, Word, parse

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
LIMIT = 100
ADDED = 100  # papers added to an existing index
#: 50 realistic queries over the generated listings' vocabulary.
QUERIES = [
    "transformer",
    "efficient attention",
    "sparse attention",
    "linear attention kernel",
    "vision transformer",
    "diffusion image generation",
    "quantization",
    "pruning OR distillation",
    "quantization OR pruning OR distillation",
    "transform",
    "token",
    "reinforcement learning policy",
    '"vision transformer"',
    '"linear attention"',
    '"point cloud" segmentation',
    '"time series" anomaly',
    '"long context" memory',
    '"low-rank adapter"',
    '"state space"',
    '"normalizing flow"',
    "title:transformer",
    "title:diffusion",
    "title:(vision OR video)",
    'title:"point cloud"',
    "abstract:hardware energy",
    'abstract:"protein molecule"',
    "title:efficient attention",
    "graph neural -survey",
    "attention -vision",
    "NOT survey",
    "-benchmark -dataset retrieval",
    "(graph OR point) segmentation",
    "(speech OR audio) -video",
    "(quantization OR pruning) title:efficient",
    "year:2021..2023",
    "year:>=2024",
    "year:2021..2023 sparse attention",
    "published:2024-01..2024-06",
    "published:>=2025-03 diffusion",
    "authors:>10",
    "authors:>20 has:code",
    "comments:>0",
    "comments:>=5 transformer",
    "has:code",
    "has:code retrieval",
    "has:code year:>=2023 -survey",
    "title:survey year:2020..2022",
    "multimodal alignment instruction",
    "self-supervised contrastive representation",
    "fine-tuning prompt -reinforcement",
]


# ---------------------------------------------------------------- naive baseline


class Naive:
    """The matches of a query computed with pandas string methods, row by row."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df
        self.title = df["title"].fillna("").map(fold)
        self.abstract = df["abstract"].fillna("").map(fold)
        self.masks: dict[str, np.ndarray] = {}

    def mask(self, node: Node) -> pd.Series:
        df = self.df
        if isinstance(node, And):
            out = self.mask(node.children[0])
            for child in node.children[1:]:
                out = out & self.mask(child)
            return out
        if isinstance(node, Or):
            out = self.mask(node.children[0])
            for child in node.children[1:]:
                out = out | self.mask(child)
            return out
        if isinstance(node, Not):
            return ~self.mask(node.child)
        if isinstance(node, All):
            return pd.Series(True, index=df.index)
        if isinstance(node, Word | Phrase):
            pattern = text_regex(node)
            hit = pd.Series(False, index=df.index)
            if node.field in (None, "title"):
                hit = hit | self.title.str.contains(pattern, regex=True)
            if node.field in (None, "abstract"):
                hit = hit | self.abstract.str.contains(pattern, regex=True)
            return hit
        if isinstance(node, Range):
            if node.field == "published":
                values = df["published"].astype("int64").where(df["published"].notna())
            elif node.field == "year":
                values = df["published"].dt.year
            else:
                values = df[{"authors": "n_authors"}.get(node.field, node.field)]
            out = values.notna()
            if node.lo is not None:
                out = out & (values >= node.lo).fillna(False)
            if node.hi is not None:
                out = out & (values < node.hi).fillna(False)
            return out
        if isinstance(node, Has) and node.what == "code":
            return df["code_urls"].str.len() > 0
        raise NotImplementedError(node)

    def run(self, query: str) -> pd.DataFrame:
        """Parse, filter, keep the first rows (the mask is kept for the comparison)."""
        mask = self.masks[query] = self.mask(parse(query)).to_numpy()
        return self.df.iloc[np.flatnonzero(mask)[:LIMIT]]


# ---------------------------------------------------------------- rows


def annotated(df: pd.DataFrame) -> pd.DataFrame:
    """300 decisions: papers with attention in the title included, the rest excluded."""
    out = df.copy()
    decision = np.full(len(df), "unscreened", dtype=object)
    first = np.arange(min(300, len(df)))
    decision[first] = np.where(
        df["title"].iloc[first].str.contains("Attention"), "include", "exclude"
    )
    out["decision"] = pd.Categorical(decision, categories=litreview.DECISIONS)
    return out


def rows(quick: bool = False) -> list[Row]:
    return [row for n in (QUICK_SIZES if quick else SIZES) for row in size_rows(n)]


def size_rows(n: int) -> list[Row]:
    """The rows for one listing size."""
    out: list[Row] = []
    df = litreview.read_listing(listing(n), errors="ignore")
    big = n >= 100_000
    build_s, index = timed(lambda: SearchIndex(df))
    counter = CountVectorizer(token_pattern=r"(?u)\b\w+\b", strip_accents="unicode")
    texts = pd.concat([df["title"], df["abstract"]]).fillna("").tolist()
    base_s, _ = timed(lambda: counter.fit_transform(texts))
    out.append(
        Row(
            "query",
            "index build",
            n,
            build_s,
            "sklearn CountVectorizer",
            base_s,
            "<= 10 s" if big else "",
            build_s <= 10 if big else None,
        )
    )
    fts_s = fts5_build(df["title"].fillna("").tolist(), df["abstract"].fillna("").tolist())
    ratio_ok = build_s <= fts_s if big else None
    out.append(Row("query", "index build (FTS5 baseline)", n, build_s,
                   "sqlite3 FTS5 (porter unicode61)", fts_s, "ratio <= 1.0" if big else "",
                   ratio_ok))  # fmt: skip
    add_s, _ = timed(functools.partial(SearchIndex(df.iloc[:-ADDED]).add, df))
    out.append(Row("query", f"index add {ADDED} papers", n, add_s, "full build", build_s,
                   "<= 0.1 s" if big else "", add_s <= 0.1 if big else None))  # fmt: skip

    naive = Naive(df)
    for q in QUERIES:  # warm up
        search(df, q, index=index, limit=LIMIT)
    med, p95 = latencies(lambda q: search(df, q, index=index, limit=LIMIT), QUERIES)
    cpu_med, cpu_p95 = latencies(
        lambda q: search(df, q, index=index, limit=LIMIT), QUERIES, clock=time.process_time
    )
    base_med, base_p95 = latencies(naive.run, QUERIES)
    for q in QUERIES:  # the same matches on both sides
        if not (match_mask(df, q, index=index) == naive.masks[q]).all():
            raise AssertionError(f"{q!r}: litreview and the naive filter disagree at {n} papers")
    out.append(Row("query", "query median (50 queries)", n, med, "pandas str.contains", base_med))
    ok = p95 <= 0.020 and p95 * 5 <= base_p95 if big else None
    out.append(
        Row(
            "query",
            "query p95 (50 queries)",
            n,
            p95,
            "pandas str.contains",
            base_p95,
            "<= 20 ms, >= 5x" if big else "",
            ok,
            f"CPU median {cpu_med * 1000:.1f} ms, p95 {cpu_p95 * 1000:.1f} ms; {load()}",
        )
    )

    ids = df["paper_id"].iloc[:: max(1, n // 20)].tolist()[:20]
    similar(df, ids[0], index=index)
    sim_times = []
    for pid in ids:
        start = time.perf_counter()
        similar(df, pid, index=index)
        sim_times.append(time.perf_counter() - start)
    sim = statistics.median(sim_times)
    out.append(
        Row(
            "query",
            "similar median",
            n,
            sim,
            "",
            None,
            "<= 50 ms" if big else "",
            sim <= 0.050 if big else None,
        )
    )

    screened = annotated(df)
    prio_s, ranked = timed(lambda: prioritize(screened, index=index), repeat=3)
    assert (ranked["priority_method"] == "model").all()
    out.append(
        Row(
            "query",
            "prioritize refit",
            n,
            prio_s,
            "",
            None,
            "<= 1 s" if big else "",
            prio_s <= 1 if big else None,
        )
    )
    return out
