"""Near-duplicate papers: titles that differ by a typo, a dropped subtitle or word order.

Exact merging (:func:`litreview.read_listings`) joins rows on the arXiv id or
the normalized title. This opt-in step finds the pairs it kept apart, for the
reviewer to look at, and merges the pairs they confirm:

>>> from litreview.schema import papers_from_columns
>>> titles = ["Transformer in Transformer", "Tranformer in Transformer"]
>>> papers = papers_from_columns({"paper_id": ["a", "b"], "title": titles})
>>> pairs = near_duplicates(papers)
>>> pairs[["paper_id", "other_id", "why"]].values.tolist()
[['a', 'b', 'title 98% alike']]
>>> len(merge_near_duplicates(papers, pairs))
1

Scoring
-------
Titles are compared folded (accents, case, punctuation and extra whitespace
removed). The score is the larger of ``fuzz.ratio`` on the folded titles
(typos) and on the titles with their words sorted (``fuzz.token_sort_ratio``:
word order). ``token_set_ratio`` is not used: it scores a title inside a longer
one at 100 ("Transformer" vs "Transformer survey"), which are different papers.
A dropped subtitle is found by also comparing the part before the first
``:``, `` - `` or ``?`` (the main title, three words or more) with the other
full title, and a dropped name ("ViT: An Image is Worth 16x16 Words") by
comparing the part after a one-word name; these partial matches score 0.95
times their similarity, and two titles are never matched on both their main
titles (different subtitles). Names must agree when both titles have one
("BERT: X" is not "RoBERTa: X", so a typo in a name is not found), and so
must numbers ("Llama 2" is not "Llama 3").

Blocking
--------
Only titles sharing one of their three rarest words (counted over the table)
are compared, so 100k papers take seconds, not the hours of all n^2 pairs. A
title with one or two mistyped words still shares a rare word with its
original. Words that are among the rarest of more than ``_BLOCK`` titles (a
title made only of common words) fall back to a sorted neighbourhood: each
title is compared with its nearest titles in alphabetical order of the folded
title and of its reverse.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Hashable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from litreview.ids import arxiv_conflict, normalize_arxiv_id, title_key, title_words
from litreview.readers.merge import merge_rows

PAIR_COLUMNS = ("paper_id", "title", "other_id", "other_title", "score", "why")
_SEPARATOR = re.compile(r":\s|\?\s|\s+(?:--?|[–—])\s+")
_DIGITS = re.compile(r"\d+")
_KEYS = 3  # rarest words per title that it is blocked on
_BLOCK = 100  # largest block compared in full; bigger ones use a sorted neighbourhood
_WINDOW = 4  # neighbours compared in a sorted neighbourhood
_MIN_PART_WORDS = 3
_PART_WEIGHT = 0.95
FULL, HEAD, MAIN = 0, 1, 2  # whole title, title without subtitle, title without its name
# kinds that may be compared: not two main titles, not two titles both without their name
_ALLOWED = np.array([[True, True, True], [True, False, True], [True, True, False]])
_WHY = {
    (FULL, FULL): "title {:.0f}% alike",
    (FULL, HEAD): "title {:.0f}% alike without one subtitle",
    (FULL, MAIN): "title {:.0f}% alike without the name before ':'",
    (HEAD, MAIN): "main title {:.0f}% alike (one without its name, one without its subtitle)",
}


def near_duplicates(df: pd.DataFrame, *, threshold: float = 90.0) -> pd.DataFrame:
    """Pairs of rows whose titles are alike but that exact merging kept apart, best first.

    Columns ``paper_id``, ``title`` (the earlier row: merging keeps its id),
    ``other_id``, ``other_title``, ``score`` (0-100) and ``why``. Rows with
    different arXiv ids, the same ``paper_id``, the same arXiv id or the same
    normalized title (which :func:`litreview.read_listings` merges already) are
    never paired; each pair is given once. See the module docstring for the
    scoring and its limits.

    >>> import litreview
    >>> len(near_duplicates(litreview.read_listing(litreview.SAMPLE_LISTING)))
    0
    """
    titles = df["title"].astype("string").fillna("").to_numpy(dtype=object)
    entry_row, entry_kind, texts, names = _entries(titles)
    ea, eb = _candidates(texts, entry_row)
    ea, eb = _keep_comparable(df, titles, names, entry_row, entry_kind, texts, ea, eb)
    if len(ea) == 0:
        return _empty_pairs()
    sorted_texts = np.array([" ".join(sorted(t.split())) for t in texts], dtype=object)
    plain = process.cpdist(texts[ea], texts[eb], scorer=fuzz.ratio, workers=-1, dtype=np.float64)
    by_words = process.cpdist(
        sorted_texts[ea], sorted_texts[eb], scorer=fuzz.ratio, workers=-1, dtype=np.float64
    )
    alike = np.maximum(plain, by_words)
    kind_a, kind_b = (
        np.minimum(entry_kind[ea], entry_kind[eb]),
        np.maximum(entry_kind[ea], entry_kind[eb]),
    )
    score = np.round(np.where(kind_b == FULL, alike, alike * _PART_WEIGHT), 1)
    keep = score >= threshold
    ra, rb = entry_row[ea][keep], entry_row[eb][keep]
    found = pd.DataFrame(
        {
            "a": np.minimum(ra, rb),
            "b": np.maximum(ra, rb),
            "score": score[keep],
            "why": [
                _WHY[(int(ka), int(kb))].format(s)
                for ka, kb, s in zip(kind_a[keep], kind_b[keep], alike[keep], strict=True)
            ],
        }
    )
    return _pairs_table(df, titles, found)


def merge_near_duplicates(df: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Merge the confirmed ``pairs`` (``paper_id`` and ``other_id`` columns, e.g. from
    :func:`near_duplicates`, filtered by the reviewer) into one row per paper.

    The rules are those of exact merging (:func:`litreview.readers.merge.merge_rows`):
    the earliest row keeps its ``paper_id`` and title, each field takes its
    richest value and ``sources`` are united. Pairs chain (a~b and b~c make
    one paper), except that a pair which would join two different arXiv ids
    is skipped with a warning. An id missing from ``df`` raises ``ValueError``.

    >>> from litreview.schema import papers_from_columns
    >>> papers = papers_from_columns(
    ...     {"paper_id": ["a", "b", "c"], "title": ["X", "Y", "Z"],
    ...      "sources": [["x.txt:1"], ["y.txt:5"], ["z.txt:9"]]})
    >>> pairs = pd.DataFrame({"paper_id": ["a"], "other_id": ["c"]})
    >>> merge_near_duplicates(papers, pairs)[["paper_id", "sources"]].values.tolist()
    [['a', ['x.txt:1', 'z.txt:9']], ['b', ['y.txt:5']]]
    """
    ids = df["paper_id"].astype("string").to_numpy(dtype=object, na_value="")
    arxiv: dict[Hashable, str] = {}
    for pid, value in zip(ids, df["arxiv_id"].astype("string").to_numpy(dtype=object), strict=True):
        bare = normalize_arxiv_id(value) if isinstance(value, str) else None
        if bare and pid not in arxiv:
            arxiv[pid] = bare
    known = set(ids)
    wanted = pd.unique(pairs[["paper_id", "other_id"]].to_numpy(dtype=object).ravel())
    unknown = sorted(str(p) for p in wanted if p not in known)
    if unknown:
        raise ValueError(f"pairs name paper_ids not in the table: {', '.join(unknown)}")
    parent: dict[Hashable, Hashable] = {}
    skipped = []
    for a, b in zip(pairs["paper_id"], pairs["other_id"], strict=True):
        root_a, root_b = _find(parent, a), _find(parent, b)
        if root_a == root_b:
            continue
        id_a, id_b = arxiv.get(root_a), arxiv.get(root_b)
        if arxiv_conflict(id_a, id_b):  # the "same paper" rule of litreview.ids
            skipped.append(f"{a}~{b} ({id_a} vs {id_b})")
            continue
        parent[root_b] = root_a
        if id_b and not id_a:
            arxiv[root_a] = id_b
    if skipped:
        warnings.warn(
            "pairs not merged, they would join different arXiv ids: " + "; ".join(skipped),
            stacklevel=2,
        )
    groups = [("paper", _find(parent, p)) if p in parent else ("row", i) for i, p in enumerate(ids)]
    return merge_rows(df, groups)


def _find(parent: dict[Hashable, Hashable], item: Hashable) -> Hashable:
    """Root of ``item`` in a union-find forest (added as its own root when new)."""
    root = parent.setdefault(item, item)
    while parent[root] != root:
        root = parent[root]
    while parent[item] != root:  # path compression
        parent[item], item = root, parent[item]
    return root


def _entries(titles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The texts compared: every folded title, its main title (before the first
    subtitle separator) and the title without a one-word name before it; with
    the row and the kind of each; and each row's one-word name ("" if none)."""
    names = np.full(len(titles), "", dtype=object)
    rows: list[int] = []
    kinds: list[int] = []
    texts: list[str] = []
    for row, title in enumerate(titles):
        rows.append(row)
        kinds.append(FULL)
        texts.append(title_words(title))
        match = _SEPARATOR.search(title)
        if match is None:
            continue
        name, rest = title[: match.start()].strip(), title_words(title[match.end() :])
        head = title_words(name)
        if rest and len(head.split()) >= _MIN_PART_WORDS:
            rows.append(row)
            kinds.append(HEAD)
            texts.append(head)
        if name and len(name.split()) == 1 and len(rest.split()) >= _MIN_PART_WORDS:
            names[row] = head
            rows.append(row)
            kinds.append(MAIN)
            texts.append(rest)
    entry_row = np.array(rows, dtype=np.int64)
    return entry_row, np.array(kinds, dtype=np.int8), np.array(texts, dtype=object), names


def _candidates(texts: np.ndarray, entry_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entry pairs ``(a, b)``, ``a < b``, that share one of their rarest words."""
    counts: Counter[str] = Counter()
    full = np.r_[True, entry_row[1:] != entry_row[:-1]] if len(entry_row) else np.zeros(0, bool)
    for text in texts[full]:
        counts.update(set(text.split()))
    key_ids: dict[str, int] = {}
    members: list[int] = []
    keys: list[int] = []
    for entry, text in enumerate(texts):
        rarest = sorted(set(text.split()), key=lambda w: (counts[w], w))[:_KEYS]
        for word in rarest:
            members.append(entry)
            keys.append(key_ids.setdefault(word, len(key_ids)))
    key = np.array(keys, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    member = np.array(members, dtype=np.int64)[order]
    starts = np.flatnonzero(np.r_[True, np.diff(key[order]) != 0]) if len(key) else key
    sizes = np.diff(np.r_[starts, len(key)])
    firsts, seconds = [], []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= _BLOCK)]):
        block_starts = starts[sizes == size]
        i, j = np.triu_indices(size, 1)
        firsts.append(member[(block_starts[:, None] + i).ravel()])
        seconds.append(member[(block_starts[:, None] + j).ravel()])
    big = np.flatnonzero(sizes > _BLOCK)
    if len(big):
        ranks = [_rank(texts), _rank(np.array([t[::-1] for t in texts], dtype=object))]
        for number in big:
            block = member[starts[number] : starts[number] + sizes[number]]
            for rank in ranks:
                ordered = block[np.argsort(rank[block])]
                for step in range(1, _WINDOW + 1):
                    firsts.append(ordered[:-step])
                    seconds.append(ordered[step:])
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    a, b = np.minimum(a, b), np.maximum(a, b)
    code = np.sort(a * len(texts) + b)
    code = code[np.r_[True, code[1:] != code[:-1]]]
    return code // len(texts), code % len(texts)


def _rank(values: np.ndarray) -> np.ndarray:
    """Position of each value in sorted order."""
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.argsort(values, kind="stable")] = np.arange(len(values))
    return rank


def _keep_comparable(
    df: pd.DataFrame,
    titles: np.ndarray,
    names: np.ndarray,
    entry_row: np.ndarray,
    entry_kind: np.ndarray,
    texts: np.ndarray,
    ea: np.ndarray,
    eb: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The entry pairs worth scoring: two rows that exact merging kept apart,
    kinds that may be compared, the same numbers, not two different names."""
    ra, rb = entry_row[ea], entry_row[eb]
    keep = (ra != rb) & _ALLOWED[entry_kind[ea], entry_kind[eb]]
    ea, eb, ra, rb = ea[keep], eb[keep], ra[keep], rb[keep]
    ids = df["paper_id"].astype("string").to_numpy(dtype=object, na_value="")
    arxiv = np.array(
        [
            normalize_arxiv_id(a) or "" if isinstance(a, str) else ""
            for a in df["arxiv_id"].astype("string").to_numpy(dtype=object, na_value="")
        ],
        dtype=object,
    )
    keys = np.array([title_key(t) for t in titles], dtype=object)
    digits = np.array([" ".join(_DIGITS.findall(t)) for t in texts], dtype=object)
    keep = (ids[ra] != ids[rb]) & (keys[ra] != keys[rb]) & (digits[ea] == digits[eb])
    keep &= (arxiv[ra] == "") | (arxiv[rb] == "")  # the same arXiv id merges exactly
    keep &= (names[ra] == names[rb]) | (names[ra] == "") | (names[rb] == "")
    return ea[keep], eb[keep]


def _pairs_table(df: pd.DataFrame, titles: np.ndarray, found: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of paper ids, the best score of each, best first."""
    ids = df["paper_id"].astype("string").to_numpy(dtype=object, na_value="")
    found = found.assign(id_a=ids[found["a"]], id_b=ids[found["b"]])
    found["low"] = np.minimum(found["id_a"], found["id_b"])
    found["high"] = np.maximum(found["id_a"], found["id_b"])
    found = found.sort_values(["score", "a", "b"], ascending=[False, True, True], kind="stable")
    found = found.drop_duplicates(["low", "high"])
    out = pd.DataFrame(
        {
            "paper_id": found["id_a"].to_numpy(),
            "title": titles[found["a"]],
            "other_id": found["id_b"].to_numpy(),
            "other_title": titles[found["b"]],
            "score": found["score"].to_numpy(dtype=np.float64),
            "why": found["why"].to_numpy(),
        }
    )
    return out.astype(
        {
            "paper_id": "string",
            "title": "string",
            "other_id": "string",
            "other_title": "string",
            "why": "string",
        }
    )


def _empty_pairs() -> pd.DataFrame:
    dtypes = dict.fromkeys(PAIR_COLUMNS, "string") | {"score": "float64"}
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in dtypes.items()})


__all__ = ["PAIR_COLUMNS", "merge_near_duplicates", "near_duplicates"]
