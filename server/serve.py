"""``hisho-tone serve``: run the app with waitress on the loopback, print the URL, stop cleanly."""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import sys
from types import FrameType
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask

from . import settings


class ServeError(ValueError):
    """A refused setting (the CLI prints it and exits with status 2)."""


_PROTOCOL_CODES = {400: "bad_request", 413: "body_too_large", 431: "headers_too_large", 501: "not_implemented"}


class JsonErrorTask(ErrorTask):
    """waitress's own protocol errors (malformed HTTP, a body past its cap) answered as JSON too."""

    def execute(self) -> None:
        error = self.request.error
        code = _PROTOCOL_CODES.get(error.code, "bad_request" if error.code < 500 else "internal_error")
        body = json.dumps(
            {"error": {"code": code, "message": f"{error.reason}: the HTTP request could not be read."}}
        ).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask


def check_bind(host: str, allow_remote: bool, token: str | None) -> None:
    """Binding beyond the loopback needs --allow-remote and a token: the token is then the only lock."""
    if settings.is_loopback(host):
        return
    if not allow_remote:
        raise ServeError(
            f"{host} は外部から接続できるアドレスです。本当に公開する場合は --allow-remote と --token を指定してください "
            f"({host} is reachable from other machines: pass --allow-remote and --token to serve on it)"
        )
    if not token:
        raise ServeError(
            "--allow-remote にはトークンが必要です (--token または HISHO_TONE_TOKEN) "
            "(--allow-remote requires a token: --token or HISHO_TONE_TOKEN)"
        )


def remote_config(host: str) -> dict[str, Any]:
    """Host-header settings for a non-loopback bind: its own name, or any name on a wildcard address."""
    if host in ("0.0.0.0", "::", ""):
        return {"ANY_HOST": True}
    return {"ALLOWED_HOSTS": (host.strip("[]").lower(),)}


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("hisho_tone_server", "waitress"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
    logging.getLogger("hisho_tone_server").setLevel(logging.INFO)
    logging.getLogger("waitress").setLevel(logging.WARNING)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds waitress's loop, which then shuts its worker threads down


def run(
    host: str = "127.0.0.1", port: int = 8765, allow_remote: bool = False, token: str | None = None, threads: int = 8
) -> int:
    """Serve until SIGINT/SIGTERM; returns the process exit status."""
    from . import create_app  # here: the package imports this module

    token = token or os.environ.get(settings.ENV_TOKEN) or None
    try:
        check_bind(host, allow_remote, token)
    except ServeError as exc:
        print(f"hisho-tone: {exc}", file=sys.stderr)
        return 2
    if threads < 1:
        print("hisho-tone: --threads must be at least 1", file=sys.stderr)
        return 2
    bind = "127.0.0.1" if host == "localhost" else host  # one socket, so --port 0 gives one port
    config: dict[str, Any] = {"TOKEN": token}
    if not settings.is_loopback(host):
        config.update(remote_config(bind))
    app = create_app(config)
    try:
        server = create_server(
            app,
            host=bind,
            port=port,
            threads=threads,
            ident="hisho-tone",
            # waitress's own cap only stops absurd bodies early; the JSON 413 comes from the app's lower limit.
            max_request_body_size=4 * app.config["MAX_CONTENT_LENGTH"],
            expose_tracebacks=False,
            channel_timeout=30,
        )
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"hisho-tone: ポート {port} は使用中です。--port で別のポートを指定してください (--port 0 で空きポート) "
            f"(port {port} is in use: pick another with --port, or --port 0 for a free one)",
            file=sys.stderr,
        )
        return 2
    _configure_logging()
    server.channel_class = JsonErrorChannel  # type: ignore[union-attr]
    real_port = int(server.effective_port)  # type: ignore[union-attr]
    shown_host = host if host == "localhost" else bind
    print(f"hisho-tone {_version()} — プレイグラウンド / playground: {url_for(shown_host, real_port)}", flush=True)
    print("Ctrl+C で停止します (Ctrl+C to stop)", flush=True)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()  # returns after KeyboardInterrupt/SystemExit, worker threads stopped
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
    print("hisho-tone: 停止しました (stopped)", flush=True)
    return 0


def _version() -> str:
    from hisho_tone import __version__

    return __version__
