"""Shared helpers for the benchmarks: timing, memory, the data sets and the table row."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generate import write_listing

DATA = Path(__file__).parent / "data"


@dataclass
class Row:
    """One line of the benchmark table: litreview against a baseline."""

    area: str
    case: str
    papers: int
    litreview_s: float
    baseline: str = ""
    baseline_s: float | None = None
    target: str = ""
    ok: bool | None = None
    notes: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_s:
            return self.litreview_s / self.baseline_s
        return None


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        result = None  # free the previous result before the clock starts, not inside it
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def latencies(
    fn: Callable[[Any], Any], inputs: list[Any], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """Median and 95th percentile seconds of ``fn`` over ``inputs`` (``clock``:
    ``time.process_time`` for CPU seconds, which move much less with a shared machine's load)."""
    times = []
    for item in inputs:
        start = clock()
        fn(item)
        times.append(clock() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def listing(n: int) -> Path:
    """The deterministic benchmark listing of ``n`` papers (generated once, cached)."""
    return write_listing(DATA / f"listing-{n}.txt", n)
