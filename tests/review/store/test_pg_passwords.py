"""No password is ever written into a notebook, a log or the review (issue 20 item 4):
a server that asks for passwords is reached with the password from ``~/.pgpass``
(``PGPASSFILE``) or ``PGPASSWORD``, never from the URL, and the review holds none."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import litreview
from litreview import Review
from litreview.cli import main
from litreview.review.store.base import open_store
from litreview.review.store.copy import read_tables
from litreview.review.store.postgres import ReviewServerError

SECRET = "Tr0ub4dor-secret"


@pytest.fixture(scope="module")
def guarded(pg_server: Any) -> Iterator[Any]:
    """A second server whose TCP clients must give a password (the first trusts all)."""
    from tests.pg_server import PgServer

    server = PgServer(pg_server.bin, passwords=True)
    try:
        yield server
    finally:
        server.stop()


def test_the_password_comes_from_pgpass_or_pgpassword_and_is_kept_nowhere(
    guarded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any, capsys: Any
) -> None:
    cache = tmp_path / "cache"  # the review's side files (its search index) go here
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(cache))
    owner = guarded.socket_url("team")
    assert main(["server", "init", owner]) == 0
    assert main(["server", "add-reviewer", owner, "ada"]) == 0
    guarded.psql(f"ALTER ROLE ada PASSWORD '{SECRET}'", host=str(guarded.dir))
    with Review.open(owner) as review:
        review.add(litreview.SAMPLE_LISTING)
    url = f"postgresql://ada@127.0.0.1:{guarded.port}/postgres?review=team"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(ReviewServerError, match="cannot connect"):
        Review.open(url)  # no password anywhere: refused by the server
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{guarded.port}:postgres:ada:{SECRET}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    caplog.set_level(logging.DEBUG)
    with Review.open(url) as ada:
        ada.annotate(ada.papers["paper_id"][:2], decision="include", note="from pgpass")
        assert len(ada.search("transformer")) > 0  # writes the search index beside it
        shown = repr(ada) + str(ada.location) + str(ada.path)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert main(["history", url]) == 0  # the command line, with PGPASSWORD
    monkeypatch.delenv("PGPASSWORD")
    out = capsys.readouterr()
    assert "from pgpass" in out.out
    store = open_store(owner)
    try:
        tables = store.read(lambda conn: read_tables(store, conn))
    finally:
        store.close()
    kept = repr(tables) + shown + out.out + out.err + caplog.text
    assert SECRET not in kept
    written = [p for p in cache.rglob("*") if p.is_file()]
    assert written  # the index files
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path
