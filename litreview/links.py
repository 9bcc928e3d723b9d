"""Find links in free text and sort them into code repositories and other pages.

>>> code_and_project_urls("Code: https://github.com/a/b.git. Demo at https://a.github.io/b/.")
(['https://github.com/a/b'], ['https://a.github.io/b'])
"""

from __future__ import annotations

import re

CODE_HOSTS = frozenset(
    {
        "github.com",
        "gitlab.com",
        "gitee.com",
        "bitbucket.org",
        "codeberg.org",
        "sourceforge.net",
        "git.sr.ht",
        "sr.ht",
        "framagit.org",
        "gitlab.inria.fr",
    }
)
_URL = re.compile(r"https?://[^\s<>\"'`]+")
_BARE_HOSTS = ("github.com/", "gitlab.com/", "gitee.com/", "bitbucket.org/", "codeberg.org/")
_URL_BODY = re.compile(r"[^\s<>\"'`]+")
_HOST = re.compile(r"^(?:https?://)?([^/:?#]+)", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*/>]}"


def clean_url(url: str) -> str:
    """Strip what sentences and Markdown leave around a link.

    No trailing ``.``, ``,``, unbalanced ``)``, ``/`` or ``.git``; a bare host
    gets ``https://``.

    >>> clean_url("https://github.com/yitu-opensource/T2T-ViT).")
    'https://github.com/yitu-opensource/T2T-ViT'
    """
    previous = None
    while previous != url:
        previous = url
        url = url.rstrip(_TRAILING)
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if url.lower().endswith(".git"):
            url = url[:-4]
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    return url


def url_host(url: str) -> str:
    """The lower-case host of a URL, without ``www.``."""
    match = _HOST.match(url)
    host = match.group(1).lower() if match else ""
    return host.removeprefix("www.")


def is_code_url(url: str) -> bool:
    """True for links to a code repository host (GitHub, GitLab, Gitee, …)."""
    host = url_host(url)
    return host in CODE_HOSTS or any(host.endswith("." + h) for h in ("gitlab.com", "sr.ht"))


def _bare_host_urls(text: str) -> list[str]:
    """Links to code hosts written without ``https://`` (``github.com/a/b``)."""
    found = []
    for host in _BARE_HOSTS:
        start = text.find(host)
        while start >= 0:
            if text.endswith("www.", 0, start):
                start -= 4
            before = text[start - 1] if start > 0 else " "
            if not (before.isalnum() or before in "/.@:-_"):
                found.append(_URL_BODY.match(text, start)[0])  # type: ignore[index]
            start = text.find(host, start + len(host) + 5)
    return found


def find_urls(text: str) -> list[str]:
    """Every distinct link in ``text``, cleaned, in order of appearance."""
    raws = _URL.findall(text) if "http" in text else []
    if "com/" in text or "org/" in text:
        raws += _bare_host_urls(text)
    seen: dict[str, None] = {}
    for raw in raws:
        url = clean_url(raw)
        if len(url) > len("https://") + 3:
            seen.setdefault(url, None)
    return list(seen)


def code_and_project_urls(text: str) -> tuple[list[str], list[str]]:
    """Split the links of ``text`` into (code repositories, other pages)."""
    urls = find_urls(text)
    code = [u for u in urls if is_code_url(u)]
    return code, [u for u in urls if not is_code_url(u)]
