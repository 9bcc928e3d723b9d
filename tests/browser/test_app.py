"""The review app in real browsers: JupyterLab (notebooks/review.ipynb) and Voila (app.ipynb).

Both drive Debian's Chromium through Playwright and then check what the kernel
wrote: the review file and the exported BibTeX. Screenshots of every tab at
1400x1000 go to the repository's ``exports/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import litreview
from tests.browser.chromium import chromium
from tests.paths import TESTS

pytestmark = pytest.mark.browser

ROOT = TESTS.parent
NOTEBOOK = ROOT / "notebooks" / "review.ipynb"
SCREENSHOTS = ROOT / "exports" / "screenshots"
TOKEN = "litreview-test-token"
REVIEWER = "browser-test"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LITREVIEW_REVIEWER=REVIEWER,
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    no_news = {"fetchNews": "false", "checkForUpdates": False}  # no toast over the app
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(no_news), "utf-8")
    return env


def wait_status(
    url: str, proc: subprocess.Popen[bytes], expected: tuple[int, ...], timeout: float = 60
) -> int:
    """The first status ``url`` answers with once the server is up (no redirect followed)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
        try:
            conn.request("GET", parts.path or "/")
            status = conn.getresponse().status
        except OSError:
            time.sleep(0.2)
            continue
        finally:
            conn.close()
        assert status in expected, (url, status)
        return status
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def serve(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "profile", viewport={"width": 1400, "height": 1000}) as context:
        yield context


def lab_notebook(tmp_path: Path) -> Path:
    """``notebooks/review.ipynb`` and an ``exports/`` sibling, as in the repository."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "exports").mkdir()
    target = tmp_path / "notebooks" / "review.ipynb"
    shutil.copy(NOTEBOOK, target)
    return target


T0 = [time.monotonic()]


def shot(page: Any, name: str) -> None:
    print(f"{name}: {time.monotonic() - T0[0]:.1f} s")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_tab(page: Any, title: str) -> None:
    page.locator(".litreview-app .lm-TabBar-tab", has_text=title).click()


def test_jupyterlab_review_notebook(
    tmp_path: Path, server_env: dict[str, str], browser: Any
) -> None:
    lab_notebook(tmp_path)
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
           f"--ServerApp.token={TOKEN}", "--ServerApp.ip=127.0.0.1", "--allow-root",
           f"--ServerApp.root_dir={tmp_path}"]  # fmt: skip
    proc = serve(cmd, tmp_path, server_env, tmp_path / "lab.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", proc)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"http://127.0.0.1:{port}/lab/tree/notebooks/review.ipynb?token={TOKEN}&reset")
        T0[0] = time.monotonic()
        page.get_by_text("(ipykernel) | Idle").wait_for(timeout=60_000)
        shot(page, "idle")
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
        app = page.locator(".litreview-app")
        app.wait_for(timeout=60_000)
        page.get_by_text("(ipykernel) | Idle").wait_for(timeout=60_000)  # the cells after it
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()  # room

        app.scroll_into_view_if_needed()
        shot(page, "ran")

        # type a query: the count and the table follow
        page.locator(".lr-query input").fill("vision")
        count = page.locator(".lr-count")
        count.filter(has_text="of 36 papers").wait_for()
        page.wait_for_function(
            "() => !document.querySelector('.lr-count').textContent.startsWith('36 ')"
        )
        n_matched = int(count.inner_text().split()[0])
        assert 0 < n_matched < 36
        shot(page, "browse")

        # open a paper, include it, tag it, write a note
        first = page.locator(".lr-results tr[data-id]").first
        paper_id = first.get_attribute("data-id")
        first.click()
        page.locator(".lr-paper-card h3").first.wait_for()
        assert page.locator(".lr-paper-card mark").count() > 0  # query terms highlighted
        page.locator(".lr-include:visible").click()
        page.locator(".lr-status-area", has_text="decision=include").wait_for()
        page.locator(".lr-new-tag:visible input").fill("must-read")
        page.locator(".lr-add-tag:visible").click()
        page.locator(".lr-tag:visible", has_text="must-read").wait_for()
        page.locator(".lr-note:visible textarea").fill("great ablations")
        page.get_by_text("note saved").first.wait_for(timeout=10_000)
        shot(page, "paper")

        # screening: keyboard only
        open_tab(page, "Screening")
        label = page.locator(".lr-screen-label")
        n = n_matched  # screening works through the current selection
        label.filter(has_text=f"1 of {n} screened · paper 2 of {n}").wait_for()
        page.locator(".lr-screen-keys").click()

        def press(key: str, expect: str) -> None:
            page.keyboard.press(key)
            label.filter(has_text=expect).wait_for(timeout=10_000)

        press("i", f"2 of {n} screened · paper 3 of")
        press("m", f"3 of {n} screened · paper 4 of")
        press("k", f"paper 3 of {n}")
        press("j", f"paper 4 of {n}")
        press("u", f"2 of {n} screened · paper 3 of")
        assert page.locator(".litreview-app").count() == 1  # "m" did not turn the cell to Markdown
        shot(page, "screening")

        open_tab(page, "Charts")
        page.locator(".lr-charts .js-plotly-plot").first.wait_for(timeout=30_000)
        shot(page, "charts")

        open_tab(page, "Export")
        page.locator(".lr-export-go").click()
        page.locator(".lr-export-result pre").wait_for()
        shot(page, "export")
        assert not [e for e in errors if "litreview" in e or "lr-" in e]
    finally:
        stop(proc)

    with litreview.Review.open(
        tmp_path / "exports" / "sample-review.litreview", reviewer=REVIEWER
    ) as review:
        papers = review.papers.set_index("paper_id")
    mine = papers.loc[paper_id]
    assert (mine.decision, mine.tags, mine.note) == ("include", ["must-read"], "great ablations")
    assert papers["decision"].value_counts().to_dict()["include"] == 2
    assert (papers["decision"] == "maybe").sum() == 0  # undone with "u"
    bib = (tmp_path / "exports" / "litreview-selection.bib").read_text(encoding="utf-8")
    assert bib.count("@") == n_matched


def test_voila_serves_the_app(tmp_path: Path, server_env: dict[str, str], browser: Any) -> None:
    """``litreview app`` as a user runs it: the page opens from the URL it prints (the
    token in it), and the kernel's websocket works behind the token and Host check."""
    review_path = tmp_path / "voila.litreview"
    with litreview.Review.open(review_path, reviewer=REVIEWER) as review:
        review.add(litreview.SAMPLE_LISTING)
    env = {k: v for k, v in server_env.items() if k not in ("LITREVIEW_TOKEN", "JUPYTER_TOKEN")}
    port = free_port()
    cmd = [sys.executable, "-m", "litreview", "app", str(review_path), f"--port={port}",
           "--no-browser"]  # fmt: skip
    out = tmp_path / "voila.out"
    proc = serve(cmd, tmp_path, env, out)
    try:
        prefix = f"http://127.0.0.1:{port}/?token="
        deadline = time.monotonic() + 30
        while not (urls := [u for u in out.read_text("utf-8").split() if u.startswith(prefix)]):
            assert time.monotonic() < deadline and proc.poll() is None, out.read_text("utf-8")
            time.sleep(0.1)
        url = urls[0]
        wait_status(f"http://127.0.0.1:{port}/", proc, (302, 403))  # no page without it
        page = browser.new_page()
        page.goto(url, timeout=60_000)
        page.locator(".litreview-app").wait_for(timeout=60_000)
        page.locator(".lr-count", has_text="36 of 36 papers").wait_for()
        rows = page.locator(".lr-results tr[data-id]")
        assert rows.count() == 36
        rows.nth(1).click()
        page.locator(".lr-paper-card h3").wait_for()
        page.locator(".lr-maybe:visible").click()
        page.locator(".lr-status-area", has_text="decision=maybe").wait_for()
        shot(page, "voila")
        open_tab(page, "Charts")
        page.locator(".lr-charts .js-plotly-plot").first.wait_for(timeout=30_000)
        shot(page, "voila-charts")
    finally:
        stop(proc)
    with litreview.Review.open(review_path, reviewer=REVIEWER) as review:
        assert (review.papers["decision"] == "maybe").sum() == 1
