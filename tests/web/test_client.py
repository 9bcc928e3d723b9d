"""The HTTP client against a real local server: retries, Retry-After, timeouts, dropped
connections, malformed bodies, the cache, offline mode, rate limits, one-line errors."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from litreview.web.client import Client, WebError, retry_after
from litreview.web.config import Settings
from litreview.web.local_server import LocalAPIs

PAPER = "/hf/api/papers/2303.11263"


def url(apis: LocalAPIs, path: str = PAPER) -> str:
    return apis.url + path


def test_an_answer_is_cached_on_disk_and_survives_a_new_client(apis: LocalAPIs) -> None:
    with Client() as client:
        first = client.get_json(url(apis))
        assert first["title"].startswith("DeepVecFont-v2")
        assert (client.stats.requests, client.stats.cache_hits) == (1, 0)
    with Client() as again:  # a new process would see the same: the cache is a file
        assert again.get_json(url(apis)) == first
        assert (again.stats.requests, again.stats.cache_hits) == (0, 1)
    assert apis.count(PAPER) == 1
    cache_dir = Path(Settings.from_env().cache_path())
    assert (cache_dir / "http.sqlite").is_file()


def test_429_with_retry_after_is_waited_for(apis: LocalAPIs) -> None:
    apis.fail("status", PAPER, status=429, headers={"Retry-After": "1"})
    with Client() as client:
        start = time.monotonic()
        assert client.get_json(url(apis))["id"] == "2303.11263"
        waited = time.monotonic() - start
        assert client.stats.retries == 1 and client.stats.requests == 2
    assert 0.9 <= waited < 5  # the server's second, not the 0.01 s backoff


def test_retry_after_as_an_http_date_and_a_cap(apis: LocalAPIs) -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: now
    assert (
        50
        < (
            retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60)))
            or 0
        )
        <= 61
    )
    apis.fail("status", PAPER, status=503, headers={"Retry-After": "3600"})
    with Client() as client, pytest.raises(WebError, match="asks to wait 3600 s"):
        client.get_json(url(apis))
    assert apis.count(PAPER) == 1  # gave up at once rather than hang for an hour


def test_server_errors_are_retried_then_reported_in_one_line(apis: LocalAPIs) -> None:
    apis.fail("status", PAPER, times=2, status=500)
    with Client() as client:
        assert client.get_json(url(apis))["id"] == "2303.11263"
        assert client.stats.retries == 2
    apis.fail("status", "/hf/api/papers/2102.13630", times=10, status=502)
    with Client() as client, pytest.raises(WebError) as caught:
        client.get_json(url(apis, "/hf/api/papers/2102.13630"))
    message = str(caught.value)
    assert "\n" not in message and "HTTP 502" in message and "after 4 attempts" in message
    assert apis.count("/hf/api/papers/2102.13630") == 4


def test_a_client_error_is_not_retried(apis: LocalAPIs) -> None:
    with Client() as client:
        assert client.get_json(url(apis, "/hf/api/papers/0000.00000"), missing_ok=True) is None
        with pytest.raises(WebError, match="HTTP 404"):
            client.get_json(url(apis, "/hf/api/papers/0000.00000"))
    assert apis.count("/hf/api/papers/0000.00000") == 2


def test_a_slow_answer_within_the_timeout_is_awaited(apis: LocalAPIs) -> None:
    apis.fail("slow", PAPER, seconds=1.0)
    with Client() as client:  # the tests' read timeout is 2 s
        assert client.get_json(url(apis))["id"] == "2303.11263"
        assert client.stats.retries == 0


def test_a_too_slow_answer_times_out_and_is_retried(
    apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITREVIEW_TIMEOUT", "0.5")
    apis.fail("slow", PAPER, seconds=1.5)
    with Client() as client:
        assert client.get_json(url(apis))["id"] == "2303.11263"
        assert client.stats.retries == 1
    apis.fail("slow", "/hf/api/papers/2010.13893", times=4, seconds=1.0)
    with (
        Client() as client,
        pytest.raises(WebError, match=r"no answer within 0.5 s after 4 attempts"),
    ):
        client.get_json(url(apis, "/hf/api/papers/2010.13893"))


def test_a_dropped_connection_and_a_cut_body_are_retried(apis: LocalAPIs) -> None:
    apis.fail("drop", PAPER)
    apis.fail("cut", PAPER)
    with Client() as client:
        assert client.get_json(url(apis))["id"] == "2303.11263"
        assert client.stats.retries == 2
    apis.fail("drop", "/hf/api/papers/2102.13630", times=4)
    with Client() as client, pytest.raises(WebError, match="the connection was dropped"):
        client.get_json(url(apis, "/hf/api/papers/2102.13630"))


def test_a_malformed_body_is_an_error_and_is_not_kept_in_the_cache(apis: LocalAPIs) -> None:
    apis.fail("malformed", PAPER)
    with Client() as client, pytest.raises(WebError, match="malformed JSON from"):
        client.get_json(url(apis))
    with Client() as client:  # the next run asks again and gets the good answer
        assert client.get_json(url(apis))["id"] == "2303.11263"
        assert client.stats.requests == 1


def test_offline_uses_the_cache_only(apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch) -> None:
    with Client() as client:
        client.get_json(url(apis))
    monkeypatch.setenv("LITREVIEW_OFFLINE", "1")
    before = len(apis.requests)
    with Client() as client:
        assert client.get_json(url(apis))["id"] == "2303.11263"
        with pytest.raises(
            WebError, match=r"^offline \(LITREVIEW_OFFLINE=1\) and not in the cache"
        ):
            client.get_json(url(apis, "/hf/api/papers/2102.13630"))
        assert client.stats.requests == 0 and client.stats.cache_hits == 1
    assert len(apis.requests) == before


def test_no_network_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
    with Client() as client, pytest.raises(WebError) as caught:
        client.get_json(f"http://127.0.0.1:{port}/api/papers/x")
    assert str(caught.value) == (
        f"cannot get 127.0.0.1:{port} (connection refused after 4 attempts): check the "
        "network, or set LITREVIEW_OFFLINE=1 to use only what is cached"
    )


def test_the_rate_limit_spaces_requests_to_one_api(
    apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "1")
    settings = Settings.from_env()
    assert settings.interval("arxiv") == 3.0  # arXiv's rule: one request every 3 seconds
    with Client(Settings.from_env()) as client:
        start = time.monotonic()
        for paper in ("2303.11263", "2102.13630", "2010.13893"):
            client.get_json(url(apis, f"/hf/api/papers/{paper}"))
        took = time.monotonic() - start
        assert took >= 2 * settings.interval("hf") - 0.01
        client.get_json(url(apis, "/hf/api/papers/2303.11263"))  # cached: no wait
        assert time.monotonic() - start - took < settings.interval("hf")
    monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "0")
    assert Settings.from_env().interval("arxiv") == 0.0


def test_an_unusable_cache_directory_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(WebError, match=r"cannot use the web cache in .*; set LITREVIEW_CACHE_DIR"):
        Client()


def test_the_user_cache_dir_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.delenv("LITREVIEW_CACHE_DIR", raising=False)
    assert str(Settings.from_env().cache_path()) == user_cache_dir("litreview", appauthor=False)
