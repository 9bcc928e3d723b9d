"""The real ``litreview app`` (Voila) on 127.0.0.1: no page or kernel without the token,
and no answer to a foreign ``Host`` (DNS rebinding), as Jupyter Server does.

One server for the module (Voila takes a few seconds to start); requests go through
http.client so the ``Host`` header is exactly what a rebinding page would send.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import litreview

pytestmark = pytest.mark.slow

URL = re.compile(r"^http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)$")
KERNEL = "/api/kernels/00000000-0000-4000-8000-000000000000"  # the kernel REST API (no such)


@dataclass
class Server:
    port: int
    token: str
    url: str
    log: Path

    def get(
        self, path: str, host: str | None = None, token: str | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Status, headers (lower-case names) and body of ``GET path``."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": host or f"127.0.0.1:{self.port}"}
        if token is not None:
            headers["Authorization"] = f"token {token}"
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read_url(out: Path, proc: subprocess.Popen[bytes], timeout: float = 15) -> str:
    """The first line ``litreview app`` prints ('' if none: the old app printed no URL,
    and the tests then still probe the server it started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = out.read_text(encoding="utf-8").splitlines()
        if lines:
            return lines[0]
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    return ""


def wait_listening(
    port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"Voila exited with {proc.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"Voila did not listen on {port} in {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("app-server")
    review = tmp / "r.litreview"
    with litreview.Review.open(review, reviewer="ada") as r:
        r.add(litreview.SAMPLE_LISTING)
    env = {k: v for k, v in os.environ.items() if k not in ("LITREVIEW_TOKEN", "JUPYTER_TOKEN")}
    env.update(JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), LITREVIEW_EXPORTS=str(tmp / "exports"))
    port = free_port()
    out, log = tmp / "stdout.txt", tmp / "voila.log"
    cmd = [sys.executable, "-m", "litreview", "app", str(review), "--port", str(port),
           "--no-browser"]  # fmt: skip
    with out.open("wb") as stdout, log.open("wb") as stderr:
        proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=stdout, stderr=stderr)
    try:
        url = read_url(out, proc)
        match = URL.match(url)
        wait_listening(port, proc, log)
        yield Server(port, match.group(2) if match else "", url, log)
    finally:
        proc.terminate()  # litreview became Voila (execve): this stops the server itself
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_printed_url_holds_a_random_token(server: Server) -> None:
    assert URL.match(server.url), server.url
    assert len(server.token) >= 40
    assert server.url == f"http://127.0.0.1:{server.port}/?token={server.token}"


def test_no_token_no_page(server: Server) -> None:
    for path in ("/", "/?token=wrong", "/voila/render/app.ipynb"):
        status, headers, body = server.get(path)
        assert status in (302, 403), (path, status)
        assert status == 403 or "/login" in headers["location"]
        assert "litreview" not in body and "jupyter-widgets" not in body
    assert server.get(KERNEL, token="wrong")[0] in (302, 403)
    assert "Kernel started" not in server.log.read_text(encoding="utf-8")  # nothing ran


def test_a_foreign_host_is_refused_even_with_the_token(server: Server) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", f"0.0.0.0:{server.port}"):
        status, _, body = server.get(f"/?token={server.token}", host=host)
        assert status == 403, (host, status)
        assert "litreview" not in body
        assert server.get(KERNEL, host=host, token=server.token)[0] == 403
        assert server.get(KERNEL + "/channels", host=host, token=server.token)[0] == 403
    assert "Blocking request with non-local 'Host' evil.example" in server.log.read_text()


def test_the_token_opens_the_app(server: Server) -> None:
    status, _, body = server.get(f"/?token={server.token}")
    assert status == 200
    assert "application/vnd.jupyter.widget-view+json" in body, body[-2000:]  # the app ran
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        status, _, _ = server.get(KERNEL, host=host, token=server.token)
        assert status == 404, (host, status)  # let in (a local name), and there is no such kernel
    assert server.get(KERNEL + "/channels", token=server.token)[0] not in (302, 403)
