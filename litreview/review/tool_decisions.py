"""Decisions another screening tool exported with its records, as annotations.

A review often comes from another tool: ASReview writes its labels in a column
(``asreview_label``, ``included``, ``label_included`` …: 1/0, empty when unseen) or,
in RIS, as ``ASReview_relevant`` / ``ASReview_irrelevant`` notes; Rayyan writes each
reviewer's decision into the record's notes (``RAYYAN-INCLUSION: {"Ana"=>"Included",
"Bo"=>"Excluded"}``, with ``RAYYAN-EXCLUSION-REASONS:``, ``RAYYAN-LABELS:`` and
``USER-NOTES:``); Covidence and spreadsheets carry ``Decision``/``Status`` and
``Exclusion reason`` columns and ``Tags``. :func:`tool_decisions` finds them in a
papers table (its own columns and every ``extra`` value, whatever field name a reader
kept them under) and :func:`import_tool_decisions` merges them into a review under
the tool's reviewer names, as one undoable step that never overwrites a decision
already in the review (a disagreement is reported instead)::

    >>> import pandas as pd
    >>> df = pd.DataFrame({"paper_id": ["a", "b"], "extra": [
    ...     {"notes": 'RAYYAN-INCLUSION: {"Ana"=>"Included", "Bo"=>"Maybe"}'},
    ...     {"asreview_label": "0"}]})
    >>> tool_decisions(df)[["row", "reviewer", "decision"]].values.tolist()
    [[0, 'Ana', 'include'], [0, 'Bo', 'maybe'], [1, 'asreview', 'exclude']]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.edits import check_tags, check_text
from litreview.review.store.base import TIME_FORMAT, ReviewStore
from litreview.review.store.exchange import FileRow, ImportReport, merge_rows
from litreview.review.store.papers import AddSummary
from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS

COLUMNS = ("row", "tool", "reviewer", "decision", "reason", "tags", "note", "decided_at")
#: ASReview's label columns (its own list of names for ``included``).
ASREVIEW_LABELS = frozenset(
    [
        "asreview label",
        "included",
        "label included",
        "final included",
        "included label",
        "included final",
        "included flag",
        "include",
        "label",
    ]
)
#: Other tools' decision, reason, reviewer and tag columns.
DECISION_FIELDS = frozenset(
    [
        "decision",
        "screening decision",
        "final decision",
        "status",
        "screening status",
        "inclusion",
        "vote",
    ]
)
REASON_FIELDS = frozenset(
    ["exclusion reason", "exclusion reasons", "reason", "reason for exclusion", "reasons"]
)
REVIEWER_FIELDS = frozenset(
    ["asreview user name", "asreview user", "reviewer", "reviewer name", "screened by", "voter"]
)
TAG_FIELDS = frozenset({"tags", "labels"})
_WORDS = {
    "include": "1, 1.0, true, yes, y, include, included, relevant, asreview_relevant",
    "exclude": "0, 0.0, false, no, n, exclude, excluded, irrelevant, asreview_irrelevant",
    "maybe": "maybe, unsure, uncertain",
}
DECISION_WORDS = {w: d for d, words in _WORDS.items() for w in words.split(", ")}
#: Words that say "no decision yet" (nothing is imported for them).
UNDECIDED = frozenset({"", "-1", "-1.0", "nan", "undecided", "not seen", "asreview_not_seen"})
_ASREVIEW_NOTE = re.compile(r"\bASReview_(relevant|irrelevant)\b")
_RAYYAN = re.compile(r"\b(RAYYAN-INCLUSION|RAYYAN-EXCLUSION-REASONS|RAYYAN-LABELS|USER-NOTES):")
_SECTION_END = r"(?=\s*\|\s*[A-Z][A-Z-]+:|\s*$)"
_SECTIONS = {
    key: re.compile(rf"{key}:\s*(.*?){_SECTION_END}", re.DOTALL)
    for key in ("RAYYAN-INCLUSION", "RAYYAN-EXCLUSION-REASONS", "RAYYAN-LABELS", "USER-NOTES")
}
_QUOTED = r'"((?:[^"\\]|\\.)*)"'
_PAIR = re.compile(rf"{_QUOTED}\s*=>\s*{_QUOTED}")
_NOTES = re.compile(rf"{_QUOTED}\s*=>\s*\[(.*?)\]", re.DOTALL)
_STRING = re.compile(_QUOTED)
_NORM = re.compile(r"[\s_\-]+")
_OURS = frozenset(PAPER_COLUMNS) | frozenset(ANNOTATION_COLUMNS)
_KNOWN = ASREVIEW_LABELS | DECISION_FIELDS | TAG_FIELDS | {"asreview note", "asreview time"}
_PREFIXES = ("rayyan", "user notes", "asreview")
_MARKERS = r"RAYYAN-|USER-NOTES:|ASReview_"


@dataclass
class _Found:
    """One reviewer's annotation of one row, as a tool exported it."""

    tool: str
    decision: str | None = None
    reason: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    decided_at: str | None = None


def tool_decisions(df: pd.DataFrame) -> pd.DataFrame:
    """Every tool decision, reason, tag and note in ``df`` (a papers table): one row per
    paper row (``row``, its position) and reviewer, columns :data:`COLUMNS`."""
    out: list[tuple[Any, ...]] = []
    for k, fields in _fields(df, _candidates(df)):
        found: dict[str, _Found] = {}
        _asreview(fields, found)
        _rayyan(fields, found)
        _columns(fields, found)
        for reviewer, f in found.items():
            if f.decision or f.reason or f.tags or f.note:
                out.append(
                    (k, f.tool, reviewer, f.decision, f.reason, tuple(f.tags), f.note, f.decided_at)
                )
    return pd.DataFrame(out, columns=list(COLUMNS), dtype=object)  # None stays None


def _candidates(df: pd.DataFrame) -> list[int]:
    """The rows that may hold a tool's decision: every row when a column has a known
    name, else the rows with a known ``extra`` field or a tool's marker in a value (a
    quick look: most listings have none, and add() should not pay for them)."""
    names = [c for c in df.columns if isinstance(c, str) and c not in _OURS]
    if any(_norm(c) in _KNOWN or _norm(c).startswith(_PREFIXES) for c in names):
        return list(range(len(df)))
    hits = np.zeros(len(df), dtype=bool)
    extras = df["extra"].to_numpy(dtype=object) if "extra" in df else np.array([])
    in_extra = set().union(*(e for e in extras if isinstance(e, Mapping)))
    for name in (n for n in names if n not in in_extra):  # a table reader's: seen in extra
        column = df[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            text = column.astype("string")
            hits |= text.str.contains(_MARKERS, regex=True, na=False).to_numpy(dtype=bool)
    for k, fields in enumerate(extras):
        if fields and isinstance(fields, Mapping) and _marked(fields):
            hits[k] = True
    return np.flatnonzero(hits).tolist()


def _marked(fields: Mapping[str, Any]) -> bool:
    for name, value in fields.items():
        key = _norm(str(name))
        if key in _KNOWN or key.startswith(_PREFIXES):
            return True
        if isinstance(value, str) and ("RAYYAN-" in value or "ASReview_" in value):
            return True
    return False


def _fields(df: pd.DataFrame, rows: list[int]) -> Iterator[tuple[int, dict[str, str]]]:
    """Per row of ``rows``, its fields as ``normalized name -> text``: the ``extra`` values
    and the columns that are neither the paper table's nor annotations."""
    names = [c for c in df.columns if isinstance(c, str) and c not in _OURS]
    columns = [df[c].to_numpy(dtype=object) for c in names]
    keys = [_norm(c) for c in names]
    extras = df["extra"].to_numpy(dtype=object) if "extra" in df else None
    for k in rows:
        fields: dict[str, str] = {}
        if extras is not None and isinstance(extras[k], Mapping):
            for name, value in extras[k].items():
                if isinstance(value, str) and value.strip():
                    fields.setdefault(_norm(str(name)), value)
        for key, values in zip(keys, columns, strict=True):
            value = values[k]
            if key not in fields and _present(value):
                fields[key] = str(value)
        yield k, fields


def _present(value: Any) -> bool:
    if isinstance(value, list | tuple | dict):
        return False
    try:
        return not pd.isna(value) and str(value).strip() != ""
    except (TypeError, ValueError):
        return False


def _norm(name: str) -> str:
    return _NORM.sub(" ", name.strip().lower()).strip()


def _asreview(fields: dict[str, str], found: dict[str, _Found]) -> None:
    """ASReview's label column (and its reviewer, time and note), or its RIS notes."""
    decision = None
    for key in ("asreview label", *sorted(ASREVIEW_LABELS - {"asreview label"})):
        if key in fields:
            decision = DECISION_WORDS.get(fields[key].strip().lower())
            if decision is not None or fields[key].strip().lower() in UNDECIDED:
                break
    if decision is None:
        for value in fields.values():
            if "ASReview_" in value and (match := _ASREVIEW_NOTE.search(value)):
                decision = "include" if match.group(1) == "relevant" else "exclude"
                break
    if decision is None:
        return
    reviewer = fields.get("asreview user name") or fields.get("asreview user") or "asreview"
    entry = found.setdefault(reviewer.strip(), _Found("asreview"))
    entry.decision = entry.decision or decision
    entry.note = entry.note or fields.get("asreview note")
    entry.decided_at = entry.decided_at or _time(fields.get("asreview time"))


def _rayyan(fields: dict[str, str], found: dict[str, _Found]) -> None:
    """Rayyan's sections, in any field (a CSV ``notes`` cell, RIS ``N1``, BibTeX ``note``)
    or as columns of their own."""
    text = " | ".join(
        value if _RAYYAN.search(value) else f"{key.upper().replace(' ', '-')}: {value}"
        for key, value in fields.items()
        if "RAYYAN-" in value or "USER-NOTES" in value or key.startswith(("rayyan ", "user notes"))
    )
    if not text:
        return
    sections = {key: m.group(1) for key, rx in _SECTIONS.items() if (m := rx.search(text))}
    decisions = {
        name: DECISION_WORDS.get(word.strip().lower())
        for name, word in _PAIR.findall(sections.get("RAYYAN-INCLUSION", ""))
    }
    reasons = _terms(sections.get("RAYYAN-EXCLUSION-REASONS", ""))
    labels = _terms(sections.get("RAYYAN-LABELS", ""))
    notes = {
        name: "\n".join(_STRING.findall(body))
        for name, body in _NOTES.findall(sections.get("USER-NOTES", ""))
    }
    reviewers = list(dict.fromkeys([*decisions, *notes])) or (["rayyan"] if labels else [])
    for name in reviewers:
        entry = found.setdefault(name.strip(), _Found("rayyan"))
        entry.decision = entry.decision or decisions.get(name)
        if entry.decision == "exclude" and reasons:
            entry.reason = entry.reason or "; ".join(reasons)
        entry.tags += [t for t in labels if t not in entry.tags]
        entry.note = entry.note or notes.get(name) or None


def _columns(fields: dict[str, str], found: dict[str, _Found]) -> None:
    """A ``Decision``/``Status`` column, its reason and reviewer, and ``Tags`` (Covidence,
    spreadsheets); the tool is Covidence when a ``Covidence #`` column says so."""
    decision = next(
        (DECISION_WORDS.get(fields[k].strip().lower()) for k in DECISION_FIELDS if k in fields),
        None,
    )
    reason = next((fields[k].strip() for k in sorted(REASON_FIELDS) if k in fields), None)
    tags = next((_terms(fields[k]) for k in sorted(TAG_FIELDS) if k in fields), [])
    if decision is None and not tags:
        return
    tool = "covidence" if "covidence #" in fields else "imported"
    reviewer = next((fields[k].strip() for k in sorted(REVIEWER_FIELDS) if k in fields), tool)
    entry = found.setdefault(reviewer, _Found(tool))
    entry.decision = entry.decision or decision
    if entry.decision == "exclude":
        entry.reason = entry.reason or reason
    entry.tags += [t for t in tags if t not in entry.tags]


def _terms(text: str) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in re.split(r"[;,]", text) if t.strip()))


def _time(value: str | None) -> str | None:
    """An exported decision time as the review stores it (UTC), or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.strftime(TIME_FORMAT)


@dataclass(frozen=True)
class AddReport(AddSummary):
    """What :meth:`Review.add` did: the papers' counts and the decisions other tools
    exported that it imported, per reviewer (``conflicts``: where the review already
    had another decision, kept)."""

    decisions: dict[str, int] = field(default_factory=dict)
    tool_import: ImportReport | None = field(default=None, repr=False)  # a notebook shows repr

    @property
    def conflicts(self) -> pd.DataFrame | None:
        return None if self.tool_import is None else self.tool_import.conflicts

    def __str__(self) -> str:
        text = super().__str__()
        if self.decisions:
            each = ", ".join(f"{name} {n:,}" for name, n in self.decisions.items())
            text += f"; {sum(self.decisions.values()):,} decision(s) imported ({each})"
        if self.tool_import is not None and len(self.tool_import.conflicts):
            text += (
                f"; {len(self.tool_import.conflicts)} field(s) differ from the review's "
                "(kept; see .conflicts)"
            )
        return text


def import_tool_decisions(
    store: ReviewStore, performer: str, df: pd.DataFrame, summary: AddSummary
) -> AddReport:
    """Merge the tool decisions of ``df`` (just added to the review) as one undoable
    step under the tools' reviewer names; the review's own values win."""
    found = tool_decisions(df)
    if found.empty:
        return AddReport(*_counts(summary), paper_ids=summary.paper_ids)
    ids = summary.paper_ids  # the paper each row is (the "same paper" rule, applied by add)
    rows = []
    items: list[tuple[Any, ...]] = list(found.itertuples(index=False, name=None))
    for k, _tool, reviewer, *fields in items:
        decision, reason, tags, note, decided_at = (None if _blank(v) else v for v in fields)
        rows.append(
            FileRow(
                paper_id=ids[k],
                reviewer=str(reviewer),
                decision=decision,
                reason=check_text("reason", reason) if reason else None,
                tags=check_tags("tags", list(tags or ())),
                note=check_text("note", note) if note else None,
                rating=None,
                decided_by=None,
                decided_at=decided_at,
            )
        )
    rows = list({row.key: row for row in reversed(rows)}.values())[::-1]  # first wins
    report = merge_rows(store, performer, rows, f"decisions in {summary.source}")
    return AddReport(
        *_counts(summary),
        paper_ids=summary.paper_ids,
        decisions=dict(report.decisions),
        tool_import=report,
    )


def _counts(summary: AddSummary) -> tuple[str, int, int, int]:
    return summary.source, summary.new, summary.updated, summary.unchanged


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # None or NaN
