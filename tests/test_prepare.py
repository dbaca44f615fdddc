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


# --- Chatwork drafts (channel "chat") ------------------------------------------------------------
# What Chatwork's message box holds after the user clicks Quote, To or Reply (the tags are written by
# the web app; the words after [qtmeta] are the quoted person's, not the writer's).
ANGRY_QUOTE = "なぜ何度も同じミスが起きるのですか？正直かなりがっかりしています。"
OWN_REPLY = "ご指摘ありがとうございます。明日10時までに再発防止策をまとめてお送りします。"
REPLY_WITH_QUOTE = f"[To:1234567]佐藤さん\n[qt][qtmeta aid=7654321 time=1764142335]{ANGRY_QUOTE}[/qt]\n{OWN_REPLY}"

# (draft, the writer's own words as analysed, quoted characters set aside)
CHAT_TABLE = [
    (REPLY_WITH_QUOTE, [OWN_REPLY], len(f"[qt][qtmeta aid=7654321 time=1764142335]{ANGRY_QUOTE}[/qt]")),
    # a reply chip and the name Chatwork writes after it
    ("[rp aid=1234567 to=98765-1901234567890123456]山田 太郎さん\n了解です。", ["了解です。"], 0),
    # To several people, then the message on its own line
    ("[To:1]佐藤さん[To:2]鈴木 一郎さん\n明日の件、承知しました。", ["明日の件、承知しました。"], 0),
    # the name is followed by the sentence on the same line
    ("[To:1]佐藤さん、資料を送りました。", ["、資料を送りました。"], 0),
    # a name that is part of the sentence stays
    ("[To:1]佐藤さんの件ですが、了解です。", ["佐藤さんの件ですが、了解です。"], 0),
    ("[toall]\n皆さん、明日は休業日です。", ["皆さん、明日は休業日です。"], 0),
    # [piconname:…] shows the name itself; Chatwork's "さん" follows it
    ("[piconname:1234567]さん、ありがとうございます。", ["、ありがとうございます。"], 0),
    # [info]/[title]/[code]/[hr] are formatting: their content is the writer's
    ("[info][title]議事録[/title]次回は12/3です。[/info]", ["議事録", "次回は12/3です。"], 0),
    ("設定は[code]timeout = 30[/code]です。[hr]以上です。", ["設定は", "timeout = 30", "です。", "以上です。"], 0),
    # inside [code] nothing is a tag
    ('[code]x = "[qt]"[/code]', ['x = "[qt]"'], 0),
    # quotes nest; the writer's words are around them
    (
        "了解です。\n[qt][qtmeta aid=1]外[qt][qtmeta aid=2]内[/qt]外[/qt]\nよろしくお願いします。",
        ["了解です。", "よろしくお願いします。"],
        len("[qt][qtmeta aid=1]外[qt][qtmeta aid=2]内[/qt]外[/qt]"),
    ),
    # an unclosed [qt] is only a tag: nothing after it is hidden
    ("[qt]正直がっかりです", ["正直がっかりです"], 0),
    # lower-case tags and text in square brackets that is no Chatwork tag
    ("[to:1]佐藤さん\n[重要] 明日までにお願いします。", ["[重要] 明日までにお願いします。"], 0),
]


@pytest.mark.parametrize(("draft", "own", "quoted"), CHAT_TABLE)
def test_chatwork_markup(draft, own, quoted):
    prepared = prepare(draft, "chat")
    assert [draft[s:e].strip() for s, e in prepared.spans] == own
    assert prepared.quoted_chars == quoted
    assert all(0 <= s < e <= len(draft) for s, e in prepared.spans)


def test_email_keeps_chatwork_like_brackets():
    text = "[To:1]佐藤さん\n[qt]本文[/qt]"
    assert _kept(text, "email") == text


def test_a_chat_draft_that_is_only_a_quote_keeps_nothing():
    assert _kept("[qt][qtmeta aid=1 time=2]なぜですか？[/qt]", "chat") == ""


def test_quoted_words_get_no_reason_and_offsets_index_the_draft():
    import hisho_tone

    advice = hisho_tone.analyze(REPLY_WITH_QUOTE, channel="chat")
    quote_start = REPLY_WITH_QUOTE.index("[qt]")
    quote_end = REPLY_WITH_QUOTE.index("[/qt]") + len("[/qt]")
    assert all(r.end <= quote_start or r.start >= quote_end for r in advice.reasons)
    assert all(REPLY_WITH_QUOTE[r.start : r.end] == r.surface for r in advice.reasons)
    assert advice.excluded["quoted_chars"] == CHAT_TABLE[0][2]
    # the same words written by the user are theirs, and are read
    own = hisho_tone.analyze(f"[To:1234567]佐藤さん\n{ANGRY_QUOTE}", channel="chat")
    assert {"blame_question", "negative_emotion"} <= {r.kind for r in own.reasons}
    assert own.excluded["quoted_chars"] == 0


def test_reasons_inside_info_point_at_the_original_text():
    import hisho_tone

    draft = "[To:1]田中さん\n[info][title]デザインの件[/title]例の件、いい感じにまとめといてください。[/info]"
    advice = hisho_tone.analyze(draft, channel="chat")
    kinds = {r.kind for r in advice.reasons}
    assert "vague_referent" in kinds
    assert all(draft[r.start : r.end] == r.surface for r in advice.reasons)
    assert not any("[" in r.surface or "]" in r.surface for r in advice.reasons)
