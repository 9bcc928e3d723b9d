"""RIS export (``TY``…``ER`` records) for Zotero, Rayyan and EndNote.

>>> import litreview
>>> print(to_ris(litreview.read_listing(litreview.SAMPLE_LISTING).head(1)).splitlines()[0])
TY  - GEN
"""

from __future__ import annotations

import os
import re

import pandas as pd

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
from litreview.writers._latex import ascii_fold

#: RIS reference type of a paper whose type is unknown: a generic work.
REFERENCE_TYPE = "GEN"
#: Entry types -> RIS types (the reader's ``litreview.readers.ris.RIS_TYPES``).
RIS_TYPES = {
    "article": "JOUR", "inproceedings": "CPAPER", "conference": "CPAPER",
    "proceedings": "CONF", "book": "BOOK", "inbook": "CHAP", "incollection": "CHAP",
    "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES", "techreport": "RPRT",
    "report": "RPRT", "unpublished": "UNPB", "online": "ELEC", "dataset": "DATA",
    "software": "COMP", "patent": "PAT", "manual": "STAND", "misc": "GEN", "preprint": "UNPB",
}  # fmt: skip
_RIS_TAG = re.compile(r"[A-Z][A-Z0-9]")
_NUMBERED = re.compile(r"([A-Z][A-Z0-9])_\d+")
#: BibTeX fields kept in ``extra`` and the RIS tag each is written as.
BIBTEX_TAGS = {
    "volume": "VL", "number": "IS", "publisher": "PB", "address": "CY", "isbn": "SN",
    "issn": "SN", "note": "N1", "edition": "ET", "language": "LA", "series": "T3",
    "editor": "A2", "file": "L1", "school": "PB", "institution": "PB",
}  # fmt: skip


def to_ris(
    df: pd.DataFrame, path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> str:
    """The papers as RIS records; also written to ``path`` when given
    (an existing file is replaced only with ``overwrite=True``).

    Each record has ``TY`` (from the entry type), ``TI``, ``AU`` (one per author,
    "Last, First"), ``PY`` and ``DA`` at the date's precision (a year alone is
    ``PY`` alone: no made-up 1 January), ``T2`` (the venue), ``AB``, ``UR``, ``DO``,
    ``KW`` (tags and keywords), ``N1`` (decision and note), the arXiv id in ``AN``,
    our paper id in ``ID``, and every tag kept from the source (``extra``), so an RIS
    record read and written comes back the same.

    >>> import litreview
    >>> "TI  - Doracamom" in to_ris(litreview.read_listing(litreview.SAMPLE_LISTING))
    True
    """
    text = "".join(_lines(ris_record(row)) for row in paper_rows(df))
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def _lines(record: list[tuple[str, str]]) -> str:
    return "".join(f"{tag}  - {value}\n" for tag, value in record) + "ER  - \n\n"


def ris_record(row: Row) -> list[tuple[str, str]]:
    """One paper as (tag, value) pairs in RIS order (``TY`` first)."""
    extra: dict[str, str] = row.get("extra") or {}
    ris = {(_NUMBERED.sub(r"\1", k)): v for k, v in extra.items() if _is_tag(k)}
    kind = str(row.get("entry_type") or "")
    out: list[tuple[str, str]] = [("TY", extra.get("TY") or RIS_TYPES.get(kind, REFERENCE_TYPE))]
    title = one_line(row["title"] or "")
    if title and one_line(ris.get("T1") or "") != title:
        out.append(("TI", title))
    authors = [one_line(a) for a in as_list(row["authors"]) if one_line(a)]
    own_names = _same_names(extra, authors)  # the source's AU/A1 lines, still right
    if not own_names:
        out += [("AU", last_first(a)) for a in authors]
    out += _date(row, ris)
    venue = one_line(row.get("venue") or "")
    if venue and venue not in (one_line(extra.get(t) or "") for t in ("JF", "JO", "BT")):
        out.append(("T2", venue))
    abstract = one_line(row["abstract"] or "")
    if abstract and one_line(ris.get("N2") or "") != abstract:
        out.append(("AB", abstract))
    urls = [row.get("url")] if row.get("url") else []
    if "UR" not in ris:  # a record of its own links: every one (else they are in extra)
        urls = [
            u
            for u in [page_url(row), *as_list(row["code_urls"]), *as_list(row["project_urls"])]
            if u
        ]
    out += [("UR", u) for u in dict.fromkeys(one_line(str(u)) for u in urls)]
    doi = row.get("doi") or arxiv_doi(row)
    if doi:
        out.append(("DO", doi))
    if row["arxiv_id"] and "AN" not in ris:
        out.append(("AN", f"arXiv:{row['arxiv_id']}"))
    out += [("KW", k) for k in terms(row)]
    note = annotation_note(row)
    if note:
        out.append(("N1", note))
    names = {"AU", "A1"} if not own_names else set()
    out += [
        (tag, one_line(v))
        for k, v in extra.items()
        if _kept(k, v) and (tag := _NUMBERED.sub(r"\1", k)) not in names
    ]
    out += _bibtex_fields(extra, {t for t, _ in out})
    if row["paper_id"] and "ID" not in ris:
        out.append(("ID", str(row["paper_id"])))
    return out


def _same_names(extra: dict[str, str], authors: list[str]) -> bool:
    """True when the source's ``AU`` (or ``A1``) lines kept in ``extra`` name ``authors``."""
    for tag in ("AU", "A1"):
        given = [v for k, v in extra.items() if _NUMBERED.sub(r"\1", k) == tag]
        if given:
            return sorted(ascii_fold(" ".join(given))) == sorted(ascii_fold(" ".join(authors)))
    return False


def _is_tag(name: str) -> bool:
    return bool(_RIS_TAG.fullmatch(name) or _NUMBERED.fullmatch(name))


def _kept(name: str, value: str) -> bool:
    """An ``extra`` entry written as an RIS tag (not ``TY``, not empty)."""
    return _is_tag(name) and name != "TY" and bool(value)


def _date(row: Row, ris: dict[str, str]) -> list[tuple[str, str]]:
    """``PY`` and ``DA`` at the date's precision, or as the source wrote them."""
    published = row["published"]
    out: list[tuple[str, str]] = []
    if published is None:
        return out
    precision = row.get("date_precision") or "day"
    if "PY" not in ris and "Y1" not in ris:
        out.append(("PY", f"{published.year:04d}"))
    if "DA" not in ris and "Y1" not in ris and precision != "year":
        out.append(("DA", published.strftime("%Y/%m" if precision == "month" else "%Y/%m/%d")))
    return out


def _bibtex_fields(extra: dict[str, str], written: set[str]) -> list[tuple[str, str]]:
    """BibTeX fields kept in ``extra`` as their RIS tags (``volume`` -> ``VL``, ``pages`` ->
    ``SP``/``EP``), their LaTeX braces dropped; the others go to one ``N1`` each."""
    out: list[tuple[str, str]] = []
    taken = set(written)
    for name, value in extra.items():
        if _is_tag(name) or not value:
            continue
        text = one_line(value.replace("{", "").replace("}", ""))
        tag = BIBTEX_TAGS.get(name)
        if name == "pages" and "SP" not in taken:
            first, _, last = text.replace("--", "-").partition("-")
            out.append(("SP", first.strip()))
            if last.strip():
                out.append(("EP", last.strip()))
            taken |= {"SP", "EP"}
        elif tag and tag not in taken:
            out.append((tag, text))
            taken.add(tag)
    return out
