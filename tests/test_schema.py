"""The paper table schema: empty tables, building, conforming and validating."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from litreview.schema import (
    ANNOTATION_COLUMNS,
    DECISIONS,
    PAPER_COLUMNS,
    STRING,
    SchemaError,
    conform,
    empty_papers,
    papers_from_columns,
    validate,
)


def test_empty_tables_have_every_column_and_dtype() -> None:
    assert {c: t for c, t in empty_papers().dtypes.items()} == PAPER_COLUMNS
    annotated = empty_papers(annotated=True)
    assert list(annotated.columns) == [*PAPER_COLUMNS, *ANNOTATION_COLUMNS]
    validate(annotated, annotated=True)


def test_papers_from_columns_fills_defaults() -> None:
    df = papers_from_columns({"paper_id": ["a", "b"], "title": ["A", "B"]})
    assert df.comments.tolist() == [0, 0]
    assert df.authors.tolist() == [[], []]
    assert df.authors[0] is not df.authors[1]  # never one shared list
    assert df.upvotes.isna().all() and df.published.isna().all()
    validate(df)


def test_conform_casts_and_keeps_extra_columns() -> None:
    raw = pd.DataFrame(
        {
            "paper_id": ["x"],
            "title": ["T"],
            "n_authors": [3.0],
            "published": ["2024-05-01"],
            "authors": [("A", "B")],
            "code_urls": [np.array(["https://github.com/a/b"])],
            "my_column": [1],
        }
    )
    df = conform(raw, annotated=True)
    validate(df, annotated=True)
    assert df.n_authors[0] == 3 and df.published[0] == pd.Timestamp("2024-05-01")
    assert df.authors[0] == ["A", "B"] and df.code_urls[0] == ["https://github.com/a/b"]
    assert df.decision[0] == "unscreened" and list(df.decision.cat.categories) == list(DECISIONS)
    assert df.columns[-1] == "my_column" and df.extra[0] == {} and df.date_precision[0] == "day"


def test_conform_names_the_bad_column() -> None:
    with pytest.raises(SchemaError, match="n_authors"):
        conform(pd.DataFrame({"paper_id": ["x"], "n_authors": ["many"]}))


def test_validate_lists_every_problem() -> None:
    df = empty_papers().drop(columns=["title"]).astype({"comments": "float64"})
    with pytest.raises(SchemaError) as info:
        validate(df)
    assert "missing column 'title'" in str(info.value)
    assert "'comments' has dtype float64" in str(info.value)


def test_string_columns_take_str_none_and_other_values() -> None:
    df = papers_from_columns({"title": ["a", None, float("nan")], "url": ["u", 3, None]})
    assert df["title"].dtype == STRING and df["url"].dtype == STRING
    assert df["title"].tolist() == ["a", pd.NA, pd.NA]
    assert df["url"].tolist() == ["u", "3", pd.NA]
