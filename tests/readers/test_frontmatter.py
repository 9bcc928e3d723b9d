"""The capture year from front matter, and front matter in the plain-text copy."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.readers.frontmatter import (
    blank_front_matter,
    capture_year,
    front_matter,
    front_matter_lines,
)
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.mark.parametrize(
    ("head", "year"),
    [
        ("---\nretrieved: 2026-10-02\n---\n", 2026),
        ("---\ntitle: x\nexported: '2025-07-28'\n---\n", 2025),
        ("---\ndate: Mar 3, 2024\n---\n", 2024),
        ("---\nretrieved: 2026-10-02\ndate: 2020-01-01\n---\n", 2026),  # retrieved first
        ("---\nretrieved: 2026-10-02\n", None),  # never closed: not front matter
        ("title: x\nretrieved: 2026-10-02\n", None),
        ("---\nurl: https://x\n---\n", None),
    ],
)
def test_capture_year(head: str, year: int | None) -> None:
    assert capture_year(head) == year


def test_front_matter_lines_and_blanking() -> None:
    head = "---\nurl: u\nretrieved: 2026\n---\nbody\n"
    assert front_matter(head) == {"url": "u", "retrieved": "2026"}
    assert front_matter_lines(head) == 4
    blocks = [head[:7].encode(), head[7:].encode()]
    assert b"".join(blank_front_matter(blocks, head)) == b"\n\n\n\nbody\n"
    assert list(blank_front_matter([b"no front matter\n"], "no front matter\n")) == [
        b"no front matter\n"
    ]


def test_plain_copy_with_front_matter_takes_its_year(tmp_path: Path) -> None:
    plain = (CAPTURES / "daily-plain.txt").read_text(encoding="utf-8")
    path = tmp_path / "plain.txt"
    path.write_text(
        "---\nretrieved: 2027-01-02\n---\n" + plain.replace("May 8, 2026 1", "May 8 1"),
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the front matter is not reported as a broken paper
        papers = litreview.read_listing(path)
    assert papers.loc[2, "published"] == pd.Timestamp("2027-05-08")
    assert papers["source_line"].tolist() == [14, 22, 30, 38]  # lines counted from the top
    assert (
        papers["paper_id"].tolist()
        == litreview.read_listing(CAPTURES / "daily-plain.txt")["paper_id"].tolist()
    )
