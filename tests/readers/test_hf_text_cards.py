"""The plain copy of today's papers pages: upvote counts and 'Submitted by' lines are read
into their paper (never reported as unreadable); a paper shown twice in a row is one."""

from __future__ import annotations

import pandas as pd

import litreview
from litreview.readers.listing import read_listing_and_format
from litreview.schema import PAPER_COLUMNS
from tests.paths import FIXTURES

PAPER = "Title {i}\n\nAbstract {i}.\n\n  • 2 authors\n·\nOct {i}, 2026\n"


def test_the_daily_copy_reads_upvotes_and_submitters() -> None:
    df, fmt = read_listing_and_format(FIXTURES / "hf_pages" / "daily-copy.txt", errors="raise")
    assert fmt == "hf-text"
    assert df.title.str.split(":").str[0].tolist() == [
        "Quiet Gradients",
        "Stacked Tables",
        "Empty Votes",
    ]
    assert df.upvotes.tolist() == [45, 12, 0]  # "Upvote\n45", "Upvote 12", "-"
    assert df.comments.tolist() == [3, 0, 1]
    assert df.organization[1] == "Example University"
    assert df.source_line.tolist() == [19, 31, 44]  # the title, as before
    if "extra" in PAPER_COLUMNS:
        assert [e["submittedBy"] for e in df.extra] == ["akhaliq", "taesiri", "nielsr"]
    litreview.validate(df)


def test_card_lines_heading_the_title_or_after_the_date_are_read() -> None:
    text = (
        "Submitted by akhaliq\nUpvote 45\nTitle 1\n\nAbstract 1.\n\n"
        + "  • 2 authors\n·\nOct 1, 2026\n\n"
        + "Title 2\n\nAbstract 2.\n\n  • 2 authors\n·\nOct 2, 2026\nUpvote\n17\nGitHub\n1.2k\n"
    )
    df = litreview.read_listing(text, errors="raise")
    assert df.title.tolist() == ["Title 1", "Title 2"]
    assert df.upvotes.tolist() == [45, 17]
    if "extra" in PAPER_COLUMNS:
        assert df.extra[1] == {"githubStars": "1200"}  # "GitHub" then "1.2k"
    assert df.source_line.tolist() == [3, 11]


def test_a_paper_shown_twice_in_a_row_on_a_trending_page_is_one_paper() -> None:
    papers = "\n".join(PAPER.format(i=i) for i in (1, 1, 2, 3, 3))
    df = litreview.read_listing("Trending Papers\n\n" + papers, errors="raise")
    assert df.title.tolist() == ["Title 1", "Title 2", "Title 3"]
    assert df.published.tolist() == [pd.Timestamp(f"2026-10-0{i}") for i in (1, 2, 3)]
    # the page of old, without card lines, never showed one twice: what is there is kept
    assert len(litreview.read_listing("Daily Papers\n\n" + papers, errors="raise")) == 5


def test_without_card_lines_nothing_changes() -> None:
    df = litreview.read_listing(litreview.SAMPLE_LISTING, errors="raise")
    assert len(df) == 36 and df.upvotes.isna().all()
    assert "extra" not in df.columns or not any(df.extra)


def test_a_trending_copy_of_today_reads_votes_after_the_date_and_one_paper_each() -> None:
    """Today's cards: '· Published on …' (the list item: '· Oct 4, 2026'), an organization
    or 'N authors' without the bullet, the votes and GitHub stars after the date."""
    df, fmt = read_listing_and_format(FIXTURES / "hf_pages" / "trending-copy.txt", errors="raise")
    assert fmt == "hf-text"
    assert df.title.tolist() == [
        "Lantern 2.0: Video and Audio from One Model",
        "Trading Desks: A Multi-Agent Framework for Markets",
    ]
    assert df.upvotes.tolist() == [117, 149]
    assert df.organization[0] == "Lantern Lab" and df.n_authors[1] == 4
    assert df.published.tolist() == [pd.Timestamp("2026-10-04"), pd.Timestamp("2024-12-28")]
    if "extra" in PAPER_COLUMNS:
        assert df.extra.tolist() == [
            {"submittedBy": "vvasilev", "githubStars": "131"},
            {"githubStars": "40100"},
        ]
