"""Where the web sources are and how politely to use them: read from the environment
each time a client is made, so a test or a notebook can point litreview at a local server.

>>> settings = Settings.from_env({"LITREVIEW_ARXIV_API": "http://127.0.0.1:9/q",
...                               "LITREVIEW_RATE_LIMIT": "0"})
>>> settings.arxiv_api, settings.rate_limits
('http://127.0.0.1:9/q', False)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HF_API = "https://huggingface.co/api"
ARXIV_API = "https://export.arxiv.org/api/query"
OPENALEX_API = "https://api.openalex.org"

#: Seconds between two requests to one API (arXiv asks for one request every 3 s;
#: OpenAlex allows 10 per second; the Hugging Face Hub allows an anonymous address 500
#: API requests per 5-minute window, so 0.6 s keeps a run of any length under it).
INTERVALS: dict[str, float] = {"arxiv": 3.0, "hf": 0.6, "openalex": 0.1}
#: (connect, read) timeouts in seconds.
TIMEOUT = (10.0, 30.0)
#: Attempts per request (the first and the retries) on 429, 5xx, timeouts, dropped connections.
ATTEMPTS = 4
#: Longest wait a ``Retry-After`` may ask for before litreview gives up instead.
MAX_RETRY_AFTER_S = 120.0
#: Days a cached response is used without asking the API again.
CACHE_DAYS = 7.0


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """The web settings: base URLs, offline mode, rate limits, cache directory, timeouts."""

    hf_api: str = HF_API
    arxiv_api: str = ARXIV_API
    openalex_api: str = OPENALEX_API
    offline: bool = False
    rate_limits: bool = True
    cache_dir: Path | None = None
    timeout: tuple[float, float] = TIMEOUT
    attempts: int = ATTEMPTS
    backoff_s: float = 1.0
    mailto: str | None = None
    openalex_key: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings ``LITREVIEW_*`` variables give (``os.environ`` by default).

        ``LITREVIEW_HF_API``, ``LITREVIEW_ARXIV_API``, ``LITREVIEW_OPENALEX_API``: base URLs;
        ``LITREVIEW_OFFLINE=1``: the cache only; ``LITREVIEW_RATE_LIMIT=0``: no waiting;
        ``LITREVIEW_CACHE_DIR``: where the cache is; ``LITREVIEW_TIMEOUT``: read timeout (s);
        ``LITREVIEW_MAILTO``: an address OpenAlex's polite pool asks for;
        ``LITREVIEW_OPENALEX_KEY``: an OpenAlex API key (sent as ``api_key``, kept out of
        the cache and of messages; without one OpenAlex grants a small daily budget).
        """
        env = os.environ if env is None else env
        read = float(env.get("LITREVIEW_TIMEOUT") or TIMEOUT[1])
        cache = env.get("LITREVIEW_CACHE_DIR")
        return cls(
            hf_api=(env.get("LITREVIEW_HF_API") or HF_API).rstrip("/"),
            arxiv_api=env.get("LITREVIEW_ARXIV_API") or ARXIV_API,
            openalex_api=(env.get("LITREVIEW_OPENALEX_API") or OPENALEX_API).rstrip("/"),
            offline=_flag(env.get("LITREVIEW_OFFLINE")),
            rate_limits=(env.get("LITREVIEW_RATE_LIMIT") or "1").strip() != "0",
            cache_dir=Path(cache).expanduser() if cache else None,
            timeout=(min(TIMEOUT[0], read), read),
            backoff_s=float(env.get("LITREVIEW_BACKOFF") or 1.0),
            mailto=env.get("LITREVIEW_MAILTO") or None,
            openalex_key=(env.get("LITREVIEW_OPENALEX_KEY") or "").strip() or None,
        )

    def cache_path(self) -> Path:
        """The cache directory: ``LITREVIEW_CACHE_DIR``, else the user cache dir (platformdirs).

        >>> Settings(cache_dir=Path("/tmp/x")).cache_path()
        PosixPath('/tmp/x')
        """
        if self.cache_dir is not None:
            return self.cache_dir
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("litreview", appauthor=False))

    def interval(self, api: str) -> float:
        """Seconds to leave between two requests to ``api`` (0 with rate limits off)."""
        return INTERVALS.get(api, 0.0) if self.rate_limits else 0.0
