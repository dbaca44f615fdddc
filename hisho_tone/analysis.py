"""What is known about a draft before it is scored: the result of every stage up to cue detection.

Its own module so that the stages that read it (features, model, thread) need not import the
orchestrator (analyzer.py) that builds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cues import Cue
from .normalize import Normalized
from .prepare import Prepared
from .tokenize import Sentence


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything known about a draft before scoring (shared by runtime and training features)."""

    text: str  # the original text (possibly longer than the window)
    channel: str
    prepared: Prepared
    norm: Normalized
    sentences: list[Sentence]
    cues: list[Cue]
    specifics: list[tuple[int, int, str]]
    register: str
    truncated: bool
    analyzed_chars: int
