"""When the server is down or slow: the badge says so quietly and nothing blocks typing or sending."""

from __future__ import annotations

import socket
from typing import Iterator

import pytest
from playwright.sync_api import expect

from extension_harness import BADGE, CALL_DRAFT, CHATWORK_BOX, TEST_DEBOUNCE_MS, insert_text, open_compose

pytestmark = pytest.mark.browser


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A loopback port that accepts connections and never answers: the request stays pending."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_server_down_shows_offline_and_typing_and_sending_go_on(ext, dead_server_url):
    ext.reset(serverUrl=dead_server_url)
    page = ext.open_gmail()
    body = open_compose(page)
    insert_text(page, CALL_DRAFT)
    ext.wait_for_state(page, "offline")
    ext.screenshot(page, "offline")
    assert ext.analyze_requests(dead_server_url)  # it did try, from the service worker

    badge = ext.badge(page)
    expect(badge).to_have_attribute("aria-label", "hisho-tone の判定: 未接続")
    badge.locator("button.badge").click()
    panel = badge.locator(".panel")
    expect(panel.locator(".title")).to_have_text("hisho-tone のサーバーに接続できません")
    expect(panel.locator("code")).to_have_text("hisho-tone serve")
    ext.screenshot(page, "offline-panel")

    # The link to how to start the server opens the options page at that section.
    with ext.context.expect_page() as opened:
        panel.locator("[data-action=help]").click()
    options = opened.value
    options.wait_for_load_state()
    assert options.url == f"{ext.options_url}#server"
    options.close()

    # Typing goes on, and so does sending.
    body.focus()
    page.keyboard.type("よろしく")
    assert "よろしく" in body.inner_text()
    page.locator('[role="dialog"] div.T-I.aoO').click()
    assert len(page.evaluate("window.sentMessages")) == 1
    expect(page.locator(BADGE)).to_have_count(0)


def test_offline_in_chatwork_never_blocks_the_enter_key(ext, dead_server_url):
    ext.reset(serverUrl=dead_server_url)
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(CALL_DRAFT)
    ext.wait_for_state(page, "offline")
    page.keyboard.type("!")
    assert page.locator(CHATWORK_BOX).input_value() == CALL_DRAFT + "!"
    page.keyboard.press("Enter")
    assert page.evaluate("window.sentMessages") == [CALL_DRAFT + "!"]


def test_pending_while_the_server_thinks_and_only_the_latest_answer_counts(ext, silent_server_url):
    ext.reset(serverUrl=silent_server_url)
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(CALL_DRAFT)
    ext.wait_for_state(page, "pending")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 3)
    assert ext.badge(page).get_attribute("data-recommendation") == "pending"
    ext.screenshot(page, "pending")

    # The settings change: the open tab asks the new server, and the stale request is cancelled.
    ext.configure(serverUrl=ext.server_url)
    ext.wait_for_state(page, "call", "video")
    page.wait_for_timeout(TEST_DEBOUNCE_MS * 3)
    assert ext.badge(page).get_attribute("data-recommendation") in ("call", "video")
