"""Access log as WSGI middleware: method, path, status, duration, size — never bodies or queries.

Only fixed, known paths are written; anything else is logged as ``<other>`` because a client could
put a draft into the path itself.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable, Iterable, Iterator

log = logging.getLogger("hisho_tone_server.access")

KNOWN_PATHS = frozenset({"/", "/v1/analyze", "/v1/recap", "/v1/health", "/openapi.json", "/favicon.ico"})
_STATIC = re.compile(r"/static/[A-Za-z0-9_.-]{1,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


def loggable_path(path: str) -> str:
    return path if path in KNOWN_PATHS or _STATIC.fullmatch(path) else "<other>"


class AccessLog:
    """Wraps a WSGI app and logs one line per request when its body has been sent."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, str] = {"status": "-"}

        def recording_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        return _LoggedBody(body, environ, seen, started)


class _LoggedBody:
    """The response iterable, counting bytes; logs once, when the body is exhausted or closed."""

    def __init__(self, body: Iterable[bytes], environ: dict[str, Any], seen: dict[str, str], started: float):
        self.body, self.environ, self.seen, self.started = body, environ, seen, started
        self.size = 0
        self.logged = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk
        self._log()

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._log()

    def _log(self) -> None:
        if self.logged:
            return
        self.logged = True
        method = self.environ.get("REQUEST_METHOD", "")
        log.info(
            "%s %s %s %.1fms %dB",
            method if method in _METHODS else "<other>",
            loggable_path(self.environ.get("PATH_INFO", "")),
            self.seen["status"],
            (time.perf_counter() - self.started) * 1000,
            self.size,
        )
