"""Fetching listings: the API's own answer, optionally written to a file (atomically,
only once every page has arrived), read back as a paper table by :func:`read_listing`.

>>> import tempfile, os
>>> os.environ["LITREVIEW_OFFLINE"], os.environ["LITREVIEW_CACHE_DIR"] = "1", tempfile.mkdtemp()
>>> fetch_hf_search("diffusion transformer")
Traceback (most recent call last):
...
litreview.web.client.WebError: offline (LITREVIEW_OFFLINE=1) and not in the cache: https://huggingface.co/api/papers/search
>>> del os.environ["LITREVIEW_OFFLINE"], os.environ["LITREVIEW_CACHE_DIR"]
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from litreview._files import write_atomic
from litreview.web import arxiv, hf
from litreview.web.client import Client
from litreview.web.hf import Progress


def fetch_hf_daily(
    *,
    date: str | dt.date | None = None,
    week: str | None = None,
    month: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    output: str | PathLike[str] | None = None,
    overwrite: bool = True,
    client: Client | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """The Hugging Face daily papers of a day, ISO week (``2025-W23``), month
    (``2025-06``) or range, as a paper table; ``output`` keeps the API's JSON."""
    items = hf.daily_papers(
        date=date, week=week, month=month, since=since, until=until, client=client,
        progress=progress,
    )  # fmt: skip
    return listing(hf_json_text(items), output, overwrite, "hf-json")


def fetch_hf_search(
    query: str,
    *,
    limit: int | None = None,
    output: str | PathLike[str] | None = None,
    overwrite: bool = True,
    client: Client | None = None,
) -> pd.DataFrame:
    """The Hugging Face papers search for ``query``, as a paper table (``output``: its JSON)."""
    items = hf.search_papers(query, limit=limit, client=client)
    return listing(hf_json_text(items), output, overwrite, "hf-json")


def fetch_arxiv(
    query: str | None = None,
    *,
    ids: Sequence[str] | None = None,
    max_results: int = 100,
    sort_by: str | None = None,
    output: str | PathLike[str] | None = None,
    overwrite: bool = True,
    client: Client | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """An arXiv search (``query`` in arXiv's syntax) or the papers of ``ids``, as a paper
    table; ``output`` keeps the Atom feed (``.atom``)."""
    feed = arxiv_feed(
        query, ids=ids, max_results=max_results, sort_by=sort_by, client=client,
        progress=progress,
    )  # fmt: skip
    return listing(feed, output, overwrite, "arxiv-atom")


def arxiv_feed(
    query: str | None = None,
    *,
    ids: Sequence[str] | None = None,
    max_results: int = 100,
    sort_by: str | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> str:
    """The Atom feed :func:`fetch_arxiv` reads (a search or an id list)."""
    if (query is None) == (ids is None):
        raise ValueError("give a query or ids (one of them)")
    if ids is not None:
        return arxiv.by_ids(ids, client=client, progress=progress)
    assert query is not None
    return arxiv.search(
        query, max_results=max_results, sort_by=sort_by, client=client, progress=progress
    )


def hf_json_text(items: list[dict[str, Any]]) -> str:
    """The items as the API's JSON list, one line per field (so problems name a line)."""
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def listing(
    text: str, output: str | PathLike[str] | None, overwrite: bool, format: str
) -> pd.DataFrame:
    """``text`` (an API's answer) as a paper table, first written to ``output`` if given."""
    from litreview.readers import read_listing

    if output is None:
        stream = io.StringIO(text)
        stream.name = f"<{format}>"
        return read_listing(stream, format=format)
    path = write_atomic(Path(output), text, overwrite=overwrite)
    return read_listing(path, format=format)
