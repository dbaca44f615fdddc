"""Defences of the local service: Host (DNS rebinding), Origin and CORS, bearer token, headers."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from hisho_tone_server import create_app, settings

from server_fixtures import DRAFT, EXTENSION_ORIGIN, make_app, shared_analyzer

# ---- Host ------------------------------------------------------------------------------------

LOOPBACK_HOSTS = [
    "127.0.0.1",
    "127.0.0.1:8765",
    "localhost",
    "localhost:1",
    "LocalHost:8765",
    "[::1]",
    "[::1]:8765",
    "127.0.0.2:80",
]
FOREIGN_HOSTS = [
    "evil.example",  # DNS rebinding: the attacker's name resolving to 127.0.0.1
    "evil.example:8765",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "0.0.0.0:8765",
    "192.168.1.20:8765",
    "[::1",
    "[::1]x",
    "localhost:abc",
    "localhost:",
    "::1",
    "",
]


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
def test_loopback_hosts_are_served(client: FlaskClient, host: str) -> None:
    assert client.get("/v1/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
@pytest.mark.parametrize("path", ["/v1/health", "/", "/openapi.json", "/static/playground.js", "/nowhere"])
def test_other_hosts_are_refused(client: FlaskClient, host: str, path: str) -> None:
    response = client.get(path, environ_overrides={"HTTP_HOST": host})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden_host"


def test_post_with_foreign_host_is_refused_before_analysis(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": DRAFT}, headers={"Host": "evil.example"})
    assert response.status_code == 403


def test_allowed_hosts_setting() -> None:
    client = make_app(ALLOWED_HOSTS=("192.168.1.20",)).test_client()
    assert client.get("/v1/health", headers={"Host": "192.168.1.20:8765"}).status_code == 200
    assert client.get("/v1/health", headers={"Host": "evil.example"}).status_code == 403


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8765", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:1", "::1"),
        ("[::1]", "::1"),
        ("a:b", None),
        ("[::1", None),
        ("", None),
        (":80", None),
    ],
)
def test_host_name(header: str, name: str | None) -> None:
    assert settings.host_name(header) == name


# ---- Origin ----------------------------------------------------------------------------------


def test_requests_without_origin_are_fine(client: FlaskClient) -> None:
    assert client.post("/v1/analyze", json={"text": DRAFT}).status_code == 200


def test_extension_origin_gets_cors_headers(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": DRAFT}, headers={"Origin": EXTENSION_ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    assert "Origin" in response.headers["Vary"]


def test_playground_origin_is_same_origin(client: FlaskClient) -> None:
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        response = client.post("/v1/analyze", json={"text": DRAFT}, headers={"Host": host, "Origin": f"http://{host}"})
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response.headers


FOREIGN_ORIGINS = [
    "https://evil.example",
    "http://evil.example",
    "null",
    "http://127.0.0.1:9999",  # another local server's page
    "http://localhost",  # the test client's host, but another port (80)
    "https://127.0.0.1:8765",  # another scheme
    "moz-extension://abc",  # not in the default allowlist
    "file://",
    "",
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/v1/analyze"), ("GET", "/v1/health"), ("GET", "/"), ("OPTIONS", "/v1/analyze")]
)
def test_other_origins_are_refused(client: FlaskClient, origin: str, method: str, path: str) -> None:
    headers = {"Host": "127.0.0.1:8765", "Origin": origin, "Access-Control-Request-Method": "POST"}
    kwargs = {"json": {"text": DRAFT}} if method == "POST" else {}
    response = client.open(path, method=method, headers=headers, **kwargs)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_origin_allowlist_setting() -> None:
    client = make_app(ALLOWED_ORIGINS=("chrome-extension://abc",)).test_client()
    assert client.get("/v1/health", headers={"Origin": "chrome-extension://abc"}).status_code == 200
    assert client.get("/v1/health", headers={"Origin": "chrome-extension://other"}).status_code == 403


def test_origin_allowlist_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HISHO_TONE_ALLOWED_ORIGINS", " chrome-extension://abc , moz-extension://def/ ")
    monkeypatch.delenv("HISHO_TONE_TOKEN", raising=False)
    client = create_app({"TESTING": True, "ANALYZER": shared_analyzer()}).test_client()
    assert client.get("/v1/health", headers={"Origin": "chrome-extension://abc"}).status_code == 200
    assert client.get("/v1/health", headers={"Origin": "moz-extension://def"}).status_code == 200
    assert client.get("/v1/health", headers={"Origin": EXTENSION_ORIGIN}).status_code == 403


@pytest.mark.parametrize("origin", ["*", "https://*", "http://*", "null", "example.com"])
def test_allowlist_refuses_entries_that_open_the_door(origin: str) -> None:
    with pytest.raises(ValueError, match="not accepted"):
        make_app(ALLOWED_ORIGINS=(origin,))


# ---- CORS preflight --------------------------------------------------------------------------


def test_preflight_from_the_extension(client: FlaskClient) -> None:
    response = client.options(
        "/v1/analyze",
        headers={
            "Origin": EXTENSION_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert {"content-type", "authorization"} <= {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert response.headers["Access-Control-Allow-Private-Network"] == "true"
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_preflight_needs_no_token() -> None:
    client = make_app(TOKEN="s3cret").test_client()
    response = client.options(
        "/v1/analyze", headers={"Origin": EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 204


def test_plain_options_lists_methods(client: FlaskClient) -> None:
    response = client.options("/v1/analyze")
    assert response.status_code == 200
    assert "POST" in response.headers["Allow"]


def test_errors_to_the_extension_are_readable(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": 1}, headers={"Origin": EXTENSION_ORIGIN})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN


# ---- bearer token ----------------------------------------------------------------------------


@pytest.fixture
def token_client() -> FlaskClient:
    return make_app(TOKEN="s3cret-token").test_client()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Basic s3cret-token",
        "s3cret-token",
        "Bearer s3cret-token2",
        "Bearer s3cret-toke",
    ],
)
def test_token_is_required_when_configured(token_client: FlaskClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for response in (
        token_client.post("/v1/analyze", json={"text": DRAFT}, headers=headers),
        token_client.get("/v1/health", headers=headers),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("authorization", ["Bearer s3cret-token", "bearer s3cret-token", "Bearer  s3cret-token "])
def test_right_token_is_accepted(token_client: FlaskClient, authorization: str) -> None:
    assert (
        token_client.post("/v1/analyze", json={"text": DRAFT}, headers={"Authorization": authorization}).status_code
        == 200
    )
    assert token_client.get("/v1/health", headers={"Authorization": authorization}).status_code == 200


def test_page_and_document_need_no_token(token_client: FlaskClient) -> None:
    for path in ("/", "/openapi.json", "/static/playground.js"):
        assert token_client.get(path).status_code == 200


def test_token_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HISHO_TONE_TOKEN", "from-env")
    monkeypatch.delenv("HISHO_TONE_ALLOWED_ORIGINS", raising=False)
    client = create_app({"TESTING": True, "ANALYZER": shared_analyzer()}).test_client()
    assert client.get("/v1/health").status_code == 401
    assert client.get("/v1/health", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_no_token_by_default(client: FlaskClient) -> None:
    assert client.get("/v1/health").status_code == 200


# ---- response headers ------------------------------------------------------------------------


def test_security_headers(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
    api = client.get("/v1/health")
    assert api.headers["Cache-Control"] == "no-store"
    assert api.headers["X-Content-Type-Options"] == "nosniff"
