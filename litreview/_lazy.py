"""Public names of a package imported on first use (PEP 562), written once.

A package lists ``name -> module`` and gets its ``__getattr__`` and ``__dir__``::

    >>> getattr_, dir_ = lazy_names("demo", {"dedent": "textwrap"}, {})
    >>> getattr_("dedent")("  x")
    'x'

A name equal to its module's last part (``"charts": "litreview.charts"``) is the
module itself. The value is cached in the package's namespace, so the import runs
once and later look-ups are plain attribute reads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, names: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` (whose globals are ``namespace``)."""

    def __getattr__(name: str) -> Any:
        module_name = names.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        value = module if module_name.rpartition(".")[2] == name else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted([*namespace, *names])

    return __getattr__, __dir__
