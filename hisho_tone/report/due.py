"""When was a call due? The first message at which ``analyze_thread`` said call.

Run only for conversations whose final verdict is call (or video). Each message is inspected
once (``_Memo`` keeps the analyses); only the thread-level steps run again for each prefix. Long
conversations are scanned in at most ``MAX_STEPS`` strides and the stride where the verdict first
turns is then read message by message, so the cost stays bounded.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..analysis import Analysis
from ..analyzer import Analyzer
from ..thread import analyze_thread

MAX_STEPS = 40
CALL = ("call", "video")


class _Memo:
    """An Analyzer that inspects and scores each message once, however many prefixes read it."""

    def __init__(self, analyzer: Analyzer):
        self._analyzer = analyzer
        self._inspected: dict[tuple[str, str], Analysis] = {}
        self._advised: dict[tuple[int, str], Any] = {}

    def inspect(self, text: str, channel: str = "chat") -> Analysis:
        key = (text, channel)
        if key not in self._inspected:
            self._inspected[key] = self._analyzer.inspect(text, channel)
        return self._inspected[key]

    def advise(self, analysis: Analysis, sensitivity: str = "normal") -> Any:
        key = (id(analysis), sensitivity)  # the analyses stay alive in _inspected, so ids are stable
        if key not in self._advised:
            self._advised[key] = self._analyzer.advise(analysis, sensitivity)
        return self._advised[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._analyzer, name)


def call_due(messages: Sequence[dict[str, Any]], channel: str, sensitivity: str, analyzer: Analyzer) -> int | None:
    """Index of the first message at which the conversation up to it says call; None if it never does."""
    memo: Any = _Memo(analyzer)

    def says_call(end: int) -> bool:
        return (
            analyze_thread(messages[:end], channel=channel, sensitivity=sensitivity, analyzer=memo).recommendation
            in CALL
        )

    n = len(messages)
    step = max(1, math.ceil(n / MAX_STEPS))
    before = 0
    for end in [*range(step, n, step), n]:
        if says_call(end):
            for first in range(before + 1, end):
                if says_call(first):
                    return first - 1
            return end - 1
        before = end
    return None
