"""The biblatex dialect of the BibTeX writer: biblatex's entry types, field names and
dates, as biber's data model validates them (``biber --validate-datamodel``).

:func:`biblatex_entry` takes the fields :func:`~litreview.writers.bibtex.bibtex_entry`
built for BibTeX and gives them biblatex's shape: ``@online`` for an arXiv preprint
(``eprinttype = {arxiv}``, ``eprintclass``), ``@thesis``/``@report`` with their
``type``, ``journaltitle``, ``location``, ``institution`` and one ``date`` at the
precision the paper's date has (``2021``, ``2021-06``, ``2021-06-14``)::

    >>> import litreview
    >>> df = litreview.schema.papers_from_columns({"paper_id": ["a"], "title": ["ViT"],
    ...     "arxiv_id": ["2010.11929"], "published": ["2020-10-22"], "date_precision": ["day"]})
    >>> lines = [line.strip() for line in litreview.to_bibtex(df, dialect="biblatex").splitlines()]
    >>> lines[:3], lines[4]
    (['@online{ViT2020,', 'title = {{ViT}},', 'date = {2020-10-22},'], 'eprinttype = {arxiv},')
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser.model import Entry, Field

from litreview.writers._biblatex_model import TYPES as BIBLATEX_TYPES
from litreview.writers._biblatex_model import allowed
from litreview.writers._key_parts import MONTHS

#: BibTeX entry types and the biblatex type (and ``type`` field) they become.
TYPES: dict[str, tuple[str, str | None]] = {
    "phdthesis": ("thesis", "phdthesis"),
    "mastersthesis": ("thesis", "mathesis"),
    "techreport": ("report", "techreport"),
    "conference": ("inproceedings", None),
    "preprint": ("online", None),
    "electronic": ("online", None),
    "www": ("online", None),
}
#: BibTeX field names and their biblatex names.
RENAMED = {
    "journal": "journaltitle",
    "address": "location",
    "school": "institution",
    "archiveprefix": "eprinttype",
    "primaryclass": "eprintclass",
    "annote": "annotation",
}
#: Where a field biblatex's model does not allow for a type goes instead (the first the
#: type allows and the entry does not have yet); a field with none of them is left out.
INSTEAD = {
    "publisher": ("institution", "organization"),
    "organization": ("institution", "publisher"),
    "school": ("institution",),
    "journaltitle": ("howpublished", "note"),
    "booktitle": ("howpublished", "note"),
    "howpublished": ("note", "addendum"),
    "location": ("note",),
}
_ARXIV_NOTE = "arXiv preprint arXiv:"
_DATEPART = re.compile(r"-?\d{1,4}")


def biblatex_entry(
    row: dict[str, Any],
    key: str,
    entry_type: str,
    values: list[tuple[str, str]],
    *,
    enclosed: bool,
) -> Entry:
    """The biblatex entry of a paper from its BibTeX ``values`` (escaped, unbraced)."""
    kind, subtype = TYPES.get(entry_type, (entry_type, None))
    if kind not in BIBLATEX_TYPES:
        kind = "misc"
    arxiv = bool(row.get("arxiv_id")) or any(
        n.lower() == "archiveprefix" and v.lower() == "arxiv" for n, v in values
    )
    if kind == "misc" and arxiv:
        kind = "online"  # biblatex's type for an arXiv preprint
    if kind == "inbook" and not any(n.lower() == "booktitle" for n, _ in values):
        kind = "book"  # BibTeX's @inbook is a chapter of the book its title names
    dated = _has_date(row)
    out: dict[str, str] = {}
    for name, value in values:
        lower = name.lower()
        if lower == "howpublished" and value.startswith(_ARXIV_NOTE):
            continue  # the eprint fields say it, and biblatex prints them
        if lower in ("year", "month") and (dated or not _DATEPART.fullmatch(value.strip())):
            if lower == "month" and not dated and _month(value):
                out["month"] = _month(value)
            elif dated and "date" not in out and "date" not in {n.lower() for n, _ in values}:
                out["date"] = _date(row)  # one date at its precision, for a year biber reads
            continue
        if lower == "archiveprefix":
            value = value.lower()
        name = RENAMED.get(lower, lower)
        if not allowed(kind, name):
            name = next((n for n in INSTEAD.get(name, ()) if allowed(kind, n) and n not in out), "")
        if name and name not in out:
            out[name] = value
    if subtype and "type" not in out:
        out["type"] = subtype
    if enclosed:
        fields = [Field(n, "{" + v + "}") for n, v in out.items()]
    else:
        fields = [Field(n, v) for n, v in out.items()]
    return Entry(kind, key, fields)


def _has_date(row: dict[str, Any]) -> bool:
    return row.get("published") is not None


def _month(value: str) -> str:
    """A month as biblatex's integer (``jun``/``June``/``6`` -> ``6``), else ''."""
    text = value.strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return str(int(text))
    return str(MONTHS.index(text[:3]) + 1) if text[:3] in MONTHS and text.isalpha() else ""


def _date(row: dict[str, Any]) -> str:
    """The paper's date at its precision (ISO 8601, as biblatex's ``date``)."""
    published = row["published"]
    precision = row.get("date_precision") or "day"
    text = f"{published.year:04d}"
    if precision in ("month", "day"):
        text += f"-{published.month:02d}"
    if precision == "day":
        text += f"-{published.day:02d}"
    return text
