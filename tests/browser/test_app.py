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
from litreview.app import TABS
from litreview.web.local_server import LocalAPIs
from tests.browser.chromium import chromium
from tests.paths import FIXTURES, TESTS

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
def web() -> Iterator[LocalAPIs]:
    """The web APIs the notebook and the app ask, answered by the local stand-in."""
    papers = json.loads((FIXTURES / "web" / "catalogue.json").read_text(encoding="utf-8"))
    with LocalAPIs(papers["papers"]) as apis:
        yield apis


@pytest.fixture
def server_env(tmp_path: Path, web: LocalAPIs) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LITREVIEW_OFFLINE", None)
    env.update(
        **web.env(),
        LITREVIEW_CACHE_DIR=str(tmp_path / "web-cache"),
        LITREVIEW_RATE_LIMIT="0",
        LITREVIEW_BACKOFF="0.01",
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
#: JupyterLab's command-mode keys (Notebook shortcuts): each would change the notebook,
#: the kernel or the page if it escaped the app.
LAB_KEYS = ["m", "y", "r", "a", "b", "d", "d", "i", "i", "0", "0", "x", "c", "v", "z",
            "Shift+m", "Shift+l", "l", "o", "s", "Enter", "Shift+Enter", "j", "k", "ArrowDown",
            "Escape"]  # fmt: skip


def shot(page: Any, name: str) -> None:
    """A screenshot of the viewport with the app at its top, in exports/screenshots/."""
    print(f"{name}: {time.monotonic() - T0[0]:.1f} s")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".litreview-app").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(150)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_tab(page: Any, title: str) -> None:
    page.locator(".litreview-app .lm-TabBar-tab", has_text=title).click()


def notebook_shape(page: Any) -> list[str]:
    """The kind of every cell of the open notebook (what command-mode keys change)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(c =>"
        " c.classList.contains('jp-MarkdownCell') ? 'markdown' :"
        " c.classList.contains('jp-RawCell') ? 'raw' : 'code')"
    )


def box(locator: Any) -> dict[str, float]:
    locator.wait_for(state="visible")  # a card being redrawn has no box for a moment
    found = locator.bounding_box()
    assert found is not None
    return dict(found)


def check_browse_layout(page: Any) -> None:
    """The table fits (no horizontal scroll), shows title, date and decision, one-line pager."""
    wrap = page.locator(".lr-table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "table scrolls sideways"
    app = box(page.locator(".litreview-app"))
    table = box(page.locator(".lr-results table"))
    assert table["x"] + table["width"] <= app["x"] + app["width"] + 1
    heads = page.locator(".lr-results th").all_inner_texts()
    assert heads[:3] == ["Title", "Date", "Decision"], heads
    for cls in ("title", "date", "decision"):
        cell = box(page.locator(f".lr-results td.lr-col-{cls}").first)
        assert cell["width"] > 40 and cell["x"] + cell["width"] <= app["x"] + app["width"] + 1
    pager = page.locator(".lr-pager-text")
    assert pager.evaluate("e => e.getBoundingClientRect().height") < 30  # one line


def press_lab_keys(page: Any, focus: Any) -> None:
    """Press every command-mode key with focus in the app: the notebook must not change."""
    before = notebook_shape(page)
    focus.click()
    for key in LAB_KEYS:
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert notebook_shape(page) == before, "a key reached JupyterLab"
    assert page.locator(".jp-Dialog").count() == 0  # no "Restart kernel?" (0 0)
    assert page.locator(".litreview-app").count() == 1
    assert page.locator(".jp-Notebook .jp-mod-editMode").count() == 0  # Enter: no edit mode


def screen_by_keys(page: Any, n: int, total: int) -> int:
    """Screen ``n`` papers with keys only (include, maybe, exclude with reason 1)."""
    label = page.locator(".lr-screen-label")
    done = int(label.inner_text().split()[0])
    plan = [["i"], ["e", "1", "Enter"], ["m"], ["e", "3", "Enter"], ["i"]]
    for step in range(n):
        for key in plan[step % len(plan)]:
            page.keyboard.press(key)
        done += 1
        label.filter(has_text=f"{done} of {total} screened").wait_for(timeout=10_000)
    return done


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
        assert page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").count()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
        app = page.locator(".litreview-app")
        app.wait_for(timeout=60_000)
        page.get_by_text("(ipykernel) | Idle").wait_for(timeout=60_000)  # the cells after it
        print(f"ran: {time.monotonic() - T0[0]:.1f} s")

        # Browse at 1400x1000 with the file browser open: the table fits
        page.locator(".lr-query input").fill("vision")
        count = page.locator(".lr-count")
        page.wait_for_function(
            "() => !document.querySelector('.lr-count').textContent.startsWith('36 ')"
        )
        n_matched = int(count.inner_text().split()[0])
        assert 0 < n_matched < 36
        check_browse_layout(page)
        assert page.locator(".lr-results th", has_text="Score").count() == 1
        first = page.locator(".lr-results tr[data-id]").first
        paper_id = first.get_attribute("data-id")
        press_lab_keys(page, first)  # focus on a row of the table
        press_lab_keys(page, page.locator(".lr-toolbar b").first)  # on the app's title
        shot(page, "browse-1400")

        # open a paper, include it, tag it (Enter in the tag box), write a note
        first.click()
        page.locator(".lr-paper-card h3").first.wait_for()
        assert page.locator(".lr-paper-card mark").count() > 0  # query terms highlighted
        page.locator(".lr-include:visible").click()
        page.locator(".lr-status-area", has_text="decision=include").wait_for()
        page.locator(".lr-chip-include").first.wait_for()
        page.locator(".lr-new-tag:visible input").fill("must-read")
        page.keyboard.press("Enter")
        page.locator(".lr-tag:visible", has_text="must-read").wait_for()
        page.locator(".lr-note:visible textarea").fill("great ablations")
        page.get_by_text("note saved").first.wait_for(timeout=10_000)
        check_browse_layout(page)
        shot(page, "paper-1400")

        # screening, keyboard only: the paper's title near the top, e 2 Enter, 20 papers
        page.locator(".lr-query input").fill("")
        count.filter(has_text="36 of 36").wait_for()
        open_tab(page, "Screening")
        label = page.locator(".lr-screen-label")
        label.filter(has_text="1 of 36 screened · paper 2 of 36").wait_for()
        title = page.locator(".lr-screening .lr-paper-card h3")
        assert box(title)["y"] - box(app)["y"] < 300
        shown = page.locator(".lr-screening .lr-paper-card h3").inner_text()
        page.locator(".lr-screening .lr-screen-label").click()  # focus in the tab
        page.keyboard.press("e")
        page.keyboard.press("2")
        page.locator(".lr-screen-prompt", has_text="wrong study type").wait_for()
        page.keyboard.press("Enter")
        label.filter(has_text="2 of 36 screened").wait_for()
        assert box(title)["y"] - box(app)["y"] < 300
        page.keyboard.press("t")  # t: the tag box, Esc: back to the keys
        assert page.evaluate("document.activeElement.closest('.lr-screen-tag') !== null")
        page.keyboard.press("Escape")
        done = screen_by_keys(page, 20, 36)
        assert "by priority" in label.inner_text()  # re-ranked every 5 decisions: says so
        shot(page, "screening-1400")

        open_tab(page, "Charts")
        page.locator(".lr-charts .js-plotly-plot").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        shot(page, "charts-1400")

        open_tab(page, "Export")
        page.locator(".lr-export-what select").select_option(index=1)  # included papers
        name = page.locator(".lr-export-name input")
        page.wait_for_function(
            "() => document.querySelector('.lr-export-name input').value.includes('included')"
        )
        assert name.input_value() == "litreview-included.bib"
        page.locator(".lr-export-go").click()
        page.locator(".lr-export-result pre").wait_for()
        # the long status line (a path) neither wraps the toolbar nor squeezes its buttons
        bar = page.locator(".lr-toolbar")
        assert bar.evaluate("e => e.getBoundingClientRect().height") < 40
        assert page.locator(".lr-undo").evaluate("e => e.scrollWidth <= e.clientWidth")
        shot(page, "export-1400")

        page.set_viewport_size({"width": 1920, "height": 1080})
        for tab in TABS:
            open_tab(page, tab)
            page.wait_for_timeout(400)
            if tab == "Browse":
                check_browse_layout(page)
                beside = box(page.locator(".lr-reader"))
                assert beside["x"] > box(page.locator(".lr-results table"))["x"]  # beside
            shot(page, f"{tab.lower()}-1920")
        assert not [e for e in errors if "litreview" in e or "lr-" in e]
    finally:
        stop(proc)

    with litreview.Review.open(
        tmp_path / "exports" / "sample-review.litreview", reviewer=REVIEWER
    ) as review:
        papers = review.papers.set_index("paper_id")
    mine = papers.loc[paper_id]
    assert (mine.decision, mine.tags, mine.note) == ("include", ["must-read"], "great ablations")
    excluded = papers[papers["title"] == shown].iloc[0]
    assert (excluded.decision, excluded.reason) == ("exclude", "wrong study type")
    assert int((papers["decision"] != "unscreened").sum()) == done == 22
    assert (papers["reason"] == "off topic").sum() == 4  # "e 1 Enter", 4 times in 20
    bib = (tmp_path / "exports" / "litreview-included.bib").read_text(encoding="utf-8")
    assert bib.count("@") == int((papers["decision"] == "include").sum())


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
        outside: list[str] = []

        def local_only(route: Any) -> None:  # the page may ask nothing of another machine
            if route.request.url.startswith(f"http://127.0.0.1:{port}/"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", local_only)
        page.goto(url, timeout=60_000)
        page.locator(".litreview-app").wait_for(timeout=60_000)
        assert page.title() == "litreview · screening"
        heading = page.locator("h1").first.inner_text()
        assert heading.startswith("litreview") and "LITREVIEW_" not in page.content()
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
        assert outside == []
    finally:
        stop(proc)
    with litreview.Review.open(review_path, reviewer=REVIEWER) as review:
        assert (review.papers["decision"] == "maybe").sum() == 1


def team_review(path: Path) -> list[str]:
    """ada and bob disagree on papers 2-4 (blind mode is on); cy resolves; one paper's
    title is shared by two papers on the web (its completion waits for confirmation)."""
    ada = litreview.Review.open(path, reviewer="ada")
    bob = litreview.Review.open(path, reviewer="bob")
    try:
        ada.add(litreview.SAMPLE_LISTING)
        ada.add("@misc{v, title={Attention Is All You Need}, year={2017}}\n")
        ids = ada.papers["paper_id"].tolist()
        ada.annotate(ids[:5], decision="include", note="ada: in scope")
        bob.annotate(ids[:2], decision="include")
        bob.annotate(ids[2:5], decision="exclude", reason="off topic", note="bob: no")
        ada.set_resolvers(["cy"])
        ada.define_field("sample_size", "number", description="participants analysed")
        ada.define_field("design", "choice", options=["RCT", "cohort", "case study"])
        return ids
    finally:
        ada.close()
        bob.close()


def test_voila_team_views(
    tmp_path: Path, server_env: dict[str, str], browser: Any, web: LocalAPIs
) -> None:
    """The resolver's app (issue 19, issue 16): the blind badge, the conflicts queue
    settled by clicks, the full-text stage with a location and a not-retrieved mark, and
    completing metadata with an uncertain match accepted; all of it on disk."""
    review_path = tmp_path / "team.litreview"
    ids = team_review(review_path)
    env = {k: v for k, v in server_env.items() if k not in ("LITREVIEW_TOKEN", "JUPYTER_TOKEN")}
    port = free_port()
    cmd = [sys.executable, "-m", "litreview", "app", str(review_path), f"--port={port}",
           "--no-browser", "--reviewer", "cy"]  # fmt: skip
    out = tmp_path / "voila.out"
    proc = serve(cmd, tmp_path, env, out)
    try:
        prefix = f"http://127.0.0.1:{port}/?token="
        deadline = time.monotonic() + 30
        while not (urls := [u for u in out.read_text("utf-8").split() if u.startswith(prefix)]):
            assert time.monotonic() < deadline and proc.poll() is None, out.read_text("utf-8")
            time.sleep(0.1)
        wait_status(f"http://127.0.0.1:{port}/", proc, (302, 403))
        page = browser.new_page()
        page.goto(urls[0], timeout=60_000)
        page.locator(".litreview-app").wait_for(timeout=60_000)
        page.locator(".lr-count", has_text="37 of 37 papers").wait_for()
        badge = page.locator(".lr-team-badge")
        assert "blind" in badge.inner_text() and "resolver" in badge.inner_text()
        tip = badge.get_attribute("title") or ""
        assert "ada: 5 screened" in tip and "bob: 5 screened" in tip

        # the conflicts queue: each reviewer's decision, then a final exclusion
        open_tab(page, "Conflicts")
        label = page.locator(".lr-conflicts-label")
        label.filter(has_text="3 open conflicts").wait_for()
        table = page.locator(".lr-conflict-decisions")
        table.filter(has_text="bob: no").wait_for()
        assert "ada: in scope" in table.inner_text()
        shot(page, "conflicts-1400")
        page.locator(".lr-resolve-reason input").fill("not about vision")
        page.locator(".lr-resolve-exclude").click()
        label.filter(has_text="2 open conflicts").wait_for()
        page.locator(".lr-resolve-include").click()
        label.filter(has_text="1 open conflict ").wait_for()

        # complete metadata: one uncertain match, accepted
        open_tab(page, "Browse")
        page.locator(".lr-query input").fill("attention is all you need")
        page.locator(".lr-count", has_text="1 of 37").wait_for()
        page.locator(".lr-enrich").click()
        page.locator(".lr-enrich-confirm", has_text="1 uncertain title match").wait_for(
            timeout=30_000
        )
        assert "1706.03762" in page.locator(".lr-enrich-matches").inner_text()
        shot(page, "enrich-1400")
        page.locator(".lr-enrich-accept").click()
        page.locator(".lr-status-area", has_text="1 completed").wait_for(timeout=30_000)
        page.locator(".lr-query input").fill("")
        page.locator(".lr-count", has_text="37 of 37").wait_for()

        # the full-text stage: the papers the review included, a location, not retrieved
        page.locator(".lr-stage select").select_option(label="Full text")
        page.locator(".lr-count", has_text="of 3 papers").wait_for()  # 0, 1 agreed; 3 resolved
        page.locator(".lr-results tr[data-id]").first.click()
        page.locator(".lr-fulltext-location:visible input").fill("https://arxiv.org/pdf/2401.1")
        page.keyboard.press("Enter")
        page.locator(".lr-fulltext-link:visible a").wait_for()
        page.locator(".lr-results tr[data-id]").nth(1).click()
        page.locator(".lr-not-retrieved:visible input").check()
        page.locator(".lr-status-area", has_text="not retrieved").wait_for()
        # the extraction form: a number typed and Enter, a choice picked, a refused value
        size = page.locator(".lr-reader .lr-field-sample_size input")
        size.fill("many")
        size.press("Enter")
        page.locator(".lr-reader .lr-field-error", has_text="is a number").wait_for()
        size.fill("240")
        size.press("Enter")
        page.locator(".lr-status-area", has_text="sample_size").wait_for()
        page.locator(".lr-reader .lr-field-design select").select_option("cohort")
        page.locator(".lr-status-area", has_text="cohort").wait_for()
        shot(page, "fulltext-1400")
        open_tab(page, "Screening")
        page.locator(".lr-screen-label", has_text="0 of 3 screened").wait_for()
        page.locator(".lr-screening .lr-screen-label").click()
        page.keyboard.press("e")
        page.keyboard.press("1")
        page.keyboard.press("Enter")
        page.locator(".lr-screen-label", has_text="1 of 3 screened").wait_for()
        shot(page, "fulltext-screening-1400")
    finally:
        stop(proc)
    with litreview.Review.open(review_path, reviewer="cy") as cy:
        final = cy.final().set_index("paper_id")
        assert final.loc[ids[2], ["final_decision", "final_reason"]].tolist() == [
            "exclude", "not about vision"
        ]  # fmt: skip
        assert final.loc[ids[3], "final_decision"] == "include"
        records = cy.fulltext().set_index("paper_id")
        assert records["location"].dropna().tolist() == ["https://arxiv.org/pdf/2401.1"]
        assert int(records["not_retrieved"].sum()) == 1
        full = cy.decisions("fulltext").set_index("paper_id")["cy"].astype(str)
        assert (full == "exclude").sum() == 1
        values = cy.extraction(reviewer="cy")
        assert values[["sample_size", "design"]].astype(str).values.tolist() == [["240", "cohort"]]
        attention = cy.papers.set_index("title").loc["Attention Is All You Need"]
        assert attention["arxiv_id"] == "1706.03762"
    assert web.count("/") > 0
