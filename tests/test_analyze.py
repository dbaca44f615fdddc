"""The public Python contract of ``hisho_tone.analyze`` (README.md, "Python API")."""

from __future__ import annotations

import dataclasses
import json
import threading

import pytest

import hisho_tone

FIELDS = {
    "recommendation",
    "call_probability",
    "ambiguity",
    "emotional_weight",
    "reasons",
    "invitation",
    "summary",
    "channel",
    "sensitivity",
    "register",
    "analyzed_chars",
    "truncated",
    "model",
    "excluded",
}
REASON_FIELDS = {"kind", "category", "label", "start", "end", "surface", "message", "hint", "weight", "spans"}

# Messages that must go out as text (the "text is fine" categories of docs/LABELING.md).
FINE = [
    ("chat", "お疲れさまです。12/3(水)15時から定例MTGです。議題は①来期予算②採用の2点です。"),
    ("chat", "資料ありがとうございます！とても分かりやすかったです😊🙏✨"),
    ("chat", "失礼しました、添付漏れでした。こちらです。"),
    ("chat", "了解です👍 明日10時に伺います。"),
    (
        "email",
        "山田様\n\nいつもお世話になっております。\n11月分の請求書を添付にてお送りします。\nお支払期限は12/25です。\n\nよろしくお願いいたします。\n\n--\n佐藤 花子\n株式会社サンプル\nTEL 03-1234-5678\n",
    ),
]

# Messages where a call or video is the better channel.
CALL = [
    ("chat", "例の件、いい感じにまとめといて。なるべく早くね"),
    ("chat", "そうですか。わかりました。"),
    ("chat", "なぜ事前に相談してくれなかったのですか？何度もお伝えしていますよね。"),
    ("email", "山田様\n\n大変申し上げにくいのですが、来月末をもちまして契約を終了させていただきたく存じます。\n"),
]


def test_analyze_returns_every_documented_field(analyzer):
    data = analyzer.analyze("例の件、お願いします").to_dict()
    assert set(data) == FIELDS
    assert data["reasons"] and set(data["reasons"][0]) == REASON_FIELDS
    json.dumps(data, ensure_ascii=False)  # serialisable


@pytest.mark.parametrize(("channel", "text"), FINE)
def test_fine_messages_are_text(analyzer, channel, text):
    advice = analyzer.analyze(text, channel=channel)
    assert advice.recommendation == "text", [(r.kind, r.surface) for r in advice.reasons]
    assert advice.invitation is None


@pytest.mark.parametrize(("channel", "text"), CALL)
def test_loaded_messages_ask_for_a_call(analyzer, channel, text):
    advice = analyzer.analyze(text, channel=channel)
    assert advice.recommendation in ("call", "video")
    assert advice.invitation and ("分" in advice.invitation)
    assert advice.reasons


def test_reasons_are_sorted_and_pinned_to_the_original_text(analyzer):
    text = "ﾚｲの件!! 例の件、いい感じにお願いします。なるべく早く！！"
    advice = analyzer.analyze(text)
    starts = [r.start for r in advice.reasons]
    assert starts == sorted(starts)
    for r in advice.reasons:
        assert text[r.start : r.end] == r.surface


# One complaint said three ways in two sentences (issue 11): one reason, three places.
REPEATED = "何度もお伝えしていますが、期限を守ってください。また同じことが起きたら困ります。"
# Drafts with reasons of every sort: kinds repeated near and far, overlapping kinds, width-changing
# normalisation (ﾚｲ, !!), emoji before a phrase, an email with a signature, a model-signal reason.
VARIED = [
    ("chat", REPEATED),
    ("chat", "ﾚｲの件!! 例の件、いい感じにお願いします。なるべく早く！！"),
    ("chat", "😊例の件、あれどうなりました？この前の件も、いい感じにお願いします。"),
    ("chat", "なんで連絡くれなかったんですか？正直かなりがっかりしました。本当に困ります！！"),
    ("chat", "やっぱり請求書は来月で。あ、でも今月でもいいです。いや、やっぱり来月で。"),
    ("chat", "前向きに考えておきます。社内で検討させていただきます。"),
    ("email", "山田様\n\n何度もお伝えしていますが、またミスです。\n本当に困ります。\n\n--\n佐藤"),
    ("chat", "体調があまり良くなくて、通院しています。来週も休むかもしれません。"),
]


def test_a_kind_said_again_in_the_next_sentence_is_one_reason(analyzer):
    advice = analyzer.analyze(REPEATED)
    (reason,) = [r for r in advice.reasons if r.kind == "repetition_complaint"]
    assert [s.surface for s in reason.spans] == ["何度も", "お伝えしていますが", "また同じ"]
    assert reason.message.startswith("「何度も」「お伝えしていますが」「また同じ」は")
    assert (reason.start, reason.end, reason.surface) == (0, 3, "何度も")
    for place in (reason, *reason.spans):
        assert REPEATED[place.start : place.end] == place.surface
    assert reason.to_dict()["spans"][1] == {"start": 3, "end": 12, "surface": "お伝えしていますが"}


def test_a_kind_far_apart_stays_two_reasons(analyzer):
    text = "何度もお伝えしていますが、期限を守ってください。資料は明日送ります。会議は10時です。また同じことが起きたら困ります。"
    reasons = [r for r in analyzer.analyze(text).reasons if r.kind == "repetition_complaint"]
    assert [[s.surface for s in r.spans] for r in reasons] == [["何度も", "お伝えしていますが"], ["また同じ"]]
    assert "また同じ" not in reasons[0].message


def test_different_kinds_in_one_sentence_stay_apart(analyzer):
    advice = analyzer.analyze("例の件、いい感じにお願いします")
    assert [(r.kind, len(r.spans)) for r in advice.reasons] == [("vague_referent", 1), ("vague_standard", 1)]


@pytest.mark.parametrize(("channel", "text"), VARIED)
def test_every_reason_lists_its_places_first_one_first(analyzer, channel, text):
    advice = analyzer.analyze(text, channel=channel)
    assert advice.reasons
    for r in advice.reasons:
        assert (r.spans[0].start, r.spans[0].end, r.spans[0].surface) == (r.start, r.end, r.surface)
        assert all(a.end <= b.start for a, b in zip(r.spans, r.spans[1:])), r.spans  # sorted, no overlap
        assert all(text[s.start : s.end] == s.surface for s in r.spans)


def test_a_model_signal_reason_has_its_one_span(analyzer):
    no_cues = hisho_tone.Analyzer(config=False, disabled_kinds=list(analyzer.lexicon.kinds))
    advice = no_cues.analyze("あの、言いにくいんですけど、最近レスが遅くて仕事が止まることが多いです。")
    (reason,) = advice.reasons
    assert reason.kind == "model_signal"
    assert reason.spans == (hisho_tone.Span(reason.start, reason.end, reason.surface),)
    assert advice.to_dict()["reasons"][0]["spans"] == [{"start": 0, "end": 36, "surface": reason.surface}]


def test_overlapping_cues_of_a_kind_are_marked_once_in_the_strongest_words(analyzer):
    analysis = analyzer.inspect(REPEATED)
    cue = next(c for c in analysis.cues if c.kind == "repetition_complaint")
    stronger = dataclasses.replace(
        cue, start=1, end=6, weight=0.9, message="「{surface}」が強すぎます。", hint="弱めて"
    )
    (reason,) = analyzer.reasons(dataclasses.replace(analysis, cues=[cue, stronger]))
    assert [(s.start, s.end, s.surface) for s in reason.spans] == [(0, 6, "何度もお伝え")]
    assert (reason.message, reason.hint, reason.weight) == ("「何度もお伝え」が強すぎます。", "弱めて", 0.9)


def test_email_quotes_and_signature_do_not_count(analyzer):
    body = "山田様\n\nいつもお世話になっております。\n資料を添付いたします。12/3(水)にお打ち合わせでご説明します。\n"
    quote = "\n2026年11月20日(金) 10:02 山田 太郎 <yamada@example.co.jp>:\n> なぜまだなのですか？何度もお伝えしていますが、本当に困ります！！\n"
    plain = analyzer.analyze(body, channel="email")
    quoted = analyzer.analyze(body + quote, channel="email")
    assert quoted.recommendation == plain.recommendation == "text"
    assert quoted.call_probability == pytest.approx(plain.call_probability, abs=1e-6)
    assert quoted.excluded["quoted_chars"] > 0


SPREAD = [
    "検討させていただきます。",
    "少し遅れるかもしれません。",
    "了解です。",
    "資料、もう少し見やすくできますか？",
    "明日の件、たぶん大丈夫だと思います",
    "ちょっと気になる点がありますが、進めてください",
    "なるべく早めにお願いします",
    "そうなんですね",
    "またよろしくお願いします",
    "今回は見送ります",
    "一応確認ですが、例の件どうなりました？",
]


def test_sensitivity_moves_the_threshold(analyzer):
    order = ["text", "text_with_care", "call", "video"]
    moved = 0
    for text in SPREAD:
        ranks = [order.index(analyzer.analyze(text, sensitivity=s).recommendation) for s in ("low", "normal", "high")]
        assert ranks == sorted(ranks), (text, ranks)
        moved += ranks[0] < ranks[2]
    assert moved >= 2


def test_invitation_follows_the_register(analyzer):
    casual = analyzer.analyze("例のやつ、いい感じにやっといて。なるはやで！")
    keigo = analyzer.analyze(
        "例の件につきまして、いい感じにご対応いただけますでしょうか。なるべく早くお願いいたします。"
    )
    assert casual.register == "casual" and keigo.register == "keigo"
    assert "？" in casual.invitation and "ます" not in casual.invitation.split("、")[-1]
    assert "いただけ" in keigo.invitation or "頂戴" in keigo.invitation


def test_email_invitation_differs_from_chat(analyzer):
    text = "来月で契約を終了させていただきたく、ご相談です。"
    assert analyzer.analyze(text, "email").invitation != analyzer.analyze(text, "chat").invitation


@pytest.mark.parametrize("bad", [None, 1, b"bytes", ["list"], {"text": "x"}])
def test_non_str_raises_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        hisho_tone.analyze(bad)


@pytest.mark.parametrize(
    ("kwargs", "error"), [({"channel": "sms"}, "channel"), ({"sensitivity": "max"}, "sensitivity")]
)
def test_bad_options_raise_value_error(kwargs, error):
    with pytest.raises(ValueError, match=error):
        hisho_tone.analyze("こんにちは", **kwargs)


def test_huge_text_is_truncated_and_says_so(analyzer):
    text = "例の件お願いします。" * 100_000  # 1 MB
    advice = analyzer.analyze(text)
    assert advice.truncated and advice.analyzed_chars < len(text)
    assert all(r.end <= advice.analyzed_chars for r in advice.reasons)


def test_empty_and_whitespace(analyzer):
    for text in ("", "   ", "\n\n"):
        advice = analyzer.analyze(text)
        assert advice.recommendation == "text" and advice.reasons == []


def test_analyzer_is_thread_safe(analyzer):
    texts = ["例の件、いい感じに", "了解です👍", "そうですか。わかりました。", "今月末で契約を終了します"] * 10
    expected = [analyzer.analyze(t).to_dict() for t in texts]
    results: list = [None] * len(texts)

    def work(i):
        results[i] = analyzer.analyze(texts[i]).to_dict()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("そうですか。わかりました。こちらでやります。", "call"),  # displeasure: talk, but no need to meet
        ("前回もお伝えしましたよね？なぜまた同じミスが起きるのですか。", "call"),
        ("来月末をもちまして契約を終了させていただきたく存じます。", "video"),  # termination
        ("この度はお客様の個人情報を誤送信してしまい、深くお詫び申し上げます。", "video"),  # serious incident
    ],
)
def test_video_is_kept_for_face_to_face_topics(analyzer, text, expected):
    assert analyzer.analyze(text).recommendation == expected
