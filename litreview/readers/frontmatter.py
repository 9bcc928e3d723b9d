"""The capture's own date, from a front matter block at the top of the file.

Web clippers and scrapers often start a saved page with a block such as::

    ---
    url: https://huggingface.co/papers
    retrieved: 2026-10-02
    ---

Dates shown without a year on the page ("May 29") are in the year of the
capture: the ``year=`` argument, else this block's ``retrieved:``,
``exported:`` or ``date:`` line, else the current year.

>>> capture_year("---\\nretrieved: 2026-10-02\\n---\\nMay 29\\n")
2026
>>> front_matter_lines("---\\ntitle: x\\n---\\nbody\\n")
3
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

DATE_KEYS = ("retrieved", "exported", "date")
_DELIMITER = re.compile(r"^(?:---|\+\+\+)\s*$")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
MAX_FRONT_MATTER_LINES = 200


def front_matter(head: str) -> dict[str, str]:
    """The ``key: value`` lines of the front matter block starting ``head`` (else ``{}``)."""
    lines = head.lstrip("\ufeff").splitlines()
    if not lines or not _DELIMITER.match(lines[0]):
        return {}
    found: dict[str, str] = {}
    for line in lines[1:MAX_FRONT_MATTER_LINES]:
        if _DELIMITER.match(line):
            return found
        match = _KEY_VALUE.match(line)
        if match:
            found.setdefault(match["key"].lower(), match["value"].strip("'\""))
    return {}  # no closing delimiter: not a front matter block


def front_matter_lines(head: str) -> int:
    """How many lines the front matter block takes (0 when there is none)."""
    lines = head.lstrip("\ufeff").splitlines()
    if not front_matter(head):
        return 0
    for number, line in enumerate(lines[1:MAX_FRONT_MATTER_LINES], start=2):
        if _DELIMITER.match(line):
            return number
    return 0


def capture_year(head: str) -> int | None:
    """The year of the capture named in the front matter, or ``None``."""
    meta = front_matter(head)
    for key in DATE_KEYS:
        match = _YEAR.search(meta.get(key, ""))
        if match:
            return int(match["year"])
    return None


def default_year(year: int | None, head: str) -> int:
    """The year for dates without one: ``year``, else the front matter's, else this year."""
    if year is not None:
        return year
    return capture_year(head) or dt.date.today().year


def blank_front_matter(blocks: Iterable[bytes], head: str) -> Iterator[bytes]:
    """``blocks`` (text cut anywhere) with the front matter lines emptied, so a
    reader that knows nothing of front matter skips them and line numbers stay right.

    >>> head = "---\\ndate: 2026\\n---\\n"
    >>> b"".join(blank_front_matter([b"---\\nda", b"te: 2026\\n---\\nTitle\\n"], head))
    b'\\n\\n\\nTitle\\n'
    """
    remaining = front_matter_lines(head)
    for block in blocks:
        if remaining:
            parts = block.split(b"\n", remaining)
            if len(parts) > remaining:
                block, remaining = b"\n" * remaining + parts[remaining], 0
            else:
                newlines = len(parts) - 1
                block, remaining = b"\n" * newlines, remaining - newlines
        yield block
