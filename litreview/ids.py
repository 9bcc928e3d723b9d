"""Stable paper ids, the normalizations used to match papers across sources, and
the one rule that decides "same paper".

>>> normalize_title("  Attention Is  All You Need! ")
'attentionisallyouneed'
>>> paper_id("Attention Is All You Need")
'12286c43e70e'

Same paper
----------
Rows are taken one at a time, in order (:func:`litreview.read_listings` takes them
in its preference order, plain copy first; :meth:`litreview.Review.add` in the
order they are added, after the papers already in the review). A row is the same
paper as one seen before when, first match wins:

1. its arXiv id (bare, no version) is that paper's arXiv id; else
2. its ``paper_id`` is that paper's id; else
3. its normalized title (:func:`title_key`) is a title of that paper (the first
   such paper);

and never when both have an arXiv id and the two differ. A row that matches no
paper is a new paper with its own ``paper_id``, unless that id is taken (a paper
of the same title with another arXiv id): then its id is
:func:`arxiv_variant_id` of its title and arXiv id. So two different arXiv ids
never share a ``paper_id``, and the ids of ordinary papers are the hash of their
title. :class:`PaperIndex` applies the rule; the readers (one file, and several
merged), the review store and near-duplicate merging all use it.

>>> index = PaperIndex()
>>> index.place(paper_id("Same"), "Same", "2401.00001")
('b9a8ca9848bf', True)
>>> index.place(paper_id("Same"), "Same", "2401.00002")[0] == arxiv_variant_id("Same", "2401.00002")
True
>>> index.place(paper_id("same!"), "same!", None)  # no arXiv id: the first paper of its title
('b9a8ca9848bf', False)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

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
    a row number. (A paper whose title's id a paper with another arXiv id holds
    gets :func:`arxiv_variant_id` instead: see :class:`PaperIndex`.)
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


def title_key(title: str) -> str:
    """The title as papers are matched on it: :func:`normalize_title`, or the stripped
    title when nothing is left of it (a title of punctuation only).

    >>> title_key("Attention!"), title_key(" ?! ")
    ('attention', '?!')
    """
    return normalize_title(title) or title.strip()


def arxiv_conflict(a: str | None, b: str | None) -> bool:
    """True when both arXiv ids are known and differ: never the same paper.

    >>> arxiv_conflict("2401.00001", None), arxiv_conflict("2401.00001", "2401.00002")
    (False, True)
    """
    return bool(a and b and a != b)


def arxiv_variant_id(title: str, arxiv: str | None) -> str:
    """The id of a paper whose title's id is taken by a paper with another arXiv id.

    >>> arxiv_variant_id("Same", "2401.00002") == paper_id("Same arXiv:2401.00002")
    True
    """
    return paper_id(f"{title} arXiv:{arxiv}")


Match = Literal["arxiv", "paper_id", "title"]


class PaperIndex:
    """The papers seen so far, by id, arXiv id and title key: the "same paper" rule
    (see the module docstring), applied one row at a time as rows are placed."""

    __slots__ = ("arxiv_of", "by_arxiv", "by_key")

    def __init__(self) -> None:
        #: paper_id -> its arXiv id (or None): every paper seen.
        self.arxiv_of: dict[str, str | None] = {}
        self.by_arxiv: dict[str, str] = {}
        self.by_key: dict[str, str] = {}

    @classmethod
    def of(cls, papers: Iterable[tuple[str, str | None, str]]) -> PaperIndex:
        """An index of known papers, given as ``(paper_id, arXiv id, title key)``, first first."""
        index = cls()
        arxiv_of, by_arxiv, by_key = index.arxiv_of, index.by_arxiv, index.by_key
        for pid, arxiv, key in papers:
            arxiv_of[pid] = arxiv
            if arxiv and arxiv not in by_arxiv:
                by_arxiv[arxiv] = pid
            if key not in by_key:
                by_key[key] = pid
        return index

    def remember(self, pid: str, arxiv: str | None, key: str) -> None:
        """Note that paper ``pid`` has arXiv id ``arxiv`` (if any) and title key ``key``."""
        if arxiv:
            if not self.arxiv_of.get(pid):
                self.arxiv_of[pid] = arxiv
            self.by_arxiv.setdefault(arxiv, pid)
        elif pid not in self.arxiv_of:
            self.arxiv_of[pid] = None
        if key not in self.by_key:
            self.by_key[key] = pid

    def find(self, pid: str, key: str, arxiv: str | None) -> tuple[str, Match] | None:
        """The paper a row (``paper_id``, title key, bare arXiv id) is, and how it matched."""
        if arxiv:
            found = self.by_arxiv.get(arxiv)
            if found is not None:
                return found, "arxiv"
        if pid in self.arxiv_of and not arxiv_conflict(arxiv, self.arxiv_of[pid]):
            return pid, "paper_id"
        found = self.by_key.get(key)
        if found is not None and not arxiv_conflict(arxiv, self.arxiv_of[found]):
            return found, "title"
        return None

    def place(
        self, pid: str, title: str, arxiv: str | None, key: str | None = None
    ) -> tuple[str, bool]:
        """The id of the paper a row belongs to and whether it is new (remembered either way)."""
        key = title_key(title) if key is None else key
        found = self.find(pid, key, arxiv)
        if found is None:
            if pid in self.arxiv_of:  # the same title, another arXiv id
                pid = arxiv_variant_id(title, arxiv)
            self.remember(pid, arxiv, key)
            return pid, True
        self.remember(found[0], arxiv, key)
        return found[0], False
