"""Checks of the extension's files that need no browser: the manifest and its permissions, locales,
icons, and the house rules (no HTML-string sinks, only the service worker fetches and stores, every
site selector in content/selectors.js, message types named once)."""

from __future__ import annotations

import json
import re
import runpy
import struct
from pathlib import Path

import pytest

from extension_harness import EXTENSION_DIR

MANIFEST = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
JS_FILES = sorted(p for p in EXTENSION_DIR.rglob("*.js"))
LOCALES = {
    d.name: json.loads((d / "messages.json").read_text(encoding="utf-8"))
    for d in (EXTENSION_DIR / "_locales").iterdir()
}
STATES = ("pending", "text", "text_with_care", "call", "video", "offline")
CATEGORIES = ("ambiguity", "emotion", "sensitivity", "complexity")


def source(path: str) -> str:
    return (EXTENSION_DIR / path).read_text(encoding="utf-8")


def test_manifest_is_mv3_with_minimal_permissions():
    assert MANIFEST["manifest_version"] == 3
    assert MANIFEST["permissions"] == ["storage"]
    assert MANIFEST["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    assert "optional_permissions" not in MANIFEST and "web_accessible_resources" not in MANIFEST
    matches = [m for script in MANIFEST["content_scripts"] for m in script["matches"]]
    assert sorted(set(matches)) == [
        "https://kcw.kddi.ne.jp/*",
        "https://mail.google.com/*",
        "https://www.chatwork.com/*",
    ]
    assert MANIFEST["default_locale"] == "ja"
    assert MANIFEST["background"] == {"service_worker": "service_worker.js"}


def test_only_the_account_bridge_runs_in_the_pages_world():
    """Chatwork's own id (window.MYID) is visible only in the page's world: one tiny script reads it there,
    on Chatwork only; it evaluates nothing, injects nothing and calls no extension API."""
    main = [script for script in MANIFEST["content_scripts"] if script.get("world") == "MAIN"]
    assert main == [
        {
            "matches": ["https://www.chatwork.com/*", "https://kcw.kddi.ne.jp/*"],
            "js": ["content/page_account.js"],
            "run_at": "document_start",
            "world": "MAIN",
        }
    ]
    code = code_without_comments(EXTENSION_DIR / "content" / "page_account.js")
    assert not re.search(
        r"\beval\(|new Function|chrome\.|createElement\(|innerHTML|insertAdjacent|\.src\b|postMessage|fetch\(", code
    )
    assert "window.MYID" in code


def test_every_file_the_manifest_names_exists():
    named = [
        MANIFEST["background"]["service_worker"],
        MANIFEST["options_ui"]["page"],
        *MANIFEST["icons"].values(),
        *MANIFEST["action"]["default_icon"].values(),
    ]
    named += [js for script in MANIFEST["content_scripts"] for js in script["js"]]
    missing = [name for name in named if not (EXTENSION_DIR / name).is_file()]
    assert not missing
    # The selectors module comes before the scripts that use it; the main script comes last.
    for script in MANIFEST["content_scripts"]:
        if script.get("world") == "MAIN":
            continue
        assert script["js"][0] == "common/messages.js" and script["js"][-1] == "content/content.js"
        assert script["js"].index("content/selectors.js") < script["js"].index("content/draft.js")


@pytest.mark.parametrize("size", [16, 32, 48, 128])
def test_icons_are_pngs_of_their_declared_size(size):
    data = (EXTENSION_DIR / MANIFEST["icons"][str(size)]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (size, size)


def test_icons_are_reproducible_from_their_script():
    make_icons = runpy.run_path(str(EXTENSION_DIR / "tools" / "make_icons.py"), run_name="make_icons")  # writes no .pyc
    assert make_icons["render"](16) == (EXTENSION_DIR / "icons" / "icon16.png").read_bytes()
    assert make_icons["render"](48) == (EXTENSION_DIR / "icons" / "icon48.png").read_bytes()


def test_locales_have_the_same_keys_and_fit_the_store_limits():
    assert set(LOCALES) == {"ja", "en"}
    assert set(LOCALES["ja"]) == set(LOCALES["en"])
    for messages in LOCALES.values():
        assert all(re.fullmatch(r"[A-Za-z0-9_]+", key) for key in messages)
        assert all(entry["message"].strip() and "$" not in entry["message"] for entry in messages.values())
        assert len(messages["extName"]["message"]) <= 75
        assert len(messages["extDescription"]["message"]) <= 132


def test_every_ui_string_used_is_defined_and_every_defined_one_used():
    keys = set(LOCALES["ja"])
    html = source("options/options.html")
    direct = set(re.findall(r"__MSG_(\w+)__", json.dumps(MANIFEST))) | set(re.findall(r'data-i18n="(\w+)"', html))
    for path in JS_FILES:
        direct |= set(re.findall(r"""\bt\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8")))
    assert direct - keys == set()
    # Keys reached through a variable: state / category families, and literals mapped to keys.
    literals = {word for path in JS_FILES for word in re.findall(r'"(\w+)"', path.read_text(encoding="utf-8"))}
    families = {f"badge_{s}" for s in STATES} | {f"panel_{s}" for s in STATES} | {f"category_{c}" for c in CATEGORIES}
    assert keys - direct - families - literals == set()


def test_no_html_string_sinks():
    """Gmail enforces Trusted Types: the UI is built with DOM APIs only."""
    sinks = re.compile(
        r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe"
    )
    offenders = [
        f"{p.relative_to(EXTENSION_DIR)}:{n}"
        for p in JS_FILES
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if sinks.search(line)
    ]
    assert not offenders


def code_without_comments(path: Path) -> str:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"(^|\s)//.*$", "", text, flags=re.M)


def test_only_the_service_worker_fetches_and_stores():
    for path in JS_FILES:
        if path.name == "service_worker.js":
            continue
        assert not re.search(
            r"\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|chrome\.storage", code_without_comments(path)
        ), path


def test_site_selectors_live_only_in_the_selectors_module():
    site_tokens = (
        "g_editable",
        "_chatText",
        "gmail_quote",
        "gmail_signature",
        "timeline_send-message-button",
        "_sendButton",
        "Message Body",
        "メッセージ本文",
        "aoO",
        # reading the conversation (content/thread.js)
        "data-message-id",
        "a3s",
        "span.gD",
        "iA.g6",
        "data-thread-perm-id",
        "_timeLine",
        "._message",
        "timeline_user-name",
        "_speakerName",
        "userIconImage",
        "_profileUserIcon",
        "_replyMessage",
        "data-cwtag",
        "chatTimeLineMessageMine",
        "data-deleted",
    )
    for path in JS_FILES:
        if path.name == "selectors.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [token for token in site_tokens if token in text], path
    selectors = source("content/selectors.js")
    assert [token for token in site_tokens if token not in selectors] == []


def test_message_types_are_named_once_and_all_defined():
    definitions = dict(re.findall(r'^\s+([A-Z_]+): "(hisho-tone/[a-z-]+)"', source("common/messages.js"), re.M))
    assert len(set(definitions.values())) == len(definitions) >= 8
    used = {name for path in JS_FILES for name in re.findall(r"\bMSG\.([A-Z_]+)", path.read_text(encoding="utf-8"))}
    assert used <= set(definitions)
    # Every receiver ends in a throw for unknown types.
    assert "unknownMessage(message)" in source("service_worker.js")
    assert "unknownMessage(message)" in source("content/content.js")


def test_options_page_has_no_inline_script():
    html = source("options/options.html")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_readme_explains_install_and_server():
    readme = (EXTENSION_DIR / "README.md").read_text(encoding="utf-8")
    for needle in ("chrome://extensions", "hisho-tone serve", "make extension", "127.0.0.1:8765"):
        assert needle in readme


def test_extension_folder_holds_no_stray_files():
    allowed = {".js", ".json", ".html", ".css", ".png", ".md", ".py"}
    assert {p.suffix for p in EXTENSION_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts} <= allowed
    assert not list(Path(EXTENSION_DIR).rglob("*.DS_Store"))


def test_one_thread_limit_from_the_page_to_the_server():
    """The extension reads and sends at most what the server accepts (common/messages.js THREAD_LIMITS)."""
    from hisho_tone_server import settings

    found = re.search(
        r"THREAD_LIMITS = Object\.freeze\(\{ messages: (\d+), messageChars: (\d+), authorChars: (\d+) \}\)",
        source("common/messages.js"),
    )
    assert found, "THREAD_LIMITS not found in common/messages.js"
    messages, message_chars, author_chars = map(int, found.groups())
    assert messages <= settings.MAX_THREAD_MESSAGES
    assert message_chars <= settings.MAX_MESSAGE_CHARS
    assert messages * message_chars <= settings.MAX_THREAD_CHARS
    assert author_chars <= settings.MAX_AUTHOR_CHARS
    # The content script and the service worker take the limit from there, not from numbers of their own.
    assert "ns.THREAD_LIMITS" in source("content/thread.js") and "THREAD_LIMITS.messages" in source("service_worker.js")
