"""Hugging Face pages in the shapes real captures have (tests/fixtures/hf_pages/real, our
own text in the layouts public captures show): what our first fixtures did not have."""

from __future__ import annotations

import pandas as pd

import litreview
from litreview.readers.listing import read_listing_and_format
from litreview.schema import PAPER_COLUMNS
from tests.paths import FIXTURES

REAL = FIXTURES / "hf_pages" / "real"


def read(name: str, expected: str) -> pd.DataFrame:
    df, fmt = read_listing_and_format(REAL / name, errors="raise")
    assert fmt == expected
    litreview.validate(df)
    return df


def test_a_clipped_paper_page_without_its_date_line_takes_the_front_matter_date() -> None:
    """An Obsidian clip that kept 'arxiv:<id>', the title and '## Abstract' but no
    'Published on' line: the date is the front matter's `published_at`; the recommended
    papers of the Community section and 'Models citing this paper' are no papers."""
    df = read("paper-obsidian-nodate.md", "hf-paper-page")
    assert len(df) == 1
    row = df.iloc[0]
    assert (
        row["title"] == "Tidal-MoE: Billion-Scale Weather Foundation Models with Mixture of Experts"
    )
    assert row["arxiv_id"] == "2409.17777"
    assert row["published"] == pd.Timestamp("2024-09-25")
    assert row["abstract"].startswith("Weather forecasting with deep learning has advanced")
    assert "sparse mixture-of-experts weather model" not in row["abstract"]  # the AI summary
    assert "librarian" not in row["abstract"].lower()
    assert pd.isna(row["n_authors"]) and row["authors"] == []  # an empty "Authors:" says nothing
    assert pd.isna(row["upvotes"])
    # a link in a comment (the submitter's) is not the paper's code link
    assert row["code_urls"] == []


def test_a_fetch_tool_page_without_an_arxiv_line_is_read_from_its_url_header() -> None:
    """'**URL:** …/papers/<id>' and '**Page Title:** Paper page - …' over the page's
    heading (wrapped onto a second line) and '## Abstract': no arxiv: line, no date."""
    df = read("paper-url-header.md", "hf-paper-page")
    assert len(df) == 1
    row = df.iloc[0]
    assert row["title"] == "Agents Making Agent Tools: Repositories into Tools"
    assert row["arxiv_id"] == "2502.11111"
    assert row["url"] == "https://huggingface.co/papers/2502.11111"
    assert row["source_line"] == 7  # the heading, not the tool's header
    assert pd.isna(row["published"])  # the capture shows none
    assert row["abstract"].endswith("ToolSmith correctly implements 80% of the tasks.")
    assert "LINK" not in row["abstract"] and "GitHub" not in row["abstract"]
    assert row["code_urls"] == ["https://github.com/example-lab/toolsmith"]  # "[LINK: GitHub 66]"
    if "extra" in PAPER_COLUMNS:
        assert row["extra"] == {"githubStars": "66"}


def test_a_page_with_a_paper_pages_marks_is_read_without_its_date_line() -> None:
    # (the same page without those marks is refused: test_hf_paper_page)
    text = "arxiv:2401.00001\n\nA Title\n\nAuthors:\n\nA. Person\n\nAbstract\n\nText.\n"
    marked = "Paper page - A Title\n\n" + text + "\nAI-generated summary\n"
    assert litreview.read_listing(marked, errors="raise").arxiv_id.tolist() == ["2401.00001"]
