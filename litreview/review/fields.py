"""Extraction fields: the typed values reviewers record per paper (sample size, study
design, has a control group, …), written once and pure (no file, no DataFrame).

A review defines its fields (:class:`FieldDef`: a name, a kind among :data:`KINDS`,
the options of a choice); :func:`check_value` turns what a reviewer typed into the
value stored, or raises ValueError naming the field and the type it expects.

>>> size = FieldDef.of("sample_size", "number")
>>> check_value(size, " 120 "), check_value(size, 0.5), check_value(size, "")
(120, 0.5, None)
>>> design = FieldDef.of("design", "choice", options=["RCT", "cohort"])
>>> check_value(design, "rct")
'RCT'
>>> check_value(design, "survey")
Traceback (most recent call last):
...
ValueError: field 'design' is a choice of 'RCT', 'cohort'; got 'survey'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from litreview.review.edits import FIELD_PREFIX
from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS

__all__ = [
    "FIELD_PREFIX",
    "KINDS",
    "RESERVED",
    "FieldDef",
    "check_name",
    "check_value",
    "check_values",
    "field_columns",
]

#: The kinds of extraction field.
KINDS: Final = ("text", "number", "choice", "yesno")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: Column names a field may not take (the paper table, annotations, stages, search).
RESERVED: Final = frozenset(
    {
        *PAPER_COLUMNS,
        *ANNOTATION_COLUMNS,
        *("fields", "score", "reviewer", "stage", "not_retrieved"),
        *("fulltext_decision", "fulltext_reason", "fulltext_note", "fulltext_location"),
        *("final_decision", "final_reason", "basis", "resolved_by"),
    }
)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def check_name(name: Any) -> str:
    """A field name: lower-case letters, digits and ``_``, starting with a letter, at
    most 40 characters, not a column of the paper table.

    >>> check_name("Sample_Size")
    'sample_size'
    """
    text = name.strip().lower() if isinstance(name, str) else name
    if not isinstance(text, str) or not _NAME.fullmatch(text):
        raise ValueError(
            "a field name is lower-case letters, digits and _, starting with a letter "
            f"(at most 40), like 'sample_size'; got {name!r}"
        )
    if text in RESERVED:
        raise ValueError(f"{text!r} is a column of the paper table: choose another field name")
    return text


@dataclass(frozen=True)
class FieldDef:
    """One extraction field: ``name``, ``kind`` (:data:`KINDS`), the ``options`` of a
    choice (in order), and a ``description`` for the paper view."""

    name: str
    kind: str
    options: tuple[str, ...] = ()
    description: str = ""

    @classmethod
    def of(
        cls,
        name: str,
        kind: str,
        *,
        options: Iterable[str] | None = None,
        description: str | None = None,
    ) -> FieldDef:
        """A validated definition; ValueError naming what is wrong.

        >>> FieldDef.of("blinded", "yes/no").kind
        'yesno'
        """
        kind_text = str(kind).strip().lower().replace("/", "").replace("-", "")
        kind_text = {"bool": "yesno", "boolean": "yesno", "numeric": "number"}.get(
            kind_text, kind_text
        )
        if kind_text not in KINDS:
            raise ValueError(f"a field kind is one of {', '.join(KINDS)}; got {kind!r}")
        items = [options] if isinstance(options, str) else list(options or [])
        if any(not isinstance(o, str) or not o.strip() for o in items):
            raise ValueError(f"choice options must be non-empty text; got {options!r}")
        cleaned = tuple(dict.fromkeys(o.strip() for o in items))
        folded = [o.casefold() for o in cleaned]
        if len(set(folded)) != len(folded):
            raise ValueError(f"choice options must differ (ignoring case); got {options!r}")
        if kind_text == "choice" and not cleaned:
            raise ValueError(f"field {name!r} is a choice: give its options=[...]")
        if kind_text != "choice" and cleaned:
            raise ValueError(f"only a choice field has options; {name!r} is {kind_text}")
        if description is not None and not isinstance(description, str):
            raise ValueError(f"description must be text; got {description!r}")
        return cls(check_name(name), kind_text, cleaned, (description or "").strip())

    def as_json(self) -> dict[str, Any]:
        """The definition as stored (a setting of the review)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "options": list(self.options),
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldDef:
        return cls(
            str(data["name"]),
            str(data["kind"]),
            tuple(data.get("options", ())),
            str(data.get("description", "")),
        )

    def expects(self) -> str:
        """What a value must be, for messages.

        >>> FieldDef.of("x", "yesno").expects()
        'yes/no (True, False, "yes" or "no")'
        """
        if self.kind == "number":
            return "a number"
        if self.kind == "choice":
            return "a choice of " + ", ".join(repr(o) for o in self.options)
        if self.kind == "yesno":
            return 'yes/no (True, False, "yes" or "no")'
        return "text"


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def check_value(definition: FieldDef, value: Any) -> Any:
    """The value stored for ``value`` (None clears it: ``None``, ``""``, ``pd.NA``).

    text: trimmed str; number: int or float (a numeric text is read; whole numbers are
    ints); choice: the option as defined (any case); yes/no: bool.
    """
    if _blank(value):
        return None
    name, kind = definition.name, definition.kind
    wrong = ValueError(f"field {name!r} is {definition.expects()}; got {value!r}")
    if kind == "text":
        if not isinstance(value, str):
            raise wrong
        return value.strip()
    if kind == "number":
        number: Any = value
        if isinstance(value, str):
            try:
                number = float(value.strip().replace("_", ""))
            except ValueError:
                raise wrong from None
        elif isinstance(value, bool) or not isinstance(
            value, int | float | np.integer | np.floating
        ):
            raise wrong
        if not math.isfinite(float(number)):
            raise wrong
        return int(number) if float(number).is_integer() and abs(number) < 2**53 else float(number)
    if kind == "choice":
        if isinstance(value, str):
            for option in definition.options:
                if option.casefold() == value.strip().casefold():
                    return option
        raise wrong
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise wrong


def check_values(
    definitions: Sequence[FieldDef], values: Mapping[str, Any]
) -> tuple[tuple[str, Any], ...]:
    """``values`` checked against the review's ``definitions``: ``(name, value)`` pairs
    sorted by name (None: clear); ValueError for an unknown field (naming the defined
    ones) or a value of the wrong type.

    >>> check_values([FieldDef.of("n", "number")], {"N": "12"})
    (('n', 12),)
    """
    if not isinstance(values, Mapping):
        raise ValueError(f"fields must be a mapping of field name -> value; got {values!r}")
    known = {d.name: d for d in definitions}
    out: dict[str, Any] = {}
    for raw, value in values.items():
        name = raw.strip().lower() if isinstance(raw, str) else raw
        if name not in known:
            defined = ", ".join(known) or "none yet: define_field() first"
            raise ValueError(f"no extraction field {raw!r} in this review (fields: {defined})")
        out[name] = check_value(known[name], value)
    return tuple(sorted(out.items()))


def field_columns(
    definitions: Sequence[FieldDef],
    values: Sequence[Mapping[str, Any]],
    positions: Sequence[int] | np.ndarray | None = None,
    n: int | None = None,
) -> dict[str, Any]:
    """One column per field of ``n`` rows, where row ``positions[i]`` holds ``values[i]``
    (default: row i holds values[i]; other rows have nothing): text ``string``, number
    ``Int64`` (``Float64`` once any value has a fraction), choice a Categorical of the
    options, yes/no ``boolean``.

    >>> cols = field_columns([FieldDef.of("n", "number")], [{"n": 3}], positions=[0], n=2)
    >>> cols["n"].tolist()
    [3, <NA>]
    """
    at = np.arange(len(values)) if positions is None else np.asarray(positions, dtype=np.intp)
    size = len(values) if n is None else n
    out: dict[str, Any] = {}
    for d in definitions:
        raw = [v.get(d.name) for v in values]
        given = np.array([v is not None for v in raw], dtype=bool)
        where, got = at[given], [v for v in raw if v is not None]
        missing = np.ones(size, dtype=bool)
        missing[where] = False
        if d.kind == "number" and all(isinstance(v, int) for v in got):
            data = np.zeros(size, dtype=np.int64)
            data[where] = got
            out[d.name] = pd.arrays.IntegerArray(data, missing)
        elif d.kind == "number":
            floats = np.zeros(size, dtype=np.float64)
            floats[where] = got
            out[d.name] = pd.arrays.FloatingArray(floats, missing)
        elif d.kind == "choice":
            codes = np.full(size, -1, dtype=np.int16)
            lookup = {o: i for i, o in enumerate(d.options)}
            codes[where] = [lookup.get(v, -1) for v in got]  # a removed option reads as NA
            out[d.name] = pd.Categorical.from_codes(
                codes, dtype=pd.CategoricalDtype(list(d.options))
            )
        elif d.kind == "yesno":
            flags = np.zeros(size, dtype=bool)
            flags[where] = [bool(v) for v in got]
            out[d.name] = pd.arrays.BooleanArray(flags, missing)
        else:
            text = np.full(size, None, dtype=object)
            text[where] = got
            out[d.name] = pd.array(text, dtype="string")
    return out
