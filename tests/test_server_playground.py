"""The playground page in a real headless Chromium (Debian's chromium + Playwright's Python package).

Saves a screenshot to test-artifacts/playground.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from server_fixtures import ServerProcess, chromium_or_skip, no_browser, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

try:
    from playwright import sync_api
except ImportError:  # the browser fixture says so: a skip here, a failure in CI
    sync_api = None

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def expect(target: Any) -> Any:
    return sync_api.expect(target)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_server(tmp_path_factory.mktemp("playground"))
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_or_skip()
    if sync_api is None:
        no_browser("Playwright is not installed (pip install -r requirements-dev.lock)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
    page.on(
        "request",
        lambda req: None if req.url.startswith(server.url) else problems.append(f"off-host request: {req.url}"),
    )
    page.goto(server.url)
    yield page
    context.close()
    assert not problems, problems


def test_type_a_draft_and_see_the_advice(page: Page) -> None:
    p = page
    draft = "𠮷田さん、例の件、いい感じにお願いします。"
    p.locator("#draft").press_sequentially(draft, delay=5)  # as typed: debounced, stale answers dropped
    expect(p.locator("#highlighted")).to_have_text(draft)  # the answer for the whole draft is shown
    badge = p.locator("#badge")
    expect(badge).to_have_attribute("data-recommendation", "call")
    assert badge.text_content() == "通話をおすすめ"
    marks = p.locator("#highlighted mark")
    texts = marks.all_text_contents()
    assert "例の件" in texts and "いい感じに" in texts  # offsets survive 𠮷 (code points, not UTF-16)
    assert float(p.locator("#value-call_probability").text_content()) > 0.5
    assert p.locator("#reasons li").count() >= 2
    assert "お電話" in p.locator("#invitation").text_content()

    marks.first.hover()
    tooltip = p.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert "例の件" in tooltip.text_content()

    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)


def test_a_reason_found_in_several_places_marks_each_of_them(page: Page) -> None:
    p = page
    p.locator("#draft").fill("何度もお伝えしていますが、期限を守ってください。また同じことが起きたら困ります。")
    expect(p.locator("#badge")).to_have_attribute("data-recommendation", re.compile("^(call|video)$"))
    marks = p.locator("#highlighted mark[data-kind=repetition_complaint]")
    assert marks.all_text_contents() == ["何度も", "お伝えしていますが", "また同じ"]
    quotes = p.locator("#reasons li q")
    assert quotes.all_text_contents()[:3] == ["何度も", "お伝えしていますが", "また同じ"]


def test_live_update_switches_and_english(page: Page) -> None:
    p = page
    p.locator("#draft").fill("明日10時の定例は会議室Bに変更です。資料は共有フォルダに入れました。")
    badge = p.locator("#badge")
    expect(badge).to_have_attribute("data-recommendation", "text")
    assert p.locator("#invitation-box").is_hidden()

    p.locator("#draft").fill("料金の改定について、思うところはありますが検討します。")
    expect(badge).to_have_attribute("data-recommendation", re.compile("^(text_with_care|call|video)$"))

    with p.expect_response(lambda r: r.url.endswith("/v1/analyze")) as answer:
        p.locator("input[name=channel][value=email]").check()
    assert answer.value.json()["channel"] == "email"
    with p.expect_response(lambda r: r.url.endswith("/v1/analyze")) as answer:
        p.locator("input[name=sensitivity][value=high]").check()
    assert answer.value.json()["sensitivity"] == "high"
    expect(p.locator("#highlighted mark").first).to_be_visible()

    p.locator("#lang-en").click()
    assert p.locator("html").get_attribute("lang") == "en"
    assert p.locator("h1").text_content() == "hisho-tone playground"
    assert badge.text_content() in ("Review before sending", "Suggest a call", "Suggest a video call")
    p.locator("#lang-ja").click()
    assert badge.text_content() in ("見直してから送信", "通話をおすすめ", "ビデオ通話をおすすめ")

    p.locator("#draft").fill("")
    expect(badge).to_have_attribute("data-recommendation", "none")


# What sticks out of a phone-wide page: the page itself scrolling sideways, any element past the right
# or left edge, and a language button whose label wraps or is cut off.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page scrolls: ${document.documentElement.scrollWidth} > ${width}`);
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && !el.closest("[hidden]") && (box.right > width + 0.5 || box.left < -0.5))
      out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  for (const button of document.querySelectorAll(".lang button")) {
    const text = document.createRange();
    text.selectNodeContents(button);
    if (text.getClientRects().length !== 1 || button.scrollWidth > button.clientWidth + 1)
      out.push(`language button wraps or is cut: ${button.textContent}`);
  }
  return out;
}"""


@pytest.mark.parametrize("width", [375, 420])
def test_the_page_fits_a_phone(browser: Browser, server: ServerProcess, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ja-JP")
    try:
        p = context.new_page()
        p.goto(server.url)
        p.locator(".sample[data-sample='1']").click()  # the advice panel filled, the invitation shown
        p.wait_for_selector("#invitation-box:not([hidden])")
        for language in ("ja", "en"):
            p.locator(f"#lang-{language}").click()
            ARTIFACTS.mkdir(exist_ok=True)
            p.screenshot(path=str(ARTIFACTS / f"playground-{width}-{language}.png"), full_page=True)
            assert p.evaluate(_OVERFLOW) == [], language
    finally:
        context.close()


def test_copy_invitation(page: Page) -> None:
    p = page
    p.context.grant_permissions(["clipboard-read", "clipboard-write"])
    p.locator(".sample[data-sample='1']").click()
    p.wait_for_selector("#invitation-box:not([hidden])")
    p.locator("#copy").click()
    p.wait_for_selector("#copied:not([hidden])")
    copied = p.evaluate("navigator.clipboard.readText()")
    assert copied == p.locator("#invitation").text_content()


def test_token_prompt(browser: Browser, tmp_path: Path) -> None:
    proc = start_server(tmp_path, "--token", "pl4yground")
    context = browser.new_context(locale="ja-JP")
    try:
        p = context.new_page()
        p.goto(proc.url)
        p.locator("#draft").fill("例の件、いい感じにお願いします")
        expect(p.locator("#token-box")).to_be_visible()  # the API answered 401: the page asks for the token
        p.locator("#token").fill("pl4yground")
        p.locator("#token").dispatch_event("change")
        expect(p.locator("#badge")).to_have_attribute("data-recommendation", "call")
    finally:
        context.close()
        proc.stop()
