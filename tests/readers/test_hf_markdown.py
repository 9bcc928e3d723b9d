"""Markdown captures of the Daily Papers page (tests/fixtures/captures/daily.md)."""

from __future__ import annotations

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingWarning
from litreview.readers.hf_markdown import looks_like_hf_markdown, scan_link
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(CAPTURES / "daily.md", errors="raise")


def test_every_field_of_the_first_paper(papers: pd.DataFrame) -> None:
    row = papers.iloc[0]
    assert row["title"] == "Sparse Mixture Routers for Long-Context Retrieval"
    assert row["abstract"] == (
        "We route long documents through sparse mixtures of retrieval experts. "
        "Code is at https://github.com/example-lab/smr."
    )
    assert row["paper_id"] == litreview.paper_id(row["title"])
    assert (row["n_authors"], row["upvotes"], row["comments"]) == (6, 74, 3)
    assert row["published"] == pd.Timestamp("2024-10-07")
    assert row["arxiv_id"] == "2410.05434"
    assert row["url"] == "https://huggingface.co/papers/2410.05434"
    assert row["code_urls"] == ["https://github.com/example-lab/smr"]
    assert row["keywords"] == [] and row["authors"] == []
    assert (row["source"], row["source_line"], row["sources"]) == ("daily.md", 22, ["daily.md:22"])


def test_escaped_title_wrapped_abstract_avatars_and_zero_upvotes(papers: pd.DataFrame) -> None:
    row = papers.iloc[1]
    assert row["title"] == "Noisy Paths: Measuring How Models Cite Their Sources"
    assert row["abstract"] == (
        "Citations produced by language models drift from the claims they support. "
        "We measure this drift at scale."
    )
    assert row["n_authors"] == 3  # after two avatar images
    assert row["upvotes"] == 0  # "[-]"
    assert row["comments"] == 0
    assert row["published"] == pd.Timestamp("2025-02-27")


def test_organization_yearless_date_and_comment_link(papers: pd.DataFrame) -> None:
    row = papers.iloc[2]
    assert row["title"] == "Café Agents: Tool Use in the Wild"
    assert row["abstract"].endswith("We study [three hundred] real sessions.")  # \[ \] unescaped
    assert row["organization"] == "University of Example"
    assert pd.isna(row["n_authors"])
    assert row["published"] == pd.Timestamp("2026-05-08")  # year from `retrieved:` front matter
    assert (row["upvotes"], row["comments"]) == (1, 1)


def test_single_backslash_wrap_and_all_rows(papers: pd.DataFrame) -> None:
    assert papers.loc[3, "abstract"] == (
        "We build a dataset of attributed summaries with citations and an evaluator "
        "that splits sentences into claims."
    )
    assert papers["upvotes"].tolist() == [74, 0, 1, 101, 0]
    assert papers["comments"].tolist() == [3, 0, 1, 6, 0]
    assert papers["source_line"].tolist() == [22, 34, 50, 62, 75]
    litreview.validate(papers)


def test_year_argument_beats_front_matter() -> None:
    papers = litreview.read_listing(CAPTURES / "daily.md", year=2030)
    assert papers.loc[2, "published"] == pd.Timestamp("2030-05-08")
    assert papers.loc[0, "published"] == pd.Timestamp("2024-10-07")  # dates with a year keep it


def test_without_front_matter_the_current_year_is_used() -> None:
    text = (CAPTURES / "daily.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    papers = litreview.read_listing(text)
    assert papers.loc[2, "published"].year == pd.Timestamp.today().year


def test_paper_without_date_is_reported_not_dropped_silently() -> None:
    page = "https://huggingface.co/papers/"
    text = (
        f"### [Good]({page}2401.00001)\n\n[Abs.]({page}2401.00001)\n\n"
        f"[- 2 authors]({page}2401.00001)\n\n·\n\nJan 3, 2024\n\n"
        f"### [No date]({page}2401.00002)\n\n[Abs.]({page}2401.00002)\n"
    )
    with pytest.warns(
        ListingWarning, match=r"<text>:11: expected an abstract link.*'### \[No date"
    ):
        papers = litreview.read_listing(text)
    assert papers["title"].tolist() == ["Good"]
    with pytest.raises(litreview.ListingError, match="<text>:11"):
        litreview.read_listing(text, errors="raise")


def test_detection_and_link_scanner() -> None:
    assert looks_like_hf_markdown("### [T](https://huggingface.co/papers/2401.00001)\n")
    assert not looks_like_hf_markdown("### T\n\n[link](https://example.org)\n")
    link = scan_link('[a [b] \\] ![i](x)\nc](https://u/1 "t") tail', 0)
    assert link is not None and link.label == "a [b] \\] ![i](x)\nc" and link.url == "https://u/1"
    assert scan_link("[no url] here", 0) is None


def test_a_paper_whose_heading_is_gone_is_reported() -> None:
    text = (CAPTURES / "daily.md").read_text(encoding="utf-8")
    good = litreview.read_listing(text, errors="raise")
    lines = text.split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("### [Noisy Paths"))
    damaged = "\n".join(lines[:heading] + lines[heading + 1 :])
    with pytest.warns(ListingWarning, match=r"<text>:\d+: expected a heading link"):
        df = litreview.read_listing(damaged)
    assert df.title.tolist() == [t for t in good.title if not t.startswith("Noisy Paths")]
