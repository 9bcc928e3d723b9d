"""stage:, fulltext: and field:NAME:VALUE: parsing, evaluation on plain tables, errors."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview.errors import QueryError
from litreview.query.filters import match_mask
from litreview.query.language import FieldIs, FulltextIs, StageIs, field_number, parse, uses


def table() -> pd.DataFrame:
    papers = litreview.read_listing(litreview.SAMPLE_LISTING).head(6).reset_index(drop=True)
    return papers.assign(
        stage=pd.array(["fulltext"] * 4 + ["title"] * 2, dtype="string"),
        fulltext_decision=pd.Categorical(
            ["include", "exclude", "unscreened", "maybe", None, None],
            categories=list(litreview.DECISIONS),
        ),
        not_retrieved=[False, False, False, True, False, False],
        fulltext_location=pd.array(["a.pdf", None, "c.pdf", None, None, None], dtype="string"),
        sample_size=pd.array([120, 12, None, 7, 300, None], dtype="Int64"),
        ratio=pd.array([0.5, 1.5, None, 2.0, 0.25, None], dtype="Float64"),
        design=pd.Categorical(["RCT", "cohort", None, "RCT", "cohort", None]),
        blinded=pd.array([True, False, None, True, None, False], dtype="boolean"),
        setting=pd.array(
            ["Rural clinic, Kenya", "city hospital", None, "clinic", "", None], dtype="string"
        ),
    )


def hits(df: pd.DataFrame, query: str) -> list[int]:
    return [i for i, hit in enumerate(match_mask(df, query)) if hit]


def test_parse() -> None:
    assert parse("stage:full-text") == StageIs("fulltext")
    assert parse("fulltext:Not_Retrieved") == FulltextIs("not-retrieved")
    assert parse('field:Setting:"rural clinic"') == FieldIs("setting", "rural clinic", True)
    assert parse("field:n:100..") == FieldIs("n", "100..")
    assert uses(parse("a -(stage:title OR fulltext:awaiting)")) == {"stage", "fulltext"}
    assert field_number("..20") == (None, 20.0, True, True)
    assert field_number("1.5..x") is None


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("stage:done", 6, "expected stage:title or stage:fulltext"),
        ("fulltext:yes", 9, "expected fulltext:unscreened / fulltext:include"),
        ("field:n", 6, "expected field:NAME:VALUE"),
        ("field:n:", 8, "expected a value after field:n:"),
        ("field:1x:3", 6, "expected field:NAME:VALUE"),
    ],
)
def test_parse_errors(query: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(query)
    assert info.value.position == position and expected in info.value.message


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("stage:fulltext", [0, 1, 2, 3]),
        ("stage:title", [4, 5]),
        ("fulltext:include", [0]),
        ("fulltext:unscreened", [2]),
        ("fulltext:not-retrieved", [3]),
        ("fulltext:retrieved", [0, 2]),
        ("fulltext:awaiting", [2]),
        ("field:sample_size:100..", [0, 4]),
        ("field:sample_size:..12", [1, 3]),
        ("field:sample_size:>12", [0, 4]),
        ("field:sample_size:12", [1]),
        ("field:ratio:0.5..1.5", [0, 1]),
        ("field:ratio:<0.5", [4]),
        ("field:design:rct", [0, 3]),
        ("field:blinded:yes", [0, 3]),
        ("field:blinded:no", [1, 5]),
        ("field:setting:clinic", [0, 3]),
        ('field:setting:"rural clinic"', [0]),
        ("field:setting:*", [0, 1, 3]),
        ("-field:sample_size:*", [2, 5]),
        ("stage:fulltext -field:design:rct", [1, 2]),
    ],
)
def test_evaluation(query: str, rows: list[int]) -> None:
    assert hits(table(), query) == rows


def test_plain_tables() -> None:
    plain = litreview.read_listing(litreview.SAMPLE_LISTING)
    assert match_mask(plain, "stage:title").all()
    for query in ("stage:fulltext", "fulltext:include", "fulltext:awaiting", "fulltext:retrieved"):
        assert not match_mask(plain, query).any(), query
    with pytest.raises(QueryError, match="no extraction field 'sample_size' in this table") as info:
        match_mask(plain, "vision field:sample_size:10..")
    assert info.value.position == 7


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field:sample_size:many", "holds a number or a range"),
        ('field:sample_size:"12"', "holds a number or a range"),
        ("field:design:survey", "holds one of RCT, cohort"),
        ("field:blinded:maybe", "holds yes or no"),
    ],
)
def test_values_the_column_cannot_hold(query: str, expected: str) -> None:
    with pytest.raises(QueryError, match=expected):
        match_mask(table(), query)


# ---------------------------------------------------------------- random queries


def reference(node: tuple[Any, ...], row: pd.Series) -> bool:
    kind = node[0]
    if kind == "and":
        return reference(node[1], row) and reference(node[2], row)
    if kind == "or":
        return reference(node[1], row) or reference(node[2], row)
    if kind == "not":
        return not reference(node[1], row)
    at = row["stage"] == "fulltext"
    decided = "unscreened" if pd.isna(row["fulltext_decision"]) else row["fulltext_decision"]
    if kind == "stage":
        return at if node[1] == "fulltext" else not at
    if kind == "fulltext":
        if node[1] == "not-retrieved":
            return at and row["not_retrieved"]
        if node[1] == "retrieved":
            return at and not row["not_retrieved"] and pd.notna(row["fulltext_location"])
        if node[1] == "awaiting":
            return at and not row["not_retrieved"] and decided in ("unscreened", "maybe")
        return at and decided == node[1]
    value = row["sample_size"]
    return pd.notna(value) and node[1] <= value <= node[2]


def render(node: tuple[Any, ...]) -> str:
    kind = node[0]
    if kind in ("and", "or"):
        return f"({render(node[1])} {'OR ' if kind == 'or' else ''}{render(node[2])})"
    if kind == "not":
        return f"-{render(node[1])}"
    if kind in ("stage", "fulltext"):
        return f"{kind}:{node[1]}"
    return f"field:sample_size:{node[1]}..{node[2]}"


leaves = st.one_of(
    st.tuples(st.just("stage"), st.sampled_from(["title", "fulltext"])),
    st.tuples(
        st.just("fulltext"),
        st.sampled_from([*litreview.DECISIONS, "retrieved", "not-retrieved", "awaiting"]),
    ),
    st.tuples(st.just("size"), st.integers(0, 150), st.integers(150, 400)),
)
queries = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.tuples(st.just("and"), kids, kids),
        st.tuples(st.just("or"), kids, kids),
        st.tuples(st.just("not"), kids),
    ),
    max_leaves=5,
)


TABLE = table()
ROWS = [row for _, row in TABLE.iterrows()]


@settings(deadline=None)  # the machine is shared: no per-example deadline
@given(queries)
def test_random_team_queries_agree_with_the_rule(node: tuple[Any, ...]) -> None:
    df = TABLE
    want = [bool(reference(node, row)) for row in ROWS]
    assert match_mask(df, render(node)).tolist() == want, render(node)
