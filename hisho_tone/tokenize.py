"""Japanese tokenization: the only module that imports fugashi.

Returns the project's own ``Token`` type with character offsets into the NORMALISED text (see
``normalize.py`` for the map back to the original). One Tagger is shared by the process; MeCab's
tagger is not re-entrant, so calls are serialised with a lock (a call takes microseconds).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import fugashi


@dataclass(frozen=True, slots=True)
class Token:
    """One morpheme: surface form, dictionary forms, part of speech and [start, end) offsets."""

    surface: str
    lemma: str  # UniDic lemma (e.g. 為る for し), falls back to the surface for unknown words
    base: str  # orthographic base form (e.g. する for し), falls back to the surface
    pos1: str
    pos2: str
    conj_form: str  # 活用形, e.g. 連用形-一般, "*" when not inflected
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the normalised text with its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]


# Sentence ends: Japanese/ASCII full stops, question and exclamation marks, newlines.
_SENTENCE_END = re.compile(r"[。．.!?！？]+[」』）)]*|\n+")


class TokenizerError(RuntimeError):
    """The Japanese dictionary could not be loaded; the message says how to fix the install."""


@lru_cache(maxsize=1)
def _tagger() -> fugashi.Tagger:
    try:
        return fugashi.Tagger()
    except RuntimeError as exc:  # pragma: no cover - depends on a broken install
        raise TokenizerError(
            "fugashi could not load a UniDic dictionary. Install it with "
            "`pip install unidic-lite` (it is a dependency of hisho-tone)."
        ) from exc


_LOCK = threading.Lock()


def _tokens_of(chunk: str, offset: int) -> list[Token]:
    tagger = _tagger()
    tokens: list[Token] = []
    pos = offset
    with _LOCK:
        words = tagger(chunk)
        for w in words:
            pos += len(w.white_space)
            surface = w.surface
            f = w.feature
            lemma = f.lemma or surface
            base = f.orthBase or surface
            tokens.append(Token(surface, lemma, base, f.pos1 or "", f.pos2 or "", f.cForm or "*", pos, pos + len(surface)))
            pos += len(surface)
    return tokens


def sentences(text: str) -> list[Sentence]:
    """Split normalised ``text`` into sentences and tokenize each one."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _append(out, text, start, end)
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    e = s + len(stripped)
    out.append(Sentence(s, e, tuple(_tokens_of(text[s:e], s))))


def warm_up() -> None:
    """Load the dictionary now (servers call this at start so the first request is fast)."""
    _tagger()
