"""Open what a user names on the command line or in a report: one review file,
or one or more listings (merged), as papers with annotation columns.

Kept apart from :mod:`litreview.report.html` so the command line can read files
without importing plotly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from litreview.readers import is_listing_text, merge_papers, read_listing_and_format
from litreview.review.store.base import is_url
from litreview.review.store.connection import SQLITE_MAGIC, SUFFIX
from litreview.review.store.connection import inspect as inspect_review
from litreview.review.store.file import header
from litreview.schema import conform

__all__ = ["Loaded", "is_review_file", "load"]


def is_review_file(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` names a review: a ``.litreview`` suffix or an SQLite file.

    A file this process has open as a review is not read again (reading it outside
    SQLite would drop the live connection's locks).

    >>> is_review_file("my.litreview"), is_review_file(__file__)
    (True, False)
    """
    p = Path(path)
    if p.suffix.lower() == SUFFIX:
        return True
    if not p.is_file():
        return False
    head = header(p)
    return head is None or head.startswith(SQLITE_MAGIC)


@dataclass
class Loaded:
    """Papers (with annotation columns) and imports, from a review or from listings."""

    papers: pd.DataFrame
    imports: pd.DataFrame
    name: str
    is_review: bool


def load(
    sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    reviewer: str | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    stages: bool = False,
) -> Loaded:
    """Read one review file, or one or more listings (merged), for reports and stats.

    A review must exist (it is never created here). A listing is a path or the
    listing text itself (:func:`litreview.readers.is_listing_text` tells them
    apart). ``progress`` wraps the list of listings (e.g. ``tqdm``). ``stages=True``
    gives a review's papers the columns ``stage:``/``fulltext:`` queries read
    (``Review.search_table``).

    >>> import litreview
    >>> loaded = load(litreview.SAMPLE_LISTING)
    >>> len(loaded.papers), loaded.imports["n_records"].tolist(), loaded.is_review
    (36, [36], False)
    """
    given = [sources] if isinstance(sources, str | os.PathLike) else list(sources)
    if len(given) == 1 and is_url(given[0]):  # a review on a server (docs/server.md)
        return _load_review(str(given[0]), reviewer, stages)
    paths: list[Path | str] = [s if is_listing_text(s) else Path(s) for s in given]
    if not paths:
        raise ValueError("nothing to read: give a review file or at least one listing")
    reviews = [p for p in paths if isinstance(p, Path) and is_review_file(p)]
    if reviews:
        if len(paths) > 1:
            raise ValueError(f"{reviews[0]}: give a review file alone, not with other files")
        return _load_review(reviews[0], reviewer, stages)
    for p in paths:
        if isinstance(p, Path) and not p.exists():
            raise FileNotFoundError(f"{p}: no such file")
    wrapped: Iterable[Path | str] = progress(paths) if progress else paths
    frames, formats = [], []
    for p in wrapped:  # read one by one to count the records of each listing (PRISMA)
        frame, fmt = read_listing_and_format(p)
        frames.append(frame)
        formats.append(fmt)
    papers = frames[0] if len(frames) == 1 else merge_papers(frames, formats)[0]
    annotated = conform(papers, annotated=True)
    names = [p.name if isinstance(p, Path) else "<text>" for p in paths]
    name = names[0] if len(paths) == 1 else f"{len(paths)} listings"
    imports = pd.DataFrame({"source": names, "n_records": [len(f) for f in frames]})
    return Loaded(annotated, imports, name, False)


def _load_review(path: Path | str, reviewer: str | None, stages: bool = False) -> Loaded:
    from litreview.review.core import Review

    if isinstance(path, Path):
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such review (create one with `litreview add`)")
        inspect_review(path)  # refuse a foreign or empty file before opening (may write)
    with Review.open(path, reviewer=reviewer) as review:
        papers = review.search_table() if stages else review.papers
        return Loaded(papers, review.imports(), review.path.name, True)
