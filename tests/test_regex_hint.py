"""The first-character hint must never change what a regular expression matches."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from hisho_tone.lexicon import load_lexicon
from hisho_tone.regex_hint import hinted, required_literals

ROOT = Path(__file__).resolve().parents[1]
LEX = load_lexicon()


def _data_patterns() -> list[str]:
    patterns = [r.pattern for e in LEX.entries for r in (*e.regexes, *e.allows)]
    patterns += [r.pattern for r in (*LEX.positive, *LEX.softeners)]
    patterns += [r.pattern for _, r in LEX.specifics]
    return patterns


def _texts() -> list[str]:
    rows = [
        json.loads(line)
        for f in sorted((ROOT / "models" / "data").glob("messages_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
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


def test_the_regex_gate_never_skips_a_pattern_that_matches():
    """Every sentence-scoped data regex that matches a text is among the gate's candidates for it."""
    patterns = [r for _, r in LEX.sentence_regexes]
    texts = TEXTS + [r["text"] for r in _real_texts()]
    for text in texts:
        candidates = set(LEX.regex_gate.candidates(text))
        missed = [p.pattern for k, p in enumerate(patterns) if k not in candidates and p.search(text)]
        assert missed == [], (text, missed)


def _real_texts() -> list[dict]:
    path = ROOT / "models" / "data" / "real" / "real_sentences.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        ("(?:今|いま)(?:だけ)?電話(?:でき|して)", ("電話",)),
        ("あ[いう]え|かき", ("あ", "かき")),
        (r"\d+回目", ("回目",)),
        ("(?:ご|お)?相談したい", ("相談したい",)),
        (".+です", ("です",)),
        ("[^。]+", None),
        ("(?:x|)", None),
    ],
)
def test_required_literals(pattern, required):
    assert required_literals(pattern) == required
