"""Hugging Face papers pages as Markdown captures save them today (tests/fixtures/hf_pages):
reference-style links, the current card layout, trending pages showing each paper twice."""

from __future__ import annotations

import pandas as pd

import litreview
from litreview.readers.hf_common import count, merge_duplicates, resolve_references, vote
from litreview.readers.listing import read_listing_and_format
from litreview.schema import PAPER_COLUMNS
from tests.paths import FIXTURES

PAGES = FIXTURES / "hf_pages"


def read(name: str) -> pd.DataFrame:
    df, fmt = read_listing_and_format(PAGES / name, errors="raise")
    assert fmt == "hf-markdown"
    litreview.validate(df)
    return df


def test_reference_style_links_are_read_like_inline_ones() -> None:
    df = read("search-reference.md")
    assert df.title.tolist() == [
        "Echo Chambers: Routing Long Audio Through Short Windows",
        "Sparse Recall over Millions of Tokens",
        "Talking Tables: Speech Models for Spreadsheets",
    ]
    assert df.arxiv_id.tolist() == ["2606.00101", "2403.05530", "2603.11111"]
    assert df.url[1] == "https://huggingface.co/papers/2403.05530"  # a <url> "title" definition
    assert df.upvotes.tolist() == [0, 65, 1204]  # "-" is none; "1,204"
    assert df.comments.tolist() == [0, 6, 3]  # "Mar 8, 2024 [ 6][14]"
    assert df.n_authors.iloc[:2].tolist() == [3, 671]
    assert df.organization[2] == "Example Research Lab"  # the logo's alt text is not the name
    assert df.abstract[0].startswith("Long recordings are cut into short windows that lose the")
    assert df.abstract[0].endswith("The code is at https://github.com/example-lab/echo.")
    assert df.code_urls[0] == ["https://github.com/example-lab/echo"]
    # dates without a year take the capture's ("Captured (UTC): 2026-…")
    assert df.published.tolist() == [
        pd.Timestamp(d) for d in ("2026-05-30", "2024-03-08", "2026-03-13")
    ]
    assert df.source_line.tolist() == [25, 42, 58]


def test_trending_cards_shown_twice_are_one_paper_with_every_value() -> None:
    df = read("trending.md")
    assert df.title.tolist() == [
        "Lantern 2.0: Video and Audio from One Model",
        "Trading Desks: A Multi-Agent Framework for Markets",
        "Paged Memory for Serving Large Models with Fewer Copies",  # a heading on two lines
    ]
    assert df.upvotes.tolist() == [117, 149, 76]  # "Upvote" and the count after the date
    assert df.organization[0] == "Lantern Lab" and pd.isna(df.n_authors[0])
    assert df.n_authors.iloc[1:].tolist() == [4, 9]  # "- 4 authors"
    assert df.published.tolist() == [
        pd.Timestamp(d) for d in ("2026-10-04", "2024-12-28", "2023-09-12")
    ]
    assert df.code_urls.tolist() == [
        ["https://github.com/lantern-lab/lantern-2"],
        ["https://github.com/example/trading-desks"],
        ["https://github.com/example/paged"],
    ]
    assert df.project_urls[1] == ["https://trading-desks.example.org"]  # from the card only
    assert df.arxiv_id.tolist() == ["2610.05608", "2412.20138", "2309.06180"]
    assert df.abstract[0] == (
        "We present Lantern 2.0, a family of models that generate video clips with synchronized "
        "audio. The code is released under the MIT license."
    )


def test_the_submitter_is_kept_where_the_schema_has_a_place() -> None:
    df = read("trending.md")  # errors="raise": the "Submitted by" lines are no problem
    if "extra" in PAPER_COLUMNS:
        assert [e.get("submittedBy") for e in df.extra] == ["vvasilev", None, "akhaliq"]
        assert [e["githubStars"] for e in df.extra] == ["131", "40100", "1200"]  # GitHub 40.1k
        stars = read("trending-headings.md").extra.tolist()
        assert stars == [{"githubStars": "11300"}, {"githubStars": "476"}]
    else:
        assert "extra" not in df.columns


def test_trending_headings_without_links_read_by_their_author_line_or_code_link() -> None:
    df = read("trending-headings.md")
    assert df.title.tolist() == [
        "Lightning Agents: Train Any Agent with Reinforcement Learning",
        "ShapeCast: 3D Shapes from Casual Captures with Phones",
    ]
    assert df.n_authors[0] == 8 and pd.isna(df.n_authors[1])
    assert df.code_urls.tolist() == [
        ["https://github.com/example/lightning-agents"],
        ["https://github.com/example/shapecast"],
    ]
    assert df.abstract[1] == "ShapeCast generates 3D shapes from casual image sequences."


def test_the_helpers() -> None:
    assert resolve_references("[a][x]\n\n[X]: https://u/1\n") == "[a](https://u/1)\n\n\n"
    assert resolve_references("[a][missing]\n") == "[a][missing]\n"
    assert (count("40.1k"), count("1.2k"), count("40"), count("2M")) == (40100, 1200, 40, 2000000)
    assert vote("[ ]\n\nUpvote\n\n34", "/login?next=%2Fpapers%2F2512.15603") == (34, "2512.15603")
    assert vote("Add to collection", "/login?next=%2Fpapers%2F2512.15603") is None
    assert vote("-", "https://huggingface.co/login?next=%2Fpapers%2F1") == (0, "1")
    merged = merge_duplicates(
        [
            {"arxiv_id": "1", "title": "A", "code_urls": ["x"], "upvotes": 2},
            {"arxiv_id": "1", "title": "A", "code_urls": ["y"], "upvotes": 5, "n_authors": 3},
        ]
    )
    assert merged == [
        {"arxiv_id": "1", "title": "A", "code_urls": ["x", "y"], "upvotes": 5, "n_authors": 3}
    ]
