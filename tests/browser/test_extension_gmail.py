"""The extension in Gmail's compose DOM: pop-up compose and inline reply, quoted history and signature,
the panel, inserting the invitation, and leaving the draft's HTML alone — each in Gmail's Japanese, English
and German UI."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from extension_harness import (
    BADGE,
    CALL_DRAFT,
    GMAIL_BODY,
    ROUTINE_DRAFT,
    VIDEO_DRAFT,
    insert_text,
    library_advice,
    library_thread,
    open_compose,
    open_reply,
    outer_html,
)

pytestmark = pytest.mark.browser
# Gmail in Japanese, English and German: the labels change, the structure the extension relies on does not.
UI_LANGUAGES = ["ja", "en", "de"]


@pytest.fixture(autouse=True, params=UI_LANGUAGES)
def gmail_language(request, ext):
    ext.gmail_url = f"https://mail.google.com/mail/u/0/?hl={request.param}#inbox"
    return request.param


# The message of the open thread in the fixture (#inbox), which the reply also quotes.
QUOTED_MESSAGE = (
    "先日の請求書の金額が見積もりと違っています。正直がっかりしました。もういいです。契約は解除させていただきます。"
)


def test_call_worthy_draft_shows_call_with_its_reasons(ext):
    expected = library_advice(CALL_DRAFT, "email")
    assert expected["recommendation"] in ("call", "video")
    page = ext.open_gmail()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert page.locator(BADGE).count() == 0

    open_compose(page)  # the dialog appears without a page load: found by the MutationObserver
    insert_text(page, CALL_DRAFT)
    state = ext.wait_for_state(page, "call", "video")
    assert state == expected["recommendation"]
    ext.screenshot(page, state)

    # One request, from the service worker, with the draft as typed and the email channel.
    requests = ext.analyze_requests(ext.server_url)
    assert len(requests) == 1
    assert requests[0]["from_worker"]
    assert requests[0]["json"] == {"text": CALL_DRAFT, "channel": "email", "sensitivity": "normal"}
    assert requests[0]["headers"]["content-type"] == "application/json"

    badge = ext.badge(page)
    expect(badge).to_have_attribute("aria-label", re.compile("hisho-tone"))
    badge.locator("button.badge").click()
    panel = badge.locator(".panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".title")).to_have_text(
        "短い通話をおすすめします" if state == "call" else "ビデオ通話をおすすめします"
    )
    expect(panel.locator(".summary")).to_have_text(expected["summary"])
    reasons = panel.locator("li.reason")
    expect(reasons).to_have_count(len(expected["reasons"]))
    for item, reason in zip(reasons.all(), expected["reasons"]):
        expect(item.locator(".phrase")).to_have_text("".join(f"「{span['surface']}」" for span in reason["spans"]))
        expect(item.locator(".message")).to_have_text(reason["message"])
        if reason["hint"]:
            expect(item.locator(".hint")).to_have_text(f"→ {reason['hint']}")
    expect(panel.locator("[data-role=invitation]")).to_have_text(expected["invitation"])
    ext.screenshot(page, f"{state}-panel")

    # A click elsewhere closes the panel; closing the compose window takes the badge with it.
    page.locator("h2.hP").click()
    expect(panel).to_be_hidden()
    page.locator('[role="dialog"] .Ha').click()
    expect(page.locator(BADGE)).to_have_count(0)
    open_compose(page)
    insert_text(page, VIDEO_DRAFT)
    ext.wait_for_state(page, library_advice(VIDEO_DRAFT, "email")["recommendation"])
    if state != "video":
        ext.screenshot(page, "video")
    assert not [e for e in errors if "hisho" in e.lower() or "trusted" in e.lower()], errors


def test_routine_draft_stays_text(ext):
    assert library_advice(ROUTINE_DRAFT, "email")["recommendation"] == "text"
    page = ext.open_gmail()
    open_compose(page)
    insert_text(page, ROUTINE_DRAFT)
    ext.wait_for_state(page, "text")
    ext.screenshot(page, "text")
    assert len(ext.analyze_requests()) == 1


def test_quoted_history_and_signature_do_not_count(ext):
    # The quoted message alone would call for a video call; the signature mentions complaints.
    assert library_advice(VIDEO_DRAFT, "email")["recommendation"] in ("call", "video")
    page = ext.open_gmail()
    body = open_reply(page)
    assert body.locator("div.gmail_quote > blockquote.gmail_quote").count() == 1
    assert body.locator(".gmail_signature").count() == 1
    insert_text(page, ROUTINE_DRAFT)
    (request,) = ext.wait_for_requests(page, 1)
    assert request["json"]["text"] == ROUTINE_DRAFT  # only the user's own words are the draft
    # The message being answered travels as the thread (read from the conversation, not the quote).
    assert request["json"]["thread"] == [
        {"text": "山田様\n\n" + QUOTED_MESSAGE + "\n\n佐藤", "author": "佐藤 花子", "me": False}
    ]
    expected = library_thread(request["json"]["thread"], ROUTINE_DRAFT, "email")
    assert library_advice(ROUTINE_DRAFT, "email")["recommendation"] == "text"
    ext.wait_for_state(page, expected["recommendation"])  # the angry message makes a routine reply a call
    ext.screenshot(page, "gmail-reply")


def test_line_breaks_and_no_break_spaces_are_read_as_the_user_sees_them(ext):
    page = ext.open_gmail()
    open_compose(page)
    insert_text(page, "明日の会議資料を添付します。")
    page.keyboard.press("Enter")
    insert_text(page, "ご確認ください。\u00a0よろしくお願いします。")
    ext.wait_for_state(page, "text", "text_with_care", "call", "video")
    (request,) = ext.analyze_requests()
    assert request["json"]["text"] == "明日の会議資料を添付します。\nご確認ください。 よろしくお願いします。"


def test_insert_puts_the_invitation_at_the_caret_and_changes_nothing_else(ext):
    page = ext.open_gmail()
    body = open_compose(page)
    insert_text(page, CALL_DRAFT)  # the caret stays at the end of the first line
    ext.wait_for_state(page, "call", "video")
    before = body.evaluate("el => el.innerHTML")
    assert before.startswith(f"<div>{CALL_DRAFT}</div>")

    ext.badge(page).locator("button.badge").click()
    invitation = ext.badge(page).locator("[data-role=invitation]").inner_text()
    ext.badge(page).locator("[data-action=insert]").click()
    expect(ext.badge(page).locator(".status")).to_have_text("カーソル位置に挿入しました。")

    after = body.evaluate("el => el.innerHTML")
    # Everything before and after the caret is untouched; in between is the invitation, its line
    # breaks made the way the editor makes them when the user presses Enter.
    head, tail = f"<div>{CALL_DRAFT}", before[len(f"<div>{CALL_DRAFT}") :]
    assert after.startswith(head) and after.endswith(tail)
    assert after[len(head) : len(after) - len(tail)] == invitation.replace("\n", "</div><div>")
    # The insertion went through the editor as typing does: focus is back in the body, undo restores.
    assert page.evaluate("document.activeElement.getAttribute('g_editable')") == "true"
    page.keyboard.press("Control+z")
    assert body.evaluate("el => el.innerHTML") == before


def test_draft_html_is_byte_identical_while_the_hint_comes_and_goes(ext):
    page = ext.open_gmail()
    open_compose(page)
    dialog = page.locator('[role="dialog"]').first  # the compose dialog (the badge's panel is a dialog too)
    body = page.locator(f'[role="dialog"] {GMAIL_BODY}')
    insert_text(page, CALL_DRAFT)
    typed = outer_html(body)
    typed_dialog = outer_html(dialog)

    ext.wait_for_state(page, "call", "video")
    assert outer_html(body) == typed  # the badge appeared
    badge = ext.badge(page)
    badge.locator("button.badge").click()
    expect(badge.locator(".panel")).to_be_visible()
    assert outer_html(body) == typed  # the panel opened
    badge.locator(".close").click()
    expect(badge.locator(".panel")).to_be_hidden()
    badge.locator("button.badge").click()
    badge.locator("[data-action=dismiss]").click()  # 今は閉じる
    expect(page.locator(BADGE)).to_have_count(0)
    assert outer_html(body) == typed  # the badge disappeared
    assert outer_html(dialog) == typed_dialog
    assert BADGE.strip("[]") not in page.evaluate("document.querySelector('[role=dialog]').outerHTML")

    # "Not now" holds for this draft: more typing brings no badge and no request.
    requests = len(ext.analyze_requests())
    insert_text(page, "よろしくお願いします。")
    page.wait_for_timeout(600)
    expect(page.locator(BADGE)).to_have_count(0)
    assert len(ext.analyze_requests()) == requests


def test_badge_is_named_and_reachable_by_keyboard(ext):
    page = ext.open_gmail()
    body = open_compose(page)
    insert_text(page, CALL_DRAFT)
    state = ext.wait_for_state(page, "call", "video")
    label = "通話がおすすめ" if state == "call" else "ビデオ通話がおすすめ"
    expect(page.get_by_role("group", name=f"hisho-tone の判定: {label}")).to_have_count(1)

    # Tab from the compose body reaches the badge (it is a tab stop that delegates to its button).
    body.focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.hasAttribute('data-hisho-tone-badge')"):
            break
    else:
        pytest.fail("Tab never reached the badge")
    page.keyboard.press("Enter")
    panel = ext.badge(page).locator(".panel")
    expect(panel).to_be_visible()
    expect(ext.badge(page).locator("button.badge")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.activeElement.getAttribute('g_editable')") == "true"  # focus went back
