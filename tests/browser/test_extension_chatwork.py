"""The extension in Chatwork's message box: when it asks (IME, debounce, short drafts), sending, room
changes, the send button, inserting at the caret, "Not now"."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from extension_harness import (
    ANY_ADVICE,
    BADGE,
    CALL_DRAFT,
    CARE_DRAFTS,
    CHATWORK_BOX,
    KDDI_CHATWORK_URL,
    ROUTINE_DRAFT,
    TEST_DEBOUNCE_MS,
    library_advice,
)

pytestmark = pytest.mark.browser
SEND_BUTTON = '[data-testid="timeline_send-message-button"]'
# One complaint said three ways in two sentences: one 繰り返しへの不満 with three spans.
REPEATED_DRAFT = "何度もお伝えしていますが、期限を守ってください。また同じことが起きたら困ります。"


def type_committed(page, text: str) -> None:
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(text)


def rects_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_call_worthy_message_shows_call_beside_the_box_not_on_the_send_button(ext):
    expected = library_advice(CALL_DRAFT, "chat")["recommendation"]
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    assert ext.wait_for_state(page, "call", "video") == expected
    ext.screenshot(page, "chatwork-call")
    (request,) = ext.analyze_requests()
    # The draft, and the open room's timeline as its thread (content/thread.js).
    assert request["json"] == {
        "text": CALL_DRAFT,
        "channel": "chat",
        "sensitivity": "normal",
        "thread": [{"text": "明日の定例は10時からです。", "author": "佐藤", "me": False}],
    }

    badge = ext.badge(page).locator("button.badge").bounding_box()
    box = page.locator(CHATWORK_BOX).bounding_box()
    send = page.locator(SEND_BUTTON).bounding_box()
    assert not rects_overlap(badge, send)
    assert box["x"] <= badge["x"] and badge["x"] + badge["width"] <= box["x"] + box["width"]
    assert box["y"] <= badge["y"] and badge["y"] + badge["height"] <= box["y"] + box["height"]
    # The host is outside the message box and outside the timeline.
    assert page.evaluate(f"!!document.querySelector('{BADGE}').closest('#_timeLine, #_chatSendArea')") is False

    # The badge follows the box when the layout changes.
    page.evaluate("document.getElementById('_chatText').style.height = '60px'")
    page.wait_for_timeout(200)
    moved = ext.badge(page).locator("button.badge").bounding_box()
    box = page.locator(CHATWORK_BOX).bounding_box()
    assert box["y"] <= moved["y"] and moved["y"] + moved["height"] <= box["y"] + box["height"] + 1


def test_a_reason_found_in_several_places_quotes_every_phrase(ext):
    """The same complaint said three ways is one reason, and its panel item quotes all three phrases."""
    (expected,) = [r for r in library_advice(REPEATED_DRAFT, "chat")["reasons"] if r["kind"] == "repetition_complaint"]
    page = ext.open_chatwork()
    type_committed(page, REPEATED_DRAFT)
    ext.wait_for_state(page, "call", "video")
    ext.badge(page).locator("button.badge").click()
    item = ext.badge(page).locator("li.reason[data-kind=repetition_complaint]")
    expect(item).to_have_count(1)
    expect(item.locator(".phrase")).to_have_text("「何度も」「お伝えしていますが」「また同じ」")
    expect(item.locator(".message")).to_have_text(expected["message"])


def test_text_with_care(ext):
    found = next(
        (
            (draft, level)
            for level in ("normal", "low", "high")
            for draft in CARE_DRAFTS
            if library_advice(draft, "chat", level)["recommendation"] == "text_with_care"
        ),
        None,
    )
    if found is None:
        pytest.skip("none of the sample drafts is text_with_care for the current model at any sensitivity")
    draft, level = found
    ext.reset(sensitivity=level)
    page = ext.open_chatwork()
    type_committed(page, draft)
    ext.wait_for_state(page, "text_with_care")
    ext.screenshot(page, "text_with_care")
    ext.badge(page).locator("button.badge").click()
    expect(ext.badge(page).locator(".title")).to_have_text("少し手を入れてから送りましょう")
    expect(ext.badge(page).locator("li.reason").first).to_be_visible()
    ext.screenshot(page, "text_with_care-panel")


def test_no_request_while_the_ime_is_composing(ext):
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    cdp = page.context.new_cdp_session(page)

    def compose(reading: str) -> None:
        for end in range(1, len(reading) + 1):
            cdp.send("Input.imeSetComposition", {"text": reading[:end], "selectionStart": end, "selectionEnd": end})

    def sent() -> list[str]:
        return [r["json"]["text"] for r in ext.analyze_requests()]

    first, second = "例の件、いい感じに進めておいてください。", "なるべく早くお願いします。"
    compose("れいのけん、いいかんじにすすめておいてください。")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 4)  # long past the quiet time, still composing
    assert sent() == []
    expect(page.locator(BADGE)).to_have_count(0)
    cdp.send("Input.insertText", {"text": first})  # commit: the last input event comes before compositionend
    ext.wait_for_state(page, "text", "text_with_care", "call", "video")
    assert sent() == [first]

    compose("なるべくはやくおねがいします。")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 4)
    assert sent() == [first]  # the reading in the box was never sent
    cdp.send("Input.insertText", {"text": second})
    ext.wait_for_requests(page, 2)
    ext.wait_for_state(page, "call", "video")
    assert page.locator(CHATWORK_BOX).input_value() == CALL_DRAFT
    assert sent() == [first, CALL_DRAFT]
    cdp.detach()


def test_keystrokes_are_debounced_and_short_drafts_ignored(ext):
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.type("了解", delay=10)  # shorter than minChars
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 3)
    assert ext.analyze_requests() == []
    expect(page.locator(BADGE)).to_have_count(0)
    page.keyboard.type("です。明日10時の会議資料を添付します。", delay=20)
    ext.wait_for_state(page, *ANY_ADVICE)
    assert [r["json"]["text"] for r in ext.analyze_requests()] == ["了解です。明日10時の会議資料を添付します。"]
    # Unchanged text is not asked again (a keystroke typed and deleted).
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 3)
    assert len(ext.analyze_requests()) == 1


def test_sending_still_works_and_the_hint_goes_with_the_draft(ext):
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    ext.badge(page).locator("button.badge").click()  # even with the panel open
    page.click(SEND_BUTTON)
    assert page.evaluate("window.sentMessages") == [CALL_DRAFT]
    assert page.locator(CHATWORK_BOX).input_value() == ""
    expect(page.locator(BADGE)).to_have_count(0)  # Chatwork empties the box from script; we notice

    # Enter sends as well, with the badge shown.
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    page.keyboard.press("Enter")
    assert page.evaluate("window.sentMessages") == [CALL_DRAFT, ROUTINE_DRAFT]
    expect(page.locator(BADGE)).to_have_count(0)


def test_room_change_starts_over_with_that_rooms_draft(ext):
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    page.click("a[href='#!rid456']")  # hashchange, no page load
    expect(page.locator("#_roomTitle")).to_have_text("総務")
    expect(page.locator(BADGE)).to_have_count(0)
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    page.click("a[href='#!rid123']")  # back: Chatwork restores the room's draft
    assert page.locator(CHATWORK_BOX).input_value() == CALL_DRAFT
    ext.wait_for_state(page, "call", "video")


def test_insert_at_the_caret_in_the_message_box(ext):
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    caret = CALL_DRAFT.index("なるべく")
    page.evaluate(
        f"(() => {{ const box = document.getElementById('_chatText'); box.focus(); box.setSelectionRange({caret}, {caret}); }})()"
    )
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")  # the caret moved by the user, as keys do
    ext.badge(page).locator("button.badge").click()
    invitation = ext.badge(page).locator("[data-role=invitation]").inner_text()
    ext.badge(page).locator("[data-action=insert]").click()
    assert page.locator(CHATWORK_BOX).input_value() == CALL_DRAFT[:caret] + invitation + CALL_DRAFT[caret:]
    assert page.evaluate("document.activeElement.id") == "_chatText"


def test_copy_puts_the_invitation_on_the_clipboard_and_leaves_the_draft(ext):
    ext.context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://www.chatwork.com")
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    ext.badge(page).locator("button.badge").click()
    invitation = ext.badge(page).locator("[data-role=invitation]").inner_text()
    ext.badge(page).locator("[data-action=copy]").click()
    expect(ext.badge(page).locator(".status")).to_have_text("コピーしました。")
    assert page.evaluate("navigator.clipboard.readText()") == invitation
    assert page.locator(CHATWORK_BOX).input_value() == CALL_DRAFT
    ext.context.clear_permissions()


def test_not_now_keeps_quiet_until_the_next_draft(ext):
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    ext.badge(page).locator("button.badge").click()
    ext.badge(page).locator("[data-action=dismiss]").click()
    expect(page.locator(BADGE)).to_have_count(0)
    type_committed(page, "何卒。")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 3)
    expect(page.locator(BADGE)).to_have_count(0)
    page.keyboard.press("Enter")  # sent: the next draft is a new one
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")


def test_not_now_ends_with_the_sent_draft_even_when_the_next_one_is_typed_at_once(ext):
    page = ext.open_chatwork()
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    ext.badge(page).locator("button.badge").click()
    ext.badge(page).locator("[data-action=dismiss]").click()
    expect(page.locator(BADGE)).to_have_count(0)
    # Enter sends (the page empties the box) and the next draft arrives in the same moment, before
    # any timer of the extension can see the box empty
    page.evaluate(
        """(text) => {
            const box = document.querySelector('#_chatText');
            box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));
            box.value = text;
            box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: text}));
        }""",
        CALL_DRAFT + "念のため。",
    )
    ext.wait_for_state(page, "call", "video")


def test_kddi_chatwork_is_covered_too(ext):
    page = ext.open_chatwork(KDDI_CHATWORK_URL)
    type_committed(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")


# --- today's Chatwork and the legacy UI: who said what ---------------------------------------------
SCREENS = Path("/work/scratch/screens")
ESTIMATE_ROOM = "https://www.chatwork.com/#!rid791"
LEGACY_ESTIMATE_ROOM = "https://www.chatwork.com/?ui=legacy#!rid791"
# Room 791 as a reader sees it: the user (山田 太郎, account 100) mentions 佐藤 and then 田中 in a consecutive
# post (someone else's avatar in the body, no speaker block); 田中 quotes 佐藤.
ESTIMATE_THREAD = [
    {"text": "見積もりの件、ご確認をお願いします。", "author": "佐藤", "me": False},
    {"text": "確認しました。金曜までにお返事します。", "author": "山田 太郎", "me": True},
    {"text": "田中さんにも共有しておきます。", "author": "山田 太郎", "me": True},
    {"text": "承知しました。", "author": "田中 美咲", "me": False},  # the quote of 佐藤's message is set aside
]


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))


@pytest.mark.parametrize(("url", "ui"), [(ESTIMATE_ROOM, "current"), (LEGACY_ESTIMATE_ROOM, "legacy")])
def test_sender_and_me_come_from_the_speaker_block_not_from_avatars_in_the_body(ext, url, ui):
    page = ext.open_chatwork(url)
    if ui == "current":  # no class marks the user's own posts; the page's own account id does
        assert page.locator(".chatTimeLineMessageMine").count() == 0
        assert page.evaluate("window.MYID") == "100"
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    (request,) = ext.analyze_requests()
    assert request["json"]["thread"] == ESTIMATE_THREAD
    if ui == "current":
        screenshot(page, "chatwork-current-ui-badge")


def test_legacy_ping_pong_room_is_read_like_the_current_one(ext):
    from test_extension_thread import CHATWORK_PING_PONG

    page = ext.open_chatwork("https://www.chatwork.com/?ui=legacy#!rid789")
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    (request,) = ext.analyze_requests()
    assert request["json"]["thread"] == CHATWORK_PING_PONG


# A reply as Chatwork's message box holds it after To and Quote: the raw tags go to the server, which
# sets the quote and the addressing aside (hisho_tone/prepare.py).
ANGRY_QUOTE = "なぜ何度も同じミスが起きるのですか？正直かなりがっかりしています。"
TAGGED_DRAFT = (
    "[To:101]佐藤さん\n"
    f"[qt][qtmeta aid=101 time=1764142335]{ANGRY_QUOTE}[/qt]\n"
    "ご指摘ありがとうございます。明日10時までに再発防止策をまとめてお送りします。"
)


def test_a_draft_with_to_and_quote_tags_is_sent_raw_and_the_quote_gets_no_reason(ext):
    from extension_harness import library_thread

    page = ext.open_chatwork()
    type_committed(page, TAGGED_DRAFT)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["text"] == TAGGED_DRAFT
    expected = library_thread(request["json"]["thread"], TAGGED_DRAFT, "chat")
    draft_advice = expected["draft"]
    quote_start, quote_end = TAGGED_DRAFT.index("[qt]"), TAGGED_DRAFT.index("[/qt]") + 5
    assert all(r["end"] <= quote_start or r["start"] >= quote_end for r in draft_advice["reasons"])
    assert draft_advice["excluded"]["quoted_chars"] == quote_end - quote_start
    ext.wait_for_state(page, expected["recommendation"])
    ext.badge(page).locator("button.badge").click()
    phrases = ext.badge(page).locator("li.reason .phrase").all_inner_texts()
    assert not [p for p in phrases if p.strip("「」") in ANGRY_QUOTE]
    screenshot(page, "chatwork-current-ui-tagged-draft-panel")


def test_the_panel_says_when_older_messages_were_left_out(ext):
    """Room 789 has 12 messages; the extension sends the latest 10 (the one thread limit of
    common/messages.js, within the server's) and the panel says that 2 older ones were not read."""
    page = ext.open_chatwork("https://www.chatwork.com/#!rid789")
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    (request,) = ext.analyze_requests()
    assert len(request["json"]["thread"]) == 10
    screenshot(page, "chatwork-current-ui-pingpong-badge")
    ext.badge(page).locator("button.badge").click()
    expect(ext.badge(page).locator("[data-role=thread-truncated]")).to_have_text(
        "会話が長いため、直近 10 件だけを読みました（それより前の 2 件は読んでいません）。"
    )
    expect(ext.badge(page).locator("[data-role=thread-clipped]")).to_have_count(0)
    screenshot(page, "chatwork-current-ui-pingpong-panel")

    # A short room: nothing left out, nothing said.
    page = ext.open_chatwork("https://www.chatwork.com/#!rid790")
    type_committed(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, *ANY_ADVICE)
    ext.badge(page).locator("button.badge").click()
    expect(ext.badge(page).locator("[data-role=thread-meta]")).to_be_visible()
    expect(ext.badge(page).locator("[data-role=thread-truncated]")).to_have_count(0)
