"""Helpers for the extension's browser tests (the fixtures themselves are in conftest.py): constants,
the Chromium launch details, and the per-test `Extension` handle (the `hisho-tone serve` subprocess
comes from tests/server_fixtures.py, as for the other server tests)."""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_DIR = ROOT / "extension"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
ARTIFACTS = ROOT / "test-artifacts" / "extension"

GMAIL_URL = "https://mail.google.com/mail/u/0/#inbox"
CHATWORK_URL = "https://www.chatwork.com/#!rid123"
KDDI_CHATWORK_URL = "https://kcw.kddi.ne.jp/#!rid123"
# Gmail enforces Trusted Types; so does its fixture, so an innerHTML in a content script would throw.
GMAIL_CSP = "require-trusted-types-for 'script'; trusted-types gmail-fixture"

BADGE = "[data-hisho-tone-badge]"
GMAIL_BODY = 'div[role="textbox"][g_editable="true"]'
CHATWORK_BOX = "#_chatText"
TEST_DEBOUNCE_MS = 150  # instead of ~700 ms, so the suite does not sleep
TIMEOUT_MS = 15_000  # generous for 2 slow cores; a passing wait returns as soon as the state shows

# Drafts the tests type, with what the library says about them checked in the tests themselves.
CALL_DRAFT = "例の件、いい感じに進めておいてください。なるべく早くお願いします。"
ROUTINE_DRAFT = "お疲れさまです。明日10時の会議資料を添付します。ご確認ください。"
VIDEO_DRAFT = "もういいです。正直がっかりしました。契約は解除させていただきます。"
# Mildly vague drafts: at some sensitivity the model says text_with_care for at least one of them.
CARE_DRAFTS = (
    "資料の件、近いうちに送ってください。",
    "来週あたりに一度ご確認ください。",
    "お手すきの際にご確認ください。",
    "会議の時間を少し後ろにずらせますか。",
    "例の資料、できれば今週中にお願いします。",
    "明日の打ち合わせ、少し遅れるかもしれません。",
)
ANY_ADVICE = ("text", "text_with_care", "call", "video")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Browser:
    context: Any
    extension_id: str
    initial_sync: dict
    initial_local: dict
    requests: list = field(default_factory=list)


def page_route(path: Path, csp: str | None = None):
    body = path.read_text(encoding="utf-8")
    headers = {"Content-Security-Policy": csp} if csp else {}

    def handler(route) -> None:
        if route.request.resource_type != "document":
            route.fulfill(status=404, body="")
            return
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body, headers=headers)

    return handler


def wait_for_defaults(worker) -> tuple[dict, dict]:
    """The storage as runtime.onInstalled left it (it runs asynchronously after the worker starts)."""
    deadline = time.monotonic() + 10
    while True:
        sync, local = worker.evaluate("Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get(null)])")
        if (sync and local) or time.monotonic() > deadline:
            return sync, local
        time.sleep(0.05)


def log_request(browser: Browser, request) -> None:
    if request.url.startswith("http://127.0.0.1:") or request.url.startswith("http://localhost:"):
        browser.requests.append(
            {
                "url": request.url,
                "method": request.method,
                "headers": request.headers,
                "body": request.post_data,
                "from_worker": request.service_worker is not None,
            }
        )


class Extension:
    """One test's view of the loaded extension: fresh settings, a clean request log, helpers."""

    def __init__(self, browser: Browser, server_url: str) -> None:
        self.browser = browser
        self.context = browser.context
        self.id = browser.extension_id
        self.server_url = server_url
        self.options_url = f"chrome-extension://{self.id}/options/options.html"
        self.gmail_url = GMAIL_URL  # a test module may ask for another UI language (?hl=)

    # --- settings -----------------------------------------------------------------------------
    @property
    def worker(self):
        workers = [w for w in self.context.service_workers if w.url.startswith(f"chrome-extension://{self.id}/")]
        if workers:
            return workers[-1]
        # The worker went idle and stopped: opening an extension page starts it again.
        with self.context.expect_event("serviceworker") as started:
            page = self.context.new_page()
            page.goto(self.options_url)
        page.close()
        return started.value

    @property
    def defaults(self) -> dict:
        return self.worker.evaluate("self.hishoTone.DEFAULT_SETTINGS")

    def reset(self, **settings: Any) -> None:
        sync = {**self.defaults, "serverUrl": self.server_url, "debounceMs": TEST_DEBOUNCE_MS, **settings}
        token = sync.pop("token", "")
        self.worker.evaluate(
            """async ({sync, local}) => {
                await chrome.storage.sync.clear(); await chrome.storage.local.clear();
                await chrome.storage.sync.set(sync); await chrome.storage.local.set(local);
            }""",
            {"sync": sync, "local": {"token": token}},
        )

    def configure(self, **settings: Any) -> None:
        token = settings.pop("token", None)
        self.worker.evaluate(
            """async ({sync, local}) => {
                if (Object.keys(sync).length) await chrome.storage.sync.set(sync);
                if (Object.keys(local).length) await chrome.storage.local.set(local);
            }""",
            {"sync": settings, "local": {} if token is None else {"token": token}},
        )

    def storage(self) -> tuple[dict, dict]:
        return self.worker.evaluate("Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get(null)])")

    # --- what the worker sent -------------------------------------------------------------------
    def analyze_requests(self, base_url: str | None = None) -> list[dict]:
        prefix = f"{base_url or ''}"
        out = []
        for request in self.browser.requests:
            if (
                request["url"].endswith("/v1/analyze")
                and request["method"] == "POST"
                and request["url"].startswith(prefix)
            ):
                out.append({**request, "json": json.loads(request["body"] or "null")})
        return out

    def wait_for_requests(self, page, count: int, timeout: int = TIMEOUT_MS) -> list[dict]:
        """Waits until `count` analyze requests have gone out (the badge may already show an older answer)."""
        deadline = time.monotonic() + timeout / 1000
        while len(self.analyze_requests()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} analyze requests, saw {len(self.analyze_requests())}")
            page.wait_for_timeout(50)
        return self.analyze_requests()

    # --- pages ----------------------------------------------------------------------------------
    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url)
        return page

    def open_gmail(self):
        return self.open(self.gmail_url)

    def open_chatwork(self, url: str = CHATWORK_URL):
        page = self.open(url)
        page.wait_for_selector(CHATWORK_BOX)
        return page

    def open_options(self):
        page = self.open(self.options_url)
        page.wait_for_selector("body[data-ready='true']")
        return page

    def badge(self, page):
        return page.locator(BADGE)

    def wait_for_state(self, page, *states: str, timeout: int = TIMEOUT_MS) -> str:
        from playwright.sync_api import expect

        pattern = re.compile("^(" + "|".join(re.escape(s) for s in states) + ")$")
        expect(self.badge(page)).to_have_attribute("data-recommendation", pattern, timeout=timeout)
        return self.badge(page).get_attribute("data-recommendation")

    def screenshot(self, page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path


# --- page helpers ----------------------------------------------------


def open_compose(page) -> Any:
    """Clicks Gmail's 作成 button; the dialog appears without a page load. Returns the body locator."""
    page.click("#compose-button")
    body = page.locator(f'[role="dialog"] {GMAIL_BODY}').last
    body.wait_for()
    return body


def open_reply(page) -> Any:
    page.click("#reply-button")
    body = page.locator(f"#reply-slot {GMAIL_BODY}")
    body.wait_for()
    return body


def insert_text(page, text: str) -> None:
    """Types `text` at the caret as one committed insertion (what an IME commit or a paste produces)."""
    page.keyboard.insert_text(text)


def outer_html(locator) -> str:
    return locator.evaluate("el => el.outerHTML")


def library_advice(text: str, channel: str, sensitivity: str = "normal") -> dict:
    """What the library itself says about `text`: the expectation the badge must match."""
    import hisho_tone

    return hisho_tone.analyze(text, channel=channel, sensitivity=sensitivity).to_dict()


def library_thread(thread: list, draft: str, channel: str, sensitivity: str = "normal") -> dict:
    """What the library says about `draft` in `thread` (as the extension sent it): the badge's expectation."""
    import hisho_tone

    return hisho_tone.analyze_thread(thread, draft=draft, channel=channel, sensitivity=sensitivity).to_dict()


def library_recap(thread: list, draft: str | None, channel: str) -> str:
    """The recap the library writes for `thread` (as the extension sent it)."""
    import hisho_tone

    return hisho_tone.recap_template(thread, draft=draft, channel=channel)
