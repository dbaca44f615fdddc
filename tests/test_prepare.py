"""Email preparation: quoted history and signatures are set aside, offsets stay true."""

from __future__ import annotations

import pytest

from hisho_tone.prepare import prepare

BODY = "山田様\n\nいつもお世話になっております。\n見積書を12/3までにお送りします。\n"

HISTORY = [
    "> 例の件、なぜまだなのですか？\n> 何度もお伝えしていますが。\n",
    "-----Original Message-----\nFrom: 山田\n例の件、なぜまだなのですか？\n",
    "On Mon, Nov 23, 2026 at 10:02 AM Taro Yamada <yamada@example.co.jp> wrote:\n> 例の件、なぜまだなのですか？\n",
    "2026年11月20日(金) 10:02 山田 太郎 <yamada@example.co.jp>:\n例の件、なぜまだなのですか？\n",
    "---------- Forwarded message ---------\nFrom: 山田\n例の件、なぜまだなのですか？\n",
]

SIGNATURES = [
    "-- \n佐藤 花子\n株式会社サンプル\nTEL: 03-1234-5678\n",
    "━━━━━━━━━━━━\n佐藤 花子\n株式会社サンプル 営業部\nMail: sato@example.co.jp\nhttps://example.co.jp\n━━━━━━━━━━━━\n",
    "佐藤 花子\n株式会社サンプル\nTEL 03-1234-5678 / Mail sato@example.co.jp\n",
]


def _kept(text: str, channel: str = "email") -> str:
    return "".join(text[s:e] for s, e in prepare(text, channel).spans)


@pytest.mark.parametrize("history", HISTORY)
def test_quoted_history_is_set_aside(history):
    text = BODY + "\n" + history
    kept = _kept(text)
    assert "見積書" in kept and "なぜまだ" not in kept
    assert prepare(text, "email").quoted_chars > 0


@pytest.mark.parametrize("signature", SIGNATURES)
def test_signature_is_set_aside(signature):
    text = BODY + "\n" + signature
    kept = _kept(text)
    assert "見積書" in kept and "03-1234" not in kept and "株式会社サンプル" not in kept
    assert prepare(text, "email").signature_chars > 0


def test_chat_keeps_everything():
    text = "> 引用っぽい行\n本文"
    assert _kept(text, "chat") == text


def test_spans_index_the_original_text():
    text = BODY + "\n> 引用\n"
    spans = prepare(text, "email").spans
    assert text[spans[0][0] :].startswith("山田様")
    assert all(0 <= s <= e <= len(text) for s, e in spans)
    assert "引用" not in "".join(text[s:e] for s, e in spans)


def test_email_that_is_only_a_quote_keeps_nothing():
    assert _kept("> 引用だけ\n> です", "email") == ""
