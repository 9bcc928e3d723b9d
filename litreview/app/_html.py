"""HTML snippets for the app. Every piece of paper or user text is escaped here.

>>> highlight("Vision <b>Transformers</b>", ["transformer"])
'Vision &lt;b&gt;<mark>Transformers</mark>&lt;/b&gt;'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from litreview.query.language import MIN_PREFIX, And, Node, Not, Or, Phrase, Word, parse

HIGHLIGHT_FIELDS = (None, "title", "abstract")


def esc(value: Any) -> str:
    """``value`` as HTML text ('' for missing values)."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def query_terms(query: str) -> list[str]:
    """The words and phrases of ``query`` worth highlighting (not the negated ones).

    >>> query_terms('vision "linear attention" -survey title:vit year:2023')
    ['vision', 'linear attention', 'vit']
    """
    try:
        node = parse(query)
    except ValueError:
        return []
    out: list[str] = []
    _collect(node, out)
    return list(dict.fromkeys(out))


def _collect(node: Node, out: list[str]) -> None:
    if isinstance(node, Not):
        return
    if isinstance(node, And | Or):
        for child in node.children:
            _collect(child, out)
    elif isinstance(node, Word) and node.field in HIGHLIGHT_FIELDS:
        out.extend(node.prefixes if not node.exact else (node.text.lower(),))
    elif isinstance(node, Phrase) and node.field in HIGHLIGHT_FIELDS:
        out.append(" ".join(node.words))


def highlight(text: Any, terms: Sequence[str]) -> str:
    """Escaped ``text`` with every word starting with one of ``terms`` in ``<mark>``."""
    raw = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    if not terms or not raw:
        return esc(raw)
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        words = [re.escape(w) for w in term.split()]
        body = r"\W+".join(words)
        tail = r"\w*" if len(term) >= MIN_PREFIX and " " not in term else ""
        parts.append(rf"\b{body}{tail}\b" if tail else rf"\b{body}\b")
    pattern = re.compile("|".join(parts), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(raw):
        out.append(html.escape(raw[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(raw[last:]))
    return "".join(out)


def link(url: Any, label: str | None = None) -> str:
    """An ``<a>`` opening in a new tab, only for http(s) URLs (else escaped text)."""
    text = "" if url is None or pd.isna(url) else str(url)
    if not re.match(r"https?://", text, re.IGNORECASE):
        return esc(text)
    return (
        f'<a href="{esc(text)}" target="_blank" rel="noopener noreferrer">{esc(label or text)}</a>'
    )


def paper_card(paper: pd.Series, terms: Sequence[str]) -> str:
    """Title, date, authors/organization, links and the highlighted abstract."""
    date = paper.get("published")
    when = "" if date is None or pd.isna(date) else f"{pd.Timestamp(date):%b %d, %Y}"
    authors = list(paper.get("authors") or [])
    org = paper.get("organization")
    n = paper.get("n_authors")
    if authors:
        who = ", ".join(authors[:12]) + (f" … (+{len(authors) - 12})" if len(authors) > 12 else "")
    elif org is not None and not pd.isna(org):
        who = str(org)
    else:
        who = ""
    count = "" if n is None or pd.isna(n) else f"{int(n)} authors"
    meta = " · ".join(esc(x) for x in (when, who, count) if x)
    counts = ((paper.get(k), k) for k in ("comments", "upvotes"))
    stats = " · ".join(f"{int(v)} {k}" for v, k in counts if v is not None and not pd.isna(v))
    links = _links(paper)
    return (
        '<div class="lr-paper">'
        f'<h3 style="margin:4px 0">{highlight(paper.get("title"), terms)}</h3>'
        f'<div style="color:#555">{meta}</div>'
        f'<div style="color:#555">{" · ".join(x for x in (esc(stats), links) if x)}</div>'
        f'<p style="line-height:1.45;max-width:900px">{highlight(paper.get("abstract"), terms)}</p>'
        "</div>"
    )


def _links(paper: pd.Series) -> str:
    out = []
    url = paper.get("url")
    if url is not None and not pd.isna(url):
        out.append(link(url, "paper page"))
    arxiv = paper.get("arxiv_id")
    if arxiv is not None and not pd.isna(arxiv):
        out.append(link(f"https://arxiv.org/abs/{arxiv}", f"arXiv {arxiv}"))
    out += [link(u, "code") for u in list(paper.get("code_urls") or [])[:3]]
    out += [link(u, "project") for u in list(paper.get("project_urls") or [])[:3]]
    return " · ".join(out)


def history_table(history: pd.DataFrame, limit: int = 12) -> str:
    """The latest ``limit`` changes of a paper, newest first, as a small table."""
    if history.empty:
        return '<div style="color:#666">No changes yet.</div>'
    rows: Any = history.iloc[::-1].head(limit)
    body = "".join(
        f"<tr><td>{esc(f'{pd.Timestamp(r.at):%Y-%m-%d %H:%M}' if pd.notna(r.at) else '')}</td>"
        f"<td>{esc(r.reviewer)}</td><td>{esc(r.field)}</td>"
        f"<td>{esc(_value(r.old_value))} → {esc(_value(r.new_value))}</td></tr>"
        for r in rows.itertuples()
    )
    more = f"<div>… {len(history) - limit} older changes</div>" if len(history) > limit else ""
    return (
        '<table class="lr-history" style="font-size:12px"><tr><th>when (UTC)</th>'
        f"<th>who</th><th>field</th><th>change</th></tr>{body}</table>{more}"
    )


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def status_html(message: str, error: str) -> str:
    """The status line: the error in red when there is one, else the message."""
    if error:
        return (
            f'<div class="lr-error" style="color:#b91c1c;white-space:pre-wrap">⚠ {esc(error)}</div>'
        )
    return f'<div class="lr-status" style="color:#334155">{esc(message)}</div>'


def preview(text: str, lines: int = 20) -> str:
    """The first ``lines`` lines of an exported file in a ``<pre>``."""
    head = text.splitlines()[:lines]
    more = "\n…" if len(text.splitlines()) > lines else ""
    return (
        '<pre style="max-height:300px;overflow:auto;font-size:12px;background:#f8fafc">'
        f"{esc(chr(10).join(head) + more)}</pre>"
    )
