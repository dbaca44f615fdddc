"""Names of reason kinds in Japanese (from the cue and thread data files) and English (here)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

ENGLISH = {
    "vague_referent": "Vague referent",
    "vague_standard": "Vague standard",
    "vague_time_amount": "Vague deadline or amount",
    "ambiguous_assent": "Ambiguous yes/no",
    "indirect_refusal": "Indirect refusal or deferral",
    "hedge": "Hedge",
    "hedged_criticism": "Hedged criticism",
    "double_negative": "Double negative",
    "negative_emotion": "Negative emotion",
    "blame_question": "Blaming question",
    "repetition_complaint": "Complaint about repeating",
    "curt_reply": "Curt reply",
    "intensifier": "Intensifier",
    "emotive_punctuation": "Emotive punctuation",
    "heavy_apology": "Heavy apology",
    "contract_end": "Contract ending",
    "fee_change": "Fee change",
    "payment_trouble": "Payment trouble",
    "serious_mistake": "Serious mistake",
    "health_family": "Health or family",
    "interpersonal_conflict": "Conflict between people",
    "complaint_about_person": "Complaint about a person",
    "compensation": "Compensation",
    "many_questions": "Many questions",
    "conflicting_instructions": "Conflicting instructions",
    "misalignment": "Misalignment",
    "open_decisions": "Interlocked decisions",
    "model_signal": "Model signal",
    "ping_pong": "Ping-pong",
    "rising_emotion": "Rising emotion",
    "unanswered_question": "Unanswered question",
    "repeated_request": "Repeated request",
}
THREAD_KINDS = ("ping_pong", "rising_emotion", "unanswered_question", "repeated_request", "misalignment")


@lru_cache(maxsize=1)
def japanese() -> dict[str, str]:
    """kind → Japanese label, for every cue kind and thread reason kind."""
    from ..lexicon import load_lexicon

    out = {kind.id: kind.label for kind in load_lexicon().kinds.values()}
    shared = tomllib.loads((resources.files("hisho_tone.data") / "shared.toml").read_text(encoding="utf-8"))
    out["model_signal"] = shared.get("model_signal", {}).get("label", "model_signal")
    thread = tomllib.loads((resources.files("hisho_tone.data") / "thread.toml").read_text(encoding="utf-8"))
    for kind, entry in thread.get("reasons", {}).items():
        out.setdefault(kind, entry.get("label", kind))  # misalignment is a cue kind too: keep the cue's name
    return out


def label(kind: str) -> dict[str, str]:
    return {"ja": japanese().get(kind, kind), "en": ENGLISH.get(kind, kind.replace("_", " ").capitalize())}
