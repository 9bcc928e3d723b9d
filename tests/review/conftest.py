"""The review tests run on both backends: the ``review`` fixture here is the shared one
(the sample, reviewer ``ada``) in a file and on a PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import litreview
from litreview import Review


@pytest.fixture
def review(locate: Callable[[str], str | Path]) -> Iterator[Review]:
    """The sample review (36 papers, reviewer ``ada``) in each backend, closed afterwards."""
    with Review.open(locate("r"), reviewer="ada") as opened:
        opened.add(litreview.SAMPLE_LISTING)
        yield opened
