"""search / similar / prioritize on the sample, checked against a brute-force reference."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview
from litreview.errors import QueryError
from litreview.query.filters import index_for, match_mask, search
from litreview.query.index import SearchIndex
from litreview.query.language import word_prefixes
from litreview.query.rank import explain_priority, prioritize, similar
from tests.paths import TESTS

# ---------------------------------------------------------------- data


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(litreview.SAMPLE_LISTING)


def annotate(df: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """The sample with deterministic pseudo-random annotations."""
    rng = random.Random(seed)
    out = df.copy()
    out["decision"] = pd.Categorical(
        [rng.choice(["include", "exclude", "maybe", "unscreened", None]) for _ in range(len(df))],
        categories=litreview.DECISIONS,
    )
    out["tags"] = [
        rng.sample(["survey", "Efficient", "vision", "ÉCOLE"], rng.randint(0, 2))
        for _ in range(len(df))
    ]
    out["note"] = pd.array(
        [
            rng.choice([None, "", "read later", "Great baseline!", "naïve idea"])
            for _ in range(len(df))
        ],
        dtype="string",
    )
    out["reason"] = pd.array(
        [rng.choice([None, "off topic", "not efficient"]) for _ in range(len(df))], dtype="string"
    )
    out["rating"] = pd.array([rng.choice([None, 1, 3, 5]) for _ in range(len(df))], dtype="Int64")
    out["upvotes"] = pd.array(
        [rng.choice([None, 0, 10, 50, 120]) for _ in range(len(df))], dtype="Int64"
    )
    out["organization"] = pd.array(
        [
            rng.choice([None, "Meta AI", "Google DeepMind", "Université Paris"])
            for _ in range(len(df))
        ],
        dtype="string",
    )
    out["arxiv_id"] = pd.array(
        [rng.choice([None, "2401.00001"]) for _ in range(len(df))], dtype="string"
    )
    return out


@pytest.fixture(scope="module")
def annotated(papers: pd.DataFrame) -> pd.DataFrame:
    return annotate(papers)


def titles(df: pd.DataFrame) -> list[str]:
    return df["title"].tolist()


# ---------------------------------------------------------------- reference


def ref_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def ref_words(text: Any) -> list[str]:
    return re.findall(r"\w+", ref_fold(text)) if isinstance(text, str) else []


def ref_word_hit(tokens: list[str], word: str) -> bool:
    if len(word) < 3:
        return word in tokens
    return any(t.startswith(p) for t in tokens for p in word_prefixes(word))


def ref_phrase_hit(tokens: list[str], phrase: list[str]) -> bool:
    k = len(phrase)
    return any(tokens[i : i + k] == phrase for i in range(len(tokens) - k + 1))


REF_COLUMNS: dict[str | None, list[str]] = {
    None: ["title", "abstract"],
    "title": ["title"],
    "abstract": ["abstract"],
    "org": ["organization"],
    "note": ["note"],
    "reason": ["reason"],
}


def ref_eval(node: tuple[Any, ...], row: pd.Series) -> bool:
    """An obviously-correct evaluator of the generated query structure on one row."""
    kind = node[0]
    if kind == "and":
        return ref_eval(node[1], row) and ref_eval(node[2], row)
    if kind == "or":
        return ref_eval(node[1], row) or ref_eval(node[2], row)
    if kind == "not":
        return not ref_eval(node[1], row)
    if kind in ("word", "phrase"):
        field, value = node[1], node[2]
        columns = REF_COLUMNS[field]
        for column in columns:
            tokens = ref_words(row.get(column))
            if kind == "word" and ref_word_hit(tokens, value):
                return True
            if kind == "phrase" and ref_phrase_hit(tokens, value):
                return True
        return False
    if kind == "year":
        return pd.notna(row["published"]) and node[1] <= row["published"].year <= node[2]
    if kind == "cmp":
        value = row.get(node[1])
        if value is None or pd.isna(value):
            return False
        return bool({">": value > node[3], ">=": value >= node[3], "<": value < node[3]}[node[2]])
    if kind == "has":
        what = node[1]
        if what == "code":
            return len(row["code_urls"]) > 0
        if what == "tags":
            return len(row.get("tags", [])) > 0
        value = row.get({"arxiv": "arxiv_id", "org": "organization"}.get(what, what))
        return (
            isinstance(value, str) and value.strip() != ""
            if not isinstance(value, int | np.integer)
            else True
        )
    if kind == "decision":
        value = row.get("decision")
        return (value if isinstance(value, str) else "unscreened") == node[1]
    if kind == "tag":
        return any(ref_fold(t) == ref_fold(node[1]) for t in row.get("tags", []))
    raise AssertionError(node)


def render(node: tuple[Any, ...]) -> str:
    kind = node[0]
    if kind == "and":
        return f"({render(node[1])} {render(node[2])})"
    if kind == "or":
        return f"({render(node[1])} OR {render(node[2])})"
    if kind == "not":
        return f"NOT {render(node[1])}" if len(node) > 2 else f"-{render(node[1])}"
    if kind == "word":
        return f"{node[1]}:{node[2]}" if node[1] else node[2]
    if kind == "phrase":
        text = '"' + " ".join(node[2]) + '"'
        return f"{node[1]}:{text}" if node[1] else text
    if kind == "year":
        return f"year:{node[1]}..{node[2]}"
    if kind == "cmp":
        field = {"n_authors": "authors"}.get(node[1], node[1])
        return f"{field}:{node[2]}{node[3]}"
    if kind == "has":
        return f"has:{node[1]}"
    if kind == "decision":
        return f"decision:{node[1]}"
    if kind == "tag":
        return f'tag:"{node[1]}"'
    raise AssertionError(node)


def sample_vocabulary() -> tuple[list[str], list[list[str]]]:
    df = litreview.read_listing(litreview.SAMPLE_LISTING)
    vocab: set[str] = set()
    bigrams: list[list[str]] = []
    for text in [*df["title"], *df["abstract"]]:
        tokens = ref_words(text)
        vocab.update(tokens)
        bigrams += [tokens[i : i + 2] for i in range(0, len(tokens) - 1, 7)]
    words = sorted(vocab)
    return words + [w[:4] for w in words if len(w) > 6][:50] + ["zzqx", "ai", "3d"], bigrams


WORDS, PHRASES = sample_vocabulary()
FIELDS = st.sampled_from([None, None, None, "title", "abstract", "org", "note", "reason"])
leaves = st.one_of(
    st.tuples(st.just("word"), FIELDS, st.sampled_from(WORDS)),
    st.tuples(st.just("phrase"), FIELDS, st.sampled_from(PHRASES)),
    st.tuples(st.just("year"), st.integers(2019, 2025), st.integers(2025, 2026)),
    st.tuples(
        st.just("cmp"),
        st.sampled_from(["n_authors", "comments", "upvotes", "rating"]),
        st.sampled_from([">", ">=", "<"]),
        st.integers(0, 12),
    ),
    st.tuples(
        st.just("has"),
        st.sampled_from(["code", "arxiv", "note", "tags", "reason", "rating", "org"]),
    ),
    st.tuples(st.just("decision"), st.sampled_from(litreview.DECISIONS)),
    st.tuples(st.just("tag"), st.sampled_from(["survey", "efficient", "ecole", "nope"])),
)
queries = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.tuples(st.just("and"), kids, kids),
        st.tuples(st.just("or"), kids, kids),
        st.tuples(st.just("not"), kids),
        st.tuples(st.just("not"), kids, st.just("word")),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_random_queries_agree_with_brute_force(
    annotated: pd.DataFrame, node: tuple[Any, ...]
) -> None:
    query = render(node)
    got = match_mask(annotated, query)
    want = np.array([ref_eval(node, row) for _, row in annotated.iterrows()])
    assert (got == want).all(), (query, titles(annotated[got != want]))


# ---------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("transform", "Transformer in Transformer"),
        ("TRANSFORMERS", "Transformer in Transformer"),
        ("ecoformer", "EcoFormer: Energy-Saving Attention with Linear Complexity"),
        ('"linear complexity"', "EcoFormer: Energy-Saving Attention with Linear Complexity"),
        (
            "title:efficient point",
            "FlatFormer: Flattened Window Attention for Efficient Point Cloud Transformer",
        ),
    ],
)
def test_words_find(papers: pd.DataFrame, query: str, expected: str) -> None:
    assert expected in titles(search(papers, query))


def test_each_operator_changes_the_result(papers: pd.DataFrame) -> None:
    n = len(search(papers, "vision"))
    assert 0 < len(search(papers, "vision transformer")) <= n
    assert len(search(papers, "vision OR point")) > n
    assert len(search(papers, "-vision")) == len(papers) - n
    assert len(search(papers, "NOT vision")) == len(papers) - n
    assert len(search(papers, '"vision transformer"')) < len(search(papers, "vision transformer"))
    assert len(search(papers, "(vision OR point) -cloud")) < len(search(papers, "vision OR point"))
    assert len(search(papers, "title:vision")) < n
    assert set(titles(search(papers, "abstract:vision"))) <= set(titles(search(papers, "vision")))


def test_accents_are_ignored(papers: pd.DataFrame) -> None:
    assert titles(search(papers, "ÉcoFormer")) == titles(search(papers, "ecoformer"))


def test_ranges_and_has(papers: pd.DataFrame) -> None:
    for query, check in [
        ("year:2021..2023", lambda r: 2021 <= r.published.year <= 2023),
        ("year:>=2024", lambda r: r.published.year >= 2024),
        (
            "published:2024-01..2024-06",
            lambda r: pd.Timestamp("2024-01-01") <= r.published < pd.Timestamp("2024-07-01"),
        ),
        ("authors:>10", lambda r: r.n_authors > 10),
        ("comments:>0", lambda r: r.comments > 0),
        ("has:code", lambda r: len(r.code_urls) > 0),
    ]:
        hits = match_mask(papers, query)
        assert hits.any() and not hits.all(), query
        assert hits.tolist() == [bool(check(r)) for r in papers.itertuples()], query


def test_annotation_fields_on_a_plain_listing_are_empty(papers: pd.DataFrame) -> None:
    assert match_mask(papers, "decision:unscreened").all()
    for query in [
        "decision:include",
        "tag:x",
        "note:x",
        "reason:x",
        "rating:>=1",
        "has:note",
        "upvotes:>=0",
    ]:
        assert not match_mask(papers, query).any(), query


def test_annotation_fields(annotated: pd.DataFrame) -> None:
    decision = annotated["decision"].astype(object).fillna("unscreened")
    assert match_mask(annotated, "decision:include").tolist() == (decision == "include").tolist()
    assert (
        match_mask(annotated, "decision:unscreened").tolist() == (decision == "unscreened").tolist()
    )
    assert match_mask(annotated, "tag:ecole").tolist() == ["ÉCOLE" in t for t in annotated["tags"]]
    assert (
        match_mask(annotated, "note:naive").tolist()
        == (annotated["note"] == "naïve idea").fillna(False).tolist()
    )
    assert (
        match_mask(annotated, "rating:>=4").tolist()
        == (annotated["rating"] >= 4).fillna(False).tolist()
    )
    assert (
        match_mask(annotated, "upvotes:>=50").tolist()
        == (annotated["upvotes"] >= 50).fillna(False).tolist()
    )
    assert (
        match_mask(annotated, "org:deepmind").tolist()
        == (annotated["organization"] == "Google DeepMind").fillna(False).tolist()
    )
    assert match_mask(annotated, "has:arxiv").tolist() == annotated["arxiv_id"].notna().tolist()


def test_malformed_query_raises(papers: pd.DataFrame) -> None:
    with pytest.raises(QueryError) as info:
        search(papers, "vision (transformer")
    assert info.value.position == 19


# ---------------------------------------------------------------- filters, sorting, ranking


def test_keyword_filters_match_the_query_language(annotated: pd.DataFrame) -> None:
    pairs = [
        ({"since": "2024"}, "published:>=2024"),
        ({"until": "2023-06"}, "published:<=2023-06"),
        ({"since": "2021-03", "until": "2023"}, "published:2021-03..2023"),
        ({"min_authors": 5, "max_authors": 8}, "authors:5..8"),
        ({"min_comments": 1}, "comments:>=1"),
        ({"min_upvotes": 50}, "upvotes:>=50"),
        ({"min_rating": 3, "max_rating": 4}, "rating:3..4"),
        ({"has_code": True}, "has:code"),
        ({"has_code": False}, "-has:code"),
        ({"has_arxiv": True}, "has:arxiv"),
        ({"has_note": False}, "-has:note"),
        ({"decision": "include"}, "decision:include"),
        ({"decision": ["include", "maybe"]}, "decision:include OR decision:maybe"),
        ({"tags": ["survey", "vision"]}, "tag:survey OR tag:vision"),
    ]
    for filters, query in pairs:
        assert match_mask(annotated, **filters).tolist() == match_mask(annotated, query).tolist(), (
            filters
        )
    both = match_mask(annotated, "attention", since="2022")
    assert both.tolist() == match_mask(annotated, "attention published:>=2022").tolist()


def test_keyword_filter_errors(papers: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="decision must be among"):
        search(papers, decision="yes")
    with pytest.raises(ValueError, match="since='June'"):
        search(papers, since="June")
    with pytest.raises(TypeError, match="min_citations"):
        search(papers, min_citations=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="the search filters are since, until, min_authors"):
        match_mask(papers, "", min_citations=3)  # type: ignore[call-arg]


@pytest.mark.slow
def test_mypy_checks_the_keyword_filters(tmp_path: Path) -> None:
    """The filters are a TypedDict (SearchFilters): mypy rejects a misspelled or
    mistyped filter in a caller, and accepts the real ones (Review.search included)."""
    from mypy import api

    caller = tmp_path / "caller.py"
    caller.write_text(
        "import litreview\n"
        "papers = litreview.read_listing(litreview.SAMPLE_LISTING)\n"
        "litreview.search(papers, 'x', min_citations=3)\n"
        "litreview.search(papers, 'x', has_code='yes')\n"
        "litreview.search(papers, 'x', since='2021', decision=['include'], sort='date')\n"
        "def f(review: litreview.Review) -> None:\n"
        "    review.search('x', tags='a', limit=3)\n"
        "    review.search('x', min_citation=3)\n"
    )
    limit = sys.getrecursionlimit()  # mypy raises it for good; the reader tests need it
    try:
        out, _, _ = api.run(
            ["--no-error-summary", "--follow-imports=silent", f"--cache-dir={tmp_path / 'cache'}",
             str(caller)]
        )  # fmt: skip
    finally:
        sys.setrecursionlimit(limit)
    errors = sorted(int(line.split(":")[1]) for line in out.splitlines() if ": error:" in line)
    assert errors == [3, 4, 8], out


def test_relevance_ranks_title_matches_first(papers: pd.DataFrame) -> None:
    hits = search(papers, "efficient")
    assert hits["score"].is_monotonic_decreasing and (hits["score"] > 0).all()
    assert "efficient" in hits["title"].iloc[0].lower()


@pytest.mark.parametrize(
    ("sort", "column", "descending"),
    [
        ("date", "published", True),
        ("-date", "published", False),
        ("comments", "comments", True),
        ("authors", "n_authors", True),
        ("title", "title", False),
    ],
)
def test_sort(papers: pd.DataFrame, sort: str, column: str, descending: bool) -> None:
    key = str.lower if column == "title" else None  # titles sort case-insensitively
    values = search(papers, "transformer", sort=sort)[column].tolist()
    assert values == sorted(values, key=key, reverse=descending)
    flipped = search(papers, "transformer", sort=sort, ascending=descending)[column].tolist()
    assert flipped == sorted(values, key=key, reverse=not descending)


def test_limit_keeps_the_best(papers: pd.DataFrame) -> None:
    full = search(papers, "attention")
    assert titles(search(papers, "attention", limit=3)) == titles(full)[:3]
    with pytest.raises(ValueError, match="sort must be one of"):
        search(papers, "x", sort="stars")


def test_index_is_cached_and_survives_annotation_changes(papers: pd.DataFrame) -> None:
    index = index_for(papers)
    assert index_for(papers.copy()) is index
    assert index_for(annotate(papers)) is index  # new annotation columns, same papers
    assert index_for(papers.iloc[::-1]) is index  # reordered rows are aligned, not re-indexed
    reordered = search(papers.iloc[::-1], '"vision transformer"')
    assert sorted(titles(reordered)) == sorted(titles(search(papers, '"vision transformer"')))


def test_index_add_is_incremental(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers.iloc[:20])
    assert len(index) == 20
    assert index.add(papers) == 16 and index.add(papers) == 0
    whole = SearchIndex(papers)
    for query in ["transformer", '"vision transformer"', "title:efficient", "zzqx"]:
        assert (
            match_mask(papers, query, index=index).tolist()
            == match_mask(papers, query, index=whole).tolist()
        )
    np.testing.assert_allclose(
        search(papers, "efficient attention", index=index)["score"],
        search(papers, "efficient attention", index=whole)["score"],
        rtol=1e-5,
    )


def test_search_adds_unknown_papers_to_a_given_index(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers.iloc[:10])
    assert "EcoFormer: Energy-Saving Attention with Linear Complexity" in titles(
        search(papers, "ecoformer", index=index)
    )
    assert len(index) == len(papers)


def test_tfidf_matches_scikit_learn(papers: pd.DataFrame) -> None:
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    index = SearchIndex(papers)
    vocab = {t: i for i, t in enumerate(index.terms)}
    counter = CountVectorizer(
        vocabulary=vocab, token_pattern=r"(?u)\b\w+\b", strip_accents="unicode"
    )
    counts = 2 * counter.transform(papers["title"]) + counter.transform(papers["abstract"])
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(counts).toarray()
    np.testing.assert_allclose(index.weights.toarray(), expected, rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- similar

VIT = {
    "Tokens-to-Token ViT: Training Vision Transformers from Scratch on ImageNet",
    "FMViT: A multiple-frequency mixing Vision Transformer",
    "DuoFormer: Leveraging Hierarchical Representations by Local and Global Attention Vision"
    " Transformer",
    "IA-RED^2: Interpretability-Aware Redundancy Reduction for Vision Transformers",
    "Transformer in Transformer",
}


def pid(df: pd.DataFrame, title_start: str) -> str:
    return str(df.loc[df["title"].str.startswith(title_start), "paper_id"].item())


@pytest.mark.parametrize("title", ["FMViT", "DuoFormer"])
def test_similar_finds_vision_transformers(papers: pd.DataFrame, title: str) -> None:
    hits = similar(papers, pid(papers, title), n=5)
    assert len(hits) == 5 and hits["score"].is_monotonic_decreasing
    assert not hits["title"].str.startswith(title).any()
    assert set(titles(hits)[:2]) <= VIT
    assert all(hits["shared_terms"].map(len) > 0)
    assert "vision" in hits["shared_terms"].iloc[0] or "vit" in hits["shared_terms"].iloc[0]


def test_similar_unknown_id(papers: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="no paper with paper_id 'nope'"):
        similar(papers, "nope")


# ---------------------------------------------------------------- prioritize

EFFICIENT = {
    "A Practical Survey on Faster and Lighter Transformers",
    "LMUFormer: Low Complexity Yet Powerful Spiking Model With Legendre Memory Units",
    "FlatFormer: Flattened Window Attention for Efficient Point Cloud Transformer",
    "A Survey of Techniques for Optimizing Transformer Inference",
}
IMAGE_GENERATION = ["HiDream-I1", "STARFlow", "DeepVecFont-v2", "TransRef"]


def screened(papers: pd.DataFrame) -> pd.DataFrame:
    df = papers.copy()
    decision = pd.Series("unscreened", index=df.index)
    for title in ["EcoFormer", "Combiner", "Long Range Arena"]:
        decision[df["title"].str.startswith(title)] = "include"
    for title in IMAGE_GENERATION:
        decision[df["title"].str.startswith(title)] = "exclude"
    df["decision"] = pd.Categorical(decision, categories=litreview.DECISIONS)
    return df


def test_prioritize_puts_efficient_attention_first(papers: pd.DataFrame) -> None:
    ranked = prioritize(screened(papers))
    assert len(ranked) == len(papers) - 7
    assert (ranked["priority_method"] == "model").all() and ranked[
        "priority"
    ].is_monotonic_decreasing
    assert set(titles(ranked)[:2]) <= EFFICIENT
    assert titles(ranked)[0] == "A Practical Survey on Faster and Lighter Transformers"
    explanation = explain_priority(screened(papers))
    assert explanation.method == "model" and (explanation.n_include, explanation.n_exclude) == (
        3,
        4,
    )
    assert "attention" in explanation.positive["term"].tolist()[:3]
    assert "image" in explanation.negative["term"].tolist()[:3]
    assert (explanation.positive["weight"] > 0).all() and (explanation.negative["weight"] < 0).all()


def test_prioritize_falls_back_to_relevance(papers: pd.DataFrame) -> None:
    df = screened(papers)
    df.loc[df["decision"] == "exclude", "decision"] = "maybe"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ranked = prioritize(df, query="efficient")
    assert (ranked["priority_method"] == "relevance").all()
    assert ranked["priority"].iloc[0] == 1.0 and "efficient" in ranked["title"].iloc[0].lower()
    explanation = explain_priority(df)
    assert explanation.method == "relevance" and "at least 2" in explanation.message
    assert explanation.positive.empty


def test_prioritize_plain_listing_is_all_unscreened(papers: pd.DataFrame) -> None:
    ranked = prioritize(papers)
    assert len(ranked) == len(papers) and (ranked["priority"] == 0).all()


# ---------------------------------------------------------------- tokens and boundaries


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), max_size=6))
def test_batch_words_equal_the_regular_expression(texts: list[str]) -> None:
    from litreview._text import END, WORD_PATTERN, fold, words_of_many

    expected = [w for t in texts for w in [*re.findall(WORD_PATTERN, fold(t)), END]]
    assert words_of_many(texts) == expected


def test_phrases_do_not_cross_title_abstract_or_paper_boundaries() -> None:
    df = litreview.schema.papers_from_columns(
        {
            "paper_id": ["a", "b"],
            "title": ["Sparse attention", "Kernel methods"],
            "abstract": ["Linear models work.", "Graph networks."],
        }
    )
    index = SearchIndex(df)
    assert match_mask(df, '"attention linear"', index=index).tolist() == [False, False]
    assert match_mask(df, '"work kernel"', index=index).tolist() == [False, False]
    assert match_mask(df, '"sparse attention"', index=index).tolist() == [True, False]
    assert match_mask(df, 'abstract:"linear models"', index=index).tolist() == [True, False]
    assert match_mask(df, 'title:"linear models"', index=index).tolist() == [False, False]
    assert match_mask(df, "abstract:graph", index=index).tolist() == [False, True]
    assert match_mask(df, "title:graph", index=index).tolist() == [False, False]


def test_filters_alone_keep_the_table_order(papers: pd.DataFrame) -> None:
    hits = search(papers, "year:>=2023")
    assert (hits["score"] == 0).all() and hits.index.is_monotonic_increasing


def test_readme_query_section_runs() -> None:

    readme = (TESTS.parent / "docs" / "query.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:query -->", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    assert len(namespace["papers"]) == 36 and "screened" in namespace


def test_queries_never_change_the_index(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers)
    before = [a.copy() for a in index._base.arrays().values()]
    for query in ["has:code -vision", '"vision transformer" OR -point', "NOT title:x", "org:x"]:
        match_mask(papers, query, index=index)
    after = tuple(index._base.arrays().values())
    assert all((a == b).all() for a, b in zip(before, after, strict=True))


def test_paper_fields_are_read_from_the_frame_passed(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers)  # built without organizations
    assert not match_mask(papers, "org:deepmind", index=index).any()
    changed = papers.assign(
        organization=pd.array(["Google DeepMind"] * len(papers), dtype="string")
    )
    assert match_mask(changed, "org:deepmind", index=index).all()
    no_code = papers.assign(code_urls=[[] for _ in range(len(papers))])
    assert not match_mask(no_code, "has:code", index=index).any()


@pytest.mark.parametrize("compact_after", [10_000, 5])
def test_added_papers_score_exactly_as_a_fresh_build(
    papers: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, compact_after: int
) -> None:
    from litreview.query import index as index_module

    monkeypatch.setattr(index_module, "compact_at", lambda n_base: compact_after)
    index = SearchIndex(papers.iloc[:12])
    for stop in (15, 16, 24, 30, len(papers)):  # new words and known ones, in a delta
        index.add(papers.iloc[:stop])
    assert (index.n_base == 12) == (compact_after > len(papers))
    whole = SearchIndex(papers)
    assert list(index.terms) == list(whole.terms) and (index.weights != whole.weights).nnz == 0
    for query in ["transformer", "efficient attention", '"vision transformer"', "title:vit",
                  "abstract:token", "transform OR zzqx", '"linear attention" -survey']:  # fmt: skip
        a, b = search(papers, query, index=index), search(papers, query, index=whole)
        assert titles(a) == titles(b) and a["score"].tolist() == b["score"].tolist(), query
