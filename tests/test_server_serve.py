"""The real ``hisho-tone serve``: a waitress subprocess on a free port, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hisho_tone_server import run
from hisho_tone_server.serve import check_bind, url_for

from server_fixtures import DRAFT, EXTENSION_ORIGIN, MARKER, ServerProcess, clean_env, start_server

pytestmark = pytest.mark.slow


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes (for requests http.client refuses to write) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def post_json(port: int, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    status, got, body = request(
        port,
        "POST",
        "/v1/analyze",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", **(headers or {})},
    )
    return status, got, json.loads(body)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_server(tmp_path_factory.mktemp("serve"))
    yield proc
    proc.stop()


def test_prints_the_playground_url(server: ServerProcess) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/"
    assert server.port != 0  # --port 0 picked a free port and printed the real one


def test_health_and_analyze_over_http(server: ServerProcess) -> None:
    status, headers, body = request(server.port, "GET", "/v1/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert headers["server"] == "hisho-tone"
    status, _, advice = post_json(server.port, {"text": DRAFT, "channel": "chat", "sensitivity": "high"})
    assert status == 200
    assert advice["recommendation"] in ("call", "video") and advice["reasons"]


def test_playground_and_openapi_over_http(server: ServerProcess) -> None:
    status, headers, body = request(server.port, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html") and "playground.js" in body.decode()
    status, _, body = request(server.port, "GET", "/openapi.json")
    assert status == 200 and "/v1/analyze" in json.loads(body)["paths"]


def test_keep_alive_serves_several_requests(server: ServerProcess) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for _ in range(5):
            conn.request(
                "POST",
                "/v1/analyze",
                body=json.dumps({"text": DRAFT}).encode(),
                headers={"Content-Type": "application/json"},
            )
            response = conn.getresponse()
            assert response.status == 200
            response.read()
    finally:
        conn.close()


def test_dns_rebinding_host_is_refused(server: ServerProcess) -> None:
    status, _, body = request(server.port, "GET", "/v1/health", headers={"Host": f"evil.example:{server.port}"})
    assert status == 403 and json.loads(body)["error"]["code"] == "forbidden_host"


def test_cors_over_http(server: ServerProcess) -> None:
    status, headers, _ = request(
        server.port,
        "OPTIONS",
        "/v1/analyze",
        headers={"Origin": EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert status == 204 and headers["access-control-allow-origin"] == EXTENSION_ORIGIN
    status, _, _ = request(server.port, "GET", "/v1/health", headers={"Origin": "https://evil.example"})
    assert status == 403


def test_chunked_body(server: ServerProcess) -> None:
    payload = json.dumps({"text": DRAFT}).encode()
    head = f"POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(server.port, head.encode() + b"%x\r\n" % len(payload) + payload + b"\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")


def test_oversized_bodies_get_json_413(server: ServerProcess) -> None:
    status, headers, body = request(
        server.port, "POST", "/v1/analyze", b"a" * 300_000, {"Content-Type": "application/json"}
    )
    assert status == 413  # past the app's limit
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "body_too_large"
    # Past waitress's own cap, refused from the headers alone (the body is never read).
    head = "POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
    status_line, _, rest = raw_exchange(server.port, head.encode()).partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 413")
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"]["code"] == "body_too_large"


def test_malformed_http_gets_json_400(server: ServerProcess) -> None:
    head = "POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
    answer = raw_exchange(server.port, head.encode())
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 400")
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"]["code"] == "bad_request"


def test_text_never_reaches_the_server_log(server: ServerProcess) -> None:
    post_json(server.port, {"text": MARKER})
    post_json(server.port, {"text": MARKER, "channel": MARKER})
    post_json(server.port, {"text": MARKER * 5000})
    request(server.port, "POST", "/v1/analyze", MARKER.encode(), {"Content-Type": "text/plain"})
    request(server.port, "GET", "/v1/x?text=" + MARKER.encode().hex())
    request(server.port, "GET", "/v1/" + MARKER.encode().hex())
    status, _, _ = request(server.port, "GET", "/v1/health")  # the last line proves the log is flowing
    assert status == 200
    log = server.log
    assert "GET /v1/health 200" in log
    assert "POST /v1/analyze 200" in log and "POST /v1/analyze 415" in log
    assert MARKER not in log and MARKER.encode().hex() not in log and "秘密" not in log


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stops_cleanly_on_signals(tmp_path: Path, sig: int) -> None:
    proc = start_server(tmp_path)
    assert request(proc.port, "GET", "/v1/health")[0] == 200
    assert proc.stop(sig) == 0
    assert "停止しました" in proc.log and "Traceback" not in proc.log
    with pytest.raises(OSError):
        request(proc.port, "GET", "/v1/health")


def test_token_over_http(tmp_path: Path) -> None:
    proc = start_server(tmp_path, "--token", "t0ken")
    try:
        assert request(proc.port, "GET", "/v1/health")[0] == 401
        assert request(proc.port, "GET", "/v1/health", headers={"Authorization": "Bearer t0ken"})[0] == 200
    finally:
        proc.stop()
    assert "t0ken" not in proc.log


def test_token_from_environment_over_http(tmp_path: Path) -> None:
    proc = start_server(tmp_path, env=clean_env(tmp_path, HISHO_TONE_TOKEN="env-t0ken"))
    try:
        assert request(proc.port, "GET", "/v1/health")[0] == 401
        assert request(proc.port, "GET", "/v1/health", headers={"Authorization": "Bearer env-t0ken"})[0] == 200
    finally:
        proc.stop()


# ---- binding beyond the loopback ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "allow_remote", "token"),
    [("0.0.0.0", False, None), ("0.0.0.0", True, None), ("192.168.1.20", False, "t"), ("example.com", True, "")],
)
def test_remote_bind_needs_flag_and_token(
    host: str,
    allow_remote: bool,
    token: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("HISHO_TONE_TOKEN", raising=False)
    assert run(host=host, port=0, allow_remote=allow_remote, token=token) == 2
    assert "--allow-remote" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_bind_needs_nothing(host: str) -> None:
    check_bind(host, allow_remote=False, token=None)


def test_remote_bind_with_flag_and_token(tmp_path: Path) -> None:
    proc = start_server(tmp_path, "--host", "0.0.0.0", "--allow-remote", "--token", "t0ken")
    try:
        assert proc.url == f"http://0.0.0.0:{proc.port}/"
        headers = {"Authorization": "Bearer t0ken", "Host": f"192.0.2.1:{proc.port}"}
        assert request(proc.port, "GET", "/v1/health", headers=headers)[0] == 200
        assert request(proc.port, "GET", "/v1/health", headers={"Host": f"192.0.2.1:{proc.port}"})[0] == 401
    finally:
        proc.stop()


def test_cli_refuses_remote_bind_without_flag(tmp_path: Path) -> None:
    proc = subprocess.run(  # the CLI exits 2 before binding anything
        [sys.executable, "-m", "hisho_tone", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 2
    assert "--allow-remote" in proc.stderr


def test_port_in_use_is_explained(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "hisho_tone", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env=clean_env(tmp_path),
            timeout=60,
        )
    assert proc.returncode == 2
    assert f"port {port} is in use" in proc.stderr and "Traceback" not in proc.stderr


def test_url_for() -> None:
    assert url_for("127.0.0.1", 8765) == "http://127.0.0.1:8765/"
    assert url_for("::1", 8765) == "http://[::1]:8765/"
