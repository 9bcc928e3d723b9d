"""Fuzzing of every reader (hypothesis): damage to one record never costs another.

For each format a valid listing is generated, read back exactly, then one
record is damaged arbitrarily (characters deleted, inserted, duplicated; the
inserted text includes each format's own markup, huge numbers, far years, deep
nesting and lone surrogates). The reader must raise nothing but ListingError,
and every other paper must come back exactly as it was.

``LITREVIEW_FUZZ_EXAMPLES=2000 pytest tests/test_sources_fuzz.py`` fuzzes longer;
``make test`` runs a few dozen examples per format.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview import ListingError, read_listing
from litreview.errors import ListingWarning

EXAMPLES = int(os.environ.get("LITREVIEW_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Text that needs no escaping in any format (no brackets, braces, backslashes, quotes, %).
SAFE = st.characters(
    categories=("L", "N"), exclude_characters="\x85\u2028\u2029", max_codepoint=0x9FFF
) | st.sampled_from(list(" .,:;-'?!é中ß"))
WORD = st.text(SAFE, min_size=1, max_size=10).map(str.strip).filter(bool)
TEXT = st.lists(WORD, min_size=1, max_size=8).map(lambda words: " ".join(" ".join(words).split()))


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str
    published: dt.date
    upvotes: int
    comments: int
    n_authors: int

    @property
    def arxiv_id(self) -> str:
        return f"2401.{10000 + int(self.title.split()[0][1:])}"

    @property
    def authors(self) -> list[str]:
        return [f"Author{i} Surname" for i in range(self.n_authors)]

    @property
    def day(self) -> str:
        d = self.published
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def papers(min_size: int = 2, max_size: int = 5) -> st.SearchStrategy[list[Paper]]:
    one = st.builds(
        Paper,
        title=TEXT,
        abstract=TEXT,
        published=st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)),
        upvotes=st.integers(0, 5000),
        comments=st.integers(0, 300),
        n_authors=st.integers(1, 4),
    )
    listing = st.lists(one, min_size=min_size, max_size=max_size)
    # a unique first word, "P<index>", tells the papers apart
    return listing.map(
        lambda ps: [
            Paper(f"P{i} {p.title}", *[getattr(p, f) for f in FIELDS[1:]]) for i, p in enumerate(ps)
        ]
    )


FIELDS = ("title", "abstract", "published", "upvotes", "comments", "n_authors")


# -- one renderer per format: the text and each record's (start, end) in it --------------


def render_csv(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["Title,Abstract,Date,Authors\n"], []
    for p in ps:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(
            [p.title, p.abstract, p.published.isoformat(), "; ".join(p.authors)]
        )
        spans.append(_append(out, buffer.getvalue(), "\n"))
    return "".join(out), spans


def render_bibtex(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["% generated\n\n"], []
    for i, p in enumerate(ps):
        entry = (
            f"@article{{key{i},\n  title = {{{p.title}}},\n  abstract = {{{p.abstract}}},\n"
            f"  author = {{{' and '.join(p.authors)}}},\n  date = {{{p.published}}},\n}}"
        )
        spans.append(_append(out, entry, "\n\n"))
    return "".join(out), spans


def render_ris(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    spans = []
    for p in ps:
        authors = "".join(f"AU  - {a.split()[1]}, {a.split()[0]}\n" for a in p.authors)
        date = p.published.strftime("%Y/%m/%d")
        record = f"TY  - JOUR\nTI  - {p.title}\nAB  - {p.abstract}\n{authors}DA  - {date}\nER  - "
        spans.append(_append(out, record, "\n\n"))
    return "".join(out), spans


def render_json(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["[\n"], []
    for k, p in enumerate(ps):
        item = {
            "paper": {
                "id": p.arxiv_id,
                "title": p.title,
                "summary": p.abstract,
                "authors": [{"name": a} for a in p.authors],
                "publishedAt": f"{p.published}T10:00:00.000Z",
                "upvotes": p.upvotes,
            },
            "numComments": p.comments,
        }
        spans.append(_append(out, json.dumps(item, ensure_ascii=False), ",\n" * (k + 1 < len(ps))))
    out.append("\n]\n")
    return "".join(out), spans


def render_markdown(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["# Daily Papers\n\n"], []
    for p in ps:
        page = f"https://huggingface.co/papers/{p.arxiv_id}"
        votes = str(p.upvotes) if p.upvotes else "-"
        comments = f"[{p.comments}]({page}#community)" if p.comments else ""
        block = (
            f"[{votes}](https://huggingface.co/login?next=%2Fpapers%2F{p.arxiv_id})\n\n"
            f"### [{p.title}]({page})\n\n[{p.abstract}]({page})\n\n"
            f"[- {p.n_authors} authors]({page})\n\n·\n\n{p.day}{comments}"
        )
        spans.append(_append(out, block, "\n\n"))
    return "".join(out), spans


def render_linked(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["Daily Papers\n\n"], []
    for p in ps:
        page = f"https://huggingface.co/papers/{p.arxiv_id}"
        votes = str(p.upvotes) if p.upvotes else "-"
        comments = f"\n\n{p.comments}\n\n{page}#community" if p.comments else ""
        block = (
            f" [-] {votes}\n\nhttps://huggingface.co/login?next=%2Fpapers%2F{p.arxiv_id}\n\n"
            f"{p.title}\n\n{page}\n\n{p.abstract}\n\n{page}\n\n[\n\n"
            f"{p.n_authors} authors]({page})\n\n·\n\n{p.day}{comments}"
        )
        spans.append(_append(out, block, "\n\n"))
    return "".join(out), spans


def render_text(ps: list[Paper]) -> tuple[str, list[tuple[int, int]]]:
    out, spans = ["Daily Papers\n\nbyAK and the research community\n\n"], []
    for p in ps:
        comments = f" {p.comments}" if p.comments else ""
        block = f"{p.title}\n\n{p.abstract}\n\n  • {p.n_authors} authors\n·\n{p.day}{comments}"
        spans.append(_append(out, block, "\n\n"))
    return "".join(out), spans


def _append(out: list[str], record: str, separator: str) -> tuple[int, int]:
    start = sum(map(len, out))
    out.append(record + separator)
    return start, start + len(record)


@dataclass(frozen=True)
class Format:
    name: str
    render: Callable[[list[Paper]], tuple[str, list[tuple[int, int]]]]
    fields: tuple[str, ...]  # the fields this format carries
    markup: tuple[str, ...]  # its own syntax, inserted by the damage


FORMATS = [
    Format("csv", render_csv, ("title", "abstract", "published", "n_authors"), (",", '"', "\n")),
    Format(
        "bibtex",
        render_bibtex,
        ("title", "abstract", "published", "n_authors"),
        ("{", "}", "@misc{", ",\n", "=", '"', "\\", "\n@", "title = {x}"),
    ),
    Format(
        "ris",
        render_ris,
        ("title", "abstract", "published", "n_authors"),
        ("\nER  - ", "\nTY  - JOUR\n", "\nTI  - ", "\nPY  - ", "\n"),
    ),
    Format("hf-json", render_json, FIELDS, ("{", "}", "[", "]", '"', ",", ":")),
    Format(
        "hf-markdown",
        render_markdown,
        FIELDS,
        ("[", "]", "(", ")", "\n·\n", "\n\n", "### ", "\\", "[-](x/login)", "#community"),
    ),
    Format(
        "hf-linked-text",
        render_linked,
        FIELDS,
        ("\n·\n", "\n\n", " [-] 5", "https://huggingface.co/papers/2401.99999", "\n"),
    ),
    Format(
        "hf-text",
        render_text,
        ("title", "abstract", "published", "comments", "n_authors"),
        ("\n·\n", "\n\n", "  • 3 authors", "•", "Jan 2", "\n"),
    ),
]
IDS = [f.name for f in FORMATS]
NASTY = (
    "99999999999999999999",
    "3024",
    "Jan 1, 3024",
    "2262-04-12",
    "[" * 600,
    "{" * 600,
    "\ud800",
    "\x00",
    "\ufeff",
    "\r",
    "\t",
)


def read(text: str, name: str) -> tuple[pd.DataFrame, int]:
    """The papers and how many problems were reported."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_listing(text, format=name, year=2024)
    reported = [w for w in caught if issubclass(w.category, ListingWarning)]
    return df, len(reported)


def row_of(df: pd.DataFrame, i: int) -> dict[str, object]:
    row = df.iloc[i]
    return {f: (None if pd.isna(row[f]) else row[f]) for f in FIELDS if f in df.columns}


def expected(p: Paper, fields: tuple[str, ...]) -> dict[str, object]:
    return {f: pd.Timestamp(p.published) if f == "published" else getattr(p, f) for f in fields}


@pytest.mark.parametrize("fmt", FORMATS, ids=IDS)
def test_generated_listings_read_back_exactly(fmt: Format) -> None:
    @FUZZ
    @given(papers())
    def check(ps: list[Paper]) -> None:
        text, _ = fmt.render(ps)
        df = read_listing(text, format=fmt.name, errors="raise")
        got = [{f: row_of(df, i)[f] for f in fmt.fields} for i in range(len(df))]
        assert got == [expected(p, fmt.fields) for p in ps]

    check()


edit = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate", "replace"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.integers(0, 1 << 16),
)


def damage(record: str, edits: list[tuple[str, float, float, int]], pool: list[str]) -> str:
    """``record`` with each edit applied at a relative position (so any record length works)."""
    for op, where, size, pick in edits:
        at = int(where * len(record))
        end = min(len(record), at + 1 + int(size * 12))
        payload = pool[pick % len(pool)]
        if op == "delete":
            record = record[:at] + record[end:]
        elif op == "insert":
            record = record[:at] + payload + record[at:]
        elif op == "duplicate":
            record = record[:end] + record[at:end] + record[end:]
        else:
            record = record[:at] + payload + record[end:]
    return record


@pytest.mark.parametrize("fmt", FORMATS, ids=IDS)
def test_damage_to_one_record_costs_no_other(fmt: Format) -> None:
    @FUZZ
    @given(
        papers(min_size=3),
        st.data(),
        st.lists(edit, min_size=1, max_size=3),
        st.lists(st.text(max_size=6), max_size=2),
    )
    def check(ps: list[Paper], data: st.DataObject, edits: list, noise: list[str]) -> None:
        text, spans = fmt.render(ps)
        k = data.draw(st.integers(0, len(ps) - 1), label="damaged record")
        start, end = spans[k]
        broken = damage(text[start:end], edits, [*fmt.markup, *NASTY, *noise])
        try:
            df, reported = read(text[:start] + broken + text[end:], fmt.name)
        except ListingError:
            return  # refusing the whole file is loud, never silent
        rows = [row_of(df, i) for i in range(len(df))]
        for j, p in enumerate(ps):
            if j == k:
                continue
            want = expected(p, fmt.fields)
            assert any({f: r[f] for f in fmt.fields} == want for r in rows), (
                f"{fmt.name}: lost or changed {p.title!r} after damage to {ps[k].title!r}: "
                f"{broken!r}"
            )
        if len(df) < len(ps) - 1 or (not rows and ps):
            assert reported, f"{fmt.name}: papers vanished without a warning"

    check()


@pytest.mark.parametrize("fmt", FORMATS, ids=IDS)
def test_any_text_is_read_or_refused_with_listing_error(fmt: Format) -> None:
    pieces = st.one_of(st.text(max_size=20), st.sampled_from([*fmt.markup, *NASTY]))

    @FUZZ
    @given(st.lists(pieces, max_size=12).map("".join))
    def check(text: str) -> None:
        with contextlib.suppress(ListingError):  # anything else fails the test
            read(text + "\n", fmt.name)

    check()
