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


#: Inline styles of the highlights (the card is plain HTML: no stylesheet needed).
MARKS = {
    "query": "",
    "include": ' class="lr-kw-include" style="background:#bbf7d0;color:inherit"',
    "exclude": ' class="lr-kw-exclude" style="background:#fecaca;color:inherit"',
}


def _pattern(term: str) -> str:
    words = [re.escape(w) for w in term.split()]
    body = r"\W+".join(words)
    tail = r"\w*" if len(term) >= MIN_PREFIX and " " not in term else ""
    return rf"\b{body}{tail}\b" if tail else rf"\b{body}\b"


def highlight(
    text: Any,
    terms: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> str:
    """Escaped ``text`` with every word starting with one of ``terms`` in ``<mark>``,
    and the review's ``include`` / ``exclude`` keywords marked green / red.

    >>> highlight("a good bad idea", [], include=["good"], exclude=["bad"]).count("lr-kw-")
    2
    """
    raw = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    groups = {"query": terms, "include": include, "exclude": exclude}
    named = [(t, kind) for kind, ts in groups.items() for t in ts if t.strip()]
    if not named or not raw:
        return esc(raw)
    kinds: dict[str, str] = {}
    for term, kind in named:  # the query first: its mark wins over a keyword's
        kinds.setdefault(term.lower(), kind)
    order = sorted(kinds, key=len, reverse=True)
    pattern = re.compile("|".join(f"(?P<g{i}>{_pattern(t)})" for i, t in enumerate(order)), re.I)
    out, last = [], 0
    for match in pattern.finditer(raw):
        kind = kinds[order[int(str(match.lastgroup)[1:])]]
        out.append(html.escape(raw[last : match.start()]))
        out.append(f"<mark{MARKS[kind]}>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(raw[last:]))
    return "".join(out)


def split_keywords(text: Any) -> list[str]:
    """Keywords typed as ``"a, b; c"`` (or a list) as a list, as typed, blanks dropped.

    >>> split_keywords(" LLM agents; tool use,, "), split_keywords(["a", " "])
    (['LLM agents', 'tool use'], ['a'])
    """
    items = re.split(r"[,;\n]", text) if isinstance(text, str) else list(text or [])
    return list(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def keyword_terms(text: str | Sequence[str]) -> list[str]:
    """Keywords typed as ``"a, b; c"`` (or a list) as highlight terms: folded, plural
    endings merged like query words, phrases kept whole, duplicates dropped.

    >>> keyword_terms("Transformers, linear attention; ViT")
    ['transformer', 'linear attention', 'vit']
    """
    from litreview._text import words
    from litreview.query.language import word_prefixes

    items = re.split(r"[,;\n]", text) if isinstance(text, str) else list(text)
    out = []
    for item in items:
        pieces = words(str(item))
        if len(pieces) == 1:
            out.append(pieces[0] if len(pieces[0]) < MIN_PREFIX else word_prefixes(pieces[0])[0])
        elif pieces:
            out.append(" ".join(pieces))
    return list(dict.fromkeys(out))


def link(url: Any, label: str | None = None) -> str:
    """An ``<a>`` opening in a new tab, only for http(s) URLs (else escaped text)."""
    text = "" if url is None or pd.isna(url) else str(url)
    if not re.match(r"https?://", text, re.IGNORECASE):
        return esc(text)
    return (
        f'<a href="{esc(text)}" target="_blank" rel="noopener noreferrer">{esc(label or text)}</a>'
    )


def paper_card(
    paper: pd.Series,
    terms: Sequence[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> str:
    """Title, date, authors/organization, links and the highlighted abstract."""
    marks = {"include": include, "exclude": exclude}
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
        f'<h3 style="margin:4px 0">{highlight(paper.get("title"), terms, **marks)}</h3>'
        f'<div style="color:#555">{meta}</div>'
        f'<div style="color:#555">{" · ".join(x for x in (esc(stats), links) if x)}</div>'
        '<p style="line-height:1.45;max-width:900px">'
        f"{highlight(paper.get('abstract'), terms, **marks)}</p>"
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
    """The status line: the error in red when there is one, else the message. One line
    (cut with … and whole in its tooltip), so a message never moves the page."""
    line = "white-space:nowrap;overflow:hidden;text-overflow:ellipsis;line-height:24px"
    if error:
        return (
            f'<div class="lr-error" title="{esc(error)}" style="color:#b91c1c;{line}">'
            f"⚠ {esc(' '.join(error.split()))}</div>"
        )
    return (
        f'<div class="lr-status" title="{esc(message)}" style="color:#334155;{line}">'
        f"{esc(message)}</div>"
    )


def preview(text: str, lines: int = 20) -> str:
    """The first ``lines`` lines of an exported file in a ``<pre>``."""
    head = text.splitlines()[:lines]
    more = "\n…" if len(text.splitlines()) > lines else ""
    return (
        '<pre style="max-height:300px;overflow:auto;font-size:12px;background:#f8fafc;'
        'white-space:pre-wrap;word-break:normal;overflow-wrap:break-word">'
        f"{esc(chr(10).join(head) + more)}</pre>"
    )
