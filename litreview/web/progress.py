"""Progress for long web runs: a ``progress(done, total, message)`` callback drawn as a
tqdm bar on stderr when it is a terminal (silent otherwise: a notebook or the app passes
its own callback).

>>> with terminal_progress("enriching") as progress:
...     progress(1, 2, "arXiv")
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from litreview.web.hf import Progress


@contextmanager
def terminal_progress(desc: str) -> Iterator[Progress]:
    """A progress callback that draws a tqdm bar while the ``with`` block runs."""
    bar: Any = None

    def update(done: int, total: int, message: str) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr)
        bar.total = total
        bar.set_postfix_str(message[:40], refresh=False)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
