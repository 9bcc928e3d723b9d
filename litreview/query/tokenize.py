"""Paper text -> a word stream of term ids (what the search index is built from).

Words are :func:`litreview._text.words_of_many`'s (the query language's words: folded,
split on non-word characters); each distinct word gets an id in order of first
appearance, and every title and abstract ends with ``SEP``.

    >>> vocab = Vocabulary()
    >>> stream, lengths = vocab.tokenize(["Vision ViT"], ["Vision, again"])
    >>> stream.tolist(), lengths.tolist(), vocab.words()
    ([0, 1, -1, 0, 2, -1], [3, 3], ['vision', 'vit', 'again'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview._text import END, words_of_many
from litreview.query.segment import SEP

CHUNK = 2000  # papers tokenized per batch (bounded memory: one batch of words at a time)


class _Ids(dict[str, int]):
    """word -> id in order of first appearance; END (the end of a text) is SEP."""

    def __missing__(self, word: str) -> int:
        new_id = self[word] = len(self) - 1
        return new_id


class Vocabulary:
    """The words seen so far, and the tokenizer that extends them."""

    def __init__(self, words: list[str] | None = None) -> None:
        self._ids = _Ids({END: SEP})
        for word in words or ():
            self._ids[word]

    def __len__(self) -> int:
        return len(self._ids) - 1

    def words(self) -> list[str]:
        """Every word, by id."""
        return [w for w in self._ids if w != END]

    def tokenize(self, titles: list[str], abstracts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids of every title then abstract, each followed by SEP, and the length
        of each text with its SEP (title 0, abstract 0, title 1, ...)."""
        texts = np.empty(2 * len(titles), dtype=object)
        texts[0::2] = titles
        texts[1::2] = abstracts
        lookup = self._ids.__getitem__
        parts, lengths = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int64)]
        for start in range(0, len(texts), 2 * CHUNK):
            tokens = words_of_many(texts[start : start + 2 * CHUNK].tolist())
            ids = np.fromiter(map(lookup, tokens), dtype=np.int32, count=len(tokens))
            lengths.append(np.diff(np.flatnonzero(ids == SEP), prepend=-1))
            parts.append(ids)
        return np.concatenate(parts), np.concatenate(lengths)


def texts_of(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The titles and abstracts of a paper table ("" where missing)."""
    return _text(df, "title"), _text(df, "abstract")


def _text(df: pd.DataFrame, column: str) -> list[str]:
    values = df[column].fillna("")
    if not isinstance(values.dtype, pd.StringDtype):  # strings already: no copy
        values = values.astype(str)
    return values.tolist()
