"""litreview: literature reviews inside Jupyter.

>>> import litreview
>>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
>>> len(papers)
36
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from litreview import charts as charts  # litreview.charts.timeline(df)
from litreview.errors import ListingError, ListingWarning, Problem, QueryError
from litreview.export import export, to_bibtex, to_csv, to_markdown, to_ris
from litreview.ids import normalize_title, paper_id
from litreview.merge import read_listings
from litreview.review import Review
from litreview.schema import (
    ANNOTATION_COLUMNS,
    DECISIONS,
    PAPER_COLUMNS,
    Decision,
    SchemaError,
    empty_papers,
    validate,
)
from litreview.search import SearchIndex, explain_priority, prioritize, search, similar
from litreview.sources import read_listing

#: Path of the bundled sample: a Hugging Face Daily Papers listing (36 papers).
SAMPLE_LISTING: Path = Path(str(files("litreview") / "data" / "hf-papers-transformers.txt"))

__version__ = "0.1.0"

__all__ = [
    "ANNOTATION_COLUMNS",
    "DECISIONS",
    "PAPER_COLUMNS",
    "SAMPLE_LISTING",
    "Decision",
    "ListingError",
    "ListingWarning",
    "Problem",
    "QueryError",
    "Review",
    "SchemaError",
    "SearchIndex",
    "empty_papers",
    "explain_priority",
    "export",
    "normalize_title",
    "paper_id",
    "prioritize",
    "read_listing",
    "read_listings",
    "search",
    "similar",
    "to_bibtex",
    "to_csv",
    "to_markdown",
    "to_ris",
    "validate",
]
