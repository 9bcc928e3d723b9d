"""Which value wins when two records of one paper meet: the one merge policy.

:func:`litreview.read_listings` (all rows at once) and :meth:`litreview.Review.add`
(new rows against what the review knows) both follow it. Each field has a kind:

* ``PREFERRED`` (``title``) and ``FIRST`` (organization, date, arXiv id, URL): the
  value from the most preferred format (:data:`FORMAT_PRIORITY`: plain-text copy,
  CSV, linked text, Markdown, JSON, RIS, BibTeX, then any other table).
  A missing value never wins. So a BibTeX ``year`` (read as 1 January) never
  replaces a JSON day, and a title never flips between two captures.
* ``MAX`` (author, comment and upvote counts): the larger.
* ``LONGEST`` (abstract, author list): the longer.
* ``UNION`` (code links, project links, keywords, ``sources``): every value, in order.

How precision is told: by the format a value came from, nothing else (a review
keeps, per paper and field, the rank of the format its value came from). Two
things only the review does: a record of the *same* format as the stored value
replaces it (a newer capture of a source corrects the older one: a rewritten
abstract, fewer upvotes), and a DataFrame given to ``Review.add`` ranks
first (:data:`YOUR_TABLE`: it is your own edit). Within one ``read_listings``
call ties go to the earlier source instead.

>>> rank("hf-text"), rank("bibtex"), rank("table")
(0, 6, 7)
>>> wins("published", "2024-01-01", "2024-05-17", old_rank=rank("hf-json"), new_rank=rank("bibtex"))
False
>>> wins("upvotes", 5, 9, old_rank=0, new_rank=6)
True
"""

from __future__ import annotations

import json
from typing import Any, Literal

#: Preference order of formats (the kept ``title``, and the ``FIRST`` fields).
FORMAT_PRIORITY: tuple[str, ...] = (
    "hf-text",
    "csv",
    "hf-linked-text",
    "hf-markdown",
    "hf-json",
    "ris",
    "bibtex",
)
TABLE = "table"  # a DataFrame passed in directly
#: The rank of a DataFrame given to ``Review.add``: ahead of every format.
YOUR_TABLE = -1

Kind = Literal["preferred", "first", "max", "longest", "union", "dict", "follows"]
PREFERRED: tuple[str, ...] = ("title",)
FIRST: tuple[str, ...] = (
    "organization",
    "published",
    "arxiv_id",
    "url",
    "doi",
    "venue",
    "entry_type",
    "citation_key",
)
MAX: tuple[str, ...] = ("n_authors", "comments", "upvotes")
LONGEST: tuple[str, ...] = ("abstract", "authors")
UNION: tuple[str, ...] = ("code_urls", "project_urls", "keywords", "sources")
#: ``extra`` (a dict): every key of every record; a key two records give different
#: values keeps the preferred record's value, the other under ``key_2`` (``key_3`` …).
DICTS: tuple[str, ...] = ("extra",)
#: Fields that move with another one: ``date_precision`` is the precision of ``published``.
FOLLOWS: dict[str, str] = {"date_precision": "published"}
#: The kind of every merged field.
KINDS: dict[str, Kind] = {
    **dict.fromkeys(PREFERRED, "preferred"),
    **dict.fromkeys(FIRST, "first"),
    **dict.fromkeys(MAX, "max"),
    **dict.fromkeys(LONGEST, "longest"),
    **dict.fromkeys(UNION, "union"),
    **dict.fromkeys(DICTS, "dict"),
    **dict.fromkeys(FOLLOWS, "follows"),
}
#: Fields whose value's rank a review keeps (every kind but ``UNION``), in the order
#: the ranks are stored: fields added later come last, so older files read the same.
RANKED: tuple[str, ...] = (
    "title",
    "organization",
    "published",
    "arxiv_id",
    "url",
    "n_authors",
    "comments",
    "upvotes",
    "abstract",
    "authors",
    "doi",
    "venue",
    "entry_type",
    "citation_key",
)
_PRECISION = {"year": 1, "month": 2, "day": 3}
_DIGIT = ord("0") + 1  # ranks -1..8 are stored as the digits 0..9
UNKNOWN_RANK = 0  # a paper imported before ranks were kept: as the plain copy


def rank(format: str) -> int:
    """The preference rank of a format (lower wins); any other name ranks last."""
    try:
        return FORMAT_PRIORITY.index(format)
    except ValueError:
        return len(FORMAT_PRIORITY)


def wins(field: str, old: Any, new: Any, *, old_rank: int, new_rank: int) -> bool:
    """True when ``new`` (from a format of ``new_rank``) replaces the stored ``old``.

    Values are as a review stores them (``None`` for missing, lists as JSON text).
    A DOI differing only in case is the same DOI.
    """
    if new is None or new == old:
        return False
    if old is None:
        return True
    kind = KINDS[field]
    if field == "doi" and str(new).casefold() == str(old).casefold():
        return new_rank < old_rank
    if kind in ("preferred", "first"):
        return new_rank <= old_rank
    if new_rank == old_rank:  # a newer capture of the same source
        return True
    if kind == "max":
        return bool(new > old)
    return _length(new, field) > _length(old, field)


def _length(value: Any, field: str) -> int:
    return len(json.loads(value)) if field == "authors" else len(value)


def finer_date(old: Any, old_precision: Any, new: Any, new_precision: Any) -> bool:
    """True when the date ``new`` says more than ``old`` and agrees with it (a day in the
    year or month ``old`` gives): it wins whatever the formats' ranks. Dates are
    ISO texts (as stored) or Timestamps; a missing precision is ``'day'``.

    >>> finer_date("2019-01-01T00:00:00", "year", "2019-05-17T00:00:00", "day")
    True
    >>> finer_date("2019-01-01T00:00:00", "year", "2020-05-17T00:00:00", "day")
    False
    """
    if old is None or new is None:
        return False
    a = _PRECISION.get(old_precision, 3) if isinstance(old_precision, str) else 3
    b = _PRECISION.get(new_precision, 3) if isinstance(new_precision, str) else 3
    if b <= a:
        return False
    width = {1: 4, 2: 7}.get(a, 10)
    return str(old)[:width] == str(new)[:width]


def date_wins(
    old: Any, old_precision: Any, new: Any, new_precision: Any, *, old_rank: int, new_rank: int
) -> bool:
    """:func:`wins` for ``published``: a date that agrees with the other but says more
    wins, one that says less loses, whatever the formats; otherwise the ranks decide.

    >>> date_wins("2019-05-17", "day", "2019-01-01", "year", old_rank=6, new_rank=1)
    False
    """
    if finer_date(old, old_precision, new, new_precision):
        return True
    if finer_date(new, new_precision, old, old_precision):
        return False
    return wins("published", old, new, old_rank=old_rank, new_rank=new_rank)


def merge_extra(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """``old`` with every key of ``new`` it lacks; a key both give with different values
    keeps ``old``'s value and ``new``'s as ``key_2`` (``key_3`` …): nothing is lost.

    >>> merge_extra({"pages": "1-2", "note": "a"}, {"note": "b", "isbn": "x"})
    {'pages': '1-2', 'note': 'a', 'note_2': 'b', 'isbn': 'x'}
    """
    if not new or new == old:
        return old
    out = dict(old)
    for key, value in new.items():
        if key not in out:
            out[key] = value
            continue
        n = 1
        name = key
        while name in out and out[name] != value:
            n += 1
            name = f"{key}_{n}"
        out[name] = value
    return out


def encode_ranks(ranks: list[int]) -> str:
    """The ranks of :data:`RANKED` fields as a short text (one digit each).

    >>> encode_ranks([0] * len(RANKED))[:3], decode_ranks(None)[:3]
    ('111', [0, 0, 0])
    """
    return "".join(chr(_DIGIT + r) for r in ranks)


def decode_ranks(text: str | None) -> list[int]:
    """The ranks :func:`encode_ranks` wrote (``None``: :data:`UNKNOWN_RANK` for every field)."""
    if not text:
        return [UNKNOWN_RANK] * len(RANKED)
    ranks = [ord(c) - _DIGIT for c in text]
    return ranks + [UNKNOWN_RANK] * (len(RANKED) - len(ranks))  # stored before a field was added
