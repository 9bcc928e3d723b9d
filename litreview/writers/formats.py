"""The export formats: one table of names, file suffixes, writers and labels.

:func:`litreview.export`, the app's Export tab and ``litreview export`` all
ask this table which format a suffix means, which suffix a format writes and
how a format is shown::

    >>> format_for("papers.BIB").name, get_format("markdown").suffix
    ('bibtex', '.md')
    >>> suffix_list()
    '.bib, .csv, .ris or .md'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from litreview._files import write_atomic
from litreview.writers.bibtex import bibtex_pieces, to_bibtex
from litreview.writers.csv import csv_pieces, to_csv
from litreview.writers.markdown import to_markdown
from litreview.writers.ris import to_ris

#: Papers per piece when a large table is written a piece at a time.
PIECE_ROWS = 20_000


@dataclass(frozen=True)
class Format:
    """One export format: ``suffixes[0]`` is the one written, the others are also read as it."""

    name: str
    suffixes: tuple[str, ...]
    writer: Callable[..., str]
    label: str  # the app's format dropdown
    media_type: str  # the app's download link
    excel: bool = False  # the writer is called with excel=True
    dialect: str | None = None  # the BibTeX writer's dialect (bibtex, biblatex)
    #: The writer's text in pieces of so many papers (None: written whole).
    pieces: Callable[..., Iterator[str]] | None = None

    @property
    def suffix(self) -> str:
        """The suffix a file of this format gets (``.bib``)."""
        return self.suffixes[0]

    def write(
        self, df: pd.DataFrame, path: str | os.PathLike[str] | None = None, **options: Any
    ) -> str:
        """The writer's text for ``df`` (also written to ``path``, see the writers).

        >>> import litreview
        >>> get_format("ris").write(litreview.empty_papers())
        ''
        """
        return self.writer(df, path, **self._options(options))

    def write_file(
        self, df: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool, **options: Any
    ) -> None:
        """Write ``df`` to ``path``; a table of many papers a piece at a time (the same
        bytes, bounded memory) when the format can."""
        if self.pieces is None or len(df) <= PIECE_ROWS:
            self.writer(df, path, overwrite=overwrite, **self._options(options))
            return
        pieces = self.pieces(df, PIECE_ROWS, **self._options(options))
        write_atomic(path, pieces, overwrite=overwrite)

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        if self.excel:
            options = {"excel": True, **options}
        if self.dialect:
            options = {"dialect": self.dialect, **options}
        return options


_EXCEL = "CSV for Excel / spreadsheets (formulas made inert)"
#: Every export format, in the order the app's dropdown shows them.
FORMATS: tuple[Format, ...] = (
    Format(
        "bibtex", (".bib", ".bibtex"), to_bibtex, "BibTeX", "text/x-bibtex", pieces=bibtex_pieces
    ),
    Format(
        "biblatex",
        (".bib",),
        to_bibtex,
        "biblatex (biber)",
        "text/x-bibtex",
        dialect="biblatex",
        pieces=bibtex_pieces,
    ),
    Format("csv", (".csv",), to_csv, "CSV", "text/csv", pieces=csv_pieces),
    Format("excel", (".csv",), to_csv, _EXCEL, "text/csv", excel=True, pieces=csv_pieces),
    Format("ris", (".ris",), to_ris, "RIS", "application/x-research-info-systems"),
    Format("markdown", (".md", ".markdown"), to_markdown, "Markdown", "text/markdown"),
)
FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
_BY_NAME = {f.name: f for f in FORMATS}
#: Suffix -> the format it means (the first format listing it: ``.csv`` is plain CSV).
_BY_SUFFIX = {s: f for f in reversed(FORMATS) for s in f.suffixes}


def get_format(name: str) -> Format:
    """The format called ``name``; :class:`ValueError` naming the known ones otherwise.

    >>> get_format("excel").suffix
    '.csv'
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMAT_NAMES)}, got {name!r}") from None


def suffix_format(suffix: str) -> Format | None:
    """The format a file suffix means (any case), or ``None``.

    >>> suffix_format(".Markdown").name, suffix_format(".txt")
    ('markdown', None)
    """
    return _BY_SUFFIX.get(suffix.lower())


def format_for(path: str | os.PathLike[str], format: str | None = None) -> Format:
    """The format ``format`` names, else the one ``path``'s suffix means.

    >>> format_for("x.txt")
    Traceback (most recent call last):
    ValueError: x.txt: unknown export suffix '.txt'; use one of .bib, .bibtex, .csv, .markdown, .md, .ris or format= one of bibtex, biblatex, csv, excel, ris, markdown
    """  # noqa: E501
    found = _BY_NAME.get(format) if format else suffix_format(Path(path).suffix)
    if found is None:
        suffix = Path(path).suffix
        what = f"format {format!r}" if format else f"suffix {suffix or '(none)'!r}"
        raise ValueError(
            f"{path}: unknown export {what}; use one of {', '.join(sorted(_BY_SUFFIX))} "
            f"or format= one of {', '.join(FORMAT_NAMES)}"
        )
    return found


def suffix_list(names: Iterable[str] = FORMAT_NAMES) -> str:
    """The suffixes the formats ``names`` write, in words (each once).

    >>> suffix_list(["bibtex", "ris"])
    '.bib or .ris'
    """
    suffixes = list(dict.fromkeys(get_format(n).suffix for n in names))
    return " or ".join(filter(None, [", ".join(suffixes[:-1]), suffixes[-1]]))
