"""Completing the review's papers from the web (:meth:`Review.enrich`), undoably.

An enrichment is one *step* of the review's history (action ``enrich``): one history
row per field it filled, with the value before and after and, in ``new_meta``, the
source it came from and the rank the value now has. :meth:`Review.undo` and
:meth:`Review.redo` revert and re-apply it like any change; a field changed since
(by an import) is left as it is. A field you set yourself (a DataFrame given to
``add``: rank :data:`~litreview.readers.policy.YOUR_TABLE`) is never changed.
The lookups (:mod:`litreview.web.enrich`) run before the write transaction: a network
failure leaves the review unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from litreview.readers.policy import RANKED, YOUR_TABLE, decode_ranks, encode_ranks, rank
from litreview.review.store.annotations import UNDOABLE
from litreview.review.store.connection import Store, now
from litreview.review.store.table import COLUMNS, PAPERS_COUNTER
from litreview.schema import DATETIME, INT, LIST, PAPER_COLUMNS, STRING

if TYPE_CHECKING:
    from litreview.query.filters import SearchOptions
    from litreview.web.client import Client, Stats
    from litreview.web.enrich import Plan, Update

ACTION = "enrich"
#: The rank an enriched value gets (a web record: after every listing format).
WEB_RANK = rank("web")
Progress = Callable[[int, int, str], None]
_CHANGES = (*UNDOABLE, ACTION)


@dataclass
class EnrichReport:
    """What :meth:`Review.enrich` did (or, with ``dry_run``, would do).

    ``changes``: ``paper_id, field, old_value, new_value, source``; ``to_confirm``: the
    uncertain title matches with their candidate; ``not_found``: paper_ids nothing
    matched; ``stats``: requests made, answers from the cache.
    """

    looked_up: int
    changes: pd.DataFrame
    to_confirm: pd.DataFrame
    not_found: list[str]
    stats: Stats
    dry_run: bool = False
    skipped: list[str] = field(default_factory=list)

    @property
    def papers_changed(self) -> int:
        return int(self.changes["paper_id"].nunique()) if len(self.changes) else 0

    def __str__(self) -> str:
        verb = "would complete" if self.dry_run else "completed"
        return (
            f"{self.looked_up:,} paper(s) looked up: {verb} {self.papers_changed:,} "
            f"({len(self.changes):,} fields), {len(self.to_confirm):,} to confirm, "
            f"{len(self.not_found):,} not found; {self.stats}"
        )


class ReviewEnrichment:
    """The ``enrich`` part of :class:`~litreview.review.core.Review` (a mixin)."""

    _store: Store
    reviewer: str
    _index_stale: bool

    if TYPE_CHECKING:  # provided by Review and ReviewActions

        @property
        def papers(self) -> pd.DataFrame: ...

        def search(self, query: str = "", **filters: Unpack[SearchOptions]) -> pd.DataFrame: ...

    def enrich(
        self,
        paper_ids: str | Iterable[str] | None = None,
        *,
        query: str | None = None,
        confirm: Mapping[str, str] | Iterable[str] | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        client: Client | None = None,
    ) -> EnrichReport:
        """Complete the metadata of the papers (all, ``paper_ids``, or those ``query``
        finds) from arXiv, Hugging Face and OpenAlex; one undoable step.

        A title match that is not certain is never applied: it is listed in
        ``report.to_confirm``; pass ``confirm={paper_id: arxiv_id}`` (or the paper_ids
        whose candidate is right) to apply it. ``progress(done, total, message)`` is
        called as lookups go (the app's progress bar). Raises
        :class:`litreview.web.WebError` (one line) when a source cannot be reached; the
        review is then unchanged.

        >>> import tempfile, pathlib, litreview, os
        >>> os.environ["LITREVIEW_OFFLINE"] = "1"
        >>> os.environ["LITREVIEW_CACHE_DIR"] = tempfile.mkdtemp()
        >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
        >>> print(review.enrich())  # doctest: +ELLIPSIS
        0 paper(s) looked up: completed 0 (0 fields), 0 to confirm, 0 not found; 0 request(s), ...
        >>> review.close(); del os.environ["LITREVIEW_OFFLINE"], os.environ["LITREVIEW_CACHE_DIR"]
        """
        from litreview.web.enrich import plan_enrichment

        papers = self._selected(paper_ids, query)
        locked = _your_values(
            papers, self._store.read(lambda c: _locked(c, papers["paper_id"].tolist()))
        )
        plan = plan_enrichment(
            papers, locked=locked, confirm=confirm, client=client, progress=progress
        )
        skipped: list[str] = []
        if not dry_run and plan.updates:
            skipped = self._write_enrichment(plan)
            self._index_stale = True
        return _report(plan, dry_run, skipped)

    def enrichments(self, paper_id: str | None = None) -> pd.DataFrame:
        """Every field an enrichment changed (and its undos and redos), oldest first:
        ``paper_id, reviewer, at, action, field, old_value, new_value, source``."""
        return self._store.read(lambda c: _enrichment_rows(c, paper_id))

    def _selected(self, paper_ids: str | Iterable[str] | None, query: str | None) -> pd.DataFrame:
        papers = self.papers if query is None else self.search(query)
        if paper_ids is None:
            return papers
        wanted = [paper_ids] if isinstance(paper_ids, str) else list(paper_ids)
        unknown = [p for p in wanted if p not in set(papers["paper_id"])]
        if unknown:
            raise KeyError(
                f"no paper {unknown[0]!r} in this review" + (" (or query)" if query else "")
            )
        return papers[papers["paper_id"].isin(wanted)]

    def _write_enrichment(self, plan: Plan) -> list[str]:
        """Write the plan as one ``enrich`` step; return the fields skipped (changed since)."""
        with self._store.write() as conn:
            at = now()
            step = conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, NULL)",
                (self.reviewer, at, ACTION),
            ).lastrowid
            assert step is not None
            skipped = _apply(conn, step, self.reviewer, at, [_change(u) for u in plan.updates])
            self._store.bump(conn, PAPERS_COUNTER)
        return skipped

    # -- undo and redo (Review.undo/redo ask these first) ------------------------------------

    def _enrichment_target(self, verb: str) -> int | None:
        """The enrich step ``undo``/``redo`` would act on now, else None."""
        return self._store.read(lambda c: _target(c, self.reviewer, verb))

    def _step_enrichment(self, verb: str) -> pd.DataFrame:
        """Undo or redo the enrichment step :meth:`_enrichment_target` names."""
        with self._store.write() as conn:
            step = _target(conn, self.reviewer, verb)
            if step is None:
                raise LookupError(f"nothing to {verb} for reviewer {self.reviewer!r}")
            side = "old" if verb == "undo" else "new"
            order = "DESC" if verb == "undo" else "ASC"
            rows = conn.execute(
                f"SELECT paper_id, field, new_value, old_value, new_meta, old_meta FROM history "
                f"WHERE step_id = ? ORDER BY history_id {order}",
                (step,),
            ).fetchall()
            changes = []
            for pid, name, new, old, new_meta, old_meta in rows:
                if side == "old":  # back from new to old
                    changes.append(_Change(pid, name, new, old, _meta(new_meta), _meta(old_meta)))
                else:
                    changes.append(_Change(pid, name, old, new, _meta(old_meta), _meta(new_meta)))
            at = now()
            written = conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, ?)",
                (self.reviewer, at, verb, step),
            ).lastrowid
            assert written is not None
            _apply(conn, written, self.reviewer, at, changes)
            state = "undone" if verb == "undo" else "done"
            conn.execute("UPDATE steps SET state = ? WHERE step_id = ?", (state, step))
            self._store.bump(conn, PAPERS_COUNTER)
            self._index_stale = True
            return _frame(conn, written)


@dataclass(frozen=True)
class _Change:
    """One field of one paper from ``before`` to ``after`` (history JSON), with the meta
    (``{"rank": …, "source": …}``) of each side."""

    paper_id: str
    field: str
    before: str | None
    after: str | None
    meta_before: dict[str, Any]
    meta_after: dict[str, Any]


def _meta(text: str | None) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _change(update: Update) -> _Change:
    return _Change(
        update.paper_id, update.field, _to_json(update.field, update.old),
        _to_json(update.field, update.new), {}, {"source": update.source, "rank": WEB_RANK},
    )  # fmt: skip


def _to_json(name: str, value: Any) -> str | None:
    """A schema value as the history keeps it: JSON of the stored SQLite value."""
    stored = _stored(name, value)
    if stored is None:
        return None
    return stored if PAPER_COLUMNS[name] is LIST else json.dumps(stored, ensure_ascii=False)


def _stored(name: str, value: Any) -> Any:
    """The SQLite value of a schema value (lists as JSON, dates as the store's text)."""
    if value is None or (isinstance(value, list) and not value):
        return None
    dtype = PAPER_COLUMNS[name]
    if dtype is LIST:
        return json.dumps([str(v) for v in value], ensure_ascii=False)
    if dtype is DATETIME or name == "published":
        return f"{str(value)[:10]}T00:00:00.000000"
    if dtype is INT:
        return int(value)
    return str(value) if dtype is STRING or isinstance(value, str) else value


def _from_json(name: str, text: str | None) -> Any:
    if text is None:
        return None
    return text if PAPER_COLUMNS[name] is LIST else json.loads(text)


def _apply(
    conn: sqlite3.Connection, step: int, reviewer: str, at: str, changes: list[_Change]
) -> list[str]:
    """Set each field (if it still holds ``before``), with its rank, and log it in the
    history of ``step``; return ``paper_id:field`` of those changed since."""
    skipped: list[str] = []
    ranked = {name: i for i, name in enumerate(RANKED)}
    for ch in changes:
        if ch.field not in COLUMNS:
            continue
        row = conn.execute(
            f"SELECT {ch.field}, ranks FROM papers WHERE paper_id = ?", (ch.paper_id,)
        ).fetchone()
        if row is None or row[0] != _from_json(ch.field, ch.before):
            skipped.append(f"{ch.paper_id}:{ch.field}")
            continue
        ranks = decode_ranks(row[1])
        if ch.field in ranked:
            at_rank = ranked[ch.field]
            if ranks[at_rank] == YOUR_TABLE and row[0] is not None:  # your own value
                skipped.append(f"{ch.paper_id}:{ch.field}")
                continue
            old_rank = ranks[at_rank]
            ranks[at_rank] = int(ch.meta_after.get("rank", old_rank))
            meta_before = {**ch.meta_before, "rank": old_rank}
        else:
            meta_before = ch.meta_before
        conn.execute(
            f"UPDATE papers SET {ch.field} = ?, ranks = ? WHERE paper_id = ?",
            (_from_json(ch.field, ch.after), encode_ranks(ranks), ch.paper_id),
        )
        conn.execute(
            "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value, "
            "old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (step, ch.paper_id, reviewer, at, ch.field, ch.before, ch.after,
             json.dumps(meta_before), json.dumps(ch.meta_after)),
        )  # fmt: skip
    return skipped


def _locked(conn: sqlite3.Connection, ids: list[str]) -> dict[str, set[str]]:
    """paper_id -> the fields you set yourself (rank YOUR_TABLE)."""
    out: dict[str, set[str]] = {}
    wanted = set(ids)
    for pid, ranks in conn.execute("SELECT paper_id, ranks FROM papers WHERE ranks IS NOT NULL"):
        if pid in wanted:
            mine = {n for n, r in zip(RANKED, decode_ranks(ranks), strict=False) if r == YOUR_TABLE}
            if mine:
                out[pid] = mine
    return out


def _your_values(papers: pd.DataFrame, ranked: dict[str, set[str]]) -> dict[str, set[str]]:
    """The fields you gave a value yourself (a field your table left empty may be filled)."""
    from litreview.web.enrich import missing

    rows = papers.set_index("paper_id")
    out: dict[str, set[str]] = {}
    for pid, names in ranked.items():
        mine = {n for n in names if n in rows.columns and not missing(rows.at[pid, n])}
        if mine:
            out[pid] = mine
    return out


def _target(conn: sqlite3.Connection, reviewer: str, verb: str) -> int | None:
    """The step ``verb`` acts on if it is an enrichment (any change counts as one)."""
    marks = ", ".join("?" * len(_CHANGES))
    if verb == "undo":
        row = conn.execute(
            f"SELECT step_id, action FROM steps WHERE reviewer = ? AND action IN ({marks}) "
            "AND state = 'done' ORDER BY step_id DESC LIMIT 1",
            (reviewer, *_CHANGES),
        ).fetchone()
        return int(row[0]) if row is not None and row[1] == ACTION else None
    pending = 0
    steps = conn.execute(
        "SELECT s.action, s.target, t.action FROM steps s LEFT JOIN steps t "
        "ON t.step_id = s.target WHERE s.reviewer = ? ORDER BY s.step_id DESC",
        (reviewer,),
    )
    for action, target, target_action in steps:
        if action == "redo":
            pending += 1
        elif action == "undo":
            if pending == 0:
                return int(target) if target_action == ACTION else None
            pending -= 1
        elif action in _CHANGES:
            return None
    return None


def _frame(conn: sqlite3.Connection, step: int) -> pd.DataFrame:
    """The history rows of ``step`` as :meth:`Review.history` shows changes."""
    rows = conn.execute(
        "SELECT paper_id, reviewer, at, field, old_value, new_value FROM history "
        "WHERE step_id = ? ORDER BY history_id",
        (step,),
    ).fetchall()
    return _table(rows, ["paper_id", "reviewer", "at", "field", "old_value", "new_value"])


def _enrichment_rows(conn: sqlite3.Connection, paper_id: str | None) -> pd.DataFrame:
    sql = (
        "SELECT h.paper_id, h.reviewer, h.at, s.action, h.field, h.old_value, h.new_value, "
        "h.new_meta FROM history h JOIN steps s ON s.step_id = h.step_id "
        "LEFT JOIN steps t ON t.step_id = s.target "
        "WHERE (s.action = ? OR (s.action IN ('undo', 'redo') AND t.action = ?))"
    )
    args: tuple[str, ...] = (ACTION, ACTION)
    if paper_id is not None:
        sql, args = sql + " AND h.paper_id = ?", (*args, paper_id)
    rows = conn.execute(sql + " ORDER BY h.history_id", args).fetchall()
    rows = [(*r[:7], _meta(r[7]).get("source")) for r in rows]
    names = ["paper_id", "reviewer", "at", "action", "field", "old_value", "new_value", "source"]
    return _table(rows, names)


def _table(rows: list[Any], names: list[str]) -> pd.DataFrame:
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    data: dict[str, Any] = {}
    for name, values in zip(names, cols, strict=True):
        if name == "at":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
        elif name in ("old_value", "new_value"):
            data[name] = pd.Series(
                [None if v is None else json.loads(v) for v in values], dtype=object
            )
        else:
            data[name] = pd.array(values, dtype=STRING)
    return pd.DataFrame(data)


def _report(plan: Plan, dry_run: bool, skipped: list[str]) -> EnrichReport:
    changes = plan.updates_frame()
    if skipped:
        gone = set(skipped)
        keep = [
            f"{p}:{f}" not in gone
            for p, f in zip(changes["paper_id"], changes["field"], strict=True)
        ]
        changes = changes[keep].reset_index(drop=True)
    return EnrichReport(
        plan.looked_up, changes, plan.uncertain_frame(), plan.not_found, plan.stats,
        dry_run, skipped,
    )  # fmt: skip
