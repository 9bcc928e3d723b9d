"""Dates as sources write them: every year 1000-2999 exactly, with the precision given."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import litreview
from litreview.readers._dates import month_number, parse_date, year_month_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-17", (dt.date(2019, 5, 17), "day")),
        ("2019-05", (dt.date(2019, 5, 1), "month")),
        ("2019", (dt.date(2019, 1, 1), "year")),
        ("2019/05/17/", (dt.date(2019, 5, 17), "day")),
        ("2011///Spring", (dt.date(2011, 1, 1), "year")),
        ("2011/06//", (dt.date(2011, 6, 1), "month")),
        ("1982--1983", (dt.date(1982, 1, 1), "year")),
        ("1984/1986", (dt.date(1984, 1, 1), "year")),
        ("1982-1983", (dt.date(1982, 1, 1), "year")),
        ("June 1980", (dt.date(1980, 6, 1), "month")),
        ("Jun. 1980", (dt.date(1980, 6, 1), "month")),
        ("17 June 1980", (dt.date(1980, 6, 17), "day")),
        ("June 17, 1980", (dt.date(1980, 6, 17), "day")),
        ("1980 Jun 17", (dt.date(1980, 6, 17), "day")),
        ("1875 [2004]", (dt.date(1875, 1, 1), "year")),
        ("2019-21", (dt.date(2019, 1, 1), "year")),  # EDTF season: spring
        ("2019?", (dt.date(2019, 1, 1), "year")),
        ("2019-05~", (dt.date(2019, 5, 1), "month")),
        ("2019-05-17%", (dt.date(2019, 5, 17), "day")),
        ("2019/2020", (dt.date(2019, 1, 1), "year")),
        ("2019-02-30", (dt.date(2019, 2, 1), "month")),  # no such day: the month
        ("2019-13-01", (dt.date(2019, 1, 1), "year")),  # no such month: the year
        ("{2019}", (dt.date(2019, 1, 1), "year")),
        ("1000", (dt.date(1000, 1, 1), "year")),
        ("2999-12-31", (dt.date(2999, 12, 31), "day")),
        ("Spring", None),
        ("n.d.", None),
        ("", None),
    ],
)
def test_every_form_keeps_what_it_can(text: str, expected: object) -> None:
    assert parse_date(text) == expected


def test_month_fields_and_separate_parts() -> None:
    assert [month_number(m) for m in ("jan", "Sept", "september", "12", "0", "13")] == [
        1,
        9,
        9,
        12,
        None,
        None,
    ]
    assert year_month_date("2011", "Jun") == (dt.date(2011, 6, 1), "month")
    assert year_month_date("2011", "Spring") == (dt.date(2011, 1, 1), "year")
    assert year_month_date("2011", "JUN 17") == (dt.date(2011, 6, 17), "day")
    assert year_month_date("2011", "jun", "31") == (dt.date(2011, 6, 1), "month")
    assert year_month_date("June 1980", None) == (dt.date(1980, 6, 1), "month")


def test_every_year_from_1000_to_2999_is_read_exactly_and_searchable() -> None:
    years = np.arange(1000, 3000)
    text = "".join(f"@article{{k{y}, title={{Paper {y}}}, year={{{y}}}}}\n" for y in years)
    df = litreview.read_listing(text, format="bibtex", errors="raise")
    assert df["published"].dt.year.tolist() == years.tolist()
    assert set(df["date_precision"]) == {"year"}
    assert str(df["published"].dtype) == "datetime64[us]"
    old = litreview.search(df, "year:1066..1500")
    assert old["published"].dt.year.tolist() == list(range(1066, 1501))
    assert len(litreview.search(df, "published:1600-01..1600-12")) == 1
    assert len(litreview.search(df, "year:>2990")) == 9


def test_a_date_far_back_survives_the_review_and_its_filters(tmp_path) -> None:
    df = litreview.read_listing(
        "@book{b, title={Principia}, year={1687}, month={jul}}\n"
        "@book{c, title={Elements}, year={1482}}\n",
        format="bibtex",
    )
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(df)
        stored = review.papers.set_index("title")
    assert stored.loc["Principia", "published"] == pd.Timestamp("1687-07-01")
    assert stored.loc["Principia", "date_precision"] == "month"
    assert stored.loc["Elements", "published"] == pd.Timestamp("1482-01-01")
    found = litreview.search(stored.reset_index(), since="1400", until="1500")
    assert found["title"].tolist() == ["Elements"]


def test_a_datetime_bound_compares_in_the_unit_of_published() -> None:
    df = litreview.read_listing(
        "@misc{a, title={Old}, year={1500}}\n@misc{b, title={New}, date={2024-05-17}}\n",
        format="bibtex",
    )
    found = litreview.search(df, since=dt.datetime(2024, 5, 17, 0, 0))
    assert found["title"].tolist() == ["New"]
    assert litreview.search(df, until=dt.datetime(1600, 1, 1))["title"].tolist() == ["Old"]
