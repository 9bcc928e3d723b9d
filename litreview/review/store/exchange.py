"""Annotations as CSV or JSONL files, to diff in git and merge a colleague's work.

Export writes every reviewer's non-empty annotations sorted by paper and
reviewer, atomically (a unique temporary file, fsync, rename); in CSV a cell that
a spreadsheet would run as a formula gets a leading quote, removed again on
import. Import fills empty fields, unions tags, and *reports* (does not overwrite)
fields where the file and the review disagree, unless asked to.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from litreview._files import write_atomic
from litreview.errors import ListingError, Problem
from litreview.review.edits import (
    BLANK,
    FIELD_PREFIX,
    Annotation,
    Edit,
    apply_edit,
    check_decision,
    check_rating,
    check_tags,
    check_text,
    differences,
)
from litreview.review.fields import FieldDef, check_values
from litreview.review.store.annotations import (
    FIELDS,
    SHOWN_FIELDS,
    Change,
    apply,
    changes,
    current,
    missing_papers,
    stored,
)
from litreview.review.store.base import TIME_FORMAT, ReviewStore, now
from litreview.review.store.field_defs import load_definitions
from litreview.writers._spreadsheet import neutralize_cell, restore_cell

#: The columns of an annotations CSV; then one ``field:<name>`` column per extraction
#: field (a JSONL row has them as one ``fields`` object).
EXCHANGE_COLUMNS = ("paper_id", "title", "reviewer", *(f for f in FIELDS if f != "fields"))
OnConflict = Literal["keep", "replace"]


@dataclass
class ImportReport:
    """What :meth:`Review.import_annotations` did.

    ``conflicts`` has one row per field where the file and the review disagreed
    (columns ``paper_id, reviewer, field, local, incoming, resolution``).
    """

    path: str
    applied: int = 0
    unchanged: int = 0
    unknown_ids: list[str] = field(default_factory=list)
    #: Reviewer -> decisions applied (the file's decision filled an empty one or, with
    #: ``on_conflict="replace"``, replaced another).
    decisions: dict[str, int] = field(default_factory=dict)
    conflicts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["paper_id", "reviewer", "field", "local", "incoming", "resolution"]
        )
    )

    def __str__(self) -> str:
        text = (
            f"{self.path}: {self.applied} field(s) applied, {self.unchanged} unchanged, "
            f"{len(self.conflicts)} conflict(s)"
        )
        if len(self.conflicts):
            kept = (self.conflicts["resolution"] == "kept local").sum()
            text += f" ({kept} kept the review's value; see .conflicts)"
        if self.unknown_ids:
            text += f", {len(self.unknown_ids)} row(s) for papers not in this review (not imported)"
        return text


@dataclass(frozen=True)
class FileRow:
    """One validated row of an annotations file: whose annotation, and what the file
    says of it (None, or no tags: it says nothing). ``row["note"]`` reads a field too.
    """

    paper_id: str
    reviewer: str
    decision: str | None
    reason: str | None
    tags: tuple[str, ...]
    note: str | None
    rating: int | None
    decided_by: str | None
    decided_at: str | None
    fields: tuple[tuple[str, Any], ...] = ()

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    @property
    def key(self) -> tuple[str, str]:
        return (self.paper_id, self.reviewer)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".jsonl"):
        return suffix[1:]
    raise ValueError(f"{path}: expected a .csv or .jsonl file for annotations, got {suffix!r}")


def export_annotations(store: ReviewStore, rows: list[tuple[Any, ...]], path: Path) -> int:
    """Write annotation rows (paper_id, reviewer, *FIELDS) that hold anything; return the count."""
    kind = _kind(path)
    titles = dict(store.read(lambda c: c.execute("SELECT paper_id, title FROM papers").fetchall()))
    records = []
    named = [FIELD_PREFIX + d.name for d in load_definitions(store)]
    for pid, reviewer, *values in sorted(rows, key=lambda r: (r[0], r[1])):
        annotation = stored(values)
        if annotation.is_blank():
            continue
        record = {"paper_id": pid, "title": titles.get(pid), "reviewer": reviewer}
        record |= annotation._asdict() | {"tags": list(annotation.tags)}
        record["fields"] = dict(annotation.fields)
        named += [FIELD_PREFIX + n for n, _ in annotation.fields if FIELD_PREFIX + n not in named]
        records.append(record)
    out = io.StringIO()
    if kind == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(out, [*EXCHANGE_COLUMNS, *named], lineterminator="\n")
        writer.writeheader()
        for record in records:
            extracted = record.pop("fields")
            cells = {k: "" if v is None else v for k, v in record.items()}
            cells["tags"] = json.dumps(record["tags"], ensure_ascii=False)
            cells |= {FIELD_PREFIX + k: _field_cell(v) for k, v in extracted.items()}
            writer.writerow(
                {k: neutralize_cell(v) if isinstance(v, str) else v for k, v in cells.items()}
            )
    # a unique temporary file, fsync, rename: concurrent exports never collide, a
    # failure (full disk) leaves the previous file and no temporary one
    write_atomic(path, out.getvalue())
    return len(records)


def _field_cell(value: Any) -> Any:
    """An extraction value in a CSV cell (yes/no as ``yes``/``no``)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def read_annotations(
    path: Path, default_reviewer: str, definitions: list[FieldDef] | None = None
) -> list[tuple[int, FileRow]]:
    """``(line, record)`` pairs, validated (extraction values against ``definitions``);
    raise ListingError naming every bad line."""
    kind = _kind(path)
    raw: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if kind == "csv":
            reader = csv.DictReader(handle)
            for record in reader:
                cells = {
                    k: restore_cell(v) if isinstance(v, str) else v for k, v in record.items() if k
                }
                raw.append((reader.line_num, cells))
        else:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(Problem(path.name, number, line, f"a JSON object ({exc.msg})"))
                    continue
                if not isinstance(record, dict):
                    problems.append(Problem(path.name, number, line, "a JSON object"))
                    continue
                raw.append((number, record))
    out = []
    first_line: dict[tuple[str, str], tuple[int, FileRow]] = {}
    for number, record in raw:
        snippet = json.dumps(record, ensure_ascii=False)[:80]
        try:
            clean = _clean(record, default_reviewer, definitions or [])
        except ValueError as exc:
            problems.append(Problem(path.name, number, snippet, f"a valid row ({exc})"))
            continue
        key = clean.key
        if key not in first_line:
            first_line[key] = (number, clean)
            out.append((number, clean))
        elif first_line[key][1] != clean:  # a repeated identical row is harmless: skipped
            other = first_line[key][0]
            expected = f"one row per paper and reviewer (line {other} has this one, differently)"
            problems.append(Problem(path.name, number, snippet, expected))
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        raise ListingError(
            f"{path}: {len(problems)} annotation row(s) cannot be read; nothing was imported:\n"
            f"{shown}",
            problems,
        )
    return out


def _clean(record: dict[str, Any], default_reviewer: str, definitions: list[FieldDef]) -> FileRow:
    def get(name: str) -> Any:
        value = record.get(name)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    pid = get("paper_id")
    if not isinstance(pid, str):
        raise ValueError("a paper_id")
    tags = get("tags")
    if isinstance(tags, str):
        tags = json.loads(tags) if tags.strip().startswith("[") else tags.split(";")
    rating = get("rating")
    if isinstance(rating, str):
        rating = int(rating) if rating.strip().isdigit() else rating
    decision = get("decision")
    extracted = record.get("fields") or {}
    if not isinstance(extracted, dict):
        raise ValueError(f"fields must be an object of field name -> value; got {extracted!r}")
    extracted = dict(extracted)
    for name, value in record.items():
        if isinstance(name, str) and name.startswith(FIELD_PREFIX):
            extracted[name.removeprefix(FIELD_PREFIX)] = value
    extracted = {k: v for k, v in extracted.items() if v is not None and str(v).strip() != ""}
    checked = tuple(
        (n, v) for n, v in check_values(definitions, extracted) if v is not None
    )  # an empty cell says nothing
    return FileRow(
        paper_id=pid.strip(),
        reviewer=str(get("reviewer") or default_reviewer).strip(),
        decision=check_decision(decision) if decision is not None else None,
        reason=check_text("reason", get("reason")) if get("reason") else None,
        tags=check_tags("tags", tags) if tags is not None else (),
        note=check_text("note", get("note")) if get("note") else None,
        rating=check_rating(rating) if rating is not None else None,
        decided_by=check_text("decided_by", get("decided_by")) if get("decided_by") else None,
        decided_at=_timestamp(get("decided_at")),
        fields=checked,
    )


def _timestamp(value: Any) -> str | None:
    """An ISO 8601 time as stored (UTC, microseconds); ValueError for anything else."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"decided_at must be an ISO 8601 time; got {value!r}") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.strftime(TIME_FORMAT)


def import_annotations(
    store: ReviewStore, performer: str, path: Path, on_conflict: OnConflict = "keep"
) -> ImportReport:
    """Merge the annotations in ``path`` into the review as one undoable step."""
    if on_conflict not in ("keep", "replace"):
        raise ValueError(f"on_conflict must be 'keep' or 'replace', got {on_conflict!r}")
    records = [row for _, row in read_annotations(path, performer, load_definitions(store))]
    return merge_rows(store, performer, records, str(path), on_conflict)


def merge_rows(
    store: ReviewStore,
    performer: str,
    records: list[FileRow],
    label: str,
    on_conflict: OnConflict = "keep",
) -> ImportReport:
    """Merge validated annotation rows into the review as one undoable step (no step
    when nothing changes): what :func:`import_annotations` does with a file's rows, and
    what ``Review.add`` does with the decisions another tool exported (``label`` names
    where they came from in the report)."""
    report = ImportReport(label)
    conflicts: list[tuple[Any, ...]] = []
    with store.write() as conn:
        unknown = set(missing_papers(conn, list(dict.fromkeys(r.paper_id for r in records))))
        report.unknown_ids = sorted(unknown)
        known = [r for r in records if r.paper_id not in unknown]
        rows = current(conn, list(dict.fromkeys(r.key for r in known)))
        at = now()
        found: list[Change] = []
        for row in known:
            local = rows[row.key]
            edit = _merge(local, row, on_conflict, report, conflicts)
            reviewer, when = row.decided_by or row.reviewer, row.decided_at or at
            after = apply_edit(local, edit, reviewer=reviewer, at=when)
            found += changes(row.key, differences(local, after, (*SHOWN_FIELDS, "fields")))
        apply(store, conn, performer, "import_annotations", found, rows=rows, at=at)
    if conflicts:
        report.conflicts = pd.DataFrame(conflicts, columns=report.conflicts.columns)
    return report


def _merge(
    local: Annotation,
    row: FileRow,
    on_conflict: OnConflict,
    report: ImportReport,
    conflicts: list[tuple[Any, ...]],
) -> Edit:
    """The edit a file row makes: it fills empty fields and adds its tags; a field where
    the file and the review disagree is a conflict, kept or replaced by ``on_conflict``
    (a kept decision keeps its reason too). Counts go to ``report``."""
    given: dict[str, Any] = {}
    kept_decision = False  # the file's reason belongs to the file's decision
    for name in SHOWN_FIELDS:
        incoming, mine = getattr(row, name), getattr(local, name)
        if name == "tags":  # a union, never a conflict
            new = Edit(add_tags=incoming)
            unchanged = new.new_tags(mine) == mine
            if not unchanged:
                given["add_tags"] = new.add_tags
            report.unchanged += unchanged
            report.applied += not unchanged
            continue
        if incoming is None or incoming == getattr(BLANK, name) or incoming == mine:
            report.unchanged += 1
            continue
        if mine != getattr(BLANK, name) or (name == "reason" and kept_decision):
            resolution = "replaced" if on_conflict == "replace" else "kept local"
            conflicts.append((*row.key, name, mine, incoming, resolution))
            if on_conflict == "keep":
                kept_decision = kept_decision or name == "decision"
                continue
        given[name] = incoming
        report.applied += 1
        if name == "decision":
            report.decisions[row.reviewer] = report.decisions.get(row.reviewer, 0) + 1
    given["fields"] = _merge_fields(local, row, on_conflict, report, conflicts)
    return Edit(**given)


def _merge_fields(
    local: Annotation,
    row: FileRow,
    on_conflict: OnConflict,
    report: ImportReport,
    conflicts: list[tuple[Any, ...]],
) -> tuple[tuple[str, Any], ...]:
    """The extraction values a file row sets: empty ones filled; a different value is a
    conflict (``field:<name>``), kept or replaced by ``on_conflict``."""
    mine = dict(local.fields)
    taken = []
    for name, incoming in row.fields:
        if name in mine and mine[name] == incoming and type(mine[name]) is type(incoming):
            report.unchanged += 1
            continue
        if name in mine:
            resolution = "replaced" if on_conflict == "replace" else "kept local"
            conflicts.append((*row.key, FIELD_PREFIX + name, mine[name], incoming, resolution))
            if on_conflict == "keep":
                continue
        taken.append((name, incoming))
        report.applied += 1
    return tuple(taken)
