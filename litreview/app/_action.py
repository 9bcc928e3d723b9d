"""How the model's methods fail: the error goes to the status area, never to the caller."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from litreview.app.state import AppState

F = TypeVar("F", bound=Callable[..., Any])


def action(label: str) -> Callable[[F], F]:
    """Run a state method; any exception becomes ``state.error`` (``label: message``)."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(self: AppState, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:  # every error is shown in the status area
                self.fail(f"{label}: {error_text(exc)}")
                return None

        return run  # type: ignore[return-value]

    return wrap


def error_text(exc: BaseException) -> str:
    """``exc`` for the status line (a KeyError without its repr quotes)."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc) or type(exc).__name__
