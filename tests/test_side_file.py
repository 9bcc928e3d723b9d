"""The side-file container: arrays and string lists back exactly as written (across read
blocks of any size), damage refused, and an early checksum used only for its own file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview import _side_file
from litreview._side_file import EarlyChecksum, SideFormat


class DemoError(ValueError):
    pass


FORMAT = SideFormat(b"LITREVIEW-TEST\n\n", 3, DemoError, strings=("names", "more"))
TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=40)


def write_demo(path: Path, names: list[str]) -> int:
    arrays = {
        "names": np.array(names, dtype=object),
        "n": np.arange(len(names), dtype=np.int64),
        "more": np.array(["tail", ""], dtype=object),
    }
    return FORMAT.write(path, arrays, {"kind": "demo"})


@settings(max_examples=60, deadline=None)
@given(names=st.lists(TEXT, max_size=30), block=st.sampled_from([1, 2, 3, 7, 64, 1 << 20]))
def test_strings_come_back_exactly_whatever_the_read_block(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], block: int
) -> None:
    path = tmp_path_factory.mktemp("side") / "demo"
    write_demo(path, names)
    saved = _side_file.STRING_BLOCK
    _side_file.STRING_BLOCK = block  # blocks end inside strings and inside characters
    try:
        arrays, header = FORMAT.read(path)
    finally:
        _side_file.STRING_BLOCK = saved
    assert arrays["names"].tolist() == names
    assert arrays["more"].tolist() == ["tail", ""]
    assert arrays["n"].tolist() == list(range(len(names)))
    assert header["kind"] == "demo"


def test_written_in_pieces_like_a_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"n{i}-\u00e9\U0001f600" if i % 3 else f"n{i}" for i in range(50)]
    whole = write_demo(tmp_path / "whole", names)
    monkeypatch.setattr(_side_file, "STRING_PIECE", 7)
    assert write_demo(tmp_path / "pieces", names) == whole
    assert (tmp_path / "pieces").read_bytes() == (tmp_path / "whole").read_bytes()
    assert FORMAT.read(tmp_path / "pieces")[0]["names"].tolist() == names


def test_lone_surrogates_survive(tmp_path: Path) -> None:
    write_demo(tmp_path / "f", ["a\ud800b", "\udfff"])
    assert FORMAT.read(tmp_path / "f")[0]["names"].tolist() == ["a\ud800b", "\udfff"]


def test_a_string_holding_nul_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="names holds NUL"):
        write_demo(tmp_path / "f", ["ok", "bad\x00value"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-1], "truncated"),
        (lambda b: b[:10], "truncated"),
        (lambda b: b"X" + b[1:], "not a litreview test file"),
        (lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:], "damaged header"),
        (lambda b: b[:-70] + bytes([b[-70] ^ 4]) + b[-69:], "checksum mismatch|damaged"),
    ],
)
def test_damage_is_refused(tmp_path: Path, damage, message: str) -> None:
    path = tmp_path / "f"
    write_demo(path, ["alpha", "beta", "gamma"])
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DemoError, match=message):
        FORMAT.read(path)


def test_another_format_version_is_refused(tmp_path: Path) -> None:
    write_demo(tmp_path / "f", ["a"])
    newer = SideFormat(FORMAT.magic, 4, DemoError, FORMAT.strings)
    with pytest.raises(DemoError, match="format 3, expected 4"):
        newer.read(tmp_path / "f")


def test_an_early_checksum_vouches_only_for_the_file_it_read(tmp_path: Path) -> None:
    path = tmp_path / "f"
    first = write_demo(path, ["alpha", "beta"])
    early = EarlyChecksum(FORMAT, path)
    future = early.future_for(os.stat(path))
    assert future is not None and future.result() == first
    assert FORMAT.read(path, early)[0]["names"].tolist() == ["alpha", "beta"]

    write_demo(path, ["gamma"])  # replaced: another inode, the early checksum is not used
    assert early.future_for(os.stat(path)) is None
    assert FORMAT.read(path, early)[0]["names"].tolist() == ["gamma"]

    early = EarlyChecksum(FORMAT, path)
    early.future_for(os.stat(path)).result()  # type: ignore[union-attr]
    data = bytearray(path.read_bytes())
    data[-70] ^= 4
    stat = os.stat(path)
    with path.open("r+b") as handle:  # damaged in place, its times put back
        handle.write(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(DemoError, match=r"checksum mismatch|damaged"):
        FORMAT.read(path, early)  # the change time moved: checked again


def test_no_file_no_early_checksum(tmp_path: Path) -> None:
    early = EarlyChecksum(FORMAT, tmp_path / "missing")
    write_demo(tmp_path / "missing", ["late"])
    assert early.future_for(os.stat(tmp_path / "missing")) is None
