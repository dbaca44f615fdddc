"""The public Python contract of ``hisho_tone.analyze`` (README.md, "Python API")."""

from __future__ import annotations

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
REASON_FIELDS = {"kind", "category", "label", "start", "end", "surface", "message", "hint", "weight"}

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
