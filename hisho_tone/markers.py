"""Markers: the short phrase lists of ``data/markers.toml``, compiled once, and the one question detector.

A marker section is matched one way (``match``: search, start, end, whole or words) and carries its
examples and counterexamples, which ``tests/test_markers.py`` runs. The engine asks for a section by
name: ``pattern("request")`` is a compiled regular expression, ``words("demonstratives")`` a set.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tokenize import Sentence

MATCHES = ("search", "start", "end", "whole", "words")
# What may follow a sentence-final phrase: 。 . … ! ? and spaces (「本当ですか…」「送ります!!」).
_TRAILER = r"[。.…!?]*\s*$"
# An ending is searched for in a sentence's last characters only: longer than any phrase plus a trailer.
ENDING_CHARS = 32


class MarkerError(ValueError):
    """markers.toml is malformed; the message names the section."""


@lru_cache(maxsize=1)
def sections() -> dict[str, dict[str, Any]]:
    """Every section of markers.toml, checked: a known ``match`` and either phrases or a regex."""
    text = (resources.files("hisho_tone.data") / "markers.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for name, section in data.items():
        match = section.get("match")
        if match not in MATCHES:
            raise MarkerError(f"markers.toml [{name}]: match must be one of {', '.join(MATCHES)}, not {match!r}")
        if ("phrases" in section) == ("regex" in section):
            raise MarkerError(f"markers.toml [{name}]: give either phrases or regex")
        if match == "words" and "phrases" not in section:
            raise MarkerError(f"markers.toml [{name}]: a words section lists phrases")
    return data


def _section(name: str) -> dict[str, Any]:
    try:
        return sections()[name]
    except KeyError:
        raise MarkerError(f"markers.toml has no section [{name}]") from None


@lru_cache(maxsize=None)
def pattern(name: str) -> re.Pattern[str]:
    """The section's regular expression, anchored as its ``match`` says (not for words sections)."""
    section = _section(name)
    match = section["match"]
    if match == "words":
        raise MarkerError(f"markers.toml [{name}] is a set of words: use words({name!r})")
    body = section.get("regex") or "|".join(map(re.escape, sorted(section["phrases"], key=len, reverse=True)))
    if match == "start":
        return re.compile(rf"^\s*(?:{body})")
    if match == "end":
        return re.compile(rf"(?:{body}){_TRAILER}")
    if match == "whole":
        return re.compile(rf"^(?:{body})[。.!]?$")
    return re.compile(body)


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The words of a ``match = "words"`` section."""
    section = _section(name)
    if section["match"] != "words":
        raise MarkerError(f"markers.toml [{name}] is matched as text: use pattern({name!r})")
    return frozenset(section["phrases"])


def matches(name: str, text: str) -> bool:
    """Whether the section matches normalised ``text`` (for words sections: whether it is one of them)."""
    match = _section(name)["match"]
    if match == "words":
        return text in words(name)
    if match == "end":
        return ends_with(name, text)
    return pattern(name).search(text) is not None


def ends_with(name: str, sentence: str) -> bool:
    """Whether an ``end`` section's phrase ends ``sentence`` (only its last characters are read)."""
    return pattern(name).search(sentence[-ENDING_CHARS:]) is not None


def asks(sentence: str) -> bool:
    """The one question detector: whether a normalised sentence asks something (「明日来られますか？」)."""
    return ends_with("question", sentence)


def questions(text: str, sents: list["Sentence"]) -> list["Sentence"]:
    """The sentences of normalised ``text`` that ask something."""
    return [s for s in sents if asks(text[s.start : s.end])]
