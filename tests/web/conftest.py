"""The web tests use the shared ``apis`` (the local stand-in APIs on 127.0.0.1) and
``web_env`` (fresh cache, no rate limits, short backoffs) fixtures of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def env(web_env: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """``web_env``, which ``point`` then aims at a :class:`tests.web.real_server.RealServer`."""
    yield web_env
