"""A small HTTP server on 127.0.0.1 that answers from recorded responses in the real APIs'
shapes (tests/fixtures/web/real/), routed by path and query, so the client, the fetchers
and the readers meet the real formats, statuses and headers rather than our stand-in's."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from litreview.web import openalex
from litreview.web.local_server import LoopbackServer

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "web" / "real"
ATOM = "application/atom+xml; charset=UTF-8"
JSON = "application/json; charset=utf-8"

#: (status, content type, body[, other headers]) for a path and its query (each
#: parameter's last value).
Answer = tuple[int, str, bytes] | tuple[int, str, bytes, dict[str, str]]
Route = Callable[[str, dict[str, str]], Answer]


def real(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def answer(status: int, kind: str, text: str, headers: dict[str, str] | None = None) -> Answer:
    return status, kind, text.encode("utf-8"), headers or {}


class RealServer(LoopbackServer):
    """The server: ``route`` answers each request; ``requests`` lists (path, query)."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                owner.requests.append((parts.path, query))
                status, kind, body, *more = owner.route(parts.path, query)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)

    def env(self) -> dict[str, str]:
        return self.api_env("/api", "/api/query", "/openalex")

    def asked(self, path: str) -> list[dict[str, str]]:
        """The queries of the requests made to ``path``."""
        return [q for p, q in self.requests if p == path]


@contextmanager
def serving(route: Route) -> Iterator[RealServer]:
    with RealServer(route) as server:
        yield server


def not_found(path: str, query: dict[str, str]) -> Answer:
    return answer(404, JSON, json.dumps({"error": f"Not found: {path}"}))


def arxiv_route(path: str, q: dict[str, str]) -> Answer:
    """The 2026 arXiv API: id lists answered from arxiv_ids.atom (the ids asked only), a
    malformed id refused with HTTP 400 and an error feed, an unknown search empty."""
    if path != "/api/query":
        return not_found(path, q)
    ids = [i for i in q.get("id_list", "").split(",") if i]
    bad = [i for i in ids if i.startswith("not-an-id")]
    if bad:
        return answer(400, ATOM, real("arxiv_error_400.atom").replace("{bad}", bad[0]))
    if ids:
        feed = real("arxiv_ids.atom")
        head, _, rest = feed.partition("<entry>")
        entries = ["<entry>" + e for e in rest.split("<entry>")]
        entries[-1] = entries[-1].replace("</feed>\n", "")
        kept = [e for e in entries if any(f"/abs/{i}v" in e for i in ids)]
        head = head.replace("<opensearch:totalResults>3", f"<opensearch:totalResults>{len(kept)}")
        return answer(200, ATOM, head + "".join(kept) + "</feed>\n")
    return answer(200, ATOM, real("arxiv_empty.atom"))


def openalex_route(path: str, q: dict[str, str]) -> Answer:
    if path == "/openalex/works" and q.get("filter", "").startswith("doi:"):
        wanted = {v.lower() for v in q["filter"][4:].split("|")}
        body = json.loads(real("openalex_works.json"))
        keep = []
        for work in body["results"]:
            dois = {openalex.bare_doi(work["doi"]).lower()}
            dois |= {
                "10.48550/arxiv." + a for a in openalex.arxiv_ids_of(work)
            }  # OpenAlex finds a merged work by its arXiv DOI too
            if dois & wanted:
                keep.append(work)
        body["results"], body["meta"]["count"] = keep, len(keep)
        return answer(200, JSON, json.dumps(body))
    return not_found(path, q)


def point(monkeypatch: pytest.MonkeyPatch, server: RealServer) -> None:
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
