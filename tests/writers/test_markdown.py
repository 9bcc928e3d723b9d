"""Markdown reading list."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.schema import conform
from litreview.writers.markdown import md_escape, to_markdown, web_url


def test_reading_list_links_titles_and_shows_notes(tmp_path: Path) -> None:
    df = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    df.loc[0, "url"] = "https://huggingface.co/papers/2501.00001"
    df.at[0, "tags"] = ["radar"]
    df.loc[0, "note"] = "Read *first*"
    df.loc[0, "decision"] = "include"
    path = tmp_path / "list.md"
    text = to_markdown(df, path)
    lines = text.splitlines()
    assert path.read_text(encoding="utf-8") == text
    assert lines[0].startswith(
        f"- [**{df.loc[0, 'title']}**](https://huggingface.co/papers/2501.00001)"
    )
    assert "(2025-01-25)" in lines[0] and "`radar`" in lines[0] and "*include*" in lines[0]
    assert lines[1] == "  > Read \\*first\\*"
    assert text.count("\n- ") == len(df) - 1
    code_line = next(line for line in lines if "CRAFT-SR" in line)
    assert "](https://github.com/AVC2-UESTC/CRAFT-SR)" in code_line


def test_escaping_and_empty() -> None:
    assert md_escape("a_b [c] *d* `e` <f>") == "a\\_b \\[c\\] \\*d\\* \\`e\\` \\<f\\>"
    assert to_markdown(litreview.empty_papers()) == ""


HOSTILE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(document.cookie)",
    "\tjavascript:alert(1)",
    "\x01javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:javascript:alert(1)",
]
HOSTILE_TITLES = [
    "](javascript:alert(1))",
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<javascript:alert(1)>",
    "&lt;b&gt; &#106;avascript",
    "![x](https://evil.example/pixel.png)",
]


def render(markdown: str) -> str:
    """CommonMark to HTML keeping raw HTML and every URL scheme (mistune, as nbconvert
    uses it), so whatever the export lets through shows up here."""
    import mistune

    renderer = mistune.HTMLRenderer(escape=False, allow_harmful_protocols=True)
    return str(mistune.create_markdown(renderer=renderer)(markdown))


def hostile_papers() -> pd.DataFrame:
    base = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    n = len(HOSTILE_URLS)
    df = base.head(n).copy()
    for i, url in enumerate(HOSTILE_URLS):
        df.loc[i, "title"] = HOSTILE_TITLES[i % len(HOSTILE_TITLES)]
        df.loc[i, "url"] = url
        df.at[i, "code_urls"] = [url, "https://github.com/ok/repo", url]
        df.loc[i, "note"] = HOSTILE_TITLES[(i + 1) % len(HOSTILE_TITLES)]
        df.at[i, "tags"] = ["<b>x</b>", "`tick`"]
    return df


def test_only_http_urls_become_links_and_no_html_gets_through() -> None:
    text = to_markdown(hostile_papers())
    html = render(text)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs, html  # the safe code links are still links
    assert all(h == "https://github.com/ok/repo" for h in hrefs), hrefs
    assert not re.search(r"<(script|img|b)\b", html), html
    assert "<a" not in html.replace('<a href="https://github.com/ok/repo">', "")


def test_unsafe_urls_are_kept_as_inert_text() -> None:
    df = hostile_papers()
    lines = to_markdown(df).splitlines()
    bullets = [line for line in lines if line.startswith("- ")]
    assert len(bullets) == len(df)
    for bullet, url in zip(bullets, HOSTILE_URLS, strict=True):
        shown = " ".join(url.split()).strip().replace("\x01", "")
        assert f"`{shown}`" in bullet, (bullet, url)  # nothing lost: the URL is still there
        assert bullet.count("[code](https://github.com/ok/repo)") == 1


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("HTTP://example.org/x_(y)", "HTTP://example.org/x_%28y%29"),
        ("https://example.org/<x>`\\", "https://example.org/%3Cx%3E%60%5C"),
        (" https://example.org/\n", "https://example.org/"),
        ("https://example.org/?a=1&b=2", "https://example.org/?a=1&b=2"),
    ],
)
def test_web_urls_are_linked_with_an_encoded_target(url: str, target: str) -> None:
    assert web_url(url) == target
    df = hostile_papers().head(1)
    df.loc[0, "url"] = url
    html = render(to_markdown(df))
    assert re.findall(r'href="([^"]*)"', html)[0] == target.replace("&", "&amp;")


def test_titles_cannot_open_a_link_or_html() -> None:
    for title in HOSTILE_TITLES:
        df = hostile_papers().head(1)
        df.loc[0, "title"] = title
        df.loc[0, "url"] = "https://example.org/p"
        html = render(to_markdown(df))
        assert re.findall(r"<a ", html) == ["<a "] * 2, (title, html)  # the title and code
        assert html.count('href="https://example.org/p"') == 1
        assert "<script" not in html and "<img" not in html and "&#106;" not in html


def test_a_paper_known_by_its_doi_links_to_it() -> None:
    df = litreview.schema.papers_from_columns(
        {"paper_id": ["a"], "title": ["T"], "doi": ["10.1000/x(1)"]}
    )
    assert "[**T**](https://doi.org/10.1000/x%281%29)" in litreview.to_markdown(df)


def test_a_date_is_shown_at_its_precision() -> None:
    df = litreview.schema.papers_from_columns(
        {
            "paper_id": ["a", "b"],
            "title": ["Year", "Month"],
            "published": pd.to_datetime(["1997-01-01", "2019-06-01"]),
            "date_precision": ["year", "month"],
        }
    )
    text = litreview.to_markdown(df)
    assert "**Year** (1997)" in text.replace("[", "").replace("]", "")
    assert "(2019-06)" in text and "1997-01-01" not in text
