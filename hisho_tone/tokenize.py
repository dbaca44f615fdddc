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
from typing import NamedTuple

import fugashi


class Token(NamedTuple):
    """One morpheme: surface form, dictionary forms, part of speech and [start, end) offsets.

    A NamedTuple rather than a frozen dataclass: thousands are made per draft, and tuples are cheap.
    """

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
_SENTENCE_END = re.compile(r"(?:[。．!?！？]|(?<!\d)\.(?!\d))+[」』）)]*|\n+")


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
    find = chunk.find
    with _LOCK:
        for w in tagger(chunk):
            surface = w.surface
            # surfaces come in order: finding the next one is cheaper than asking for white_space
            at = find(surface, pos - offset)
            pos = offset + at if at >= 0 else pos + len(w.white_space)
            raw = w.feature_raw
            if '"' in raw:  # a quoted field (a surface with a comma): let fugashi parse it
                f = w.feature
                pos1, pos2, c_form, lemma, base = f.pos1, f.pos2, f.cForm, f.lemma, f.orthBase
            else:
                # UniDic order: pos1,pos2,pos3,pos4,cType,cForm,lForm,lemma,orth,pron,orthBase,…
                # (unknown words carry only the first six); splitting the raw string is twice as
                # fast as building fugashi's 26-field named tuple for every token
                parts = raw.split(",", 11)
                pos1, pos2, c_form = parts[0], parts[1], parts[5]
                lemma = parts[7] if len(parts) > 10 else None
                base = parts[10] if len(parts) > 10 else None
            end = pos + len(surface)
            tokens.append(Token(surface, lemma or surface, base or surface, pos1 or "", pos2 or "", c_form or "*", pos, end))
            pos = end
    return tokens


def sentences(text: str) -> list[Sentence]:
    """Tokenize normalised ``text`` once and group its tokens into sentences."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _bound(bounds, text, start, end)
        start = m.end()
    _bound(bounds, text, start, len(text))
    if not bounds:
        return []
    tokens = _tokens_of(text, 0)
    out: list[Sentence] = []
    k = 0
    for s, e in bounds:
        first = k
        while k < len(tokens) and tokens[k].start < e:
            k += 1
        out.append(Sentence(s, e, tuple(t for t in tokens[first:k] if t.start >= s)))
    return out


def _bound(bounds: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + len(chunk) - len(chunk.lstrip())
        bounds.append((s, s + len(stripped)))


def warm_up() -> None:
    """Load the dictionary now (servers call this at start so the first request is fast)."""
    _tagger()
