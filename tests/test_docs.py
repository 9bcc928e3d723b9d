"""The docs stay honest: their Python examples run, their links resolve, the README stays short.

Convention for ``docs/*.md``: every ```python block runs, in order, one namespace per
page, in a fresh working directory that holds an empty ``exports/`` folder (so
``Review.open("x.litreview")`` and ``export(df, "x.bib")`` write there, never in the
repository). A block that needs a network or a browser is preceded by the line
``<!-- not run -->`` (optionally ``<!-- not run: why -->``) and is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import plotly.io as pio
import pytest

import litreview
from tests.paths import TESTS

ROOT = TESTS.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
MAX_README_LINES = 150

FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.DOTALL | re.MULTILINE)
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NOT_RUN = re.compile(r"<!--\s*not run\b[^>]*-->\s*\Z")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def python_blocks(text: str) -> list[tuple[str, bool]]:
    """Every ```python block of a page with whether it runs (no ``<!-- not run -->`` before it)."""
    blocks = []
    for match in PYTHON_BLOCK.finditer(text):
        before = text[: match.start()]
        blocks.append((match.group(1), not NOT_RUN.search(before)))
    return blocks


def runnable(page: Path) -> list[str]:
    return [code for code, runs in python_blocks(page.read_text(encoding="utf-8")) if runs]


def prose(text: str) -> str:
    """The page without fenced blocks and inline code, where a ``[x](y)`` is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = INLINE_CODE.sub(lambda m: m.group(0).strip("`"), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link keeps its text
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(c for c in text if c.isalnum() or c in "-_ ")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every ``#anchor`` a page offers, numbered like GitHub when a heading repeats."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file (no http:, mailto: and the like)."""
    targets = LINK.findall(prose(path.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", t)]


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """The links of ``path`` to a file under ``root`` that is missing, or to a missing heading."""
    broken = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path.resolve()
        try:
            name = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            broken.append(f"{target} (outside the repository)")
            continue
        if not resolved.exists():
            broken.append(f"{target} (no file {name})")
            continue
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no heading #{anchor} in {name})")
    return broken


# ------------------------------------------------------------------------ examples run


@pytest.mark.parametrize("page", [p for p in PAGES if runnable(p)], ids=lambda p: p.name)
def test_docs_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)
    renderer = pio.renderers.default  # charts.use_offline_renderer() changes it for the process
    namespace: dict[str, object] = {"__name__": "__docs__"}
    try:
        for number, code in enumerate(runnable(page), start=1):
            exec(compile(code, f"{rel(page)}, python block {number}", "exec"), namespace)
    finally:
        pio.renderers.default = renderer
        for value in namespace.values():
            if isinstance(value, litreview.Review):
                value.close()


def test_the_topic_pages_have_examples_that_run() -> None:
    """The extraction finds the examples: a page losing them all (or a broken fence) fails."""
    expected = {"formats.md", "query.md", "review.md", "charts.md", "exports.md", "app.md"}
    with_examples = {page.name for page in PAGES if runnable(page)}
    assert expected <= with_examples, f"no runnable python block in {expected - with_examples}"


def test_not_run_markers_stand_right_before_a_python_block() -> None:
    """A ``<!-- not run -->`` that skips nothing (a typo, a moved block) is a mistake."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        markers = len(re.findall(r"<!--\s*not run\b", prose(text)))
        skipped = sum(not runs for _, runs in python_blocks(text))
        assert markers == skipped, f"{rel(page)}: {markers} not-run markers, {skipped} skipped"


def test_python_block_detection() -> None:
    text = "x\n```python\na = 1\n```\n<!-- not run: needs a network -->\n```python\nb = 2\n```\n"
    assert python_blocks(text) == [("a = 1\n", True), ("b = 2\n", False)]


# ------------------------------------------------------------------------ links resolve


@pytest.mark.parametrize("path", [README, *PAGES], ids=rel)
def test_relative_links_resolve(path: Path) -> None:
    assert broken_links(path) == []


def test_the_link_checker_sees_the_links_of_the_readme_and_the_index() -> None:
    """Every page is linked from both, so a checker that finds too few links is broken."""
    for path in (README, DOCS / "index.md"):
        assert len(links(path)) >= len(PAGES) - 1, f"too few links found in {rel(path)}"


def test_link_checker_finds_a_broken_link_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "query.md").write_text("# Query\n\n## The query language\n")
    page = tmp_path / "docs" / "probe.md"
    page.write_text(
        "# Probe\n[ok](query.md#the-query-language) [self](#probe) [gone](nothing.md)\n"
        "[bad](query.md#nowhere) [web](https://example.org/x.md) `[code](nothing.md)`\n"
        "```text\n[fenced](nothing.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, root=tmp_path) == [
        "nothing.md (no file docs/nothing.md)",
        "query.md#nowhere (no heading #nowhere in docs/query.md)",
    ]
    assert "data-model" in anchors(DOCS / "formats.md")
    assert slug('Searching, "more like this" and `screening`') == (
        "searching-more-like-this-and-screening"
    )


def test_every_page_is_listed_in_the_index_and_the_readme() -> None:
    index = {target.partition("#")[0] for target in links(DOCS / "index.md")}
    readme = {target.partition("#")[0] for target in links(README)}
    for page in PAGES:
        if page.name != "index.md":
            assert page.name in index, f"docs/index.md does not link {page.name}"
            assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"
    for promised in ("safety.md", "architecture.md"):
        assert promised in index and f"docs/{promised}" in readme


# ------------------------------------------------------------------------ README is short


def test_readme_is_a_landing_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines"
    assert "![" in "\n".join(lines) and "docs/images/app.png" in "\n".join(lines)
