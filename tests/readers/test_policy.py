"""The merge policy (litreview.readers.policy): which value wins."""

from __future__ import annotations

import pandas as pd
import pytest

from litreview.readers.policy import (
    FORMAT_PRIORITY,
    KINDS,
    RANKED,
    YOUR_TABLE,
    decode_ranks,
    encode_ranks,
    rank,
    wins,
)
from litreview.schema import PAPER_COLUMNS

JSON, BIBTEX, PLAIN = rank("hf-json"), rank("bibtex"), rank("hf-text")


def test_every_merged_field_has_a_kind() -> None:
    merged = set(PAPER_COLUMNS) - {"paper_id", "source", "source_line"}  # extra: kind dict
    assert set(KINDS) == merged
    assert rank("anything else") == len(FORMAT_PRIORITY) and YOUR_TABLE < PLAIN


@pytest.mark.parametrize(
    ("name", "old", "new", "old_rank", "new_rank", "expected"),
    [
        ("published", "2024-10-07", "2024-01-01", JSON, BIBTEX, False),  # no downgrade
        ("published", "2024-01-01", "2024-10-07", BIBTEX, JSON, True),  # an upgrade
        ("published", None, "2024-01-01", JSON, BIBTEX, True),  # a missing value is filled
        ("published", "2024-10-07", None, BIBTEX, JSON, False),  # missing never wins
        ("title", "Old", "New", PLAIN, PLAIN, True),  # a newer capture of the same source
        ("title", "Old", "New", PLAIN, YOUR_TABLE, True),  # your own table
        ("abstract", "Short.", "A longer one.", PLAIN, BIBTEX, True),  # the longer
        ("abstract", "A longer one.", "Short.", PLAIN, BIBTEX, False),
        ("abstract", "A longer one.", "Short.", PLAIN, PLAIN, True),  # rewritten at the source
        ("authors", '["A", "B"]', '["A"]', JSON, BIBTEX, False),
        ("upvotes", 5, 9, PLAIN, BIBTEX, True),  # the larger
        ("upvotes", 9, 5, BIBTEX, PLAIN, False),
        ("upvotes", 9, 9, BIBTEX, PLAIN, False),  # the same value: nothing to do
    ],
)
def test_which_value_wins(
    name: str, old: object, new: object, old_rank: int, new_rank: int, expected: bool
) -> None:
    assert wins(name, old, new, old_rank=old_rank, new_rank=new_rank) is expected


def test_ranks_round_trip() -> None:
    ranks = [YOUR_TABLE, *range(len(RANKED) - 1)]
    assert decode_ranks(encode_ranks(ranks)) == ranks
    assert decode_ranks(None) == [PLAIN] * len(RANKED)


def test_a_more_precise_date_that_agrees_wins_whatever_the_format() -> None:
    from litreview.readers.policy import date_wins, finer_date, merge_extra

    year, day = "1875-01-01T00:00:00", "1875-06-17T00:00:00"
    assert date_wins(year, "year", day, "day", old_rank=PLAIN, new_rank=BIBTEX)
    assert not date_wins(day, "day", year, "year", old_rank=BIBTEX, new_rank=PLAIN)
    assert not finer_date(year, "year", "1876-06-17", "day")
    assert finer_date(year, pd.NA, day, "day") is False  # NA precision: a day already
    assert merge_extra({"a": "1"}, {"a": "1", "b": "2"}) == {"a": "1", "b": "2"}
    assert merge_extra({"a": "1", "a_2": "2"}, {"a": "2"}) == {"a": "1", "a_2": "2"}
    assert merge_extra({"a": "1", "a_2": "2"}, {"a": "3"}) == {"a": "1", "a_2": "2", "a_3": "3"}
