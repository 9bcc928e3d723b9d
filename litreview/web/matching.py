"""Is a candidate the same paper? A title match is accepted only when it is certain:
the normalized titles are equal (and no other candidate has that title with another
arXiv id), or nearly equal with the same year and overlapping authors. Anything
else close is *uncertain*: shown to the user with its candidate, never applied.

>>> decide("Attention Is All You Need", 2017, [],
...        [{"arxiv_id": "1706.03762", "title": "Attention is all you need", "authors": [],
...          "published": "2017-06-12"}]).status
'certain'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litreview.ids import normalize_title

#: Nearly equal titles (rapidfuzz ratio of the normalized titles, 0-100).
NEAR = 92.0
#: Close enough to show as a candidate to confirm.
CLOSE = 75.0


@dataclass(frozen=True)
class Match:
    """What the title lookup decided: ``certain``, ``uncertain`` or ``none``; the
    candidate (schema values) and why."""

    status: str
    candidate: dict[str, Any] | None = None
    reason: str = ""
    others: list[dict[str, Any]] = field(default_factory=list)


def surname(name: str) -> str:
    """The family name's fold used to compare authors (``Lovelace, Ada`` and ``Ada Lovelace``)."""
    name = name.strip()
    words = name.split(",", 1)[0].split() if "," in name else name.split()[-1:]
    name = " ".join(words)
    return normalize_title(name)


def authors_overlap(ours: list[str], theirs: list[str]) -> bool:
    return bool({surname(a) for a in ours} & {surname(a) for a in theirs} - {""})


def decide(
    title: str, year: int | None, authors: list[str], candidates: list[dict[str, Any]]
) -> Match:
    """Pick the candidate for a paper of this title (and year and authors, when known)."""
    from rapidfuzz import fuzz

    key = normalize_title(title)
    scored = []
    for cand in candidates:
        other = normalize_title(cand.get("title") or "")
        if other:
            scored.append((100.0 if other == key else fuzz.ratio(key, other), cand))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] < CLOSE:
        return Match("none", reason="no candidate with a close title")
    exact = _distinct([c for s, c in scored if s == 100.0])
    if len(exact) == 1:
        return Match("certain", exact[0], "same title")
    if len(exact) > 1:
        return Match("uncertain", exact[0], f"{len(exact)} papers have this title", exact[1:])
    best_score, best = scored[0]
    near = _distinct([c for s, c in scored if s >= NEAR])
    cand_year = _year(best.get("published"))
    if len(near) == 1 and best_score >= NEAR:
        same_year = year is not None and cand_year == year
        if same_year and authors_overlap(authors, best.get("authors") or []):
            return Match("certain", best, "nearly the same title, same year, shared authors")
        why = "nearly the same title" + ("" if same_year else ", year not confirmed")
        if not authors_overlap(authors, best.get("authors") or []):
            why += ", no author to compare" if not authors else ", no shared author"
        return Match("uncertain", best, why)
    others = [c for s, c in scored[1:] if s >= CLOSE]
    return Match("uncertain", best, f"similar title ({best_score:.0f}/100)", others)


def _distinct(cands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Candidates with distinct arXiv ids (a search may list one paper twice)."""
    seen: set[str] = set()
    out = []
    for cand in cands:
        key = str(cand.get("arxiv_id") or cand.get("title"))
        if key not in seen:
            seen.add(key)
            out.append(cand)
    return out


def _year(value: Any) -> int | None:
    text = str(value or "")
    return int(text[:4]) if text[:4].isdigit() else None
