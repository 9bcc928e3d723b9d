"""litreview: literature reviews inside Jupyter.

>>> import litreview
>>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
>>> len(papers)
36

Where behaviour lives (docs/architecture.md has the map, what flows between the
packages and the rules each one owns):

- top level: the public API below and the shared vocabulary: ``errors`` (the
  exceptions), ``schema`` (columns, dtypes, decisions), ``ids`` (stable paper ids);
  ``_text``, ``_links``, ``_files`` are private helpers shared by several packages.
- ``readers/``: listings in any supported format -> the paper table (``read_listing``,
  ``read_listings``, near-duplicate merging).
- ``review/``: the ``Review``, its pure edit rules and its store (the review file:
  papers, annotations, history, migrations).
- ``query/``: the query language, the search index, keyword filters and ranking
  (``search``, ``similar``, ``prioritize``); pure functions over a DataFrame.
- ``writers/``: ``export`` and the BibTeX, CSV, RIS and Markdown writers, with the one
  format registry.
- ``charts/``: DataFrame (or Review) in, plotly figure out; data preparation apart
  from drawing.
- ``report/``: the offline HTML report, rendered notebooks, opening what a user names.
- ``app/``: the ipywidgets app, a traitlets model with thin views; ``cli/``: the
  command line, one module per command. Both call the library; it never calls them.

``import litreview`` loads neither plotly, scikit-learn, SciPy, ipywidgets nor
rapidfuzz: the names that need them are imported on first use.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from litreview._lazy import lazy_names
from litreview.errors import ListingError, ListingWarning, Problem, QueryError
from litreview.ids import normalize_title, paper_id
from litreview.readers import read_listing
from litreview.schema import (
    ANNOTATION_COLUMNS,
    DECISIONS,
    PAPER_COLUMNS,
    Decision,
    SchemaError,
    empty_papers,
    validate,
)
from litreview.writers import export, to_bibtex, to_csv, to_markdown, to_ris

if TYPE_CHECKING:
    from litreview import charts, report
    from litreview.query.filters import search
    from litreview.query.index import SearchIndex
    from litreview.query.rank import explain_priority, prioritize, similar
    from litreview.readers.fuzzy_merge import merge_near_duplicates, near_duplicates
    from litreview.readers.merge import read_listings
    from litreview.review.core import Review, ReviewFileError

#: Public names whose modules pull in plotly, SciPy, scikit-learn or rapidfuzz (and
#: their dependents): imported on first use, so ``import litreview`` (and the command
#: line) starts fast. tests/test_imports.py keeps it so.
_LAZY = {
    "search": "litreview.query.filters",  # SciPy (the index's sparse matrices): about 90 ms
    "SearchIndex": "litreview.query.index",
    "similar": "litreview.query.rank",
    "prioritize": "litreview.query.rank",
    "explain_priority": "litreview.query.rank",
    "charts": "litreview.charts",
    "report": "litreview.report",
    "read_listings": "litreview.readers.merge",
    "near_duplicates": "litreview.readers.fuzzy_merge",  # rapidfuzz and merge: about 45 ms
    "merge_near_duplicates": "litreview.readers.fuzzy_merge",
    "Review": "litreview.review.core",
    "ReviewFileError": "litreview.review.core",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())


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
    "ReviewFileError",
    "SchemaError",
    "SearchIndex",
    "charts",
    "empty_papers",
    "explain_priority",
    "export",
    "merge_near_duplicates",
    "near_duplicates",
    "normalize_title",
    "paper_id",
    "prioritize",
    "read_listing",
    "read_listings",
    "report",
    "search",
    "similar",
    "to_bibtex",
    "to_csv",
    "to_markdown",
    "to_ris",
    "validate",
]
