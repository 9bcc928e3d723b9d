"""Stable paper ids and the normalizations used to match papers across sources.

>>> normalize_title("  Attention Is  All You Need! ")
'attentionisallyouneed'
>>> paper_id("Attention Is All You Need")
'12286c43e70e'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARXIV_ID = re.compile(
    r"(?:arxiv[:/]|abs/|pdf/|papers/)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
ID_LENGTH = 12
_DIGEST_BYTES = 8
_EMPTY_HASH = hashlib.blake2b(digest_size=_DIGEST_BYTES)  # never updated itself: copied
_ASCII_NON_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_ASCII_NON_ALNUM_BUT_NUL = _ASCII_NON_ALNUM.replace(b"\x00", b"")
# bytes.translate lowers A-Z and deletes the rest of ASCII punctuation in one pass
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def normalize_title(title: str) -> str:
    """Fold a title to the key used for matching: case, accents, Unicode form,
    punctuation, whitespace and Markdown line-break escapes do not matter.

    >>> normalize_title("Bézier  Curves — A Survey\\\\ ")
    'beziercurvesasurvey'
    """
    if title.isascii():
        return title.encode("ascii").translate(_ASCII_LOWER, _ASCII_NON_ALNUM).decode("ascii")
    return title_words(title).replace(" ", "")


def title_words(title: str) -> str:
    """A title's words, lower-cased, accents and punctuation dropped, one space apart
    (:func:`normalize_title` without the spaces).

    >>> title_words("  Bézier Curves —  a Survey!")
    'bezier curves a survey'
    """
    if not title.isascii():
        title = unicodedata.normalize("NFKD", title)
        title = "".join(ch for ch in title if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", title.casefold()).strip()


def paper_id(title: str) -> str:
    """The stable id of a paper: a short hash of its normalized title.

    The same title gives the same id in every file, format and run; it is never
    a row number.
    """
    return _short_hash((normalize_title(title) or title.strip()).encode("utf-8"))


def paper_ids(titles: Iterable[str]) -> list[str]:
    """:func:`paper_id` of many titles.

    ASCII titles (the usual case) are folded all at once: joined, lowered and
    stripped of punctuation in one ``bytes.translate``, then split again.

    >>> paper_ids(["Attention Is All You Need", "Bézier"]) == [
    ...     paper_id("attention is all you need!"), paper_id("bezier")]
    True
    """
    titles = list(titles)
    keys = "\x00".join(titles).encode().translate(_ASCII_LOWER, _ASCII_NON_ALNUM_BUT_NUL)
    folded = keys.split(b"\x00")
    if len(folded) != len(titles):  # a title holds a NUL itself
        return [paper_id(t) for t in titles]
    return [
        _short_hash(key) if key and t.isascii() else paper_id(t)
        for key, t in zip(folded, titles, strict=True)
    ]


def _short_hash(key: bytes) -> str:
    """The id of a folded title (copying a blank hash is faster than making one)."""
    digest = _EMPTY_HASH.copy()
    digest.update(key)
    return digest.hexdigest()[:ID_LENGTH]


def normalize_arxiv_id(value: str | None) -> str | None:
    """The bare arXiv id (no version, no URL) or ``None``.

    >>> normalize_arxiv_id("https://arxiv.org/abs/2401.12345v2")
    '2401.12345'
    >>> normalize_arxiv_id("https://huggingface.co/papers/2410.05434")
    '2410.05434'
    """
    if not value:
        return None
    match = _ARXIV_ID.search(value.strip())
    return match.group("id") if match else None
