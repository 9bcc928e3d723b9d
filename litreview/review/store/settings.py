"""Review settings: one JSON value per key, kept in the review file (schema v4).

Any part of litreview that needs a setting shared by everyone working on a review
(the app's keyword lists, blind screening, the citation key formula, …) keeps it
here: :func:`set_setting` stores it (who set it and when) and logs the change
(old -> new) in the append-only ``settings_log``; :func:`get_setting` and
:func:`all_settings` read it back; :func:`settings_log` is the full record.

>>> import tempfile, pathlib
>>> from litreview.review.store.connection import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview", create=True)
>>> set_setting(store, "app.keywords", ["llm", "agents"], reviewer="ana")
True
>>> get_setting(store, "app.keywords"), get_setting(store, "missing", 3)
(['llm', 'agents'], 3)
>>> settings_log(store)[["key", "reviewer"]].values.tolist()
[['app.keywords', 'ana']]
>>> store.close()

Keys are free text; use a dotted prefix naming the feature (``app.``, ``blind.``,
``keys.``). Values are anything :mod:`json` writes (dicts, lists, str, numbers,
bools, ``None``); a value JSON cannot write raises ``TypeError`` and stores nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from litreview.review.store.base import ReviewStore, now
from litreview.review.store.table import decode_column
from litreview.schema import DATETIME, STRING

SETTINGS_COUNTER = "settings_version"


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def get_setting(store: ReviewStore, key: str, default: Any = None) -> Any:
    """The value of setting ``key``, or ``default`` when it was never set (or deleted).

    The value is a fresh copy: changing it changes nothing until :func:`set_setting`.
    """
    row = store.read(
        lambda conn: conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    )
    return default if row is None else json.loads(row[0])


def all_settings(store: ReviewStore) -> dict[str, Any]:
    """Every setting, ``{key: value}`` in key order.

    >>> all_settings.__name__
    'all_settings'
    """
    rows = store.read(
        lambda conn: conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    )
    return {key: json.loads(value) for key, value in rows}


def set_setting(store: ReviewStore, key: str, value: Any, *, reviewer: str) -> bool:
    """ReviewStore ``value`` under ``key`` as ``reviewer``, in one transaction with its log entry.

    Returns False (and logs nothing) when the value is already that. A ``value`` of
    :data:`DELETE` removes the setting (logged with ``new_value`` NULL).
    """
    if not key or not isinstance(key, str):
        raise ValueError(f"a setting needs a non-empty text key, got {key!r}")
    if not reviewer:
        raise ValueError("a setting change needs the reviewer making it")
    new = None if value is DELETE else _encode(value)
    at = now()
    with store.write() as conn:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        old = None if row is None else row[0]
        if old == new:
            return False
        if new is None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings(key, value, changed_by, changed_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                (key, new, reviewer, at),
            )
        conn.execute(
            "INSERT INTO settings_log(key, old_value, new_value, reviewer, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, old, new, reviewer, at),
        )
        store.bump(conn, SETTINGS_COUNTER)
    return True


def delete_setting(store: ReviewStore, key: str, *, reviewer: str) -> bool:
    """Remove setting ``key`` (logged); False when it was not set."""
    return set_setting(store, key, DELETE, reviewer=reviewer)


def settings_log(store: ReviewStore, key: str | None = None) -> pd.DataFrame:
    """Every settings change, oldest first (one key's with ``key``): ``key``,
    ``old_value``, ``new_value`` (decoded; None when unset), ``reviewer``, ``at``."""
    sql = "SELECT key, old_value, new_value, reviewer, at FROM settings_log"
    args: tuple[str, ...] = ()
    if key is not None:
        sql, args = sql + " WHERE key = ?", (key,)
    rows = store.read(lambda c: c.execute(sql + " ORDER BY change_id", args).fetchall())
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in range(5)]
    return pd.DataFrame(
        {
            "key": pd.array(cols[0], dtype=STRING),
            "old_value": pd.Series([_decode(v) for v in cols[1]], dtype=object),
            "new_value": pd.Series([_decode(v) for v in cols[2]], dtype=object),
            "reviewer": pd.array(cols[3], dtype=STRING),
            "at": decode_column(cols[4], DATETIME),
        }
    )


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class _Delete:
    """The value that removes a setting (:data:`DELETE`)."""

    def __repr__(self) -> str:
        return "DELETE"


#: Pass as the value to :func:`set_setting` to remove a setting.
DELETE: Any = _Delete()

# Short names for callers that import the module: ``settings.get(store, key)``.
get = get_setting
set = set_setting
all = all_settings
delete = delete_setting
log = settings_log

__all__ = [
    "DELETE",
    "SETTINGS_COUNTER",
    "all_settings",
    "delete_setting",
    "get_setting",
    "set_setting",
    "settings_log",
]
