"""The bulk tokenizer (numpy over the bytes, a C hash table) spells exactly the words of
the Python tokenizer, whatever the text, and gives way to it on a hash collision."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview._text import END, words_of_many
from litreview.query.segment import SEP
from litreview.query.tokenize import Vocabulary, texts_of, tokenize_all

tokenize_module = importlib.import_module("litreview.query.tokenize")
texts = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
        st.text(alphabet="abcXYZ_09 -.\x01é日ﬁ", max_size=60),  # words of 15-17 bytes too
        st.sampled_from(["", "a" * 16, "B" * 17, "c" * 8 + "-" + "d" * 9, "x" * 40]),
    ),
    max_size=8,
)


def spelled(stream: np.ndarray, words: list[str]) -> list[str]:
    table = np.array([*words, END], dtype=object)  # SEP (-1) reads the last entry
    return list(table[stream])


def assert_like_the_python_tokenizer(titles: list[str], abstracts: list[str]) -> None:
    stream, lengths, words = tokenize_all(titles, abstracts)
    vocab = Vocabulary()
    want_stream, want_lengths = vocab.tokenize(titles, abstracts)
    assert spelled(stream, words) == spelled(want_stream, vocab.words())
    assert lengths.tolist() == want_lengths.tolist()
    assert sorted(words) == sorted(vocab.words()) and len(set(words)) == len(words)
    assert stream.dtype == np.int32 and lengths.dtype == np.int64


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_the_bulk_tokenizer_spells_the_python_tokenizers_words(
    titles: list[str], abstracts: list[str]
) -> None:
    n = min(len(titles), len(abstracts))
    assert_like_the_python_tokenizer(titles[:n], abstracts[:n])


def test_batches_share_one_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    monkeypatch.setattr(tokenize_module, "BULK_CHUNK", 5)  # many batches, words met again
    assert_like_the_python_tokenizer(*texts_of(papers))
    stream, _, words = tokenize_all(*texts_of(papers))
    joined = words_of_many([t for pair in zip(*texts_of(papers), strict=True) for t in pair])
    assert spelled(stream, words) == joined
    assert int((stream == SEP).sum()) == 2 * len(papers)


def test_a_hash_collision_falls_back_to_the_exact_tokenizer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zero = np.uint64(0)
    monkeypatch.setattr(tokenize_module, "_MIX", (zero, zero))  # the hash is the length alone
    titles, abstracts = ["Vision transformer", "Graph"], ["Dense vision", "Sparse tokens"]
    with pytest.raises(tokenize_module._Collision):
        tokenize_module._Bulk().run(titles, abstracts)
    assert_like_the_python_tokenizer(titles, abstracts)


def test_an_index_built_in_bulk_equals_one_built_word_by_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    bulk = litreview.SearchIndex(papers)

    def python_only(titles: list[str], abstracts: list[str]) -> object:
        vocab = Vocabulary()
        stream, lengths = vocab.tokenize(titles, abstracts)
        return stream, lengths, vocab.words()

    monkeypatch.setattr("litreview.query.index.tokenize_all", python_only)
    slow = litreview.SearchIndex(papers)
    assert bulk.terms.tolist() == slow.terms.tolist()
    for name, array in bulk._base.arrays().items():
        assert np.array_equal(array, slow._base.arrays()[name]), name
