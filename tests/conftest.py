"""Fixtures shared by the test modules (append new ones; keep each closing what it opens)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import litreview
from litreview import Review
from litreview.web.local_server import LocalAPIs
from tests.paths import FIXTURES


def _cannot(reason: str) -> None:
    """Skip where the machine cannot do it, but never in CI (CI=true): fail there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Mount small tmpfs file systems (as root): ``tmpfs("4m")`` returns the folder;
    ``remount(folder, "ro")`` via :func:`remount`. Unmounted at teardown."""
    mounted: list[Path] = []

    def mount(size: str = "4m", name: str = "disk") -> Path:
        folder = tmp_path / f"{name}{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            _cannot(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount(target: Path, options: str, *, bind: bool = False) -> None:
    """``mount -o remount,OPTIONS`` (``bind`` for a file bind-mounted onto itself)."""
    if bind:
        subprocess.run(["mount", "--bind", str(target), str(target)], check=True)
    flags = f"remount,{options}" + (",bind" if bind else "")
    subprocess.run(["mount", "-o", flags, str(target)], check=True)


@pytest.fixture
def review(tmp_path: Path) -> Iterator[Review]:
    """A review on the bundled sample (36 papers, reviewer ``ada``) at
    ``tmp_path / "r.litreview"``, closed afterwards.

    Test modules that need another set-up define their own ``review`` fixture.
    """
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as opened:
        opened.add(litreview.SAMPLE_LISTING)
        yield opened


@pytest.fixture(scope="session")
def listing_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deterministic 10,000-paper plain-text listing (the benchmarks' generator)."""
    from benchmarks.generate import write_listing

    return write_listing(tmp_path_factory.mktemp("listings") / "listing-10k.txt", 10_000)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A PostgreSQL server of this test session (tests/pg_server.py), stopped after; a
    machine without Debian's ``postgresql`` package skips (CI: fails)."""
    from tests.pg_server import PgServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        _cannot("PostgreSQL is not installed (apt-get install postgresql)")
    server = PgServer(bin_dir)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


BACKENDS = ("file", "postgresql")


@pytest.fixture(params=BACKENDS)
def locate(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str | Path]:
    """``locate("name")``: where a review called ``name`` lives in this test's backend
    (a file in ``tmp_path``, or a fresh schema on the session's PostgreSQL server).
    Tests taking it run once per backend; the same name gives the same review."""
    if request.param == "file":
        return lambda name="r": tmp_path / f"{name}.litreview"
    server = request.getfixturevalue("pg_server")
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(server.dir / "cache"))  # side files
    prefix = "t" + os.urandom(5).hex()
    return lambda name="r": server.url(f"{prefix}-{name}".lower())


@pytest.fixture
def web_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """litreview's web settings for a local stand-in: a fresh cache under ``tmp_path``, no
    rate limits, short backoffs and timeouts, not offline."""
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path / "web-cache"))
    monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "0")
    monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
    monkeypatch.setenv("LITREVIEW_TIMEOUT", "2")
    monkeypatch.delenv("LITREVIEW_OFFLINE", raising=False)
    yield monkeypatch


def web_catalogue() -> list[dict]:
    """The recorded papers the local stand-in APIs answer from."""
    text = (FIXTURES / "web" / "catalogue.json").read_text(encoding="utf-8")
    return json.loads(text)["papers"]  # type: ignore[no-any-return]


@pytest.fixture
def apis(web_env: pytest.MonkeyPatch) -> Iterator[LocalAPIs]:
    """The local stand-in APIs (a real HTTP server on 127.0.0.1, port 0) answering from
    tests/fixtures/web/catalogue.json, with litreview's base URLs pointed at it."""
    with LocalAPIs(web_catalogue()) as server:
        for name, value in server.env().items():
            web_env.setenv(name, value)
        yield server
