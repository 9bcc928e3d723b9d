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

from collections.abc import Sequence

from litreview.review.fields import FieldDef
from litreview.review.store.connection import Store
from litreview.review.store.settings import get_setting, set_setting

DEFINITIONS = "fields.definitions"

__all__ = ["DEFINITIONS", "load_definitions", "save_definitions", "values_in_use"]


def load_definitions(store: Store) -> list[FieldDef]:
    """The review's extraction fields, in order."""
    return [FieldDef.from_json(d) for d in get_setting(store, DEFINITIONS, [])]


def save_definitions(store: Store, definitions: Sequence[FieldDef], *, reviewer: str) -> bool:
    """Store the definitions (logged); False when unchanged."""
    return set_setting(store, DEFINITIONS, [d.as_json() for d in definitions], reviewer=reviewer)


def values_in_use(store: Store, name: str) -> dict[str, int]:
    """How often each stored value of field ``name`` occurs (JSON text -> count), over
    every reviewer's annotations."""
    sql = (
        "SELECT json_extract(fields, '$.' || ?) AS v, count(*) FROM annotations "
        "WHERE fields != '{}' AND json_type(fields, '$.' || ?) IS NOT NULL GROUP BY v"
    )
    rows = store.read(lambda c: c.execute(sql, (name, name)).fetchall())
    return {str(v): int(n) for v, n in rows}
