"""Quirks of other tools' table exports: Zotero's columns, Springer's run-together
authors, WoS months, prefixed DOIs, links holding ';', bad dates, records known only
by an identifier, and every column name the tools use."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingWarning
from litreview.readers.table_cells import split_authors
from litreview.readers.table_csv import parse_csv
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "export"


def _read(text: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ListingWarning)
        return litreview.read_listing(text)


def test_zotero_csv_export_maps_its_columns_and_keeps_the_rest() -> None:
    with pytest.warns(ListingWarning) as caught:
        df = litreview.read_listing(FIXTURES / "zotero.csv")
    message = str(caught[0].message)
    # a row with neither title nor identifier is refused; one with a DOI is kept
    assert "zotero.csv:7: expected a title in column 'Title' (or a DOI or arXiv id)" in message
    assert "zotero.csv:5" in message and "kept" in message  # line 2's Extra has 2 lines
    assert len(df) == 4
    first = df.loc[0]
    assert first["title"] == "Machine learning for abstract screening: a systematic review"
    assert first["authors"] == ["Okafor, Chidi", "van der Berg, Jan", "McDonald, Ross"]
    assert first["venue"] == "Research Synthesis Methods"
    assert first["entry_type"] == "article"
    assert (first["published"], first["date_precision"]) == (pd.Timestamp(2019, 6, 1), "month")
    assert first["doi"] == "10.1002/jrsm.1234"
    assert first["citation_key"] == "okafor2019machine"  # Better BibTeX's line in Extra
    assert first["keywords"] == ["screening", "machine learning"]
    for name, value in [("Key", "Q7RZ2KDA"), ("Pages", "201-219"), ("ISSN", "1759-2879")]:
        assert first["extra"][name] == value
    assert first["extra"]["Notes"] == "<p>Read for the protocol</p>"
    assert first["extra"]["Item Type"] == "journalArticle"  # the tool's own word, kept
    assert df.loc[1, "arxiv_id"] == "1706.03762" and df.loc[1, "entry_type"] == "preprint"
    assert df.loc[1, "date_precision"] == "day"
    assert df.loc[3, "entry_type"] == "incollection"
    assert (df.loc[3, "published"], df.loc[3, "date_precision"]) == (
        pd.Timestamp(1998, 1, 1),
        "year",
    )
    assert df.loc[3, "extra"]["Date"] == "ca. 1998"


def test_a_record_without_a_title_is_kept_by_its_doi_or_arxiv_id() -> None:
    text = "Title,DOI,arXiv ID,Year\n,https://doi.org/10.1000/ABC,,\n,,2401.00001v2,\n,,,2020\nKnown,,,\n"
    _cols, problems = parse_csv(text, "t.csv")
    assert [p.line for p in problems] == [2, 3, 4]
    assert [p.kept for p in problems] == [True, True, False]
    df = _read(text)
    assert len(df) == 3 and df["title"].isna().tolist() == [True, True, False]
    assert df.loc[0, "doi"] == "10.1000/ABC" and df.loc[1, "arxiv_id"] == "2401.00001"
    assert df["paper_id"].nunique() == 3
    again = _read("Title,DOI\n,doi:10.1000/abc\n")  # the same DOI, another spelling: same id
    assert again.loc[0, "paper_id"] == df.loc[0, "paper_id"]
    junk = "Title,DOI,URL\n,n/a,\n,,https://arxiv.org/abs/2401.00002\n"  # no DOI in a DOI cell
    cols, problems = parse_csv(junk, "t.csv")
    assert [(p.line, p.kept) for p in problems][:2] == [(2, False), (3, True)]
    assert cols["arxiv_id"] == ["2401.00002"]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Maria SilvaJohn O'Brien", ["Maria Silva", "John O'Brien"]),
        ("John McDonaldLeonardo DiCaprio", ["John McDonald", "Leonardo DiCaprio"]),
        ("Mary O'NeilAna van der BergWei Zhang", ["Mary O'Neil", "Ana van der Berg", "Wei Zhang"]),
        ("Ronald MacArthurÉlise LeBlanc", ["Ronald MacArthur", "Élise LeBlanc"]),
        ("Jean-Luc PicardJosé García", ["Jean-Luc Picard", "José García"]),
        ("A. SmithB. Jones", ["A. Smith", "B. Jones"]),
        ("Wei Zhang", ["Wei Zhang"]),
        ("Smith, J.; Doe, J.", ["Smith, J.", "Doe, J."]),  # separators win
    ],
)
def test_springer_run_together_authors(cell: str, names: list[str]) -> None:
    assert split_authors(cell, run_together=True) == names


def test_only_springer_exports_split_run_together_names() -> None:
    springer = '"Item Title","Authors","Content Type"\n"T","Jane SmithJohn Doe","Article"\n'
    other = 'Title,Authors\nT,"Jane SmithJohn Doe"\n'
    assert _read(springer).loc[0, "authors"] == ["Jane Smith", "John Doe"]
    assert _read(other).loc[0, "authors"] == ["Jane SmithJohn Doe"]


def test_web_of_science_pd_month_with_py() -> None:
    rows = ["MAR 15", "JAN-FEB", "SPR", "DEC", "", "APR 31", "13"]
    text = "PT\tTI\tPD\tPY\n" + "".join(f"J\tT{k}\t{pd_}\t2020\n" for k, pd_ in enumerate(rows))
    _cols, problems = parse_csv(text, "wos.txt")
    df = _read(text)
    got = list(zip(df["published"], df["date_precision"], strict=True))
    assert got == [
        (pd.Timestamp(2020, 3, 15), "day"),
        (pd.Timestamp(2020, 1, 1), "month"),
        (pd.Timestamp(2020, 1, 1), "year"),  # a season: the year only
        (pd.Timestamp(2020, 12, 1), "month"),
        (pd.Timestamp(2020, 1, 1), "year"),
        (pd.Timestamp(2020, 4, 1), "month"),  # no 31 April: the month is kept
        (pd.Timestamp(2020, 1, 1), "year"),  # no month 13: reported, the year kept
    ]
    assert [p.line for p in problems] == [8] and problems[0].kept
    assert df.loc[6, "extra"]["PD"] == "13"


def test_rayyan_year_month_day_columns() -> None:
    text = "key,title,year,month,day\n1,A,2020,Jun,17\n2,B,2020,,17\n"
    text += "3,C,2020,Feb,31\n4,D,2020,Jan,40\n"
    df = _read(text)
    assert list(df["published"]) == [
        pd.Timestamp(2020, 6, 17),
        pd.Timestamp(2020, 1, 1),  # a day without a month says nothing
        pd.Timestamp(2020, 2, 1),  # no 31 February: the month
        pd.Timestamp(2020, 1, 1),
    ]
    assert list(df["date_precision"]) == ["day", "year", "month", "month"]
    assert df.loc[3, "extra"]["day"] == "40"


def test_a_full_date_wins_over_year_and_month() -> None:
    df = _read("Title,Date,Year,Month\nA,2021-05-06,2021,May\nB,,2019,Jun\n")
    assert list(df["published"]) == [pd.Timestamp(2021, 5, 6), pd.Timestamp(2019, 6, 1)]
    assert list(df["date_precision"]) == ["day", "month"]


@pytest.mark.parametrize(
    "cell",
    [
        "10.1000/xyz.1",
        "https://doi.org/10.1000/xyz.1",
        "http://dx.doi.org/10.1000/xyz.1",
        "doi:10.1000/xyz.1",
        "DOI: 10.1000/xyz.1",
        "https://doi.org/10.1000%2Fxyz.1",
    ],
)
def test_doi_cells_lose_their_prefix(cell: str) -> None:
    assert _read(f"Title,DOI\nA,{cell}\n").loc[0, "doi"] == "10.1000/xyz.1"


def test_a_cell_that_is_no_doi_is_kept_in_extra_and_reported() -> None:
    cols, problems = parse_csv("Title,DOI\nA,n/a\n", "t.csv")
    assert cols["doi"] == [None] and cols["extra"] == [{"DOI": "n/a"}]
    assert problems[0].kept and "DOI" in problems[0].expected


def test_a_code_cell_keeps_urls_that_hold_semicolons_and_commas() -> None:
    sici = "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P"
    text = f'Title,Code\nA,"{sici}; https://github.com/a/b,https://gitlab.com/c/d"\nB,n/a\n'
    df = _read(text)
    assert df.loc[0, "code_urls"] == [sici, "https://github.com/a/b", "https://gitlab.com/c/d"]
    assert df.loc[1, "code_urls"] == [] and df.loc[1, "extra"]["Code"] == "n/a"


def test_an_invalid_published_date_keeps_the_paper() -> None:
    text = "Title,Publication Date\nA,not a date\nB,2020-02-30\nC,1982--1983\nD,2021-02-03\n"
    cols, problems = parse_csv(text, "t.csv")
    assert cols["title"] == ["A", "B", "C", "D"]
    assert [(p.line, p.kept) for p in problems] == [(2, True)]  # the others name their year
    df = _read(text)
    assert pd.isna(df.loc[0, "published"]) and pd.isna(df.loc[0, "date_precision"])
    assert df.loc[0, "extra"]["Publication Date"] == "not a date"
    assert df.loc[2, "published"] == pd.Timestamp(1982, 1, 1)  # a range: its first year
    assert df.loc[2, "date_precision"] == "year" and df.loc[2, "extra"]["Publication Date"]
    assert (df.loc[1, "published"], df.loc[1, "date_precision"]) == (
        pd.Timestamp(2020, 2, 1),
        "month",
    )
    assert _read("Title,Year\nOld,1500\nFirst,1000\n")["published"].dt.year.tolist() == [1500, 1000]
    assert df.loc[3, "date_precision"] == "day"


# every column name the issue names, and the others these tools really write
ALIAS_CASES = [
    ("Item Title", "title"),
    ("Document Title", "title"),
    ("primary_title", "title"),
    ("Article Title", "title"),
    ("TI", "title"),
    ("Publication Year", "year"),
    ("publication_year", "year"),
    ("Published Year", "year"),
    ("PY", "year"),
    ("first_authors", "authors"),
    ("Author Full Names", "authors"),
    ("Author", "authors"),
    ("AU", "authors"),
    ("DOI", "doi"),
    ("Item DOI", "doi"),
    ("DI", "doi"),
    ("Link", "url"),
    ("PDF Link", "url"),
    ("URL", "url"),
    ("Abstract Note", "abstract"),
    ("AB", "abstract"),
    ("Author Keywords", "keywords"),
    ("DE", "keywords"),
    ("Manual Tags", "keywords"),
    ("Source title", "venue"),
    ("Publication Title", "venue"),
    ("Journal/Book", "venue"),
    ("Journal", "venue"),
    ("SO", "venue"),
    ("Document Type", "entry_type"),
    ("Item Type", "entry_type"),
    ("Content Type", "entry_type"),
    ("DT", "entry_type"),
    ("Citation Key", "citation_key"),
]


@pytest.mark.parametrize(("header", "column"), ALIAS_CASES)
def test_column_names_of_the_tools(header: str, column: str) -> None:
    values = {
        "title": ("A title", "A title"),
        "year": ("2001", pd.Timestamp(2001, 1, 1)),
        "authors": ("Ann Lee; Bo Kim", ["Ann Lee", "Bo Kim"]),
        "doi": ("10.1000/q", "10.1000/q"),
        "url": ("https://x.org/a.pdf", "https://x.org/a.pdf"),
        "abstract": ("Text.", "Text."),
        "keywords": ("a; b", ["a", "b"]),
        "venue": ("J. Things", "J. Things"),
        "entry_type": ("Article", "article"),
        "citation_key": ("lee2001", "lee2001"),
    }
    cell, expected = values[column]
    title = [] if column == "title" else ["Title"]
    text = ",".join([*title, header]) + "\n" + ",".join([*(["T"] if title else []), cell])
    df = litreview.read_listing(text.replace("; ", ";") + "\n", errors="raise", format="csv")
    target = "published" if column == "year" else column
    assert df.loc[0, target] == expected
    assert header not in df.columns  # mapped, not kept as a column of its own


def test_a_doi_org_link_gives_the_doi_when_no_column_does() -> None:
    text = "title,url,doi\nA,https://doi.org/10.1000/jss.2023.7,\nB,https://x.org/10.1000/b,\n"
    text += "C,https://doi.org/10.1000/c,10.1000/own\n"
    assert _read(text)["doi"].tolist()[:1] == ["10.1000/jss.2023.7"]
    assert pd.isna(_read(text).loc[1, "doi"])  # only a resolver link says it is the DOI
    assert _read(text).loc[2, "doi"] == "10.1000/own"
    assert _read("title,link\nA,http://dx.doi.org/10.1000/d\n").loc[0, "doi"] == "10.1000/d"


def test_database_placeholders_are_no_values() -> None:
    text = (
        "Authors,Title,Year,DOI\n"
        "[No author name available],Guidelines for reporting,2020,\n"
        "[Anonymous],Editorial,2019,\n"
        "Lee A.,[No title available],2018,10.1000/nt\n"
        "Kim B.,[No title available],2018,\n"
    )
    cols, problems = parse_csv(text, "scopus.csv")
    assert cols["authors"] == [[], [], ["Lee A."]]
    assert cols["title"][2] is None  # kept by its DOI, reported as missing a title
    assert [(p.line, p.kept) for p in problems] == [(4, True), (5, False)]
