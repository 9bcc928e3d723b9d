"""Errors and warnings raised when input cannot be read.

Every problem names the file, the 1-based line and what was expected, so a
user can open the file and fix it::

    >>> print(Problem("papers.txt", 12, "Jam 3, 2024", "a date like 'Jan 3, 2024'"))
    papers.txt:12: expected a date like 'Jan 3, 2024', found 'Jam 3, 2024'
"""

from __future__ import annotations

from dataclasses import dataclass

SNIPPET_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One block of input that could not be read as expected."""

    source: str
    line: int
    snippet: str
    expected: str
    #: True when the paper was kept (a date out of range left out, a repeated key …).
    kept: bool = False
    #: What was done about it, shown after the snippet ("the paper is kept without it").
    note: str = ""

    def __str__(self) -> str:
        snippet = self.snippet.strip().replace("\n", " ⏎ ")
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[: SNIPPET_CHARS - 1] + "…"
        tail = f"; {self.note}" if self.note else ""
        return f"{self.source}:{self.line}: expected {self.expected}, found {snippet!r}{tail}"


class ListingError(ValueError):
    """A listing (or any input file) that cannot be read.

    ``problems`` holds every :class:`Problem` found (may be empty when the
    whole file is unreadable, e.g. binary or not UTF-8).
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])

    @classmethod
    def from_problem(cls, problem: Problem) -> ListingError:
        return cls(str(problem), [problem])


class ListingNotFoundError(ListingError, FileNotFoundError):
    """A listing path that does not exist: a :class:`ListingError` (the one exception a
    reader raises) that ``except FileNotFoundError`` also catches.

    >>> isinstance(ListingNotFoundError("listing not found: a.txt"), FileNotFoundError)
    True
    """


class ListingWarning(UserWarning):
    """Some blocks of a listing could not be read; they are listed in the message."""


class QueryError(ValueError):
    """A malformed search query; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, query: str = "", position: int = 0) -> None:
        self.query = query
        self.position = position
        pointer = f"\n  {query}\n  {' ' * position}^" if query else ""
        super().__init__(f"{message} (at position {position}){pointer}")
        self.message = message
