"""Small helpers the views share: error-safe callbacks and loop-free two-way sync."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

if TYPE_CHECKING:
    from litreview.app.state import AppState


def guard(state: AppState, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with any exception shown in the status area instead of the kernel log."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            state.fail(f"{getattr(fn, '__name__', 'action').strip('_')}: {exc}")
            return None

    return run


class Quiet:
    """A flag that marks programmatic widget updates, so observers do not write back."""

    def __init__(self) -> None:
        self.on = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        old, self.on = self.on, True
        try:
            yield
        finally:
            self.on = old


def button(label: str, cls: str, style: str = "", tooltip: str = "", width: str = "") -> Any:
    b = widgets.Button(description=label, button_style=style, tooltip=tooltip or label)
    if width:
        b.layout.width = width
    b.add_class(cls)
    return b


def hidden(widget: Any, hide: bool) -> None:
    widget.layout.display = "none" if hide else None
