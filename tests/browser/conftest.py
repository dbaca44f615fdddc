"""Fixtures for the extension's end-to-end tests: a real Chromium with the unpacked extension, the real
``hisho-tone serve`` on a free port, and fixture pages reproducing Gmail's and Chatwork's compose DOM,
served for their real URLs through request routing (so the manifest's content scripts are injected).

Chromium: $HISHO_TONE_CHROMIUM, else Debian's /usr/lib/chromium/chromium (the binary behind the
/usr/bin/chromium wrapper), else `chromium` on PATH; the tests are skipped when there is none, and
fail instead in CI (CI=true). The server is hermetic: no HISHO_TONE_* setting or configuration file
of the developer's reaches it (server_fixtures.clean_env).
Screenshots of each state go to test-artifacts/extension/<state>.png.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from extension_harness import (
    ARTIFACTS,
    EXTENSION_DIR,
    GMAIL_CSP,
    PAGES_DIR,
    Browser,
    Extension,
    free_port,
    log_request,
    page_route,
    wait_for_defaults,
)
from server_fixtures import ServerProcess, chromium_or_skip, no_browser, start_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    srv = start_server(tmp_path_factory.mktemp("serve"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    srv = start_server(tmp_path_factory.mktemp("serve-token"), "--token", "s3cret-token")
    yield srv
    srv.stop()


@pytest.fixture
def dead_server_url() -> str:
    """A loopback URL where nothing listens: the server is down."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium with the unpacked extension and a fresh profile, per test module: Playwright's sync API
    allows one instance per thread, so it must be gone before other suites (the playground's) start theirs."""
    executable = chromium_or_skip()
    try:
        from playwright import sync_api
    except ImportError:
        no_browser("Playwright is not installed (pip install -r requirements-dev.lock)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=executable,
            headless=True,
            viewport={"width": 1280, "height": 800},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--disable-extensions-except={EXTENSION_DIR}",
                f"--load-extension={EXTENSION_DIR}",
            ],
        )
        context.set_default_timeout(15_000)
        try:
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker", timeout=30_000)
            )
            extension_id = worker.url.split("/")[2]
            sync, local = wait_for_defaults(worker)
            browser = Browser(context, extension_id, sync, local)
            context.route("https://mail.google.com/**", page_route(PAGES_DIR / "gmail.html", GMAIL_CSP))
            chatwork = page_route(PAGES_DIR / "chatwork.html")
            context.route("https://www.chatwork.com/**", chatwork)
            context.route("https://kcw.kddi.ne.jp/**", chatwork)
            context.on("request", lambda request: log_request(browser, request))
            yield browser
        finally:
            context.close()


@pytest.fixture
def ext(browser: Browser, server: ServerProcess) -> Iterator[Extension]:
    extension = Extension(browser, server.base_url)
    for page in list(browser.context.pages):
        page.close()
    extension.reset()
    browser.requests.clear()
    yield extension
    for page in list(browser.context.pages):
        page.close()
