"""Render a notebook to one HTML file that works offline.

The notebook is executed with nbclient (in its own folder, so relative paths
work) and converted with nbconvert's HTML exporter, with three changes that
make the file stand alone:

* no script is loaded from a CDN (require.js, MathJax, the widget manager);
* a plotly figure shown only as ``application/vnd.plotly.v1+json`` (the
  default renderer under a kernel) also gets an HTML view, with plotly.js
  embedded once in the file;
* a widget (the interactive app) cannot run without a kernel: it is replaced
  by a short note, and the static outputs the notebook shows after it tell
  the story.

Example (executes the notebook, so it takes a few seconds)::

    render_notebook("notebooks/review.ipynb", "exports/review.html", overwrite=True)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import plotly.io as pio

from litreview._files import write_atomic

__all__ = ["NotebookError", "execute_notebook", "notebook_to_html", "render_notebook"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="litreview-widget-note"><em>Interactive app: run the notebook in JupyterLab '
    "(or <code>litreview app REVIEW</code>) to use it; the static results follow.</em></p>"
)
#: A template on top of nbconvert's "lab" one that loads nothing from the network.
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
"""
TEMPLATE_NAME = "litreview_offline.html.j2"
#: A script loaded from the network (plotly's notebook renderer adds MathJax from a CDN).
CDN_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE)


class NotebookError(ValueError):
    """A notebook that cannot be read or whose execution failed; names the cell."""


def execute_notebook(
    path: str | os.PathLike[str],
    *,
    timeout: int = 600,
    on_cell: Callable[[int, int], None] | None = None,
    allow_errors: bool = False,
) -> nbformat.NotebookNode:
    """Execute the notebook at ``path`` in its folder; return the executed notebook.

    ``on_cell(done, total)`` is called after each code cell (for a progress bar).
    Raises :class:`NotebookError` naming the cell and the error when a cell fails,
    unless ``allow_errors=True`` (then the error is kept as the cell's output).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such notebook")
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:  # nbformat raises several types for a bad file
        raise NotebookError(f"{source}: not a readable notebook ({exc})") from exc
    total = sum(1 for c in nb.cells if c.cell_type == "code")
    done = 0

    def cell_done(**_: Any) -> None:
        nonlocal done
        done += 1
        if on_cell:
            on_cell(done, total)

    client = NotebookClient(
        nb,
        timeout=timeout,
        resources={"metadata": {"path": str(source.resolve().parent)}},
        on_cell_executed=cell_done,
        allow_errors=allow_errors,
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next(
            (i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error"
                                                     for o in c.get("outputs", []))),
            None,
        )  # fmt: skip
        where = f"cell {index + 1}" if index is not None else "a cell"
        raise NotebookError(f"{source}: {where} failed: {_error_line(exc)}") from exc
    return nb


def _error_line(exc: Exception) -> str:
    ename = getattr(exc, "ename", "") or type(exc).__name__
    evalue = getattr(exc, "evalue", "") or str(exc).strip().splitlines()[-1:][0]
    return f"{ename}: {evalue}"


def make_static(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Make the outputs of ``nb`` render offline (in place): every plotly figure gets an
    HTML view (plotly.js embedded before the first one), CDN script tags are dropped,
    and widgets are replaced by a note."""
    loaded = False  # plotly.js defined by an earlier output (notebook renderer or ours)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if WIDGET_MIME in data:
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": "Interactive app"}
                continue
            html = data.get("text/html")
            if isinstance(html, list):
                html = "".join(html)
            if isinstance(html, str):
                loaded = loaded or "window.PlotlyConfig" in html
                data["text/html"] = CDN_SCRIPT.sub("", html)
            elif PLOTLY_MIME in data:
                data["text/html"] = pio.to_html(
                    dict(data[PLOTLY_MIME]),
                    include_plotlyjs=not loaded,
                    full_html=False,
                    include_mathjax=False,
                    validate=False,
                )
                loaded = True
    nb.metadata.pop("widgets", None)
    return nb


def notebook_to_html(nb: nbformat.NotebookNode) -> str:
    """Convert an executed notebook to one offline HTML page."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: OFFLINE_TEMPLATE})],
        template_file=TEMPLATE_NAME,
    )
    body, _ = exporter.from_notebook_node(make_static(nb))
    return str(body)


def render_notebook(
    notebook: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    timeout: int = 600,
    on_cell: Callable[[int, int], None] | None = None,
    allow_errors: bool = False,
) -> Path:
    """Execute ``notebook`` and write it to ``path`` as one offline HTML file; return the path.

    An existing ``path`` raises :class:`FileExistsError` unless ``overwrite=True``
    (checked before the notebook runs).
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} already exists; pass overwrite=True to replace it")
    nb = execute_notebook(notebook, timeout=timeout, on_cell=on_cell, allow_errors=allow_errors)
    return write_atomic(target, notebook_to_html(nb), overwrite=overwrite)
