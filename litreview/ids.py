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
   such paper; a record without a title, kept for its DOI or arXiv id with
   :func:`identifier_id` as its id, matches by 1. and 2. only);

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
import urllib.parse
from collections.abc import Iterable
from typing import Literal

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARXIV_ID = re.compile(
    r"(?:arxiv[:/]|abs/|pdf/|papers/)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
#: A DOI: ``10.`` + registrant + ``/`` + suffix (anything but spaces; Wiley SICIs hold ``;<>()``).
_DOI = re.compile(r"\b(10\.\d{4,9}(?:\.\d+)*/\S+)")
_DOI_PREFIX = re.compile(
    r"^\s*(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*[:=]\s*|doi\s+|urn:doi:|info:doi/)",
    re.IGNORECASE,
)
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
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


def normalize_doi(value: str | None) -> str | None:
    """The DOI alone (no ``https://doi.org/``, ``http://dx.doi.org/`` or ``doi:`` prefix,
    ``%2F`` decoded, a trailing ``.``/``,`` dropped), spelled as given, or ``None``
    when ``value`` holds none. DOIs are case-insensitive: compare :func:`doi_key`.

    >>> normalize_doi("https://doi.org/10.1000/XYZ.123."), normalize_doi("doi: 10.1000/abc")
    ('10.1000/XYZ.123', '10.1000/abc')
    >>> normalize_doi("not a doi") is None
    True
    """
    if not value:
        return None
    text = _DOI_PREFIX.sub("", value.strip(), count=1)
    if "%" in text:
        text = urllib.parse.unquote(text)
    match = _DOI.match(text.strip())
    return _trim_doi(match.group(1)) if match else None


def find_doi(text: str | None) -> str | None:
    """The first DOI in a text or URL (a doi.org link, a publisher URL holding one), or ``None``.

    >>> find_doi("https://onlinelibrary.wiley.com/doi/abs/10.1002/asi.2")
    '10.1002/asi.2'
    """
    if not text:
        return None
    if "%" in text:
        text = urllib.parse.unquote(text)
    match = _DOI.search(text)
    return _trim_doi(match.group(1)) if match else None


def _trim_doi(doi: str) -> str:
    """A DOI without the punctuation that ends the sentence or link around it."""
    doi = doi.rstrip(".,;:'\"")
    for close, open_ in ((")", "("), ("]", "["), ("}", "{"), (">", "<")):
        while doi.endswith(close) and doi.count(close) > doi.count(open_):
            doi = doi[:-1]
    return doi


def doi_url(doi: str) -> str:
    """The resolver link of a DOI (reserved characters escaped as RFC 3986 wants).

    >>> doi_url("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P")[:40]
    'https://doi.org/10.1002/(SICI)1097-4571('
    """
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/()[]:;-._~!$&'*+,=@")


def is_doi_url(url: str | None) -> bool:
    """True for a ``doi.org`` resolver link.

    >>> is_doi_url("https://dx.doi.org/10.1/x"), is_doi_url("https://arxiv.org/abs/1")
    (True, False)
    """
    return bool(url) and _DOI_URL.match(url.strip()) is not None  # type: ignore[union-attr]


def doi_key(doi: str) -> str:
    """The DOI as two spellings of it compare: lowercase (DOIs are case-insensitive).

    >>> doi_key("10.1000/ABC") == doi_key("10.1000/abc")
    True
    """
    return doi.casefold()


def identifier_id(doi: str | None, arxiv: str | None) -> str | None:
    """The ``paper_id`` of a record without a title: from its arXiv id, else its DOI
    (case-insensitive), else ``None`` (such a record cannot be read as a paper).

    >>> identifier_id(None, "2401.00001") == paper_id("arXiv:2401.00001")
    True
    >>> identifier_id("10.1/ABC", None) == identifier_id("10.1/abc", None)
    True
    """
    if arxiv:
        return paper_id(f"arXiv:{arxiv}")
    if doi:
        return paper_id(f"doi:{doi_key(doi)}")
    return None


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
            if key and key not in by_key:
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
        if key and key not in self.by_key:  # an untitled record matches nobody by title
            self.by_key[key] = pid

    def find(self, pid: str, key: str, arxiv: str | None) -> tuple[str, Match] | None:
        """The paper a row (``paper_id``, title key, bare arXiv id) is, and how it matched."""
        if arxiv:
            found = self.by_arxiv.get(arxiv)
            if found is not None:
                return found, "arxiv"
        if pid in self.arxiv_of and not arxiv_conflict(arxiv, self.arxiv_of[pid]):
            return pid, "paper_id"
        found = self.by_key.get(key) if key else None
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
