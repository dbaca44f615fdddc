"""Cue precision on real writing and recall on formal wording (issue 10).

REAL_HARMLESS: sentences people wrote (KeiCO corpus, CC BY 4.0, Liu Muxuan / Ochanomizu University;
Tanaka Corpus / Tatoeba project, CC BY 2.0 FR; see shared/data NOTICE files) where a cue word is used
in a harmless sense; the kind must not fire. FORMAL: indirect, formal wording of high-stakes news that
must still fire its substantive kind. SPELLINGS: the same phrase in kanji, kana or katakana.
Expectations were made with unidic-lite 1.0.8.
"""

from __future__ import annotations

import pytest

from hisho_tone.lexicon import LexiconError, load_lexicon, make_entry

REAL_HARMLESS = [
    # seeing someone off, not declining (Tanaka)
    ("indirect_refusal", "父の見送りに空港に行ってきたところだ。"),
    # purpose clause and effort, not a hedge (Tanaka)
    ("hedge", "私は、失敗しないように、一生懸命働いた。"),
    # praise (KeiCO)
    ("intensifier", "先生は本当に、お酒がお好きなんですねえ。"),
    ("intensifier", "この問題は非常に重要なものだ。"),
    # curiosity (Tanaka-style question)
    ("blame_question", "なぜ空は青いのですか"),
    ("blame_question", "私はどうしてよいのかわかりません。"),
    # care for someone
    ("negative_emotion", "お体のこと、心配しています。無理しないでくださいね。"),
    ("negative_emotion", "私たちはみんなあなたの健康を心配している。"),
    # clear assent with the next step
    ("ambiguous_assent", "その日程で結構です。よろしくお願いします。"),
    # a cushion before a clearly stated concrete problem
    ("hedged_criticism", "大変申し上げにくいのですが、12月分のお振込みがまだ確認できておりません。"),
    # advice and polite requests, not hedges (KeiCO)
    ("hedge", "充分にご検討いただいた方ががよろしいかと存じます。"),
    ("hedge", "一読いただいてから、ご意見を聞きたいと思います。"),
    # an accident in the news is not the writer's mistake (Tanaka)
    ("serious_mistake", "その事故は夜遅く起こった。"),
    # 次第に = gradually; どうしても = by all means (Tanaka)
    ("open_decisions", "彼は次第に出世した。"),
    ("open_decisions", "私はどうしても言葉が出なかった。"),
    # a hospital as a place (Tanaka)
    ("health_family", "私は病院で働いています。"),
    # an apology for one's own manners (KeiCO)
    ("complaint_about_person", "突然メールを差し上げるご無礼をお許しください。"),
    # pointing at a building, not a vague referent (Tanaka)
    ("vague_referent", "あれは高い建物ですね。"),
    # advice before cancelling, not a cancellation (KeiCO)
    ("contract_end", "契約を解除する前に、注意事項をよく読んでくれ。"),
]

FORMAL = [
    ("contract_end", "誠に勝手ながら、3月末をもちまして貴社とのご契約を解約させていただきます。"),
    ("contract_end", "誠に勝手ながら、本年度末をもって御社とのお取引を終了させていただきたく存じます。"),
    ("contract_end", "契約の更新を見送らせていただくことになりました。"),
    ("serious_mistake", "先日お送りしたお見積りに誤りがあり、50万円少なく記載しておりました。"),
    ("serious_mistake", "請求金額を誤って二重に請求しておりました。"),
    ("serious_mistake", "先月分のご請求を二重に引き落としてしまいました。"),
    ("serious_mistake", "お見積書の単価に誤りがございました。"),
    (
        "complaint_about_person",
        "御社の担当者様の対応について、申し上げたいことがございます。先日のお電話での言葉遣いが大変高圧的で、不快な思いをいたしました。",
    ),
    ("complaint_about_person", "貴店のスタッフの接客について、改善をお願いしたくご連絡いたしました。"),
    ("complaint_about_person", "担当の方の態度が横柄で驚きました。"),
    (
        "open_decisions",
        "会場が決まらないと日程も決められず、日程次第で登壇者も変わります。予算もまだ確定していません。",
    ),
    ("open_decisions", "参加人数が固まっていないため、会場も決まっておりません。"),
    ("open_decisions", "仕様が確定していないので、スケジュールも決められません。"),
]

# (kind, one spelling, another spelling): both must fire
SPELLINGS = [
    ("double_negative", "対応できないわけではありません", "対応出来ない訳ではありません"),
    ("double_negative", "懸念はないことはない", "懸念は無い事は無い"),
    ("double_negative", "憂鬱でないこともない", "憂鬱でないコトもない"),
    ("double_negative", "いえなくもない", "いえ無くも無い"),
    ("double_negative", "問題ないとは言い切れない", "問題ないとは限らない"),
    ("double_negative", "ないわけでもないですが", "無いワケでもないですが"),
]


@pytest.mark.parametrize(("kind", "text"), REAL_HARMLESS, ids=[t for _, t in REAL_HARMLESS])
def test_harmless_senses_in_real_sentences_do_not_fire(cue_analyzer, kind, text):
    analysis = cue_analyzer.inspect(text)
    hits = [analysis.norm.text[c.start : c.end] for c in analysis.cues if c.kind == kind]
    assert not hits, f"{kind} must not flag {text!r}; it flagged {hits}"


@pytest.mark.parametrize(("kind", "text"), FORMAL, ids=[t for _, t in FORMAL])
def test_formal_wording_still_fires_the_substantive_kind(cue_analyzer, kind, text):
    kinds = {c.kind for c in cue_analyzer.inspect(text).cues}
    assert kind in kinds, f"{text!r}: expected {kind}, found {sorted(kinds)}"


@pytest.mark.parametrize(("kind", "one", "other"), SPELLINGS, ids=[o for _, _, o in SPELLINGS])
def test_spelling_variants_match_alike(cue_analyzer, kind, one, other):
    for text in (one, other):
        kinds = {c.kind for c in cue_analyzer.inspect(text).cues}
        assert kind in kinds, f"{text!r}: expected {kind}, found {sorted(kinds)}"


def test_kana_spelling_keeps_offsets(cue_analyzer):
    text = "出来ない訳では無いです"
    analysis = cue_analyzer.inspect(text)
    (cue,) = [c for c in analysis.cues if c.kind == "double_negative"]
    assert analysis.norm.text[cue.start : cue.end].startswith("ない訳では無い")


def test_only_with_and_requires_conditions():
    lex = load_lexicon()
    entry = make_entry(
        {"kind": "intensifier", "patterns": ["x"], "only_with": ["emotion", "misalignment"]}, lex.kinds, "test"
    )
    assert "negative_emotion" in entry.only_with and "misalignment" in entry.only_with
    with pytest.raises(LexiconError, match="only_with"):
        make_entry({"kind": "intensifier", "patterns": ["x"], "only_with": ["nope"]}, lex.kinds, "test")
    entry = make_entry({"kind": "blame_question", "patterns": ["x"], "requires": ["た$"]}, lex.kinds, "test")
    assert entry.requires[0].search("来た")
