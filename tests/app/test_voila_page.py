"""The Voila page of ``litreview app``: its template asks nothing of other machines and
its title page speaks to the user, not to a developer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litreview.cli import app_server


def test_template_is_written_where_voila_looks_and_loads_nothing_remote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    paths = app_server.template_path().split(":")
    root = Path(paths[0])
    assert paths[1:] == ["/elsewhere"] and root.is_relative_to(tmp_path)
    folder = root / "voila" / "templates" / app_server.TEMPLATE
    assert json.loads((folder / "conf.json").read_text("utf-8")) == {"base_template": "lab"}
    page = (folder / "index.html.j2").read_text("utf-8")
    assert "http" not in page and "super.super()" in page
    assert f"--template={app_server.TEMPLATE}" in app_server.app_command(8870)


def test_app_notebook_has_a_title_page() -> None:
    nb = json.loads(app_server.app_notebook().read_text("utf-8"))
    assert nb["metadata"]["title"] == "litreview · screening"
    text = "".join(nb["cells"][0]["source"])
    assert text.startswith("# litreview") and "LITREVIEW_" not in text
