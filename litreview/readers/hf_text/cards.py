"""The card lines of today's papers pages in a plain copy: ``Submitted by <name>``,
the upvote count (``Upvote`` and a number, or the number alone), and after the
date the ``GitHub 40.1k`` / ``arXiv Page`` buttons. They belong to a paper; they
are read into it, never reported as unreadable.

>>> card(["Submitted by", "akhaliq", "Upvote", "45"])
{'submitted_by': 'akhaliq', 'upvotes': 45}
>>> card(["An actual title"]) is None
True
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from litreview.readers.hf_common import count
from litreview.schema import PAPER_COLUMNS

Columns = dict[str, Any]

_SUBMITTED = re.compile(r"^Submitted by\b\s*(?P<name>.*?)\s*$", re.IGNORECASE)
_VOTES = re.compile(
    r"^(?:\[-\]\s*)?(?:Upvote\s*)?(?P<n>\d[\d,]*(?:\.\d+[kKmM]|[kKmM])?|-)?$", re.IGNORECASE
)
_STARS = re.compile(r"^(?P<github>GitHub\s+)?(?P<n>\d[\d.,]*[kKmM]?)$", re.IGNORECASE)
_BUTTON = re.compile(
    r"^(?:GitHub(?:\s+\d[\d.,]*[kKmM]?)?|\d[\d.,]*[kKmM]|arXiv Page|View arXiv page|"
    r"Add to collection|Project page)$",
    re.IGNORECASE,
)
MAX_CARD_LINES = 6


def card(lines: list[str]) -> dict[str, Any] | None:
    """The submitter and upvotes when every one of ``lines`` is a card line, else None."""
    if not lines or len(lines) > MAX_CARD_LINES:
        return None
    found: dict[str, Any] = {}
    expect_name = github = False
    for line in lines:
        stars = _STARS.match(line)
        starred = bool(stars and (stars["github"] or github))  # "GitHub 1.2k", "GitHub" "1.2k"
        if stars and starred:
            found["github_stars"] = count(stars["n"])
        github = line.lower() == "github"
        if starred:
            continue
        if expect_name:
            found["submitted_by"] = line
            expect_name = False
        elif sub := _SUBMITTED.match(line):
            if sub["name"]:
                found["submitted_by"] = sub["name"]
            else:
                expect_name = True
        elif (votes := _VOTES.match(line)) and line:
            if votes["n"] is not None:
                found["upvotes"] = 0 if votes["n"] == "-" else count(votes["n"])  # "1.2k" too
            elif not line.lower().startswith("upvote"):
                return None
        elif not _BUTTON.match(line):
            return None
    return found if not expect_name else None


def is_card(lines: list[str]) -> bool:
    """True when ``lines`` (a paragraph) holds only card lines."""
    return card(lines) is not None


def merge_repeats(cols: Columns) -> Columns:
    """One row for a paper shown twice in a row (a trending page's card and list item),
    with what either shows."""
    ids = cols["paper_id"]
    if not any(a == b for a, b in itertools.pairwise(ids)):
        return cols
    keep = [True] * len(ids)
    first = 0
    for i in range(1, len(ids)):
        if ids[i] == ids[first] and cols["title"][i] == cols["title"][first]:
            keep[i] = False
            for values in cols.values():
                if values[first] is None and values[i] is not None:
                    values[first] = values[i]
            votes = cols["upvotes"]
            if votes[first] is not None and votes[i] is not None:
                votes[first] = max(votes[first], votes[i])
        else:
            first = i
    return {
        name: [v for v, k in zip(values, keep, strict=True) if k] for name, values in cols.items()
    }


def card_columns(cols: Columns) -> None:
    """Upvotes stay a column; the submitter goes to ``extra`` (when the schema has one)."""
    names, stars = cols.pop("submitted_by"), cols.pop("github_stars")
    if "extra" in PAPER_COLUMNS and (any(names) or any(stars)):
        cols["extra"] = [
            {k: str(v) for k, v in (("submittedBy", n), ("githubStars", s)) if v is not None}
            for n, s in zip(names, stars, strict=True)
        ]


_TODAY_META = re.compile(
    r"^(?:•\s*)?(?P<who>[^·•]*?)\s*·\s*(?P<date>(?:Published on\s+)?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b.*)$",
    re.IGNORECASE,
)


def old_shape(lines: list[str], today: bool) -> list[str]:
    """Today's author/date block ('Lantern Lab · Published on Oct 4, 2026', or '4 authors'
    over '· Dec 28, 2024') in the shape of old: '• who', '·', the date. Without 'Published
    on' only on a page of ``today``'s layout (a text of old may hold ' · ' and a date)."""
    if "·" in lines or len(lines) > 2 or "·" not in lines[-1]:
        return lines
    match = _TODAY_META.match(" ".join(lines))
    if match is None or not (today or match["date"].lower().startswith("published on")):
        return lines
    who = [f"• {match['who']}"] if match["who"] else []
    return [*who, "·", match["date"]]
