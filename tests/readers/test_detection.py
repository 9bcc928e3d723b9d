"""Format detection by evidence: the most confident reader wins; when none is, or the
page capture picked holds no paper, one ListingError says what each format expected."""

from __future__ import annotations

import contextlib
import gc
import warnings
from pathlib import Path

import pytest

import litreview
from litreview import ListingError
from litreview.readers.listing import READERS, read_listing_and_format
from tests.paths import FIXTURES

SAMPLE = litreview.SAMPLE_LISTING.read_text(encoding="utf-8")


def test_the_plain_copy_with_a_paper_url_on_its_own_line_is_still_the_plain_copy() -> None:
    """A URL line and the "·" lines also fit the linked-text reader, which the order
    of the readers tried first (it read nothing and warned about every block)."""
    at = SAMPLE.index("\n\n", SAMPLE.index("Doracamom")) + 2
    text = SAMPLE[:at] + "https://huggingface.co/papers/2501.00001\n\n" + SAMPLE[at:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the stray URL line is reported, once
        df, fmt = read_listing_and_format(text)
    assert fmt == "hf-text"
    assert len(df) == 36


def test_no_confident_reader_names_every_format_and_what_it_expects() -> None:
    with pytest.raises(ListingError) as caught:
        litreview.read_listing("just some notes\nnothing like a listing\n")
    message = str(caught.value)
    assert "it starts with 'just some notes'" in message
    for reader in READERS:
        assert f"{reader.name}: {reader.expects}" in message


def test_a_page_capture_with_no_paper_is_one_error_not_a_warning_per_block() -> None:
    page = "https://huggingface.co/papers/2401.0000"
    text = "".join(
        f"Title {i}\n\n{page}{i}\n\nAbstract.\n\n{page}{i}\n\n·\n\nnot a date\n\n" for i in range(5)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            ListingError, match=r"no paper found: it looked like hf-linked-text"
        ) as e:
            litreview.read_listing(text)
    assert len(e.value.problems) == 5
    assert litreview.read_listing(text, errors="ignore").empty  # asked to be quiet: no error
    with pytest.warns(litreview.ListingWarning):  # named explicitly: read as asked
        litreview.read_listing(text, format="hf-linked-text")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.txt", "just some notes\nnothing like a listing\n"),
        ("broken.txt", "Title\n\nhttps://huggingface.co/papers/2401.00001\n\n·\n\nnot a date\n"),
        ("broken.md", "### [T](https://huggingface.co/papers/2401.00001)\n\nno date\n"),
        ("empty.md", ""),
    ],
)
def test_no_file_handle_is_left_open_when_detection_refuses(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        warnings.simplefilter("ignore", litreview.ListingWarning)
        with contextlib.suppress(ListingError):
            litreview.read_listing(path)
        gc.collect()


@pytest.mark.parametrize(
    ("name", "expected", "papers"),
    [
        ("hf_pages/daily-copy.txt", "hf-text", 3),
        ("hf_pages/paper-clipper.md", "hf-paper-page", 1),
        ("hf_pages/paper-copy.txt", "hf-paper-page", 1),
        ("hf_pages/paper-jina.md", "hf-paper-page", 1),
        ("hf_pages/search-reference.md", "hf-markdown", 3),
        ("hf_pages/trending-headings.md", "hf-markdown", 2),
        ("hf_pages/trending.md", "hf-markdown", 3),
        ("captures/daily-linked.txt", "hf-linked-text", 4),
        ("captures/daily-plain.txt", "hf-text", 4),
        ("captures/daily.md", "hf-markdown", 5),
    ],
)
def test_each_capture_given_as_text_is_told_by_its_content(
    name: str, expected: str, papers: int
) -> None:
    """No suffix to go by: the evidence alone picks the reader (several fit most of them:
    a paper page and a Markdown page also have the "·" and "•" lines of the plain copy)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    df, fmt = read_listing_and_format(text, year=2026, errors="raise")
    assert (fmt, len(df)) == (expected, papers)
