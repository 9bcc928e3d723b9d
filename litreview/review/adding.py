"""What ``Review.add`` says about its source before reading it: a label and digest for
the imports table, whether it names a review this process has open, and a warning for
whatever a table carries that ``add`` does not import (annotations, columns of its own).

    >>> import pandas as pd
    >>> describe_source(pd.DataFrame())
    ('<DataFrame>', None)
"""

from __future__ import annotations

import hashlib
import warnings
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from litreview._open_files import is_open
from litreview.readers import is_listing_text
from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS

__all__ = ["describe_source", "names_open_file", "warn_what_add_leaves"]


def warn_what_add_leaves(df: pd.DataFrame) -> None:
    """``add`` imports papers only: say so when the table carries annotations or
    columns of its own (a search's ``score`` aside), which are never dropped silently."""
    own = [c for c in df.columns if c not in PAPER_COLUMNS and c not in ANNOTATION_COLUMNS]
    own = [str(c) for c in own if c != "score"]
    if own:
        warnings.warn(
            f"add() keeps the paper columns of the schema: {', '.join(own[:8])}"
            f"{' …' if len(own) > 8 else ''} not imported; put such values in the 'extra' "
            "column (a dict per paper) to keep them with the papers",
            UserWarning,
            stacklevel=3,
        )
    annotated = pd.Series(False, index=df.index)
    if "decision" in df:
        annotated |= df["decision"].astype("string").fillna("unscreened").ne("unscreened")
    for name in ("reason", "note", "rating"):
        if name in df:
            annotated |= df[name].notna().to_numpy()
    if "tags" in df:
        annotated |= df["tags"].map(lambda t: isinstance(t, list | tuple) and len(t) > 0)
    n = int(annotated.sum())
    if n:
        warnings.warn(
            f"add() imports papers only: the annotations of {n:,} papers in this table were "
            "not copied; use export_annotations() and import_annotations() to move them",
            UserWarning,
            stacklevel=3,
        )


def names_open_file(source: Any) -> bool:
    """True when ``source`` is a path to a review this process has open."""
    if is_listing_text(source):
        return False
    return isinstance(source, str | PathLike) and is_open(Path(source))


def describe_source(source: Any) -> tuple[str, str | None]:
    """A label for the imports table and, when the source is a file or text, its SHA-256."""
    if isinstance(source, pd.DataFrame):
        return "<DataFrame>", None
    if is_listing_text(source):
        return "<text>", hashlib.sha256(source.encode("utf-8")).hexdigest()
    if isinstance(source, str | PathLike):
        path = Path(source)
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
            return path.name, digest.hexdigest()
        return path.name, None
    return str(getattr(source, "name", "<stream>")), None
