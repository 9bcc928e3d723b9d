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

from litreview._text import END, batch_bytes, words_of_many
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


# ---------------------------------------------------------------- the bulk tokenizer

BULK_CHUNK = 1000  # papers per batch of the bulk tokenizer (its arrays stay small)
_SHORT = 16  # bytes of a word held exactly by its two 8-byte keys
_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [2**64 - 1], dtype=np.uint64)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))


class _Collision(Exception):
    """Two different words met under one hash: the bulk tokenizer gives way."""


def tokenize_all(
    titles: list[str], abstracts: list[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``Vocabulary().tokenize(titles, abstracts)`` and the words by id, in bulk.

    The same words as :func:`~litreview._text.words_of_many` (the batch text is made
    by the same :func:`~litreview._text.batch_bytes`), split and looked up by numpy
    over its bytes: a word of up to 16 bytes is its two 8-byte keys, hashed and
    numbered by a C hash table, and every word is compared with the one first seen
    under its hash (a collision falls back to the Python tokenizer, so the result is
    exact). The ids differ from :class:`Vocabulary`'s (short and long words are
    numbered apart): only the words and the stream they spell are the same.

    >>> stream, lengths, words = tokenize_all(["Vision ViT"], ["Vision, again"])
    >>> [words[i] if i >= 0 else "|" for i in stream], lengths.tolist()
    (['vision', 'vit', '|', 'vision', 'again', '|'], [3, 3])
    """
    try:
        return _Bulk().run(titles, abstracts)
    except (_Collision, ImportError):  # ImportError: a pandas without its hash tables
        vocab = Vocabulary()
        stream, lengths = vocab.tokenize(titles, abstracts)
        return stream, lengths, vocab.words()


class _Bulk:
    """One bulk tokenization: a hash table of the short words' keys, numbered as they
    come (labels), each label's keys and word id, and the long words by their bytes."""

    def __init__(self) -> None:
        from pandas._libs.hashtable import UInt64HashTable

        self.table = UInt64HashTable(1 << 16)
        self.label_keys = np.zeros((1 << 14, 3), dtype=np.uint64)  # k1, k2, length
        self.label_word = np.zeros(1 << 14, dtype=np.int32)
        self.words: list[str] = []
        self.long_ids: dict[bytes, int] = {}

    def run(
        self, titles: list[str], abstracts: list[str]
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        texts = np.empty(2 * len(titles), dtype=object)
        texts[0::2] = titles
        texts[1::2] = abstracts
        parts, lengths = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int64)]
        for start in range(0, len(texts), 2 * BULK_CHUNK):
            ids = self.chunk(batch_bytes(texts[start : start + 2 * BULK_CHUNK].tolist()))
            lengths.append(np.diff(np.flatnonzero(ids == SEP), prepend=-1))
            parts.append(ids)
        return np.concatenate(parts), np.concatenate(lengths), self.words

    def chunk(self, joined: bytes) -> np.ndarray:
        """The ids of the words of one batch (words separated by spaces)."""
        n = len(joined)
        buf = np.frombuffer(joined + b" " * (2 * _SHORT), dtype=np.uint8)
        is_word = np.zeros(n + 2, dtype=bool)
        np.not_equal(buf[:n], 32, out=is_word[1:-1])
        edges = np.flatnonzero(is_word[1:] != is_word[:-1])
        starts, lens = edges[0::2], edges[1::2] - edges[0::2]
        view = np.ndarray(shape=(n + _SHORT,), dtype="<u8", buffer=buf, strides=(1,))
        k1 = view[starts] & _MASKS[np.minimum(lens, 8)]
        k2 = view[starts + 8] & _MASKS[np.clip(lens - 8, 0, 8)]
        short = lens <= _SHORT
        if short.all():
            return self.short_ids(joined, starts, k1, k2, lens)
        out = np.empty(len(starts), dtype=np.int32)
        out[short] = self.short_ids(joined, starts[short], k1[short], k2[short], lens[short])
        for at in np.flatnonzero(~short).tolist():  # rare: words of more than 16 bytes
            word = joined[int(starts[at]) : int(starts[at] + lens[at])]
            if word not in self.long_ids:
                self.long_ids[word] = len(self.words)
                self.words.append(word.decode("utf-8"))
            out[at] = self.long_ids[word]
        return out

    def short_ids(
        self, joined: bytes, starts: np.ndarray, k1: np.ndarray, k2: np.ndarray, lens: np.ndarray
    ) -> np.ndarray:
        """Ids of words held by their keys (END, a lone \\x01, is SEP), checked exactly."""
        from pandas._libs.hashtable import UInt64Vector

        size = lens.astype(np.uint64)
        before = len(self.table)
        labels = self.table.get_labels((k1 * _MIX[0]) ^ (k2 * _MIX[1]) ^ size, UInt64Vector(),
                                       before, -1)  # fmt: skip
        new = labels >= before
        if new.any():
            rep = np.empty(len(self.table) - before, dtype=np.int64)
            rep[labels[new] - before] = np.flatnonzero(new)  # any word stands for its label
            self._grow(len(self.table))
            keys = np.stack([k1[rep], k2[rep], size[rep]], axis=1)
            self.label_keys[before : len(self.table)] = keys
            end = (keys[:, 0] == 1) & (keys[:, 2] == 1)
            first = len(self.words)
            word_ids = np.full(len(rep), SEP, dtype=np.int32)
            word_ids[~end] = np.arange(first, first + int((~end).sum()), dtype=np.int32)
            self.label_word[before : len(self.table)] = word_ids
            self.words.extend(
                joined[s : s + n].decode("utf-8")
                for s, n in zip(starts[rep[~end]].tolist(), lens[rep[~end]].tolist(), strict=True)
            )
        for column, mine in enumerate((k1, k2, size)):
            if not np.array_equal(self.label_keys[labels, column], mine):
                raise _Collision
        return self.label_word[labels]

    def _grow(self, size: int) -> None:
        """Room for ``size`` labels (doubling: linear work in all)."""
        if size > len(self.label_word):
            capacity = max(2 * len(self.label_word), size)
            keys = np.zeros((capacity, 3), dtype=np.uint64)
            keys[: len(self.label_keys)] = self.label_keys
            word = np.zeros(capacity, dtype=np.int32)
            word[: len(self.label_word)] = self.label_word
            self.label_keys, self.label_word = keys, word
