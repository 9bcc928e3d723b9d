"""Which found value goes into a paper: only where it has none, or a poorer one, never
into a field you edited (``locked``).

A poorer value is one a better source improves without doubt: a date known to the
year or month only (same year), an abstract cut short (``…``), fewer authors than
the paper has, an arXiv DOI where the published version has its own, or ``preprint``
as the entry type of a paper since published.

>>> better("published", "2024-01-01", "2024-03-05", precision="year")
True
>>> better("authors", ["A. B."], ["A. B.", "C. D."]), better("url", "x", "y")
(True, False)
"""

from __future__ import annotations

from typing import Any

from litreview.web import openalex
from litreview.web.enrich import ARXIV_ABS, FIELDS, Update, _day, missing


def better(field: str, old: Any, new: Any, *, precision: Any = None) -> bool:
    """True when ``new`` should replace ``old`` in ``field`` (see the module doc)."""
    if missing(new) or old == new:
        return False
    if missing(old):
        return True
    if field == "published":
        coarse = str(precision) in ("year", "month")
        same = str(old)[:4] == str(new)[:4] and (str(precision) == "year" or old[:7] == new[:7])
        return coarse and same
    if field == "abstract":
        cut = str(old).rstrip().endswith(("…", "...")) and len(str(new)) > len(str(old))
        return cut
    if field == "authors":
        return len(new) > len(old)
    if field == "n_authors":
        return int(new) > int(old)
    if field == "doi":
        return openalex.is_arxiv_doi(old) and not openalex.is_arxiv_doi(new)
    if field == "entry_type":
        return str(old) in ("preprint", "misc", "unpublished") and new != "preprint"
    if field == "venue":
        return str(old).strip().lower() in ("arxiv", "arxiv preprint", "corr")
    return False


def proposals(
    row: dict[str, Any],
    entry: dict[str, Any] | None,
    hf_candidate: dict[str, Any] | None,
    published: dict[str, str] | None,
    *,
    arxiv_id: str,
    how: str,
    locked: set[str],
) -> list[Update]:
    """The updates one paper gets from what was found about it."""
    pid = str(row["paper_id"])
    found: list[tuple[str, Any, str]] = []  # (field, value, source)
    if how:
        found.append(("arxiv_id", arxiv_id, how))
    base = entry or hf_candidate or {}
    label = f"arXiv {arxiv_id}" if entry else f"Hugging Face {arxiv_id}"
    for name in ("authors", "abstract", "published"):
        if not missing(base.get(name)):
            found.append((name, base[name], label))
    found.append(("url", ARXIV_ABS + arxiv_id, label))
    if entry:
        for name in ("doi", "venue"):
            if not missing(entry.get(name)):
                found.append((name, entry[name], label))
    for name, text in (published or {}).items():
        found.append((name, text, f"OpenAlex (published version of arXiv {arxiv_id})"))
    out: list[Update] = []
    seen: set[str] = set()
    for name, value, source in found:
        if name not in FIELDS or name in locked or name in seen:
            continue
        old = _current(row, name)
        if name == "published":
            value = _day(value)  # type: ignore[assignment]
        if better(name, old, value, precision=row.get("date_precision")):
            seen.add(name)
            out.append(Update(pid, name, None if missing(old) else old, value, source))
            out += _follow_ups(row, name, value, source, locked)
    return out


def _current(row: dict[str, Any], name: str) -> Any:
    value = row.get(name)
    if name == "published":
        return _day(value)
    if name == "authors":
        return list(value) if isinstance(value, list | tuple) else []
    if name == "n_authors" and value is not None and not missing(value):
        return int(value)
    return value


def _follow_ups(
    row: dict[str, Any], name: str, value: Any, source: str, locked: set[str]
) -> list[Update]:
    """What goes with a new value: the author count, the date's precision, the entry type."""
    pid = str(row["paper_id"])
    out = []
    if name == "authors" and "n_authors" in FIELDS and "n_authors" not in locked:
        old = _current(row, "n_authors")
        if missing(old) or int(old) < len(value):
            out.append(Update(pid, "n_authors", None if missing(old) else old, len(value), source))
    if name == "published" and "date_precision" in FIELDS and "date_precision" not in locked:
        old = row.get("date_precision")
        if old != "day":
            out.append(Update(pid, "date_precision", None if missing(old) else old, "day", source))
    return out
