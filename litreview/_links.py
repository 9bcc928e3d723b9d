"""Find links in free text and sort them into code repositories and other pages.

>>> code_and_project_urls("Code: https://github.com/a/b.git. Demo at https://a.github.io/b/.")
(['https://github.com/a/b'], ['https://a.github.io/b'])
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

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
# The body of a link: no space, quote, NUL or ``<>``; a ``;`` or ``,`` unless another
# link follows it (``https://a.org;https://b.org`` is a list), and the ``<693::AID-ASI4>``
# of a SICI DOI (Wiley: ``…49:8<693::AID-ASI4>3.0.CO;2-P``), the one ``<>`` in links.
_BODY = r"(?:[^\s<>\"'`\x00;,]+|[;,](?!https?://)|<[0-9]+::[A-Za-z0-9-]+>)+"
#: A link with a scheme, as it stands in text (:func:`raw_urls` finds the same faster).
URL_PATTERN = re.compile(r"https?://" + _BODY)
_BARE_HOSTS = ("github.com/", "gitlab.com/", "gitee.com/", "bitbucket.org/", "codeberg.org/")
#: The names of the code hosts linked without a scheme (``github`` of ``github.com/a/b``).
BARE_HOST_NAMES = tuple(h.split(".")[0] for h in _BARE_HOSTS)
_URL_BODY = re.compile(_BODY)
_BATCH = 4096
_SLASH, _COLON, _DOT = ord("/"), ord(":"), ord(".")
_HOST = re.compile(r"^(?:https?://)?([^/:?#]+)", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*/>]}"
# A link without a scheme starts with a host name: dotted labels, a letter TLD
_HOST_START = re.compile(r"(?:[A-Za-z0-9_-]+\.)+[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#]|$)")
# URL_PATTERN split into a host of characters that cannot start a bare host link, and the rest
# What _names_repo finds, for a path known to start with "/": an owner and a name
_REPO_PATH = re.compile(r"/+[^/?#]+/+[^/?#]")
_LONE = re.compile(r"https?://([A-Za-z0-9_.@:-]*)([^\s<>\"'`\x00]*)")


def clean_url(url: str) -> str:
    """Strip what sentences and Markdown leave around a link.

    No trailing ``.``, ``,``, ``;``, ``:``, ``]``, unbalanced ``)``, ``/`` or
    ``.git``; a bare host gets ``https://``. Text with no scheme that does not
    start with a host name (``2-P``, a piece of a link cut at a ``;``) is not
    a link: ``""``, never an invented ``https://2-P``.

    >>> clean_url("https://github.com/yitu-opensource/T2T-ViT).")
    'https://github.com/yitu-opensource/T2T-ViT'
    >>> clean_url("2-P"), clean_url("github.com/a/b.")
    ('', 'https://github.com/a/b')
    """
    if url[-1].isalnum() and not url.endswith((".git", ".GIT")) and url.startswith("http"):
        return url
    stripped = url.rstrip(_TRAILING)  # the usual case: a link at the end of a sentence
    if (
        stripped[-1:].isalnum()
        and stripped[-4:].lower() != ".git"
        and stripped.startswith(("http://", "https://"))
    ):
        return stripped  # what the loop below ends with, in one step
    previous = None
    while previous != url:
        previous = url
        url = url.rstrip(_TRAILING)
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if url.lower().endswith(".git"):
            url = url[:-4]
    if not url[:8].lower().startswith(("http://", "https://")):
        url = "https://" + url if _HOST_START.match(url) else ""
    return url


def url_host(url: str) -> str:
    """The lower-case host of a URL, without ``www.``."""
    if "://" in url:
        host = url.split("/", 3)[2].split(":", 1)[0].split("?", 1)[0].split("#", 1)[0]
    else:
        match = _HOST.match(url)
        host = match.group(1) if match else ""
    return host.lower().removeprefix("www.")


def is_code_url(url: str) -> bool:
    """True for links to a repository on a code host (GitHub, GitLab, Gitee, …).

    A repository has an owner and a name: the host alone (``https://github.com``)
    or an owner's page is another page, not code.

    >>> is_code_url("https://github.com/a/b"), is_code_url("https://github.com/")
    (True, False)
    """
    host = url_host(url)
    return (host in CODE_HOSTS or host.endswith((".gitlab.com", ".sr.ht"))) and _names_repo(url)


def _names_repo(url: str) -> bool:
    """True when the path of ``url`` has two names (``/owner/repo``)."""
    path = url.split("://", 1)[-1].partition("/")[2]
    owner, _, rest = path.split("?", 1)[0].split("#", 1)[0].lstrip("/").partition("/")
    return bool(owner) and bool(rest.strip("/"))


def join_url_parts(parts: Sequence[str]) -> list[str]:
    """The links of a list split at every ``;`` (rispy's ``UR``, a table cell),
    with the pieces of a link that had a ``;`` of its own joined back.

    A piece that is not the start of a link (no scheme, no host name) belongs
    to the piece before it.

    >>> join_url_parts(["https://doi.org/10.1002/(SICI)1-4<6::AID-A4>3.0.CO", "2-P", " https://b.org"])
    ['https://doi.org/10.1002/(SICI)1-4<6::AID-A4>3.0.CO;2-P', 'https://b.org']
    """
    joined: list[str] = []
    for part in parts:
        piece = part.strip()
        if not piece:
            continue
        starts = piece[:8].lower().startswith(("http://", "https://")) or _HOST_START.match(piece)
        if joined and not starts and not part[:1].isspace():
            joined[-1] += ";" + piece
        else:
            joined.append(piece)
    return joined


def _slash_positions(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``text`` as a numpy array and where its ``/`` stand.

    Every link has a ``/``, so a link search only looks near these. Latin-1
    keeps one byte per character (the usual case); other text takes four, so
    array positions are always string positions.
    """
    try:
        codes = np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return codes, np.flatnonzero(codes == _SLASH)


def _scheme_urls(text: str, codes: np.ndarray, slashes: np.ndarray) -> list[tuple[int, str]]:
    """What ``URL_PATTERN.finditer(text)`` finds, with positions, looking only at ``://``.

    Every match of ``https?://`` ends in ``://`` and starts at the ``https`` or
    ``http`` before it; a ``://`` inside the previous link is part of it.
    """
    found: list[tuple[int, str]] = []
    end = 0
    inner = slashes[(slashes >= 5) & (slashes + 1 < len(codes))]  # room for "http:" and "/"
    colons = inner[(codes[inner - 1] == _COLON) & (codes[inner + 1] == _SLASH)] - 1
    for colon in colons.tolist():
        if text.startswith("https", colon - 5):
            start = colon - 5
        elif text.startswith("http", colon - 4):
            start = colon - 4
        else:
            continue
        if start >= end and (match := URL_PATTERN.match(text, start)):  # None: nothing after "://"
            end = match.end()
            found.append((start, match[0]))
    return found


def _bare_host_urls(text: str, codes: np.ndarray, slashes: np.ndarray) -> list[tuple[int, str]]:
    """Links to code hosts written without ``https://`` (``github.com/a/b``), with positions.

    Looks only at the ``/`` after ``.com``/``.org`` (these cannot overlap, so
    they are every match of ``\\.(?:com|org)/``).
    """
    found = []
    inner = slashes[slashes >= 4]
    for slash in _maybe_bare_hosts(codes, inner[codes[inner - 4] == _DOT]).tolist():
        tail = slash - 4
        if not text.startswith((".com/", ".org/"), tail):
            continue
        if text.endswith(BARE_HOST_NAMES, 0, tail) and (link := bare_host_link(text, slash + 1)):
            found.append(link)
    return found


def bare_host_link(text: str, end: int) -> tuple[int, str] | None:
    """The link that starts with the code host ending at ``end`` (just after its ``/``),
    with its position, or None when the host is part of a longer link, address or word."""
    for host in _BARE_HOSTS:
        start = end - len(host)
        if text.startswith(host, start):
            if text.startswith("www.", start - 4):
                start -= 4
            before = text[start - 1] if start > 0 else " "
            if before.isalnum() or before in "/.@:-_":
                return None
            return start, _URL_BODY.match(text, start)[0]  # type: ignore[index]
    return None


def _maybe_bare_hosts(codes: np.ndarray, slashes: np.ndarray) -> np.ndarray:
    """Drop the ``.com/``/``.org/`` slashes that cannot end a bare code host: those
    with no host name before them, or with one right after ``://`` (a link with a
    scheme, the usual case). What is left is checked one by one."""
    keep = np.zeros(len(slashes), dtype=bool)
    for host in _BARE_HOSTS:
        start = slashes + 1 - len(host)
        match = start >= 0
        for k, char in enumerate(host[:-1]):  # the name and the tail, not the "/"
            match &= codes[np.maximum(start + k, 0)] == ord(char)
        after_scheme = start >= 3
        for k, char in enumerate("://", start=-3):
            after_scheme &= codes[np.maximum(start + k, 0)] == ord(char)
        keep |= match & ~after_scheme
    return slashes[keep]


def find_urls(text: str) -> list[str]:
    """Every distinct link in ``text``, cleaned, in order of appearance."""
    return _distinct_clean(sorted(raw_urls(text)))


def raw_urls(text: str) -> list[tuple[int, str]]:
    """Every link of ``text`` as it stands, with its position (scheme links first):
    what :data:`URL_PATTERN` finds, then the code host links without a scheme.

    >>> raw_urls("see github.com/a/b, https://x.org/y.")
    [(20, 'https://x.org/y.'), (4, 'github.com/a/b,')]
    """
    codes, slashes = _slash_positions(text)
    return _scheme_urls(text, codes, slashes) + _bare_host_urls(text, codes, slashes)


def _distinct_clean(raws: list[tuple[int, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, raw in raws:
        url = clean_url(raw)
        if len(url) > len("https://") + 3:
            seen.setdefault(url, None)
    return list(seen)


def code_and_project_urls(text: str) -> tuple[list[str], list[str]]:
    """Split the links of ``text`` into (code repositories, other pages)."""
    return _split_code(find_urls(text))


def _split_code(urls: list[str]) -> tuple[list[str], list[str]]:
    code: list[str] = []
    other: list[str] = []
    for url in urls:
        (code if is_code_url(url) else other).append(url)
    return code, other


def links_of_texts(texts: Sequence[str | None]) -> tuple[list[list[str]], list[list[str]]]:
    """:func:`code_and_project_urls` for many texts at once.

    A text whose one link is a plain ``http(s)://`` link takes a short path
    (:func:`_lone_link`); the others are searched in batches, one numpy pass each.

    >>> links_of_texts(["see https://github.com/a/b.", None, "no links"])
    ([['https://github.com/a/b'], [], []], [[], [], []])
    """
    code: list[list[str]] = [[] for _ in range(len(texts))]  # not "in texts": reading
    other: list[list[str]] = [[] for _ in range(len(texts))]  # 100k strings costs
    hosts: dict[str, bool] = {}
    ascii_rows: list[int] = []  # the others for the batch search, which takes
    wide_rows: list[int] = []  # 4 bytes a character for a batch with a non-Latin-1 one
    for row, text in enumerate(texts):
        if not text or "/" not in text:  # every link has a "/"
            continue
        found = _lone_link(text, text.find("/"), hosts)
        if found is None:
            (ascii_rows if text.isascii() else wide_rows).append(row)
        elif found[0]:
            (code if found[1] else other)[row].append(found[0])
    for rows in (ascii_rows, wide_rows):
        for first in range(0, len(rows), _BATCH):
            _batch_links(texts, rows[first : first + _BATCH], code, other)
    return code, other


def _lone_link(text: str, slash: int, hosts: dict[str, bool]) -> tuple[str, bool] | None:
    """The cleaned link of ``text`` (``""`` when too short to keep) and whether
    it is code, when the text has one ``http(s)://`` link, with its ``://`` at
    the first ``/`` (``slash``) and no ``/`` after it; else None.

    None also when a bare code host link could start inside the link: its host
    has other characters than ASCII letters, digits and ``_.@:-``, or its path
    has a ``.com/`` or ``.org/``; and when the link may go on past what
    ``_LONE`` takes (a ``<`` after it) or hold a second one (``://`` in its
    path). ``hosts`` keeps whether each host is code.
    """
    if slash < 5:
        return None
    start = slash - 6 if slash >= 6 and text.startswith("https", slash - 6) else slash - 5
    match = _LONE.match(text, start)
    if match is None:
        return None
    raw, host, path = match.group(0, 1, 2)
    if not (host or path) or text.find("/", start + len(raw)) >= 0:
        return None  # "https://" alone (no link there), or more "/" to look at
    if path and (path[0] != "/" or ".com/" in path or ".org/" in path or "://" in path):
        return None  # "://": maybe a list "a;https://b"
    if text.startswith("<", match.end()):
        return None  # maybe the "<…>" of a SICI DOI
    url = raw.rstrip(_TRAILING)  # clean_url(raw), when this leaves the host and ends the link
    if len(url) < len(raw) - len(path) or not url[-1].isalnum() or url[-4:].lower() == ".git":
        url = clean_url(raw)
        return (url, is_code_url(url)) if len(url) > len("https://") + 3 else ("", False)
    if len(url) <= len("https://") + 3:
        return "", False
    is_code = hosts.get(host)
    if is_code is None:
        is_code = hosts[host] = is_code_url("https://" + host + "/a/b")
    return url, is_code and _REPO_PATH.match(url, len(raw) - len(path)) is not None


def _batch_links(
    texts: Sequence[str | None], rows: list[int], code: list[list[str]], other: list[list[str]]
) -> None:
    """Fill ``code`` and ``other`` for ``rows`` of ``texts``, searching them joined."""
    batch = [texts[i] or "" for i in rows]
    joined = "\x00".join(batch)
    starts = list(accumulate((len(t) + 1 for t in batch), initial=0))
    by_row: dict[int, list[tuple[int, str]]] = {}
    for pos, raw in raw_urls(joined):
        by_row.setdefault(rows[bisect_right(starts, pos) - 1], []).append((pos, raw))
    for row, raws in by_row.items():
        if len(raws) == 1:  # the usual case
            url = clean_url(raws[0][1])
            if len(url) > len("https://") + 3:
                (code if is_code_url(url) else other)[row].append(url)
        else:
            code[row], other[row] = _split_code(_distinct_clean(sorted(raws)))
