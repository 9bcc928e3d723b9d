"""Stable paper ids and title/arXiv normalization."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.ids import (
    PaperIndex,
    arxiv_conflict,
    arxiv_variant_id,
    normalize_arxiv_id,
    normalize_title,
    paper_id,
    paper_ids,
    title_key,
    title_words,
)


def test_case_punctuation_whitespace_and_unicode_form_do_not_matter() -> None:
    base = paper_id("Attention Is All You Need")
    for variant in (
        "attention is all you need",
        "  Attention   Is All You Need!  ",
        "Attention-Is-All-You-Need.",
        "ATTENTION IS ALL YOU NEED",
        "Attention Is\\ All You Need",  # Markdown line-break escape
    ):
        assert paper_id(variant) == base, variant


def test_accents_and_normal_forms_fold_together() -> None:
    nfc = unicodedata.normalize("NFC", "Bézier Curves")
    nfd = unicodedata.normalize("NFD", "Bézier Curves")
    assert paper_id(nfc) == paper_id(nfd) == paper_id("Bezier curves")


def test_different_titles_get_different_ids() -> None:
    assert paper_id("Transformer in Transformer") != paper_id("Transformer Fusion")


def test_id_shape_and_known_value() -> None:
    assert paper_id("Attention Is All You Need") == "12286c43e70e"


def test_punctuation_only_title_still_gets_an_id() -> None:
    assert paper_id("???") != paper_id("!!!")


@given(st.lists(st.text(max_size=40), max_size=20))
def test_batch_ids_equal_single_ids(titles: list[str]) -> None:
    assert paper_ids(titles) == [paper_id(t) for t in titles]


def test_normalize_title_keeps_other_scripts() -> None:
    assert normalize_title("变换器 模型") == "变换器模型"


def test_normalize_arxiv_id() -> None:
    assert normalize_arxiv_id("2401.12345v2") == "2401.12345"
    assert normalize_arxiv_id("arXiv:2401.12345") == "2401.12345"
    assert normalize_arxiv_id("https://huggingface.co/papers/2410.05434") == "2410.05434"
    assert normalize_arxiv_id("https://arxiv.org/pdf/2106.12345v3.pdf") == "2106.12345"
    assert normalize_arxiv_id("hep-th/9901001") == "hep-th/9901001"
    assert normalize_arxiv_id("") is None
    assert normalize_arxiv_id("no id here") is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
            st.text(alphabet="aZ9 !-\x00", max_size=8),
        ),
        max_size=8,
    )
)
def test_ids_in_bulk_equal_ids_one_by_one(titles: list[str]) -> None:
    assert paper_ids(titles) == [paper_id(t) for t in titles]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_title_words_are_the_normalized_title_with_spaces(title: str) -> None:
    words = title_words(title)
    assert words.replace(" ", "") == normalize_title(title)
    assert "  " not in words and words == words.strip()


# -- the "same paper" rule (PaperIndex) ---------------------------------------------------


def test_same_paper_arxiv_first_then_paper_id_then_title() -> None:
    index = PaperIndex()
    assert index.place("p1", "First Title", None) == ("p1", True)
    assert index.place("p2", "Other Title", "2401.00001") == ("p2", True)
    # the same arXiv id wins over a paper_id and a title that name another paper
    assert index.find("p1", title_key("First Title"), "2401.00001") == ("p2", "arxiv")
    # no arXiv id: the paper_id, else the title
    assert index.find("p2", title_key("First Title"), None) == ("p2", "paper_id")
    assert index.find("zz", title_key("first title!"), None) == ("p1", "title")
    # a paper without an arXiv id takes the row's, and is found by it afterwards
    assert index.place("zz", "First Title", "2401.00009") == ("p1", False)
    assert index.find("new", "nothing", "2401.00009") == ("p1", "arxiv")


def test_two_arxiv_ids_never_one_paper_nor_one_id() -> None:
    index = PaperIndex()
    pid = paper_id("Attention")
    assert index.place(pid, "Attention", "1111.11111") == (pid, True)
    other, new = index.place(pid, "Attention", "2222.22222")
    assert new and other == arxiv_variant_id("Attention", "2222.22222") != pid
    assert index.place(pid, "attention", "2222.22222") == (other, False)
    assert index.place(pid, "Attention", None) == (pid, False)  # the first of its title
    assert arxiv_conflict("1111.11111", "2222.22222") and not arxiv_conflict(None, "1")


def test_dois_lose_their_prefixes_and_are_found_in_urls() -> None:
    from litreview.ids import doi_url, find_doi, identifier_id, is_doi_url, normalize_doi

    for raw in (
        "https://doi.org/10.1145/3292500.3330701",
        "http://dx.doi.org/10.1145/3292500.3330701",
        "doi:10.1145/3292500.3330701",
        "DOI: 10.1145/3292500.3330701.",
        "https://doi.org/10.1145%2F3292500.3330701",
    ):
        assert normalize_doi(raw) == "10.1145/3292500.3330701", raw
    assert normalize_doi("10.1000/ABC(1)") == "10.1000/ABC(1)"
    assert find_doi("see (https://doi.org/10.1000/x1).") == "10.1000/x1"
    assert find_doi("https://www.sciencedirect.com/science/article/pii/S0") is None
    assert is_doi_url("https://doi.org/10.1/x") and not is_doi_url("https://example.org/10.1/x")
    assert doi_url("10.1/a b") == "https://doi.org/10.1/a%20b"
    assert identifier_id("10.1/ABC", None) != identifier_id(None, "2401.00001")
    assert identifier_id(None, None) is None


def test_untitled_records_never_match_each_other_by_title() -> None:
    from litreview.ids import PaperIndex

    index = PaperIndex()
    assert index.place("doi-a", "", None) == ("doi-a", True)
    assert index.place("doi-b", "", None) == ("doi-b", True)
