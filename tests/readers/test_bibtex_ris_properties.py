"""Property: a BibTeX or RIS record the reader accepts is never dropped because the
record before or after it is broken, and the only exception is ListingError."""

from __future__ import annotations

import contextlib
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview
from litreview import ListingError

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 ", min_size=1, max_size=12)
TITLE = WORD.map(lambda w: "Paper " + w.strip() + " end")
#: Junk a broken BibTeX record is made of: braces, quotes, @, commas, equals, newlines.
BIB_JUNK = st.text(alphabet='{}"@,=#%\\ \nabc()', max_size=40)
RIS_JUNK = st.text(alphabet="TYERAU  -\nabc12", max_size=40)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bib(key: str, title: str) -> str:
    return f"@article{{{key},\n  title = {{{title}}},\n  year = {{2020}},\n}}\n"


def _broken_bib(junk: str) -> str:
    """A record that starts like an entry and is broken inside (no later line starts one)."""
    body = junk.replace("\n@", "\n ")
    return f"@article{{broken, title = {{{body}\n"


def _read(text: str, fmt: str) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            df = litreview.read_listing(text, format=fmt)
        except ListingError:
            return []
    return df["title"].dropna().tolist()


@SETTINGS
@given(st.lists(TITLE, min_size=1, max_size=4, unique=True), st.lists(BIB_JUNK, max_size=4))
def test_bibtex_records_survive_their_broken_neighbours(titles: list[str], junk: list[str]) -> None:
    parts = []
    for i, title in enumerate(titles):
        if i < len(junk):
            parts.append(_broken_bib(junk[i]))
        parts.append(_bib(f"k{i}", title))
    if len(junk) > len(titles):
        parts.append(_broken_bib(junk[-1]))
    found = _read("\n".join(parts), "bibtex")
    for title in titles:
        assert " ".join(title.split()) in found


@SETTINGS
@given(st.lists(TITLE, min_size=1, max_size=4, unique=True), st.lists(RIS_JUNK, max_size=4))
def test_ris_records_survive_their_broken_neighbours(titles: list[str], junk: list[str]) -> None:
    parts = []
    for i, title in enumerate(titles):
        if i < len(junk):
            parts.append("TY  - JOUR\n" + junk[i].replace("TY  - ", "TY -") + "\n")  # no ER
        parts.append(f"TY  - JOUR\nTI  - {title}\nPY  - 2020\nER  - \n")
    found = _read("\n".join(parts), "ris")
    for title in titles:
        assert " ".join(title.split()) in found


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(["@article{", "TY  - ", ""]))
def test_any_text_raises_nothing_but_listing_error(text: str, start: str) -> None:
    text = start + text + "\n"  # a line break: read as content, not as a file name
    for fmt in ("bibtex", "ris"):
        with warnings.catch_warnings(), contextlib.suppress(ListingError):
            warnings.simplefilter("ignore")
            litreview.read_listing(text, format=fmt)
