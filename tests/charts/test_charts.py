"""Charts: the numbers drawn equal a plain pandas computation on the same data."""

from __future__ import annotations

import doctest
import importlib
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import litreview
from litreview import charts
from litreview._text import STOP_WORDS, make_vectorizer, paper_documents

DECISION_CYCLE = ["include", "exclude", "maybe", "unscreened", "exclude", "include"]
REASONS = ["off topic", "not a paper", None]
TAG_CYCLE = [["vision"], ["nlp", "efficiency"], [], ["vision", "efficiency"]]


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(litreview.SAMPLE_LISTING)


def annotate(papers: pd.DataFrame) -> pd.DataFrame:
    """The sample with deterministic decisions, reasons, tags and ratings."""
    n = len(papers)
    decision = [DECISION_CYCLE[i % len(DECISION_CYCLE)] for i in range(n)]
    reason = [REASONS[i % 3] if d == "exclude" else None for i, d in enumerate(decision)]
    return papers.assign(
        decision=pd.Categorical(decision, categories=litreview.DECISIONS),
        reason=pd.array(reason, dtype="string"),
        tags=[list(TAG_CYCLE[i % len(TAG_CYCLE)]) for i in range(n)],
        rating=pd.array([(i % 5) + 1 if i % 3 else None for i in range(n)], dtype="Int64"),
    )


@pytest.fixture(scope="module")
def annotated(papers: pd.DataFrame) -> pd.DataFrame:
    return annotate(papers)


class FakeReview:
    """What the charts need from a Review: ``.papers`` and ``.imports()``."""

    def __init__(self, papers: pd.DataFrame, imports: pd.DataFrame) -> None:
        self.papers = papers
        self._imports = imports

    def imports(self) -> pd.DataFrame:
        return self._imports


def build_review(papers: pd.DataFrame) -> FakeReview:
    """Two overlapping imports merged by paper_id, as the store does."""
    first, second = papers.iloc[:24], papers.iloc[16:]
    merged = pd.concat([first, second]).drop_duplicates("paper_id").reset_index(drop=True)
    imports = pd.DataFrame(
        {
            "source": ["week1.txt", "week2.bib"],
            "content_hash": ["a", "b"],
            "imported_at": pd.to_datetime(["2025-01-01", "2025-01-08"]),
            "n_records": [len(first), len(second)],
            "n_new": [len(first), len(merged) - len(first)],
            "n_updated": [0, 0],
            "n_unchanged": [0, len(first) + len(second) - len(merged)],
        }
    )
    return FakeReview(annotate(merged), imports)


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


# -- timeline ---------------------------------------------------------------------------


@pytest.mark.parametrize("freq", ["M", "Q", "Y"])
def test_timeline_counts_equal_pandas_groupby(annotated: pd.DataFrame, freq: str) -> None:
    fig = charts.timeline(annotated, freq=freq, color="decision")
    period = annotated["published"].dt.to_period(freq).dt.start_time
    expected = annotated.groupby([period, annotated["decision"].astype(str)]).size()
    drawn = {
        (pd.Timestamp(x), trace.name): int(y)
        for trace in fig.data
        for x, y in zip(trace.x, trace.y, strict=True)
    }
    assert drawn == {(p, d): int(n) for (p, d), n in expected.items()}
    assert [t.name for t in fig.data] == [d for d in litreview.DECISIONS if d in drawn_names(fig)]
    assert fig.layout.barmode == "stack"


def drawn_names(fig: go.Figure) -> set[str]:
    return {t.name for t in fig.data}


def test_timeline_plain_papers_are_unscreened_and_color_none(papers: pd.DataFrame) -> None:
    assert [t.name for t in charts.timeline(papers).data] == ["unscreened"]
    fig = charts.timeline(papers, freq="Y", color=None)
    years = papers["published"].dt.year.value_counts().sort_index()
    assert [pd.Timestamp(x).year for x in fig.data[0].x] == years.index.tolist()
    assert list(fig.data[0].y) == years.tolist()
    assert fig.layout.yaxis.title.text == "Papers"
    assert "Transformer" in "".join(fig.data[0].customdata)


def test_timeline_notes_undated_papers_and_colors_by_any_column(papers: pd.DataFrame) -> None:
    df = papers.copy()
    df.loc[df.index[:3], "published"] = pd.NaT
    fig = charts.timeline(df, freq="Y", color="source")
    assert sum(sum(t.y) for t in fig.data) == len(df) - 3
    assert any("3 papers without a date" in text for text in annotation_texts(fig))
    assert charts.timeline(df, title="My title").layout.title.text == "My title"
    with pytest.raises(ValueError, match="freq"):
        charts.timeline(df, freq="W")
    with pytest.raises(KeyError, match="nonexistent"):
        charts.timeline(df, color="nonexistent")


# -- terms ------------------------------------------------------------------------------


def test_top_terms_has_transformer_on_top_and_no_stop_words(papers: pd.DataFrame) -> None:
    fig = charts.top_terms(papers, n=25)
    terms = list(fig.data[0].y)
    assert len(terms) == 25
    assert "transformer" in terms[:3]
    for term in terms:
        assert not set(term.split()) & STOP_WORDS, term
    weights = list(fig.data[0].x)
    assert weights == sorted(weights, reverse=True)
    assert fig.data[0].orientation == "h"
    assert (
        "in 32 papers" in fig.data[0].customdata[0]
    )  # 31 say "transformer", 1 only "transformers"


def test_top_terms_weights_are_the_search_index_features(papers: pd.DataFrame) -> None:
    """With plural forms merged first, as search merges them."""
    from litreview.query.language import word_prefixes

    analyzer = make_vectorizer(ngram_range=(1, 1)).build_analyzer()
    folded = [
        " ".join(word_prefixes(w)[0] if w.isalpha() else w for w in analyzer(doc))
        for doc in paper_documents(papers)
    ]
    vectorizer = make_vectorizer(ngram_range=(1, 2))
    vectorizer.set_params(stop_words=None)
    matrix = vectorizer.fit_transform(folded)
    summed = dict(zip(vectorizer.get_feature_names_out(), matrix.sum(axis=0).A1, strict=True))
    fig = charts.top_terms(papers, n=5)
    for term, weight in zip(fig.data[0].y, fig.data[0].x, strict=True):
        key = " ".join(word_prefixes(w)[0] for w in term.split())
        assert weight == pytest.approx(summed[key], rel=1e-5)


def test_top_terms_fold_plurals_and_label_every_bar(papers: pd.DataFrame) -> None:
    many = papers.assign(title=papers["title"] + " Transformers", abstract="a transformer")
    fig = charts.top_terms(many, n=20)
    terms = list(fig.data[0].y)
    assert len(terms) == 20 and len({t.rstrip("s") for t in terms}) == 20
    assert sum(t in ("transformer", "transformers") for t in terms) == 1
    assert fig.layout.yaxis.dtick == 1  # plotly may not drop every other label
    assert fig.layout.height >= 22 * 20


def test_top_terms_samples_above_the_limit_and_says_so(papers: pd.DataFrame) -> None:
    fig = charts.top_terms(papers, n=5, max_papers=10, seed=1)
    assert any("random sample of 10 of 36 papers (seed 1)" in t for t in annotation_texts(fig))
    again = charts.top_terms(papers, n=5, max_papers=10, seed=1)
    assert list(again.data[0].y) == list(fig.data[0].y)


def test_term_trends_shares_equal_token_counts(papers: pd.DataFrame) -> None:
    fig = charts.term_trends(papers, ["Attention", "vision transformer"], freq="Y")
    assert [t.name for t in fig.data] == ["attention", "vision transformer"]
    analyzer = make_vectorizer().build_analyzer()
    tokens = [set(analyzer(doc)) for doc in paper_documents(papers)]
    year = papers["published"].dt.year
    for trace, term in zip(fig.data, ["attention", "vision transformer"], strict=True):
        has = pd.Series([term in t for t in tokens], index=papers.index)
        expected = 100 * has.groupby(year).mean()
        assert [pd.Timestamp(x).year for x in trace.x] == expected.index.tolist()
        np.testing.assert_allclose(trace.y, expected.to_numpy())


def test_term_trends_defaults_to_top_terms_and_rejects_stop_words(papers: pd.DataFrame) -> None:
    fig = charts.term_trends(papers, n=3)
    assert [t.name for t in fig.data] == list(charts.top_terms(papers, n=3).data[0].y)
    with pytest.raises(ValueError, match="'the'"):
        charts.term_trends(papers, ["the"])


# -- distribution and code ----------------------------------------------------------------


def test_distribution_counts_every_value(papers: pd.DataFrame) -> None:
    fig = charts.distribution(papers, "n_authors")
    expected = papers["n_authors"].value_counts()
    drawn = {int(x): int(y) for x, y in zip(fig.data[0].x, fig.data[0].y, strict=True) if y}
    assert drawn == {int(k): int(v) for k, v in expected.items()}
    assert fig.layout.xaxis.title.text == "Authors per paper"


def test_distribution_of_skewed_counts_uses_doubling_bins(papers: pd.DataFrame) -> None:
    upvotes = [0] * 20 + [1] * 8 + [2, 3, 5, 9, 40, 1500] + [None, None]
    df = papers.assign(upvotes=pd.array(upvotes, dtype="Int64"))
    fig = charts.distribution(df, "upvotes")
    assert list(fig.data[0].x[:4]) == ["0", "1", "2–3", "4–7"]
    assert list(fig.data[0].y[:4]) == [20, 8, 2, 1]
    assert sum(fig.data[0].y) == 34
    assert "bins double" in fig.layout.xaxis.title.text
    assert any("2 papers without a value" in t for t in annotation_texts(fig))
    linear = charts.distribution(df, "upvotes", log=False)
    assert sum(linear.data[0].y) == 34 and "bins double" not in linear.layout.xaxis.title.text


def test_distribution_refuses_a_text_column(papers: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'title' has 36 values that are not numbers"):
        charts.distribution(papers, "title")


def test_distribution_by_decision_stacks(annotated: pd.DataFrame) -> None:
    fig = charts.distribution(annotated, "rating", color="decision")
    assert sum(sum(t.y) for t in fig.data) == annotated["rating"].notna().sum()
    assert {t.name for t in fig.data} <= set(litreview.DECISIONS)


def test_code_availability_share_equals_groupby_mean(papers: pd.DataFrame) -> None:
    fig = charts.code_availability(papers, freq="Y")
    has_code = papers["code_urls"].map(len) > 0
    expected = 100 * has_code.groupby(papers["published"].dt.year).mean()
    assert [pd.Timestamp(x).year for x in fig.data[0].x] == expected.index.tolist()
    np.testing.assert_allclose(fig.data[0].y, expected.to_numpy())
    assert fig.layout.yaxis.ticksuffix == "%"


# -- review charts ------------------------------------------------------------------------


def test_decisions_and_reasons_equal_value_counts(annotated: pd.DataFrame) -> None:
    fig = charts.decisions(FakeReview(annotated, pd.DataFrame()))
    expected = annotated["decision"].astype(str).value_counts()
    assert dict(zip(fig.data[0].x, fig.data[0].y, strict=True)) == {
        d: int(expected.get(d, 0)) for d in litreview.DECISIONS if d != "unscreened"
    }
    assert list(fig.data[0].text) == [f"{v:,}" for v in fig.data[0].y]  # counts on the bars
    unscreened = int(expected.get("unscreened", 0))
    assert f"({unscreened:,} of {len(annotated):,} still unscreened)" in str(
        fig.layout.annotations[0].text
    )
    excluded = annotated[annotated["decision"] == "exclude"]
    reasons = excluded["reason"].fillna("(no reason given)").value_counts()
    assert dict(zip(fig.data[1].y, fig.data[1].x, strict=True)) == reasons.to_dict()


def test_tags_counts_equal_exploded_value_counts(annotated: pd.DataFrame) -> None:
    fig = charts.tags(annotated)
    expected = annotated["tags"].explode().dropna().value_counts()
    assert dict(zip(fig.data[0].y, fig.data[0].x, strict=True)) == expected.to_dict()
    untagged = int((annotated["tags"].map(len) == 0).sum())
    assert any(f"{untagged} papers have no tag" in t for t in annotation_texts(fig))
    stacked = charts.tags(annotated, color="decision", n=2)
    assert len(stacked.data[0].y) == 2
    assert sum(sum(t.x) for t in stacked.data) == expected.iloc[:2].sum()


# -- PRISMA -------------------------------------------------------------------------------


def test_prisma_numbers_add_up_for_a_review(papers: pd.DataFrame) -> None:
    review = build_review(papers)
    fig = charts.prisma(review)
    rows = pd.DataFrame(list(fig.data[0].customdata), columns=["stage", "label", "n"])
    n = rows.groupby("stage")["n"].sum()
    identified = rows.loc[rows["stage"] == "identified", "n"].sum()
    assert identified == 24 + 20
    assert identified - n["duplicates"] == n["screened"] == len(review.papers) == 36
    assert n["screened"] - n["excluded"] - n["awaiting"] == n["included"]
    decided = review.papers["decision"].astype(str).value_counts()
    assert n["included"] == decided["include"] and n["excluded"] == decided["exclude"]
    assert n["reason"] == n["excluded"] and n["pending"] == n["awaiting"]
    assert n["awaiting"] == decided["maybe"] + decided["unscreened"]
    text = " ".join(annotation_texts(fig))
    assert "week1.txt (n = 24)" in text and "Duplicates merged before screening (n = 8)" in text
    assert f"Studies included in the review (n = {n['included']})" in text


def test_prisma_of_a_real_review_store(tmp_path, papers: pd.DataFrame) -> None:
    from litreview.review.core import Review

    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(papers.iloc[:24].assign(source="week1.txt"))
        review.add(papers.iloc[16:].assign(source="week2.txt"))
        ids = review.papers["paper_id"]
        review.annotate(ids[:5], decision="include")
        review.annotate(ids[5:12], decision="exclude", reason="off topic")
        review.annotate(ids[12:14], decision="exclude")
        review.annotate(ids[14:16], decision="maybe")
        fig = charts.prisma(review)
    rows = pd.DataFrame(list(fig.data[0].customdata), columns=["stage", "label", "n"])
    n = rows.groupby("stage")["n"].sum()
    assert rows.loc[rows["stage"] == "identified", "label"].tolist() == ["week1.txt", "week2.txt"]
    assert n["identified"] - n["duplicates"] == n["screened"] == 36
    assert n["duplicates"] == 8
    assert n["screened"] - n["excluded"] - n["awaiting"] == n["included"] == 5
    reasons = rows[rows["stage"] == "reason"].set_index("label")["n"].to_dict()
    assert reasons == {"off topic": 7, "(no reason given)": 2}
    assert rows[rows["stage"] == "pending"].set_index("label")["n"].to_dict() == {
        "maybe": 2,
        "unscreened": 20,
    }


def test_prisma_accepts_dataframes_and_reports_papers_without_imports(papers: pd.DataFrame) -> None:
    review = build_review(papers)
    counts = charts.prisma_counts(papers=review.papers, imports=review.imports().iloc[:1])
    identified = counts[counts["stage"] == "identified"]
    assert identified["label"].tolist() == ["week1.txt", "(added without an import record)"]
    assert identified["n"].sum() == 36
    assert counts.set_index("stage").loc["duplicates", "n"] == 0
    with pytest.raises(TypeError, match="both papers= and imports="):
        charts.prisma(papers=review.papers)
    with pytest.raises(KeyError, match="n_records"):
        charts.prisma(papers=review.papers, imports=pd.DataFrame({"source": ["x"]}))


def test_prisma_draws_the_boxes_of_its_layout(papers: pd.DataFrame) -> None:
    review = build_review(papers)
    counts = charts.prisma_counts(review)
    boxes = charts.prisma_layout(counts)
    assert boxes["box"].tolist() == [
        "identified", "duplicates", "screened", "excluded", "awaiting", "included"
    ]  # fmt: skip
    assert (boxes["y0"] < boxes["y1"]).all() and (boxes["x0"] < boxes["x1"]).all()
    fig = charts.prisma(review)
    drawn = [(s.x0, s.x1, s.y0, s.y1, s.fillcolor) for s in fig.layout.shapes]
    assert drawn == list(boxes[["x0", "x1", "y0", "y1", "fill"]].itertuples(index=False, name=None))
    texts = [a.text for a in fig.layout.annotations if not a.showarrow]
    assert texts == boxes["text"].tolist()
    assert "week1.txt (n = 24)" in boxes.set_index("box").loc["identified", "text"]
    centers = boxes.set_index("box").eval("(x0 + x1) / 2").to_dict()
    box_of = {"reason": "excluded", "pending": "awaiting"}
    assert list(fig.data[0].x) == [centers[box_of.get(s, s)] for s in counts["stage"]]
    assert fig.layout.yaxis.range[0] == boxes["y0"].min() - 0.5


# -- topic map ----------------------------------------------------------------------------


def test_topic_map_draws_its_topic_points(annotated: pd.DataFrame) -> None:
    points, labels = charts.topic_points(annotated, 3)
    assert points.index.equals(annotated.index) and len(labels) == 3
    assert points["decision"].tolist() == annotated["decision"].astype(str).tolist()
    for color, key in (("cluster", "topic_label"), ("decision", "decision")):
        fig = charts.topic_map(annotated, n_topics=3, color=color)
        assert sum(len(t.x) for t in fig.data) == len(points)
        for trace in fig.data:
            part = points[points[key] == trace.name]
            np.testing.assert_array_equal(trace.x, part["x"])
            np.testing.assert_array_equal(trace.y, part["y"])
            assert [row[0] for row in trace.customdata] == part["hover"].tolist()


def test_topic_map_places_every_paper_once_with_labelled_clusters(annotated: pd.DataFrame) -> None:
    fig = charts.topic_map(annotated, n_topics=3)
    assert len(fig.data) == 3
    hovers = [row[0] for trace in fig.data for row in trace.customdata]
    assert len(hovers) == 36
    for title, date in zip(annotated["title"], annotated["published"], strict=True):
        assert sum(title[:40] in h for h in hovers) >= 1
        assert any(date.strftime("%Y-%m-%d") in h for h in hovers)
    for trace in fig.data:
        assert len(trace.name.split(", ")) == 3
        assert {row[1] for row in trace.customdata} == {trace.name}
    by_decision = charts.topic_map(annotated, n_topics=3, color="decision")
    assert {t.name for t in by_decision.data} == set(annotated["decision"].astype(str))
    assert len(by_decision.layout.annotations) == 3  # topic labels at the cluster centers


def test_topic_map_samples_above_the_limit_and_is_reproducible(papers: pd.DataFrame) -> None:
    fig = charts.topic_map(papers, max_papers=20, seed=3)
    assert sum(len(t.x) for t in fig.data) == 20
    assert any("random sample of 20 of 36 papers (seed 3)" in t for t in annotation_texts(fig))
    again = charts.topic_map(papers, max_papers=20, seed=3)
    np.testing.assert_allclose(again.data[0].x, fig.data[0].x)
    tiny = charts.topic_map(papers.head(3))
    assert sum(len(t.x) for t in tiny.data) == 3
    with pytest.raises(ValueError, match="color"):
        charts.topic_map(papers, color="tags")


# -- every chart ---------------------------------------------------------------------------

EMPTY = litreview.empty_papers(annotated=True)
NO_IMPORTS = pd.DataFrame({"source": pd.Series([], dtype=str), "n_records": []})
ALL_CHARTS: dict[str, Callable[[pd.DataFrame], go.Figure]] = {
    "timeline": charts.timeline,
    "top_terms": charts.top_terms,
    "term_trends": charts.term_trends,
    "distribution": lambda df: charts.distribution(df, "n_authors"),
    "code_availability": charts.code_availability,
    "decisions": charts.decisions,
    "tags": charts.tags,
    "prisma": lambda df: charts.prisma(papers=df, imports=NO_IMPORTS),
    "topic_map": charts.topic_map,
}


@pytest.mark.parametrize("name", list(ALL_CHARTS))
def test_every_chart_draws_an_empty_table_as_a_no_papers_note(name: str) -> None:
    for empty in (EMPTY, litreview.empty_papers()):
        fig = ALL_CHARTS[name](empty)
        assert type(fig) is go.Figure
        assert len(fig.data) == 0
        assert any("no papers" in t.lower() for t in annotation_texts(fig))
        json.loads(pio.to_json(fig, validate=True))


@pytest.mark.parametrize("name", list(ALL_CHARTS))
def test_every_chart_is_a_plain_figure_with_a_title_and_hover(
    name: str, annotated: pd.DataFrame
) -> None:
    fig = ALL_CHARTS[name](annotated)
    assert type(fig) is go.Figure
    assert fig.layout.title.text
    assert all(trace.hovertemplate for trace in fig.data)
    doc = getattr(charts, name).__doc__
    assert doc and ">>>" in doc, f"{name} needs a docstring with an example"


CHART_MODULES = [
    "time",
    "terms",
    "histogram",
    "review",
    "prisma_flow",
    "topics",
    "render",
    "_style",
]


@pytest.mark.parametrize("module", CHART_MODULES)
def test_docstring_examples_run(module: str) -> None:
    mod: Any = importlib.import_module(f"litreview.charts.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_package_docstring_example_runs() -> None:
    assert doctest.testmod(charts).failed == 0
    assert litreview.charts is charts


# -- rendering ----------------------------------------------------------------------------


def test_write_html_embeds_plotlyjs_once_and_needs_no_network(tmp_path, papers) -> None:
    figs = [charts.timeline(papers), charts.top_terms(papers, n=5)]
    out = charts.write_html(figs, tmp_path / "charts.html", title="Sample & co")
    html = out.read_text(encoding="utf-8")
    assert html.count("plotly.js v") == 1  # the bundle's banner: embedded once
    assert html.count('class="litreview-chart"') == 2
    assert 'src="http' not in html and "<link" not in html
    assert "<title>Sample &amp; co</title>" in html
    with pytest.raises(ValueError, match="at least one"):
        charts.to_html([])


def test_use_offline_renderer_only_changes_plotly_in_a_kernel(monkeypatch) -> None:
    before = pio.renderers.default
    try:
        assert charts.use_offline_renderer() == before
        assert charts.use_offline_renderer(force=True) == charts.render.NOTEBOOK_RENDERER
        assert pio.renderers.default == charts.render.NOTEBOOK_RENDERER
    finally:
        pio.renderers.default = before


def test_prisma_counts_a_file_imported_twice_once(tmp_path) -> None:
    from litreview.review.core import Review

    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.add(litreview.SAMPLE_LISTING)  # e.g. a notebook run again
        assert len(review.imports()) == 2
        counts = charts.prisma_counts(review).groupby("stage")["n"].sum()
    assert counts["identified"] == counts["screened"] == 36
    assert counts["duplicates"] == 0
