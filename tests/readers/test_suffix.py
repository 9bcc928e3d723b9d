"""A file whose suffix names a format is read as that format, never sniffed as another."""

from __future__ import annotations

from pathlib import Path

import pytest

import litreview
from litreview import ListingError, read_listing
from litreview.readers.merge import read_listing_and_format
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"
# A CSV export whose note cell holds a pasted citation, a line of it starting with "@misc{".
CITED = 'Title,Note\nFirst paper,"see:\n@misc{x, title={Pasted}}"\nSecond paper,ok\n'


def test_a_csv_with_a_pasted_citation_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CITED, encoding="utf-8")
    df, fmt = read_listing_and_format(path)
    assert fmt == "csv"
    assert df.title.tolist() == ["First paper", "Second paper"]
    assert df.loc[0, "note"] == "see:\n@misc{x, title={Pasted}}"


def test_content_sniffing_also_prefers_a_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"  # an unknown suffix: the content decides
    path.write_text(CITED, encoding="utf-8")
    assert read_listing(path).title.tolist() == ["First paper", "Second paper"]
    assert read_listing(CITED).title.tolist() == ["First paper", "Second paper"]


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [(".bib", "bibtex"), (".ris", "ris"), (".json", "hf-json"), (".md", "hf-markdown")],
)
def test_a_suffix_that_does_not_match_the_content_is_refused(
    tmp_path: Path, suffix: str, expected: str
) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_text("Title,Note\nFirst paper,ok\n", encoding="utf-8")
    with pytest.raises(ListingError, match=rf"export\{suffix}: expected {expected} .*reads as csv"):
        read_listing(path)


def test_an_explicit_format_still_wins(tmp_path: Path) -> None:
    path = tmp_path / "export.bib"
    path.write_text(CITED, encoding="utf-8")
    assert read_listing(path, format="csv").title.tolist() == ["First paper", "Second paper"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("refs.bib", "bibtex"),
        ("refs.ris", "ris"),
        ("daily_papers.json", "hf-json"),
        ("daily.md", "hf-markdown"),
        ("daily-linked.txt", "hf-linked-text"),
        ("daily-plain.txt", "hf-text"),
    ],
)
def test_each_fixture_is_read_as_its_suffix_says(name: str, expected: str) -> None:
    with pytest.warns(litreview.ListingWarning) if name.endswith((".bib", ".ris")) else _quiet():
        assert read_listing_and_format(CAPTURES / name, year=2026)[1] == expected


def test_tsv_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "papers.tsv"
    path.write_text("Title\tYear\nA tab paper\t2020\n", encoding="utf-8")
    assert read_listing(path).title.tolist() == ["A tab paper"]


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
