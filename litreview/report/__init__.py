"""Sharing a review: one offline HTML report, a rendered notebook, and opening what a
user names (a review file or listings).

:mod:`.loading` opens sources without plotly (the command line uses it), :mod:`.html`
builds the report, :mod:`.notebook` executes a notebook and makes it work offline::

    >>> import litreview
    >>> html = build_report(litreview.read_listing(litreview.SAMPLE_LISTING))
    >>> html.startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litreview._lazy import lazy_names

if TYPE_CHECKING:
    from litreview.report.html import build_report, render, report_figures, write_report
    from litreview.report.loading import Loaded, is_review_file, load
    from litreview.report.notebook import NotebookError, render_notebook

#: Public name -> the module that defines it (imported on first use, so that
#: importing one part of the package does not load the others).
_PUBLIC = {
    "build_report": "litreview.report.html",
    "write_report": "litreview.report.html",
    "render": "litreview.report.html",
    "report_figures": "litreview.report.html",
    "render_notebook": "litreview.report.notebook",
    "NotebookError": "litreview.report.notebook",
    "load": "litreview.report.loading",
    "Loaded": "litreview.report.loading",
    "is_review_file": "litreview.report.loading",
}

__all__ = [
    "Loaded",
    "NotebookError",
    "build_report",
    "is_review_file",
    "load",
    "render",
    "render_notebook",
    "report_figures",
    "write_report",
]


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
