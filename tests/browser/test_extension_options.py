"""The options page: defaults on install, auto-save, persistence, validation, the connection test, and
settings that change what the open tabs do (server URL, token, sensitivity, sites, language)."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Callable

import pytest
from playwright.sync_api import expect

from extension_harness import BADGE, CALL_DRAFT, CHATWORK_BOX, insert_text, open_compose

pytestmark = pytest.mark.browser


def wait_until(page, condition: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)


def type_call_draft_in_chatwork(ext):
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    return page


def test_defaults_are_written_on_install(browser, ext):
    assert browser.initial_sync == ext.defaults
    assert browser.initial_sync["serverUrl"] == "http://127.0.0.1:8765"
    assert browser.initial_sync["sites"] == {"gmail": True, "chatwork": True}
    assert browser.initial_local == {"token": ""}


def test_changes_save_themselves_and_survive_a_reload(ext):
    page = ext.open_options()
    expect(page.locator("#serverUrl")).to_have_value(ext.server_url)
    expect(page.locator("#sensitivity")).to_have_value("normal")
    expect(page.locator("#site-gmail")).to_be_checked()
    ext.screenshot(page, "options")

    page.select_option("#sensitivity", "high")
    page.uncheck("#site-chatwork")
    page.fill("#token", "abc123")
    page.click("#advanced summary")
    page.fill("#debounceMs", "300")
    page.locator("#debounceMs").blur()
    page.select_option("#language", "en")
    expect(page.locator("#server-heading")).to_have_text("Local server")  # the page follows the language
    wait_until(page, lambda: ext.storage()[0].get("language") == "en" and ext.storage()[1].get("token") == "abc123")

    sync, local = ext.storage()
    assert sync["sensitivity"] == "high"
    assert sync["sites"] == {"gmail": True, "chatwork": False}
    assert sync["debounceMs"] == 300
    assert local == {"token": "abc123"}  # the token stays on this machine
    assert "token" not in sync

    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    expect(page.locator("#sensitivity")).to_have_value("high")
    expect(page.locator("#site-chatwork")).not_to_be_checked()
    expect(page.locator("#token")).to_have_value("abc123")
    expect(page.locator("#debounceMs")).to_have_value("300")
    expect(page.locator("#language")).to_have_value("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_server_url_off_this_machine_is_refused(ext):
    page = ext.open_options()
    page.fill("#serverUrl", "https://example.com:8765")
    page.locator("#serverUrl").blur()
    expect(page.locator("#serverUrl-error")).to_be_visible()
    expect(page.locator("#serverUrl")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(300)
    assert ext.storage()[0]["serverUrl"] == ext.server_url
    page.fill("#serverUrl", "http://localhost:8765/")
    page.locator("#serverUrl").blur()
    expect(page.locator("#serverUrl-error")).to_be_hidden()
    expect(page.locator("#serverUrl")).to_have_value("http://localhost:8765")  # normalised
    wait_until(page, lambda: ext.storage()[0]["serverUrl"] == "http://localhost:8765")


def test_test_connection_shows_the_servers_version_and_model(ext, dead_server_url):
    with urllib.request.urlopen(f"{ext.server_url}/v1/health", timeout=5) as response:
        health = json.load(response)
    page = ext.open_options()
    page.click("#testConnection")
    status = page.locator("#connectionStatus")
    expect(status).to_have_text(f"接続できました: hisho-tone {health['version']}（モデル {health['model']}）")
    expect(status).to_have_attribute("data-state", "ok")
    ext.screenshot(page, "options-connected")

    page.fill("#serverUrl", dead_server_url)
    page.click("#testConnection")  # tests what is on screen: saves it first
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("接続できませんでした")


def test_a_new_server_url_and_sensitivity_are_used_by_open_tabs(ext, dead_server_url):
    page = type_call_draft_in_chatwork(ext)
    assert ext.analyze_requests(ext.server_url)
    options = ext.open_options()

    options.fill("#serverUrl", dead_server_url)
    options.locator("#serverUrl").blur()
    ext.wait_for_state(page, "offline")  # the open tab asked the new (dead) server
    assert ext.analyze_requests(dead_server_url)

    options.fill("#serverUrl", ext.server_url)
    options.locator("#serverUrl").blur()
    ext.wait_for_state(page, "call", "video")
    count = len(ext.analyze_requests())
    options.select_option("#sensitivity", "low")
    ext.wait_for_requests(page, count + 1)
    last = ext.analyze_requests()[-1]
    assert last["url"] == f"{ext.server_url}/v1/analyze"
    assert last["json"]["sensitivity"] == "low"


def test_the_token_is_sent_when_the_server_requires_one(ext, token_server):
    ext.reset(serverUrl=token_server.base_url)
    page = ext.open_chatwork()
    page.focus(CHATWORK_BOX)
    page.keyboard.insert_text(CALL_DRAFT)
    ext.wait_for_state(page, "offline")
    ext.badge(page).locator("button.badge").click()
    expect(ext.badge(page).locator(".summary")).to_have_text(
        "トークンが一致しません。設定画面でトークンをご確認ください。"
    )

    options = ext.open_options()
    options.fill("#token", "s3cret-token")
    options.locator("#token").blur()
    ext.wait_for_state(page, "call", "video")
    assert ext.analyze_requests()[-1]["headers"]["authorization"] == "Bearer s3cret-token"


def test_turning_a_site_off_removes_the_hint_and_stops_asking(ext):
    page = ext.open_gmail()
    open_compose(page)
    insert_text(page, CALL_DRAFT)
    ext.wait_for_state(page, "call", "video")
    options = ext.open_options()
    options.uncheck("#site-gmail")
    expect(page.locator(BADGE)).to_have_count(0)
    count = len(ext.analyze_requests())
    page.bring_to_front()
    page.locator('[role="dialog"] div[g_editable="true"]').focus()
    page.keyboard.insert_text("お願いします。")
    page.wait_for_timeout(500)
    assert len(ext.analyze_requests()) == count
    expect(page.locator(BADGE)).to_have_count(0)

    options.check("#site-gmail")
    ext.wait_for_state(page, "call", "video")  # back on: the draft is looked at again


def test_english_interface(ext):
    ext.reset(language="en")
    page = type_call_draft_in_chatwork(ext)
    state = ext.badge(page).get_attribute("data-recommendation")
    label = {"call": "Suggest a call", "video": "Suggest a video call"}[state]
    expect(ext.badge(page)).to_have_attribute("aria-label", f"hisho-tone: {label}")
    expect(ext.badge(page).locator(".label")).to_have_text(label)
    ext.badge(page).locator("button.badge").click()
    expect(ext.badge(page).locator("[data-action=dismiss]")).to_have_text("Not now")
    ext.screenshot(page, f"{state}-en")


def test_unknown_message_types_are_refused_everywhere(ext):
    chatwork = ext.open_chatwork()
    chatwork.focus(CHATWORK_BOX)
    options = ext.open_options()
    # The service worker: a known type answers, an unknown one throws (the sender gets no answer).
    assert options.evaluate("chrome.runtime.sendMessage({type: hishoTone.MSG.GET_SETTINGS}).then(r => r.ok)") is True
    refused = options.evaluate(
        "chrome.runtime.sendMessage({type: 'hisho-tone/nonsense'}).then(() => 'answered', e => String(e))"
    )
    assert "unknown message type" in refused
    # The content scripts: the same.
    results = ext.worker.evaluate(
        """async () => {
            const tabs = await chrome.tabs.query({});
            return Promise.all(tabs.map(tab => chrome.tabs.sendMessage(tab.id, {type: 'hisho-tone/nonsense'})
                .then(() => 'answered', e => String(e))));
        }"""
    )
    assert "answered" not in results
    assert any("unknown message type" in result for result in results)  # the Chatwork tab's content script
