"""A bounded memo for the per-token caches of the hot path (features, lexicon candidates).

A long-running service sees an endless stream of new words; a first-come dict would keep every one
of them. ``BoundedCache`` keeps at most ``2 × size`` entries in two generations: look-ups read the
current one with a plain ``dict.get`` (no Python call on a hit, so the hot loops stay as fast as with
a dict), a miss consults the previous generation before computing, and when the current generation
is full it becomes the previous one. What is used often survives every rotation; what was seen once
is dropped after two. (``functools.lru_cache`` would need the token, not its key, and a Python call
per look-up.)
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

V = TypeVar("V")


class BoundedCache(dict):
    """A dict of at most about ``2 × size`` entries; fill it with ``remember`` after a ``get`` miss.

    Each value counts 1 towards ``size`` unless ``remember`` is given its ``cost`` (the thread
    message cache counts characters, so a few long messages cannot hold hundreds of megabytes).
    """

    __slots__ = ("size", "previous", "used")

    def __init__(self, size: int):
        super().__init__()
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size}")
        self.size = size
        self.previous: dict[Any, Any] = {}
        self.used = 0  # cost held by the current generation

    def remember(self, key: Any, compute: Callable[[], V], cost: int = 1) -> V:
        """The value for ``key``: from the previous generation, or computed now; stored either way."""
        value = self.previous.get(key)
        if value is None:
            value = compute()
        if self.used + cost > self.size and self:
            self.previous = dict(self)
            self.clear()
            self.used = 0
        self[key] = value
        self.used += cost
        return value

    def reset(self) -> None:
        """Forget everything (both generations)."""
        self.clear()
        self.previous = {}
        self.used = 0

    def entries(self) -> int:
        """How many values are held, both generations together."""
        return len(self) + len(self.previous)
