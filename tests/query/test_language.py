"""The query language: every operator parses to the right AST, every error says where and what."""

from __future__ import annotations

import numpy as np
import pytest

from litreview.errors import QueryError
from litreview.query.language import (
    All,
    And,
    DecisionIs,
    Has,
    Not,
    Or,
    Phrase,
    Range,
    Tag,
    Word,
    parse,
    tokenize,
    word_prefixes,
)


def ns(day: str) -> int:
    return int(np.datetime64(day, "us").astype(np.int64))


def test_empty_query_matches_all() -> None:
    assert parse("") == All()
    assert parse("   ") == All()


def test_word_is_folded_prefix() -> None:
    node = parse("Transformers")
    assert isinstance(node, Word)
    assert node.field is None and node.prefixes == ("transformer",) and not node.exact


def test_accents_and_case_fold() -> None:
    node = parse("ÉCOLE")
    assert isinstance(node, Word) and node.prefixes == ("ecole",)


def test_short_words_are_exact() -> None:
    node = parse("AI")
    assert isinstance(node, Word) and node.exact and node.prefixes == ("ai",)


@pytest.mark.parametrize(
    ("word", "prefixes"),
    [
        ("transformers", ("transformer",)),
        ("models", ("model",)),
        ("studies", ("study", "studie")),
        ("processes", ("process",)),
        ("approaches", ("approach",)),
        ("class", ("class",)),
        ("analysis", ("analysis",)),
        ("corpus", ("corpus",)),
        ("vits", ("vit",)),
        ("vit", ("vit",)),
        ("gpt4", ("gpt4",)),
    ],
)
def test_plural_folding(word: str, prefixes: tuple[str, ...]) -> None:
    assert word_prefixes(word) == prefixes


def test_words_are_anded() -> None:
    node = parse("vision transformer")
    assert isinstance(node, And) and [c.text for c in node.children] == ["vision", "transformer"]  # type: ignore[union-attr]


def test_explicit_and() -> None:
    assert parse("vision AND transformer") == parse("vision transformer")


def test_quoted_phrase() -> None:
    node = parse('"Vision  Transformer"')
    assert (
        isinstance(node, Phrase) and node.words == ("vision", "transformer") and node.field is None
    )


def test_word_with_inner_punctuation_is_a_phrase() -> None:
    node = parse("GPT-4")
    assert isinstance(node, Phrase) and node.words == ("gpt", "4")


def test_or_binds_looser_than_and() -> None:
    node = parse("a b OR c")
    assert isinstance(node, Or)
    assert isinstance(node.children[0], And) and isinstance(node.children[1], Word)


def test_lowercase_or_is_a_word() -> None:
    node = parse("vit or deit")
    assert isinstance(node, And) and len(node.children) == 3


@pytest.mark.parametrize("query", ["-survey", "NOT survey"])
def test_negation(query: str) -> None:
    node = parse(query)
    assert isinstance(node, Not) and isinstance(node.child, Word) and node.child.text == "survey"


def test_hyphen_inside_word_is_not_negation() -> None:
    assert isinstance(parse("self-supervised"), Phrase)


def test_parentheses_group() -> None:
    node = parse("(vit OR deit) -survey")
    assert isinstance(node, And)
    assert isinstance(node.children[0], Or) and isinstance(node.children[1], Not)


def test_nested_negated_group() -> None:
    node = parse("-(a OR b)")
    assert isinstance(node, Not) and isinstance(node.child, Or)


@pytest.mark.parametrize("field", ["title", "abstract", "org", "author", "reason", "note"])
def test_text_fields(field: str) -> None:
    node = parse(f"{field}:attention")
    assert isinstance(node, Word) and node.field == field


def test_field_phrase_and_group() -> None:
    node = parse('title:"point cloud"')
    assert isinstance(node, Phrase) and node.field == "title"
    group = parse("title:(vision OR point)")
    assert isinstance(group, Or) and all(c.field == "title" for c in group.children)  # type: ignore[union-attr]


def test_field_names_are_case_insensitive_and_aliased() -> None:
    assert parse("TITLE:x1x").field == "title"  # type: ignore[union-attr]
    assert parse("organization:meta") == parse("org:meta")
    assert parse("tags:survey") == parse("tag:survey")


def test_tag_and_decision() -> None:
    assert parse("tag:Efficient-Attention") == Tag("efficient-attention", 4)
    assert parse('tag:"long context"') == Tag("long context", 4)
    assert parse("decision:INCLUDE") == DecisionIs("include", 9)


@pytest.mark.parametrize(
    "what", ["code", "arxiv", "note", "tags", "reason", "rating", "org", "url"]
)
def test_has(what: str) -> None:
    assert parse(f"has:{what}") == Has(what, 4)


@pytest.mark.parametrize(
    ("query", "lo", "hi"),
    [
        ("year:2021..2023", 2021, 2024),
        ("year:>=2024", 2024, None),
        ("year:2024", 2024, 2025),
        ("year:..2020", None, 2021),
        ("authors:>10", 11, None),
        ("authors:<3", None, 3),
        ("authors:<=3", None, 4),
        ("comments:>0", 1, None),
        ("upvotes:>=50", 50, None),
        ("rating:>=4", 4, None),
        ("rating:=5", 5, 6),
    ],
)
def test_number_ranges(query: str, lo: int | None, hi: int | None) -> None:
    node = parse(query)
    assert isinstance(node, Range) and (node.lo, node.hi) == (lo, hi)


@pytest.mark.parametrize(
    ("query", "lo", "hi"),
    [
        ("published:2024-01..2024-06", "2024-01-01", "2024-07-01"),
        ("published:2024", "2024-01-01", "2025-01-01"),
        ("published:2024-02", "2024-02-01", "2024-03-01"),
        ("published:2024-02-29", "2024-02-29", "2024-03-01"),
        ("published:>=2024-03", "2024-03-01", None),
        ("published:>2024-03", "2024-04-01", None),
        ("published:<2024-03", None, "2024-03-01"),
        ("published:2023-12-31..", "2023-12-31", None),
    ],
)
def test_date_ranges(query: str, lo: str | None, hi: str | None) -> None:
    node = parse(query)
    assert isinstance(node, Range) and node.field == "published"
    assert node.lo == (ns(lo) if lo else None) and node.hi == (ns(hi) if hi else None)


def test_tokenizer_positions() -> None:
    tokens = tokenize('a "b c" -(d) title:e')
    assert [(t.kind, t.pos) for t in tokens] == [
        ("WORD", 0),
        ("PHRASE", 2),
        ("MINUS", 8),
        ("LPAREN", 9),
        ("WORD", 10),
        ("RPAREN", 11),
        ("FIELD", 13),
        ("EOF", 20),
    ]


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ('"vision transformer', 0, "closing"),
        ("(vision", 7, "')' to close the '(' at position 0"),
        ("vision)", 6, "no matching '('"),
        ("()", 1, "a term inside the parentheses"),
        ("OR vision", 0, "a word"),
        ("vision OR", 9, "a word"),
        ("vision OR OR x", 10, "a word"),
        ("NOT", 3, "a word"),
        ("a AND", 5, "a word"),
        ("titel:vision", 0, "unknown field 'titel'"),
        ("title:", 6, "a value after title:"),
        ('""', 0, "words inside the quotes"),
        ("&", 0, "a word with letters or digits"),
        ("year:abc", 5, "a number"),
        ("year:2023..2021", 5, "empty range"),
        ("year:>=x", 7, "a number"),
        ("authors:>ten", 9, "a number"),
        ("authors:vaswani", 8, "author:NAME searches the names"),
        ("rating:1..x", 10, "a number"),
        ("year:..", 5, "a number"),
        ("published:2024-13", 10, "a date like"),
        ("published:2024-06..2024-01", 10, "empty range"),
        ("published:yesterday", 10, "a date like"),
        ("has:pdf", 4, "has:code"),
        ("decision:yes", 9, "include"),
        ("tag:(a)", 0, "a value after tag:"),
    ],
)
def test_errors_say_where_and_what(query: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(query)
    assert info.value.position == position
    assert expected in info.value.message
    assert info.value.query == query
    assert "^" in str(info.value)  # the pointer line under the query
