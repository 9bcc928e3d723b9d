"""RIS export (``TY``…``ER`` records) for Zotero, Rayyan and EndNote, written by rispy.

>>> import litreview
>>> print(to_ris(litreview.read_listing(litreview.SAMPLE_LISTING).head(1)).splitlines()[0])
TY  - GEN
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import rispy

from litreview._files import write_atomic
from litreview.writers._fields import (
    Row,
    annotation_note,
    arxiv_doi,
    as_list,
    last_first,
    one_line,
    page_url,
    paper_rows,
    terms,
)

#: RIS reference type: a generic work (preprints are not a type every manager knows).
REFERENCE_TYPE = "GEN"


class _Writer(rispy.RisWriter):
    """rispy's writer without the ``1.``, ``2.``… lines before each record."""

    def set_header(self, count: int) -> str:
        return ""


def to_ris(
    df: pd.DataFrame, path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> str:
    """The papers as RIS records; also written to ``path`` when given
    (an existing file is replaced only with ``overwrite=True``).

    Each record has ``TY``, ``TI``, ``AU`` (one per author, "Last, First"), ``PY``, ``DA``,
    ``AB``, ``UR``, ``DO`` (for arXiv papers), ``KW`` (tags and keywords),
    ``N1`` (decision and note), the arXiv id in ``AN`` and our paper id in ``ID``.

    >>> import litreview
    >>> "TI  - Doracamom" in to_ris(litreview.read_listing(litreview.SAMPLE_LISTING))
    True
    """
    records = [ris_record(row) for row in paper_rows(df)]
    text = rispy.dumps(records, implementation=_Writer) if records else ""
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def ris_record(row: Row) -> dict[str, Any]:
    """One paper as a rispy record (keys are rispy's names for the RIS tags)."""
    record: dict[str, Any] = {"type_of_reference": REFERENCE_TYPE}
    if row["title"]:
        record["title"] = one_line(row["title"])
    authors = [one_line(a) for a in as_list(row["authors"]) if one_line(a)]
    if authors:
        record["authors"] = [last_first(a) for a in authors]
    published = row["published"]
    if published is not None:
        record["year"] = f"{published.year:04d}"
        record["date"] = published.strftime("%Y/%m/%d")
    if row["abstract"]:
        record["abstract"] = one_line(row["abstract"])
    urls = [
        u for u in [page_url(row), *as_list(row["code_urls"]), *as_list(row["project_urls"])] if u
    ]
    if urls:
        record["urls"] = list(dict.fromkeys(one_line(u) for u in urls))
    if row["arxiv_id"]:
        record["doi"] = arxiv_doi(row)
        record["accession_number"] = f"arXiv:{row['arxiv_id']}"
    keywords = terms(row)
    if keywords:
        record["keywords"] = keywords
    note = annotation_note(row)
    if note:
        record["notes"] = [note]
    if row["paper_id"]:
        record["id"] = str(row["paper_id"])
    return record
