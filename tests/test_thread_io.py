"""Reading threads from files, and the ``thread`` / ``recap`` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hisho_tone.thread_io import ThreadFormatError, parse_thread

CHATWORK = (
    "[田中 一郎] 2026/11/20 10:02\n資料はいつ頃できますか？\n[佐藤] 2026/11/20 10:30\n明日の15時までにお送りします。\n"
)
EMAIL = (
    "From: 山田 太郎 <yamada@example.co.jp>\nDate: 2026/11/20\nSubject: 見積\n\n見積書の金額を確認させてください。\n\n"
    "From: 佐藤 <sato@example.co.jp>\nSubject: Re: 見積\n\n確認して明日ご連絡します。\n"
)
LINES = "田中: 資料はいつ頃できますか？\n佐藤：明日の15時までにお送りします。\n"


@pytest.mark.parametrize(("raw", "channel"), [(CHATWORK, "chat"), (EMAIL, "email"), (LINES, "chat")])
def test_plain_text_exports(raw, channel):
    thread = parse_thread(raw, me="佐藤")
    assert thread["channel"] == channel
    assert len(thread["messages"]) == 2
    assert [m["me"] for m in thread["messages"]] == [False, True]
    assert "Subject" not in thread["messages"][0]["text"]


def test_json_list_and_object():
    msgs = [{"author": "a", "text": "x"}, {"author": "b", "text": "y", "me": True}]
    assert parse_thread(json.dumps(msgs))["messages"][1]["me"] is True
    obj = parse_thread(json.dumps({"messages": msgs, "draft": "z", "channel": "email"}))
    assert obj["draft"] == "z" and obj["channel"] == "email"


@pytest.mark.parametrize("raw", ["{broken", "ただの文章です。\n誰の発言かわかりません。", '{"messages": 3}'])
def test_unreadable_threads_say_why(raw):
    with pytest.raises(ThreadFormatError):
        parse_thread(raw)


def run(*args):
    env = {**os.environ, "HISHO_TONE_CONFIG": os.devnull}
    return subprocess.run(
        [sys.executable, "-m", "hisho_tone", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_jsonl_of_the_batch_format():
    raw = '{"id": 1, "thread": "A", "author": "田中", "text": "資料はいつ頃できますか？"}\n{"id": 2, "author": "佐藤", "me": true, "text": "明日お送りします。", "channel": "email"}\n'
    thread = parse_thread(raw, me="田中")
    assert thread["messages"] == [
        {"author": "田中", "text": "資料はいつ頃できますか？", "me": True},
        {"author": "佐藤", "text": "明日お送りします。", "me": True},
    ]
    assert thread["channel"] == "email"


def test_thread_command(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(CHATWORK, encoding="utf-8")
    out = run("thread", str(path), "--me", "佐藤", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["per_message"]) == 2 and data["recommendation"] == "text"
    human = run("thread", str(path), "--me", "佐藤")
    assert "判定" in human.stdout and "往復数" in human.stdout


def test_recap_command(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(CHATWORK, encoding="utf-8")
    out = run("recap", str(path), "--me", "佐藤")
    assert out.returncode == 0 and "田中 一郎さん" in out.stdout and "15時" in out.stdout


def test_missing_file_is_a_clear_error():
    out = run("thread", "/nonexistent/thread.json")
    assert out.returncode == 2 and "ファイルを読めません" in out.stderr
