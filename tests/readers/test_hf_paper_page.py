"""A single Hugging Face paper page saved as Markdown (web clippers, fetch tools) or as
text (a browser copy): its author names, arXiv id, date, upvotes, links, abstract."""

from __future__ import annotations

import pandas as pd
import pytest

import litreview
from litreview.readers.listing import read_listing_and_format
from litreview.schema import PAPER_COLUMNS
from tests.paths import FIXTURES

PAGES = FIXTURES / "hf_pages"


def read(name: str) -> pd.Series:
    df, fmt = read_listing_and_format(PAGES / name, errors="raise")
    assert fmt == "hf-paper-page"
    assert len(df) == 1
    litreview.validate(df)
    return df.iloc[0]


def test_a_clipper_capture_with_front_matter() -> None:
    row = read("paper-clipper.md")  # a .md file: read as the paper page its content is
    assert row["title"] == "Layer Cake: Image Editing by Layer Decomposition"
    assert row["arxiv_id"] == "2512.15603"
    assert row["url"] == "https://huggingface.co/papers/2512.15603"
    assert row["authors"] == ["Shen Yin", "Zekai Zhang", "Zecheng Tang", "Heung-Yeung Shum"]
    assert row["n_authors"] == 4
    assert row["published"] == pd.Timestamp("2025-12-17")  # the year of `created:`
    assert row["upvotes"] == 34
    # the abstract, not the AI-generated summary above it; keyword links keep their words
    assert row["abstract"].startswith("Image editing struggles with consistency")
    assert "an end-to-end diffusion model that decomposes" in row["abstract"]
    assert row["code_urls"] == ["https://github.com/example-lab/layer-cake"]
    assert row["project_urls"] == ["https://layer-cake.example.org"]
    assert row["source_line"] == 13  # the arxiv: line
    if "extra" in PAPER_COLUMNS:
        assert row["extra"] == {"submitted_by": "taesiri"}


def test_a_fetch_tool_capture_with_setext_headings() -> None:
    row = read("paper-jina.md")
    assert row["title"] == (
        "Declarative Pipelines: Compiling Language Model Calls into Self-Improving Pipelines"
    )
    assert row["authors"] == ["Omar Example", "Arnav Sample", "Zhiyuan Zhang", "Christopher Potts"]
    assert (row["upvotes"], row["published"]) == (33, pd.Timestamp("2023-10-05"))
    assert row["abstract"].endswith("abstracts pipelines as text transformation graphs.")
    if "extra" in PAPER_COLUMNS:
        assert row["extra"] == {"submitted_by": "akhaliq"}


def test_a_browser_text_copy() -> None:
    row = read("paper-copy.txt")
    assert row["title"] == (
        "ClinicBench: a multimodal agent benchmark to evaluate AI in simulated "
        "clinical environments"
    )
    assert row["authors"] == ["Samuel Schmidt", "Rojin Ziaei", "Carl Harris"]
    assert row["n_authors"] == 6  # three named, "+ 3 authors" more
    assert (row["upvotes"], row["published"]) == (12, pd.Timestamp("2024-05-13"))
    # the copy breaks the paragraph at every highlighted keyword: joined back
    assert row["abstract"] == (
        "Diagnosing a patient is a sequential decision making process. Recent advances in "
        "large language models (LLMs) promise to change clinical care. We present "
        "ClinicBench-MedQA, a multimodal benchmark. The code is at https://ClinicBench.github.io."
    )
    if "extra" in PAPER_COLUMNS:
        assert row["extra"] == {"submitted_by": "Sam Example"}


def test_several_saved_pages_in_one_file_are_one_paper_each() -> None:
    one = (PAGES / "paper-copy.txt").read_text(encoding="utf-8")
    two = (PAGES / "paper-jina.md").read_text(encoding="utf-8")
    df = litreview.read_listing(one + "\n\n" + two, errors="raise")
    assert df.arxiv_id.tolist() == ["2405.07960", "2310.03714"]


def test_a_page_without_its_date_is_reported() -> None:
    text = "arxiv:2401.00001\n\nA Title\n\nAuthors:\n\nA. Person\n\nAbstract\n\nText.\n"
    with pytest.raises(litreview.ListingError, match=r"<text>:1: expected a paper page"):
        litreview.read_listing(text, format="hf-paper-page", errors="raise")
