"""Markdown reading list."""

from __future__ import annotations

from pathlib import Path

import litreview
from litreview.export.markdown import md_escape, to_markdown
from litreview.schema import conform


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
