"""Who may do what on a server review, enforced by PostgreSQL (issue 20, "done means"):
bob, connected as bob, cannot read ada's annotations in blind mode, cannot change them,
and cannot alter or delete history, whatever SQL he sends."""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
import pytest

import litreview
from litreview import Review
from litreview.cli import main
from litreview.review.store.pg_url import split_url


@pytest.fixture
def team(pg_server: Any, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A review set up with the CLI: ada and bob reviewers, cy a resolver; ada and bob
    have screened (so blind mode is on). Returns each person's URL."""
    owner = pg_server.url()
    assert main(["server", "init", owner]) == 0
    for name in ("ada", "bob"):
        assert main(["server", "add-reviewer", owner, name]) == 0
    assert main(["server", "add-reviewer", owner, "cy", "--resolver"]) == 0
    out = capsys.readouterr().out
    assert "review ready" in out and "cy is a resolver" in out
    with Review.open(owner) as review:
        review.add(litreview.SAMPLE_LISTING)
    urls = {name: owner.replace("postgres@", f"{name}@") for name in ("ada", "bob", "cy")}
    urls["owner"] = owner
    with Review.open(urls["ada"]) as ada:
        assert ada.reviewer == "ada"  # the connection's role
        ids = ada.papers["paper_id"][:3].tolist()
        ada.annotate(ids, decision="include", note="ada's secret", add_tags="ada-tag")
    with Review.open(urls["bob"]) as bob:
        bob.annotate(ids[0], decision="exclude", reason="off topic")
        assert bob.blind
    return urls


def _as(url: str) -> psycopg.Connection[Any]:
    conninfo, name = split_url(url)
    conn = psycopg.connect(conninfo, autocommit=True)
    conn.execute(f'SET search_path TO "{name}"')
    return conn


def test_bob_cannot_read_adas_annotations_in_blind_mode(team: dict[str, str]) -> None:
    with _as(team["bob"]) as conn:
        rows = conn.execute("SELECT reviewer, note FROM annotations").fetchall()
        assert {r[0] for r in rows} == {"bob"}
        history = conn.execute("SELECT DISTINCT reviewer FROM history").fetchall()
        assert {r[0] for r in history} == {"bob"}
        # nor by turning blind mode off: only a resolver changes the team settings
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO settings VALUES ('team.blind', 'false', 'bob', 'now') "
                "ON CONFLICT (key) DO UPDATE SET value = 'false'"
            )
    with Review.open(team["bob"]) as bob:
        assert "ada" not in bob.decisions().columns
        assert "ada's secret" not in bob.history()["new_value"].astype(str).tolist()
        assert "ada-tag" not in bob.tags()
    with Review.open(team["cy"]) as cy:  # the resolver sees everyone's
        assert cy.sees_all and {"ada", "bob"} <= set(cy.decisions().columns)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE annotations SET note = 'bob was here' WHERE reviewer = 'ada'",
        "DELETE FROM annotations WHERE reviewer = 'ada'",
        "INSERT INTO annotations(paper_id, reviewer, decision) "
        "SELECT paper_id, 'ada', 'exclude' FROM papers LIMIT 1 "
        "ON CONFLICT (paper_id, reviewer) DO UPDATE SET decision = 'exclude'",
        "INSERT INTO annotations(paper_id, reviewer, decision) "
        "SELECT paper_id, '@final', 'exclude' FROM papers LIMIT 1",
        "UPDATE history SET new_value = '\"exclude\"'",
        "DELETE FROM history",
        "TRUNCATE history",
        "INSERT INTO history(step_id, paper_id, reviewer, at, field) "
        "SELECT step_id, 'x', 'ada', 'now', 'note' FROM steps WHERE reviewer = 'ada' LIMIT 1",
        "UPDATE steps SET state = 'undone' WHERE reviewer = 'ada'",
        "ALTER TABLE history DISABLE TRIGGER history_no_update",
        "DROP TRIGGER history_no_delete ON history",
        "ALTER TABLE annotations DISABLE ROW LEVEL SECURITY",
        "DROP POLICY see ON annotations",
        "CREATE TABLE sneaky (x int)",
        "SET ROLE ada",
        "SET session_replication_role = replica",
    ],
)
def test_bob_cannot_change_adas_work_or_the_history(team: dict[str, str], sql: str) -> None:
    with _as(team["owner"]) as owner:
        before = owner.execute(
            "SELECT (SELECT string_agg(a::text, '|' ORDER BY a::text) FROM annotations a), "
            "(SELECT string_agg(h::text, '|' ORDER BY h.history_id) FROM history h), "
            "(SELECT string_agg(s::text, '|' ORDER BY s.step_id) FROM steps s)"
        ).fetchone()
    with _as(team["bob"]) as conn, contextlib.suppress(psycopg.Error):  # refused, or harmless
        conn.execute(sql)
    with _as(team["owner"]) as owner:
        after = owner.execute(
            "SELECT (SELECT string_agg(a::text, '|' ORDER BY a::text) FROM annotations a), "
            "(SELECT string_agg(h::text, '|' ORDER BY h.history_id) FROM history h), "
            "(SELECT string_agg(s::text, '|' ORDER BY s.step_id) FROM steps s)"
        ).fetchone()
        assert after == before
        assert owner.execute("SELECT to_regclass('sneaky')").fetchone()[0] is None


def test_bob_works_as_usual_on_his_own_rows(team: dict[str, str]) -> None:
    with Review.open(team["bob"]) as bob:
        ids = bob.papers["paper_id"][:2].tolist()
        bob.annotate(ids, note="mine", add_tags="bob-tag")
        bob.undo()
        bob.redo()
        assert bob.papers.set_index("paper_id").loc[ids, "note"].tolist() == ["mine", "mine"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            Review(bob._store, "ada").annotate(ids[0], note="as ada")  # not his role
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # past the API's check
            Review(bob._store, "cy").resolve(ids[0], decision="exclude")
    with Review.open(team["cy"]) as cy:
        assert cy.is_resolver
        cy.resolve(ids[0], decision="include", reason="consensus")
        row = cy.final().set_index("paper_id").loc[ids[0]]
        assert (row["final_decision"], row["basis"]) == ("include", "resolved")


def test_the_cli_takes_a_server_review(team: dict[str, str], capsys: Any) -> None:
    assert main(["history", team["bob"]]) == 0
    assert "off topic" in capsys.readouterr().out
