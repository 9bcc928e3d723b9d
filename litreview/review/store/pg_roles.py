"""Who may do what on a server review, enforced by PostgreSQL itself.

``litreview server init URL`` (:func:`init_review`), run by the review's owner (a role
that may create roles), creates the review's schema and two group roles,
``<review>:reviewers`` and ``<review>:resolvers``, with their grants and row-level
security policies; ``litreview server add-reviewer URL NAME`` (:func:`add_reviewer`)
makes ``NAME`` a login role in the reviewers' group (``--resolver``: the resolvers'
too, and in the review's ``team.resolvers``). Each reviewer connects as their role
(``Review.open(url)`` takes the reviewer's name from it); whatever SQL they send:

- they write only their own annotation rows (``NAME`` and ``NAME@fulltext``); the
  final decisions (``@final…``) only a resolver writes (or, when none is named and
  blind mode is off, the reviewers' consensus, as :meth:`~litreview.Review.resolve` says);
- the history and the logs take ``INSERT`` only (no ``UPDATE``, ``DELETE`` or
  ``TRUNCATE`` is granted, and the triggers refuse them anyway); a history row must
  belong to a step of their own, and only their own steps' undo state changes;
- in blind mode the server hides other reviewers' annotations and their history rows
  (a resolver sees everything): the rule of
  :meth:`~litreview.review.team.TeamViews.blind` (screeners counted by a ``SECURITY
  DEFINER`` function, over every reviewer's history);
- only a resolver changes the team settings (``team.blind``, ``team.resolvers``);
- nobody but the owner alters the schema (tables, triggers, policies).

Passwords are the server's business (``ALTER ROLE … PASSWORD`` in psql, or peer,
certificate or LDAP authentication): litreview never sees or stores one.

>>> group_roles("cancer")
('cancer:reviewers', 'cancer:resolvers')
"""

from __future__ import annotations

import re
from typing import Any

from litreview.review.store.annotations import FINAL, FULLTEXT

TEAM_SETTINGS = ("team.blind", "team.resolvers")
_ROLE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}")

#: Tables a reviewer reads and writes (inserts, updates), besides the append-only ones.
_SHARED = ("papers", "imports", "meta", "fulltext")
#: Append-only tables: SELECT and INSERT only.
_LOGS = ("history", "import_changes", "settings_log", "fulltext_log")


def group_roles(review: str) -> tuple[str, str]:
    """The reviewers' and the resolvers' group roles of review ``review``."""
    return f"{review}:reviewers", f"{review}:resolvers"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _functions(schema: str, resolvers: str) -> list[str]:
    s = _q(schema)
    mine = "SELECT $1 = current_user::text OR $1 = current_user::text || '" + FULLTEXT + "'"
    return [
        f"""CREATE OR REPLACE FUNCTION {s}.litreview_mine(key text) RETURNS boolean
LANGUAGE sql STABLE AS $$ {mine} $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.litreview_is_resolver() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT pg_has_role(current_user, {_literal(resolvers)}, 'MEMBER') $$""",
        # blind mode as TeamViews.blind decides it: the setting, else two screeners (not
        # SECURITY DEFINER, so current_user stays the caller; litreview_screeners() is)
        f"""CREATE OR REPLACE FUNCTION {s}.litreview_sees_all() RETURNS boolean
LANGUAGE sql STABLE AS $$
SELECT {s}.litreview_is_resolver() OR NOT coalesce(
    (SELECT value::boolean FROM {s}.settings WHERE key = 'team.blind'),
    (SELECT {s}.litreview_screeners() >= 2)) $$""",
        # a final decision: a resolver's, or the pair's consensus when none is named and
        # blind mode is off (TeamViews.resolve)
        f"""CREATE OR REPLACE FUNCTION {s}.litreview_may_finalize() RETURNS boolean
LANGUAGE sql STABLE AS $$
SELECT {s}.litreview_is_resolver() OR ({s}.litreview_sees_all() AND coalesce(
    (SELECT value FROM {s}.settings WHERE key = 'team.resolvers'), '[]') = '[]') $$""",
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _policies(schema: str) -> list[str]:
    s = _q(schema)
    final = _literal(FINAL + "%")
    own_row = (
        f"({s}.litreview_mine(reviewer) OR (reviewer LIKE {final} AND {s}.litreview_is_resolver()))"
    )
    seen = f"({s}.litreview_mine(reviewer) OR {s}.litreview_sees_all())"
    own_step = (
        f"EXISTS (SELECT 1 FROM {s}.steps t WHERE t.step_id = {s}.history.step_id "
        "AND t.reviewer = current_user::text)"
    )
    team = ", ".join(_literal(k) for k in TEAM_SETTINGS)
    team_ok = f"(key NOT IN ({team}) OR {s}.litreview_is_resolver())"
    out = []
    for table in ("annotations", "history", "steps", "settings"):
        out.append(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        out.append(
            f"DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname FROM pg_policies "
            f"WHERE schemaname = {_literal(schema)} AND tablename = '{table}' LOOP "
            f"EXECUTE format('DROP POLICY %I ON %I.%I', p.policyname, {_literal(schema)}, "
            f"'{table}'); END LOOP; END $$"
        )
    out += [
        f"CREATE POLICY see ON {s}.annotations FOR SELECT USING {seen}",
        f"CREATE POLICY add ON {s}.annotations FOR INSERT WITH CHECK {own_row}",
        f"CREATE POLICY change ON {s}.annotations FOR UPDATE USING {own_row} WITH CHECK {own_row}",
        f"CREATE POLICY see ON {s}.history FOR SELECT USING {seen}",
        f"CREATE POLICY add ON {s}.history FOR INSERT WITH CHECK ({own_step})",
        f"CREATE POLICY see ON {s}.steps FOR SELECT USING (true)",
        f"CREATE POLICY add ON {s}.steps FOR INSERT WITH CHECK (reviewer = current_user::text)",
        f"CREATE POLICY change ON {s}.steps FOR UPDATE USING (reviewer = current_user::text)",
        f"CREATE POLICY see ON {s}.settings FOR SELECT USING (true)",
        f"CREATE POLICY add ON {s}.settings FOR INSERT WITH CHECK {team_ok}",
        f"CREATE POLICY change ON {s}.settings FOR UPDATE USING {team_ok} WITH CHECK {team_ok}",
        f"CREATE POLICY remove ON {s}.settings FOR DELETE USING {team_ok}",
    ]
    return out


def _grants(schema: str, database: str, reviewers: str, resolvers: str) -> list[str]:
    s, g = _q(schema), _q(reviewers)
    out = [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {_q(database)} TO {g}",
        f"GRANT USAGE ON SCHEMA {s} TO {g}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {g}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {g}",
        f"GRANT INSERT, UPDATE ON {s}.annotations TO {g}",
        f"GRANT INSERT, UPDATE (state) ON {s}.steps TO {g}",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.settings TO {g}",
        f"GRANT {_q(reviewers)} TO {_q(resolvers)}",
    ]
    out += [f"GRANT INSERT, UPDATE ON {s}.{t} TO {g}" for t in _SHARED]
    out += [f"GRANT INSERT ON {s}.{t} TO {g}" for t in _LOGS]
    out += [f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC"]
    return out


def _ensure_role(conn: Any, name: str, *, login: bool) -> None:
    found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if found is None:
        conn.execute(f"CREATE ROLE {_q(name)} {'LOGIN' if login else 'NOLOGIN'}")


def init_review(url: str) -> list[str]:
    """Create (or bring up to date) review ``url``'s schema, its group roles, grants and
    policies, as the connecting role (the owner). Returns the roles made or kept.

    Running it again is safe: it re-applies the grants and policies (after a migration
    added a table, say) and keeps every reviewer.
    """
    from litreview.review.store.postgres import PgStore

    store = PgStore.open(url)
    try:
        reviewers, resolvers = group_roles(store.name)
        with store.write() as conn:
            raw = conn.raw
            database = raw.execute("SELECT current_database()").fetchone()[0]
            for role in (reviewers, resolvers):
                _ensure_role(raw, role, login=False)
            for sql in (
                _functions(store.name, resolvers)
                + _policies(store.name)
                + _grants(store.name, database, reviewers, resolvers)
            ):
                raw.execute(sql)
    finally:
        store.close()
    return [reviewers, resolvers]


def add_reviewer(url: str, name: str, *, resolver: bool = False) -> str:
    """Make ``name`` a reviewer (a login role without a password) of review ``url``;
    ``resolver=True`` also gives the resolver role. Run by the owner. Returns the role."""
    if not _ROLE.fullmatch(name):
        raise ValueError(
            f"reviewer name {name!r}: 1-63 letters, digits, '_', '.', '@' or '-', "
            "starting with a letter, digit or '_'"
        )
    from litreview.review.core import Review
    from litreview.review.store.postgres import PgStore

    store = PgStore.open(url)
    try:
        reviewers, resolvers = group_roles(store.name)
        with store.write() as conn:
            raw = conn.raw
            exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reviewers,))
            if exists.fetchone() is None:
                raise ValueError(f"{url}: run `litreview server init URL` first")
            _ensure_role(raw, name, login=True)
            raw.execute(f"GRANT {_q(resolvers if resolver else reviewers)} TO {_q(name)}")
        if resolver:
            owner = Review(store, str(store.user))
            names = owner.resolvers
            if name not in names:
                owner.set_resolvers([*names, name])
    finally:
        store.close()
    return name
