"""Offline rendering: figures that show in JupyterLab, in exported notebook HTML and in
standalone HTML files, with plotly.js embedded (no CDN, no network)."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import NotebookRenderer

#: plotly's "notebook" renderer without the MathJax <script> it loads from a CDN.
OFFLINE_NOTEBOOK = "litreview_notebook"
#: The renderer that works live in JupyterLab and offline in nbconvert HTML.
NOTEBOOK_RENDERER = f"plotly_mimetype+{OFFLINE_NOTEBOOK}"
_CDN_MATHJAX = re.compile(r'<script[^>]*\bsrc="https?://[^"]*mathjax[^"]*"[^>]*>\s*</script>', re.I)


class OfflineNotebookRenderer(NotebookRenderer):  # type: ignore[misc]
    """plotly's ``notebook`` renderer (plotly.js embedded once per notebook) minus the
    MathJax script every figure loads from cdnjs: offline that request fails, and
    litreview's charts use no LaTeX."""

    def to_mimebundle(self, fig_dict: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = super().to_mimebundle(fig_dict)
        bundle["text/html"] = _CDN_MATHJAX.sub("", bundle["text/html"])
        return bundle


def in_kernel() -> bool:
    """True when running inside a Jupyter kernel (not a plain Python or IPython shell)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel always brings IPython
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def use_offline_renderer(force: bool = False) -> str:
    """In a notebook kernel (or with ``force=True``) set plotly's default renderer to
    ``"plotly_mimetype+litreview_notebook"``: live figures in JupyterLab, and HTML
    with plotly.js embedded (no CDN, not even MathJax) that exported notebooks show
    offline. Returns the default renderer in effect.

    This is the one global setting litreview touches, and only when asked.

    >>> use_offline_renderer() == pio.renderers.default  # outside a kernel: unchanged
    True
    """
    if force or in_kernel():
        if OFFLINE_NOTEBOOK not in pio.renderers:
            pio.renderers[OFFLINE_NOTEBOOK] = OfflineNotebookRenderer()
        pio.renderers.default = NOTEBOOK_RENDERER
    return str(pio.renderers.default)


def to_html(figures: go.Figure | Sequence[go.Figure], *, title: str = "litreview charts") -> str:
    """A standalone HTML page showing the figures, plotly.js embedded once.

    >>> html = to_html(go.Figure())
    >>> "<html" in html and 'src="http' not in html
    True
    """
    figs = [figures] if isinstance(figures, go.Figure) else list(figures)
    if not figs:
        raise ValueError("to_html() needs at least one figure")
    parts = [
        pio.to_html(fig, include_plotlyjs=(i == 0), full_html=False, include_mathjax=False)
        for i, fig in enumerate(figs)
    ]
    body = "\n".join(f'<div class="litreview-chart">{p}</div>' for p in parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def write_html(
    figures: go.Figure | Sequence[go.Figure], path: str | Path, *, title: str = "litreview charts"
) -> Path:
    """Write the figures to ``path`` as one offline HTML file (plotly.js embedded); return the path.

    >>> import tempfile, pathlib
    >>> out = write_html(go.Figure(), pathlib.Path(tempfile.mkdtemp()) / "chart.html")
    >>> out.stat().st_size > 1_000_000
    True
    """
    out = Path(path)
    out.write_text(to_html(figures, title=title), encoding="utf-8")
    return out
