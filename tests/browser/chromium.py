"""Headless Chromium for the browser tests, launched as /work/shared/TESTING.md says.

Debian's ``/usr/bin/chromium`` (``playwright install`` does not work on these
machines) with the flags that avoid hangs on a closed network and a fresh
profile folder per test. :func:`offline_page` also cuts the network: every
request that is not a ``file://`` one is aborted and recorded, so a test can
assert that a page asked for nothing outside itself::

    with offline_page(tmp_path / "profile") as tab:
        tab.page.goto(html.as_uri())
    assert tab.blocked == [] and tab.failed == [] and tab.errors == []

Imported by the tests as ``browser`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium(profile: Path, **options: Any) -> Iterator[BrowserContext]:
    """A headless Chromium context with its own profile in ``profile`` (a fresh folder);
    ``options`` go to Playwright's ``launch_persistent_context`` (``viewport=...``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, **options
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class OfflinePage:
    """A page with the network cut off, and what it tried: ``blocked`` holds the URLs of
    the non-file requests that were aborted, ``failed`` every failed request, ``errors``
    the uncaught page errors."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def offline_page(profile: Path) -> Iterator[OfflinePage]:
    """A page in a fresh headless Chromium (see :func:`chromium`) that may load only
    ``file://`` URLs; the browser is closed on exit."""
    with chromium(profile) as context:
        blocked: list[str] = []

        def only_files(route: Route) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        tab = OfflinePage(context.new_page(), blocked=blocked)
        tab.page.on("requestfailed", lambda request: tab.failed.append(request.url))
        tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        yield tab


def code_notebook(cells: list[str]) -> nbformat.NotebookNode:
    """A notebook of code cells with the Python 3 kernelspec, as the render tests write it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb
