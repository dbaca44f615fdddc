"""The marker lists (data/markers.toml): every example matches, no counterexample does, and the one
question detector agrees wherever the engine counts questions."""

from __future__ import annotations

import pytest

import hisho_tone
from hisho_tone import markers
from hisho_tone.normalize import normalize
from hisho_tone.tokenize import sentences

SECTIONS = markers.sections()
VALID = [(name, ex) for name, s in SECTIONS.items() for ex in s.get("examples", [])]
INVALID = [(name, ex) for name, s in SECTIONS.items() for ex in s.get("counterexamples", [])]


def _norm(text: str) -> str:
    return normalize(text).text


def test_every_section_has_examples_and_counterexamples():
    for name, section in SECTIONS.items():
        assert section.get("examples"), f"[{name}] has no examples"
        assert section.get("counterexamples"), f"[{name}] has no counterexamples"


@pytest.mark.parametrize(("name", "example"), VALID)
def test_example_matches(name, example):
    assert markers.matches(name, _norm(example)), f"[{name}] should match {example!r}"


@pytest.mark.parametrize(("name", "example"), INVALID)
def test_counterexample_does_not_match(name, example):
    assert not markers.matches(name, _norm(example)), f"[{name}] should not match {example!r}"


def test_unknown_section_is_a_clear_error():
    with pytest.raises(markers.MarkerError, match=r"no section \[nonexistent\]"):
        markers.pattern("nonexistent")
    with pytest.raises(markers.MarkerError, match="use words"):
        markers.pattern("demonstratives")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("明日来られますか？", 1),  # one sentence, one question (not ？ and ますか counted twice)
        ("もう送りましたか", 1),
        ("大丈夫かな", 1),
        ("会場はどこですか？時間は何時ですか？費用はいくらですか？", 3),
        ("よろしくお願いします。", 0),
    ],
)
def test_one_question_detector(text, count):
    norm = _norm(text)
    assert len(markers.questions(norm, sentences(norm))) == count


def test_cue_features_and_thread_agree_on_questions():
    """The many_questions cue, the model's feature and the thread all see the same three questions."""
    text = "明日来られますか？資料はもう送りましたか。大丈夫かな"
    analyzer = hisho_tone.default_analyzer()
    analysis = analyzer.inspect(text)
    assert [c.kind for c in analysis.cues].count("many_questions") == 1
    assert analyzer.model.features(analysis)["s:questions"] == pytest.approx(1.0)  # 3 of a cap of 3
    thread = hisho_tone.analyze_thread(
        [
            {"author": "A", "text": text},
            {"author": "B", "text": "来週の出張ですが、新幹線の切符を手配しておきました。ホテルは駅前です。"},
        ]
    )
    assert len(thread.unanswered_questions) == 3
