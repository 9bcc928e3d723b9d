"""What only the PostgreSQL backend has: its URL, its schema (the file's, translated),
its refusals and its transactions. The behaviour both backends share is tested by the
rest of tests/review, which runs on both (the ``locate`` and ``review`` fixtures)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

import litreview
from litreview import Review
from litreview.review.store.connection import SCHEMA_VERSION, Store
from litreview.review.store.pg_url import check_url, redacted
from litreview.review.store.postgres import PgStore, ReviewServerError


def _columns_of_file(tmp_path: Path) -> dict[str, list[str]]:
    store = Store.open(tmp_path / "f.litreview")
    try:

        def read(conn: sqlite3.Connection) -> dict[str, list[str]]:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {n: [r[1] for r in conn.execute(f"PRAGMA table_info({n})")] for n in names}

        return store.read(read)  # type: ignore[no-any-return]
    finally:
        store.close()


def test_the_schema_is_the_files_at_the_same_version(pg_server: Any, tmp_path: Path) -> None:
    url = pg_server.url()
    with Review.open(url) as review:
        store = review._store
        assert isinstance(store, PgStore) and store.version == SCHEMA_VERSION
        assert review.integrity_check() == "ok"
        found = store.read(
            lambda c: c.raw.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
            ).fetchall()
        )
    tables: dict[str, list[str]] = {}
    for table, column in found:
        tables.setdefault(table, []).append(column)
    tables.pop("litreview_version")
    tables["papers"].remove("row_order")  # SQLite's rowid: the order papers were added in
    assert tables == _columns_of_file(tmp_path)


def test_history_and_logs_are_append_only_for_any_sql(pg_server: Any) -> None:
    url = pg_server.url()
    with Review.open(url, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.annotate(review.papers["paper_id"][:2], decision="include")
        schema = review._store.name  # type: ignore[attr-defined]
    for sql in (
        "UPDATE history SET new_value = 'x'",
        "DELETE FROM history",
        "TRUNCATE history CASCADE",
        "DELETE FROM import_changes",
        "UPDATE settings_log SET reviewer = 'bob'",
        "TRUNCATE fulltext_log",
    ):
        with pytest.raises(RuntimeError, match="append-only"):
            pg_server.psql(f'SET search_path TO "{schema}"; {sql}')
    assert pg_server.psql(f'SELECT count(*) FROM "{schema}".history').strip() == "2"


def test_a_password_in_the_url_is_refused_and_never_shown(pg_server: Any) -> None:
    url = pg_server.url().replace("postgres@", "postgres:s3cret@")
    with pytest.raises(ValueError, match="pgpass") as info:
        Review.open(url)
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    with pytest.raises(ValueError, match="pgpass"):
        check_url("postgresql://ada@db/reviews?password=s3cret&review=x")
    assert redacted("postgresql://ada:pw@db:5/x") == "postgresql://ada:***@db:5/x"


@pytest.mark.parametrize("name", ["Cancer", "a b", "-x", "x" * 64])
def test_a_review_name_must_be_a_lowercase_identifier(name: str) -> None:
    with pytest.raises(ValueError, match="review name"):
        check_url(f"postgresql://ada@db/reviews?review={name}")


def test_a_foreign_schema_or_a_newer_review_is_refused_untouched(pg_server: Any) -> None:
    pg_server.psql('CREATE SCHEMA "shop"; CREATE TABLE "shop".orders (id int)')
    with pytest.raises(ReviewServerError, match=r"not a litreview review.*orders"):
        Review.open(pg_server.url("shop"))
    assert pg_server.psql("SELECT count(*) FROM shop.orders").strip() == "0"
    url = pg_server.url()
    Review.open(url).close()
    schema = url.rsplit("=", 1)[1]
    pg_server.psql(f'UPDATE "{schema}".litreview_version SET version = {SCHEMA_VERSION + 1}')
    with pytest.raises(ReviewServerError, match="newer litreview"):
        Review.open(url)


def test_an_unreachable_server_names_the_url(pg_server: Any) -> None:
    url = "postgresql://postgres@127.0.0.1:1/postgres?review=x"
    with pytest.raises(ReviewServerError, match="cannot connect") as info:
        Review.open(url)
    assert "127.0.0.1:1" in str(info.value)


def test_a_failed_write_leaves_nothing_and_readers_see_only_commits(pg_server: Any) -> None:
    url = pg_server.url()
    with Review.open(url, reviewer="ada") as ada, Review.open(url, reviewer="bob") as bob:
        ada.add(litreview.SAMPLE_LISTING)
        first = ada.papers["paper_id"][0]
        store = ada._store
        with pytest.raises(ZeroDivisionError), store.write() as conn:
            conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, NULL)",
                ("ada", "2026-01-01T00:00:00.000000", "annotate"),
            )
            assert (
                bob._store.read(lambda c: c.execute("SELECT count(*) FROM steps").fetchone())[0]
                == 0
            )  # not committed: another client does not see it
            1 / 0  # noqa: B018
        assert store.read(lambda c: c.execute("SELECT count(*) FROM steps").fetchone())[0] == 0
        ada.annotate(first, decision="include")
        assert bob.decisions().set_index("paper_id").loc[first, "ada"] == "include"


def test_lastrowid_and_placeholders_inside_literals(pg_server: Any) -> None:
    with Review.open(pg_server.url()) as review:
        store = review._store
        with store.write() as conn:
            one = conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES (?, '?%', ?, NULL)",
                ("ada", "annotate"),
            ).lastrowid
            two = conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES ('a?', 'b%', 'c', NULL)"
            ).lastrowid
        assert (one, two) == (1, 2)
        rows = store.read(lambda c: c.execute("SELECT reviewer, at FROM steps").fetchall())
        assert rows == [("ada", "?%"), ("a?", "b%")]


def test_the_driver_is_psycopg_3() -> None:
    assert int(psycopg.__version__.split(".")[0]) == 3


def test_an_older_server_review_is_migrated_forward_keeping_its_rows(pg_server: Any) -> None:
    from litreview.review.store import pg_schema

    url = pg_server.url()
    name = url.rsplit("=", 1)[1]
    older = SCHEMA_VERSION - 1
    conninfo = url.split("?")[0]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
        conn.execute(f'SET search_path TO "{name}"')
        with conn.transaction():
            pg_schema.migrate(conn, 0, name, target=older)
        conn.execute(
            "INSERT INTO papers(paper_id, title_key, title) VALUES ('p1', 'a paper', 'A paper')"
        )
    with Review.open(url, reviewer="ada") as review:
        store = review._store
        assert (store.version_found, store.version) == (older, SCHEMA_VERSION)
        assert review.papers["title"].tolist() == ["A paper"]
        review.annotate("p1", decision="include")
        assert review.integrity_check() == "ok"
