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


def interleaved_batches(
    repeat: int,
    items: list,
    baseline: Callable[[object], object],
    measured: Callable[[object], object],
    batch: int = 10,
) -> tuple[float, float]:
    """Total time of each side over ``items``, as the sum of every batch's fastest run.

    Both sides run on the same small batch in turn, ``repeat`` times; keeping each batch's best
    time filters out the pauses a shared machine adds (a pause spoils one batch, not the total).
    """
    batches = [items[i : i + batch] for i in range(0, len(items), batch)]
    base = [float("inf")] * len(batches)
    meas = [float("inf")] * len(batches)
    clock = time.perf_counter
    for _ in range(repeat):
        for k, chunk in enumerate(batches):
            t = clock()
            for item in chunk:
                baseline(item)
            t1 = clock()
            for item in chunk:
                measured(item)
            t2 = clock()
            base[k] = min(base[k], t1 - t)
            meas[k] = min(meas[k], t2 - t1)
    return sum(base), sum(meas)
