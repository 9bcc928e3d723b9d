"""The review files this process holds open through SQLite, in one registry.

On POSIX, closing *any* descriptor of a file drops every fcntl lock this process
holds on it, including the locks of a live SQLite connection (SQLite's "How To
Corrupt An SQLite Database File", section 2.2). So whatever reads a file with
Python (a listing reader, the review file's header check) first asks here whether
a connection of this process has it open, keyed by ``(st_dev, st_ino)`` so that a
symlink or another spelling of the path is the same file::

    >>> import tempfile, pathlib
    >>> is_open(pathlib.Path(tempfile.mkdtemp()) / "new.litreview")
    False
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Held while the registry changes and while a file is read outside SQLite.
REGISTRY = threading.RLock()
#: ``(st_dev, st_ino)`` -> the live shared connection of this process to that file.
LIVE: dict[tuple[int, int], Any] = {}


def _forget_after_fork() -> None:
    """In a forked child: the parent's connections are not ours (POSIX locks are not
    inherited), so forget them; a review opened in the child gets its own connection."""
    LIVE.clear()
    REGISTRY._at_fork_reinit()  # type: ignore[attr-defined]  # held by a parent thread?


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def file_key(path: Path) -> tuple[int, int] | None:
    """``(st_dev, st_ino)`` of ``path`` (``stat`` opens no descriptor), None if missing."""
    try:
        st = path.stat()
    except (OSError, ValueError):  # missing, unreadable folder, name too long, NUL
        return None
    return st.st_dev, st.st_ino


def is_open(path: Path) -> bool:
    """True when this process has ``path``'s file open as a review (``stat`` only)."""
    key = file_key(path)
    with REGISTRY:
        return key is not None and key in LIVE


@contextmanager
def settled(path: Path) -> Iterator[Any]:
    """Hold :data:`REGISTRY` and yield the live shared connection to ``path``'s file,
    or None when this process has none (then no connection can appear until exit).

    A connection being closed by another thread is waited for.
    """
    while True:
        with REGISTRY:
            key = file_key(path)
            shared = LIVE.get(key) if key is not None else None
            if shared is None or not shared.closing:
                yield shared
                return
        time.sleep(0.001)
