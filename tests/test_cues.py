"""Cue detection by kind: VALID (must fire) and INVALID (must not fire) tables.

The dictionaries carry their own examples (tests/test_lexicon_data.py); these tables add whole
messages and every false positive we have fixed, with a note of why it is fine.
Expectations were made with unidic-lite 1.0.8.
"""

from __future__ import annotations

import pytest

VALID = [
    # the nominal ん of 〜んです is not a negation, nor is the hedge かもしれない
    ("negative_emotion", "最近ずっと不安になるんですよね"),
    ("negative_emotion", "もう限界かもしれないです"),
    ("vague_referent", "例の件、来週までにお願いします"),
    ("vague_referent", "あの資料、どこに置きました？"),
    ("vague_standard", "表紙はいい感じにしといてください"),
    ("vague_standard", "それっぽくまとめておいて"),
    ("vague_time_amount", "できるだけ早くご返信ください"),
    ("vague_time_amount", "近いうちにまた相談させてください"),
    ("ambiguous_assent", "結構です。"),
    ("ambiguous_assent", "大丈夫です。"),
    ("indirect_refusal", "前向きに検討いたします。"),
    ("indirect_refusal", "今回は見送らせていただきます。"),
    ("hedge", "間に合わないかもしれません"),
    ("hedged_criticism", "少し気になる点がありまして"),
    ("double_negative", "対応できないわけではありません"),
    ("negative_emotion", "正直がっかりしています"),
    ("negative_emotion", "この対応には納得できません"),
    ("blame_question", "なぜ事前に相談してくれなかったのですか"),
    ("repetition_complaint", "何度もお伝えしていますが、まだ直っていません"),
    ("curt_reply", "そうですか。わかりました。"),
    ("curt_reply", "もう結構です。"),
    ("intensifier", "さすがにこれは困ります"),
    ("emotive_punctuation", "どういうことですか！？"),
    ("heavy_apology", "この度は多大なご迷惑をおかけし、深くお詫び申し上げます。"),
    ("contract_end", "今月末で契約を終了させていただきたく存じます"),
    ("fee_change", "来月から料金を改定させていただきます"),
    ("payment_trouble", "先月分のご入金が確認できておりません"),
    ("serious_mistake", "お客様の個人情報を誤送信してしまいました"),
    ("health_family", "父が入院することになりまして"),
    ("interpersonal_conflict", "AさんとBさんが揉めていて板挟みです"),
    ("complaint_about_person", "田中さんの態度が気になります"),
    ("many_questions", "会場はどこですか？予算はいくらですか？参加者は何名ですか？"),
    ("conflicting_instructions", "やっぱりA案はなしで、B案でお願いします"),
    ("misalignment", "認識がずれているようです"),
    # kinds added for recall (issue 10): new wordings, not the corpus's own sentences
    ("talk_request", "例の契約のことで、少しご相談させていただきたいことがございます。"),
    ("talk_request", "ちょっと話したいことあるんだけど、今夜電話できる？"),
    ("withdrawal", "わかりました、もうお願いしません。"),
    ("withdrawal", "今後は言われたこと以外は何もしないようにします。"),
    ("reproach", "前の担当の方は、言わなくても準備してくれていたんですけどね。"),
    ("reproach", "せめて事前に一言ほしかったです。"),
    ("bad_news", "先方、今回の企画はNGとのことでした。"),
    ("bad_news", "お客様がかなりご立腹で、責任者を出せとおっしゃっています。"),
    ("serious_mistake", "見積書を誤って別の取引先に送付してしまいました。"),
    ("repetition_complaint", "今週だけで4回目ですよ。"),
    ("open_decisions", "どちらを優先すべきか、判断がつきません。"),
]

INVALID = [
    # a real negation still cancels the emotion word
    ("negative_emotion", "不満はありません"),
    # concrete content explains the referent
    ("vague_referent", "例の件（12/3の請求書）は本日送付しました。"),
    # 「あれ？」 is surprise, not a referent
    ("vague_referent", "あれ？ファイルが開けません"),
    # positive result, not a vague instruction
    ("vague_standard", "いい感じに仕上がりました、ありがとうございます！"),
    ("vague_standard", "うまくいきました！ありがとうございます"),
    # a vague word next to a concrete deadline is not vague
    ("vague_time_amount", "なるべく早く、遅くとも12/3(水)15時までにお願いします"),
    ("vague_time_amount", "少々お待ちください、15時までに返信します"),
    # assent followed by the concrete next step
    ("ambiguous_assent", "結構です、その内容で進めてください。明日10時に送付します。"),
    ("ambiguous_assent", "大丈夫です！明日の会議は予定通り14時からです"),
    # a decision already taken
    ("indirect_refusal", "検討の結果、A案に決定しました。12/5に発注します。"),
    ("indirect_refusal", "ご検討よろしくお願いいたします"),
    # negated emotion word
    ("negative_emotion", "不満はありません"),
    ("negative_emotion", "ご心配なく、明日には届きます"),
    # thanks, not blame
    ("repetition_complaint", "何度もありがとうございます！"),
    ("repetition_complaint", "毎度お世話になっております。"),
    # softened short reply
    ("curt_reply", "承知しました、ありがとうございます！"),
    ("curt_reply", "了解です👍"),
    # positive excitement
    ("emotive_punctuation", "本当にありがとうございます！！"),
    ("intensifier", "本当に助かりました！"),
    # minor apology with the fix is not a heavy apology
    ("heavy_apology", "大変申し訳ございません、添付漏れでした。こちらが12/3分の請求書です。"),
    ("serious_mistake", "漏れなく確認しました"),
    ("interpersonal_conflict", "トラブルなく終わりました！"),
    ("misalignment", "誤解のないように補足します：12/3は休業日です。"),
    ("many_questions", "明日の会議は10時からですか？"),
    ("conflicting_instructions", "やっぱり最高ですね！"),
    # a conversation already fixed with a time and a topic is not a vague talk request
    ("talk_request", "12/3(水)15時から30分ほどお時間いただけますか"),
    # thanks for a past talk, not a request
    ("talk_request", "昨日は話聞いてくれてありがとう。だいぶ楽になった！"),
    # 「来なくていい」 as kindness, not pushing away
    ("withdrawal", "明日は来なくていいよ、ゆっくり休んでね！"),
    # a parting on a bridge is not a break-up; a crawling baby is not 「はいはい」
    ("health_family", "私は橋の上で彼と別れた。"),
    ("curt_reply", "その赤ん坊ははいはいしている。"),
    # closing a shop for the night is not closing the business
    ("bad_news", "彼らは5時に店を閉めた。"),
]


@pytest.mark.parametrize(("kind", "text"), VALID, ids=[t for _, t in VALID])
def test_valid(cue_analyzer, kind, text):
    advice = cue_analyzer.analyze(text)
    kinds = {r.kind for r in advice.reasons}
    assert kind in kinds, f"{text!r}: expected {kind}, found {sorted(kinds)}"


@pytest.mark.parametrize(("kind", "text"), INVALID, ids=[t for _, t in INVALID])
def test_invalid(cue_analyzer, kind, text):
    advice = cue_analyzer.analyze(text)
    hits = [r.surface for r in advice.reasons if r.kind == kind]
    assert not hits, f"{text!r}: {kind} must not fire, but flagged {hits}"


def test_reason_spans_cover_the_whole_phrase(cue_analyzer):
    text = "社内で検討させていただきます。"
    (reason,) = [r for r in cue_analyzer.analyze(text).reasons if r.kind == "indirect_refusal"]
    assert reason.surface == "検討させていただきます"


def test_many_questions_counts_them_in_the_message(cue_analyzer):
    text = "日程はいつにしますか？場所はどうしますか？予算はどうしますか？誰を呼びますか？"
    (reason,) = [r for r in cue_analyzer.analyze(text).reasons if r.kind == "many_questions"]
    assert "4つ" in reason.message


def test_specifics_lower_ambiguity(analyzer):
    vague = analyzer.analyze("なるべく早く資料をお願いします")
    concrete = analyzer.analyze("12/3(水)15時までに資料をお願いします")
    assert concrete.ambiguity < vague.ambiguity
