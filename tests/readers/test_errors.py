"""The only exception read_listing and read_listings raise for bad input is ListingError,
naming the file and line; UTF-16 and UTF-8 with a BOM are read."""

from __future__ import annotations

import codecs
import contextlib
import gc
import warnings
from pathlib import Path

import pytest

import litreview
from litreview import ListingError, ListingWarning, read_listing, read_listings


def test_a_directory_is_a_listing_error(tmp_path: Path) -> None:
    with pytest.raises(ListingError, match=r"expected a listing file, got a directory"):
        read_listing(tmp_path)
    with pytest.raises(ListingError, match=str(tmp_path.name)):
        read_listings([tmp_path])


@pytest.mark.parametrize("source", ["\x00", "Title\x00", "\x00\x00daily.txt"])
def test_a_nul_in_a_string_is_text_not_a_path(source: str) -> None:
    # no path can hold a NUL: such a string was passed to open() and raised ValueError
    with pytest.raises(ListingError, match=r"<text>: not a listing format"):
        read_listing(source)
    with pytest.raises(ListingError):
        read_listings([source])


def test_json_nested_deeply_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('[{"title": "A"},\n' + "[" * 5000 + "]" * 5000 + "]\n", encoding="utf-8")
    with pytest.raises(ListingError, match=r"deep\.json:2: expected JSON nested at most 200"):
        read_listing(path)


def test_json_with_text_after_the_list_is_refused() -> None:
    with pytest.raises(ListingError, match=r"<text>:2: invalid JSON \(extra data"):
        read_listing('[\n]{"title": "A lost paper"}\n', format="hf-json")


def test_bibtex_braces_nested_deeply_cost_only_their_entry() -> None:
    deep = "{" * 600 + "x" + "}" * 600
    text = f"@misc{{a, title={{{deep}}}}}\n\n@misc{{b, title={{Kept}}}}\n"
    with pytest.warns(ListingWarning, match=r"<text>:1: expected braces nested less deeply"):
        df = read_listing(text)
    assert df.title.tolist() == ["Kept"]


@pytest.mark.parametrize("fmt", [None, "csv", "bibtex", "ris", "hf-text", "hf-markdown"])
def test_lone_surrogates_in_text_are_a_listing_error_with_the_line(fmt: str | None) -> None:
    text = "Title,Year\nA paper,2020\nB \udc80 paper,2021\n"
    with pytest.raises(ListingError, match=r"<text>:3: expected Unicode text.*U\+DC80"):
        read_listing(text, format=fmt)


def test_lone_surrogates_in_a_text_stream_are_a_listing_error() -> None:
    import io

    with pytest.raises(ListingError, match=r":3: expected Unicode text"):
        read_listing(io.StringIO("Title,Year\nA,2020\nB \ud800,2021\n"))


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_files_with_a_bom_are_decoded(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = litreview.SAMPLE_LISTING.read_text(encoding="utf-8")
    path = tmp_path / "sample.txt"
    path.write_bytes(bom + text.encode(encoding))
    df = read_listing(path, errors="raise")
    sample = read_listing(litreview.SAMPLE_LISTING)
    columns = ["title", "abstract", "published", "n_authors", "comments", "source_line"]
    assert df[columns].equals(sample[columns])
    csv_path = tmp_path / "papers.csv"
    csv_path.write_bytes(bom + "Title,Year\nÜber papers,2020\n".encode(encoding))
    assert read_listing(csv_path).title.tolist() == ["Über papers"]


def test_utf16_bytes_from_a_binary_stream_are_decoded() -> None:
    import io

    data = codecs.BOM_UTF16_LE + "Title,Year\nA,2020\n".encode("utf-16-le")
    assert read_listing(io.BytesIO(data)).title.tolist() == ["A"]


def test_broken_utf16_is_a_listing_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "Title\nA\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(ListingError, match=r"bad\.csv: not UTF-16-LE text"):
        read_listing(path)


def test_a_csv_read_as_csv_without_a_title_column_is_a_listing_error() -> None:
    with pytest.raises(ListingError, match=r"<text>:1: expected a CSV header row with a title"):
        read_listing("0\n1\n", format="csv")


@pytest.mark.parametrize(
    "text",
    [
        "Title,Year\nA,99999999999999999999\n",
        "paper_id,title,comments\na,A,1e400\n",
        '[{"title": "A", "upvotes": 1e400, "numComments": NaN}]\n',
        "TY  - JOUR\nTI  - A\nPY  - 99999\nER  - \n",
    ],
)
def test_overflowing_values_never_escape_as_other_exceptions(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            df = read_listing(text)
        except ListingError:
            return
    assert df.title.tolist() == ["A"]


def test_a_missing_path_is_a_listing_error_and_a_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(ListingError, match="listing not found") as caught:
        litreview.read_listing(missing)
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize(
    ("name", "text"),
    [("empty.csv", ""), ("empty.bib", ""), ("blank.txt", "\n\n"), ("odd.bib", "id,title\n1,A\n")],
)
def test_no_file_handle_is_left_open(tmp_path: Path, name: str, text: str) -> None:
    """An empty file or a refused one is closed at once, not left to the garbage
    collector (it showed as 'ResourceWarning: unclosed file')."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(ListingError):
            read_listing(path)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
