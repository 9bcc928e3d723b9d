"""The arXiv API's Atom feed as a listing (format ``arxiv-atom``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingError, ListingWarning
from litreview.readers import read_listing_and_format
from litreview.readers.arxiv_atom import looks_like_arxiv_atom
from tests.paths import TESTS

WEB = TESTS / "fixtures" / "web"


def test_a_search_feed() -> None:
    papers, fmt = read_listing_and_format(WEB / "arxiv_query.atom", errors="raise")
    assert fmt == "arxiv-atom" and len(papers) == 2
    vit, ricci = papers.iloc[0], papers.iloc[1]
    # a title broken over two lines in the XML is one line, as everywhere else
    assert vit["title"] == (
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
    )
    assert vit["paper_id"] == litreview.paper_id(vit["title"])
    assert vit["abstract"].startswith("While the Transformer architecture has become")
    assert "\n" not in vit["abstract"]
    assert vit["authors"] == ["Alexey Dosovitskiy", "Lucas Beyer"] and vit["n_authors"] == 2
    assert (vit["arxiv_id"], vit["url"]) == ("2010.11929", "https://arxiv.org/abs/2010.11929")
    assert vit["published"] == pd.Timestamp("2020-10-22")
    assert vit["keywords"] == ["cs.CV", "cs.AI", "cs.LG"]
    assert vit["source_line"] == 10 and vit["sources"] == ["arxiv_query.atom:10"]
    # an old-style id keeps its archive; the version is dropped
    assert (ricci["arxiv_id"], ricci["url"]) == (
        "math/0211159",
        "https://arxiv.org/abs/math/0211159",
    )
    litreview.validate(papers)


def test_what_the_schema_has_no_column_for_is_kept() -> None:
    papers = litreview.read_listing(WEB / "arxiv_query.atom", errors="raise")
    vit, ricci = papers.iloc[0], papers.iloc[1]
    assert vit["venue"] == "ICLR 2021" and pd.isna(vit["doi"])
    assert ricci["doi"] == "10.5555/lrtest.ricci" and ricci["date_precision"] == "day"
    assert vit["extra"]["arxiv:comment"].startswith("Fine-tuning code and pre-trained models")
    assert vit["extra"]["arxiv:primary_category"] == "cs.CV"
    assert vit["extra"]["affiliations"] == "Lucas Beyer: Google Research"
    assert vit["extra"]["updated"] == "2021-06-03T13:08:56Z"
    # the URL in the comment is a code link like any other
    assert vit["code_urls"] == []  # links are taken from the abstract only
    # a DOI or a journal reference says it was published: not a preprint, kind unknown
    assert pd.isna(ricci["entry_type"]) and pd.isna(vit["entry_type"])


def test_an_error_feed_is_a_problem_not_a_paper(tmp_path: Path) -> None:
    with pytest.warns(
        ListingWarning,
        match=r"arxiv_error.atom:10: .*arXiv API reported an error.*incorrect id format",
    ):
        papers = litreview.read_listing(WEB / "arxiv_error.atom")
    assert len(papers) == 0
    with pytest.raises(ListingError, match=r"arxiv_error\.atom:10"):
        litreview.read_listing(WEB / "arxiv_error.atom", errors="raise")


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    text = (WEB / "arxiv_query.atom").read_text(encoding="utf-8")
    broken = tmp_path / "cut.atom"
    broken.write_text(text[: text.index("<summary>We present")], encoding="utf-8")
    with pytest.raises(ListingError, match=r"cut.atom:\d+: expected well-formed Atom XML"):
        litreview.read_listing(broken)
    bad = tmp_path / "bad.atom"
    bad.write_text(text.replace("Scale</title>", "Scale"), encoding="utf-8")  # left open
    with pytest.raises(ListingError, match=r"bad.atom:(\d+): ") as caught:
        litreview.read_listing(bad)
    line = int(str(caught.value).split(":")[1])
    assert 15 <= line <= 40  # where the XML parser noticed: after the title, in its entry


def test_detection_by_suffix_and_by_content(tmp_path: Path) -> None:
    text = (WEB / "arxiv_query.atom").read_text(encoding="utf-8")
    assert looks_like_arxiv_atom(text[:2000])
    other = tmp_path / "feed.xml"
    other.write_text(text, encoding="utf-8")
    assert read_listing_and_format(other)[1] == "arxiv-atom"  # no suffix rule: the content
    assert read_listing_and_format(text)[1] == "arxiv-atom"  # the text itself
    blog = (
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>A blog</title></feed>\n"
    )
    assert not looks_like_arxiv_atom(blog)
    named = tmp_path / "blog.atom"
    named.write_text(blog, encoding="utf-8")
    with pytest.raises(ListingError, match="expected arxiv-atom"):
        litreview.read_listing(named)  # the suffix says arXiv, the content does not


def test_an_empty_feed_has_no_papers() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        '  <link href="http://arxiv.org/api/query?search_query%3Dti%3Azzz" rel="self"/>\n'
        '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0'
        "</opensearch:totalResults>\n</feed>\n"
    )
    papers = litreview.read_listing(text, errors="raise")
    assert len(papers) == 0 and list(papers.columns) == list(litreview.empty_papers().columns)


def test_the_2026_feed_read_from_a_file() -> None:
    """arXiv's feed since 2025: single-quoted XML declaration, namespaces on the root,
    ``primary_category`` without a scheme, DOIs after the authors, two DOIs in one element."""
    papers, fmt = read_listing_and_format(WEB / "real" / "arxiv_ids.atom", errors="raise")
    assert fmt == "arxiv-atom"
    assert papers["arxiv_id"].tolist() == ["2010.11929", "hep-th/9901001", "math/0211159"]
    assert papers["doi"].tolist()[1] == "10.5555/lrtest.prd.59.064001"
    assert papers["venue"].tolist()[:2] == [
        "ICLR 2021", "Phys.Rev. D59 (1999) 064001; Erratum-ibid. D60 (1999) 109902",
    ]  # fmt: skip
    assert [e["arxiv:primary_category"] for e in papers["extra"]] == ["cs.CV", "hep-th", "math.DG"]
    assert papers["source_line"].tolist() == [10, 35, 55]  # each <entry> line
    empty, fmt = read_listing_and_format(WEB / "real" / "arxiv_empty.atom", errors="raise")
    assert fmt == "arxiv-atom" and len(empty) == 0
