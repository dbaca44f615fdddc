"""Find exact and near duplicates across families (the corpus test and ``python -m hisho_tone_models.dedup``).

Two messages are near duplicates when the character-trigram Jaccard similarity of the writer's own
text (quotes and signature set aside) is at least ``THRESHOLD``. Near-variants are fine inside one
family (that is what families are for); across families they would leak between train and test.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import Any

THRESHOLD = 0.85
_NOISE = re.compile(r"[\s、。,.!?！？「」『』()（）・…〜~ー-]+")


def own_text(row: dict[str, Any]) -> str:
    from hisho_tone.prepare import prepare

    text = row["text"]
    return "".join(text[s:e] for s, e in prepare(text, row["channel"]).spans)


def _grams(text: str) -> set[str]:
    t = _NOISE.sub("", text)
    return {t[i : i + 3] for i in range(max(1, len(t) - 2))}


def near_duplicates(rows: list[dict[str, Any]], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """(id, id, similarity) for every pair in different families at or above ``threshold``."""
    grams = [_grams(own_text(r)) for r in rows]
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].append(i)
    pairs = []
    for i, g in enumerate(grams):
        shared: dict[int, int] = defaultdict(int)
        for gram in g:
            for j in index[gram]:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            if rows[i]["family"] == rows[j]["family"]:
                continue
            sim = n / len(g | grams[j])
            if sim >= threshold:
                pairs.append((rows[i]["id"], rows[j]["id"], round(sim, 3)))
    return pairs


if __name__ == "__main__":
    from .corpus import load_messages

    found = near_duplicates(load_messages())
    for a, b, sim in found:
        print(f"{a}\t{b}\t{sim}")
    print(f"{len(found)} near-duplicate pairs across families", file=sys.stderr)
    sys.exit(1 if found else 0)
