"""The extension reads the visible conversation: Gmail's open thread and Chatwork's open room. A ping-pong
thread makes a harmless draft a call, a settled one leaves a routine draft alone, the panel shows the
thread's reasons above the draft's, and 「通話後のまとめを作成」 inserts the recap at the caret.
Screenshots: test-artifacts/extension/thread-*.png."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from extension_harness import (
    BADGE,
    CALL_DRAFT,
    CHATWORK_BOX,
    GMAIL_BODY,
    insert_text,
    library_advice,
    library_recap,
    library_thread,
    open_compose,
    open_reply,
)

pytestmark = pytest.mark.browser

GMAIL_PING_PONG_URL = "https://mail.google.com/mail/u/0/#inbox/pingpong"
GMAIL_ROUTINE_URL = "https://mail.google.com/mail/u/0/#inbox/routine"
CHATWORK_PING_PONG_URL = "https://www.chatwork.com/#!rid789"
CHATWORK_ROUTINE_URL = "https://www.chatwork.com/#!rid790"

HARMLESS = "承知しました。修正版をお送りします。"  # fine on its own; not after four rounds
ROUTINE = "ありがとうございます。では明日14時に伺います。"
OPEN_QUESTION = "バナーの色、もう少し明るくできますか？"


def message(author: str, text: str, me: bool) -> dict:
    return {"text": text, "author": author, "me": me}


# What the extension must read from the fixture pages (tests/browser/pages), oldest first.
TANAKA, YAMADA, HANAKO, ICHIRO = "田中 美咲", "山田 太郎", "佐藤 花子", "鈴木 一郎"
CHATWORK_PING_PONG = [  # the last 10 of the room's 12 messages
    message(TANAKA, "先日の議事録、共有ありがとうございました。", False),
    message(YAMADA, "どういたしまして。", True),
    message(TANAKA, OPEN_QUESTION, False),  # its To tag is not part of the text
    message(YAMADA, "こちらの色味でいかがでしょうか。", True),  # nor is a reply chip
    message(TANAKA, "うーん、もう少し明るい方がいいかもです", False),
    message(YAMADA, "では、こちらはいかがでしょう。", True),
    message(TANAKA, "明るすぎるかもしれません。", False),
    message(TANAKA, "前の方が近いかも", False),  # a consecutive post shows no speaker: it keeps the last one
    message(YAMADA, "では中間の色でお作りしますね。", True),
    message(TANAKA, "うーん、なんか違うんですよね", False),
]
GMAIL_PING_PONG = [
    # collapsed in Gmail: only its snippet is in the page
    message(
        HANAKO,
        "山田様 お世話になっております。トップページのバナーですが、色をもう少し明るくしていただけますか？",
        False,
    ),
    message(
        YAMADA,
        "佐藤様\n\nお世話になっております。\n明るめの色味に調整した案をお送りします。こちらでいかがでしょうか。\n\n山田",
        True,
    ),
    message(HANAKO, "山田様\n\nありがとうございます。ただ、もう少し明るい方がいいかもしれません。\n\n佐藤", False),
    message(
        YAMADA, "佐藤様\n\nさらに明るくした案を添付します。こちらはいかがでしょうか。\n\n山田", True
    ),  # its quoted history is set aside
    message(HANAKO, "山田様\n\n今度は明るすぎる気がします。前の案の方が近いかもしれません。\n\n佐藤", False),
    message(YAMADA, "佐藤様\n\nでは、二つの中間の色でお作りします。\n\n山田", True),
    message(HANAKO, "山田様\n\nうーん、なんだか違うんですよね。\n\n佐藤", False),
]
GMAIL_ROUTINE = [
    message(ICHIRO, "山田様\n\n明日の打ち合わせ、10時と14時どちらが空いていますか？\n\n鈴木", False),
    message(YAMADA, "鈴木様\n\n14時でお願いできますか？\n\n山田", True),
    message(ICHIRO, "山田様\n\n承知しました、14時で確定します。ありがとうございます！\n\n鈴木", False),
]


def type_in_chatwork(page, text: str) -> None:
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(text)


def open_panel(ext, page):
    ext.badge(page).locator("button.badge").click()
    panel = ext.badge(page).locator(".panel")
    expect(panel).to_be_visible()
    return panel


def recap_requests(ext) -> list[dict]:
    return [r for r in ext.browser.requests if r["url"].endswith("/v1/recap") and r["method"] == "POST"]


# ---- a ping-pong thread makes a harmless draft a call -----------------------------------------


def test_gmail_ping_pong_thread_makes_a_harmless_reply_a_call(ext):
    assert library_advice(HARMLESS, "email")["recommendation"] == "text"
    page = ext.open(GMAIL_PING_PONG_URL)
    open_reply(page)
    insert_text(page, HARMLESS)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["text"] == HARMLESS
    assert request["json"]["thread"] == GMAIL_PING_PONG
    expected = library_thread(GMAIL_PING_PONG, HARMLESS, "email")
    assert expected["recommendation"] == "call"
    ext.wait_for_state(page, "call")
    ext.screenshot(page, "thread-gmail-pingpong")

    panel = open_panel(ext, page)
    expect(panel.locator(".title")).to_have_text("短い通話をおすすめします")
    expect(panel.locator(".summary")).to_have_text(expected["summary"])  # the conversation's verdict leads
    expect(panel.locator("[data-role=thread-meta]")).to_have_text(
        f"直近 {len(GMAIL_PING_PONG)} 件のやりとりも踏まえた判定です。"
    )
    items = panel.locator("li.thread-reason")
    expect(items).to_have_count(len(expected["reasons"]))
    ping_pong = panel.locator("li.thread-reason[data-kind=ping_pong]")
    expect(ping_pong.locator(".message")).to_contain_text("このやりとりは既に4往復しています")
    expect(panel.locator("[data-role=invitation]")).to_have_text(expected["invitation"])
    expect(panel.locator("[data-action=recap]")).to_have_text("通話後のまとめを作成")
    ext.screenshot(page, "thread-gmail-pingpong-panel")


def test_chatwork_ping_pong_room_makes_a_harmless_message_a_call(ext):
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    assert page.locator("#_timeLine ._message").count() == 12
    type_in_chatwork(page, HARMLESS)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["thread"] == CHATWORK_PING_PONG  # the last 10 messages, as a reader sees them
    expected = library_thread(CHATWORK_PING_PONG, HARMLESS, "chat")
    assert expected["recommendation"] == "call" and library_advice(HARMLESS, "chat")["recommendation"] == "text"
    ext.wait_for_state(page, "call")

    panel = open_panel(ext, page)
    expect(panel.locator("li.thread-reason[data-kind=ping_pong] .message")).to_contain_text(
        "このやりとりは既に4往復しています"
    )
    for reason in expected["reasons"]:  # every thread reason the library gives is shown
        expect(panel.locator(f"li.thread-reason[data-kind={reason['kind']}]").first).to_be_visible()
    ext.screenshot(page, "thread-chatwork-pingpong-panel")


def test_thread_reasons_come_above_the_drafts_own(ext):
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    type_in_chatwork(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    panel = open_panel(ext, page)
    expect(panel.locator("li.thread-reason").first).to_be_visible()
    expect(panel.locator("li.reason").first).to_be_attached()
    headings = panel.locator("h3.section-title").all_inner_texts()
    assert headings.index("このやりとりについて") < headings.index("気になった表現")
    assert panel.evaluate(
        "p => !!(p.querySelector('ul.thread-reasons').compareDocumentPosition(p.querySelector('ul.reasons')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )


# ---- a settled thread leaves a routine draft alone --------------------------------------------


def test_gmail_settled_thread_keeps_a_routine_reply_text(ext):
    page = ext.open(GMAIL_ROUTINE_URL)
    open_reply(page)
    insert_text(page, ROUTINE)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["thread"] == GMAIL_ROUTINE
    assert library_thread(GMAIL_ROUTINE, ROUTINE, "email")["recommendation"] == "text"
    ext.wait_for_state(page, "text")
    ext.screenshot(page, "thread-gmail-routine")


def test_chatwork_settled_room_keeps_a_routine_message_text(ext):
    page = ext.open_chatwork(CHATWORK_ROUTINE_URL)
    type_in_chatwork(page, ROUTINE)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["thread"] == [
        message(ICHIRO, "明日の打ち合わせ、10時と14時どちらが空いていますか？", False),
        message(YAMADA, "14時でお願いできますか？", True),
        message(ICHIRO, "承知しました、14時で確定します。ありがとうございます！", False),
    ]
    ext.wait_for_state(page, "text")
    ext.screenshot(page, "thread-chatwork-routine")
    panel = open_panel(ext, page)
    expect(panel.locator("li.thread-reason")).to_have_count(0)
    expect(panel.locator("[data-role=thread-meta]")).to_have_text("直近 3 件のやりとりも踏まえた判定です。")


def test_a_new_email_is_judged_alone(ext):
    page = ext.open(GMAIL_PING_PONG_URL)  # a thread is open, but a new email is not part of it
    open_compose(page)
    insert_text(page, HARMLESS)
    (request,) = ext.wait_for_requests(page, 1)
    assert "thread" not in request["json"]
    ext.wait_for_state(page, "text")
    expect(ext.badge(page)).to_have_count(1)


def test_a_new_message_in_the_room_asks_again(ext):
    page = ext.open_chatwork(CHATWORK_ROUTINE_URL)
    type_in_chatwork(page, ROUTINE)
    ext.wait_for_requests(page, 1)
    ext.wait_for_state(page, "text")
    # Someone posts while the draft waits; the next look at the draft sends the new conversation.
    page.evaluate("""() => {
        const last = document.querySelector('#_timeLine ._message:last-child').cloneNode(true);
        last.setAttribute('data-mid', '2000000000000000001');
        last.querySelector('pre').textContent = 'すみません、やはり15時に変更できますか？';
        document.getElementById('_timeLine').append(last);
    }""")
    page.keyboard.type(" ")
    requests = ext.wait_for_requests(page, 2)
    assert requests[-1]["json"]["thread"][-1] == message(ICHIRO, "すみません、やはり15時に変更できますか？", False)


# ---- 「通話後のまとめを作成」 ------------------------------------------------------------------


def test_recap_is_inserted_at_the_caret_in_chatwork(ext):
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    type_in_chatwork(page, HARMLESS)
    ext.wait_for_state(page, "call")
    caret = HARMLESS.index("修正版")
    page.evaluate(
        f"(() => {{ const box = document.getElementById('_chatText'); box.focus(); box.setSelectionRange({caret}, {caret}); }})()"
    )
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")  # the caret moved by the user, as keys do

    panel = open_panel(ext, page)
    panel.locator("[data-action=recap]").click()
    recap = panel.locator("[data-role=recap]")
    expect(recap).to_be_visible()
    (request,) = recap_requests(ext)
    assert request["from_worker"]
    sent = json.loads(request["body"])
    assert sent["messages"] == CHATWORK_PING_PONG and sent["channel"] == "chat" and sent["draft"] == HARMLESS
    expected = library_recap(CHATWORK_PING_PONG, HARMLESS, "chat")
    assert recap.inner_text() == expected
    assert OPEN_QUESTION in expected  # the thread's open question, as a line to fill in
    expect(panel.locator("[data-action=insert-recap]")).to_be_focused()
    ext.screenshot(page, "thread-chatwork-recap")

    panel.locator("[data-action=insert-recap]").click()
    assert page.locator(CHATWORK_BOX).input_value() == HARMLESS[:caret] + expected + HARMLESS[caret:]
    assert page.evaluate("document.activeElement.id") == "_chatText"


def test_recap_is_inserted_into_the_gmail_reply_and_nothing_else_changes(ext):
    page = ext.open(GMAIL_PING_PONG_URL)
    body = open_reply(page)
    insert_text(page, HARMLESS)
    ext.wait_for_state(page, "call")
    before = body.evaluate("el => el.innerHTML")
    quote = body.locator("div.gmail_quote").evaluate("el => el.outerHTML")
    signature = body.locator(".gmail_signature").evaluate("el => el.outerHTML")

    panel = open_panel(ext, page)
    panel.locator("[data-action=recap]").click()
    recap = panel.locator("[data-role=recap]")
    expect(recap).to_be_visible()
    expected = library_recap(GMAIL_PING_PONG, HARMLESS, "email")
    assert recap.inner_text() == expected
    assert "色をもう少し明るくしていただけますか" in expected  # the request the thread is still open on
    ext.screenshot(page, "thread-gmail-recap")
    panel.locator("[data-action=insert-recap]").click()

    # The recap went in after the user's words, through the editor: quote and signature untouched.
    text = body.inner_text()
    assert text.startswith(HARMLESS)
    for line in filter(None, expected.splitlines()):
        assert line.strip() in text
    assert body.locator("div.gmail_quote").evaluate("el => el.outerHTML") == quote
    assert body.locator(".gmail_signature").evaluate("el => el.outerHTML") == signature
    assert page.evaluate("document.activeElement.getAttribute('g_editable')") == "true"
    page.keyboard.press("Control+z")
    assert body.evaluate("el => el.innerHTML") == before


def test_recap_can_be_copied(ext):
    ext.context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://www.chatwork.com")
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    type_in_chatwork(page, HARMLESS)
    ext.wait_for_state(page, "call")
    panel = open_panel(ext, page)
    panel.locator("[data-action=recap]").click()
    expect(panel.locator("[data-role=recap]")).to_be_visible()
    panel.locator("[data-action=copy-recap]").click()
    expect(panel.locator(".recap-status")).to_have_text("コピーしました。")
    assert page.evaluate("navigator.clipboard.readText()") == panel.locator("[data-role=recap]").inner_text()
    assert page.locator(CHATWORK_BOX).input_value() == HARMLESS
    ext.context.clear_permissions()


def test_recap_failure_is_said_quietly(ext):
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    type_in_chatwork(page, HARMLESS)
    ext.wait_for_state(page, "call")
    panel = open_panel(ext, page)

    def refuse(route) -> None:
        route.fulfill(
            status=503, content_type="application/json", body='{"error": {"code": "busy", "message": "busy"}}'
        )

    ext.context.route("**/v1/recap", refuse)  # the service worker's request meets a failing server
    try:
        panel.locator("[data-action=recap]").click()
        expect(panel.locator(".recap-status")).to_have_text("まとめを作成できませんでした（busy）。")
    finally:
        ext.context.unroute("**/v1/recap", refuse)
    expect(panel.locator("[data-action=recap]")).to_be_enabled()  # it can be tried again
    assert page.locator(CHATWORK_BOX).input_value() == HARMLESS
    assert ext.badge(page).get_attribute("data-recommendation") == "call"


def test_english_panel(ext):
    ext.reset(language="en")
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    type_in_chatwork(page, HARMLESS)
    ext.wait_for_state(page, "call")
    panel = open_panel(ext, page)
    expect(panel.locator("h3.section-title").first).to_have_text("About this conversation")
    expect(panel.locator("[data-action=recap]")).to_have_text("Draft a recap")
    expect(panel.locator("[data-role=thread-meta]")).to_have_text(
        "Judged with the last 10 messages of the conversation."
    )
    ext.screenshot(page, "thread-panel-en")


def test_reading_the_conversation_leaves_the_page_alone(ext):
    """Reading the conversation leaves the page as it was."""
    page = ext.open_chatwork(CHATWORK_PING_PONG_URL)
    timeline = page.locator("#_timeLine").evaluate("el => el.outerHTML")
    type_in_chatwork(page, HARMLESS)
    ext.wait_for_state(page, "call")
    assert page.locator("#_timeLine").evaluate("el => el.outerHTML") == timeline
    assert page.locator(BADGE).count() == 1
    gmail = ext.open(GMAIL_PING_PONG_URL)
    thread = gmail.locator('[role="list"]').evaluate("el => el.outerHTML")
    open_reply(gmail)
    insert_text(gmail, HARMLESS)
    ext.wait_for_state(gmail, "call")
    assert gmail.locator('[role="list"]').evaluate("el => el.outerHTML") == thread
    assert gmail.locator(GMAIL_BODY).count() == 1
