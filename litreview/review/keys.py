"""Pinned citation keys: a paper's key is stored in the review the first time it is
needed (an export, or :meth:`ReviewKeys.citation_keys`) and never changes after that.

Keys are unique across the whole review (compared without case, as biber does). A key
the paper's source gave (a BibTeX entry's, Better BibTeX's ``Citation Key`` in a Zotero
CSV) is pinned as it is; other papers get the review's formula (the ``keys.formula``
setting, by default Better BibTeX's ``auth.lower + shorttitle(3, 3) + year``) with
``a``, ``b``… postfixes against every key the review holds. An import never replaces a
pinned key (nor does metadata completion); :meth:`ReviewKeys.rekey` recomputes on purpose
and :meth:`ReviewKeys.set_key` sets one, both logged with who and when
(:meth:`ReviewKeys.key_history`)::

    >>> import tempfile, pathlib, litreview
    >>> review = litreview.Review.open(pathlib.Path(tempfile.mkdtemp()) / "r.litreview")
    >>> _ = review.add(litreview.SAMPLE_LISTING)
    >>> review.citation_keys().iloc[0]
    'DoracamomJoint3D2025'

The key lives in ``papers.citation_key``; the rank the merge policy keeps for it says
it is pinned (:data:`PINNED`, :data:`PINNED_SOURCE`: below every format's, so nothing
an import brings wins over it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from litreview.readers.policy import RANKED, YOUR_TABLE, decode_ranks, encode_ranks
from litreview.review.key_undo import key_target, step_keys
from litreview.review.store.annotations import as_ids, unknown_ids_error
from litreview.review.store.base import Conn, ReviewStore, now
from litreview.review.store.table import PAPERS_COUNTER, paper_frame
from litreview.schema import STRING
from litreview.writers._fields import paper_rows
from litreview.writers._key_parts import UNSAFE, safe_key
from litreview.writers.key_formula import DEFAULT_FORMULA, KeyFormula

#: The rank of a key the review made (its formula, ``rekey`` or ``set_key``).
PINNED = YOUR_TABLE - 1
#: The rank of a source's own key once pinned (written back as the source's).
PINNED_SOURCE = YOUR_TABLE - 2
#: The review setting holding the key formula.
FORMULA_SETTING = "keys.formula"
#: The history's name for the key (``field`` of its rows).
FIELD = "citation_key"
_AT = RANKED.index("citation_key")
#: (paper_id, old key, new key, the new key's rank)
Change = tuple[str, str | None, str, int]
_COLUMNS = ("paper_id", "title", "authors", "n_authors", "organization", "published",
            "date_precision", "venue", "entry_type")  # fmt: skip


class ReviewKeys:
    """The citation-key part of :class:`~litreview.review.core.Review` (a mixin)."""

    _store: ReviewStore
    reviewer: str

    def setting(self, key: str, default: Any = None) -> Any:  # provided by Review
        raise NotImplementedError

    def set_setting(self, key: str, value: Any) -> bool:  # provided by Review
        raise NotImplementedError

    @property
    def key_formula(self) -> str:
        """The review's key formula (``keys.formula``, else Better BibTeX's default)."""
        return str(self.setting(FORMULA_SETTING, DEFAULT_FORMULA))

    def set_key_formula(self, formula: str) -> bool:
        """Use ``formula`` for keys pinned from now on (pinned keys stay; :meth:`rekey`
        changes them); :class:`~litreview.writers.key_formula.FormulaError` if it does
        not parse. Logged like every setting; False when unchanged."""
        KeyFormula.parse(formula)
        return self.set_setting(FORMULA_SETTING, formula)

    def citation_keys(self, paper_ids: str | Iterable[str] | None = None) -> pd.Series:
        """The pinned keys of ``paper_ids`` (default: every paper), pinning the ones not
        pinned yet: ``paper_id`` -> key, in the order asked."""
        ids = self._ids(paper_ids)
        keys, _ = self._pin(ids)
        return pd.Series([keys[i] for i in ids], index=pd.Index(ids, name="paper_id"),
                         dtype=STRING, name="citation_key")  # fmt: skip

    def rekey(self, paper_ids: str | Iterable[str]) -> pd.DataFrame:
        """Recompute the keys of ``paper_ids`` with the review's formula (on purpose: a
        manuscript citing the old key must change too). Returns ``paper_id, old_key,
        new_key`` of the keys that changed, as logged in :meth:`key_history`."""
        ids = self._ids(paper_ids)
        formula = KeyFormula.parse(self.key_formula)
        rows = {r["paper_id"]: r for r in self._rows(ids)}
        with self._store.write() as conn:
            state = _pinned_state(conn)
            taken = {k.casefold() for pid, (k, _) in state.items() if k and pid not in rows}
            changes: list[Change] = []
            for pid in sorted(ids):
                old = state[pid][0]
                new = _unique(formula, formula.base(rows[pid]) or f"paper{pid[:8]}", taken)
                taken.add(new.casefold())
                changes.append((pid, old, new, PINNED))
            written = _write(conn, self._store, self.reviewer, "rekey", changes)
        return pd.DataFrame(written, columns=["paper_id", "old_key", "new_key"]).astype(STRING)

    def set_key(self, paper_id: str, key: str) -> None:
        """Pin ``key`` as the key of ``paper_id`` (logged); ValueError for a key with a
        space or one of ``\\"#%'(),={}~``, or one another paper has."""
        self._ids(paper_id)
        if not isinstance(key, str) or not key or any(c in UNSAFE or c.isspace() for c in key):
            raise ValueError(
                f"a citation key must be non-empty, without spaces or any of {UNSAFE[:-1]}; "
                f"got {key!r}"
            )
        with self._store.write() as conn:
            state = _pinned_state(conn)
            holder = next(
                (p for p, (k, _) in state.items() if k and k.casefold() == key.casefold()), None
            )
            if holder is not None and holder != paper_id:
                raise ValueError(f"key {key!r} is the key of paper {holder!r} already")
            change = (paper_id, state[paper_id][0] or None, key, PINNED)
            _write(conn, self._store, self.reviewer, "set-key", [change])

    def key_history(self, paper_id: str | None = None) -> pd.DataFrame:
        """Every key change, oldest first: ``paper_id, reviewer, at, action`` (``pin``,
        ``rekey``, ``set-key``, and ``undo``/``redo`` of those), ``old_key, new_key``."""
        actions = ("pin", "rekey", "set-key", "undo", "redo")
        rows = _key_change_rows(self._store, paper_id, actions, "s.action")
        names = ["paper_id", "reviewer", "at", "action", "old_key", "new_key"]
        frame = pd.DataFrame(
            [(*r[:4], *(None if v is None else json.loads(v) for v in r[4:])) for r in rows],
            columns=names,
        )
        frame["at"] = pd.to_datetime(frame["at"], format="ISO8601")
        return frame.astype({n: STRING for n in names if n != "at"})

    def export(
        self, selection: pd.DataFrame | None, path: str | PathLike[str], *,
        overwrite: bool = False, **options: Any,
    ) -> Path:  # fmt: skip
        """Write ``selection`` (default: every paper) to ``path`` in the format its suffix
        names (``.bib``, ``.csv``, ``.ris``, ``.md``; a bare name goes to ``exports/``);
        BibTeX gets the review's pinned keys (:meth:`citation_keys`). An existing file is
        replaced only with ``overwrite=True``.

        >>> import tempfile, pathlib, litreview
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> review = litreview.Review.open(folder / "r.litreview")
        >>> _ = review.add(litreview.SAMPLE_LISTING)
        >>> review.export(None, folder / "all.bib").read_text().count("@misc{")
        36
        """
        papers = self.papers if selection is None else selection  # type: ignore[attr-defined]
        return self.export_with_keys(papers, path, overwrite=overwrite, **options)

    def export_with_keys(
        self, papers: pd.DataFrame, path: str | PathLike[str], *, overwrite: bool = False,
        **options: Any,
    ) -> Path:  # fmt: skip
        """:func:`litreview.export` of ``papers`` with the review's pinned keys (pinned now
        for papers without one) when the format is BibTeX."""
        from litreview.writers import export

        papers, options = self._with_keys(papers, path, options)
        return export(papers, path, overwrite=overwrite, **options)

    def export_text(self, papers: pd.DataFrame, path: str | PathLike[str], **options: Any) -> str:
        """The text :meth:`export_with_keys` would write to ``path`` (nothing is written)."""
        from litreview.writers.formats import format_for

        fmt = format_for(path, options.pop("format", None))
        papers, options = self._with_keys(papers, path, {"format": fmt.name, **options})
        options.pop("format")
        return fmt.write(papers, None, **options)

    def _with_keys(
        self, papers: pd.DataFrame, path: str | PathLike[str], options: dict[str, Any]
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        """``papers`` and the writer's options for a BibTeX file with the pinned keys."""
        from litreview.writers.formats import format_for

        fmt = format_for(path, options.get("format"))
        if fmt.name not in ("bibtex", "biblatex") or not len(papers) or "paper_id" not in papers:
            return papers, options
        # the extraction values as fields (sample_size = {120}); biblatex leaves out the
        # names its data model does not know
        papers = self.with_fields_in_extra(papers)  # type: ignore[attr-defined]
        ids = [str(p) for p in papers["paper_id"]]
        keys, sources = self._pin(ids)
        # the writer reads a citation_key as the source's (its entry written back as it
        # was): only the keys sources gave stay in that column
        own = [keys[i] if i in sources else None for i in ids]
        papers = papers.assign(citation_key=pd.array(own, dtype=STRING))
        return papers, {"key_formula": self.key_formula, **options, "keys": keys}

    # -- undo and redo (Review.undo/redo ask these first) ------------------------------------

    def _key_target(self, verb: str) -> int | None:
        """The key-change step ``undo``/``redo`` would act on now, else None."""
        return self._store.read(lambda c: key_target(c, self.reviewer, verb))  # type: ignore[no-any-return]

    def _step_keys(self, verb: str) -> pd.DataFrame:
        """Undo or redo the key change :meth:`_key_target` names."""
        return step_keys(self._store, self.reviewer, verb)

    # -- helpers ----------------------------------------------------------------------------

    def _ids(self, paper_ids: str | Iterable[str] | None) -> list[str]:
        known = set(
            self._store.read(lambda c: [r[0] for r in c.execute("SELECT paper_id FROM papers")])
        )
        if paper_ids is None:
            return sorted(known)
        ids = list(dict.fromkeys(as_ids(paper_ids)))
        missing = [i for i in ids if i not in known]
        if missing:
            raise self._store.read(lambda c: unknown_ids_error(c, missing))
        return ids

    def _rows(self, ids: list[str]) -> list[dict[str, Any]]:
        frame = paper_frame(self._store)
        frame = frame[frame["paper_id"].isin(ids)]
        return paper_rows(frame, _COLUMNS)

    def _pin(self, ids: list[str]) -> tuple[dict[str, str], set[str]]:
        """Pin the keys of ``ids`` not pinned yet; return every asked key and the ids
        whose key is their source's."""
        state = self._store.read(_pinned_state)
        if all(state[i][1] in (PINNED, PINNED_SOURCE) for i in ids):  # the usual case: no write
            return {i: state[i][0] for i in ids}, {i for i in ids if state[i][1] == PINNED_SOURCE}
        formula = KeyFormula.parse(self.key_formula)
        wanted = [i for i in ids if state[i][1] not in (PINNED, PINNED_SOURCE)]
        rows = {r["paper_id"]: r for r in self._rows(wanted)}
        with self._store.write() as conn:
            state = _pinned_state(conn)  # again: another process may have pinned meanwhile
            todo = [i for i in wanted if state[i][1] not in (PINNED, PINNED_SOURCE)]
            fixed = {pid for pid, (k, r) in state.items() if k and r in (PINNED, PINNED_SOURCE)}
            taken = {state[p][0].casefold() for p in fixed}
            # a source's key is kept (first come by paper_id on a clash), then the formula's
            # avoid every key the review holds, pinned or not
            sourced = sorted(i for i in todo if state[i][0])
            computed = sorted(i for i in todo if not state[i][0])
            reserved = {k.casefold() for p, (k, _) in state.items() if k and p not in fixed}
            changes: list[Change] = []
            for pid in sourced:
                own = state[pid][0]
                usable = safe_key(own) or f"paper{pid[:8]}"  # no space or brace a key cannot have
                key = usable if usable.casefold() not in taken else _unique(formula, usable, taken)
                taken.add(key.casefold())
                changes.append((pid, own, key, PINNED_SOURCE if key == own else PINNED))
            blocked = taken | reserved
            for pid in computed:
                base = formula.base(rows[pid]) or f"paper{pid[:8]}"
                key = _unique(formula, base, blocked)
                blocked.add(key.casefold())
                changes.append((pid, None, key, PINNED))
            _write(conn, self._store, self.reviewer, "pin", changes)
            state = _pinned_state(conn)
        return {i: state[i][0] for i in ids}, {i for i in ids if state[i][1] == PINNED_SOURCE}


def with_key_changes(
    history: pd.DataFrame, store: ReviewStore, paper_id: str | None
) -> pd.DataFrame:
    """``history`` (:meth:`Review.history`'s table) with the keys changed on purpose
    (``rekey``, ``set-key``; not the first pinning) as ``citation_key`` rows, by time."""
    rows = _key_change_rows(store, paper_id, ("rekey", "set-key", "undo", "redo"), "h.field")
    if not rows:
        return history
    keys = pd.DataFrame(
        {
            "paper_id": pd.array([r[0] for r in rows], dtype=STRING),
            "reviewer": pd.array([r[1] for r in rows], dtype=STRING),
            "at": pd.to_datetime([r[2] for r in rows], format="ISO8601").astype(
                history["at"].dtype
            ),
            "field": pd.array([r[3] for r in rows], dtype=STRING),
            "old_value": pd.Series([None if v is None else json.loads(v) for v in
                                    (r[4] for r in rows)], dtype=object),
            "new_value": pd.Series([json.loads(r[5]) for r in rows], dtype=object),
        }
    )  # fmt: skip
    both = pd.concat([history, keys[history.columns]], ignore_index=True)
    return both.sort_values("at", kind="stable", ignore_index=True)


def _pinned_state(conn: Conn) -> dict[str, tuple[str, int]]:
    """paper_id -> (its key or '', the key's rank)."""
    out = {}
    for pid, key, ranks in conn.execute("SELECT paper_id, citation_key, ranks FROM papers"):
        out[pid] = (key or "", decode_ranks(ranks)[_AT])
    return out


def _unique(formula: KeyFormula, base: str, taken: set[str]) -> str:
    """``base``, or with the formula's first postfix no key in ``taken`` has."""
    for suffix in formula.postfix.suffixes():
        if (base + suffix).casefold() not in taken:
            return base + suffix
    raise AssertionError("unreachable")


def _write(
    conn: Conn,
    store: ReviewStore,
    reviewer: str,
    action: str,
    changes: list[Change],
) -> list[tuple[str, str | None, str]]:
    """Set each key with its rank; a changed key is one history row of one step."""
    at = now()
    step: int | None = None
    written = []
    for pid, old, new, rank in changes:
        row = conn.execute("SELECT ranks FROM papers WHERE paper_id = ?", (pid,)).fetchone()
        ranks = decode_ranks(row[0])
        old_rank, ranks[_AT] = ranks[_AT], rank
        conn.execute(
            "UPDATE papers SET citation_key = ?, ranks = ? WHERE paper_id = ?",
            (new, encode_ranks(ranks), pid),
        )
        if (old or None) == new:
            continue
        if step is None:
            step = conn.execute(
                "INSERT INTO steps(reviewer, at, action, target) VALUES (?, ?, ?, NULL)",
                (reviewer, at, action),
            ).lastrowid
        conn.execute(
            "INSERT INTO history(step_id, paper_id, reviewer, at, field, old_value, new_value, "
            "old_meta, new_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (step, pid, reviewer, at, FIELD, None if old is None else json.dumps(old),
             json.dumps(new), json.dumps({"rank": old_rank}), json.dumps({"rank": rank})),
        )  # fmt: skip
        written.append((pid, old or None, new))
    if changes:
        store.bump(conn, PAPERS_COUNTER)
    return written


def _key_change_rows(
    store: ReviewStore, paper_id: str | None, actions: tuple[str, ...], fourth: str
) -> list[tuple[Any, ...]]:
    """The history rows of key changes made by steps of ``actions`` (of one paper, or
    all), oldest first: ``paper_id, reviewer, at, <fourth>, old_value, new_value``."""
    listed = ", ".join(f"'{action}'" for action in actions)
    sql = (
        f"SELECT h.paper_id, h.reviewer, h.at, {fourth}, h.old_value, h.new_value "
        f"FROM history h JOIN steps s USING (step_id) WHERE h.field = ? AND s.action IN ({listed})"
    )
    args: tuple[str, ...] = (FIELD,)
    if paper_id is not None:
        sql, args = sql + " AND h.paper_id = ?", (*args, paper_id)
    return store.read(lambda c: c.execute(sql + " ORDER BY h.history_id", args).fetchall())  # type: ignore[no-any-return]
