"""Property tests and fuzzing of the plain-text reader (hypothesis).

Generated listings with awkward titles and abstracts must read back exactly;
random mutations of the sample must never raise anything but ListingError and
never lose a well-formed paper.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview
from litreview import ListingError, read_listing
from litreview.readers.hf_text.lines import parse_hf_text
from litreview.schema import papers_from_columns

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# LITREVIEW_FUZZ_EXAMPLES=2000 runs longer (as in test_sources_fuzz.py)
EXAMPLES = os.environ.get("LITREVIEW_FUZZ_EXAMPLES")
SAMPLE_LINES = litreview.SAMPLE_LISTING.read_text(encoding="utf-8").split("\n")

# Letters of many scripts, digits, punctuation, symbols and the page's own · and • inside text.
TEXT_CHARS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\x85\u2028\u2029",
)


def clean_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    extras = st.sampled_from(["·", "•", " · ", " • ", "Jan 25, 2025", " 42", "—", "ß", "İ", "😀"])
    parts = st.lists(st.one_of(st.text(TEXT_CHARS, min_size=1, max_size=12), extras), min_size=1)
    text = parts.map(" ".join).map(str.strip)
    # A line that is only "·", or that starts with "•", is the page's own author/date
    # markup: the format cannot tell it from text, so such lines are not generated.
    return text.filter(
        lambda s: min_size <= len(s) <= max_size and not s.startswith("•") and s != "·"
    )


titles = st.one_of(clean_text(1, 120), st.sampled_from(["Subscribe", "Jan 2", "new"]))
abstracts = clean_text(1, 600)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
papers = st.fixed_dictionaries(
    {
        "title": st.one_of(titles, titles.map(lambda t: f"{t} 2"), titles.map(lambda t: f"{t} 10")),
        "abstract": abstracts,
        "n_authors": st.integers(1, 3000),
        "published": dates,
        "comments": st.integers(0, 999),
    }
)


def render(paper: dict[str, object]) -> str:
    date: dt.date = paper["published"]  # type: ignore[assignment]
    shown = f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
    if paper["comments"]:
        shown += f" {paper['comments']}"
    unit = "authors"
    return (
        f"{paper['title']}\n\n{paper['abstract']}\n\n  • {paper['n_authors']} {unit}\n·\n{shown}\n"
    )


@settings(
    max_examples=int(EXAMPLES or 150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(papers, min_size=1, max_size=6))
def test_generated_listings_read_back_exactly(listing: list[dict[str, object]]) -> None:
    text = "Daily Papers\n\nbyAK and the research community\n\n" + "\n".join(map(render, listing))
    df = read_listing(text, errors="raise")
    assert df.title.tolist() == [p["title"] for p in listing]
    assert df.abstract.tolist() == [p["abstract"] for p in listing]
    assert df.n_authors.tolist() == [p["n_authors"] for p in listing]
    assert df.comments.tolist() == [p["comments"] for p in listing]
    assert df.published.tolist() == [pd.Timestamp(p["published"]) for p in listing]  # type: ignore[arg-type]
    assert df.paper_id.tolist() == [litreview.paper_id(str(p["title"])) for p in listing]


def paper_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line of each sample paper: title .. date line."""
    return [(i - 5, i + 1) for i, line in enumerate(lines) if line == "·"]


SPANS = paper_spans(SAMPLE_LINES)
SAMPLE = read_listing(litreview.SAMPLE_LISTING)

mutation = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "join"]),
    st.integers(0, len(SAMPLE_LINES) - 1),
    st.one_of(
        st.text(TEXT_CHARS, max_size=30),
        st.sampled_from(["·", "  • 3 authors", "Jan 1, 2024", "Feb 30, 2024 4", "•", "", "new"]),
    ),
)


def mutate(lines: list[str], edits: list[tuple[str, int, str]]) -> tuple[list[str], set[int]]:
    """Apply line edits; return the new lines and the original line numbers touched.

    ``origin`` follows each line back to the original line it came from (an
    inserted line counts as the line it was put before), so an edit that lands
    on a line moved by an earlier one still marks the right original line.
    """
    out = list(lines)
    origin = list(range(len(lines)))
    touched: set[int] = set()
    # apply from the bottom so earlier indexes stay valid
    for op, at, payload in sorted(edits, key=lambda e: -e[1]):
        touched.add(origin[at])
        if op == "delete":
            del out[at], origin[at]
        elif op == "duplicate":
            out.insert(at, out[at])
            origin.insert(at, origin[at])
        elif op == "insert":
            out.insert(at, payload)
            origin.insert(at, origin[at])
        elif op == "replace":
            out[at] = payload
        elif op == "truncate":
            out[at] = out[at][: len(out[at]) // 2]
        elif op == "join" and at + 1 < len(out):
            out[at : at + 2] = [out[at] + " " + out[at + 1]]
            touched.add(origin.pop(at + 1))
    return out, touched


@settings(
    max_examples=int(EXAMPLES or 300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(mutation, min_size=1, max_size=4, unique_by=lambda m: m[1]))
def test_fuzzed_sample_never_crashes_and_keeps_intact_papers(edits) -> None:
    lines, touched = mutate(SAMPLE_LINES, edits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = read_listing("\n".join(lines) + "\n")
    except ListingError:
        return
    kept = set(zip(df.title, df.abstract, df.n_authors, df.published, df.comments, strict=True))
    for index, (first, last) in enumerate(SPANS):
        # a paper is intact when nothing touched it or the blank lines around it
        if touched.isdisjoint(range(first - 1, last + 2)):
            row = SAMPLE.iloc[index]
            key = (row.title, row.abstract, row.n_authors, row.published, row.comments)
            assert key in kept, f"lost intact paper {row.title!r} after edits {edits}"


LINE_KINDS = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.sampled_from(
        [
            "",
            "",
            " ",
            "·",
            "· ",
            "  • 3 authors",
            "  • 1 author",
            "  • 12 authors ",
            "•",
            "  • NVIDIA",
            "Jan 1, 2024",
            "Feb 30, 2024 4",
            "Sept 3, 2021 12",
            "May 29 3",
            "Jan 2",
            "Subscribe",
            "Title",
            "An abstract.",
            "x\x00  • 3 authors",  # a NUL: the bulk path joins blocks with NULs
            "\x00",
        ]
    ),
    st.text(TEXT_CHARS, max_size=20),
)
paper_lines = papers.map(render).map(lambda text: text.rstrip("\n").split("\n"))
listing_lines = st.lists(st.one_of(LINE_KINDS.map(lambda line: [line]), paper_lines), max_size=30)


@settings(
    max_examples=int(EXAMPLES or 300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    listing_lines.map(lambda groups: [line for group in groups for line in group]),
    st.booleans(),
    st.lists(st.integers(0, 4000), max_size=6),
)
def test_fast_path_reads_exactly_like_the_line_parser(
    lines: list[str], final_newline: bool, cuts: list[int]
) -> None:
    data = ("\n".join(lines) + ("\n" if final_newline else "")).encode()
    edges = [0, *sorted(min(c, len(data)) for c in cuts), len(data)]
    blocks = [data[a:b] for a, b in itertools.pairwise(edges)]
    fast, fast_problems = parse_hf_text(blocks, "x.txt", year=2024)
    slow, slow_problems = parse_hf_text([data], "x.txt", year=2024, fast=False)
    pd.testing.assert_frame_equal(papers_from_columns(fast), papers_from_columns(slow))
    assert fast_problems == slow_problems
