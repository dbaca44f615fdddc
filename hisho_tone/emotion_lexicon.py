"""The ML-Ask emotion lexicon (BSD 3-Clause; hisho_tone/data/MLASK_LICENSE.txt) as model features.

Entries are written in dictionary forms (あきれる, あてになるない), so a sentence is matched on the
concatenated base forms of its tokens, as ML-Ask itself does.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .tokenize import Sentence

NEGATIVE = ("iya", "aware", "ikari", "kowa")
POSITIVE = ("yasu", "yorokobi", "suki")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    """Word → classes, every proper prefix of every word (so a walk can stop early), and both."""
    data = json.loads((resources.files("hisho_tone.data") / "mlask_emotions.json").read_text(encoding="utf-8"))
    index: dict[str, list[str]] = {}
    for cls, words in data["classes"].items():
        for w in words:
            index.setdefault(w, []).append(cls)
    stems = frozenset(w[:n] for w in index for n in range(1, len(w)))
    return {w: tuple(c) for w, c in index.items()}, stems, stems | frozenset(index)


def emotion_counts(sentences: list[Sentence]) -> dict[str, int]:
    """How many ML-Ask words of each class the sentences contain (longest match at each token)."""
    index, stems, starts = _lexicon()
    counts: dict[str, int] = {}
    for sent in sentences:
        tokens = sent.tokens
        n = len(tokens)
        after = 0  # a match consumes its tokens: the next one starts after it
        # only tokens whose base form can begin a word are walked from
        for i in [k for k, t in enumerate(tokens) if t[2] in starts]:  # t[2]: Token.base
            if i < after:
                continue
            acc, found, end = "", None, i + 1
            for k in range(i, n):
                acc += tokens[k].base
                if acc in index:
                    found, end = index[acc], k + 1
                if acc not in stems:
                    break
            if found:
                for cls in found:
                    counts[cls] = counts.get(cls, 0) + 1
                after = end
    return counts
