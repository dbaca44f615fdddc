"""Fixtures and helpers shared by the tests of the local service (tests/test_server_*.py).

Its fixtures (``app``, ``client``) are registered for every test by ``pytest_plugins`` in conftest.py;
import the helpers you use.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hisho_tone import Analyzer
from hisho_tone_server import create_app

# A draft that the API must never write anywhere: tests search every log for it.
MARKER = "秘密のマーカー_ZQX7_例の件いい感じに"
DRAFT = "例の件、いい感じにお願いします"
EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"

_analyzer: Analyzer | None = None


def shared_analyzer() -> Analyzer:
    """One Analyzer for every test app (ignores the developer's own config file)."""
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer(config=False)
    return _analyzer


class BufferedClient(FlaskClient):
    """A test client that reads each response whole and closes it: a static file is served as an
    open file handle, which an unread, unclosed test response would leak (a ResourceWarning)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def make_app(**config: Any) -> Flask:
    """A test app; settings not given are the defaults, whatever the environment says."""
    base: dict[str, Any] = {
        "TESTING": True,
        "ANALYZER": shared_analyzer(),
        "TOKEN": None,
        "ALLOWED_ORIGINS": ("chrome-extension://*",),
    }
    app = create_app({**base, **config})
    app.test_client_class = BufferedClient
    return app


@pytest.fixture
def app() -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for a server subprocess: no HISHO_TONE_* setting of the developer's (token,
    origins), and an empty configuration file instead of the user's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HISHO_TONE_")}
    empty = tmp_path / "empty-config.toml"
    empty.write_text("", encoding="utf-8")
    env["HISHO_TONE_CONFIG"] = str(empty)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """A running ``hisho-tone serve`` subprocess and what it printed."""

    process: subprocess.Popen[str]
    url: str = ""
    port: int = 0
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 10) -> int:
        """Send ``sig`` and wait; returns the exit status (kills it if it does not stop)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for thread in self._threads:
            thread.join(5)
        return self.process.returncode

    @property
    def log(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)

    @property
    def base_url(self) -> str:
        """The URL without its trailing slash, as the extension's options write it."""
        return self.url.rstrip("/")


def _pump(stream: Any, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)
    stream.close()


def start_server(tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 30) -> ServerProcess:
    """Start ``hisho-tone serve --port 0 ARGS`` and wait for the URL it prints.

    Uses the installed console script next to the interpreter, else ``python -m hisho_tone``.
    """
    script = Path(sys.executable).with_name("hisho-tone")
    entry = [str(script)] if script.is_file() else [sys.executable, "-m", "hisho_tone"]
    command = [*entry, "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env or clean_env(tmp_path),
    )
    server = ServerProcess(process)
    for stream, sink in ((process.stdout, server.stdout), (process.stderr, server.stderr)):
        thread = threading.Thread(target=_pump, args=(stream, sink), daemon=True)
        thread.start()
        server._threads.append(thread)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"(http://\S+:(\d+)/)", "".join(server.stdout))
        if match:
            server.url, server.port = match.group(1), int(match.group(2))
            return server
        if process.poll() is not None:
            break
        time.sleep(0.05)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"server did not start:\n{server.log}")


# ---- browsers ----------------------------------------------------------------------------------


def in_ci() -> bool:
    """True on a CI machine (``CI=true``, as GitHub Actions and most CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def find_chromium() -> str | None:
    """$HISHO_TONE_CHROMIUM, else Debian's /usr/lib/chromium/chromium (the binary behind the
    /usr/bin/chromium wrapper), else ``chromium`` on PATH."""
    candidates = [
        os.environ.get("HISHO_TONE_CHROMIUM"),
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


def no_browser(reason: str) -> None:
    """Skip a browser test on a developer's machine; FAIL it in CI, where a skip would pass unseen."""
    if in_ci():
        pytest.fail(f"{reason} — CI=true, so the browser tests must run here", pytrace=False)
    pytest.skip(reason)


def chromium_or_skip() -> str:
    """The Chromium executable for the browser tests (see ``no_browser`` when there is none)."""
    executable = find_chromium()
    if executable is None:
        no_browser("Chromium not found: apt-get install chromium fonts-noto-cjk (or set HISHO_TONE_CHROMIUM)")
    return executable  # type: ignore[return-value]
