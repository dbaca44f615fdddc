"""hisho-tone: tells a Japanese writer when a draft should be a call instead of text — and why.

>>> import hisho_tone
>>> hisho_tone.analyze("例の件、いい感じにお願いします").recommendation
'call'
"""

from __future__ import annotations

import threading

from .advice import CHANNELS, RECOMMENDATIONS, SENSITIVITIES, Advice, Reason, Span
from .analyzer import Analyzer
from .recap import recap_template
from .thread import ThreadAdvice, analyze_thread

__version__ = "0.1.0"
__all__ = [
    "Advice",
    "Analyzer",
    "Reason",
    "Span",
    "ThreadAdvice",
    "analyze",
    "analyze_thread",
    "recap_template",
    "default_analyzer",
    "CHANNELS",
    "RECOMMENDATIONS",
    "SENSITIVITIES",
]

_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    """The shared Analyzer used by ``analyze`` (created on first use, with the user's config)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default


def analyze(text: str, channel: str = "chat", sensitivity: str = "normal") -> Advice:
    """Analyse one draft with the shared default Analyzer (see ``Analyzer.analyze``)."""
    return default_analyzer().analyze(text, channel=channel, sensitivity=sensitivity)
