"""Where a review keeps its extraction field definitions: the ``fields.definitions``
setting (a list, in the order the paper view shows them; every change logged with who
and when by :mod:`litreview.review.store.settings`). The values are in each annotation
row's ``fields`` column (schema v6).

>>> import tempfile, pathlib
>>> from litreview.review.fields import FieldDef
>>> from litreview.review.store.connection import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview", create=True)
>>> save_definitions(store, [FieldDef.of("n", "number")], reviewer="ada")
True
>>> [d.name for d in load_definitions(store)]
['n']
>>> store.close()
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from litreview.review.fields import FieldDef
from litreview.review.store.base import ReviewStore
from litreview.review.store.settings import get_setting, set_setting

DEFINITIONS = "fields.definitions"

__all__ = ["DEFINITIONS", "load_definitions", "save_definitions", "values_in_use"]


def load_definitions(store: ReviewStore) -> list[FieldDef]:
    """The review's extraction fields, in order."""
    return [FieldDef.from_json(d) for d in get_setting(store, DEFINITIONS, [])]


def save_definitions(store: ReviewStore, definitions: Sequence[FieldDef], *, reviewer: str) -> bool:
    """Store the definitions (logged); False when unchanged."""
    return set_setting(store, DEFINITIONS, [d.as_json() for d in definitions], reviewer=reviewer)


def values_in_use(store: ReviewStore, name: str) -> dict[str, int]:
    """How often each stored value of field ``name`` occurs (JSON text -> count), over
    every reviewer's annotations."""
    sql = "SELECT fields FROM annotations WHERE fields != '{}'"  # decoded here: any backend
    rows = store.read(lambda c: c.execute(sql).fetchall())
    counts: dict[str, int] = {}
    for (text,) in rows:
        values = json.loads(text)
        if name in values:
            shown = _as_sql_text(values[name])
            counts[shown] = counts.get(shown, 0) + 1
    return counts


def _as_sql_text(value: Any) -> str:
    """A JSON value as SQLite's ``json_extract`` gives it, as text (how the counts were
    keyed when SQL extracted them): text bare, booleans 1/0, arrays and objects as JSON."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
