"""The draft's register (casual, polite or keigo), so invitations answer in the writer's own voice."""

from __future__ import annotations

from . import markers
from .tokenize import Sentence

_KEIGO = markers.pattern("keigo")  # humble/honorific forms: business keigo rather than plain です/ます
_POLITE = markers.pattern("polite")


def detect_register(text: str, sents: list[Sentence]) -> str:
    """Return "keigo", "polite" or "casual" for normalised ``text``."""
    if not text.strip():
        return "polite"
    if _KEIGO.search(text):
        return "keigo"
    polite = sum(1 for s in sents if _POLITE.search(text[s.start : s.end]))
    if sents and polite * 2 >= len(sents):
        return "polite"
    return "casual" if sents else "polite"
