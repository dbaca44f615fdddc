"""A JSONL output that survives a kill: whole lines only, resumable.

Lines are written unbuffered, a batch of whole lines at a time, and synced to disk at most once
a second and at the end. An interrupted write is cut back to the last whole line on close; after
a kill or power loss, ``resume=True`` cuts the file back to its last complete, valid line and
counts the lines, so the batch can skip what is already there.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Iterable

_TAIL = 1 << 16


def _rfind_newline(fh: Any, before: int) -> int:
    """Offset of the last newline before ``before``, or -1."""
    end = before
    while end > 0:
        start = max(0, end - _TAIL)
        fh.seek(start)
        found = fh.read(end - start).rfind(b"\n")
        if found >= 0:
            return start + found
        end = start
    return -1


def _repair(path: Path) -> tuple[int, Any]:
    """Cut ``path`` after its last complete JSON line; return (line count, that line parsed)."""
    last = None
    with path.open("r+b") as fh:
        end = _rfind_newline(fh, fh.seek(0, os.SEEK_END)) + 1
        while end > 0:
            start = _rfind_newline(fh, end - 1) + 1
            fh.seek(start)
            try:
                last = json.loads(fh.read(end - start))
                break
            except ValueError:  # a whole but garbled line (power loss): drop it too
                end = start
        fh.truncate(end)
        fh.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return lines, last


class JsonlOutput:
    """Append whole lines to ``path``; with ``resume`` keep the complete lines already there."""

    def __init__(self, path: str | Path, resume: bool = False):
        self.path = Path(path)
        self.lines, self.last = _repair(self.path) if resume and self.path.exists() else (0, None)
        self._fh = self.path.open("ab" if resume else "wb", buffering=0)
        self._committed = self._fh.seek(0, os.SEEK_END)
        self._synced = time.monotonic()

    def write(self, lines: Iterable[str]) -> None:
        """Write whole lines (each ends with a newline)."""
        data = "".join(lines).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[self._fh.write(view) :]
        self._committed += len(data)

    def sync(self, force: bool = False) -> None:
        """Put what was written on disk (at most once a second unless forced)."""
        if force or time.monotonic() - self._synced >= 1.0:
            os.fsync(self._fh.fileno())
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fh.closed:
            return
        if self._fh.tell() != self._committed:  # a write was interrupted: no half line stays
            self._fh.truncate(self._committed)
        self.sync(force=True)
        self._fh.close()

    def __enter__(self) -> "JsonlOutput":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
