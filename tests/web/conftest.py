"""The local stand-in APIs for the web tests: a real HTTP server on 127.0.0.1 (port 0)
answering from tests/fixtures/web/catalogue.json, with litreview pointed at it through
the base-URL variables, a fresh cache directory, no rate limits and short backoffs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from litreview.web.local_server import LocalAPIs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web"


def catalogue() -> list[dict]:
    return json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))["papers"]


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalAPIs]:
    with LocalAPIs(catalogue()) as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path / "web-cache"))
        monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "0")
        monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
        monkeypatch.setenv("LITREVIEW_TIMEOUT", "2")
        monkeypatch.delenv("LITREVIEW_OFFLINE", raising=False)
        yield server


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A fresh cache, no rate limits, short backoffs; ``point`` then aims litreview at a
    :class:`tests.web.real_server.RealServer`."""
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "0")
    monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
    monkeypatch.setenv("LITREVIEW_TIMEOUT", "2")
    monkeypatch.delenv("LITREVIEW_OFFLINE", raising=False)
    yield monkeypatch
