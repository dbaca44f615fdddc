"""The demo report in a real Chromium: opens from disk, makes no request, shows its charts, switches to English,
lists the tense client and the ping-pong conversations, and says what the JSON summary says."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from report_fixtures import TENSE_CLIENT, build, ping_pong_threads, write_demo

from extension_harness import ARTIFACTS
from server_fixtures import chromium_or_skip, no_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report-browser")
    records = write_demo(tmp / "archive.jsonl")
    html, json_path, summary = build(tmp / "archive.jsonl", tmp / "out", by_author=True)
    return records, html, summary


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    executable = chromium_or_skip()  # fails instead of skipping when CI=true
    try:
        from playwright import sync_api
    except ImportError:
        no_browser("Playwright is not installed (pip install -r requirements-dev.lock)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def opened(chromium, report):
    """The page, opened from disk, with every request and console error recorded."""
    records, html, summary = report
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    yield page, requests, errors, records, summary, html
    page.close()


def test_no_console_error_and_no_request_but_the_file_itself(opened):
    page, requests, errors, *_, html = opened
    page.click("#lang")
    page.wait_for_timeout(200)
    assert errors == []
    assert requests == [html.as_uri()]  # the main document from disk, nothing else
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS.parent / "report.png"))


def test_charts_are_drawn(opened):
    page = opened[0]
    for name in ("weekly", "counterparts", "reasons"):
        chart = page.locator(f'figure.ja[data-chart="{name}"] svg.chart')
        assert chart.count() == 1 and chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 400 and box["height"] > 100
        assert chart.locator("path, rect, line").count() > 10


def test_english_toggle(opened):
    page = opened[0]
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.locator("#overview h2 .ja").is_visible() and not page.locator("#overview h2 .en").is_visible()
    page.click("#lang")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#overview h2 .en").inner_text() == "Overview"
    assert page.locator("#overview h2 .en").is_visible() and not page.locator("#overview h2 .ja").is_visible()
    assert (
        page.locator('figure.en[data-chart="weekly"]').is_visible()
        and not page.locator('figure.ja[data-chart="weekly"]').is_visible()
    )
    page.click("#lang")
    assert page.locator("#overview h2 .ja").is_visible()


def test_tense_client_warned_and_ping_pong_listed(opened):
    page, _, _, records, summary, _ = opened
    warned = page.locator("#early-warning .warning").evaluate_all("els => els.map(e => e.dataset.counterpart)")
    assert TENSE_CLIENT in warned
    assert page.locator(f'#early-warning .warning[data-counterpart="{TENSE_CLIENT}"] li').count() >= 2  # with evidence
    listed = set(page.locator("#call-threads tbody tr").evaluate_all("els => els.map(e => e.dataset.thread)"))
    assert ping_pong_threads(records) and ping_pong_threads(records) <= listed


def test_page_matches_the_json_summary(opened):
    page, _, _, _, summary, html = opened
    saved = json.loads((html.parent / "summary.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(summary))
    o = saved["overview"]

    def figure(name):
        return page.locator(f'[data-figure="{name}"]').inner_text()

    assert figure("messages") == f"{o['messages']:,}" and figure("conversations") == f"{o['conversations']:,}"
    assert (
        figure("call_conversations") == f"{o['call_conversations']:,}"
        and figure("call_share") == f"{100 * o['call_share']:.1f}%"
    )
    rows = page.locator("#call-threads tbody tr").evaluate_all(
        "els => els.map(e => [e.dataset.thread, e.dataset.cost, (e.querySelector('[data-due]') || {dataset: {}}).dataset.due || null])"
    )
    expected = [
        [c["thread"], str(c["cost"]), c["call_due"]["message"] if c["call_due"] else None]
        for c in saved["call_threads"][: len(rows)]
    ]
    assert rows == expected and len(rows) == min(100, len(saved["call_threads"]))
    assert page.locator("#early-warning .warning").evaluate_all("els => els.map(e => e.dataset.counterpart)") == [
        w["counterpart"] for w in saved["early_warning"]
    ]
    assert page.locator("#reason-table tbody tr").evaluate_all("els => els.map(e => e.dataset.kind)") == [
        k["kind"] for k in saved["reasons"]["kinds"]
    ]
    assert page.locator("#author-table tbody tr").evaluate_all("els => els.map(e => e.dataset.author)") == [
        a["author"] for a in saved["authors"]
    ]


def test_printable(opened):
    page = opened[0]
    page.emulate_media(media="print")
    assert not page.locator("#lang").is_visible()
    assert page.locator('figure.ja[data-chart="weekly"]').is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
