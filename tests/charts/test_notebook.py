"""In a real kernel, use_offline_renderer() makes figures carry both the live plotly
mimetype and offline HTML with plotly.js embedded (what nbconvert HTML shows)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

CODE = """\
import litreview
from litreview import charts
renderer = charts.use_offline_renderer()
print(renderer)
charts.timeline(litreview.read_listing(litreview.SAMPLE_LISTING), freq="Y").show()
"""


def test_offline_renderer_in_a_kernel_outputs_mimetype_and_embedded_html(tmp_path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CODE)])
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    assert "plotly_mimetype+litreview_notebook" in "".join(o.get("text", "") for o in outputs)
    bundles = [o.data for o in outputs if o.output_type in ("display_data", "execute_result")]
    assert any("application/vnd.plotly.v1+json" in b for b in bundles)
    html = "".join(b.get("text/html", "") for b in bundles)
    assert "plotly.js v" in html  # the library itself, embedded once by the notebook renderer
    assert 'src="https://cdn' not in html
