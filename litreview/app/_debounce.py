"""Run a callback once typing pauses, on the kernel's event loop.

>>> calls = []
>>> d = Debouncer(0.25, calls.append)
>>> d("a")  # no running event loop (a script, a test): runs at once
>>> calls
['a']
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class Debouncer:
    """``d(*args)`` calls ``fn(*args)`` ``delay`` seconds after the last call.

    Inside a kernel the call waits on the running asyncio loop; without one
    (a script, a headless test) it runs at once. :meth:`flush` runs a pending
    call now (e.g. before the note box switches to another paper), so nothing
    typed is ever dropped.
    """

    def __init__(self, delay: float, fn: Callable[..., Any]) -> None:
        self.delay = delay
        self.fn = fn
        self._handle: asyncio.TimerHandle | None = None
        self._args: tuple[Any, ...] | None = None

    def __call__(self, *args: Any) -> None:
        self.cancel()
        loop = running_loop()
        if loop is None or self.delay <= 0:
            self.fn(*args)
            return
        self._args = args
        self._handle = loop.call_later(self.delay, self.flush)

    @property
    def pending(self) -> bool:
        return self._args is not None

    def flush(self) -> None:
        """Run the pending call now (no-op when none is pending)."""
        args = self._args
        self.cancel()
        if args is not None:
            self.fn(*args)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._args = None


def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:  # ipykernel runs handlers from the loop's thread; the loop may not be "running" here
        import IPython

        if IPython.get_ipython() is None:
            return None
        loop = asyncio.get_event_loop()
    except Exception:
        return None
    return loop if loop.is_running() else None
