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

Kind = Literal["preferred", "first", "max", "longest", "union"]
PREFERRED: tuple[str, ...] = ("title",)
FIRST: tuple[str, ...] = ("organization", "published", "arxiv_id", "url")
MAX: tuple[str, ...] = ("n_authors", "comments", "upvotes")
LONGEST: tuple[str, ...] = ("abstract", "authors")
UNION: tuple[str, ...] = ("code_urls", "project_urls", "keywords", "sources")
#: The kind of every merged field.
KINDS: dict[str, Kind] = {
    **dict.fromkeys(PREFERRED, "preferred"),
    **dict.fromkeys(FIRST, "first"),
    **dict.fromkeys(MAX, "max"),
    **dict.fromkeys(LONGEST, "longest"),
    **dict.fromkeys(UNION, "union"),
}
#: Fields whose value's rank a review keeps (every kind but ``UNION``).
RANKED: tuple[str, ...] = (*PREFERRED, *FIRST, *MAX, *LONGEST)
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
    """
    if new is None or new == old:
        return False
    if old is None:
        return True
    kind = KINDS[field]
    if kind in ("preferred", "first"):
        return new_rank <= old_rank
    if new_rank == old_rank:  # a newer capture of the same source
        return True
    if kind == "max":
        return bool(new > old)
    return _length(new, field) > _length(old, field)


def _length(value: Any, field: str) -> int:
    return len(json.loads(value)) if field == "authors" else len(value)


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
    return [ord(c) - _DIGIT for c in text]
