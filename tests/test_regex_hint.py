"""The first-character hint must never change what a regular expression matches."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from hisho_tone.lexicon import load_lexicon
from hisho_tone.regex_hint import hinted

ROOT = Path(__file__).resolve().parents[1]
LEX = load_lexicon()


def _data_patterns() -> list[str]:
    patterns = [r.pattern for e in LEX.entries for r in (*e.regexes, *e.allows)]
    patterns += [r.pattern for r in (*LEX.positive, *LEX.softeners)]
    patterns += [r.pattern for _, r in LEX.specifics]
    sentence = [r.pattern for e in LEX.regex_entries if e.scope == "sentence" for r in e.regexes]
    patterns.append("|".join(f"(?:{p})" for p in sentence))
    return patterns


def _texts() -> list[str]:
    rows = [json.loads(line) for f in sorted((ROOT / "models" / "data").glob("messages_*.jsonl")) for line in f.open(encoding="utf-8")]
    texts = [r["text"] for r in rows[::3]]
    rnd = random.Random(20261126)
    alphabet = "0123456789/:-.,年月日時分半午前後明今来週本円%件あいうかなでしてはのにも！？!?…・。、 \n（）()ですますか😊wわけない"
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24))) for _ in range(3000)]
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("pattern", _data_patterns())
def test_hinted_data_patterns_match_exactly_what_the_originals_match(pattern):
    original, fast = re.compile(pattern), re.compile(hinted(pattern))
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in original.finditer(text)], text


def test_patterns_that_start_in_a_known_way_get_a_hint():
    assert hinted("(?:…|・・・?){1,}(?=。)") == "(?=[…・])(?:(?:…|・・・?){1,}(?=。))"
    assert hinted(r"(?<![\d.])\d+円").startswith(r"(?=[\d])")
    assert hinted("x?y").startswith("(?=[xy])")


@pytest.mark.parametrize("pattern", [".+です", "[^。]+か", "(?i)abc", "a*", "(?:x|)", r"\Dx", "(?<=a)"])
def test_patterns_the_reader_cannot_follow_are_left_as_they_are(pattern):
    assert hinted(pattern) == pattern
