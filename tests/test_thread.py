"""Thread awareness: each thread reason with VALID (fires) and INVALID (does not) threads, the
thread verdict, the recap in both registers, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hisho_tone import analyze_thread, recap_template
from hisho_tone.thread import ThreadError

ROOT = Path(__file__).resolve().parents[1]


def msgs(*pairs):
    """("A", "text"), ("me", "text") … → message dicts; "me" marks the user."""
    return [{"author": a, "text": t, "me": a == "me"} for a, t in pairs]


PING_PONG = msgs(
    ("田中", "バナーの色、もう少し明るくできますか？"),
    ("me", "こちらの色味でいかがでしょうか。"),
    ("田中", "うーん、もう少し明るい方がいいかもです"),
    ("me", "では、こちらはいかがでしょう。"),
    ("田中", "明るすぎるかもしれません。前の方が近いかも"),
    ("me", "では中間の色でお作りしますね。"),
    ("田中", "うーん、なんか違うんですよね"),
)
SETTLED = msgs(
    ("田中", "明日の打ち合わせ、10時と14時どちらが空いていますか？"),
    ("me", "14時でお願いできますか？"),
    ("田中", "承知しました、14時で確定します。ありがとうございます！"),
)
RISING = msgs(
    ("山田", "資料の進捗はいかがですか？"),
    ("me", "確認して折り返します。"),
    ("山田", "まだでしょうか。今日中に必要なのですが。"),
    ("me", "申し訳ありません、もう少しお待ちください。"),
    ("山田", "正直困ります。なぜ連絡がないのですか？何度もお願いしていますよね！！"),
)
UNANSWERED = msgs(
    ("佐藤", "請求書の宛名は株式会社ABCで合っていますか？"),
    ("me", "来週の会議室を予約しました。"),
    ("佐藤", "ありがとうございます。"),
    ("me", "資料も共有フォルダに入れておきます。"),
)
ANSWERED = msgs(
    ("佐藤", "請求書の宛名は株式会社ABCで合っていますか？"),
    ("me", "はい、株式会社ABCの宛名で合っています。"),
)
REPEATED = msgs(
    ("鈴木", "契約書の控えを郵送していただけますか。"),
    ("me", "承知しました。"),
    ("鈴木", "先ほどもお伝えしましたが、契約書の控えを郵送していただけますか。"),
)
MISALIGNED = msgs(
    ("me", "ご依頼のLP、3ページ構成で作成しました。"),
    ("高橋", "え、1ページの予定ですよね？認識がずれているようです。"),
)
ROUTINE_LONG = msgs(
    ("me", "来週の出張の件、新幹線は12/3(水)9:00東京発で手配しました。"),
    ("小林", "ありがとうございます！ホテルもお願いできますか？"),
    ("me", "はい、12/3〜12/4で駅前のホテルを予約しました。"),
    ("小林", "助かります。領収書は経理に回してください。"),
    ("me", "承知しました。明日経理に提出します。"),
    ("小林", "ありがとうございます！"),
)

VALID = [
    ("ping_pong", PING_PONG),
    ("rising_emotion", RISING),
    ("unanswered_question", UNANSWERED),
    ("repeated_request", REPEATED),
    ("misalignment", MISALIGNED),
]
INVALID = [
    ("ping_pong", SETTLED),
    ("ping_pong", ROUTINE_LONG),
    ("rising_emotion", ROUTINE_LONG),
    ("unanswered_question", ANSWERED),
    ("unanswered_question", SETTLED),
    ("repeated_request", ROUTINE_LONG),
    ("misalignment", ROUTINE_LONG),
]


@pytest.mark.parametrize(("kind", "thread"), VALID, ids=[k for k, _ in VALID])
def test_valid(analyzer, kind, thread):
    advice = analyze_thread(thread, analyzer=analyzer)
    assert kind in {r.kind for r in advice.reasons}


@pytest.mark.parametrize(("kind", "thread"), INVALID, ids=[k for k, _ in INVALID])
def test_invalid(analyzer, kind, thread):
    advice = analyze_thread(thread, analyzer=analyzer)
    assert kind not in {r.kind for r in advice.reasons}


def test_ping_pong_makes_a_harmless_draft_a_call(analyzer):
    draft = "承知しました。修正版をお送りします。"
    assert analyzer.analyze(draft).recommendation == "text"
    advice = analyze_thread(PING_PONG, draft=draft, analyzer=analyzer)
    assert advice.rounds >= 3 and advice.recommendation in ("call", "video")
    ping = next(r for r in advice.reasons if r.kind == "ping_pong")
    assert f"{advice.rounds}往復" in ping.message
    assert advice.invitation


def test_settled_and_routine_threads_stay_text(analyzer):
    for thread in (SETTLED, ROUTINE_LONG):
        assert analyze_thread(thread, analyzer=analyzer).recommendation == "text"


def test_rising_emotion_trend(analyzer):
    advice = analyze_thread(RISING, analyzer=analyzer)
    assert advice.emotion_trend == "rising" and advice.recommendation in ("call", "video")


def test_spans_point_into_the_right_message(analyzer):
    advice = analyze_thread(UNANSWERED, analyzer=analyzer)
    (q,) = advice.unanswered_questions
    assert UNANSWERED[q.message_index]["text"][q.start : q.end] == q.surface and "宛名" in q.surface


def test_per_message_advice_and_dict_shape(analyzer):
    advice = analyze_thread(RISING, draft="申し訳ありません。", analyzer=analyzer)
    data = advice.to_dict()
    assert len(data["per_message"]) == len(RISING) and data["draft"]["recommendation"]
    assert set(data) >= {
        "recommendation",
        "call_probability",
        "rounds",
        "unanswered_questions",
        "emotion_trend",
        "reasons",
        "per_message",
    }


def test_recap_keigo_lists_open_points_and_steps(analyzer):
    thread = msgs(
        ("山田様", "見積書の金額、前回と違う理由を教えていただけますか？"),
        ("me", "確認いたします。12/5(金)までに修正版を送付いたします。"),
        ("山田様", "あわせて、納期は1月末で間に合いますでしょうか。"),
    )
    recap = recap_template(thread, analyzer=analyzer)
    assert recap.startswith("山田様") and "ございました" in recap
    assert "納期" in recap and "12/5" in recap and "担当" in recap


def test_recap_casual(analyzer):
    thread = msgs(("ゆき", "旅行の宿どうする？"), ("me", "どっちでもいいよー"), ("ゆき", "じゃあ電話で決めよ"))
    recap = recap_template(thread, analyzer=analyzer)
    assert "ありがとう！" in recap and "ございます" not in recap


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ("text", TypeError),
        ([1], ThreadError),
        ([{"author": "a"}], ThreadError),
        ([{"text": "x", "author": 3}], ThreadError),
        ([{"text": "x", "me": "yes"}], ThreadError),
    ],
)
def test_bad_threads_are_rejected_clearly(analyzer, messages, error):
    with pytest.raises(error):
        analyze_thread(messages, analyzer=analyzer)


def test_empty_thread_and_draft_only(analyzer):
    assert analyze_thread([], analyzer=analyzer).recommendation == "text"
    assert analyze_thread([], draft="そうですか。わかりました。", analyzer=analyzer).recommendation in ("call", "video")


def test_each_message_is_tokenized_once(analyzer, monkeypatch):
    from hisho_tone import tokenize

    calls = []
    real = tokenize._tokens_of
    monkeypatch.setattr(tokenize, "_tokens_of", lambda text, offset: calls.append(text) or real(text, offset))
    analyze_thread(PING_PONG, draft="修正します。", analyzer=analyzer)
    assert len(calls) == len(PING_PONG) + 1


def test_thanks_with_a_reservation_does_not_settle_the_topic():
    thread = [
        {"author": "佐藤", "text": "バナーの色、もう少し明るくできますか？"},
        {"author": "山田", "text": "明るめの案をお送りします。いかがでしょうか。", "me": True},
        {"author": "佐藤", "text": "ありがとうございます。ただ、もう少し明るい方がいいかもしれません。"},
        {"author": "山田", "text": "さらに明るくした案を添付します。こちらはいかがでしょうか。", "me": True},
        {"author": "佐藤", "text": "今度は明るすぎる気がします。前の案の方が近いかもしれません。"},
        {"author": "山田", "text": "では、二つの中間の色でお作りします。", "me": True},
        {"author": "佐藤", "text": "うーん、なんだか違うんですよね。"},
    ]
    advice = analyze_thread(thread, draft="承知しました。修正版をお送りします。")
    assert advice.rounds >= 3 and "ping_pong" in {r.kind for r in advice.reasons}
    assert advice.recommendation == "call"


def test_a_thread_verdict_above_the_drafts_always_has_a_thread_reason():
    order = ["text", "text_with_care", "call", "video"]
    threads = [
        json.loads(line)
        for line in (ROOT / "models" / "data" / "threads.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    for t in threads[::4]:
        advice = analyze_thread(t["messages"], draft=t.get("draft"), channel=t.get("channel", "chat"))
        floor = advice.draft.recommendation if advice.draft else "text"
        if order.index(advice.recommendation) > order.index(floor):
            assert advice.reasons, t["id"]


def test_one_thread_limit_the_latest_messages_are_analysed(analyzer):
    from hisho_tone.thread import MAX_MESSAGES

    thread = [
        {"author": "田中" if i % 2 else "佐藤", "text": f"{i}件目の資料をお送りします。"}
        for i in range(MAX_MESSAGES + 10)
    ]
    advice = analyze_thread(thread, analyzer=analyzer)
    assert advice.truncated and len(advice.per_message) == MAX_MESSAGES
    assert not analyze_thread(thread[-MAX_MESSAGES:], analyzer=analyzer).truncated


def test_bad_options_are_refused_alike_by_analyze_and_analyze_thread(analyzer):
    for call in (
        lambda **kw: analyzer.analyze("了解です", **kw),
        lambda **kw: analyze_thread([], analyzer=analyzer, **kw),
    ):
        with pytest.raises(ValueError, match="channel must be one of chat, email, not 'sms'"):
            call(channel="sms")
        with pytest.raises(ValueError, match="sensitivity must be one of low, normal, high, not 'max'"):
            call(sensitivity="max")
