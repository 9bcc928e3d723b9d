"""Markdown reading list for a README or a wiki.

One bullet per paper: the title linked to its page (or else its code), the
date, more code links, the tags, the decision and the user's note. Only
``http(s)`` URLs become links; any other (``javascript:``, ``data:``, ...) is
shown as inert code text, and every piece of paper or user text is escaped,
so a listing cannot put a link or HTML of its own into the reading list::

    >>> import litreview
    >>> df = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> print(to_markdown(df.iloc[[2]]).replace(df.loc[2, "title"], "…"))
    - [**…**](https://github.com/AVC2-UESTC/CRAFT-SR) (2023-08-09)
    <BLANKLINE>
"""

from __future__ import annotations

import os
import re

import pandas as pd

from litreview._files import write_atomic
from litreview.ids import doi_url
from litreview.writers._fields import Row, as_list, one_line, page_url, paper_rows, terms

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
#: A URL that may be linked: http or https, then a host (checked after stripping).
_WEB_URL = re.compile(r"https?://[^/\s\\]", re.IGNORECASE)
#: Characters percent-encoded in a link target, so it cannot end early or hold markup.
_URL_UNSAFE = re.compile(r'[\x00-\x20\x7f()<>\\`"]|\s')
_TICKS = re.compile(r"`+")


def to_markdown(
    df: pd.DataFrame, path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> str:
    """The papers as a Markdown bullet list; also written to ``path`` when given
    (an existing file is replaced only with ``overwrite=True``).

    >>> import litreview
    >>> to_markdown(litreview.read_listing(litreview.SAMPLE_LISTING)).count("\\n- ")
    35
    """
    text = "".join(markdown_item(row) for row in paper_rows(df))
    if path is not None:
        write_atomic(path, text, overwrite=overwrite)
    return text


def markdown_item(row: Row) -> str:
    """One paper as a Markdown bullet (with its note as an indented line)."""
    title = md_escape(one_line(row["title"] or "(untitled)"))
    code = as_list(row["code_urls"])
    page = page_url(row) or (doi_url(row["doi"]) if row.get("doi") else None)
    link = page or (code[0] if code else None)
    head = md_link(f"**{title}**", link) if link else f"**{title}**"
    parts = [head]
    if row["published"] is not None:
        shown = {"year": "%Y", "month": "%Y-%m"}.get(row.get("date_precision") or "", "%Y-%m-%d")
        parts[0] += f" ({row['published'].strftime(shown)})"  # a year alone is no 1 January
    extra_code = code if page else code[1:]
    if extra_code:
        parts.append(" ".join(md_link("code", u) for u in extra_code))
    tags = terms(row)
    if tags:
        parts.append(" ".join(code_span(t) for t in tags))
    if row["decision"] and str(row["decision"]) != "unscreened":
        parts.append(f"*{md_escape(str(row['decision']))}*")
    lines = ["- " + " · ".join(parts)]
    if row["note"]:
        lines.append("  > " + md_escape(one_line(str(row["note"]))))
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """Backslash-escape the characters Markdown would read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def web_url(url: str) -> str | None:
    """``url`` ready for a Markdown link target if it is http(s), else ``None``.

    Surrounding whitespace and control characters are dropped first (browsers
    ignore them too, so `` JavaScript:`` is caught); characters that could end
    the target or start markup are percent-encoded.

    >>> web_url(" https://example.org/a b(1)"), web_url(" JavaScript:alert(1)")
    ('https://example.org/a%20b%281%29', None)
    """
    text = url.strip("".join(map(chr, range(33))) + "\x7f")
    if not _WEB_URL.match(text):
        return None
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


def md_link(label: str, url: str) -> str:
    """``[label](url)`` for an http(s) URL; else ``label`` and the URL as inert code.

    >>> md_link("code", "https://github.com/x/y"), md_link("code", "javascript:alert(1)")
    ('[code](https://github.com/x/y)', 'code `javascript:alert(1)`')
    """
    target = web_url(url)
    return f"[{label}]({target})" if target else f"{label} {code_span(url)}"


def code_span(text: str) -> str:
    """``text`` as a Markdown code span (shown as is: no link, no HTML), on one line.

    >>> code_span("a`b")
    '``a`b``'
    """
    text = one_line(text)
    fence = "`" * (max(map(len, _TICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
