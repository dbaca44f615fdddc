"""The self-check: when Gmail or Chatwork shows a compose box, a send button or a conversation that the
extension cannot find, the options page (and the toolbar icon) says which part on which site, and nothing
of the page's text is kept. Gmail's compose box and send button are found by structure in any UI language.
Screenshots: /work/scratch/screens/selfcheck-*.png (outside the repository)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from extension_harness import (
    CALL_DRAFT,
    CHATWORK_BOX,
    insert_text,
    library_advice,
    open_compose,
    open_reply,
)

pytestmark = pytest.mark.browser
SCREENS = Path("/work/scratch/screens")
PART_JA = {"editor": "入力欄", "send": "送信ボタン", "thread": "やりとりの表示（会話）"}


def stored_checks(ext) -> list[dict]:
    """What the service worker keeps for the self-check (chrome.storage.session)."""
    stored = ext.worker.evaluate("chrome.storage.session.get('selfCheck')")
    return list((stored.get("selfCheck") or {}).values())


def wait_for_check(ext, site: str, part: str | None, timeout_s: float = 15) -> list[dict]:
    """Waits until the page of `site` reported `part` missing (None: reported nothing missing)."""
    deadline = time.monotonic() + timeout_s
    while True:
        checks = stored_checks(ext)
        missing = {p for c in checks if c["site"] == site for p in c["missing"]}
        if (part in missing) if part else not missing:
            return checks
        if time.monotonic() > deadline:
            raise AssertionError(f"self-check for {site} never showed {part!r}: {checks}")
        time.sleep(0.2)


def options_lines(ext) -> list[tuple[str | None, str | None, str]]:
    page = ext.open_options()
    items = page.locator("#selfCheckList li")
    expect(items.first).to_be_visible()
    lines = [(li.get_attribute("data-site"), li.get_attribute("data-part"), li.inner_text()) for li in items.all()]
    return lines, page


def assert_only_names_are_kept(checks: list[dict]) -> None:
    for check in checks:
        assert set(check) == {"site", "missing"} and check["site"] in ("gmail", "chatwork")
        assert set(check["missing"]) <= {"editor", "send", "thread"}


# --- Chatwork: each required element removed in turn ---------------------------------------------------
CHATWORK_REMOVALS = {
    "editor": "document.getElementById('_chatText').remove()",
    "send": "document.querySelector('[data-testid=\"timeline_send-message-button\"]').remove()",
    "thread": "document.getElementById('_timeLine').remove()",
}


@pytest.mark.parametrize("part", list(CHATWORK_REMOVALS))
def test_chatwork_says_which_part_it_cannot_find(ext, part):
    page = ext.open_chatwork()
    page.evaluate(CHATWORK_REMOVALS[part])
    checks = wait_for_check(ext, "chatwork", part)
    assert_only_names_are_kept(checks)
    assert [c["missing"] for c in checks if c["site"] == "chatwork"] == [[part]]
    lines, options = options_lines(ext)
    assert lines == [
        (
            "chatwork",
            part,
            f"Chatwork：この画面の{PART_JA[part]}を認識できませんでした。この画面ではヒントが出ないことがあります。",
        )
    ]
    if part == "editor":
        assert "この画面の入力欄を認識できませんでした" in lines[0][2]
        SCREENS.mkdir(parents=True, exist_ok=True)
        options.locator("#selfcheck").screenshot(path=str(SCREENS / "selfcheck-options-chatwork-editor.png"))
    # The toolbar icon of that tab says so too.
    badge_texts = ext.worker.evaluate(
        "(async () => { const tabs = await chrome.tabs.query({}); return Promise.all(tabs.map((t) => chrome.action.getBadgeText({tabId: t.id}))); })()"
    )
    assert sorted(badge_texts) == ["", "!"]  # the Chatwork tab, not the options page


def test_a_whole_chatwork_room_reports_nothing_and_the_english_page_says_so(ext):
    ext.configure(language="en")
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    page.wait_for_timeout(2500)  # past the settle time
    wait_for_check(ext, "chatwork", None)
    lines, _ = options_lines(ext)
    assert lines == [(None, None, "The open Gmail and Chatwork pages are recognised.")]
    page.evaluate(CHATWORK_REMOVALS["send"])
    wait_for_check(ext, "chatwork", "send")
    lines, _ = options_lines(ext)
    assert lines == [
        ("chatwork", "send", "Chatwork: could not recognise the send button on this page. Hints may not appear here.")
    ]


# --- Gmail: each required element removed in turn ---------------------------------------------------
GMAIL_URL_HL = "https://mail.google.com/mail/u/0/?hl={hl}#inbox"
GMAIL_PING_PONG_HL = "https://mail.google.com/mail/u/0/?hl={hl}#inbox/pingpong"


def test_gmail_compose_box_in_changed_markup_is_reported(ext):
    page = ext.open(GMAIL_URL_HL.format(hl="ja"))
    open_compose(page)
    # Gmail ships new markup: the body loses g_editable, role and label; a rich-text box is still there.
    page.evaluate(
        """() => {
            const body = document.querySelector('[role="dialog"] [g_editable="true"]');
            const plain = document.createElement('div');
            plain.setAttribute('contenteditable', 'true');
            plain.className = 'Zz editable';
            plain.style.minHeight = '200px';
            body.replaceWith(plain);
            plain.focus();
        }"""
    )
    page.keyboard.insert_text("例の件、いい感じにお願いします。")
    checks = wait_for_check(ext, "gmail", "editor")
    assert_only_names_are_kept(checks)
    lines, _ = options_lines(ext)
    assert (
        "gmail",
        "editor",
        "Gmail：この画面の入力欄を認識できませんでした。この画面ではヒントが出ないことがあります。",
    ) in lines
    assert ext.analyze_requests() == []  # nothing was read from the box it does not know


def test_gmail_send_button_and_conversation_missing_are_reported(ext):
    page = ext.open(GMAIL_URL_HL.format(hl="ja"))
    open_compose(page)
    page.evaluate("document.querySelector('[role=\"dialog\"] .IZ').remove()")
    wait_for_check(ext, "gmail", "send")
    page.close()
    wait_for_check(ext, "gmail", None)  # the tab is gone: so is its warning

    page = ext.open(GMAIL_PING_PONG_HL.format(hl="ja"))
    page.evaluate("document.getElementById('thread-messages').replaceChildren()")
    open_reply(page)
    checks = wait_for_check(ext, "gmail", "thread")
    assert [c["missing"] for c in checks] == [["thread"]]
    lines, _ = options_lines(ext)
    assert lines == [
        (
            "gmail",
            "thread",
            "Gmail：この画面のやりとりの表示（会話）を認識できませんでした。この画面ではヒントが出ないことがあります。",
        )
    ]


# --- Gmail in any UI language ---------------------------------------------------------------------------
@pytest.mark.parametrize("hl", ["ja", "en", "de", "hu"])
def test_gmail_in_any_ui_language(ext, hl):
    """The same checks for Japanese, English, German and Hungarian labels: the compose body and the send
    button are found by structure (nothing missing), the badge shows, a click on the send button ends the
    hint, and the reply carries its thread. No Hungarian label matches any of the label fallbacks."""
    expected = library_advice(CALL_DRAFT, "email")["recommendation"]
    page = ext.open(GMAIL_URL_HL.format(hl=hl))
    assert page.evaluate("document.documentElement.lang") == hl
    body = open_compose(page)
    label = body.get_attribute("aria-label")
    assert label == {"ja": "メッセージ本文", "en": "Message Body", "de": "Nachrichtentext", "hu": "Üzenet törzse"}[hl]
    insert_text(page, CALL_DRAFT)
    assert ext.wait_for_state(page, "call", "video") == expected
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"gmail-{hl}-compose-badge.png"))
    page.wait_for_timeout(2500)
    wait_for_check(ext, "gmail", None)

    # The badge keeps off the send button, and a click on it (found without its label) sends.
    send = page.locator('[role="dialog"] .T-I.aoO')
    badge_box = ext.badge(page).locator("button.badge").bounding_box()
    send_box = send.bounding_box()
    assert not (
        badge_box["x"] < send_box["x"] + send_box["width"]
        and send_box["x"] < badge_box["x"] + badge_box["width"]
        and badge_box["y"] < send_box["y"] + send_box["height"]
        and send_box["y"] < badge_box["y"] + badge_box["height"]
    )
    send.click()
    assert len(page.evaluate("window.sentMessages")) == 1
    expect(page.locator("[data-hisho-tone-badge]")).to_have_count(0)

    # The inline reply reads the open thread (sender names and "me" from the account in the title).
    page.goto(GMAIL_PING_PONG_HL.format(hl=hl))
    open_reply(page)
    insert_text(page, "承知しました。修正版をお送りします。")
    requests = ext.wait_for_requests(page, 2)
    thread = requests[-1]["json"]["thread"]
    assert len(thread) == 7 and [m["me"] for m in thread] == [False, True, False, True, False, True, False]
