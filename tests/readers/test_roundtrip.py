"""BibTeX/RIS -> read -> (review) -> BibTeX/RIS keeps every entry's type, key, fields
and values, compared field by field on fixtures shaped like Zotero, JabRef, EndNote and
Web of Science exports."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.ids import normalize_doi
from litreview.readers._bibtex_blocks import RawEntry, parse_blocks
from litreview.readers._dates import month_number
from litreview.readers._latex_text import latex_to_text
from litreview.readers.bibtex import person_name, split_authors
from tests.paths import TESTS

BIB = TESTS / "fixtures" / "bibtex"
RIS = TESTS / "fixtures" / "ris"
#: Tags the RIS writer adds to a record it writes: the DOI it found in a link, our id.
RIS_ADDED = {"DO", "ID"}


def _read(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the untitled record is reported, and kept
        return litreview.read_listing(path)


def _through_review(df: pd.DataFrame, tmp_path: Path) -> pd.DataFrame:
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(df)
        return review.papers


def _names(value: str) -> list[str]:
    return [
        " ".join(latex_to_text(person_name(", ".join(n))).split())
        for n in split_authors(value)
        if [p.lower() for p in n] != ["others"]
    ]


def _same_bibtex_value(name: str, a: str, b: str) -> bool:
    """Two values of a field say the same (what LaTeX prints; names, keywords, months,
    DOIs and links as the tools compare them)."""
    if name in ("author", "editor"):
        return _names(a) == _names(b)
    if name == "keywords":
        return {k.strip() for k in latex_to_text(a).replace(";", ",").split(",")} == {
            k.strip() for k in latex_to_text(b).replace(";", ",").split(",")
        }
    if name == "month":
        return month_number(a) == month_number(b) or a == b
    if name == "doi":
        return normalize_doi(a) == normalize_doi(b)
    if name == "url":
        return a.replace("\\_", "_") == b.replace("\\_", "_")
    return " ".join(latex_to_text(a).split()) == " ".join(latex_to_text(b).split())


def _by_key(text: str) -> dict[str, RawEntry]:
    blocks = parse_blocks(text)
    assert not blocks.broken
    return {e.key: e for e in blocks.entries}


@pytest.mark.parametrize("name", ["zotero_export.bib", "jabref_export.bib"])
@pytest.mark.parametrize("via_review", [False, True])
def test_bibtex_round_trip_keeps_every_field(name: str, via_review: bool, tmp_path: Path) -> None:
    source = (BIB / name).read_text(encoding="utf-8")
    df = _read(BIB / name)
    if via_review:
        df = _through_review(df, tmp_path)
    before, after = _by_key(source), _by_key(litreview.to_bibtex(df))
    assert set(after) == set(before)  # every entry, under its own key
    compared = 0
    for key, entry in before.items():
        out = after[key]
        assert out.entry_type == entry.entry_type, key
        assert set(out.fields) == set(entry.fields), (key, set(out.fields) ^ set(entry.fields))
        for field, value in entry.fields.items():
            assert _same_bibtex_value(field, value, out.fields[field]), (key, field)
            compared += 1
    assert compared >= (60 if name.startswith("zotero") else 30)


def test_bibtex_values_that_matter_come_back_as_written() -> None:
    out = _by_key(litreview.to_bibtex(_read(BIB / "zotero_export.bib")))
    who = out["who_report_2021"].fields
    assert who["year"] == "1875 [2004]" and who["month"] == "Spring"
    assert who["author"] == "{World Health Organization}"  # one corporate author
    assert "Ostergaard" not in out["garcia_efficient_2019"].fields["author"]
    assert out["garcia_efficient_2019"].fields["author"].endswith("and others")
    assert out["knuth_art_1997"].fields["year"] == "1997"
    assert "month" not in out["knuth_art_1997"].fields  # known to the year: no January
    assert out["hf_papers_2024"].fields["date"] == "2024-05-17"
    assert out["nguyen_systematic_2021"].fields["file"].startswith("Full Text PDF:/home/ana")


def _ris_records(text: str) -> list[dict[str, list[str]]]:
    records: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("TY  - "):
            records.append({})
        if len(line) >= 5 and line[2:5] == "  -" and not line.startswith("ER"):
            records[-1].setdefault(line[:2], []).append(line[6:].strip())
    return records


@pytest.mark.parametrize("name", ["zotero_export.ris", "wos_endnote.ris"])
@pytest.mark.parametrize("via_review", [False, True])
def test_ris_round_trip_keeps_every_tag(name: str, via_review: bool, tmp_path: Path) -> None:
    source = (RIS / name).read_text(encoding="utf-8")
    df = _read(RIS / name)
    if via_review:
        df = _through_review(df, tmp_path)
    before, after = _ris_records(source), _ris_records(litreview.to_ris(df))
    assert len(after) == len(before)
    compared = 0
    for old, new in zip(before, after, strict=True):
        assert new["TY"] == old["TY"]
        assert set(new) - RIS_ADDED == set(old) - RIS_ADDED, (old, new)
        for tag, values in old.items():
            if tag == "DO":
                assert [normalize_doi(v) for v in new[tag]] == [normalize_doi(v) for v in values]
            elif tag == "KW":
                assert sorted(new[tag]) == sorted(k.strip() for v in values for k in v.split(";"))
            else:
                assert sorted(new[tag]) == sorted(values), (tag, values, new[tag])
            compared += len(values)
    assert compared >= (50 if name.startswith("zotero") else 15)


def test_ris_dates_keep_their_precision() -> None:
    df = _read(RIS / "zotero_export.ris")
    text = litreview.to_ris(df)
    records = _ris_records(text)
    assert records[2]["PY"] == ["1997"] and "DA" not in records[2]  # no made-up 1997/01/01
    assert records[5]["DA"] == ["Jun"] and records[5]["PY"] == ["2011"]
    assert df.loc[5, "published"] == pd.Timestamp("2011-06-01")
    assert df.loc[5, "date_precision"] == "month"


def test_bibtex_to_ris_maps_the_fields_and_types() -> None:
    records = _ris_records(litreview.to_ris(_read(BIB / "zotero_export.bib")))
    article = records[0]
    assert article["TY"] == ["JOUR"] and article["T2"] == ["Scientific Reports"]
    assert article["VL"] == ["12"] and article["IS"] == ["1"] and article["SP"] == ["4512"]
    assert article["DO"] == ["10.1038/s41598-021-00001-x"] and article["DA"] == ["2021/03"]
    assert (
        records[1]["TY"] == ["CPAPER"] and records[1]["SP"] == ["1"] and records[1]["EP"] == ["12"]
    )
    assert records[2]["TY"] == ["BOOK"] and records[2]["SN"] == ["978-0-201-89683-1"]


def test_ris_to_bibtex_maps_the_tags_and_types() -> None:
    entries = parse_blocks(litreview.to_bibtex(_read(RIS / "zotero_export.ris"))).entries
    article = entries[0]
    assert article.entry_type == "article" and article.fields["journal"] == "Scientific Reports"
    assert article.fields["volume"] == "12" and article.fields["pages"] == "4512"
    assert entries[1].entry_type == "inproceedings" and entries[1].fields["pages"] == "1--12"
    assert entries[3].entry_type == "incollection" and "booktitle" in entries[3].fields
    assert "month" not in entries[2].fields and entries[2].fields["year"] == "1997"


def test_bibtex_through_our_csv_export_loses_nothing() -> None:
    df = _read(BIB / "zotero_export.bib")
    back = litreview.read_listing(litreview.to_csv(df), format="csv")
    assert back["extra"].tolist() == df["extra"].tolist()
    assert litreview.to_bibtex(back) == litreview.to_bibtex(df)
