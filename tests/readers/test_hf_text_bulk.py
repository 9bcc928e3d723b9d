"""The bulk path of the plain-text reader: which papers it takes and which it leaves
to the line-by-line parser (that both give the same table is a property test in
test_sources_hf_text_properties.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview import ListingError, read_listing
from litreview.readers._dates import DayNumbers
from litreview.readers.hf_text.bulk import Lines, read_papers


def paper(
    title: str, abstract: str = "An abstract.", dot: str = "·", date: str = "Jan 2, 2024"
) -> str:
    return f"{title}\n\n{abstract}\n\n  • 3 authors\n{dot}\n{date}\n"


def bulk(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return read_papers(Lines.of(data, 0, len(data))).titles


def test_usual_papers_are_read_in_bulk_with_every_field() -> None:
    data = (paper("A") + "\n" + paper("B", date="Sept 30, 2021 12")).encode()
    papers = read_papers(Lines.of(data, 0, len(data)))
    assert papers.titles == ["A", "B"]
    assert papers.abstracts == ["An abstract.", "An abstract."]
    assert papers.n_authors == [3, 3]
    assert papers.comments == [0, 12]
    assert papers.dots.tolist() == [5, 13]
    assert papers.runs() == [(0, 2)]


@pytest.mark.parametrize(
    "text",
    [
        paper("·"),  # the line parser reads a lone "·" as an author/date block
        paper("• Bullet title"),
        paper("T", abstract="  "),  # blank once stripped
        paper("T", date="Feb 30, 2024"),  # no such day
        paper("T", date="Jan 2 2024"),  # not the strict date
        paper("T", dot="· x"),
        "Wrapped\ntitle\n\n" + paper("T").split("\n\n", 1)[1],
    ],
)
def test_unusual_papers_are_left_to_the_line_parser(text: str) -> None:
    assert bulk(text) == []


def test_a_nul_in_an_author_line_cannot_shift_the_blocks_read_at_once() -> None:
    # joined with NUL separators, "x\0  • 3 authors…" would match after its own NUL
    glued = paper("B").replace("  • 3 authors", "x\x00  • 3 authors")
    assert bulk(paper("A") + "\n" + glued + "\n" + paper("C")) == ["A", "C"]


def test_dot_line_may_carry_trailing_spaces() -> None:
    assert bulk(paper("T", dot="·  \t")) == ["T"]


def test_text_between_papers_splits_the_runs() -> None:
    data = (paper("A") + "\nStray paragraph\n\n" + paper("B") + "\n" + paper("C")).encode()
    papers = read_papers(Lines.of(data, 0, len(data)))
    assert papers.titles == ["A", "B", "C"]
    assert papers.runs() == [(0, 1), (1, 3)]


def test_bytes_that_are_not_utf8_are_left_to_the_line_parser_which_names_the_line(
    tmp_path: Path,
) -> None:
    broken = paper("B").encode().replace(b"An abstract", b"\xff\xfe")
    assert bulk(paper("A").encode() + b"\n" + broken) == ["A"]
    # past the first 64 KiB (read for format detection), so the reader meets it
    before = "Daily Papers\n\n" + "\n".join(paper(f"A{i}") for i in range(2000)) + "\n"
    path = tmp_path / "listing.txt"
    path.write_bytes(before.encode() + broken)
    line = before.count("\n") + 3  # title, blank, then the abstract
    with pytest.raises(ListingError, match=rf"listing.txt:{line}: not UTF-8"):
        read_listing(path)


def test_a_region_is_read_from_start_to_end_only() -> None:
    data = ("xx\n\n" + paper("A") + "\n" + paper("B")).encode()
    end = data.index(b"\nB") - 1  # up to the blank line before B
    lines = Lines.of(data, 4, end)
    assert lines.starts[0] == 4
    assert read_papers(lines).titles == ["A"]


def test_day_numbers_memo_is_bounded_and_exact() -> None:
    memo = DayNumbers(limit=2)
    assert [memo[b"Jan 1, 1970"], memo[b"Jan 2, 1970"], memo[b"Sept 30, 2021"]] == [0, 1, 18900]
    assert len(memo) == 1  # emptied at the limit, then the new date
    assert memo[b"Feb 29, 2023"] is None
