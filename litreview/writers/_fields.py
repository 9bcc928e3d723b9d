"""What every export needs from a paper row: plain Python values, NA as ``None``.

>>> import litreview
>>> rows = paper_rows(litreview.read_listing(litreview.SAMPLE_LISTING))
>>> rows[0]["title"][:9], rows[0]["url"] is None
('Doracamom', True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(range(32)) + b"\x7f"  # the ASCII a string's isprintable() rejects
ARXIV_ABS = "https://arxiv.org/abs/"
ARXIV_DOI_PREFIX = "10.48550/arXiv."

PARTICLES = frozenset(
    "da de del della der di dos du la le van von den ter ten bin al".split()  # noqa: SIM905
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

Row = dict[str, Any]


def paper_rows(df: pd.DataFrame, names: Sequence[str] | None = None) -> list[Row]:
    """One dict per row with ``names`` (default: every schema and annotation column);
    ``None`` for NA or an absent column."""
    n = len(df)
    names = list(names) if names is not None else [*PAPER_COLUMNS, *ANNOTATION_COLUMNS]
    columns = {name: _values(df[name]) if name in df.columns else [None] * n for name in names}
    return [{name: columns[name][i] for name in names} for i in range(n)]


def _values(series: pd.Series) -> list[Any]:
    values = series.tolist()
    return [None if _is_na(v) else v for v in values]


def _is_na(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def one_line(text: str) -> str:
    """Whitespace runs (line breaks too) as one space; control characters removed."""
    if text.isascii() and ascii_printable(text) and "  " not in text:
        return text.strip(" ")  # already one line (the usual case): no copy
    out = " ".join(text.split())
    return out if out.isprintable() else _SPACE.sub(" ", _CONTROL.sub("", out)).strip()


def ascii_printable(text: str) -> bool:
    """``text.isprintable()`` for ASCII text, 3x faster on an abstract (a C loop over bytes)."""
    return len(text.encode().translate(None, _CONTROL_BYTES)) == len(text)


def as_list(value: Any) -> list[str]:
    """A list cell as a list of non-empty strings."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v is not None and str(v).strip()]


def terms(row: Row) -> list[str]:
    """The paper's tags then its keywords, without repeats (case-insensitive)."""
    seen: set[str] = set()
    out = []
    for term in [*as_list(row.get("tags")), *as_list(row.get("keywords"))]:
        term = one_line(term)
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return out


def page_url(row: Row) -> str | None:
    """The paper's page: its URL, else its arXiv abstract page."""
    if row.get("url"):
        return str(row["url"]).strip()
    if row.get("arxiv_id"):
        return ARXIV_ABS + str(row["arxiv_id"])
    return None


def arxiv_doi(row: Row) -> str | None:
    return ARXIV_DOI_PREFIX + str(row["arxiv_id"]) if row.get("arxiv_id") else None


def annotation_note(row: Row) -> str:
    """The decision, reason, rating and note as one line ('' when there is none)."""
    parts = []
    decision = row.get("decision")
    if decision and str(decision) != "unscreened":
        reason = one_line(str(row.get("reason") or ""))
        parts.append(f"Decision: {decision}" + (f" ({reason})" if reason else ""))
    elif row.get("reason"):
        parts.append(f"Reason: {one_line(str(row['reason']))}")
    if row.get("rating") is not None:
        parts.append(f"Rating: {row['rating']}")
    if row.get("note"):
        parts.append(one_line(str(row["note"])))
    return "; ".join(p for p in parts if p)


def split_name(name: str) -> tuple[str, str, str] | None:
    """(last, first, suffix) of a "First Last" name; ``None`` for one word.

    >>> split_name("Ludwig van Beethoven"), split_name("Martin Luther King Jr.")
    (('van Beethoven', 'Ludwig', ''), ('King', 'Martin Luther', 'Jr.'))
    """
    tokens = name.split()
    if len(tokens) < 2:
        return None
    suffix = tokens.pop() if len(tokens) > 2 and tokens[-1].lower() in SUFFIXES else ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in PARTICLES:
        start -= 1
    return " ".join(tokens[start:]), " ".join(tokens[:start]), suffix


def last_first(name: str) -> str:
    """``'Ashish Vaswani'`` -> ``'Vaswani, Ashish'`` (names with a comma stay as they are)."""
    parts = None if "," in name else split_name(name)
    if parts is None:
        return name
    last, first, suffix = parts
    return f"{last}, {first}, {suffix}" if suffix else f"{last}, {first}"
