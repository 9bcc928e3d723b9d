"""Merging two large listings: 100k plain-text papers + 100k API papers, half of them shared.

The second set is built from the same generator as the plain listing: its
first half repeats the titles of the listing (with arXiv ids, upvotes and
authors, as the API gives them), its second half is new papers. The merge
(matching on arXiv id or normalized title, picking the richest values) is
timed against a naive baseline: ``pd.concat`` + ``drop_duplicates`` on the
normalized title, which merges nothing.

Near-duplicate titles (:func:`litreview.near_duplicates`) are timed on the plain
listing with a copy of 1% of its papers whose title has one letter changed
(after the name, which must agree), against the exact merge of the same table.
The generated titles differ by random words and a number, so the listing alone
gives no pairs: every pair found is a typo copy, and the notes give the recall.
"""

from __future__ import annotations

import random
import string

import pandas as pd
from common import Row, listing, timed
from generate import papers

import litreview
from litreview.ids import normalize_title, paper_ids
from litreview.readers.merge import merge_papers
from litreview.schema import papers_from_columns

TARGET_S = 5.0
NEAR_TARGET_S = {10_000: 5.0, 100_000: 30.0}


def api_papers(n: int) -> pd.DataFrame:
    """``n`` papers as the JSON reader gives them: half the listing's titles, half new."""
    shared = n // 2
    rows = [p for _, p in zip(range(shared), papers(n), strict=False)]
    rows += [
        {**p, "title": "New " + str(p["title"])}
        for _, p in zip(range(n - shared), papers(n, seed=1), strict=False)
    ]
    return papers_from_columns(
        {
            "paper_id": [litreview.paper_id(str(p["title"])) for p in rows],
            "title": [p["title"] for p in rows],
            "abstract": [p["abstract"] for p in rows],
            "authors": [["A. Author", "B. Author"] for _ in rows],
            "upvotes": [i % 50 for i in range(n)],
            "arxiv_id": [f"{2000 + i // 100000:04d}.{i % 100000:05d}" for i in range(n)],
            "source": ["api.json"] * n,
            "source_line": list(range(1, n + 1)),
            "sources": [[f"api.json:{i}"] for i in range(1, n + 1)],
        }
    )


def with_typos(plain: pd.DataFrame, share: float = 0.01) -> tuple[pd.DataFrame, list[int]]:
    """``plain`` and, after it, a copy of ``share`` of its rows with one title letter changed."""
    rng = random.Random(0)
    picked = rng.sample(range(len(plain)), max(1, int(len(plain) * share)))
    titles = []
    for i in picked:
        title = str(plain.loc[i, "title"])
        where = rng.choice([k for k, c in enumerate(title) if c.isalpha() and k > title.index(":")])
        letter = rng.choice(string.ascii_lowercase.replace(title[where].lower(), ""))
        titles.append(title[:where] + letter + title[where + 1 :])
    copies = plain.iloc[picked].assign(title=titles, paper_id=paper_ids(titles))
    return pd.concat([plain, copies], ignore_index=True), picked


def near_rows(quick: bool) -> list[Row]:
    out = []
    for n in [2_000] if quick else [10_000, 100_000]:
        plain = litreview.read_listing(listing(n), errors="ignore")
        table, picked = with_typos(plain)
        seconds, pairs = timed(lambda table=table: litreview.near_duplicates(table))
        base_s, _ = timed(lambda table=table: merge_papers([table]))
        found = set(zip(pairs["paper_id"], pairs["other_id"], strict=True))
        copies = table["paper_id"].to_numpy()[n:]
        hits = sum(
            (plain.loc[i, "paper_id"], c) in found for i, c in zip(picked, copies, strict=True)
        )
        target = NEAR_TARGET_S.get(n)
        out.append(
            Row(
                "near duplicates",
                f"{n:,} + {len(picked):,} typo copies -> {len(pairs):,} pairs",
                len(table),
                seconds,
                "exact merge",
                base_s,
                f"< {target:.0f} s" if target else "",
                None if quick or target is None else seconds < target and hits == len(picked),
                f"recall {hits}/{len(picked)}",
            )
        )
    return out


def rows(quick: bool) -> list[Row]:
    return [*exact_rows(quick), *near_rows(quick)]


def exact_rows(quick: bool) -> list[Row]:
    n = 2_000 if quick else 100_000
    plain = litreview.read_listing(listing(n), errors="ignore")
    api = api_papers(n)
    seconds, (merged, _) = timed(lambda: merge_papers([plain, api], ["hf-text", "hf-json"]))

    def naive() -> pd.DataFrame:
        both = pd.concat([plain, api], ignore_index=True)
        key = both["title"].map(normalize_title)
        return both.loc[~key.duplicated()]

    base_s, deduped = timed(naive)
    expected = n + n // 2
    ok = seconds < TARGET_S and len(merged) == expected and len(deduped) == expected
    return [
        Row(
            "merge",
            f"{n:,} plain + {n:,} API, 50% shared -> {len(merged):,}",
            2 * n,
            seconds,
            "concat+drop_duplicates",
            base_s,
            f"< {TARGET_S:.0f} s",
            ok if not quick else None,
        )
    ]
