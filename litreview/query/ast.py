"""The query AST: what :func:`litreview.query.parse` returns and
:mod:`litreview.query.evaluate` evaluates. Positions (``pos``) are 0-based offsets
in the query text, kept for messages and ignored by ``==``."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field


@dataclass(frozen=True)
class Word:
    """One word: matches any word of ``field`` (None = title or abstract) that starts
    with one of ``prefixes`` (or equals it when ``exact``)."""

    field: str | None
    text: str
    prefixes: tuple[str, ...]
    exact: bool
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    """Consecutive whole words (case- and accent-insensitive) in ``field``."""

    field: str | None
    text: str
    words: tuple[str, ...]
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Tag:
    """A tag equal to ``value`` (case- and accent-insensitive)."""

    value: str
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class DecisionIs:
    """The screening decision is ``value`` (missing decisions are "unscreened")."""

    value: str
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class StageIs:
    """The furthest screening stage the paper reached is ``value`` (``title`` or
    ``fulltext``: included at title/abstract, so it goes on to full text). Read from
    the ``stage`` column; a table without one is all at ``title``."""

    value: str
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class FulltextIs:
    """A full-text state: a decision (``include``, ``exclude``, ``maybe``,
    ``unscreened``), ``retrieved``, ``not-retrieved`` or ``awaiting`` (at full text,
    not marked not retrieved, no decision yet or maybe). Read from the
    ``fulltext_decision``, ``not_retrieved`` and ``fulltext_location`` columns; a
    table without them matches nothing."""

    value: str
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class FieldIs:
    """An extraction field's value: ``field:NAME:VALUE``, read from column ``name``
    and compared by its dtype (a number or range, yes/no, a choice, words of text;
    ``*``: any value). ``text`` is the value as typed, ``vpos`` its position."""

    name: str
    text: str
    quoted: bool = False
    vpos: int = dc_field(default=0, compare=False)
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Has:
    """The paper has a non-empty ``what`` (code links, arXiv id, a note, ...)."""

    what: str
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Range:
    """``lo <= column < hi`` (either bound may be None); missing values never match.

    Dates are compared as int64 nanoseconds, years as integers."""

    field: str
    lo: float | None
    hi: float | None
    text: str = ""
    pos: int = dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class All:
    """The empty query: every paper."""


Node = (
    Word
    | Phrase
    | Tag
    | DecisionIs
    | StageIs
    | FulltextIs
    | FieldIs
    | Has
    | Range
    | Not
    | And
    | Or
    | All
)
