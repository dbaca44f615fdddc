"""The draft's register (casual, polite or keigo), so invitations answer in the writer's own voice."""

from __future__ import annotations

import re

from .tokenize import Sentence

# Humble/honorific forms that mark business keigo rather than plain です/ます.
_KEIGO = re.compile(
    r"いたし|致し|ございま|存じ|申し上げ|頂戴|恐れ入|恐縮|賜|拝見|伺い|幸いです|いただけますでしょうか|させていただ|お世話になっております"
)
_POLITE = re.compile(r"です|ます|でした|ません|ください|下さい|でしょう")


def detect_register(text: str, sents: list[Sentence]) -> str:
    """Return "keigo", "polite" or "casual" for normalised ``text``."""
    if not text.strip():
        return "polite"
    if len(_KEIGO.findall(text)) >= 1:
        return "keigo"
    polite = sum(1 for s in sents if _POLITE.search(text[s.start : s.end]))
    if sents and polite * 2 >= len(sents):
        return "polite"
    return "casual" if sents else "polite"
