"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import time
from typing import Callable


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def interleaved(repeat: int, baseline: Callable[[], object], measured: Callable[[], object]) -> tuple[float, float]:
    """Best time of each, running them in turn: a noisy neighbour slows both sides alike."""
    base = meas = float("inf")
    for _ in range(repeat):
        base = min(base, best_of(1, baseline))
        meas = min(meas, best_of(1, measured))
    return base, meas
