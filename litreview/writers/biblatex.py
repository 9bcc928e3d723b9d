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

from typing import Any

from bibtexparser.model import Entry, Field

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
#: Types whose venue is a journal title / a book title in biblatex.
_JOURNAL_TYPES = frozenset({"article", "periodical"})
#: Types biblatex gives no ``howpublished`` (the venue goes to ``note``).
_NO_HOWPUBLISHED = frozenset({"online", "thesis", "report", "article", "inproceedings"})
_ARXIV_NOTE = "arXiv preprint arXiv:"


def biblatex_entry(
    row: dict[str, Any],
    key: str,
    entry_type: str,
    values: list[tuple[str, str]],
    *,
    enclosed: bool,
    imported: bool,
) -> Entry:
    """The biblatex entry of a paper from its BibTeX ``values`` (escaped, unbraced)."""
    kind, subtype = TYPES.get(entry_type, (entry_type, None))
    arxiv = bool(row.get("arxiv_id")) or any(
        n.lower() == "archiveprefix" and v.lower() == "arxiv" for n, v in values
    )
    if kind == "misc" and arxiv and not imported:
        kind = "online"  # biblatex's type for an arXiv preprint
    names = {n.lower() for n, _ in values}
    out: list[tuple[str, str]] = []
    for name, value in values:
        lower = name.lower()
        if lower == "howpublished" and value.startswith(_ARXIV_NOTE):
            continue  # the eprint fields say it, and biblatex prints them
        if lower == "archiveprefix":
            value = value.lower()
        if lower == "year" and "date" not in names and _ours(row, value):
            out.append(("date", _date(row)))
            continue
        if lower == "month" and "date" in {n for n, _ in out}:
            continue
        name = RENAMED.get(lower, name)
        if name == "journaltitle" and kind not in _JOURNAL_TYPES:
            name = "howpublished" if kind not in _NO_HOWPUBLISHED else "note"
        if name == "howpublished" and kind in _NO_HOWPUBLISHED:
            name = "note" if "note" not in names else "addendum"
        if any(n == name for n, _ in out):
            continue  # a renamed field the record also has under biblatex's name
        out.append((name, value))
    if subtype and "type" not in names:
        out.append(("type", subtype))
    if enclosed:
        fields = [Field(n, "{" + v + "}") for n, v in out]
    else:
        fields = [Field(n, v) for n, v in out]
    return Entry(kind, key, fields)


def _ours(row: dict[str, Any], year: str) -> bool:
    """True when ``year`` is the year of the paper's date (written by us, not a source's
    ``year`` field kept as it was)."""
    published = row.get("published")
    return published is not None and str(published.year) == year


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
