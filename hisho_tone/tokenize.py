"""Japanese tokenization: the only module that imports fugashi.

Returns the project's own ``Token`` type with character offsets into the NORMALISED text (see
``normalize.py`` for the map back to the original). One Tagger is shared by the process; MeCab's
tagger is not re-entrant, so calls are serialised with a lock (a call takes microseconds).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
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


# MeCab prints each morpheme as one line in this format, so a draft is tokenized by ONE call into
# the C library and a string split, with no Python object per node (twice as fast as walking
# fugashi's nodes). The fields: surface, pos1, pos2, cForm, lemma, orthBase (UniDic's f[0], f[1],
# f[5], f[7], f[10]; MeCab prints "" for "*"). Unknown words have only six features, hence -U.
# "-O ''" switches off unidic-lite's own output format, which would otherwise win over -F.
_NODE_FORMAT = r"%m\\t%f[0]\\t%f[1]\\t%f[5]\\t%f[7]\\t%f[10]\\n"
_UNK_FORMAT = r"%m\\t%f[0]\\t%f[1]\\t%f[5]\\t\\t\\n"
_TAGGER_ARGS = f"-O '' -F {_NODE_FORMAT} -U {_UNK_FORMAT}"


@lru_cache(maxsize=1)
def _tagger() -> fugashi.Tagger:
    try:
        return fugashi.Tagger(_TAGGER_ARGS)
    except RuntimeError as exc:  # pragma: no cover - depends on a broken install
        raise TokenizerError(
            "fugashi could not load a UniDic dictionary. Install it with "
            "`pip install unidic-lite` (it is a dependency of hisho-tone)."
        ) from exc


_LOCK = threading.Lock()
_new = tuple.__new__


def _tokens_of(chunk: str, offset: int) -> list[Token]:
    tagger = _tagger()
    with _LOCK:
        out = tagger.parse(chunk)
    # every morpheme line has exactly six fields and no field holds a tab or a newline, so the
    # output (less its closing "EOS") splits into one flat list, read six fields at a time
    if out.endswith("EOS"):
        out = out[:-3]
    fields = iter(out.replace("\n", "\t").split("\t"))
    tokens: list[Token] = []
    add = tokens.append
    pos = 0
    find = chunk.find
    for surface, pos1, pos2, c_form, lemma, base in zip(fields, fields, fields, fields, fields, fields):
        # surfaces come in order and MeCab only skips whitespace between them
        at = find(surface, pos)
        if at >= 0:
            pos = at
        end = pos + len(surface)
        # tuple.__new__ skips the Python-level __new__ a NamedTuple call goes through
        add(
            _new(
                Token,
                (
                    surface,
                    lemma or surface,
                    base or surface,
                    pos1,
                    pos2 or "*",
                    c_form or "*",
                    offset + pos,
                    offset + end,
                ),
            )
        )
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
    starts = [t[6] for t in tokens]  # Token.start
    out: list[Sentence] = []
    for s, e in bounds:
        # a sentence owns the tokens that start inside it
        out.append(Sentence(s, e, tuple(tokens[bisect_left(starts, s) : bisect_left(starts, e)])))
    return out


def _bound(bounds: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + chunk.find(stripped[0])
        bounds.append((s, s + len(stripped)))


def warm_up() -> None:
    """Load the dictionary now (servers call this at start so the first request is fast)."""
    _tagger()
