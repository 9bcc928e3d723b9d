"""Completing metadata from the web: ``Review.enrich`` on papers known by title and year
only (as the plain copy gives them), against the local stand-in APIs on 127.0.0.1
(:mod:`litreview.web.local_server`) with ``LITREVIEW_RATE_LIMIT=0`` and a fresh cache.

The first run asks one Hugging Face search per title, one arXiv ``id_list`` per 100
papers and one OpenAlex filter per 50; the second run of the same enrichment is
answered by the on-disk cache (no request). The baseline is the second run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from common import Row, timed

import litreview
from litreview.web.local_server import LocalAPIs

#: Seconds the first enrichment of 1,000 papers may take against the local server.
TARGET_S = 60.0


def catalogue(n: int) -> list[dict]:
    """``n`` papers the stand-in APIs know (every tenth with a published version)."""
    words = ["sparse", "latent", "graph", "vision", "audio", "robust", "neural", "fast"]
    out = []
    for i in range(n):
        title = f"{words[i % 8].title()} {words[(i // 8) % 8]} transformers number {i}"
        paper = {
            "arxiv_id": f"24{1 + i % 12:02d}.{10000 + i:05d}",
            "title": title,
            "authors": [f"Author {i} One", f"Author {i} Two"],
            "published": f"2024-{1 + i % 12:02d}-15T10:00:00.000Z",
            "summary": f"Abstract of paper {i}.",
        }
        if i % 10 == 0:
            paper["openalex"] = {
                "doi": f"10.5555/bench.{i}",
                "venue": "Bench Conf",
                "type": "conference",
            }
        out.append(paper)
    return out


def rows(quick: bool) -> list[Row]:
    """One row: the first enrichment (requests, seconds) against the cached second run."""
    n = 200 if quick else 1000
    papers = catalogue(n)
    bib = "".join(
        f"@misc{{p{i}, title={{{p['title']}}}, year={{2024}}}}\n" for i, p in enumerate(papers)
    )
    saved = {
        k: os.environ.get(k)
        for k in (
            "LITREVIEW_CACHE_DIR",
            "LITREVIEW_RATE_LIMIT",
            "LITREVIEW_HF_API",
            "LITREVIEW_ARXIV_API",
            "LITREVIEW_OPENALEX_API",
            "LITREVIEW_OFFLINE",
        )
    }
    with tempfile.TemporaryDirectory() as tmp, LocalAPIs(papers) as apis:
        os.environ.update(apis.env())
        os.environ.update(LITREVIEW_CACHE_DIR=str(Path(tmp) / "cache"), LITREVIEW_RATE_LIMIT="0")
        os.environ.pop("LITREVIEW_OFFLINE", None)
        try:
            with litreview.Review.open(Path(tmp) / "r.litreview") as review:
                review.add(bib)
                first_s, first = timed(review.enrich)
                second_s, second = timed(review.enrich)
                complete = int(review.papers["arxiv_id"].notna().sum())
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    ok = first_s < TARGET_S and second.stats.requests == 0 and complete == n
    notes = (
        f"first run {first.stats.requests} requests ({len(first.changes):,} fields, "
        f"{complete:,}/{n:,} with arXiv id); second run {second.stats.requests} requests, "
        f"{second.stats.cache_hits} from the cache; LITREVIEW_RATE_LIMIT=0"
    )
    return [
        Row("web", "enrich by title (local APIs)", n, first_s, "second run (cache)", second_s,
            f"< {TARGET_S:.0f} s, 2nd run 0 requests", ok, notes)
    ]  # fmt: skip


if __name__ == "__main__":
    for row in rows(quick=False):
        print(row)
