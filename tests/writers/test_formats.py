"""The one format table: export(), the app's Export tab and `litreview export` agree
with it, and the path= writers never replace a file unless asked."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.writers import export, formats, to_bibtex, to_csv, to_markdown, to_ris
from litreview.writers.formats import FORMATS, format_for, get_format, suffix_format
from tests.paths import TESTS

PACKAGE = TESTS.parent / "litreview"
WRITERS = [to_bibtex, to_csv, to_ris, to_markdown]
SUFFIX = re.compile(r"(^|[\s(,{])\.(bib|bibtex|ris|md|markdown|csv)\b")  # not "a.bib"


@pytest.fixture
def df() -> pd.DataFrame:
    return litreview.read_listing(litreview.SAMPLE_LISTING).head(3)


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.__name__)
def test_path_writers_refuse_to_replace_a_file(
    tmp_path: Path, df: pd.DataFrame, writer: Callable[..., str]
) -> None:
    path = tmp_path / "out.txt"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError) as raised:
        writer(df, path)
    assert path.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(FileExistsError) as from_export:
        export(df, path, format="csv")
    assert str(raised.value) == str(from_export.value)  # one message
    assert str(path) in str(raised.value)
    text = writer(df, path, overwrite=True)
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_writes_through_export(
    tmp_path: Path, df: pd.DataFrame, fmt: formats.Format
) -> None:
    assert get_format(fmt.name) is fmt
    for suffix in fmt.suffixes:
        assert suffix_format(suffix.upper()) is format_for(f"x{suffix}")
    path = export(df, tmp_path / f"x{fmt.suffix}", format=fmt.name)
    assert path.read_text(encoding="utf-8") == fmt.write(df).lstrip("\ufeff") or fmt.excel
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == fmt.excel


def test_a_suffix_means_its_first_format() -> None:
    assert format_for("a.csv").name == "csv"  # not excel, which also writes .csv
    assert get_format("excel").suffix == ".csv"
    with pytest.raises(ValueError, match="format must be one of bibtex, biblatex, csv, excel"):
        get_format("docx")
    with pytest.raises(ValueError, match=r"unknown export format 'docx'; use one of \.bib,"):
        format_for("a.bib", "docx")


def test_the_app_and_the_cli_show_the_table() -> None:
    from litreview.app.export_tab import FORMATS as DROPDOWN
    from litreview.cli import build_parser

    assert [(f.label, f.name) for f in FORMATS] == DROPDOWN
    export_help = build_parser()._subparsers._group_actions[0].choices["export"].format_help()  # type: ignore[union-attr]
    assert f"{formats.suffix_list()}; a bare name goes to exports/" in " ".join(export_help.split())


@pytest.mark.parametrize(
    "module",
    ["writers/__init__.py", "app/export_tab.py", "app/state.py", "cli/export.py", "cli/read.py"],
)
def test_no_other_suffix_table(module: str) -> None:
    """Only writers/formats.py says which suffix a format has."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]
    assert not [s for s in strings if SUFFIX.search(s)]
    names = {f.name for f in FORMATS}
    tables = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value in names for k in node.keys)
    ]
    assert not tables  # no {format name: ...} of its own either
