"""Citation key formulas: Better BibTeX's default and its rules, the formula language,
errors that say where and what, and keys BibTeX and biber always read."""

from __future__ import annotations

import re
import unicodedata

import bibtexparser
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview.writers._key_parts import SKIP_WORDS, UNSAFE, fold, title_words
from litreview.writers.bibtex import citation_keys
from litreview.writers.key_formula import DEFAULT_FORMULA, FormulaError, KeyFormula, Postfix


def paper(title: str = "", authors: list[str] | None = None, date: str | None = None, **more):
    return {
        "paper_id": more.pop("paper_id", "p1"),
        "title": title,
        "authors": authors or [],
        "published": pd.Timestamp(date) if date else None,
        **more,
    }


VASWANI = paper("Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer"], "2017-06-12")


def test_the_default_is_better_bibtexs() -> None:
    assert DEFAULT_FORMULA == "auth.lower + shorttitle(3, 3) + year"
    assert KeyFormula.parse().base(VASWANI) == "vaswaniAttentionAllYou2017"
    assert len(SKIP_WORDS) == 121 and {"the", "of", "von", "zum", "is"} <= SKIP_WORDS


@pytest.mark.parametrize(
    ("title", "authors", "key"),
    [
        ("Tokens-to-Token ViT: Training", [], "TokenstoTokenViTTraining2017"),  # dashes dropped
        ("Über die Schrödinger-Gleichung", ["Łukasz Kaiser"], "kaiserUberSchrodingerGleichung2017"),
        ("The Art of War", ["Ludwig van Beethoven"], "vanbeethovenArtWar2017"),
        ("A B C deep learning", ["Smith, Jane"], "smithDeepLearning2017"),  # one-letter words
        ("BERT: Pre-training of Deep", ["Jacob Devlin"], "devlinBERTPretrainingDeep2017"),
        ('R&D (50%) {x} "q" #1 = ~', ["O'Brien, Pat"], "obrien502017"),  # unsafe characters
        ("Straße und Æther", [], "StrasseUndAEther2017"),  # und is not a stop word
    ],
)
def test_better_bibtex_rules(title: str, authors: list[str], key: str) -> None:
    assert KeyFormula.parse().base(paper(title, authors, "2017-01-01")) == key


def test_functions_filters_and_alternatives() -> None:
    f = KeyFormula.parse
    assert f("auth(3).upper + shortyear").base(VASWANI) == "VAS17"
    assert f("auth(m=2).lower + '_' + year").base(VASWANI) == "shazeer_2017"
    assert f("authEtAl.lower.condense('')").base(VASWANI) == "vaswanishazeer"
    assert f("authorsAlpha + shortyear").base(VASWANI) == "VS17"
    assert f("title.abbr").base(VASWANI) == "AAYN"
    assert f("title.select(2, 2).lower.condense('-')").base(VASWANI) == "all-you"
    assert f("veryshorttitle.substring(1, 4).lower + month").base(VASWANI) == "attejun"
    assert f("journal.len('>', 0) + year | auth.lower + year").base(VASWANI) == "vaswani2017"
    assert f("journal.default('nojournal') + year").base(VASWANI) == "nojournal2017"
    assert f("title.replace('need', 'want').condense").base(VASWANI) == "AttentionAllYouwant"
    no_month = paper("T", ["A B"], "2017-01-01", date_precision="year")
    assert f("auth.lower + month + year").base(no_month) == "b2017"
    assert f("'x'").base(paper()) == "x" and f("auth").base(paper()) == ""


def test_postfix_templates() -> None:
    assert list(zip(range(4), Postfix().suffixes(), strict=False)) == [
        (0, ""), (1, "a"), (2, "b"), (3, "c")
    ]  # fmt: skip
    assert Postfix().suffix(27) == "aa" and Postfix("-%(n)s", 1).suffix(2) == "-2"
    formula = KeyFormula.parse("auth.lower + year + postfix('-%(n)s')")
    twins = [
        paper("One", ["Ann Zed"], "2020-01-01", paper_id="p1"),
        paper("Two", ["Ann Zed"], "2020-01-01", paper_id="p2"),
    ]
    keys = citation_keys(twins, formula)
    assert keys[0] == "zed2020" and re.fullmatch(r"zed2020-\d+", keys[1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("auth.lower +", "at 12: expected a function or a quoted text, found 'the end'"),
        ("auth.lowr", "at 5: unknown filter 'lowr'; known: abbr"),
        ("yeer", "at 0: unknown function 'yeer'; known: auth"),
        ("auth(", "expected a number or a quoted text, found 'the end'"),
        ("shorttitle(1, 2, 3, 4)", "shorttitle: "),
        ("postfix('%(q)s')", "exactly one of %(a)s, %(A)s, %(n)s"),
        ("auth.len('~', 1)", "len takes a relation"),
        ("auth year", "expected '+', '|' or '.', found 'year'"),
        ("", "non-empty"),
    ],
)
def test_errors_say_where_and_what(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(message)):
        KeyFormula.parse(text)


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    titles=st.lists(names, min_size=1, max_size=6),
    authors=st.lists(names, max_size=3),
    year=st.integers(1000, 2999),
)
def test_keys_are_always_readable_and_unique(
    titles: list[str], authors: list[str], year: int
) -> None:
    rows = [paper(t, authors, f"{year}-05-01", paper_id=f"p{i}") for i, t in enumerate(titles)]
    keys = citation_keys(rows)
    assert len({k.casefold() for k in keys}) == len(keys)
    assert all(k and k.isascii() and not any(c in UNSAFE or c.isspace() for c in k) for k in keys)
    assert citation_keys(rows[::-1]) == keys[::-1]  # order does not matter
    df = litreview.schema.papers_from_columns(
        {"paper_id": [r["paper_id"] for r in rows], "title": titles or [""],
         "published": [f"{year}-05-01"] * len(rows)}
    )  # fmt: skip
    parsed = bibtexparser.parse_string(litreview.to_bibtex(df))
    assert not parsed.failed_blocks and len(parsed.entries) == len(rows)


@settings(deadline=None)  # a loaded machine must not fail it
@given(st.text(max_size=40))
def test_title_words_never_hold_stop_words_dashes_or_one_letter_words(title: str) -> None:
    for word in title_words(title):
        cjk = unicodedata.name(word[0], "").startswith("CJK")  # one ideograph is a word
        assert word.lower() not in SKIP_WORDS and (len(word) > 1 or cjk) and "-" not in word
    assert fold(fold(title)) == fold(title)
