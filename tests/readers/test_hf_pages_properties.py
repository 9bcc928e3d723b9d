"""Property tests for the Hugging Face page layouts of issue 15 (reference-style Markdown,
trending cards shown twice, the plain copy with card lines): a paper a reader accepts is
never lost or changed because the paper before or after it is broken, and read_listing
raises nothing but ListingError."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview import ListingError, read_listing

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "60"))
WORDS = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8)
Paper = dict[str, object]


@st.composite
def papers(draw: st.DrawFn) -> list[Paper]:
    n = draw(st.integers(3, 6))
    return [
        {
            "title": f"P{i} " + " ".join(draw(st.lists(WORDS, min_size=1, max_size=4))),
            "abstract": "We " + " ".join(draw(st.lists(WORDS, min_size=1, max_size=12))) + ".",
            "n_authors": draw(st.integers(1, 900)),
            "upvotes": draw(st.integers(0, 5000)),
            "published": draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))),
            "id": f"2401.{10000 + i}",
        }
        for i in range(n)
    ]


def day(p: Paper) -> str:
    d: dt.date = p["published"]  # type: ignore[assignment]
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def reference(ps: list[Paper]) -> list[str]:
    """Reference-style Markdown: one chunk per paper, then the link definitions."""
    chunks, defs = [], []
    for k, p in enumerate(ps):
        n = 10 * k
        votes = p["upvotes"] or "-"
        chunks.append(
            f"[\n{votes}\n][{n}]\n\n### [{p['title']}][{n + 1}]\n\n"
            f"[\n\n{p['abstract']}\n\n][{n + 2}]"
            f"\n[\n* {p['n_authors']} authors\n][{n + 3}]\n·\n{day(p)}\n"
        )
        page = f"https://huggingface.co/papers/{p['id']}"
        defs += [f"[{n}]: https://huggingface.co/login?next=%2Fpapers%2F{p['id']}"]
        defs += [f"[{n + i}]: {page}" for i in (1, 2, 3)]
    return [*chunks, "\n".join(defs) + "\n"]


def trending(ps: list[Paper]) -> list[str]:
    """Trending cards, each paper twice (card and list item)."""
    out = []
    for p in ps:
        card = (
            f"Submitted by\n\n[image]\n\nuser{str(p['id'])[-1]}\n\n"
            f"### [{p['title']}](https://huggingface.co/papers/{p['id']})\n\n{p['abstract']}\n\n"
            f"- {p['n_authors']} authors\n\n· Published on {day(p)}\n\n"
            f"[Upvote\n\n{p['upvotes']}](https://huggingface.co/login?next=%2Fpapers%2F{p['id']})\n\n"
            f"[GitHub 1.2k](https://github.com/lab/{p['id']}) [arXiv Page](https://arxiv.org/abs/{p['id']})\n"
        )
        out.append(card + "\n" + card)
    return out


def plain(ps: list[Paper]) -> list[str]:
    """The plain copy of today's daily page, with its card lines."""
    return [
        f"Submitted by\nuser{str(p['id'])[-1]}\n\nUpvote\n{p['upvotes'] or '-'}\n\n{p['title']}\n\n"
        f"{p['abstract']}\n\n  • {p['n_authors']} authors\n·\n{day(p)}\n"
        for p in ps
    ]


LAYOUTS: dict[str, Callable[[list[Paper]], list[str]]] = {
    "reference": reference,
    "trending": trending,
    "plain": plain,
}
FIELDS = ("title", "abstract", "n_authors", "upvotes", "published")


def expected(p: Paper) -> dict[str, object]:
    return {f: pd.Timestamp(p[f]) if f == "published" else p[f] for f in FIELDS}  # type: ignore[arg-type]


def rows(df: pd.DataFrame) -> list[dict[str, object]]:
    return [{f: row[f] for f in FIELDS} for _, row in df.iterrows()]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ps=papers(), layout=st.sampled_from(sorted(LAYOUTS)))
def test_every_layout_reads_back_exactly(ps: list[Paper], layout: str) -> None:
    chunks = LAYOUTS[layout](ps)
    df = read_listing("Daily Papers\n\n" + "\n".join(chunks), errors="raise")
    assert rows(df) == [expected(p) for p in ps]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ps=papers(),
    layout=st.sampled_from(sorted(LAYOUTS)),
    data=st.data(),
)
def test_a_broken_paper_costs_no_other(ps: list[Paper], layout: str, data: st.DataObject) -> None:
    chunks = LAYOUTS[layout](ps)
    broken = data.draw(st.integers(0, len(ps) - 1), label="broken paper")
    lines = chunks[broken].split("\n")
    at = data.draw(st.integers(0, len(lines) - 1), label="line")
    how = data.draw(st.sampled_from(["delete", "garbage", "truncate"]), label="damage")
    if how == "delete":
        del lines[at]
    elif how == "garbage":
        lines[at] = data.draw(
            st.sampled_from(["·", "[", "](", "### ", "Upvote", "x y z", "Jan 99"])
        )
    else:
        lines = lines[:at]
    chunks[broken] = "\n".join(lines)
    text = "Daily Papers\n\n" + "\n".join(chunks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            df = read_listing(text)
        except ListingError:
            return  # refused as a whole: allowed, the only exception there may be
    got = rows(df)
    for k, p in enumerate(ps):
        if k != broken:
            assert expected(p) in got, (layout, how, p["title"])
