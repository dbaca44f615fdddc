"""Where partitions are scored: in this process, in local worker processes, or on a Dask cluster.

An engine takes ``(tag, conversations)`` jobs and yields ``(tag, results)`` in the order the jobs
came in, keeping only a few partitions in flight, so memory stays bounded whatever the input's
size. The tag stays in this process; only the conversations travel.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from contextlib import ExitStack
from typing import Any, Iterable, Iterator, Sequence

from .batch_score import Options, Scored, analyzer_for, score_partition
from .readers import Conversation

Job = tuple[Any, Sequence[Conversation]]
ENGINES = ("local", "dask")


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ordered(jobs: Iterable[Job], submit: Any, window: int) -> Iterator[tuple[Any, list[Scored]]]:
    pending: deque = deque()
    for tag, part in jobs:
        pending.append((tag, submit(part)))
        if len(pending) >= window:
            tag, result = pending.popleft()
            yield tag, result()
    while pending:
        tag, result = pending.popleft()
        yield tag, result()


def _worker_start(options: Options) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    analyzer_for(options)  # load the model once, before the first partition


def run_local(jobs: Iterable[Job], options: Options, workers: int) -> Iterator[tuple[Any, list[Scored]]]:
    """Score in this process (one worker) or in ``workers`` processes that each load the model once."""
    if workers <= 1:
        for tag, part in jobs:
            yield tag, score_partition(part, options)
        return
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_start, initargs=(options,))
    try:
        yield from _ordered(
            jobs, lambda part: pool.apply_async(score_partition, (part, options)).get, window=workers * 3
        )
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def identity(options: Options) -> tuple[str, str | None]:
    """This process's hisho-tone version and model id (the model loaded once, here)."""
    from . import __version__

    return __version__, getattr(analyzer_for(options).model, "id", None)


def run_dask(
    jobs: Iterable[Job], options: Options, scheduler: str | None, workers: int
) -> Iterator[tuple[Any, list[Scored]]]:
    """Score on a Dask cluster: the one at ``scheduler``, or a LocalCluster of ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise RuntimeError(f"--engine dask needs dask.distributed: pip install 'hisho-tone[dask]' ({exc})") from exc
    with ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            )
            client = stack.enter_context(Client(cluster))
        here = identity(options)
        for worker, there in client.run(identity, options).items():
            if tuple(there) != here:
                raise RuntimeError(
                    f"Dask worker {worker} runs hisho-tone {there[0]} with model {there[1]}, this driver {here[0]} with model {here[1]}: install the same version everywhere"
                )
        slots = max(1, sum(client.nthreads().values()))
        yield from _ordered(
            jobs, lambda part: client.submit(score_partition, part, options, pure=False).result, window=slots * 3
        )
