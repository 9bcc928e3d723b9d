"""Write a file atomically: a temporary file in the same folder, then a rename.

A reader never sees a half-written export, and an interrupted export leaves
the previous file intact::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "hi").read_text()
    'hi'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from litreview._open_files import is_open


def write_atomic(
    path: str | os.PathLike[str], text: str | Iterable[str], *, overwrite: bool = True
) -> Path:
    """Write ``text`` (or its pieces, one after the other) as UTF-8 to ``path`` through a
    temporary file and a rename.

    With ``overwrite=False`` an existing file is left alone and
    :class:`FileExistsError` is raised (checked atomically where the file
    system supports hard links). A review this process has open is never
    replaced, whatever ``overwrite`` says. Returns the path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and target.exists():
        raise file_exists_error(target)
    if is_open(target):  # replacing it would leave the live connection on a deleted file
        raise FileExistsError(f"{target} is a review this process has open; choose another name")
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for piece in [text] if isinstance(text, str) else text:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_without_replacing(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


def _link_without_replacing(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` unless ``target`` exists (no race on POSIX)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise file_exists_error(target) from None
    except OSError:  # file system without hard links: best effort
        if target.exists():
            raise file_exists_error(target) from None
        os.replace(tmp, target)


def file_exists_error(target: Path) -> FileExistsError:
    """The error for a file that is there and may not be replaced (one message everywhere)."""
    return FileExistsError(
        f"{target} already exists; pass overwrite=True to replace it or choose another name"
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
