"""The README's quick tour runs as written, and its first commands are the two documented ones."""

from __future__ import annotations

import os
import re
from pathlib import Path

import litreview
from tests.paths import TESTS

README = TESTS.parent / "README.md"


def tour_code() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick tour", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the quick tour has a python block"
    return match.group(1)


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, re.DOTALL)
    assert first_block
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]


def test_quick_tour_runs(tmp_path: Path) -> None:
    code = tour_code()
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    (tmp_path / "exports").mkdir()
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        namespace: dict[str, object] = {}
        exec(compile(code, "README quick tour", "exec"), namespace)
        review = namespace["review"]
        assert isinstance(review, litreview.Review)
        papers = review.papers
        assert (papers.decision == "include").sum() == 3
        assert (papers.decision == "exclude").sum() == 0  # undone
        assert (papers.tags.map(lambda t: "vit" in t)).sum() == 3
        bib = (tmp_path / "exports" / "tour.bib").read_text(encoding="utf-8")
        assert bib.count("@misc{") == 3
        review.close()
    finally:
        os.chdir(cwd)
