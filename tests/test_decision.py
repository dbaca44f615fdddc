"""Evidence-first verdicts: what the writer is told is bounded by what they can see.

A call needs a substantive reason or several weak ones; a weak kind alone, or the model's own
signal alone, gives at most text_with_care; nothing above text comes without a reason; decisive
topics (termination, serious mistakes, health news, complaints about a person) reach a call even in
formal, indirect wording.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hisho_tone import Analyzer
from hisho_tone.cues import Cue
from hisho_tone.model import FORMATS
from hisho_tone.scoring import Evidence, Scores, decide

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EVIDENCE = Evidence(
    weak=frozenset({"hedge", "intensifier", "emotive_punctuation"}),
    decisive=frozenset({"contract_end"}),
    video=frozenset({"contract_end"}),
)
THRESHOLDS = (0.2, 0.4)


def cue(kind: str, weight: float = 0.6) -> Cue:
    return Cue(kind, "ambiguity", f"{kind}.x", 0, 2, weight, "", "")


@pytest.mark.parametrize(
    ("p", "kinds", "expected"),
    [
        (0.99, [], "text_with_care"),  # the model alone: at most care
        (0.99, ["hedge"], "text_with_care"),  # one weak kind alone
        (0.99, ["hedge", "hedge"], "text_with_care"),  # the same weak kind twice is still one kind
        (0.99, ["hedge", "intensifier"], "call"),  # two weak kinds together
        (0.99, ["vague_referent"], "call"),  # a substantive kind
        (0.30, ["vague_referent"], "text_with_care"),  # …still needs the model to agree
        (0.10, ["vague_referent"], "text"),
        (0.25, ["contract_end"], "video"),  # decisive: lifted from care to a (video) call
        (0.10, ["contract_end"], "text"),  # …but not when the model sees no risk at all
    ],
)
def test_decide_is_bounded_by_the_evidence(p, kinds, expected):
    assert decide(Scores(p, 0.0, 0.0), [cue(k) for k in kinds], EVIDENCE, THRESHOLDS) == expected


def _toy(bias: float) -> dict:
    """A model that is certain of a call for every draft, whatever it says."""
    head = {"bias": bias, "weights": {}}
    return {
        "format": FORMATS[0],
        "id": "toy",
        "call": head,
        "calibration": {"a": 1.0, "b": 0.0},
        "ambiguity": [head, head],
        "emotion": [head, head],
        "thresholds": {s: {"care": 0.3, "call": 0.5} for s in ("low", "normal", "high")},
    }


def test_a_certain_model_without_any_cue_never_asks_for_a_call():
    advice = Analyzer(config=False, model=_toy(8.0)).analyze("明日の会議室は三階の大会議室に変更になりました。")
    assert advice.recommendation in ("text", "text_with_care")
    if advice.recommendation == "text_with_care":
        assert [r.kind for r in advice.reasons] == ["model_signal"]


def test_a_lone_hedge_never_asks_for_a_call():
    advice = Analyzer(config=False, model=_toy(8.0)).analyze("明日は雨が降るかもしれません。")
    assert {r.kind for r in advice.reasons} <= {"hedge", "model_signal"}
    assert advice.recommendation in ("text", "text_with_care")


# Anything a writer may type, and sentences people wrote: never a verdict above text without a reason.
SENTENCES = [
    "私には扶養家族はいません。",
    "先生は本当に、お酒がお好きなんですねえ。",
    "父の見送りに空港に行ってきたところだ。",
    "私は、失敗しないように、一生懸命働いた。",
    "充分にご検討いただいた方がよろしいかと存じます。",
    "了解",
    "👍",
    "",
    "\x00\x07",
    "ｱｲｳ ABC ＡＢＣ 123",
    "お疲れ様です。" * 50,
]


@pytest.mark.parametrize("text", SENTENCES)
def test_no_verdict_above_text_without_a_reason(analyzer, text):
    for sensitivity in ("low", "normal", "high"):
        advice = analyzer.analyze(text, sensitivity=sensitivity)
        assert advice.recommendation == "text" or advice.reasons, (text, sensitivity, advice.recommendation)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("あいうえおかもしれませんと思いますなぜ本当に！？。、例の件結構です検討しますがっかり困った😊\n ")
        ),
        max_size=60,
    )
)
def test_no_verdict_above_text_without_a_reason_on_any_string(analyzer, text):
    advice = analyzer.analyze(text, sensitivity="high")
    assert advice.recommendation == "text" or advice.reasons


@pytest.mark.skipif(
    not (SHARED / "keico" / "keico_corpus.csv").is_file(), reason="shared/data is not beside the repository"
)
def test_no_verdict_above_text_without_a_reason_on_real_sentences(analyzer):
    with open(SHARED / "keico" / "keico_corpus.csv", encoding="utf-8") as fh:
        texts = [r["本文"] for r in csv.DictReader(fh)][::10]
    bare = [
        t for t in texts if (a := analyzer.analyze(t, sensitivity="high")).recommendation != "text" and not a.reasons
    ]
    assert bare == []


# Decisive topics in formal, indirect wording still reach a call or video (issue 10's cases).
DECISIVE = [
    (
        "誠に勝手ながら、3月末をもちまして貴社とのご契約を解約させていただきます。これまで大変お世話になりました。",
        "contract_end",
    ),
    ("先日お送りしたお見積りに誤りがあり、50万円少なく記載しておりました。大変申し訳ございません。", "serious_mistake"),
    (
        "御社の担当者様の対応について、申し上げたいことがございます。先日のお電話での言葉遣いが大変高圧的で、非常に不快な思いをいたしました。",
        "complaint_about_person",
    ),
    ("私事で恐縮ですが、父が入院することになり、来週はお休みをいただきたく存じます。", "health_family"),
]


@pytest.mark.parametrize(("text", "kind"), DECISIVE)
def test_decisive_topics_reach_a_call_in_formal_wording(analyzer, text, kind):
    advice = analyzer.analyze(text, channel="email")
    assert kind in {r.kind for r in advice.reasons}
    assert advice.recommendation in ("call", "video"), (advice.recommendation, advice.call_probability)


def test_interdependent_open_decisions_are_explained(analyzer):
    text = "会場が決まらないと日程も決められず、日程次第で登壇者も変わります。予算もまだ確定していません。"
    assert "open_decisions" in {r.kind for r in analyzer.analyze(text).reasons}


# Minimal pairs: the same words, harmless and loaded. The harmless side is never told to call.
PAIRS = [
    (
        "明日は晴れると思います！楽しみですね。",
        "正直、今回の対応には納得できないと思います。なぜ事前に相談がなかったのですか。",
    ),
    (
        "ご心配ありがとうございます、もうすっかり元気です。",
        "何度もお伝えしていますが、まだ修正されていません。正直がっかりしています。",
    ),
    ("父の見送りに空港へ行ってきました。", "今回のご提案は見送らせていただきます。"),
    ("その日程で結構です。よろしくお願いします。", "いえ、結構です。"),
    ("先生は本当に、お酒がお好きなんですねえ。", "本当にいい加減にしてください。何度目ですか。"),
    ("なぜ空は青いのか、子どもに聞かれて調べてみました。", "なぜ連絡をくれなかったのですか？"),
]


@pytest.mark.parametrize(("harmless", "loaded"), PAIRS)
def test_contrastive_pairs(analyzer, harmless, loaded):
    assert analyzer.analyze(harmless).recommendation in ("text", "text_with_care")
    assert analyzer.analyze(loaded).recommendation in ("call", "video")
