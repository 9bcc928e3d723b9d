"""The author/date blocks numpy reads at once (hf_text/usual_meta.py): what it accepts the
bulk reader's regex reads the same way, and the usual spelling is accepted."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.readers.hf_text.bulk import STRICT_META, Lines, read_papers
from litreview.readers.hf_text.usual_meta import UsualMetas, usual_metas

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
digits = st.text("0123456789", max_size=5)
# near the usual spelling (any digits where digits go) or pieces of others
near_authors = digits.map(lambda d: f"  • {d} authors")
real_dates = st.tuples(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.booleans(), st.one_of(st.just(""), digits)
).map(
    lambda p: (
        f"{MONTHS[p[0].month - 1]} {p[0].day:0{2 if p[1] else 1}d}, {p[0].year:04d}"
        + (f" {p[2]}" if p[2] else "")
    )
)
any_digits = st.tuples(st.sampled_from(MONTHS), digits, digits, st.one_of(st.just(""), digits))
near_dates = st.one_of(
    real_dates,
    any_digits.map(lambda p: f"{p[0]} {p[1]}, {p[2]}" + (f" {p[3]}" if p[3] else "")),
)
other_authors = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "\t", " \t"]),
    st.sampled_from(["•", "·", "-"]),
    st.sampled_from([" ", "", "  ", "\t"]),
    digits,
    st.sampled_from([" authors", " author", "authors", " authorsx", " Authors"]),
    st.sampled_from(["", " ", "\t"]),
).map("".join)
other_dates = st.tuples(
    st.sampled_from([*MONTHS, "Sept", "jan", "JAN", "Ma", "Foo"]),
    st.sampled_from([" ", "  ", ""]),
    st.text("0123456789", max_size=3),
    st.sampled_from([",", "", ";"]),
    st.sampled_from([" ", "", "  "]),
    digits,
    st.sampled_from(["", " "]).flatmap(lambda s: digits.map(lambda d: s + d if s else "")),
    st.sampled_from(["", " ", "\t", "x"]),
).map("".join)
author_lines = st.one_of(near_authors, other_authors)
date_lines = st.one_of(near_dates, real_dates, other_dates)


def read(blocks: list[tuple[str, str]]) -> tuple[list[bytes], UsualMetas]:
    """Blocks joined as a page holds them, then the next paper's title (numpy reads 8
    bytes at a time: a block in the last 8 bytes of a buffer is the regex's, which
    test_a_block_at_the_very_end_is_read_by_the_regex holds); usual_metas of each."""
    texts = [f"{a}\n·\n{d}".encode() for a, d in blocks]
    data = b"\n".join(texts) + b"\n\nNext title\n"
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    first = np.array(starts)
    author_ends = first + np.array([len(a.encode()) for a, _ in blocks])
    date_starts = author_ends + len("\n·\n".encode())
    date_ends = first + np.array([len(t) for t in texts])
    codes = np.frombuffer(data, dtype=np.uint8)
    return texts, usual_metas(codes, first, author_ends, date_starts, date_ends)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(author_lines, date_lines), min_size=1, max_size=8))
def test_what_numpy_accepts_the_regex_reads_the_same(blocks: list[tuple[str, str]]) -> None:
    texts, got = read(blocks)
    for i, text in enumerate(texts):
        if not got.ok[i]:
            continue
        match = STRICT_META.fullmatch(text)
        assert match is not None, text
        month, day, year = match[2].decode().replace(",", "").split()
        date = dt.date(int(year), MONTHS.index(month[:3]) + 1, int(day))
        assert got.days[i] == (date - dt.date(1970, 1, 1)).days
        assert got.n_authors[i] == int(match[1])
        assert got.comments[i] == int(match[3] or 0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 999),
            st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
            st.one_of(st.none(), st.integers(0, 999)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_usual_spelling_is_read_by_numpy(
    blocks: list[tuple[int, dt.date, int | None]],
) -> None:
    lines = [
        (
            f"  • {n} authors",
            f"{MONTHS[d.month - 1]} {d.day}, {d.year:04d}" + (f" {c}" if c is not None else ""),
        )
        for n, d, c in blocks
    ]
    _, got = read(lines)
    assert got.ok.all()
    assert got.n_authors.tolist() == [n for n, _, _ in blocks]
    assert got.days.tolist() == [(d - dt.date(1970, 1, 1)).days for _, d, _ in blocks]
    assert got.comments.tolist() == [c or 0 for _, _, c in blocks]


def test_blocks_numpy_leaves_are_read_by_the_regex_in_the_same_run() -> None:
    shapes = [("  • 7 authors", "Mar 9, 2020 4"), ("  • 1234 authors", "Sept 30, 2021 12345")]
    shapes += [("  • 1 author", "Feb 29, 2024"), ("\t•  2 authors ", "Jan 2, 1970  ")]
    shapes += [("  • 3 authors", "Feb 29, 2023")]  # no such day: the line parser's
    text = "".join(f"T{i}\n\nA.\n\n{a}\n·\n{d}\n\n" for i, (a, d) in enumerate(shapes)).encode()
    _, got = read(shapes)
    assert got.ok.tolist() == [True, False, False, False, False]
    papers = read_papers(Lines.of(text, 0, len(text)))
    assert papers.titles == ["T0", "T1", "T2", "T3"]
    assert papers.n_authors == [7, 1234, 1, 2]
    assert papers.comments == [4, 12345, 0, 0]
    epoch = dt.date(1970, 1, 1)
    days = [dt.date(2020, 3, 9), dt.date(2021, 9, 30), dt.date(2024, 2, 29), dt.date(1970, 1, 2)]
    assert papers.days == [(d - epoch).days for d in days]


NEAR_MISSES = [
    ("  •  authors", "May 3, 2021"),  # no count
    ("  • 7 author", "May 3, 2021"),
    ("  • 7 authors ", "May 3, 2021"),
    (" • 7 authors", "May 3, 2021"),
    ("  •7 authors", "May 3, 2021"),
    ("  • 7 authorsx", "May 3, 2021"),
    ("  • x authors", "May 3, 2021"),
    ("  • 7 authors", "May 3,2021"),
    ("  • 7 authors", "May 3,20211"),
    ("  • 7 authors", "May 3 ,2021"),
    ("  • 7 authors", "May 3, 0000"),  # no year 0
    ("  • 7 authors", "May 0, 2021"),
    ("  • 7 authors", "May 00, 2021"),
    ("  • 7 authors", "Apr 31, 2024"),
    ("  • 7 authors", "May 3, 2021 x"),
    ("  • 7 authors", "May 3, 20211"),
    ("  • 7 authors", "May 3, 202"),
    ("  • 7 authors", "May 123, 2021"),
    ("  • 7 authors", "may 3, 2021"),
    ("  • 7 authors", "May  3, 2021"),
    ("  • 7 authors", "May13, 2021"),
    ("  • 7 authors", "May 3, 2021  7"),
    ("  • 7 authors", "May 3, 2021 7 "),
]


def test_near_misses_are_left_to_the_regex() -> None:
    texts, got = read(NEAR_MISSES)
    assert not got.ok.any(), [t for t, ok in zip(texts, got.ok, strict=True) if ok]


def test_edges_of_the_usual_spelling() -> None:
    blocks = [("  • 000 authors", "Jan 1, 0001"), ("  • 999 authors", "Dec 31, 9999 999")]
    blocks += [("  • 1 authors", "Feb 29, 2024 0"), ("  • 12 authors", "May 03, 2021 007")]
    _, got = read(blocks)
    assert got.ok.all()
    assert got.n_authors.tolist() == [0, 999, 1, 12]
    assert got.comments.tolist() == [0, 999, 0, 7]
    dates = [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 2, 29), dt.date(2021, 5, 3)]
    assert got.days.tolist() == [(d - dt.date(1970, 1, 1)).days for d in dates]


def test_a_block_at_the_very_end_is_read_by_the_regex() -> None:
    text = "T\n\nA.\n\n  • 3 authors\n·\nMay 3, 2021 7".encode()
    lines = Lines.of(text, 0, len(text))
    papers = read_papers(lines)
    assert (papers.titles, papers.n_authors, papers.comments) == (["T"], [3], [7])
    assert papers.days == [(dt.date(2021, 5, 3) - dt.date(1970, 1, 1)).days]
    padded = text + b"\n\n"
    assert read_papers(Lines.of(padded, 0, len(text))).days == papers.days
