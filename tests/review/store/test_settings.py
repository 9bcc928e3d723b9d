"""Review settings: JSON values per key, every change logged with reviewer and time."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from litreview.review.store import settings
from litreview.review.store.base import ReviewStore, open_store
from litreview.review.store.connection import Store


@pytest.fixture
def store(locate: Callable[[str], str | Path]) -> Iterator[ReviewStore]:
    """A new review's store in each backend (a file, a PostgreSQL server's schema)."""
    opened = open_store(locate("r"), create=True)
    yield opened
    opened.close()


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "r.litreview", create=True)
    yield opened
    opened.close()


def test_values_round_trip_and_each_change_is_logged(store: ReviewStore) -> None:
    assert settings.get(store, "blind.enabled") is None
    assert settings.set(store, "blind.enabled", True, reviewer="ana")
    assert settings.set(store, "keys.formula", {"default": "auth.lower + year"}, reviewer="bo")
    assert not settings.set(store, "blind.enabled", True, reviewer="bo")  # no change: no log
    assert settings.set(store, "blind.enabled", False, reviewer="bo")
    assert settings.all(store) == {
        "blind.enabled": False,
        "keys.formula": {"default": "auth.lower + year"},
    }
    log = settings.log(store)
    assert log["key"].tolist() == ["blind.enabled", "keys.formula", "blind.enabled"]
    assert log["reviewer"].tolist() == ["ana", "bo", "bo"]
    assert log["old_value"].tolist() == [None, None, True]
    assert log["new_value"].tolist() == [True, {"default": "auth.lower + year"}, False]
    assert log["at"].notna().all() and str(log["at"].dtype) == "datetime64[us]"
    assert settings.log(store, "keys.formula")["reviewer"].tolist() == ["bo"]


def test_delete_is_logged_and_reads_as_the_default(store: ReviewStore) -> None:
    settings.set(store, "app.keywords", ["llm", "rag"], reviewer="ana")
    assert settings.delete(store, "app.keywords", reviewer="ana")
    assert not settings.delete(store, "app.keywords", reviewer="ana")
    assert settings.get(store, "app.keywords", []) == []
    assert settings.log(store)["new_value"].tolist() == [["llm", "rag"], None]


def test_a_value_json_cannot_write_stores_nothing(store: ReviewStore) -> None:
    with pytest.raises(TypeError):
        settings.set(store, "bad", {1, 2}, reviewer="ana")
    with pytest.raises(ValueError, match="reviewer"):
        settings.set(store, "k", 1, reviewer="")
    assert settings.all(store) == {} and settings.log(store).empty


def test_the_settings_log_is_append_only(file_store: Store) -> None:
    settings.set(file_store, "k", 1, reviewer="ana")
    conn = sqlite3.connect(file_store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM settings_log")
    conn.close()
