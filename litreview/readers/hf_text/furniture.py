"""What a plain copy of a papers page shows besides its papers, and the author lines
as each browser copies them.

Page furniture is skipped, never reported: the navigation (``Daily``, ``Weekly``,
``Monthly``, ``Previous``, ``Next``, ``Load more``), the page's own date (``Jan 2``)
and the period a week or month view shows (``Week 30, 2025``, ``July 2025``)::

    >>> is_furniture(["Week 30, 2025"]), is_furniture(["July 2025"]), is_furniture(["A title"])
    (True, True, False)

A copy without blank lines (some editors drop them on paste) is cut back into the
paragraphs of the page (:func:`unbroken`).

A browser copies the author line of a card as ``  • 7 authors`` (Firefox), ``7 authors``
(Chrome, Safari: no bullet) or, from a list turned into text, ``- 7 authors``; the
readers see one shape::

    >>> author_bullets(["- 7 authors", "·", "Oct 2, 2026"])
    ['• 7 authors', '·', 'Oct 2, 2026']
"""

from __future__ import annotations

import re

FURNITURE = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "daily",
        "weekly",
        "monthly",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "by ak and the research community",
        "trending papers",
        "submit",
        "previous",
        "next",
        "load more",
        "show more",
        "view more",
        "see more",
    }
)
BARE_DATE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12][0-9]|3[01])(, [12][0-9]{3})?"
)
#: The period a week or month view shows, and its pagination arrows' text.
_PERIOD = re.compile(
    r"(?:[‹«←<]\s*)?(?:Week\s+\d{1,2}(?:\s*(?:,|of)?\s*[12]\d{3})?|[12]\d{3}-W\d{2}|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+[12]\d{3}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"\d{1,2}\s*[-–]\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+)?"
    r"\d{1,2}(?:,\s*[12]\d{3})?)(?:\s*[›»→>])?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[-*+•]\s*(?P<rest>\S.*)$")
_COUNT_ONLY = re.compile(r"^\d+\s+authors?$", re.IGNORECASE)


def is_furniture(lines: list[str]) -> bool:
    """Page furniture ("Subscribe", "Daily Papers", …), the page's own date ("Jan 2") or
    the period a week or month view shows."""
    if len(lines) != 1:
        return False
    line = lines[0]
    return line.casefold() in FURNITURE or bool(
        BARE_DATE.fullmatch(line) or _PERIOD.fullmatch(line)
    )


#: The line a search page shows its query under (a copy keeps the query's text there).
_BYLINE = frozenset({"byak and the research community", "by ak and the research community"})
MAX_QUERY = 200


def is_query(previous: list[str], lines: list[str]) -> bool:
    """True when ``lines`` is the query a search page echoes under its byline.

    >>> is_query(["by AK and the research community"], ["long context"])
    True
    """
    return (
        len(previous) == 1
        and previous[0].casefold() in _BYLINE
        and len(lines) == 1
        and len(lines[0]) <= MAX_QUERY
    )


def author_bullets(lines: list[str]) -> list[str]:
    """``lines`` with the author line (or organization) over a ``·`` line in the shape
    ``• who``, whatever bullet (or none) the copy gave it; other lines as they are.

    >>> author_bullets(["Example University", "·", "Oct 3, 2026"])[0]
    '• Example University'
    """
    out = lines
    for i in range(len(lines) - 1):
        line = lines[i]
        if line.startswith("•") or not lines[i + 1].startswith("·"):
            continue
        bullet = _BULLET.match(line)
        # an organization without bullet: only as the first line of its block, over "·"
        org = i == 0 and lines[i + 1] == "·" and len(lines) > 2 and not line.startswith("·")
        if bullet or org or _COUNT_ONLY.match(line):
            out = out if out is not lines else list(lines)
            out[i] = "• " + (bullet["rest"] if bullet else line)
    return out


#: A card line whose value is on the next line: ``Submitted by`` / ``akhaliq``.
_PAIRED = frozenset({"submitted by", "upvote", "github"})
MAX_WHO = 80


def unbroken(line: int, lines: list[str]) -> list[tuple[int, list[str]]]:
    """A paragraph (first line number ``line``) as the paragraphs of the page: itself
    when it holds at most one author/date block, else each line on its own but for an
    author line with its ``·`` and date, and a card label with its value.

    >>> copy = ["T1", "A1.", "• 2 authors", "·", "Oct 1", "T2", "A2.", "Lab", "· Oct 2"]
    >>> [part for _, part in unbroken(1, copy)][2:]
    [['• 2 authors', '·', 'Oct 1'], ['T2'], ['A2.'], ['Lab', '· Oct 2']]
    """
    dots = [i for i, s in enumerate(lines) if s.startswith("·")]
    if len(dots) < 2:
        return [(line, lines)]
    out: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(lines):
        text = lines[i]
        if i + 1 < len(lines) and lines[i + 1].startswith("·") and _is_who(text):
            end = i + 2 if lines[i + 1] != "·" else i + 3  # "· Oct 2" or "·" then the date
            out.append((line + i, lines[i:end]))
        elif text == "·" or (text.casefold() in _PAIRED and i + 1 < len(lines)):
            end = i + 2
            out.append((line + i, lines[i:end]))
        else:
            end = i + 1
            out.append((line + i, [text]))
        i = end
    return out


def _is_who(line: str) -> bool:
    """An author line or an organization (short, no sentence), not an abstract."""
    if _BULLET.match(line) or _COUNT_ONLY.match(line):
        return True
    return len(line) <= MAX_WHO and not line.endswith((".", "!", "?"))
