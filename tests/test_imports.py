"""The package's import structure: every module imports alone, the core's module graph
has no cycles, and ``import litreview`` stays light (no plotly, scikit-learn, SciPy,
ipywidgets or rapidfuzz until a name that needs them is used)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import litreview

PACKAGE = Path(litreview.__file__).parent
#: Third-party packages ``import litreview`` must not load (each costs 50-800 ms).
HEAVY = ("plotly", "sklearn", "scipy", "ipywidgets", "rapidfuzz")


def module_files(package: Path = PACKAGE, name: str = "litreview") -> dict[str, Path]:
    """Every module of the package: dotted name -> file (``__main__`` left out: importing
    it runs the command line)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = [name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported: at the top level and
    in top-level ``if``/``try`` blocks, not under ``if TYPE_CHECKING`` nor in functions."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse):
                yield from _module_level_imports(block)
            yield from _module_level_imports(node.finalbody)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the modules of ``modules`` its module-level imports name.

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``;
    ``import a.b`` is an edge to ``a.b``. The parent packages that Python initialises
    before a submodule are not edges (a package's ``__init__`` naming its parts is no
    cycle); that every module can be imported first is what the subprocess test checks.
    """
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                edges.add(sub if sub in modules else base)
        graph[name] = {m for m in edges if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: its strongly connected components of more than
    one module (Tarjan's algorithm, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_module_graph_has_no_cycles() -> None:
    graph = import_graph(module_files())
    assert len(graph) > 90 and graph["litreview.query.filters"] >= {"litreview.query.index"}
    assert cycles(graph) == []


def test_cycles_are_found(tmp_path: Path) -> None:
    """The checker itself: a package whose modules import each other is reported,
    TYPE_CHECKING and function-local imports are not edges."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from pkg.a import f\n")
    (pkg / "a.py").write_text("from pkg.sub import b\ndef f(): pass\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text(
        "from ..c import g\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg import a\n"
        "def h():\n    from pkg import a\n"
    )
    (pkg / "c.py").write_text("try:\n    import pkg.sub.b\nexcept ImportError:\n    pass\n")
    graph = import_graph(module_files(pkg, "pkg"))
    assert graph["pkg"] == {"pkg.a"} and graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.c"} and graph["pkg.c"] == {"pkg.sub.b"}
    assert cycles(graph) == [["pkg.c", "pkg.sub.b"]]


#: Run in one subprocess: a first child imports every module and says which other
#: (third-party) modules that loaded; the parent loads those, then forks one child per
#: litreview module, which imports it first thing: a fresh interpreter as far as
#: litreview goes, without paying for pandas or plotly a hundred times.
_IMPORT_EACH = """
import importlib, json, os, sys, traceback

def start(job):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            out, code = job(), 0
        except BaseException:
            out, code = traceback.format_exc()[-2000:], 1
        os.write(write, out.encode())  # small: fits the pipe, so the child never blocks
        os._exit(code)
    os.close(write)
    return pid, read

def finish(pid, read):
    ok = os.waitpid(pid, 0)[1] == 0
    with os.fdopen(read, "rb") as pipe:
        return ok, pipe.read().decode()

names = json.loads(sys.argv[1])

def others():
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException:
            pass
    return json.dumps(sorted(m for m in sys.modules if m.split(".")[0] != "litreview"))

for other in json.loads(finish(*start(others))[1]):
    try:
        importlib.import_module(other)
    except BaseException:
        pass
assert not [m for m in sys.modules if m.split(".")[0] == "litreview"]
failed, running = {}, {}
for i, name in enumerate(names + [None] * (os.cpu_count() or 1)):
    if name is not None:
        running[name] = start(lambda: importlib.import_module(name) and "")
    if len(running) >= (os.cpu_count() or 1) or name is None:
        if running:
            first = next(iter(running))
            ok, error = finish(*running.pop(first))
            if not ok:
                failed[first] = error or "exited with an error"
print(json.dumps(failed))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    names = sorted(module_files())
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, json.dumps(names)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr
    failed = json.loads(done.stdout.splitlines()[-1])
    assert failed == {}, "\n\n".join(f"{name}:\n{error}" for name, error in failed.items())


@pytest.mark.parametrize(
    ("statement", "not_loaded"),
    [
        ("import litreview", HEAVY),
        # the charts need plotly, and scikit-learn only for the topic map
        ("from litreview import charts; charts.timeline(litreview.read_listing("
         "litreview.SAMPLE_LISTING))", ("sklearn", "ipywidgets", "rapidfuzz")),
    ],
)  # fmt: skip
def test_importing_loads_no_heavy_package(statement: str, not_loaded: tuple[str, ...]) -> None:
    code = (
        f"import sys, json, litreview\n{statement}\n"
        f"print(json.dumps(sorted(m for m in {not_loaded!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_lazy_names_work() -> None:
    assert litreview.search.__module__ == "litreview.query.filters"
    assert litreview.SearchIndex.__name__ == "SearchIndex"
    assert {"search", "similar", "prioritize", "charts"} <= set(dir(litreview))
