"""The one HTTP client of litreview: requests with an on-disk cache (requests-cache,
SQLite in the user cache dir), timeouts, retries with backoff on 429/5xx that honour
``Retry-After``, a rate limit per API, offline mode and one-line errors.

Rate limits and request counts live in the transport adapter, so a response served
from the cache never waits and is never counted as a request::

    >>> import tempfile, pathlib
    >>> client = Client(Settings(offline=True, cache_dir=pathlib.Path(tempfile.mkdtemp())))
    >>> client.get_json("http://127.0.0.1:9/api/papers/2401.00001")
    Traceback (most recent call last):
    ...
    litreview.web.client.WebError: offline (LITREVIEW_OFFLINE=1) and not in the cache: http://127.0.0.1:9/api/papers/2401.00001
    >>> client.stats.requests
    0
    >>> client.close()
"""

from __future__ import annotations

import email.utils
import html
import json
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter

from litreview.web.config import CACHE_DAYS, MAX_RETRY_AFTER_S, Settings

#: Answers worth asking again: too many requests, and the server's own failures.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
USER_AGENT = "litreview (literature reviews in Jupyter; https://github.com/litreview)"


class WebError(RuntimeError):
    """A web source could not be read; the message is one line naming the URL and why.

    ``status`` is the HTTP status of a refusal (400, 404, ...) and ``detail`` the reason the
    API gave in its body (an arXiv error feed's summary, a JSON ``error``), when known.
    """

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None):
        super().__init__(message)
        self.status = status
        self.detail = detail


@dataclass
class Stats:
    """What a client did: requests sent over the network (retries included), answers
    taken from the cache, retries, and seconds spent waiting (rate limits, backoff)."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    waited_s: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.requests} request(s), {self.cache_hits} from the cache, "
            f"{self.retries} retried, {self.waited_s:.1f} s waiting"
        )


class _PoliteAdapter(HTTPAdapter):
    """Waits for the API's rate limit and counts each request that goes out."""

    def __init__(self, client: Client) -> None:
        super().__init__(max_retries=0)
        self._client = client

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self._client._before_send(str(request.url))
        return super().send(request, **kwargs)


class Client:
    """An HTTP session for the web sources (see the module doc); close it when done.

    ``settings`` default to :meth:`Settings.from_env`; ``cache=False`` keeps nothing on disk.
    """

    def __init__(self, settings: Settings | None = None, *, cache: bool = True) -> None:
        self.settings = settings or Settings.from_env()
        self.stats = Stats()
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.session = _session(self.settings, cache)
        adapter = _PoliteAdapter(self)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        """Close the connections and the cache file."""
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def api_of(self, url: str) -> str:
        """The API a URL belongs to (``hf``, ``arxiv``, ``openalex``; else its host)."""
        s = self.settings
        for name, base in (("arxiv", s.arxiv_api), ("openalex", s.openalex_api), ("hf", s.hf_api)):
            if url.startswith(base):
                return name
        return urlsplit(url).netloc

    def _before_send(self, url: str) -> None:
        if self.settings.offline:  # a last guard: offline never sends anything
            raise WebError(f"offline (LITREVIEW_OFFLINE=1) and not in the cache: {url}")
        api = self.api_of(url)
        with self._lock:
            wait = self._last.get(api, -1e9) + self.settings.interval(api) - time.monotonic()
            if wait > 0:
                self.stats.waited_s += wait
                time.sleep(wait)
            self._last[api] = time.monotonic()
            self.stats.requests += 1

    def get_text(
        self, url: str, params: dict[str, Any] | None = None, *, missing_ok: bool = False
    ) -> str | None:
        """The body of ``GET url?params`` as text; None for a 404 when ``missing_ok``.

        Raises :class:`WebError` when the API cannot be reached or keeps failing.
        """
        response = self._get(url, params, missing_ok)
        return None if response is None else body_text(response)

    def get_json(
        self, url: str, params: dict[str, Any] | None = None, *, missing_ok: bool = False
    ) -> Any:
        """The body of ``GET url?params`` parsed as JSON (a malformed body is a
        :class:`WebError` and is dropped from the cache)."""
        response = self._get(url, params, missing_ok)
        if response is None:
            return None
        try:
            return json.loads(body_text(response))
        except ValueError as exc:
            self.forget(response)
            raise WebError(f"malformed JSON from {response.url} ({exc})") from exc

    def forget(self, response: requests.Response) -> None:
        """Drop a response from the cache (its body turned out to be unusable)."""
        cache = getattr(self.session, "cache", None)
        if cache is not None:
            cache.delete(requests=[response.request])

    def forget_url(self, url: str, params: dict[str, Any] | None = None) -> None:
        """Drop the cached answer of ``GET url?params`` (its body turned out unusable)."""
        cache = getattr(self.session, "cache", None)
        if cache is not None:
            request = requests.Request("GET", url, params=params).prepare()
            cache.delete(requests=[request])

    def _get(
        self, url: str, params: dict[str, Any] | None, missing_ok: bool
    ) -> requests.Response | None:
        s = self.settings
        failure = ""
        for attempt in range(1, s.attempts + 1):
            wait = s.backoff_s * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)
            try:
                response = self._send(url, params)
            except _TRANSIENT as exc:
                failure = _describe(exc, s.timeout[1])
            else:
                cached = bool(getattr(response, "from_cache", False))
                if s.offline and (not cached or response.status_code == 504):  # 504: not cached
                    raise WebError(f"offline (LITREVIEW_OFFLINE=1) and not in the cache: {url}")
                self.stats.cache_hits += cached
                status = response.status_code
                if status == 404 and missing_ok:
                    return None
                if status not in RETRY_STATUS:
                    if status >= 400:
                        detail = refusal_detail(response)
                        why = f" ({detail})" if detail else ""
                        raise WebError(
                            f"{url}: HTTP {status} {response.reason}{why}",
                            status=status,
                            detail=detail,
                        )
                    return response
                detail = refusal_detail(response)
                failure = f"HTTP {status} {response.reason}" + (f": {detail}" if detail else "")
                asked = retry_after(response.headers.get("Retry-After"))
                if asked is None and status == 429:
                    asked = window_reset(response.headers.get("RateLimit"))
                if asked is not None:
                    if asked > MAX_RETRY_AFTER_S:
                        raise WebError(f"{url}: {failure}, asks to wait {asked:.0f} s; try later")
                    wait = asked
            if attempt < s.attempts:
                self.stats.retries += 1
                self.stats.waited_s += wait
                time.sleep(wait)
        host = urlsplit(url).netloc
        raise WebError(
            f"cannot get {host} ({failure} after {s.attempts} attempts): check the network, "
            "or set LITREVIEW_OFFLINE=1 to use only what is cached"
        )

    def _send(self, url: str, params: dict[str, Any] | None) -> requests.Response:
        kwargs: dict[str, Any] = {"params": params, "timeout": self.settings.timeout}
        if self.settings.offline and isinstance(self.session, requests_cache.CachedSession):
            kwargs["only_if_cached"] = True
        try:
            return self.session.get(url, **kwargs)
        except WebError:
            raise
        except requests.exceptions.InvalidURL as exc:
            raise WebError(f"{url}: not a URL litreview can ask ({exc})") from exc


def _session(settings: Settings, cache: bool) -> requests.Session:
    if not cache:
        session = requests.Session()
    else:
        path = settings.cache_path()
        try:
            path.mkdir(parents=True, exist_ok=True)
            session = requests_cache.CachedSession(
                str(path / "http"),
                backend="sqlite",
                expire_after=timedelta(days=CACHE_DAYS),
                allowable_codes=(200,),
                stale_if_error=True,
                ignored_parameters=("mailto", "api_key"),
                wal=True,  # a commit per answer without an fsync each (~0.1 s on slow disks)
            )
        except OSError as exc:
            raise WebError(
                f"cannot use the web cache in {path} ({exc}); set LITREVIEW_CACHE_DIR"
            ) from exc
    session.headers["User-Agent"] = USER_AGENT
    return session


_ATOM_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.DOTALL)


def refusal_detail(response: requests.Response, limit: int = 200) -> str | None:
    """The reason an API gives in the body of a refusal: the summary of an arXiv error
    feed, the ``error`` or ``message`` of a JSON body (Hugging Face, OpenAlex); None else."""
    text = body_text(response)[:20_000]
    found: Any = None
    if "/api/errors" in text:
        match = _ATOM_SUMMARY.search(text)
        found = html.unescape(match[1]) if match else None
    elif text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict):
            found = value.get("error") or value.get("message") or value.get("detail")
    if not isinstance(found, str) or not found.strip():
        return None
    return " ".join(found.split())[:limit]


def body_text(response: requests.Response) -> str:
    """The body as text: the charset the server names, else UTF-8 (what these APIs send;
    requests would guess, or take ISO-8859-1 for ``text/*``)."""
    kind = response.headers.get("Content-Type", "")
    if "charset=" not in kind.lower():
        try:
            return response.content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return response.text


_RESET = re.compile(r"(?:^|;)\s*t\s*=\s*(\d+(?:\.\d+)?)")


def window_reset(value: str | None) -> float | None:
    """Seconds until a rate-limit window resets, from a ``RateLimit`` header (the IETF
    draft the Hugging Face Hub sends with a 429 instead of ``Retry-After``:
    ``"api";r=0;t=55``); None if absent.

    >>> window_reset('"api";r=0;t=55'), window_reset(None), window_reset('"api";r=3')
    (56.0, None, None)
    """
    match = _RESET.search(value or "")
    return None if match is None else float(match[1]) + 1.0  # the window's last second too


def retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date); None if absent.

    >>> retry_after("3"), retry_after(None), retry_after("soon")
    (3.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: Exception, read_timeout: float) -> str:
    """A few words for a failed request."""
    if isinstance(exc, requests.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.ReadTimeout):
        return f"no answer within {read_timeout:g} s"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut off"
    text = str(exc)
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the connection was dropped"
    if "Name or service not known" in text or "Temporary failure in name resolution" in text:
        return "no network (name lookup failed)"
    if "refused" in text:
        return "connection refused"
    return "cannot connect"
