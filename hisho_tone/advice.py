"""The result types: Span (one place in the text), Reason (one pinned cause) and Advice (the verdict for one draft)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RECOMMENDATIONS = ("text", "text_with_care", "call", "video")
CHANNELS = ("chat", "email")
SENSITIVITIES = ("low", "normal", "high")


def check_options(channel: object, sensitivity: object) -> None:
    """ValueError naming the value for an unknown channel or sensitivity (analyze and analyze_thread)."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if sensitivity not in SENSITIVITIES:
        raise ValueError(f"sensitivity must be one of {', '.join(SENSITIVITIES)}, not {sensitivity!r}")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for quoting it in a message)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Span:
    """One place a reason was found: ``text[start:end] == surface`` of the ORIGINAL text (code points)."""

    start: int
    end: int
    surface: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "surface": self.surface}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the draft is risky as text, pinned to ``text[start:end] == surface`` of the ORIGINAL text.

    A kind found in the same or consecutive sentences is one reason: ``spans`` lists every place,
    sorted, and ``start``/``end``/``surface`` are the first of them (``spans`` left out: that one span).
    """

    kind: str  # stable id, e.g. "ambiguous_assent" (README lists them all)
    category: str  # "ambiguity" | "emotion" | "sensitivity" | "complexity"
    label: str  # short Japanese name of the kind
    start: int
    end: int
    surface: str
    message: str  # what the reader may take from it (Japanese)
    hint: str  # what to write instead (Japanese, may be "")
    weight: float  # strength of the cue in [0, 1]
    spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if not self.spans:
            object.__setattr__(self, "spans", (Span(self.start, self.end, self.surface),))

    def to_dict(self) -> dict[str, Any]:
        # explicit rather than dataclasses.asdict, which deep-copies: this runs on every request
        data = {f: getattr(self, f) for f in _REASON_FIELDS}
        data["spans"] = [s.to_dict() for s in self.spans]
        return data


_REASON_FIELDS = ("kind", "category", "label", "start", "end", "surface", "message", "hint", "weight")


@dataclass(frozen=True, slots=True)
class Advice:
    """The verdict for one draft; ``to_dict()`` is the HTTP response body."""

    recommendation: str
    call_probability: float
    ambiguity: float
    emotional_weight: float
    reasons: list[Reason]
    invitation: str | None
    summary: str  # the recommendation in one Japanese sentence
    channel: str
    sensitivity: str
    register: str  # "casual" | "polite" | "keigo": the draft's own politeness
    analyzed_chars: int  # how many characters of the original text were analysed
    truncated: bool  # True when only the first ``analyzed_chars`` characters were analysed
    model: str  # id of the model that produced the scores
    excluded: dict[str, int] = field(default_factory=dict)  # email: quoted/signature chars set aside

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "reasons"}
        data["reasons"] = [r.to_dict() for r in self.reasons]
        data["excluded"] = dict(self.excluded)
        return data
