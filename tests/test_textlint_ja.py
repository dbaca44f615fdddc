"""textlint-ja's own test sentences (MIT, see the header of tests/data/textlint_ja.json).

``ja-no-weak-phrase`` flags weak phrases (かもしれない, と思う, 可能性を示唆している) and
``no-double-negative-ja`` flags double negatives (なくもない, ないこともない, ないとは限らない).
At least 90 % of the sentences those rules flag must get an ambiguity reason (hedge or
double_negative) at the place the rule reports; the sentences they pass must get none.
Expectations were made with unidic-lite 1.0.8.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = json.loads((Path(__file__).parent / "data" / "textlint_ja.json").read_text(encoding="utf-8"))
KINDS = {"hedge", "double_negative"}
MIN_SHARE = 0.9


def _ambiguity(analyzer, text):
    """Ambiguity reasons from cues (a model_signal reason is the model's call, not a phrase)."""
    return [r for r in analyzer.analyze(text).reasons if r.category == "ambiguity" and r.kind != "model_signal"]


def test_flagged_sentences_get_an_ambiguity_reason_at_the_flagged_place(analyzer):
    missed = []
    for case in DATA["invalid"]:
        at = case["at"]
        reasons = _ambiguity(analyzer, case["text"])
        if not any(r.kind in KINDS and r.start <= at < r.end for r in reasons):
            found = [(r.kind, r.surface) for r in reasons]
            missed.append(f"{case['rule']}: {case['text']!r} at {case['text'][at : at + 4]!r}; found {found}")
    total = len(DATA["invalid"])
    share = (total - len(missed)) / total
    assert share >= MIN_SHARE, f"{total - len(missed)} of {total} flagged sentences found:\n" + "\n".join(missed)


@pytest.mark.parametrize("case", DATA["valid"], ids=[c["text"] for c in DATA["valid"]])
def test_passed_sentences_get_no_ambiguity_reason(analyzer, case):
    found = [(r.kind, r.surface) for r in _ambiguity(analyzer, case["text"])]
    assert not found, f"{case['rule']} passes {case['text']!r}, but it got {found}"


def test_the_data_credits_its_sources():
    assert {s["license"] for s in DATA["sources"]} == {"MIT"}
    assert all(
        s["copyright"] and s["repository"].startswith("https://github.com/textlint-ja/") for s in DATA["sources"]
    )
