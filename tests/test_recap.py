"""The recap sorts the thread's sentences by what they are, on a dozen threads: settled points
(agreements, stated deadlines), open points (unanswered questions, the other side's vague wording),
to-dos with their owner and deadline, and reactions left out."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hisho_tone import recap_template


def msgs(*pairs):
    """("山田様", "text"), ("me", "text") … → message dicts; "me" marks the user."""
    return [{"author": a, "text": t, "me": a == "me"} for a, t in pairs]


def sections(recap: str) -> dict[str, str]:
    """The recap's two parts: "decisions" (settled and open points) and "steps" (to-dos)."""
    parts = recap.split("■")
    assert len(parts) == 3, recap
    return {"decisions": parts[1], "steps": parts[2]}


def step(recap: str, words: str) -> str:
    """The to-do line holding ``words`` with its owner/deadline line (keigo and polite put them below)."""
    lines = sections(recap)["steps"].splitlines()
    for i, line in enumerate(lines):
        if words in line:
            return line + (lines[i + 1] if i + 1 < len(lines) and "担当" not in line else "")
    raise AssertionError(f"no to-do with {words!r} in:\n{recap}")


def test_a_reaction_is_no_line_and_a_deadline_is_no_todo(analyzer):
    """The issue's thread: 「うーん、なんか違うんですよね」 was a decision, 「明日が締切です。」 a to-do."""
    recap = recap_template(
        msgs(
            ("山田様", "納期の件、12/5までに見積もりをいただけますか？"),
            ("me", "承知しました。明日が締切です。"),
            ("山田様", "うーん、なんか違うんですよね。"),
        ),
        analyzer=analyzer,
    )
    assert "なんか違う" not in recap
    parts = sections(recap)
    assert "明日が締切です。" in parts["decisions"] and "明日が締切です" not in parts["steps"]
    assert "確認済み" in parts["decisions"]  # stated in writing: nothing to fill in


@pytest.mark.parametrize(
    ("thread", "words", "expected"),
    [
        pytest.param(  # an offer: my to-do, with the date in it as its deadline
            msgs(
                ("山田様", "見積書の金額を見直していただけますか？"), ("me", "12/5(金)までに修正版を送付いたします。")
            ),
            "修正版を送付",
            ("担当：当方", "期限：12/5"),
            id="my-offer",
        ),
        pytest.param(  # a request to me: my to-do
            msgs(("me", "見積もりの件でご連絡しました。"), ("山田様", "見積書を来週までに送ってください。")),
            "見積書を来週までに送って",
            ("担当：私", "期限：来週"),
            id="asked-of-me",
        ),
        pytest.param(  # my request: their to-do
            msgs(("山田様", "請求書を受け取りました。"), ("me", "請求書の金額をご確認ください。")),
            "請求書の金額をご確認",
            ("担当：山田様",),
            id="my-request",
        ),
        pytest.param(  # a person named as doing it
            msgs(("山田様", "資料はどうなりますか？"), ("me", "資料は田中さんから共有します。")),
            "田中さんから共有",
            ("担当：田中さん",),
            id="named",
        ),
    ],
)
def test_a_todo_has_its_owner_and_deadline(analyzer, thread, words, expected):
    line = step(recap_template(thread, analyzer=analyzer), words)
    for part in expected:
        assert part in line, line


def test_an_agreement_is_settled(analyzer):
    recap = recap_template(
        msgs(
            ("山田様", "打ち合わせは10時と14時、どちらがよろしいですか？"),
            ("me", "14時でお願いできますか？"),
            ("山田様", "承知しました、では14時で確定です。"),
        ),
        analyzer=analyzer,
    )
    parts = sections(recap)
    assert "14時で確定です。" in parts["decisions"] and "確定です" not in parts["steps"]
    assert "14時で確定です。（確認済み）" in parts["decisions"] or "14時で確定です。（やりとりで確認済み）" in recap


def test_an_unanswered_question_is_an_open_point(analyzer):
    recap = recap_template(
        msgs(("山田様", "会場の予約はお済みでしょうか？"), ("me", "来週の資料を添付します。ご確認ください。")),
        analyzer=analyzer,
    )
    decisions = sections(recap)["decisions"]
    assert "会場の予約はお済みでしょうか？" in decisions and "決定" in decisions.split("お済みでしょうか？")[1]


def test_their_vague_request_is_an_open_point_not_a_todo(analyzer):
    recap = recap_template(
        msgs(("me", "資料の件、進めています。"), ("山田様", "例の件もいい感じにまとめといてください。")),
        analyzer=analyzer,
    )
    parts = sections(recap)
    assert "いい感じにまとめといて" in parts["decisions"] and "いい感じ" not in parts["steps"]


def test_casual_thread_gets_the_casual_template_with_owners(analyzer):
    recap = recap_template(
        msgs(("ゆき", "旅行の宿どうする？"), ("me", "宿は私が予約しとくね"), ("ゆき", "じゃあ電車の切符は私が買うね")),
        analyzer=analyzer,
    )
    assert recap.startswith("ゆきさん") and "ございます" not in recap
    assert "担当：自分" in step(recap, "宿は私が予約")


def test_thanks_only_thread_has_nothing_to_list(analyzer):
    recap = recap_template(
        msgs(("山田様", "ありがとうございました！"), ("me", "こちらこそありがとうございました。")), analyzer=analyzer
    )
    parts = sections(recap)
    assert "記入" in parts["decisions"] and "記入" in parts["steps"]  # the placeholders only
    assert "ありがとうございました" not in parts["decisions"] + parts["steps"]


def test_the_draft_counts_and_quoted_history_does_not(analyzer):
    recap = recap_template(
        msgs(("山田様", "議事録はいつ頃いただけますか？\n\n> 先週の議事録を12/1までに提出します")),
        draft="明日までに議事録をお送りします。",
        analyzer=analyzer,
        channel="email",
    )
    assert "担当：当方" in step(recap, "議事録をお送りします") or "担当：私" in step(recap, "議事録をお送りします")
    assert "先週の議事録" not in recap


def test_a_sentence_said_twice_is_listed_once(analyzer):
    recap = recap_template(
        msgs(
            ("山田様", "見積書を送ってください。"),
            ("me", "承知しました。"),
            ("山田様", "見積書を送ってください。"),
        ),
        analyzer=analyzer,
    )
    assert sections(recap)["steps"].count("見積書を送ってください") == 1


@pytest.mark.parametrize("register_text", ["承知いたしました。", "了解です。", "りょ"])
def test_every_register_fills_owner_and_deadline_placeholders(analyzer, register_text):
    recap = recap_template(msgs(("山田様", "資料を修正してください。"), ("me", register_text)), analyzer=analyzer)
    assert "{owner}" not in recap and "{due}" not in recap and "{item}" not in recap
    assert "資料を修正して" in sections(recap)["steps"]


def test_work_done_and_work_impossible_are_no_todos(analyzer):
    """「15名で予約済みです」 is settled; 「更新しました」 is a report; 「修正ができなくて」 is a problem."""
    recap = recap_template(
        msgs(
            ("山田様", "懇親会はどうなっていますか？"),
            ("me", "会場近くの店を15名で予約済みです。シフト表も更新しました。"),
            ("me", "今の権限だと仕訳の修正ができなくて困っています。"),
        ),
        analyzer=analyzer,
    )
    parts = sections(recap)
    assert "15名で予約済みです" in parts["decisions"]
    assert "更新しました" not in recap
    assert "修正ができなくて" not in parts["steps"]


def test_an_answered_question_is_settled_with_its_answer(analyzer):
    recap = recap_template(
        msgs(("西岡", "パンフは何部？"), ("me", "来場予定が800名なので、300部で考えています")), analyzer=analyzer
    )
    assert "1. パンフは何部？ → 来場予定が800名なので、300部で考えています（確認済み）" in sections(recap)["decisions"]


def test_an_angry_question_or_an_echo_is_no_open_point(analyzer):
    recap = recap_template(
        msgs(
            ("me", "明日までに修正版をお送りします。"),
            ("桐山", "明日？それを考えるのが秘書の仕事じゃないの？"),
        ),
        analyzer=analyzer,
    )
    assert "明日？" not in sections(recap)["decisions"]
    assert "秘書の仕事じゃないの" not in recap


def test_a_todo_reported_done_later_is_gone(analyzer):
    recap = recap_template(
        msgs(
            ("山田様", "ホームページの料金表、更新をお願いします。"),
            ("me", "承知しました。"),
            ("me", "料金表を更新いたしました。"),
        ),
        analyzer=analyzer,
    )
    assert "料金表、更新をお願いします" not in sections(recap)["steps"]


def test_an_agreement_the_other_side_corrects_is_not_settled(analyzer):
    recap = recap_template(
        msgs(
            ("me", "定例は木曜15時で確定しています。"),
            ("堀江", "ごめん、木曜ダメになった。金曜にできる？"),
        ),
        analyzer=analyzer,
    )
    assert "木曜15時で確定" not in sections(recap)["decisions"]


def test_one_todo_said_twice_in_other_words_is_listed_once(analyzer):
    recap = recap_template(
        msgs(
            ("早坂様", "ご請求の件、ご回答をお願いします。"),
            ("me", "費用の件は上長に確認いたします。"),
            ("早坂様", "よろしくお願いします。"),
        ),
        draft="上長と確認のうえ、明日改めてご連絡いたします。",
        analyzer=analyzer,
    )
    steps = sections(recap)["steps"]
    assert "上長と確認のうえ" in steps and "費用の件は上長に" not in steps
    assert "期限：明日" in step(recap, "上長と確認のうえ")


def test_the_register_is_the_same_on_every_run():
    """One casual and one polite message of mine: the more formal register, whatever the hash seed."""
    thread = msgs(
        ("山本", "Zoomのリンクってどこ？"), ("me", "カレンダーに貼ってあるよ"), ("me", "資料もご覧ください。")
    )
    code = (
        f"import hisho_tone, json; print(hisho_tone.recap_template(json.loads({json.dumps(json.dumps(thread))}))[:40])"
    )
    greetings = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(greetings) == 1 and "先ほどはお時間" in greetings.pop()


def test_a_sentence_that_only_thanks_is_no_line(analyzer):
    recap = recap_template(
        msgs(
            ("高田様", "ご連絡ありがとうございます。来週の候補日を送ってください。"),
            ("me", "承知しました。"),
        ),
        analyzer=analyzer,
    )
    assert "担当：私" in step(recap, "来週の候補日を送ってください")
    assert "ありがとうございます" not in recap.split("■", 1)[1]
