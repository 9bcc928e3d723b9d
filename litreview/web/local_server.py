"""A local stand-in for the Hugging Face, arXiv and OpenAlex APIs: a real HTTP server on
127.0.0.1 answering in the APIs' own formats from a catalogue of papers, for tests,
benchmarks and notebooks that must run without the network. Faults can be queued
(slow answers, 429 with ``Retry-After``, 500s, malformed bodies, dropped connections).

>>> with LocalAPIs([{"arxiv_id": "2401.00001", "title": "A Paper", "authors": ["Ada Lovelace"],
...                  "published": "2024-01-02T10:00:00.000Z"}]) as apis:
...     env = apis.env()
...     sorted(env)[:2]
['LITREVIEW_ARXIV_API', 'LITREVIEW_HF_API']

A catalogue paper is a dict: ``arxiv_id``, ``title``, ``authors``, ``published`` (ISO),
optional ``summary``, ``categories``, ``doi`` and ``journal_ref`` (arXiv's own),
``openalex`` (``{"doi", "venue", "type"}``: its published version) and ``hf`` (False:
Hugging Face does not know it).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from rapidfuzz import fuzz

from litreview.ids import normalize_title

#: The head of an arXiv API feed as arXiv sends it since 2025 (namespaces on the root).
ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/api/localstandin</id>\n"
    "  <title>arXiv Query: {query}</title>\n  <updated>{updated}</updated>\n"
    '  <link href="https://arxiv.org/api/query" type="application/atom+xml"/>\n'
    "  <opensearch:itemsPerPage>{count}</opensearch:itemsPerPage>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
    "  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
)
#: arXiv's answer to an id it cannot read: HTTP 400 with a feed of one error entry.
ATOM_ERROR = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
    "  <updated>{updated}</updated>\n  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
    "  <opensearch:totalResults>1</opensearch:totalResults>\n"
    "  <opensearch:startIndex>0</opensearch:startIndex>\n"
    "  <entry>\n    <id>https://arxiv.org/api/errors#{anchor}</id>\n    <title>Error</title>\n"
    "    <updated>{updated}</updated>\n    <summary>{message}</summary>\n"
    "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
)
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


@dataclass
class Fault:
    """What to do instead of answering: ``status`` (with ``headers``), ``slow`` (wait
    ``seconds``, then answer), ``drop`` (close without a word), ``malformed`` (200 with
    a broken body), ``cut`` (a body shorter than its Content-Length)."""

    kind: str
    path: str = "/"
    status: int = 500
    headers: dict[str, str] | None = None
    seconds: float = 0.0


class LoopbackServer:
    """An HTTP server on 127.0.0.1 (a free port) answering in a daemon thread while used
    as a context manager."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def api_env(self, hf: str, arxiv: str, openalex: str) -> dict[str, str]:
        """The base-URL variables that point litreview at the paths of this server."""
        return {
            "LITREVIEW_HF_API": self.url + hf,
            "LITREVIEW_ARXIV_API": self.url + arxiv,
            "LITREVIEW_OPENALEX_API": self.url + openalex,
        }

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class LocalAPIs(LoopbackServer):
    """The stand-in server (a context manager). ``requests`` lists each request's path and
    query; :meth:`fail` queues faults; :meth:`env` gives the ``LITREVIEW_*`` variables."""

    def __init__(self, papers: Iterable[dict[str, Any]]) -> None:
        self.papers = list(papers)
        self.by_id = {p["arxiv_id"]: p for p in self.papers}
        self.by_doi = {f"10.48550/arxiv.{p['arxiv_id']}": p for p in self.papers}
        self.by_doi.update(
            {p["openalex"]["doi"].lower(): p for p in self.papers if p.get("openalex")}
        )
        self.by_doi.update({p["doi"].lower(): p for p in self.papers if p.get("doi")})
        self.requests: list[str] = []
        self._titles: list[str] = []
        self.faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        super().__init__(_handler(self))

    def env(self) -> dict[str, str]:
        """The base-URL variables that point litreview at this server."""
        return self.api_env("/hf/api", "/arxiv/api/query", "/openalex")

    def fail(self, kind: str, path: str = "/", times: int = 1, **options: Any) -> None:
        """Queue ``times`` faults for the next requests whose path starts with ``path``."""
        for _ in range(times):
            self.faults.append(Fault(kind, path, **options))

    def count(self, prefix: str = "/") -> int:
        """Requests received whose path starts with ``prefix``."""
        return sum(r.startswith(prefix) for r in self.requests)

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            self.requests.append(path)
            for fault in self.faults:
                if path.startswith(fault.path):
                    self.faults.remove(fault)
                    return fault
        return None

    # -- the answers ---------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        """(status, content type, body) for a GET."""
        one = {k: v[0] for k, v in query.items()}
        if path == "/hf/api/daily_papers":
            if not 1 <= int(one.get("limit", 50)) <= 100:  # the Hub's bounds
                return 400, "application/json", '{"error":"limit must be between 1 and 100"}'
            return 200, "application/json", json.dumps(self._daily(one))
        if path == "/hf/api/papers/search":
            if len(one.get("q", "")) > 250 or not 1 <= int(one.get("limit", 10)) <= 120:
                return 400, "application/json", '{"error":"q: at most 250 characters"}'
            hits = self._search(one.get("q", ""))[: int(one.get("limit", 10))]
            return 200, "application/json", json.dumps(hits)
        if path.startswith("/hf/api/papers/"):
            paper = self.by_id.get(path.rsplit("/", 1)[1])
            if paper is None or paper.get("hf") is False:
                return 404, "application/json", '{"error":"Paper not found"}'
            return 200, "application/json", json.dumps(hf_paper(paper))
        if path == "/arxiv/api/query":
            bad = [i for i in one.get("id_list", "").split(",") if i and not _ARXIV_ID.match(i)]
            if bad:
                message = f"incorrect id format for {bad[0]}"
                anchor = message.replace(" ", "_")
                updated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                feed = ATOM_ERROR.format(anchor=escape(anchor), message=escape(message),
                                         updated=updated)  # fmt: skip
                return 400, "application/atom+xml; charset=utf-8", feed
            return 200, "application/atom+xml; charset=utf-8", self._arxiv(one)
        if path == "/openalex/works":
            return 200, "application/json", json.dumps(self._openalex(one.get("filter", "")))
        return 404, "text/plain", "not found"

    def _daily(self, q: dict[str, str]) -> list[dict[str, Any]]:
        day = lambda p: str(p["published"])[:10]  # noqa: E731
        if "date" in q:
            found = [p for p in self.papers if day(p) == q["date"]]
        elif "month" in q:
            found = [p for p in self.papers if day(p)[:7] == q["month"]]
        elif "week" in q:
            found = [p for p in self.papers if _iso_week(day(p)) == q["week"]]
        else:
            found = self.papers[-30:]
        found = [p for p in found if p.get("hf") is not False]
        page, limit = int(q.get("p", 0)), int(q.get("limit", 50))
        return [hf_item(p) for p in found[page * limit : (page + 1) * limit]]

    def _search(self, text: str) -> list[dict[str, Any]]:
        """Titles sharing the query's words, closest first (a C scorer: fast at 100k)."""
        from rapidfuzz import process

        key = _words(text)
        if len(self._titles) != len(self.papers):
            self._titles = [_words(p["title"]) for p in self.papers]
        found = process.extract(
            key, self._titles, scorer=fuzz.token_set_ratio, limit=50, score_cutoff=60
        )
        ranked = sorted(found, key=lambda m: (-m[1], -fuzz.ratio(key, m[0])))
        hits = [self.papers[m[2]] for m in ranked]
        return [hf_item(p) for p in hits if p.get("hf") is not False]

    def _arxiv(self, q: dict[str, str]) -> str:
        start, size = int(q.get("start", 0)), int(q.get("max_results", 10))
        if q.get("id_list"):
            wanted = q["id_list"].split(",")
            bare = [re.sub(r"v\d+$", "", i) for i in wanted]
            found = [self.by_id[i] for i in bare if i in self.by_id]
        else:
            phrase = q.get("search_query", "")
            title = phrase.split('ti:"', 1)[1].split('"', 1)[0] if 'ti:"' in phrase else phrase
            key = normalize_title(title)
            scored = [(fuzz.ratio(key, normalize_title(p["title"])), p) for p in self.papers]
            found = [p for s, p in sorted(scored, key=lambda sp: -sp[0]) if s >= 70]
        page = found[start : start + size]
        head = ATOM_HEAD.format(
            query=escape(json.dumps(q)), updated=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            total=len(found), start=start, count=len(page),
        )  # fmt: skip
        return head + "".join(atom_entry(p) for p in page) + "</feed>\n"

    def _openalex(self, filter_: str) -> dict[str, Any]:
        dois = filter_.removeprefix("doi:").split("|") if filter_.startswith("doi:") else []
        works, seen = [], set()
        for doi in dois:
            paper = self.by_doi.get(doi.lower().removeprefix("https://doi.org/"))
            if paper is not None and paper["arxiv_id"] not in seen:
                seen.add(paper["arxiv_id"])
                works.append(openalex_work(paper))
        meta = {"count": len(works), "db_response_time_ms": 3, "page": 1, "per_page": 50}
        return {"meta": meta, "results": works, "group_by": []}


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _iso_week(day: str) -> str:
    import datetime as dt

    year, week, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def hf_paper(p: dict[str, Any]) -> dict[str, Any]:
    """A paper as ``/api/papers/<id>`` gives it."""
    return {
        "id": p["arxiv_id"],
        "authors": [
            {"_id": f"{i:024x}", "name": name, "hidden": False}
            for i, name in enumerate(p["authors"])
        ],
        "publishedAt": p["published"],
        "submittedOnDailyAt": p["published"],
        "title": p["title"],
        "summary": p.get("summary", ""),
        "upvotes": p.get("upvotes", 3),
        "discussionId": f"{zlib.crc32(p['arxiv_id'].encode()):024x}"[:24],
        "ai_keywords": p.get("keywords", []),
    }


def hf_item(p: dict[str, Any]) -> dict[str, Any]:
    """A paper as ``/api/daily_papers`` and ``/api/papers/search`` list it."""
    return {
        "paper": hf_paper(p),
        "publishedAt": p["published"],
        "title": p["title"],
        "summary": p.get("summary", ""),
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p['arxiv_id']}.png",
        "numComments": p.get("comments", 0),
        "submittedBy": {"_id": "60f1abf8", "fullname": "AK", "user": "akhaliq", "type": "user"},
        "isAuthorParticipating": False,
    }


def atom_entry(p: dict[str, Any]) -> str:
    """A paper as an arXiv Atom ``<entry>``."""
    aid = p["arxiv_id"]
    when = str(p["published"])[:19] + "Z"
    authors = "".join(
        f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in p["authors"]
    )
    cats = p.get("categories") or ["cs.LG"]
    extra = ""
    if p.get("doi"):
        extra += f"    <arxiv:doi>{escape(p['doi'])}</arxiv:doi>\n"
    if p.get("journal_ref"):
        extra += f"    <arxiv:journal_ref>{escape(p['journal_ref'])}</arxiv:journal_ref>\n"
    return (
        f"  <entry>\n    <id>http://arxiv.org/abs/{aid}v1</id>\n    <updated>{when}</updated>\n"
        f"    <published>{when}</published>\n    <title>{escape(p['title'])}</title>\n"
        f"    <summary>  {escape(p.get('summary', ''))}\n</summary>\n{authors}{extra}"
        f'    <link href="https://arxiv.org/abs/{aid}v1" rel="alternate" type="text/html"/>\n'
        f'    <link href="https://arxiv.org/pdf/{aid}v1" rel="related" type="application/pdf"'
        ' title="pdf"/>\n'
        f'    <arxiv:primary_category term="{cats[0]}"/>\n'
        + "".join(
            f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>\n' for c in cats
        )
        + "  </entry>\n"
    )


def openalex_work(p: dict[str, Any]) -> dict[str, Any]:
    """A paper as an OpenAlex work (merged with its published version when it has one)."""
    pub = p.get("openalex") or {}
    arxiv_source = {
        "id": "https://openalex.org/S4306400194",
        "display_name": "arXiv (Cornell University)",
        "type": "repository",
    }
    arxiv_loc = {"is_oa": True, "landing_page_url": f"https://arxiv.org/abs/{p['arxiv_id']}",
                 "pdf_url": f"https://arxiv.org/pdf/{p['arxiv_id']}", "source": arxiv_source,
                 "version": "submittedVersion"}  # fmt: skip
    locations = [arxiv_loc]
    if pub:
        source = {
            "id": "https://openalex.org/S1",
            "display_name": pub["venue"],
            "type": pub.get("type", "journal"),
        }
        locations.insert(0, {"is_oa": False, "landing_page_url": f"https://doi.org/{pub['doi']}",
                             "source": source, "version": "publishedVersion"})  # fmt: skip
    doi = pub.get("doi") or f"10.48550/arxiv.{p['arxiv_id']}"
    return {
        "id": f"https://openalex.org/W{zlib.crc32(p['arxiv_id'].encode()) % 10**10}",
        "doi": f"https://doi.org/{doi}",
        "title": p["title"],
        "display_name": p["title"],
        "publication_year": int(str(p["published"])[:4]),
        "publication_date": str(p["published"])[:10],
        "primary_location": locations[0],
        "type": "article" if pub else "preprint",
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {"id": f"https://openalex.org/A{i}", "display_name": a},
                "raw_author_name": a,
            }
            for i, a in enumerate(p["authors"])
        ],
        "locations": locations,
    }


def _handler(apis: LocalAPIs) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def setup(self) -> None:
            super().setup()  # answers go out at once (no Nagle wait on small writes)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            fault = apis.take_fault(parts.path + ("?" + parts.query if parts.query else ""))
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.seconds)
            if fault is not None and fault.kind == "status":
                self._send(fault.status, "text/plain", "busy", fault.headers or {})
                return
            status, kind, body = apis.answer(parts.path, parse_qs(parts.query))
            if fault is not None and fault.kind == "malformed":
                body = body[: len(body) // 2]
            if fault is not None and fault.kind == "cut":
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data) + 100))
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True
                return
            self._send(status, kind, body, {})

        def _send(self, status: int, kind: str, body: str, headers: dict[str, str]) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Date", formatdate(usegmt=True))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
