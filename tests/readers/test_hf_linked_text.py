"""Text captures with each link's URL on its own line (fixtures/captures/daily-linked.txt)."""

from __future__ import annotations

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingWarning
from litreview.readers.hf_linked_text import looks_like_hf_linked_text
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(CAPTURES / "daily-linked.txt", errors="raise")


def test_every_field_of_the_first_paper(papers: pd.DataFrame) -> None:
    row = papers.iloc[0]
    assert row["title"] == "Sparse Mixture Routers for Long-Context Retrieval"
    assert row["abstract"] == (
        "We route long documents through sparse mixtures of retrieval experts. "
        "Code is at https://github.com/example-lab/smr."
    )
    assert row["paper_id"] == litreview.paper_id(row["title"])
    assert (row["n_authors"], row["upvotes"], row["comments"]) == (6, 74, 3)  # comments on own line
    assert row["published"] == pd.Timestamp("2024-10-07")
    assert (row["arxiv_id"], row["url"]) == (
        "2410.05434",
        "https://huggingface.co/papers/2410.05434",
    )
    assert row["code_urls"] == ["https://github.com/example-lab/smr"]
    assert row["sources"] == ["daily-linked.txt:30"]


def test_zero_upvotes_organization_and_yearless_date(papers: pd.DataFrame) -> None:
    assert papers.loc[1, "upvotes"] == 0  # " [-] -"
    assert papers.loc[1, "n_authors"] == 3
    row = papers.iloc[2]
    assert row["organization"] == "University of Example" and pd.isna(row["n_authors"])
    assert row["published"] == pd.Timestamp("2026-05-08")  # year from `exported:` front matter
    assert (row["upvotes"], row["comments"]) == (2, 1)


def test_bullet_author_line_and_comments_after_date(papers: pd.DataFrame) -> None:
    row = papers.iloc[3]
    assert (row["n_authors"], row["upvotes"], row["comments"]) == (9, 99, 6)
    assert papers["source_line"].tolist() == [30, 54, 74, 102]
    assert len(papers) == 4  # navigation links (…/papers/trending) are not papers
    litreview.validate(papers)


def test_paper_without_date_is_reported() -> None:
    text = (
        "Title A\nhttps://huggingface.co/papers/2401.00001\nAbstract A.\n"
        "https://huggingface.co/papers/2401.00001\n· \nnot a date\n\n"
        "Title B\nhttps://huggingface.co/papers/2401.00002\nAbstract B.\n"
        "https://huggingface.co/papers/2401.00002\n  • 2 authors\n·\nJan 3, 2024\n"
    )
    with pytest.warns(ListingWarning, match=r"<text>:1: expected an abstract"):
        papers = litreview.read_listing(text)
    assert papers["title"].tolist() == ["Title B"]
    assert papers.loc[0, "n_authors"] == 2


def test_detection() -> None:
    head = "T\n\nhttps://huggingface.co/papers/2401.00001\n\n·\n\nJan 3, 2024\n"
    assert looks_like_hf_linked_text(head)
    assert not looks_like_hf_linked_text("T\n\nAbstract\n\n  • 2 authors\n·\nJan 3, 2024\n")


def _without_line(text: str, index: int) -> str:
    lines = text.split("\n")
    del lines[index]
    return "\n".join(lines)


def test_a_deleted_dot_line_costs_only_its_own_paper() -> None:
    text = (CAPTURES / "daily-linked.txt").read_text(encoding="utf-8")
    good = litreview.read_listing(text, year=2026, errors="raise")
    first_dot = text.split("\n").index("·")
    with pytest.warns(ListingWarning, match=r"1 block\(s\) could not be read"):
        damaged = litreview.read_listing(_without_line(text, first_dot), year=2026)
    # the first paper is reported; the next keeps its own date, nobody borrows it
    assert damaged.title.tolist() == good.title.tolist()[1:]
    columns = ["title", "published", "upvotes", "comments", "n_authors", "abstract"]
    assert damaged[columns].equals(good[columns].iloc[1:].reset_index(drop=True))


def test_a_paper_whose_title_line_is_gone_is_reported() -> None:
    text = (CAPTURES / "daily-linked.txt").read_text(encoding="utf-8")
    good = litreview.read_listing(text, year=2026, errors="raise")
    at = text.split("\n").index("Noisy Paths: Measuring How Models Cite Their Sources")
    with pytest.warns(ListingWarning, match=r"expected an upvote count followed by its login"):
        df = litreview.read_listing(_without_line(text, at), year=2026)
    others = [t for t in good.title if not t.startswith("Noisy Paths")]
    assert [t for t in df.title if t in others] == others  # the others are untouched
    columns = ["title", "published", "upvotes", "comments", "n_authors", "abstract"]
    kept = df[df.title.isin(others)][columns].reset_index(drop=True)
    assert kept.equals(good[good.title.isin(others)][columns].reset_index(drop=True))
