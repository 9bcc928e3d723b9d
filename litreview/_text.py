"""The text features shared by search, similarity, screening priority and charts.

One place decides how a paper becomes words, so "top terms" in a chart and
"relevance" in a search agree::

    >>> import litreview
    >>> docs = paper_documents(litreview.read_listing(litreview.SAMPLE_LISTING))
    >>> vectorizer = make_vectorizer().fit(docs)
    >>> "transformer" in vectorizer.vocabulary_
    True
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # scikit-learn is imported when first needed: it is slow to import
    from sklearn.feature_extraction.text import TfidfVectorizer

#: Words too common in papers to tell them apart (on top of scikit-learn's English list).
PAPER_STOP_WORDS = frozenset(
    {
        "paper",
        "propose",
        "proposed",
        "approach",
        "method",
        "methods",
        "results",
        "show",
        "based",
        "using",
        "novel",
        "new",
        "model",
        "models",
        "work",
        "present",
        "introduce",
        "demonstrate",
        "achieve",
        "achieves",
        "performance",
        "state",
        "art",
        "task",
        "tasks",
        "existing",
        "code",
        "available",
        "github",
        "https",
        "com",
        "http",
        "www",
        "et",
        "al",
    }
)


@cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words and :data:`PAPER_STOP_WORDS`."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | PAPER_STOP_WORDS


def __getattr__(name: str) -> Any:
    if name == "STOP_WORDS":  # the set, for code that wants a constant
        return stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w\-]*\w\b|\b[^\W\d_]{2,}\b"
TITLE_WEIGHT = 2

#: What search treats as one word: scikit-learn's default token pattern minus its
#: two-character minimum, so "3D", "AI" and "4" are searchable too.
WORD_PATTERN = r"(?u)\b\w+\b"
_WORD = re.compile(WORD_PATTERN)
_ASCII_NON_WORD = bytes(
    b if (chr(b).isalnum() or b == ord("_")) and b < 128 else ord(" ") for b in range(256)
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: scikit-learn's ``lowercase``
    then ``strip_accents="unicode"`` (the order its vectorizers use), then lower
    case again for the letters that decomposition turns into capitals ("𝘈" -> "A").

    >>> fold("Éclair ViT 𝘈")
    'eclair vit a'
    """
    if text.isascii():
        return text.lower()
    return _strip_accents(text.lower()).lower()


def _strip_accents(text: str) -> str:
    """scikit-learn's ``strip_accents_unicode``: NFKD, then drop combining marks."""
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``: what :data:`WORD_PATTERN` finds after :func:`fold`.

    ASCII text (nearly every paper) takes a byte-level fast path that gives the
    same words as the regular expression, several times faster.

    >>> words("GPT-4 and Vision Transformers (ViT)")
    ['gpt', '4', 'and', 'vision', 'transformers', 'vit']
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_NON_WORD).lower().decode("ascii").split()
    return _WORD.findall(fold(text))


#: Marks the end of each text in :func:`words_of_many` (never a word itself).
END = "\x01"
#: ASCII punctuation -> space, ASCII letters lower-cased; UTF-8 bytes and END kept.
_BATCH_TABLE = bytes(
    (b + 32 if 65 <= b <= 90 else b)
    if b >= 128 or b == 1 or chr(b).isalnum() or b == ord("_")
    else ord(" ")
    for b in range(256)
)


def words_of_many(texts: list[str]) -> list[str]:
    r"""The words of every text, each text followed by :data:`END`: the same as
    ``[w for t in texts for w in [*words(t), END]]``, in one pass over the batch.

    >>> words_of_many(["Vision ViT", "", "Café!"])
    ['vision', 'vit', '\x01', '\x01', 'cafe', '\x01']
    """
    return batch_bytes(texts).decode("utf-8").split()


def batch_bytes(texts: list[str]) -> bytes:
    r"""The UTF-8 text of :func:`words_of_many`'s words: each word and END once, with
    spaces (one or more) between them and nothing else.

    >>> batch_bytes(["Vision ViT", "", "Café!"]).split()
    [b'vision', b'vit', b'\x01', b'\x01', b'cafe', b'\x01']
    """
    parts = []
    for text in texts:
        if END in text:
            text = text.replace(END, " ")
        # non-ASCII texts are folded and split here; the rest only by the batch pass
        parts.append(text if text.isascii() else " ".join(words(text)))
    parts.append("")
    return f" {END} ".join(parts).encode("utf-8").translate(_BATCH_TABLE)


def is_feature_term(term: str) -> bool:
    """Whether a word carries content for similarity and screening priority:
    not a stop word, at least two characters, not only digits."""
    return len(term) > 1 and not term.isdigit() and term not in stop_words()


def paper_documents(df: pd.DataFrame, *, title_weight: int = TITLE_WEIGHT) -> list[str]:
    """One text per paper: the title repeated ``title_weight`` times, then the abstract."""
    titles = df["title"].fillna("").astype(str)
    abstracts = df["abstract"].fillna("").astype(str)
    return [" ".join([t] * title_weight + [a]) for t, a in zip(titles, abstracts, strict=True)]


def make_vectorizer(
    *,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int | float = 1,
    max_features: int | None = None,
) -> TfidfVectorizer:
    """The TF-IDF vectorizer litreview uses everywhere: lower-case, accents stripped,
    English and paper boilerplate stop words removed, words and two-word phrases."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True,
        strip_accents="unicode",
        stop_words=sorted(stop_words()),
        token_pattern=TOKEN_PATTERN,
        ngram_range=ngram_range,
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
