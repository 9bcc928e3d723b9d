"""A server review's URL: libpq's URL plus ``review=<name>``, never a password.

>>> split_url("postgresql://ada@db:5432/reviews?review=cancer&sslmode=require")
('postgresql://ada@db:5432/reviews?sslmode=require', 'cancer')
>>> redacted("postgresql://ada:secret@db/reviews")
'postgresql://ada:***@db/reviews'
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["DEFAULT_REVIEW", "check_url", "redacted", "side_path", "split_url"]

#: The review a URL without ``review=`` names.
DEFAULT_REVIEW = "review"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


def split_url(url: str) -> tuple[str, str]:
    """``(libpq URL, review name)``: ``review=`` taken out of the query string."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [v for k, v in query if k == "review"]
    rest = [(k, v) for k, v in query if k != "review"]
    name = names[-1] if names else DEFAULT_REVIEW
    return urlunsplit(parts._replace(query=urlencode(rest))), name


def redacted(url: str) -> str:
    """``url`` as messages show it: any password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def check_url(url: str) -> tuple[str, str]:
    """The libpq URL and the review name of ``url``; ValueError for a password in the
    URL or a review name that is not a lowercase identifier."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.password is not None or "password" in query:
        raise ValueError(
            f"{redacted(url)}: a review URL never holds a password (it would be kept in "
            "the notebook); put it in ~/.pgpass or PGPASSWORD"
        )
    conninfo, name = split_url(url)
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"{url}: review={name!r}: a review name is 1-63 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit"
        )
    return conninfo, name


def side_path(url: str, name: str) -> Path:
    """The local path naming a server review, beside which its search index is kept."""
    from litreview.web.config import Settings

    parts = urlsplit(url)
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parts.hostname or 'local'}-{parts.port or 5432}")
    db = re.sub(r"[^A-Za-z0-9.-]+", "_", parts.path.strip("/") or "db")
    return Settings.from_env().cache_path() / "server" / f"{host}-{db}-{name}.litreview"
