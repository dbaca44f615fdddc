"""Turn scores into a recommendation, and a transparent cue-based scorer used when no model is loaded.

The trained model (``model.py``) replaces ``cue_scores``; ``decide`` is shared by both.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cues import Cue

# How much each category of cue speaks for a call rather than text.
_CALL_FACTOR = {"ambiguity": 0.8, "emotion": 0.9, "sensitivity": 1.0, "complexity": 0.9}

# call_probability thresholds (care, call) per sensitivity, used when the model brings none.
DEFAULT_THRESHOLDS = {"low": (0.45, 0.7), "normal": (0.3, 0.55), "high": (0.2, 0.4)}


@dataclass(frozen=True, slots=True)
class Scores:
    """The three scores of a draft, each in [0, 1]."""

    call_probability: float
    ambiguity: float
    emotional_weight: float


def _noisy_or(weights: list[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss


def cue_scores(cues: list[Cue]) -> Scores:
    """Transparent scores: each cue is independent evidence (noisy-OR of cue weights)."""
    by_cat: dict[str, list[float]] = {c: [] for c in _CALL_FACTOR}
    for cue in cues:
        by_cat[cue.category].append(cue.weight)
    ambiguity = _noisy_or(by_cat["ambiguity"] + [0.5 * w for w in by_cat["complexity"]])
    emotion = _noisy_or(by_cat["emotion"] + [0.3 * w for w in by_cat["sensitivity"]])
    call = _noisy_or([c.weight * _CALL_FACTOR[c.category] for c in cues])
    return Scores(round(call, 4), round(ambiguity, 4), round(emotion, 4))


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which cue kinds count how much as evidence for a call (from the kinds' data, see Kind)."""

    weak: frozenset[str] = frozenset()
    decisive: frozenset[str] = frozenset()
    video: frozenset[str] = frozenset()

    @classmethod
    def of(cls, kinds) -> "Evidence":
        """From a lexicon's ``kinds`` mapping (kind id → Kind)."""
        return cls(
            weak=frozenset(k.id for k in kinds.values() if k.evidence == "weak"),
            decisive=frozenset(k.id for k in kinds.values() if k.evidence == "decisive"),
            video=frozenset(k.id for k in kinds.values() if k.video),
        )


# a cue this strong or stronger counts for the decisive and video rules (weaker matches are hints)
STRONG_CUE = 0.5


def decide(scores: Scores, cues: list[Cue], evidence: Evidence, thresholds: tuple[float, float]) -> str:
    """Map scores to text | text_with_care | call | video, evidence first.

    The model's probability sets the level, and the cues the writer can see bound it: no cue at all
    gives at most text_with_care (the caller adds a model_signal reason or falls back to text); weak
    kinds alone (a hedge, an intensifier, ！？) give at most text_with_care unless two different weak
    kinds come together; a decisive kind (termination, serious mistake, health news, a complaint
    about a person) lifts any draft the model finds at all risky (care or above) to a call, however
    formally it is worded.
    """
    care, call = thresholds
    p = scores.call_probability
    level = "text" if p < care else "text_with_care" if p < call else "call"
    if level == "text":
        return level
    kinds = {c.kind for c in cues}
    if any(c.kind in evidence.decisive and c.weight >= STRONG_CUE for c in cues):
        level = "call"
    elif level == "call":
        weak_only = not (kinds - evidence.weak)
        if not kinds or (weak_only and len(kinds) < 2):
            level = "text_with_care"
    if level != "call":
        return level
    # face-to-face grade only for the topics docs/LABELING.md names (serious apology, termination,
    # serious mistakes, health and family, conflict between people): anger alone asks for a call
    if any(c.kind in evidence.video and c.weight >= STRONG_CUE for c in cues):
        return "video"
    return "call"
