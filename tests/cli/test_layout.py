"""The command line's layout: one module per command (its options, help and handler
together), and no private names imported across modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from litreview.cli import COMMANDS, HANDLERS, build_parser
from litreview.cli.run import COMMAND_MODULES
from tests.paths import TESTS

ROOT = TESTS.parent
CLI = ROOT / "litreview" / "cli"


@pytest.mark.parametrize("module", COMMAND_MODULES, ids=lambda m: m.NAME)
def test_each_command_is_one_module(module: object) -> None:
    name = module.NAME  # type: ignore[attr-defined]
    assert HANDLERS[name] is module.handle  # type: ignore[attr-defined]
    assert COMMANDS[name] == (module.SUMMARY, module.EXAMPLES)  # type: ignore[attr-defined]
    sub = build_parser()._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
    assert module.SUMMARY[1:] in sub.format_help()  # type: ignore[attr-defined]


def test_no_module_is_named_like_what_the_package_exports() -> None:
    import litreview.cli

    modules = {p.stem for p in CLI.glob("*.py")}
    assert not modules & set(litreview.cli.__all__)
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 400 for p in CLI.glob("*.py"))


def private_imports(path: Path) -> list[str]:
    """``from litreview.x import _y`` lines of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("litreview")
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__version__"
    ]


def test_no_private_names_across_modules() -> None:
    paths = [
        *(ROOT / "litreview" / "cli").rglob("*.py"),
        *(ROOT / "litreview" / "writers").rglob("*.py"),
        *(ROOT / "tests" / "cli").rglob("*.py"),
        *(ROOT / "tests" / "writers").rglob("*.py"),
        ROOT / "benchmarks" / "bench_export.py",
    ]
    assert [line for path in paths for line in private_imports(path)] == []
