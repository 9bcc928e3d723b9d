"""near_duplicates finds title pairs exact merging kept apart; merge_near_duplicates joins them."""

from __future__ import annotations

import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview.readers.fuzzy_merge import PAIR_COLUMNS, merge_near_duplicates, near_duplicates
from litreview.schema import papers_from_columns

VIT = "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"


def table(titles: list[str], arxiv: list[str | None] | None = None) -> pd.DataFrame:
    n = len(titles)
    return papers_from_columns(
        {
            "paper_id": [litreview.paper_id(t) for t in titles],
            "title": titles,
            "arxiv_id": arxiv or [None] * n,
            "source": ["a.txt"] * n,
            "source_line": list(range(1, n + 1)),
            "sources": [[f"a.txt:{i}"] for i in range(1, n + 1)],
        }
    )


def pair_titles(pairs: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(pairs["title"], pairs["other_title"], strict=True))


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("Transformer in Transformer", "Tranformer in Transformer", "title 98% alike"),
        ("Attention Is All You Need", "All You Need Is Attention", "title 100% alike"),
        ("TNT: Transformer in Transformer", "Transformer in Transformer", "without the name"),
        ("An Image is Worth 16x16 Words", VIT, "without one subtitle"),
        ("ViT: An Image is Worth 16x16 Words", VIT, "one without its name"),
    ],
)
def test_typos_reordered_words_and_dropped_parts_are_found(
    first: str, second: str, why: str
) -> None:
    pairs = near_duplicates(table([first, "Learning Transformer Programs", second]))
    assert list(pairs.columns) == list(PAIR_COLUMNS)
    assert pair_titles(pairs) == [(first, second)]  # the earlier row first: its id is kept
    assert pairs.loc[0, "paper_id"] == litreview.paper_id(first)
    assert why in pairs.loc[0, "why"]
    assert 90 <= pairs.loc[0, "score"] <= 100


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Transformer", "Transformer survey"),  # a title inside a longer one
        ("Llama 2: Open Foundation Models", "Llama 3: Open Foundation Models"),  # numbers
        (
            "BERTa: Pretraining Deep Bidirectional Models",
            "BERTo: Pretraining Deep Bidirectional Models",
        ),
        ("Deep Models for Text: A Survey", "Deep Models for Text: New Benchmarks"),  # subtitles
    ],
)
def test_different_papers_are_not_paired(first: str, second: str) -> None:
    assert near_duplicates(table([first, second])).empty


def test_rows_exact_merging_joins_are_not_reported() -> None:
    titles = [
        "Transformer in Transformer",
        "transformer-in-TRANSFORMER!",
        "Tranformer in Transformer",
    ]
    df = table(titles)
    df.loc[1, "paper_id"] = "other"  # so the rows differ by id, not only by title case
    pairs = near_duplicates(df)
    assert pair_titles(pairs) == [(titles[0], titles[2]), (titles[1], titles[2])]
    same_id = table(
        ["Transformer in Transformer", "Tranformer in Transformer"], ["2103.00112", "2103.00112v2"]
    )
    assert near_duplicates(same_id).empty


def test_different_arxiv_ids_are_never_paired() -> None:
    titles = [
        "Transformer in Transformer",
        "Tranformer in Transformer",
        "Transformer in Transformers",
    ]
    pairs = near_duplicates(table(titles, ["2103.00112", "2104.00001", None]))
    assert sorted(pair_titles(pairs)) == [(titles[1], titles[2]), (titles[0], titles[2])]


def test_same_paper_id_is_not_paired_and_each_pair_is_given_once() -> None:
    df = table(
        ["Transformer in Transformer", "Tranformer in Transformer", "Transformer in Transformer"]
    )
    df.loc[2, "paper_id"] = df.loc[0, "paper_id"]
    pairs = near_duplicates(df)
    assert len(pairs) == 1
    assert pairs[["paper_id", "other_id"]].values.tolist() == [
        [df.loc[0, "paper_id"], df.loc[1, "paper_id"]]
    ]


def test_threshold_is_respected() -> None:
    df = table(["Transformer in Transformer", "Tranformer in Transformer", "Transformer survey"])
    assert near_duplicates(df, threshold=99).empty
    assert near_duplicates(df, threshold=98)["score"].tolist() == [98.0]
    loose = near_duplicates(df, threshold=60)
    assert loose["score"].is_monotonic_decreasing
    assert (loose["score"] >= 60).all() and len(loose) > 1


def test_empty_and_one_row_tables() -> None:
    for df in (table([]), table(["Transformer in Transformer"])):
        pairs = near_duplicates(df)
        assert pairs.empty and list(pairs.columns) == list(PAIR_COLUMNS)
        assert len(merge_near_duplicates(df, pairs)) == len(df)


def test_bundled_sample_has_no_near_duplicates() -> None:
    sample = litreview.read_listing(litreview.SAMPLE_LISTING)
    assert near_duplicates(sample).empty
    assert near_duplicates(sample, threshold=70).empty  # the closest pair scores 69
    # read by eye: "Transformer in Transformer" ~ "Learning Transformer Programs"
    assert len(near_duplicates(sample, threshold=60)) == 3


def test_merge_keeps_the_preferred_id_and_unites_sources() -> None:
    df = table(
        ["Transformer in Transformer", "Learning Transformer Programs", "Tranformer in Transformer"]
    )
    df.loc[2, "abstract"] = "The longer abstract."
    df.loc[2, "arxiv_id"] = "2103.00112"
    merged = merge_near_duplicates(df, near_duplicates(df))
    assert merged["paper_id"].tolist() == [df.loc[0, "paper_id"], df.loc[1, "paper_id"]]
    first = merged.iloc[0]
    assert first["title"] == "Transformer in Transformer"
    assert first["sources"] == ["a.txt:1", "a.txt:3"]
    assert first["abstract"] == "The longer abstract."
    assert first["arxiv_id"] == "2103.00112"
    litreview.validate(merged)


def test_transitive_pairs_make_one_paper() -> None:
    df = table(["A", "B", "C", "D"])
    pairs = pd.DataFrame(
        {"paper_id": [df.paper_id[2], df.paper_id[0]], "other_id": [df.paper_id[3], df.paper_id[2]]}
    )
    merged = merge_near_duplicates(df, pairs)
    assert merged["title"].tolist() == ["A", "B"]
    assert merged.loc[0, "sources"] == ["a.txt:1", "a.txt:3", "a.txt:4"]


def test_merge_never_joins_two_arxiv_ids_and_rejects_unknown_ids() -> None:
    df = table(["A", "B", "C"], ["2101.00001", None, "2101.00002"])
    ids = df["paper_id"].tolist()
    pairs = pd.DataFrame({"paper_id": [ids[0], ids[1]], "other_id": [ids[1], ids[2]]})
    with pytest.warns(UserWarning, match="different arXiv ids"):
        merged = merge_near_duplicates(df, pairs)
    assert merged["title"].tolist() == ["A", "C"]
    with pytest.raises(ValueError, match="not in the table: nope"):
        merge_near_duplicates(df, pd.DataFrame({"paper_id": [ids[0]], "other_id": ["nope"]}))


def test_read_back_listings_then_merge(tmp_path: Path) -> None:
    plain = tmp_path / "a.csv"
    litreview.to_csv(table(["Transformer in Transformer"]), plain)
    papers = litreview.read_listings([plain, table(["Tranformer in Transformer"])])
    assert isinstance(papers, pd.DataFrame)
    merged = merge_near_duplicates(papers, near_duplicates(papers))
    assert merged["title"].tolist() == ["Transformer in Transformer"]


TITLE_WORDS = st.lists(
    st.text(string.ascii_lowercase, min_size=3, max_size=10), min_size=4, max_size=10
)


@settings(max_examples=200, deadline=None)
@given(TITLE_WORDS, st.data())
def test_one_changed_letter_is_found(words: list[str], data: st.DataObject) -> None:
    """A title of 30+ letters with one letter changed scores 90 or more."""
    title = " ".join(words)
    if len(title) < 30:
        return
    where = data.draw(st.sampled_from([i for i, c in enumerate(title) if c != " "]))
    letter = data.draw(st.sampled_from(string.ascii_lowercase.replace(title[where], "")))
    changed = title[:where] + letter + title[where + 1 :]
    pairs = near_duplicates(table([title, changed]))
    assert pair_titles(pairs) == [(title, changed)]
