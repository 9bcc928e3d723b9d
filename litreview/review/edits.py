"""How an annotation edit applies: the one rule for decisions, reasons, tags, notes and
ratings, written once and pure (no file, no clock, no DataFrame).

:class:`Edit` holds the validated keywords of :meth:`litreview.Review.annotate`;
:func:`apply_edit` turns one reviewer's :class:`Annotation` of a paper into the next.
The review store computes the rows it writes with it, the app mirrors a saved edit in
its cached table with the same pieces (:meth:`Edit.decides`, :meth:`Edit.decided`,
:meth:`Edit.values`, :meth:`Edit.new_tags`), and ``import_annotations`` applies what
it takes from a file with it.

>>> edit = Edit.of(decision="exclude", reason=" off topic ", add_tags="later")
>>> after = apply_edit(Annotation(), edit, reviewer="ada", at="2026-01-02T03:04:05.000000")
>>> after.decision, after.reason, after.tags, after.decided_by
('exclude', 'off topic', ('later',), 'ada')
>>> apply_edit(after, Edit.of(decision="unscreened", remove_tags="later"), reviewer="bo", at="x")
Annotation(decision='unscreened', reason='off topic', tags=(), note=None, rating=None, decided_by=None, decided_at=None, fields=())
"""  # noqa: E501

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple, overload

import numpy as np
import pandas as pd

from litreview.schema import DECISIONS, Decision

__all__ = [
    "BLANK",
    "EDITED",
    "FIELD_PREFIX",
    "RATINGS",
    "UNSET",
    "Annotation",
    "Edit",
    "Unset",
    "apply_edit",
    "check_decision",
    "check_rating",
    "check_tags",
    "check_text",
    "differences",
]

RATINGS = range(1, 6)
#: The fields an edit can set itself, in the order a step records them (``fields``: the
#: extraction fields, one history row each, named ``field:<name>``).
EDITED: Final = ("decision", "reason", "note", "rating", "tags", "fields")
#: How a history row names an extraction field (``field:sample_size``).
FIELD_PREFIX: Final = "field:"
#: Extraction values of one annotation: ``(name, value)`` pairs sorted by name.
FieldValues = tuple[tuple[str, Any], ...]


class Unset(enum.Enum):
    """The type of :data:`UNSET`: "leave this field as it is"."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


class Annotation(NamedTuple):
    """One reviewer's annotation of one paper (the defaults: nothing yet).

    ``decided_at`` is UTC text as a review stores it (``2026-01-02T03:04:05.000000``);
    ``fields`` the extraction values (:mod:`litreview.review.fields`), sorted by name.

    >>> Annotation().is_blank(), Annotation(tags=("x",)).is_blank()
    (True, False)
    """

    decision: str = "unscreened"
    reason: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    rating: int | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    fields: FieldValues = ()

    def is_blank(self) -> bool:
        """True when nothing is said (decision, reason, tags, note, rating and
        extraction fields unset)."""
        return self[:5] == BLANK[:5] and not self.fields


BLANK: Final = Annotation()


# -- validation ----------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is pd.NA or (isinstance(value, float) and np.isnan(value))


def check_decision(value: Any) -> str:
    """A decision from :data:`litreview.schema.DECISIONS` (any case, trimmed).

    >>> check_decision(" Include")
    'include'
    """
    text = value.value if isinstance(value, Decision) else value
    if isinstance(text, str) and text.strip().lower() in DECISIONS:
        return text.strip().lower()
    allowed = ", ".join(repr(d) for d in DECISIONS)
    close = difflib.get_close_matches(str(text).lower(), DECISIONS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"decision must be one of {allowed}; got {value!r}{hint}")


def check_text(name: str, value: Any) -> str | None:
    """A reason or note: str (trimmed; empty clears) or pd.NA to clear.

    >>> check_text("note", "  read §4 "), check_text("note", "")
    ('read §4', None)
    """
    if _missing(value):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text (or '' to clear it); got {value!r}")
    return value.strip() or None


def check_rating(value: Any) -> int | None:
    """A rating from 1 to 5, or None for ``""``/pd.NA (clear it).

    >>> check_rating(4.0), check_rating("")
    (4, None)
    """
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if isinstance(value, float) and value.is_integer():
        ok, value = True, int(value)
    if not ok or int(value) not in RATINGS:
        raise ValueError(
            f"rating must be a whole number from 1 to 5 (or '' to clear it); got {value!r}"
        )
    return int(value)


def check_tags(name: str, value: Any, *, blank: bool = True) -> tuple[str, ...]:
    """Tags from a str (one tag) or an iterable of str; trimmed, de-duplicated.

    Blank tags are skipped, or refused with ``blank=False`` (a tag someone typed to add
    or remove must not vanish silently).

    >>> check_tags("tags", [" a", "b", "a", ""])
    ('a', 'b')
    """
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValueError(f"{name} must be a str or a list of str; got {value!r}")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{name} must contain only str; got {item!r} in {value!r}")
        tag = item.strip()
        if not tag and not blank:
            raise ValueError(f"{name}: a tag cannot be empty; got {value!r}")
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


# -- the edit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A validated edit (:data:`UNSET` = leave as is); building one validates it.

    ``reason``, ``note`` and ``rating`` take ``""`` or ``pd.NA`` (or None) to clear;
    ``tags`` replaces the tags, then ``add_tags`` are added and ``remove_tags`` removed.

    ``fields`` are extraction values already checked against the review's definitions
    (:func:`litreview.review.fields.check_values`; None clears one).

    >>> Edit(rating="", tags="x")
    Edit(decision=UNSET, reason=UNSET, tags=('x',), add_tags=(), remove_tags=(), note=UNSET, rating=None, fields=())
    >>> Edit(decision="perhaps")
    Traceback (most recent call last):
    ...
    ValueError: decision must be one of 'unscreened', 'include', 'maybe', 'exclude'; got 'perhaps'
    """  # noqa: E501

    decision: str | Unset = UNSET
    reason: str | Unset | None = UNSET
    tags: tuple[str, ...] | Unset = UNSET
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    note: str | Unset | None = UNSET
    rating: int | Unset | None = UNSET
    fields: FieldValues = ()

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        if self.decision is not UNSET:
            put("decision", check_decision(self.decision))
        for name in ("reason", "note"):
            value = getattr(self, name)
            if value is not UNSET and value is not None:
                put(name, check_text(name, value))
        if self.tags is not UNSET:
            put("tags", check_tags("tags", self.tags))
        put("add_tags", check_tags("add_tags", self.add_tags, blank=False))
        put("remove_tags", check_tags("remove_tags", self.remove_tags, blank=False))
        if self.rating is not UNSET and self.rating is not None:
            put("rating", check_rating(self.rating))
        pairs = tuple(sorted(dict(self.fields).items()))
        if any(not isinstance(name, str) for name, _ in pairs):
            raise ValueError(f"fields are (name, value) pairs; got {self.fields!r}")
        put("fields", pairs)

    @classmethod
    def of(
        cls,
        *,
        decision: Any = None,
        reason: Any = None,
        tags: Any = None,
        add_tags: Any = None,
        remove_tags: Any = None,
        note: Any = None,
        rating: Any = None,
        fields: FieldValues | None = None,
    ) -> Edit:
        """The edit :meth:`litreview.Review.annotate`'s keywords ask for (None = leave
        unchanged; ``fields`` checked values, see :class:`Edit`); ValueError for a bad
        value or when nothing is asked.

        >>> Edit.of(decision="Maybe", note="").values()
        {'note': None}
        """
        given = [decision, reason, tags, add_tags, remove_tags, note, rating, fields or None]
        edit = cls(
            decision=UNSET if decision is None else decision,
            reason=UNSET if reason is None else reason,
            tags=UNSET if tags is None else tags,
            add_tags=() if add_tags is None else add_tags,
            remove_tags=() if remove_tags is None else remove_tags,
            note=UNSET if note is None else note,
            rating=UNSET if rating is None else rating,
            fields=fields or (),
        )
        if all(v is None for v in given):
            raise ValueError(
                "annotate() needs at least one of decision=, reason=, tags=, add_tags=, "
                "remove_tags=, note=, rating=, fields="
            )
        return edit

    @overload
    def decides(self, current: str) -> bool: ...
    @overload
    def decides(self, current: np.ndarray) -> np.ndarray: ...
    def decides(self, current: str | np.ndarray) -> bool | np.ndarray:
        """Whether the edit changes a decision that is ``current`` (a str, or an array of
        them for a whole column); only then do ``decided_by``/``decided_at`` change.

        >>> Edit(decision="include").decides(np.array(["include", "maybe"]))
        array([False,  True])
        """
        if self.decision is UNSET:
            return np.zeros(len(current), dtype=bool) if isinstance(current, np.ndarray) else False
        return current != self.decision

    def decided(self, reviewer: str, at: str) -> tuple[str | None, str | None]:
        """``(decided_by, decided_at)`` where :meth:`decides` is true: who and when, or
        (None, None) when the paper goes back to unscreened.

        >>> Edit(decision="unscreened").decided("ada", "2026-01-02T03:04:05.000000")
        (None, None)
        """
        if self.decision == "unscreened":
            return None, None
        return reviewer, at

    def values(self) -> dict[str, Any]:
        """The fields set to the same value whatever the paper had: reason, note, rating.

        >>> Edit(reason="", rating=3).values()
        {'reason': None, 'rating': 3}
        """
        named = (("reason", self.reason), ("note", self.note), ("rating", self.rating))
        return {name: value for name, value in named if value is not UNSET}

    @property
    def touches_tags(self) -> bool:
        return self.tags is not UNSET or bool(self.add_tags or self.remove_tags)

    def new_tags(self, current: Iterable[str]) -> tuple[str, ...]:
        """The tags after the edit, from the ``current`` ones (order kept, added ones last).

        >>> Edit(add_tags=("b", "c"), remove_tags="a").new_tags(["a", "b"])
        ('b', 'c')
        """
        tags = list(self.tags) if self.tags is not UNSET else list(current)
        tags += [t for t in self.add_tags if t not in tags]
        return tuple(t for t in tags if t not in self.remove_tags)

    def new_fields(self, current: FieldValues) -> FieldValues:
        """The extraction values after the edit (a None value clears that field).

        >>> Edit(fields=(("n", 3), ("x", None))).new_fields((("x", "a"),))
        (('n', 3),)
        """
        values = dict(current)
        for name, value in self.fields:
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return tuple(sorted(values.items()))


def apply_edit(current: Annotation, edit: Edit, *, reviewer: str, at: str) -> Annotation:
    """The annotation after ``reviewer`` applies ``edit`` at ``at`` (UTC text).

    A decision that changes records who and when (cleared for "unscreened"); one that
    stays leaves them. See the module docstring for an example.
    """
    changed: dict[str, Any] = {}
    if edit.decides(current.decision):
        decided_by, decided_at = edit.decided(reviewer, at)
        changed.update(decision=edit.decision, decided_by=decided_by, decided_at=decided_at)
    changed.update(edit.values())
    if edit.touches_tags:
        changed["tags"] = edit.new_tags(current.tags)
    if edit.fields:
        changed["fields"] = edit.new_fields(current.fields)
    return current._replace(**changed) if changed else current


def differences(
    before: Annotation, after: Annotation, order: Sequence[str] = EDITED
) -> list[tuple[str, Any]]:
    """``(field, new value)`` for every field that differs, fields in ``order`` (a
    decision is followed by its ``decided_by`` and ``decided_at``; each extraction field
    that differs is one ``("field:<name>", value)``, None when cleared).

    >>> differences(Annotation(), Annotation(decision="include", decided_by="ada", tags=("x",)))
    [('decision', 'include'), ('decided_by', 'ada'), ('decided_at', None), ('tags', ('x',))]
    >>> differences(Annotation(fields=(("n", 1),)), Annotation(fields=(("d", "RCT"),)))
    [('field:d', 'RCT'), ('field:n', None)]
    """
    out: list[tuple[str, Any]] = []
    for name in order:
        value = getattr(after, name)
        if name == "fields":
            old, new = dict(before.fields), dict(after.fields)
            for key in sorted(old.keys() | new.keys()):
                if old.get(key) != new.get(key) or type(old.get(key)) is not type(new.get(key)):
                    out.append((FIELD_PREFIX + key, new.get(key)))
            continue
        if value != getattr(before, name):
            out.append((name, value))
            if name == "decision":
                out += [("decided_by", after.decided_by), ("decided_at", after.decided_at)]
    return out
