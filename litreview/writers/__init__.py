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

import os
from pathlib import Path
from typing import Any

import pandas as pd

from litreview._files import file_exists_error
from litreview.writers.bibtex import to_bibtex
from litreview.writers.csv import to_csv
from litreview.writers.formats import format_for
from litreview.writers.markdown import to_markdown
from litreview.writers.ris import to_ris

#: Folder a bare file name is written to.
DEFAULT_DIR = Path("exports")


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
    :class:`FileExistsError` unless ``overwrite=True``. ``format`` (a name in
    :data:`~litreview.writers.formats.FORMATS`: ``bibtex``, ``csv``, ``excel``, ``ris``,
    ``markdown``) overrides the suffix; ``options``
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
    chosen = format_for(target, format)
    if not overwrite and target.exists():  # before the text is built
        raise file_exists_error(target)
    chosen.write_file(df, target, overwrite=overwrite, **options)
    return target


__all__ = ["export", "to_bibtex", "to_csv", "to_markdown", "to_ris"]
