"""Settings of the local service: defaults, then environment variables, then ``create_app(config)``."""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Mapping

from hisho_tone.thread import MAX_MESSAGES

# The extension's origins. Any installed extension may ask by default; narrow it to your extension's
# id with HISHO_TONE_ALLOWED_ORIGINS=chrome-extension://<id> (comma-separated for several).
DEFAULT_ALLOWED_ORIGINS = ("chrome-extension://*",)

# 20,000 characters is four times the analysed window (hisho_tone.analyzer.WINDOW_CHARS): room for a
# long email with its quoted history. The body limit is sized so that any text within that limit fits
# even when every character is JSON-escaped as a surrogate pair (12 bytes): the two limits never
# contradict each other.
MAX_TEXT_CHARS = 20_000
MAX_BODY_BYTES = 256 * 1024

# A conversation sent with a draft (``thread`` on /v1/analyze, ``messages`` on /v1/recap). The latest
# 50 messages are plenty to see a ping-pong; 5,000 characters is the analysed window of one message;
# 20,000 characters in all keeps a thread's cost at most that of a draft at its limit. A thread at
# its limits with a draft at its limit (50,000 characters with the authors) fits the body limit when
# sent as UTF-8 JSON, as JSON.stringify writes it (at most 4 bytes a character, control characters
# aside); a client that \u-escapes every character meets 413 body_too_large before these limits.
MAX_THREAD_MESSAGES = MAX_MESSAGES  # the library's one thread limit: what is analysed is what is accepted
MAX_MESSAGE_CHARS = 5_000
MAX_THREAD_CHARS = 20_000
MAX_AUTHOR_CHARS = 200
# Thread messages already analysed are kept for the next keystroke: this many characters of message
# text per cache generation (two generations at most; an analysis holds about 400 bytes per character,
# so at most ~16 MB).
MESSAGE_CACHE_CHARS = 20_000

DEFAULTS: dict[str, Any] = {
    "TOKEN": None,  # bearer token required on /v1/* when set
    "ALLOWED_ORIGINS": DEFAULT_ALLOWED_ORIGINS,  # cross-origin callers besides the playground itself
    "ALLOWED_HOSTS": (),  # Host names accepted besides the loopback (only set by --allow-remote)
    "ANY_HOST": False,  # accept any Host header (only when bound to all interfaces with a token)
    "MAX_TEXT_CHARS": MAX_TEXT_CHARS,
    "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
    "MAX_THREAD_MESSAGES": MAX_THREAD_MESSAGES,
    "MAX_MESSAGE_CHARS": MAX_MESSAGE_CHARS,
    "MAX_THREAD_CHARS": MAX_THREAD_CHARS,
    "MESSAGE_CACHE_CHARS": MESSAGE_CACHE_CHARS,
    "ANALYZER": None,  # a hisho_tone.Analyzer; None: hisho_tone.default_analyzer()
}

ENV_TOKEN = "HISHO_TONE_TOKEN"
ENV_ALLOWED_ORIGINS = "HISHO_TONE_ALLOWED_ORIGINS"
# Origins that would admit every web site; refused so that a typo cannot open the door to all pages.
_OPEN_ORIGINS = {"*", "http://*", "https://*", "null"}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings that environment variables provide."""
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    if environ.get(ENV_TOKEN):
        out["TOKEN"] = environ[ENV_TOKEN]
    if environ.get(ENV_ALLOWED_ORIGINS) is not None:
        out["ALLOWED_ORIGINS"] = split_list(environ[ENV_ALLOWED_ORIGINS])
    return out


def split_list(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``"a, b"`` or ``["a", "b"]`` → ``("a", "b")`` without empty items."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item and item.strip())


def check_origins(origins: tuple[str, ...]) -> tuple[str, ...]:
    """Normalise the allowlist; ValueError for entries that would admit any web page."""
    out = []
    for origin in origins:
        origin = origin.strip().rstrip("/").lower()
        if origin in _OPEN_ORIGINS or "://" not in origin:
            raise ValueError(
                f"allowed origin {origin!r} is not accepted: list exact origins such as "
                "chrome-extension://<extension id>, or chrome-extension://* for any extension"
            )
        out.append(origin)
    return tuple(out)


def origin_allowed(origin: str, allowlist: tuple[str, ...]) -> bool:
    """True when ``origin`` is listed, or its scheme is listed as ``scheme://*``."""
    origin = origin.lower()
    scheme = origin.split("://", 1)[0]
    return origin in allowlist or f"{scheme}://*" in allowlist


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (``127.0.0.0/8``, ``::1``)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(host_header: str) -> str | None:
    """The host part of a ``Host`` header (``[::1]:8765`` → ``::1``), or None when malformed."""
    value = host_header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        rest = value[end + 1 :]
        if end < 0 or (rest and not _is_port(rest)):
            return None
        return value[1:end] or None
    name, sep, port = value.rpartition(":") if ":" in value else (value, "", "")
    if sep and not _is_port(":" + port):
        return None
    return name or None


def _is_port(suffix: str) -> bool:
    return suffix.startswith(":") and suffix[1:].isascii() and suffix[1:].isdigit() and len(suffix) <= 6
