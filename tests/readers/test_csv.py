"""CSV reader: other tools' CSVs map by column name; bad rows become problems."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingError, ListingWarning
from litreview.readers.table_csv import looks_like_csv, parse_csv, split_authors
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "export"


def test_foreign_csv_maps_common_columns_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "zotero.csv"
    path.write_bytes((FIXTURES / "zotero-like.csv").read_bytes())  # with a BOM, as Zotero writes
    df = litreview.read_listing(path, errors="raise")
    assert list(df["title"]) == ["Attention Is All You Need", "Second Paper"]
    assert df.loc[0, "authors"] == ["Vaswani, Ashish", "Shazeer, Noam"]
    assert df.loc[1, "authors"] == ["Ashish Vaswani", "Jane Doe"]
    assert df.loc[0, "n_authors"] == 2
    assert df.loc[0, "published"] == pd.Timestamp("2017-01-01")
    assert df.loc[0, "arxiv_id"] == "1706.03762"
    assert pd.isna(df.loc[1, "arxiv_id"])
    assert df.loc[0, "abstract"] == "We propose, a model."
    assert df.loc[0, "keywords"] == ["nlp", "attention"]  # Zotero's tags: its RIS writes KW
    assert df.loc[0, "doi"] == "10.48550/arXiv.1706.03762"
    assert df.loc[0, "paper_id"] == litreview.paper_id("Attention Is All You Need")
    assert list(df["source_line"]) == [2, 3]
    assert df.loc[1, "sources"] == ["zotero.csv:3"]
    # columns with no match are kept, numbers as numbers
    assert df["Key"].tolist() == ["ABC", "DEF"]
    assert df["Extra"].dtype == "Int64"


def test_dates_and_semicolon_delimiter() -> None:
    text = "title;date;URL\nA;Jan 25, 2025;https://x.org/a\nB;2024-02-03T10:00:00Z;\n"
    df = litreview.read_listing(text, errors="raise")
    assert list(df["published"]) == [pd.Timestamp("2025-01-25"), pd.Timestamp("2024-02-03 10:00")]
    assert df.loc[0, "url"] == "https://x.org/a"


def test_unreadable_rows_are_reported_not_dropped_silently() -> None:
    text = (
        "Title,Date,Extra\nGood,2020-01-01,x\n,2020-01-02,no title\nBad date,Jam 3,x\n"
        'Too,many,fields,here\n"Open quote,2020,x\n'
    )
    cols, problems = parse_csv(text, "t.csv")
    assert cols["title"] == ["Good", "Bad date", "Too"]  # a bad date keeps its paper
    assert list(pd.isna(cols["published"])) == [False, True, True]
    lines = [(p.line, p.expected, p.kept) for p in problems]
    assert lines[0] == (3, "a title in column 'Title' (or a DOI or arXiv id)", False)
    assert lines[1][0] == 4 and "date" in lines[1][1] and lines[1][2]
    assert lines[2][0] == 5 and "date" in lines[2][1]  # extra cells are kept, not a problem
    assert lines[3][0] == 6 and not lines[3][2]
    with pytest.warns(ListingWarning, match="2 block"):
        df = litreview.read_listing(text)
    assert len(df) == 3
    with pytest.raises(ListingError, match="<text>:3"):
        litreview.read_listing(text, errors="raise")


def test_detection_needs_a_title_column() -> None:
    assert looks_like_csv("Title,Authors\nx,y\n")
    assert looks_like_csv("\n  \npaper title\tyear\n")
    assert not looks_like_csv("name,value\n")
    assert not looks_like_csv("@misc{x,\n title={y}}\n")
    assert not looks_like_csv("| Title | Year |\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = litreview.read_listing("Title,Abstract\nOnly,One\n", format="csv")
    assert df.loc[0, "abstract"] == "One"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("A. Smith; B. Jones", ["A. Smith", "B. Jones"]),
        ("Smith, A. and Jones, B.", ["Smith, A.", "Jones, B."]),
        ("Ann Smith, Bo Jones", ["Ann Smith", "Bo Jones"]),
        ("Smith, Ann", ["Smith, Ann"]),
        ("", []),
    ],
)
def test_split_authors(cell: str, names: list[str]) -> None:
    assert split_authors(cell) == names


@pytest.mark.timeout(30)
def test_a_csv_with_twenty_thousand_columns_reads_in_linear_time() -> None:
    # Adding the columns one by one to the DataFrame was quadratic (10k took 13.6 s).
    n = 20_000
    header = "Title," + ",".join(f"c{i}" for i in range(n))
    rows = [f"{title}," + ",".join(str(i * k) for i in range(n)) for k, title in enumerate("AB")]
    df = litreview.read_listing("\n".join([header, *rows]) + "\n", errors="raise")
    assert df.title.tolist() == ["A", "B"]
    assert df["c19999"].tolist() == [0, 19999]
    assert df.shape[1] == len(litreview.schema.PAPER_COLUMNS) + n


def test_a_stray_quote_costs_only_its_own_row() -> None:
    text = 'Title,Abstract\nP1,"one\nP2,two\nP3,"three, x"\n'
    with pytest.warns(ListingWarning, match=r"<text>:2: expected a CSV row with matching quotes"):
        df = litreview.read_listing(text)
    assert df.title.tolist() == ["P2", "P3"]
    assert df.abstract.tolist() == ["two", "three, x"]


def test_a_carriage_return_inside_a_quoted_cell_is_kept(tmp_path: Path) -> None:
    # the csv module sees the lines as written (newline=""), not universal newlines
    text = 'Title,Abstract\r\nA,"x\ry"\r\nB,z\r\n'
    path = tmp_path / "cr.csv"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    for source in (path, text):
        df = litreview.read_listing(source, errors="raise")
        assert df.abstract.tolist() == ["x\ry", "z"]
        assert df.title.tolist() == ["A", "B"]


# --- exports of other tools: fixtures in the shape of each tool's real header -----------

EXPORTS = [  # file, first title, its authors, its year, its DOI, columns kept as they are
    (
        "scopus.csv",
        "Screening prioritisation with active learning: a replication",
        ["Moreau L.", "Okafor C."],
        2021,
        "10.1000/jrm.2021.0042",
        ["EID", "Cited by"],
    ),
    (
        "wos.txt",
        "Screening prioritisation with active learning: a replication",
        ["Moreau, L", "Okafor, C"],
        (2021, 3),
        "10.1000/jrm.2021.0042",
        ["UT", "AF", "DA"],
    ),
    (
        "ieee.csv",
        "Federated Learning for Citation Screening",
        ["A. Kowalski", "B. N'Diaye", "C. Ruiz"],
        2023,
        "10.1109/TKE.2023.1234567",
        ["Author Affiliations", "Article Citation Count"],
    ),
    (
        "springer.csv",
        "Living systematic reviews in practice",
        ["Maria Silva", "John O'Brien"],
        2022,
        "10.1186/s13643-022-00001-x",
        ["Journal Volume"],
    ),
    (
        "pubmed.csv",
        "Automation of study selection: a randomised comparison.",
        ["Okafor C", "Moreau L", "van der Berg J."],
        2021,
        "10.1000/jrm.2021.0042",
        ["PMID", "Citation"],
    ),
    (
        "asreview.csv",
        "Active learning for screening prioritisation",
        ["Moreau, L.", "Okafor, C."],
        2021,
        "10.1000/jrm.2021.0042",  # written https://doi.org/10.1000/jrm.2021.0042
        ["record_id", "included"],
    ),
    (
        "rayyan.csv",
        "Mood and performance in team sports",
        ["Vilarino G.T.", "Andrade A."],
        2023,
        None,
        ["key", "pages"],
    ),
    (
        "covidence.csv",
        "Exercise therapy for low back pain: a randomised trial",
        ["Smith, J.", "Garcia, M.", "Lee, K."],
        (2018, 6),
        "10.1000/sr.2018.33",
        ["Covidence #", "Accession Number"],
    ),
    (
        "excel-semicolon.csv",
        "Evidenzsynthese mit Sprachmodellen",
        ["Müller, A.", "Rossi, B."],
        2024,
        "10.1000/ev.2024.1",
        ["Score"],
    ),
]


@pytest.mark.parametrize(("name", "title", "authors", "year", "doi", "kept"), EXPORTS)
def test_exports_of_other_tools_read_with_nothing_lost(
    name: str,
    title: str,
    authors: list[str],
    year: int | tuple[int, int],
    doi: str | None,
    kept: list[str],
) -> None:
    df = litreview.read_listing(FIXTURES / name, errors="raise")
    assert df.loc[0, "title"] == title
    assert df.loc[0, "authors"] == authors
    assert df.loc[0, "n_authors"] == len(authors)
    year, month = year if isinstance(year, tuple) else (year, 1)  # WoS PD, Covidence's month
    assert df.loc[0, "published"] == pd.Timestamp(year, month, 1)
    if doi is not None:
        assert df.loc[0, "doi"] == doi
    for column in kept:  # no place in the schema: kept as it is, and in extra, not dropped
        assert column in df.columns
        assert df.loc[0, "extra"][column] == str(df.loc[0, column])
    assert df["title"].notna().all() and len(df) >= 2


def test_scopus_cells_past_the_header_are_kept_as_columns() -> None:
    df = litreview.read_listing(FIXTURES / "scopus.csv", errors="raise")
    assert df.loc[0, "column_48"] == "All Open Access; Green Open Access"
    assert pd.isna(df.loc[1, "column_48"])  # a shorter row: padded, not refused
    assert df.loc[0, "url"].startswith("https://www.scopus.com/inward/record.uri?eid=")
    assert df.loc[0, "keywords"] == ["active learning", "systematic review"]


def test_web_of_science_tab_delimited_txt_is_read_by_its_content() -> None:
    df = litreview.read_listing(FIXTURES / "wos.txt", errors="raise")
    assert df["title"].tolist()[1] == "Deduplicating bibliographic records at scale"
    assert df.loc[0, "abstract"] == "We replicate a screening study; results hold."
    assert df.loc[0, "UT"] == "WOS:000600000000001"
    assert df.loc[0, "DA"] == "2024-05-01"  # WoS's DA is the export date, not publication


def test_a_comma_inside_a_tab_header_name_does_not_make_it_comma_separated() -> None:
    text = "Title\tAuthors\tJournal, Series\tYear\nA\tX Y\tJ, S\t2020\n"
    cols, problems = parse_csv(text, "t.txt")
    assert problems == []
    assert cols["title"] == ["A"] and list(cols["Journal, Series"]) == ["J, S"]


def test_a_tsv_suffix_means_tab(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    path.write_text("Title\tNote, or remark\nA, B and C\tx\n", encoding="utf-8")
    df = litreview.read_listing(path, errors="raise")
    assert df["title"].tolist() == ["A, B and C"]


def test_column_names_of_other_tools_map_to_the_schema() -> None:
    text = (
        "primary_title,first_authors,publication_year,Item DOI,PDF Link\n"
        "A study,Ann Lee; Bo Kim,1999,doi:10.1000/x,https://x.org/a.pdf\n"
    )
    cols, problems = parse_csv(text, "t.csv")
    assert problems == []
    assert cols["title"] == ["A study"] and cols["authors"] == [["Ann Lee", "Bo Kim"]]
    assert str(cols["published"][0])[:10] == "1999-01-01"
    assert list(cols["doi"]) == ["10.1000/x"] and cols["url"] == ["https://x.org/a.pdf"]


def test_unescaped_inner_quotes_keep_the_row_and_the_rows_after_it() -> None:
    text = (
        'Title,Year\n"He said "hi" there",2020\n"The "living" review, revisited",2021\nNext,2022\n'
    )
    cols, problems = parse_csv(text, "t.csv")
    assert problems == []
    assert cols["title"] == ['He said "hi" there', 'The "living" review, revisited', "Next"]


VENUES = {  # file: (venue, entry type, date precision) of its first two rows
    "scopus.csv": (
        ["Journal of Review Methods", "Proceedings of the Workshop on Evidence Synthesis"],
        ["article", "inproceedings"],
        ["year", "year"],
    ),
    "wos.txt": (
        ["JOURNAL OF REVIEW METHODS", "PROCEEDINGS OF THE WORKSHOP ON EVIDENCE SYNTHESIS"],
        ["article", "inproceedings"],
        ["month", "year"],
    ),
    "ieee.csv": (
        ["IEEE Transactions on Knowledge Engineering", "2022 IEEE Conference on Data Science"],
        ["article", "inproceedings"],  # from its Document Identifier
        ["year", "year"],
    ),
    "springer.csv": (
        ["Systematic Reviews", "Advances in Information Retrieval"],
        ["article", "incollection"],
        ["year", "year"],
    ),
    "pubmed.csv": (["J Rev Methods", "Evid Synth"], [None, None], ["year", "year"]),
    "rayyan.csv": (["Journal of Sport Science", None], [None, None], ["year", "year"]),
    "covidence.csv": (["Spine Research", "Back Care"], [None, None], ["month", "year"]),
}


@pytest.mark.parametrize("name", VENUES)
def test_venue_entry_type_and_date_precision_of_each_export(name: str) -> None:
    df = litreview.read_listing(FIXTURES / name, errors="raise")
    venues, types, precisions = VENUES[name]
    assert [None if pd.isna(v) else v for v in df["venue"][:2]] == venues
    assert [None if pd.isna(v) else v for v in df["entry_type"][:2]] == types
    assert list(df["date_precision"][:2]) == precisions


def test_a_stray_quote_closed_by_the_quote_opening_a_later_cell_costs_only_its_row() -> None:
    # the quote before ';0' opens that cell: it does not close the stray one above, so
    # the rows between are read, not swallowed into the stray row's title (fuzz-found)
    text = 'Title;Authors;Year\n"an open quote; never closed\nKept;Ana;2020\n0;";0";2021\n'
    with pytest.warns(ListingWarning):
        titles = litreview.read_listing(text, format="csv")["title"].tolist()
    assert titles[-2:] == ["Kept", "0"]
