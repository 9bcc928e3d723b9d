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


def brute_postings(
    stream: np.ndarray, starts: np.ndarray, v: int, title_weight: int
) -> tuple[list[int], list[int], list[float], list[int], list[int]]:
    """ptr, docs, tf, title_ptr, title_docs of a word stream, counted one word at a time."""
    counts: dict[tuple[int, int], list[int]] = {}
    bounds = [*starts.tolist(), len(stream)]
    for seg in range(len(starts)):
        for term in stream[bounds[seg] : bounds[seg + 1]].tolist():
            if term >= 0:
                counts.setdefault((term, seg // 2), [0, 0])[seg % 2] += 1
    ptr, docs, tf, title_ptr, title_docs = [0], [], [], [0], []
    for term in range(v):
        mine = sorted(doc for t, doc in counts if t == term)
        docs += mine
        tf += [float(title_weight * counts[term, d][0] + counts[term, d][1]) for d in mine]
        title_docs += [d for d in mine if counts[term, d][0]]
        ptr.append(len(docs))
        title_ptr.append(len(title_docs))
    return ptr, docs, tf, title_ptr, title_docs


@pytest.mark.parametrize("v", [3, 40, 5000])  # fewer groups than terms (a delta) and more
def test_derive_counts_every_word_of_the_stream(v: int) -> None:
    from litreview.query.segment import SEP, derive

    rng = np.random.default_rng(v)
    for _ in range(5):
        n_docs = int(rng.integers(1, 30))
        used = rng.choice(v, size=min(v, 12), replace=False)  # a few of the terms
        pieces, starts = [], []
        for _seg in range(2 * n_docs):
            starts.append(sum(map(len, pieces)))
            words = rng.choice(used, size=int(rng.integers(0, 6)))
            pieces.append(np.append(words, SEP).astype(np.int32))
        stream = np.concatenate(pieces)
        seg = derive(stream, np.array(starts, dtype=np.int64), v, 3)
        ptr, docs, tf, title_ptr, title_docs = brute_postings(stream, np.array(starts), v, 3)
        assert seg.ptr.tolist() == ptr and seg.docs.tolist() == docs and seg.tf.tolist() == tf
        assert seg.title_ptr.tolist() == title_ptr and seg.title_docs.tolist() == title_docs
        assert seg.ptr.dtype == seg.title_ptr.dtype == np.int64


def test_adding_the_whole_table_indexes_only_its_new_papers(papers: pd.DataFrame) -> None:
    head, tail = papers.iloc[:20], papers.iloc[20:]
    for table in (
        papers,  # the indexed papers first (a review after an import): the tail is new
        fresh_strings(papers),  # equal ids, other objects
        pd.concat([papers.iloc[:20], tail.iloc[:3], papers.iloc[[5]], tail.iloc[:3], tail]),
        pd.concat([tail, head]),  # new ones first
    ):
        index = SearchIndex(head)
        assert index.add(table) == len(tail)
        assert index.ids.tolist() == [*head["paper_id"], *tail["paper_id"]]
        whole = SearchIndex(papers)
        for query in ["transformer", '"vision transformer"', "title:efficient", "token*"]:
            a, b = search(papers, query, index=index), search(papers, query, index=whole)
            assert a["paper_id"].tolist() == b["paper_id"].tolist()
            assert a["score"].tolist() == b["score"].tolist(), query


@pytest.mark.parametrize("sample", [1, 2048])  # next words checked in sampled order, or in turn
def test_phrases_of_several_words_equal_the_regular_expression(
    monkeypatch: pytest.MonkeyPatch, sample: int
) -> None:
    from litreview._text import fold
    from litreview.query import segment
    from litreview.query.evaluate import text_regex
    from litreview.query.language import parse

    monkeypatch.setattr(segment, "PHRASE_SAMPLE", sample)
    rng = np.random.default_rng(5)
    vocab = ["low", "rank", "adapter", "tuning", "low-rank", "fine"]
    texts = [" ".join(rng.choice(vocab, size=int(rng.integers(0, 9)))) for _ in range(120)]
    df = papers_from_columns(
        {
            "paper_id": [f"p{i}" for i in range(60)],
            "title": texts[:60],
            "abstract": texts[60:],
        }
    )
    index = SearchIndex(df)
    for query in ['"low rank adapter"', '"rank low rank"', '"low rank low rank"',
                  'title:"fine low rank"', '"adapter adapter tuning"']:  # fmt: skip
        node = parse(query)
        pattern = text_regex(node)  # type: ignore[arg-type]
        field = getattr(node, "field", None)
        cells = [df["title"]] if field == "title" else [df["title"], df["abstract"]]
        expected = np.zeros(len(df), dtype=bool)
        for cell in cells:
            expected |= np.array([pattern.search(fold(t)) is not None for t in cell])
        assert match_mask(df, query, index=index).tolist() == expected.tolist(), query
        assert expected.any() or query == '"adapter adapter tuning"'


def test_the_cached_index_is_found_by_the_papers_it_holds(papers: pd.DataFrame) -> None:
    from litreview.query.filters import index_for

    index_for.cache_clear()  # type: ignore[attr-defined]
    index = index_for(papers)
    assert index_for(fresh_strings(papers)) is index  # equal ids, other objects
    assert index_for(papers.iloc[5:]) is index and index_for(papers.iloc[::-1]) is index
    renamed = papers.assign(paper_id=[f"x{i}" for i in range(len(papers))])
    other = index_for(renamed)  # as many papers, other ids: another index
    assert other is not index and list(other.ids) == list(renamed["paper_id"])
    assert index_for(papers) is index and index_for(renamed) is other
    for i in range(5):  # more tables than are kept: the least recently used goes
        index_for(papers.assign(paper_id=[f"t{i}-{j}" for j in range(len(papers))]))
    assert index_for(papers) is not index


def test_folded_cells_are_remembered_while_they_are_the_same_objects() -> None:
    index = SearchIndex(papers_from_columns({"paper_id": ["a", "b", "c"], "title": ["x"] * 3}))
    orgs: list[object] = ["Meta AI", None, "Université Paris"]
    authors: list[object] = [["Ann Lee", "Bo"], ["Ann Lee", "Bo"], []]  # equal lengths: cells
    first = index.folded("organization", orgs)
    assert first.tolist() == ["meta ai", "", "universite paris"]
    assert index.folded("organization", list(orgs)) is first  # another list, the same cells
    equal = ["".join("Meta AI"), None, "".join("Université Paris")]
    assert index.folded("organization", equal) is not first  # equal text, other objects
    changed = [orgs[0], "DeepMind", orgs[2]]
    assert index.folded("organization", changed).tolist() == [
        "meta ai",
        "deepmind",
        "universite paris",
    ]
    names = index.folded("authors", authors)
    assert names.shape == (3,) and names[0] == names[1] and names[2] == ""
    assert index.folded("authors", authors) is names
    assert index.folded("organization", orgs[:2]).tolist() == ["meta ai", ""]
