"""BibTeX files: LaTeX decoded, names turned around, broken entries reported; round trips."""

from __future__ import annotations

import warnings
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
from bibtexparser.model import Entry, Field
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview import read_listing
from litreview.errors import ListingWarning
from litreview.readers.bibtex import latex_to_text, looks_like_bibtex, person_name, split_authors
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    with pytest.warns(ListingWarning) as caught:
        df = litreview.read_listing(CAPTURES / "refs.bib")
    message = str(caught[0].message)
    assert "refs.bib:24: expected a BibTeX entry" in message  # the unclosed brace
    assert "refs.bib:36: expected a title field" in message
    return df


def test_latex_is_decoded(papers: pd.DataFrame) -> None:
    row = papers.iloc[0]
    assert row["title"] == "Café Agents: Tool Use in the Wild"
    assert row["paper_id"] == litreview.paper_id("Café Agents: Tool Use in the Wild")
    assert row["authors"] == ["Jörg Müller", "Jane Doe", "Anna van der Berg"]
    assert row["abstract"] == (
        "Agents that call tools fail in ways benchmarks do not show. "
        "We study 40% of three hundred real sessions & more."
    )
    assert row["arxiv_id"] == "2605.08583"  # from the journal field
    assert row["published"] == pd.Timestamp("2026-05-01")  # year + month
    assert row["keywords"] == ["agents", "tool use", "evaluation"]
    assert (row["source"], row["source_line"]) == ("refs.bib", 4)


def test_eprint_date_others_code_url_and_doi(papers: pd.DataFrame) -> None:
    sparse = papers.iloc[1]
    assert sparse["arxiv_id"] == "2410.05434"  # eprint with a version
    assert sparse["published"] == pd.Timestamp("2024-10-07")
    assert sparse["authors"] == ["Jane Doe"] and pd.isna(sparse["n_authors"])  # "and others"
    assert sparse["code_urls"] == ["https://github.com/example-lab/smr"] and pd.isna(sparse["url"])
    doi = papers.iloc[2]
    assert doi["title"] == "Only a DOI: Learning from α-Divergences"
    assert doi["authors"] == ["John Smith Jr"]
    assert doi["doi"] == "10.18653/v1/P19-1001" and pd.isna(doi["url"])  # the DOI, no made-up URL
    assert pd.isna(doi["arxiv_id"]) and doi["published"] == pd.Timestamp("2019-01-01")
    assert len(papers) == 3
    litreview.validate(papers)


def test_round_trip_through_bibtexparser_writer(tmp_path: Path) -> None:
    library = bibtexparser.Library()
    library.add(
        Entry(
            "misc",
            "k1",
            [
                Field("title", "{S}tructured {P}runing of {LLM}s"),
                Field("author", "Lovelace, Ada and Turing, Alan"),
                Field("year", "2025"),
                Field("month", "3"),
                Field("eprint", "2503.00001"),
                Field("abstract", "We prune 50\\% of weights."),
            ],
        )
    )
    path = tmp_path / "written.bib"
    path.write_text(bibtexparser.write_string(library), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back.loc[0, "title"] == "Structured Pruning of LLMs"
    assert back.loc[0, "authors"] == ["Ada Lovelace", "Alan Turing"]
    assert back.loc[0, "published"] == pd.Timestamp("2025-03-01")
    assert back.loc[0, "arxiv_id"] == "2503.00001"
    assert back.loc[0, "abstract"] == "We prune 50% of weights."


def test_round_trip_through_litreview_export(tmp_path: Path) -> None:
    papers = litreview.read_listing(CAPTURES / "daily_papers.json")
    path = tmp_path / "out.bib"
    path.write_text(litreview.to_bibtex(papers), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back["paper_id"].tolist() == papers["paper_id"].tolist()
    assert back["title"].tolist() == papers["title"].tolist()
    assert back["authors"].tolist() == papers["authors"].tolist()
    assert back["arxiv_id"].tolist() == papers["arxiv_id"].tolist()
    assert back["abstract"].tolist() == papers["abstract"].tolist()
    assert back["keywords"].tolist() == papers["keywords"].tolist()
    # BibTeX keeps year and month only
    assert (back["published"].dt.to_period("M") == papers["published"].dt.to_period("M")).all()


def test_detection_and_names() -> None:
    assert looks_like_bibtex("% comment\n@Article{key,\n")
    assert not looks_like_bibtex("Contact me @home {soon}\n")
    assert person_name("van der Berg, Anna") == "Anna van der Berg"
    assert person_name("Jane Doe") == "Jane Doe"


def test_two_entries_with_one_key_and_different_titles_are_both_kept() -> None:
    text = (
        '@string{acl = "ACL"}\n@misc{k, title={One}}\n\n'
        '@misc{k, title="Two {X}", journal=acl}\n\n@misc{j, title={Same}}\n@misc{j, title={Same}}\n'
    )
    with pytest.warns(ListingWarning, match=r"<text>:4: expected a citation key not used before"):
        df = read_listing(text)
    assert df.title.tolist() == ["One", "Two X", "Same"]  # the identical one is read once
    assert df.source_line.tolist() == [2, 4, 6]


def test_identical_duplicates_merge_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_listing("@misc{j, title={Same}}\n\n@misc{j, title={Same}}\n")
    assert df.title.tolist() == ["Same"]


LATEX_BIB = TESTS / "fixtures" / "bibtex" / "latex_zotero_jabref.bib"


def test_zotero_and_jabref_latex_keeps_its_text() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_listing(LATEX_BIB)
    assert df.title.tolist() == [
        "TeX: The Program",  # was ": The Program"
        "Global report on AI in health-care: 2019–2021 — an overview…",
        "LaTeX and BibTeX for Systematic Reviews: 100% reproducible, typed A B kept unknownword",
        "Costs of $5 & 10% #1 snake_case names: https://example.org/a_b in ACL – notes",
    ]
    assert df.authors.tolist() == [
        ["Donald E. Knuth"],
        ["World Health Organization", "John Smith", "Barnes and Noble, Inc."],
        ["Leslie Lamport", "Ayşe Öztürk"],
        ["Jörg Müller", "Google Brain", "Jean de la Fontaine"],
    ]
    assert df.n_authors.tolist()[1] == 3 and pd.isna(df.n_authors.tolist()[2])  # "and others"
    # a bare % is text (BibTeX keeps it), not a LaTeX comment eating the rest of the line
    assert df.abstract.tolist()[3] == "We gain 40% on X and keep the rest of the line."
    assert df.source_line.tolist() == [4, 13, 23, 32]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\TeX}: The Program", "TeX: The Program"),
        (r"\LaTeX{} and \BibTeX\ files, \TeX is", "LaTeX and BibTeX files, TeX is"),
        (r"\LaTeXe, \XeLaTeX", "LaTeX2e, XeLaTeX"),
        (r"\emph{x} \textit{y} \textbf{z} \textsc{w}", "x y z w"),
        (
            r"\mbox{x} \texttt{y} \url{https://a.org/b_c} \NoCaseChange{GPU}",
            "x y https://a.org/b_c GPU",
        ),
        (r"\foo{bar} baz", "bar baz"),  # an unknown macro: the group that follows stays
        (r"an \unknownword here", "an unknownword here"),  # an unknown bare macro: its name
        (r"health\hyphen{}care, 1\textendash 2, a\textemdash b", "health-care, 1–2, a—b"),
        ("{1}--2 a---b", "1–2 a—b"),
        ("1--2, no markup: not decoded", "1--2, no markup: not decoded"),  # as our writer wrote it
        (r"\ldots \dots", "……"),
        (r"a~b a\,b", "a b a b"),
        (r"\& \% \$ \# \_ \{x\}", "& % $ # _ {x}"),
        (r"Caf\'e {\"O}zt{\"u}rk \c{c} \ss", "Café Öztürk ç ß"),
        (r"{\noopsort{1973b}}1973", "1973"),
        (r"\protect\TeX\relax{} hyph\-en", "TeX hyphen"),
        (r"\copyright\ \textregistered", "© ®"),
        ("a & b, 40% of {X} and more", "a & b, 40% of X and more"),
        ("plain title", "plain title"),
    ],
)
def test_latex_prints_what_latex_prints(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_braced_names_are_not_split() -> None:
    assert split_authors("{World Health Organization} and Smith, John") == [
        ["{World Health Organization}"],
        ["Smith", "John"],
    ]
    assert split_authors("{Barnes and Noble, Inc.} and Doe, Jr, Jane and Anderson") == [
        ["{Barnes and Noble, Inc.}"],
        ["Doe", "Jr", "Jane"],
        ["Anderson"],
    ]
    assert split_authors("Smith, John AND\n Doe, Jane") == [["Smith", "John"], ["Doe", "Jane"]]
    assert split_authors("") == []
    df = read_listing("@misc{k, title={T}, author={{World Health Organization}}}\n")
    assert df.authors[0] == ["World Health Organization"]


_TOKENS = [*"ab {}%&#_$-,.'", "\\%", "\\&", "\\_", "\\{", "\\#"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join))
def test_the_fast_path_prints_what_the_parser_prints(value: str) -> None:
    braces = value.replace("\\{", "")
    if braces.count("{") != braces.count("}") or not any(c in value for c in "\\{}"):
        return  # unbalanced braces are bibtexparser's to refuse; no markup is not decoded
    # "\\relax" prints nothing but sends the value through pylatexenc
    assert latex_to_text(value) == latex_to_text(value + "\\relax")
