"""Markdown reading list for a README or a wiki.

One bullet per paper: the title linked to its page (or else its code), the
date, more code links, the tags, the decision and the user's note::

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

from litreview.export._atomic import write_atomic
from litreview.export._fields import Row, as_list, one_line, page_url, paper_rows, terms

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def to_markdown(df: pd.DataFrame, path: str | os.PathLike[str] | None = None) -> str:
    """The papers as a Markdown bullet list; also written to ``path`` when given.

    >>> import litreview
    >>> to_markdown(litreview.read_listing(litreview.SAMPLE_LISTING)).count("\\n- ")
    35
    """
    text = "".join(markdown_item(row) for row in paper_rows(df))
    if path is not None:
        write_atomic(path, text)
    return text


def markdown_item(row: Row) -> str:
    """One paper as a Markdown bullet (with its note as an indented line)."""
    title = md_escape(one_line(row["title"] or "(untitled)"))
    code = as_list(row["code_urls"])
    page = page_url(row)
    link = page or (code[0] if code else None)
    head = f"[**{title}**]({_url(link)})" if link else f"**{title}**"
    parts = [head]
    if row["published"] is not None:
        parts[0] += f" ({row['published'].strftime('%Y-%m-%d')})"
    extra_code = code if page else code[1:]
    if extra_code:
        parts.append(" ".join(f"[code]({_url(u)})" for u in extra_code))
    tags = terms(row)
    if tags:
        parts.append(" ".join(f"`{t.replace('`', '')}`" for t in tags))
    if row["decision"] and str(row["decision"]) != "unscreened":
        parts.append(f"*{row['decision']}*")
    lines = ["- " + " · ".join(parts)]
    if row["note"]:
        lines.append("  > " + md_escape(one_line(str(row["note"]))))
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """Backslash-escape the characters Markdown would read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _url(url: str) -> str:
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
