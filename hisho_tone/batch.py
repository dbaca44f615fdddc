"""Score a whole archive: read, partition by conversation, score on an engine, write in order.

``run_batch`` streams the input (``readers.read``) in partitions of whole conversations, scores
them on the local workers or a Dask cluster (``batch_engines``), and writes one line per message
(and per conversation) in input order, so the output's bytes never depend on the engine or the
number of workers. With ``resume`` it skips the lines already written (``batch_output``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from . import readers
from .batch_engines import default_workers, run_dask, run_local
from .batch_output import JsonlOutput
from .batch_score import Options

PARTITION_MESSAGES = 200  # messages per job: big enough to amortise the hand-over, small enough to resume


class ResumeMismatch(ValueError):
    """The output to resume was not written from this input."""


@dataclass
class Summary:
    messages: int = 0  # messages in the input (scored now or before a resume)
    conversations: int = 0
    errors: int = 0  # records that could not be read
    scored: int = 0  # messages scored in this run


@dataclass(frozen=True, slots=True)
class _Todo:
    """What one conversation still needs: its message lines from ``skip`` on, and its thread line."""

    size: int
    skip: int
    thread: bool


def _jobs(
    items: Iterator[readers.Item],
    out: JsonlOutput,
    threads: JsonlOutput | None,
    errors: JsonlOutput | None,
    summary: Summary,
) -> Iterator[tuple[list[_Todo], list[readers.Conversation]]]:
    """Partitions of the conversations that still need work; errors are written as they are read."""
    tags: list[_Todo] = []
    part: list[readers.Conversation] = []
    size = 0
    for item in items:
        if isinstance(item, readers.ReadError):
            summary.errors += 1
            if errors is not None and summary.errors > errors.lines:
                errors.write([_dumps(item.to_dict())])
            continue
        first, n = summary.messages, len(item.messages)
        summary.messages += n
        summary.conversations += 1
        if first < out.lines <= first + n:
            _check_resume(out, item.messages[out.lines - first - 1].id)
        need_thread = threads is not None and summary.conversations > threads.lines
        if first + n <= out.lines and not need_thread:
            continue
        tags.append(_Todo(n, max(0, out.lines - first), need_thread))
        part.append(item)
        size += n
        if size >= PARTITION_MESSAGES:
            yield tags, part
            tags, part, size = [], [], 0
    if part:
        yield tags, part


def _check_resume(out: JsonlOutput, expected: str) -> None:
    found = out.last.get("id") if isinstance(out.last, dict) else None
    if found != expected:
        raise ResumeMismatch(
            f"{out.path} does not continue this input (its last line is message {found!r}, the input has {expected!r} there): remove it or run without --resume"
        )


def _dumps(record: dict[str, Any]) -> str:
    import json

    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _progress(enabled: bool, total: int | None, initial: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="msg",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
        smoothing=0.05,
    )


def run_batch(
    source: str | Path,
    output: str | Path,
    *,
    fmt: str = "auto",
    threads_path: str | Path | None = None,
    errors_path: str | Path | None = None,
    me: str | None = None,
    gap_hours: float = 3.0,
    channel: str = "chat",
    options: Options | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
    select: Callable[[readers.Conversation], readers.Conversation | None] | None = None,
) -> Summary:
    """Score every message of ``source`` into ``output`` (JSONL); see the module docstring."""
    options = options or Options()
    if threads_path is not None and not options.threads:
        options = replace(options, threads=True)
    workers = workers or default_workers()
    items = readers.read(source, fmt, me=me, gap_hours=gap_hours, channel=channel)
    if select is not None:  # e.g. hisho-tone report's --since/--until: trim or drop conversations before scoring
        items = (
            kept
            for item in items
            if (kept := item if isinstance(item, readers.ReadError) else select(item)) is not None
        )
    summary = Summary()
    with (
        JsonlOutput(output, resume) as out,
        _maybe(threads_path, resume) as threads,
        _maybe(errors_path, resume) as errors,
    ):
        total = readers.count(source, fmt) if progress else None
        with _progress(progress, total, out.lines) as bar:
            jobs = _jobs(items, out, threads, errors, summary)
            if engine == "dask":
                scored = run_dask(jobs, options, scheduler, workers)
            elif engine == "local":
                scored = run_local(jobs, options, workers)
            else:
                raise ValueError(f"unknown engine {engine!r}: use local or dask")
            for todos, results in scored:
                for todo, result in zip(todos, results):
                    out.write(result.messages[todo.skip :])
                    if todo.thread and threads is not None and result.thread is not None:
                        threads.write([result.thread])
                    summary.scored += todo.size - todo.skip
                    bar.update(todo.size - todo.skip)
                for f in (out, threads, errors):
                    if f is not None:
                        f.sync()
        if out.lines > summary.messages:
            raise ResumeMismatch(
                f"{out.path} has {out.lines} lines but the input only {summary.messages} messages: remove it or run without --resume"
            )
    return summary


class _maybe:
    """A JsonlOutput when a path is given, else None (usable in one ``with``)."""

    def __init__(self, path: str | Path | None, resume: bool):
        self.output = JsonlOutput(path, resume) if path is not None else None

    def __enter__(self) -> JsonlOutput | None:
        return self.output

    def __exit__(self, *exc: object) -> None:
        if self.output is not None:
            self.output.close()
