"""Exports that real tools accept: BibTeX, CSV, RIS and a Markdown reading list.

:func:`export` picks the format from the file suffix, writes atomically and
never replaces a file unless asked::

    >>> import litreview, tempfile, pathlib
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> export(df, folder / "papers.bib").name
    'papers.bib'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from litreview._files import write_atomic
from litreview.writers.bibtex import to_bibtex
from litreview.writers.csv import to_csv
from litreview.writers.markdown import to_markdown
from litreview.writers.ris import to_ris

#: Folder a bare file name is written to.
DEFAULT_DIR = Path("exports")
FORMATS: dict[str, Callable[..., str]] = {
    "bibtex": to_bibtex,
    "csv": to_csv,
    "excel": functools.partial(to_csv, excel=True),  # CSV for spreadsheet programs
    "ris": to_ris,
    "markdown": to_markdown,
}
SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".csv": "csv", ".ris": "ris", ".md": "markdown",
            ".markdown": "markdown"}  # fmt: skip


def export(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    format: str | None = None,
    **options: Any,
) -> Path:
    """Write ``df`` to ``path`` in the format its suffix names; return the path written.

    A bare file name goes to ``exports/``. The file is written to a temporary
    file and renamed, so it is never half-written; an existing file raises
    :class:`FileExistsError` unless ``overwrite=True``. ``format`` (``bibtex``,
    ``csv``, ``excel``, ``ris``, ``markdown``) overrides the suffix; ``options``
    go to the writer (``with_notes=True`` for BibTeX). For a CSV to open in a
    spreadsheet program use ``excel=True`` (or ``format="excel"``): cells that
    start like a formula are neutralised (see :func:`to_csv`).

    >>> import litreview, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "included.csv"
    >>> export(litreview.read_listing(litreview.SAMPLE_LISTING), out).suffix
    '.csv'
    """
    target = Path(path)
    if target.parent == Path(".") and not str(path).startswith(("./", ".\\")):
        target = DEFAULT_DIR / target
    name = format or SUFFIXES.get(target.suffix.lower())
    if name not in FORMATS:
        known = ", ".join(sorted(SUFFIXES))
        what = f"format {format!r}" if format else f"suffix {target.suffix or '(none)'!r}"
        raise ValueError(
            f"{target}: unknown export {what}; use one of {known} or format= one of "
            + ", ".join(FORMATS)
        )
    if not overwrite and target.exists():
        raise FileExistsError(
            f"{target} already exists; pass overwrite=True to replace it or choose another name"
        )
    text = FORMATS[name](df, **options)
    return write_atomic(target, text, overwrite=overwrite)


__all__ = ["export", "to_bibtex", "to_csv", "to_markdown", "to_ris"]
