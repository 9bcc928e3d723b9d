"""The plain-text Hugging Face reader: every sample paper, encodings, bad input."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview import ListingError, ListingWarning, read_listing
from litreview.schema import PAPER_COLUMNS
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "hf_text"
EXPECTED = json.loads((FIXTURES / "sample_expected.json").read_text(encoding="utf-8"))
SAMPLE_TEXT = litreview.SAMPLE_LISTING.read_text(encoding="utf-8")


def oracle_abstracts(text: str) -> list[str]:
    """Abstracts found independently: the line three above each '·' line."""
    lines = text.split("\n")
    return [lines[i - 3] for i, line in enumerate(lines) if line == "·"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_listing(litreview.SAMPLE_LISTING)


def test_sample_has_36_papers_with_every_schema_column(sample: pd.DataFrame) -> None:
    assert len(sample) == 36
    assert list(sample.columns) == list(PAPER_COLUMNS)
    for column, dtype in PAPER_COLUMNS.items():
        assert sample[column].dtype == dtype, column
    litreview.validate(sample)


def test_every_sample_paper_matches_the_file(sample: pd.DataFrame) -> None:
    abstracts = oracle_abstracts(SAMPLE_TEXT)
    assert len(EXPECTED) == len(abstracts) == 36
    for row, expected, abstract in zip(sample.itertuples(), EXPECTED, abstracts, strict=True):
        assert row.title == expected["title"]
        assert row.abstract == abstract
        assert row.abstract.startswith(expected["abstract_start"])
        assert len(row.abstract) == expected["abstract_chars"]
        assert row.n_authors == expected["n_authors"]
        assert row.published == pd.Timestamp(expected["published"])
        assert row.comments == expected["comments"]
        assert row.source == "hf-papers-transformers.txt"
        assert row.source_line == expected["line"]
        assert row.sources == [f"hf-papers-transformers.txt:{expected['line']}"]
        assert row.authors == [] and row.keywords == []
        assert pd.isna(row.upvotes) and pd.isna(row.arxiv_id) and pd.isna(row.organization)


def test_sample_comment_counts(sample: pd.DataFrame) -> None:
    with_comments = dict(zip(sample.title, sample.comments, strict=True))
    assert with_comments["Transformer in Transformer"] == 1
    assert (
        with_comments["TokenFormer: Rethinking Transformer Scaling with Tokenized Model Parameters"]
        == 5
    )
    assert sample.comments.sum() == 10


def test_sample_code_links_come_out_clean(sample: pd.DataFrame) -> None:
    code = {u for urls in sample.code_urls for u in urls}
    assert "https://github.com/AVC2-UESTC/CRAFT-SR" in code
    assert {
        "https://github.com/HiDream-ai/HiDream-I1",
        "https://github.com/HiDream-ai/HiDream-E1",
    } <= code
    assert "https://gitee.com/mindspore/models/tree/master/research/cv/TNT" in code
    assert "https://github.com/yitu-opensource/T2T-ViT" in code
    for url in code:
        assert not re.search(r"[.,)/]$|\.git$", url), url
    projects = {u for urls in sample.project_urls for u in urls}
    assert projects == {"https://vivago.ai/studio", "http://people.csail.mit.edu/bpan/ia-red"}


def test_ids_are_stable_and_unique(sample: pd.DataFrame, tmp_path: Path) -> None:
    again = read_listing(litreview.SAMPLE_LISTING)
    from_text = read_listing(SAMPLE_TEXT)
    copy = tmp_path / "copy.txt"
    copy.write_text(SAMPLE_TEXT, encoding="utf-8")
    with copy.open(encoding="utf-8") as handle:
        from_handle = read_listing(handle)
    for other in (again, from_text, from_handle, read_listing(str(copy))):
        assert other.paper_id.tolist() == sample.paper_id.tolist()
    assert sample.paper_id.is_unique
    assert sample.paper_id.str.fullmatch(r"[0-9a-f]{12}").all()


def test_text_source_is_named_text() -> None:
    assert set(read_listing(SAMPLE_TEXT).source) == {"<text>"}


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param(lambda t: t.rstrip("\n"), id="no-final-newline"),
        pytest.param(lambda t: t + "\n\n\n", id="extra-blank-lines"),
    ],
)
def test_encodings_and_line_endings_read_the_same(transform, sample, tmp_path: Path) -> None:
    path = tmp_path / "listing.txt"
    path.write_bytes(transform(SAMPLE_TEXT).encode("utf-8"))
    df = read_listing(path, errors="raise")
    cols = ["paper_id", "title", "abstract", "n_authors", "published", "comments", "source_line"]
    pd.testing.assert_frame_equal(df[cols], sample[cols])


def test_bytes_handle_is_decoded(sample: pd.DataFrame) -> None:
    df = read_listing(io.BytesIO(SAMPLE_TEXT.encode("utf-8")))
    assert df.paper_id.tolist() == sample.paper_id.tolist()


def test_empty_file_gives_empty_frame_with_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    for source in (path, "", "\n\n  \n"):
        df = read_listing(source)
        assert len(df) == 0
        assert {c: df[c].dtype for c in df.columns} == PAPER_COLUMNS


def test_missing_file_raises_file_not_found_with_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match=r"nope\.txt"):
        read_listing(missing)


def test_binary_file_raises_listing_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ListingError, match=r"image\.png"):
        read_listing(path)


def test_non_utf8_file_raises_listing_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = SAMPLE_TEXT.replace("Transformer in Transformer", "Transformér in Transformer")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(ListingError, match=r"latin1\.txt:\d+: not UTF-8"):
        read_listing(path)


def test_unknown_format_names_file_and_formats_tried(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing like a listing\n", encoding="utf-8")
    with pytest.raises(ListingError, match=r"notes\.txt: .*tried .*hf-text"):
        read_listing(path)


BROKEN = """Daily Papers

Good One

First abstract.

  • 3 authors
·
Jan 5, 2024

Broken Date Paper

An abstract whose date is wrong.

  • 2 authors
·
Jam 99, 2024

Orphan paragraph with no author line

Good Two

Second abstract, after the broken ones.

  • 4 authors
·
Feb 1, 2024 7
"""


def test_broken_blocks_are_reported_and_later_papers_kept() -> None:
    with pytest.warns(ListingWarning) as caught:
        df = read_listing(BROKEN)
    assert df.title.tolist() == ["Good One", "Good Two"]
    assert df.comments.tolist() == [0, 7]
    message = str(caught[0].message)
    assert "<text>:15" in message and "Jam 99, 2024" in message  # the bad date block
    assert "<text>:11" in message and "Broken Date Paper" in message  # the paper it belonged to
    assert "<text>:19" in message and "Orphan paragraph" in message
    assert "expected" in message


def test_errors_raise_stops_at_first_problem_with_location() -> None:
    with pytest.raises(ListingError, match=r"<text>:15: expected an author line") as info:
        read_listing(BROKEN, errors="raise")
    assert info.value.problems[0].line == 15


def test_errors_ignore_is_quiet() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_listing(BROKEN, errors="ignore")
    assert len(df) == 2


def test_bad_errors_argument() -> None:
    with pytest.raises(ValueError, match="errors must be"):
        read_listing(SAMPLE_TEXT, errors="loud")  # type: ignore[arg-type]


def test_text_after_last_paper_is_reported() -> None:
    with pytest.warns(ListingWarning, match="Company"):
        df = read_listing(BROKEN + "\nCompany\n\nTerms of service\n")
    assert len(df) == 2


def test_yearless_dates_take_the_year_argument() -> None:
    text = "Title A\n\nAbstract A.\n\n  • 1 authors\n·\nMay 29 3\n"
    df = read_listing(text, year=2024)
    assert df.published[0] == pd.Timestamp("2024-05-29")
    assert df.comments[0] == 3
    assert df.n_authors[0] == 1


def test_organization_instead_of_author_count() -> None:
    text = "Title A\n\nAbstract A.\n\n  • NVIDIA\n·\nMay 29, 2025\n"
    df = read_listing(text)
    assert df.organization[0] == "NVIDIA"
    assert pd.isna(df.n_authors[0])


def test_wrapped_lines_and_missing_abstract_take_the_slow_path() -> None:
    text = (
        "A Title Wrapped\nOver Two Lines\n\nAbstract line one\nline two.\n\n"
        "  • 2 authors\n·\nJan 1, 2020\n\n"
        "Lonely Title\n\n  • 1 author\n·\nJan 2, 2020\n"
    )
    with pytest.warns(ListingWarning, match="an abstract paragraph"):
        df = read_listing(text)
    assert df.title.tolist() == ["A Title Wrapped Over Two Lines", "Lonely Title"]
    assert df.abstract[0] == "Abstract line one line two."
    assert pd.isna(df.abstract[1])
    assert df.source_line.tolist() == [1, 11]


def test_a_missing_blank_line_after_the_page_date_is_reported_not_glued_to_the_title() -> None:
    lines = litreview.SAMPLE_LISTING.read_text(encoding="utf-8").split("\n")
    at = lines.index("Jan 2")
    assert lines[at + 1] == ""
    damaged = "\n".join(lines[: at + 1] + lines[at + 2 :])
    with pytest.warns(litreview.ListingWarning, match=r"blank line after the page's 'Jan 2'"):
        df = read_listing(damaged)
    assert df.loc[0, "title"].startswith("Doracamom:")  # not "Jan 2 Doracamom…"
    assert df.title.equals(read_listing(litreview.SAMPLE_LISTING).title)


def test_a_missing_blank_line_between_papers_costs_neither() -> None:
    lines = litreview.SAMPLE_LISTING.read_text(encoding="utf-8").split("\n")
    at = lines.index("Jan 25, 2025")
    assert lines[at + 1] == ""
    damaged = "\n".join(lines[: at + 1] + lines[at + 2 :])
    with pytest.warns(litreview.ListingWarning, match=r"blank line after the date line"):
        df = read_listing(damaged)
    sample = read_listing(litreview.SAMPLE_LISTING)
    columns = ["title", "abstract", "published", "n_authors", "comments"]
    assert df[columns].equals(sample[columns])


def test_a_missing_blank_line_between_title_and_abstract_is_reported() -> None:
    lines = litreview.SAMPLE_LISTING.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Doracamom:"))
    assert lines[at + 1] == ""
    damaged = "\n".join(lines[: at + 1] + lines[at + 2 :])
    with pytest.warns(litreview.ListingWarning, match=r"blank line between the title and"):
        df = read_listing(damaged)
    sample = read_listing(litreview.SAMPLE_LISTING)
    assert df.title.tolist() == sample.title.tolist()  # not "Jan 2" as the title
    assert df.abstract.tolist() == sample.abstract.tolist()
