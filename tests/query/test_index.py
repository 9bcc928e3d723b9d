"""SearchIndex internals a search relies on: which rows are which indexed papers, phrases."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

import litreview
from litreview.query.filters import match_mask, search
from litreview.query.index import SearchIndex
from litreview.query.index_rows import SameObjects, addresses
from litreview.query.segment import follow
from litreview.schema import papers_from_columns


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litreview.read_listing(litreview.SAMPLE_LISTING)


def fresh_strings(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every paper id an equal but new string object."""
    ids = ["".join(list(str(pid))) for pid in df["paper_id"]]
    out = df.copy()
    out["paper_id"] = pd.array(ids, dtype=df["paper_id"].dtype)
    assert out["paper_id"].iloc[0] is not df["paper_id"].iloc[0]
    return out


def test_addresses_name_the_very_objects() -> None:
    a = np.array(["x" * 3, "y" * 3, "x" * 3], dtype=object)
    equal = np.array(["".join("xxx"), "".join("yyy"), "".join("xxx")], dtype=object)
    assert (addresses(a) == addresses(a.copy())).all()
    assert not (addresses(a) == addresses(equal)).any()
    assert addresses(a[::-1]).tolist() == addresses(a).tolist()[::-1]
    view = addresses(np.array(["kept" * 2], dtype=object))
    gc.collect()  # the view keeps its array (and so the objects) alive
    assert view.base.values[0] == "keptkept" and not view.flags.writeable
    same = SameObjects(a)
    a[0] = "changed"  # the copy holds the objects it was given
    assert not same.holds(a) and same.holds(same.values) and not same.holds(a[:2])


def test_equal_ids_are_aligned_then_checked_by_address(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers)
    assert index.align(papers) is None and index._same_ids is None  # the very same objects
    other = fresh_strings(papers)
    assert index.align(other) is None and index._same_ids is not None
    assert index._same_ids.holds(other["paper_id"].to_numpy(dtype=object))
    assert index.align(other.copy()) is None  # another table holding those objects
    changed = other.copy()
    changed.loc[changed.index[3], "paper_id"] = "a-new-paper"
    where = index.align(changed)  # not the indexed ids: the new paper is added first
    assert where is not None and len(index) == len(papers) + 1
    assert (
        where[3] == len(papers)
        and np.delete(where, 3).tolist() == np.delete(np.arange(len(papers)), 3).tolist()
    )


def test_remembered_alignments_never_outlive_their_ids(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers)
    expected = np.arange(len(papers))[::-1]
    for _ in range(3):  # new objects each time: a fresh alignment, never a stale one
        flipped = fresh_strings(papers.iloc[::-1])
        assert index.align(flipped).tolist() == expected.tolist()
        del flipped
        gc.collect()
    shuffled = fresh_strings(papers.sample(frac=1.0, random_state=3))
    want = pd.Index(index.ids).get_indexer(pd.Index(shuffled["paper_id"]))
    assert index.align(shuffled).tolist() == want.tolist()
    assert index.align(shuffled.copy()).tolist() == want.tolist()  # remembered
    for seed in range(6):  # more tables than are remembered
        index.align(papers.sample(frac=0.5, random_state=seed))
    assert index.align(shuffled).tolist() == want.tolist()
    for query in ['"vision transformer"', "efficient attention", "title:token -survey"]:
        a, b = search(shuffled, query), search(papers, query)
        assert sorted(a["paper_id"]) == sorted(b["paper_id"])
        scores = [dict(zip(t["paper_id"], t["score"], strict=True)) for t in (a, b)]
        assert scores[0] == scores[1]


def test_adding_the_indexed_papers_again_adds_none(papers: pd.DataFrame) -> None:
    index = SearchIndex(papers)
    assert index.add(fresh_strings(papers)) == 0 and index.add(papers) == 0
    version = index.version
    assert index.add(fresh_strings(papers)) == 0 and index.version == version


def test_follow_reads_the_next_words_up_to_the_stream_end() -> None:
    stream = np.array([3, 1, -1, 2, -1], dtype=np.int32)
    assert follow(stream, np.array([0, 3], dtype=np.int32), 1).tolist() == [1, -1]
    assert follow(stream, np.array([1, 2], dtype=np.int32), 2).tolist() == [2, -1]
    assert follow(stream[:0], np.zeros(0, dtype=np.int32), 1).tolist() == []


def test_long_phrases_match_exactly_where_the_words_follow() -> None:
    titles = ["low rank adapter tuning", "rank adapter low", "low rank", "adapter low rank adapter"]
    df = papers_from_columns(
        {
            "paper_id": [f"p{i}" for i in range(len(titles))],
            "title": titles,
            "abstract": ["rank adapter", "low rank adapter", "", "low rank"],
        }
    )
    index = SearchIndex(df)
    assert match_mask(df, '"low rank adapter"', index=index).tolist() == [True, True, False, True]
    assert match_mask(df, 'title:"low rank adapter"', index=index).tolist() == [
        True,
        False,
        False,
        True,
    ]
    assert match_mask(df, 'abstract:"rank adapter"', index=index).tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert match_mask(df, '"adapter tuning low"', index=index).tolist() == [False] * 4
