"""The JSON API through Flask's test client: every endpoint, every error, hostile input, privacy."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hisho_tone

from server_fixtures import DRAFT, MARKER, make_app, shared_analyzer

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def error_of(response: Any) -> dict[str, str]:
    """The error object of a response, after checking the error shape exactly."""
    assert response.mimetype == "application/json", response.data
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# ---- the endpoints ---------------------------------------------------------------------------


def test_analyze_answers_the_advice_dict(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": DRAFT})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == shared_analyzer().analyze(DRAFT).to_dict()
    assert response.get_json()["recommendation"] == "call"


def test_analyze_keeps_japanese_readable(client: FlaskClient) -> None:
    raw = client.post("/v1/analyze", json={"text": DRAFT}).get_data(as_text=True)
    assert "例の件" in raw  # not \\u-escaped: curl output stays readable


@pytest.mark.parametrize("channel", hisho_tone.CHANNELS)
@pytest.mark.parametrize("sensitivity", hisho_tone.SENSITIVITIES)
def test_analyze_passes_channel_and_sensitivity(client: FlaskClient, channel: str, sensitivity: str) -> None:
    text = "お世話になっております。\n契約の解約についてご相談させてください。\n\n> 前回のメール\n"
    body = client.post("/v1/analyze", json={"text": text, "channel": channel, "sensitivity": sensitivity}).get_json()
    assert body == shared_analyzer().analyze(text, channel=channel, sensitivity=sensitivity).to_dict()
    assert (body["channel"], body["sensitivity"]) == (channel, sensitivity)


def test_analyze_defaults_to_chat_and_normal(client: FlaskClient) -> None:
    body = client.post("/v1/analyze", json={"text": DRAFT}).get_json()
    assert (body["channel"], body["sensitivity"]) == ("chat", "normal")


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=UTF-8",
        "application/vnd.api+json",
    ],
)
def test_analyze_accepts_json_content_types(client: FlaskClient, content_type: str) -> None:
    response = client.post("/v1/analyze", data=json.dumps({"text": DRAFT}), content_type=content_type)
    assert response.status_code == 200


def test_analyze_tolerates_a_utf8_bom(client: FlaskClient) -> None:
    response = client.post(
        "/v1/analyze", data=b"\xef\xbb\xbf" + json.dumps({"text": DRAFT}).encode(), content_type="application/json"
    )
    assert response.status_code == 200


def test_analyze_accepts_text_at_the_limit(client: FlaskClient) -> None:
    body = client.post("/v1/analyze", json={"text": "あ" * 20_000}).get_json()
    assert body["truncated"] is True and body["analyzed_chars"] < 20_000


def test_reason_offsets_index_the_text_as_sent(client: FlaskClient) -> None:
    text = "🙂🙂 例の件、いい感じに。\r\n𠮷野家でもういいです"
    body = client.post("/v1/analyze", json={"text": text}).get_json()
    assert body["reasons"]
    for reason in body["reasons"]:
        assert text[reason["start"] : reason["end"]] == reason["surface"]
        assert all(text[span["start"] : span["end"]] == span["surface"] for span in reason["spans"])


def test_a_reason_found_in_several_places_lists_them_as_spans(client: FlaskClient) -> None:
    text = "🙂何度もお伝えしていますが、期限を守ってください。また同じことが起きたら困ります。"
    body = client.post("/v1/analyze", json={"text": text}).get_json()
    (reason,) = [r for r in body["reasons"] if r["kind"] == "repetition_complaint"]
    assert reason["spans"] == [
        {"start": 1, "end": 4, "surface": "何度も"},
        {"start": 4, "end": 13, "surface": "お伝えしていますが"},
        {"start": 25, "end": 29, "surface": "また同じ"},
    ]
    assert (reason["start"], reason["end"], reason["surface"]) == (1, 4, "何度も")


def test_health(client: FlaskClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["version"] == hisho_tone.__version__
    assert body["model"] == shared_analyzer().analyze("").model  # the id Advice reports
    assert body["limits"] == {"max_text_chars": 20_000, "max_body_bytes": 256 * 1024, "analyzed_chars": 5000}


def test_head_health(client: FlaskClient) -> None:
    assert client.head("/v1/health").status_code == 200


def test_openapi_document(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["version"] == hisho_tone.__version__
    assert {"/v1/analyze", "/v1/health", "/", "/openapi.json"} <= set(doc["paths"])


def test_openapi_describes_every_advice_field(client: FlaskClient) -> None:
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    advice = shared_analyzer().analyze(DRAFT).to_dict()
    assert set(schemas["Advice"]["properties"]) == set(advice)
    assert set(schemas["Advice"]["required"]) == set(advice)
    assert set(schemas["Reason"]["properties"]) == set(schemas["Reason"]["required"]) == set(advice["reasons"][0])
    assert (
        set(schemas["Span"]["properties"]) == set(schemas["Span"]["required"]) == set(advice["reasons"][0]["spans"][0])
    )
    for schema in (schemas["Advice"], schemas["Reason"], schemas["Span"], schemas["Health"]):
        for name, prop in schema["properties"].items():
            assert prop.get("description"), f"{name} is not described"


def test_playground_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'lang="ja"' in page and "プレイグラウンド" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for asset in ("/static/playground.js", "/static/playground.css", "/static/favicon.svg"):
        assert asset in page
        assert client.get(asset).status_code == 200


def test_playground_loads_nothing_from_elsewhere(client: FlaskClient) -> None:
    for path in ("/", "/static/playground.js", "/static/playground.css"):
        text = client.get(path).get_data(as_text=True)
        for needle in (
            'src="http',
            "src='http",
            'href="http',
            "url(http",
            "@import",
            "cdn",
            'fetch("http',
            "fetch('http",
        ):
            assert needle not in text, f"{path} refers to {needle}"


# ---- errors ----------------------------------------------------------------------------------

_JSON = "application/json"
# (name, method, path, raw body or None, content type, expected status, expected code)
ERRORS = [
    ("text/plain", "POST", "/v1/analyze", b'{"text": "a"}', "text/plain", 415, "unsupported_media_type"),
    ("no content type", "POST", "/v1/analyze", b'{"text": "a"}', None, 415, "unsupported_media_type"),
    ("form", "POST", "/v1/analyze", b"text=a", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    (
        "latin-1 JSON",
        "POST",
        "/v1/analyze",
        b'{"text": "a"}',
        "application/json; charset=latin-1",
        415,
        "unsupported_media_type",
    ),
    ("truncated JSON", "POST", "/v1/analyze", b'{"text": ', _JSON, 400, "invalid_json"),
    ("empty body", "POST", "/v1/analyze", b"", _JSON, 400, "invalid_json"),
    ("not UTF-8", "POST", "/v1/analyze", b'{"text": "\xff\xfe"}', _JSON, 400, "invalid_json"),
    ("UTF-16", "POST", "/v1/analyze", '{"text": "a"}'.encode("utf-16"), _JSON, 400, "invalid_json"),
    ("deep nesting", "POST", "/v1/analyze", b"[" * 100_000, _JSON, 400, "invalid_json"),
    ("huge number", "POST", "/v1/analyze", b'{"text": ' + b"9" * 50_000 + b"}", _JSON, 400, "invalid_json"),
    ("trailing garbage", "POST", "/v1/analyze", b'{"text": "a"} x', _JSON, 400, "invalid_json"),
    ("array", "POST", "/v1/analyze", b'["text"]', _JSON, 400, "invalid_body"),
    ("string", "POST", "/v1/analyze", b'"text"', _JSON, 400, "invalid_body"),
    ("null", "POST", "/v1/analyze", b"null", _JSON, 400, "invalid_body"),
    ("empty object", "POST", "/v1/analyze", b"{}", _JSON, 400, "missing_field"),
    ("text number", "POST", "/v1/analyze", b'{"text": 5}', _JSON, 400, "invalid_text"),
    ("text null", "POST", "/v1/analyze", b'{"text": null}', _JSON, 400, "invalid_text"),
    ("text list", "POST", "/v1/analyze", b'{"text": ["a"]}', _JSON, 400, "invalid_text"),
    ("text object", "POST", "/v1/analyze", b'{"text": {"a": 1}}', _JSON, 400, "invalid_text"),
    ("text bool", "POST", "/v1/analyze", b'{"text": true}', _JSON, 400, "invalid_text"),
    ("lone surrogate", "POST", "/v1/analyze", b'{"text": "a\\ud800b"}', _JSON, 400, "invalid_text"),
    ("unknown channel", "POST", "/v1/analyze", b'{"text": "a", "channel": "sms"}', _JSON, 400, "invalid_channel"),
    ("channel case", "POST", "/v1/analyze", b'{"text": "a", "channel": "CHAT"}', _JSON, 400, "invalid_channel"),
    ("channel null", "POST", "/v1/analyze", b'{"text": "a", "channel": null}', _JSON, 400, "invalid_channel"),
    ("channel number", "POST", "/v1/analyze", b'{"text": "a", "channel": 1}', _JSON, 400, "invalid_channel"),
    (
        "unknown sensitivity",
        "POST",
        "/v1/analyze",
        b'{"text": "a", "sensitivity": "max"}',
        _JSON,
        400,
        "invalid_sensitivity",
    ),
    (
        "sensitivity list",
        "POST",
        "/v1/analyze",
        b'{"text": "a", "sensitivity": ["low"]}',
        _JSON,
        400,
        "invalid_sensitivity",
    ),
    ("unknown field", "POST", "/v1/analyze", b'{"text": "a", "chanel": "chat"}', _JSON, 400, "unknown_field"),
    ("text too long", "POST", "/v1/analyze", json.dumps({"text": "a" * 20_001}).encode(), _JSON, 413, "text_too_long"),
    ("body too large", "POST", "/v1/analyze", b'{"text": "' + b"a" * 300_000 + b'"}', _JSON, 413, "body_too_large"),
    ("GET analyze", "GET", "/v1/analyze", None, None, 405, "method_not_allowed"),
    ("PUT analyze", "PUT", "/v1/analyze", b'{"text": "a"}', _JSON, 405, "method_not_allowed"),
    ("POST health", "POST", "/v1/health", b"{}", _JSON, 405, "method_not_allowed"),
    ("DELETE page", "DELETE", "/", None, None, 405, "method_not_allowed"),
    ("unknown path", "GET", "/v2/analyze", None, None, 404, "not_found"),
    ("static traversal", "GET", "/static/../__init__.py", None, None, 404, "not_found"),
    ("missing asset", "GET", "/static/nope.js", None, None, 404, "not_found"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "code"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_are_json_with_a_code(
    client: FlaskClient, method: str, path: str, body: bytes | None, content_type: str | None, status: int, code: str
) -> None:
    kwargs: dict[str, Any] = {} if body is None else {"data": body}
    if content_type:
        kwargs["content_type"] = content_type
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_405_lists_the_allowed_methods(client: FlaskClient) -> None:
    response = client.get("/v1/analyze")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST", "OPTIONS"}


def test_error_messages_name_the_offending_value(client: FlaskClient) -> None:
    message = error_of(client.post("/v1/analyze", json={"text": "a", "channel": "sms"}))["message"]
    assert '"sms"' in message and "chat, email" in message
    message = error_of(client.post("/v1/analyze", json={"text": "a" * 20_001}))["message"]
    assert "20001" in message and "20000" in message


def test_error_messages_never_quote_the_text(client: FlaskClient) -> None:
    for body in (
        {"text": MARKER * 3000},
        {"text": MARKER, "x": 2},
        {"text": MARKER, "channel": "sms"},
        {"text": MARKER, "sensitivity": 9},
    ):
        response = client.post("/v1/analyze", json=body)
        assert response.status_code in (400, 413)
        assert MARKER not in response.get_data(as_text=True)


# ---- hostile content never reaches a 500 -----------------------------------------------------

HOSTILE_TEXTS = [
    "",
    " ",
    "\x00",
    "\x00例の件\x00",
    "\u202e例の件\u202d",
    "\ufeff\u200b\u200d",
    "🙂" * 5000,
    "👨‍👩‍👧‍👦例の件",
    "a\u0301" * 3000,
    "\r\n" * 4000,
    "\t\v\f\x1b[31m",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{7*7}} ${7*7} %s %n",
    "例の件、" * 5000,
    "> 引用\n" * 3000,
    "ｶﾞｷﾞｸﾞ①②③ＡＢＣ",
    "\U0010ffff\U000e0001",
    "x" * 20_000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
@pytest.mark.parametrize("channel", ["chat", "email"])
def test_hostile_text_gets_advice(client: FlaskClient, text: str, channel: str) -> None:
    response = client.post("/v1/analyze", json={"text": text, "channel": channel})
    assert response.status_code == 200
    for reason in response.get_json()["reasons"]:
        assert text[reason["start"] : reason["end"]] == reason["surface"]
        assert all(text[span["start"] : span["end"]] == span["surface"] for span in reason["spans"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "channel", "sensitivity", "x"]) | st.text(max_size=8), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@SETTINGS
@given(body=json_values)
def test_any_json_body_gets_a_4xx_or_advice(client: FlaskClient, body: Any) -> None:
    response = client.post("/v1/analyze", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 413)
    if response.status_code != 200:
        error_of(response)


@SETTINGS
@given(
    raw=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/json; charset=x"]),
)
def test_any_bytes_get_a_4xx_or_advice(client: FlaskClient, raw: bytes, content_type: str) -> None:
    response = client.post("/v1/analyze", data=raw, content_type=content_type or None)
    assert response.status_code in (200, 400, 415)
    if response.status_code != 200:
        error_of(response)


@SETTINGS
@given(
    text=st.text(max_size=300),
    channel=st.sampled_from(["chat", "email"]),
    sensitivity=st.sampled_from(["low", "normal", "high"]),
)
def test_any_text_gets_advice(client: FlaskClient, text: str, channel: str, sensitivity: str) -> None:
    response = client.post("/v1/analyze", json={"text": text, "channel": channel, "sensitivity": sensitivity})
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        assert response.status_code == 400
        return
    assert response.status_code == 200
    for reason in response.get_json()["reasons"]:
        assert text[reason["start"] : reason["end"]] == reason["surface"]
        assert all(text[span["start"] : span["end"]] == span["surface"] for span in reason["spans"])


# ---- a truly internal failure: generic 500, logged without the text ---------------------------


class _BrokenAnalyzer:
    model = None

    def analyze(self, text: str, channel: str = "chat", sensitivity: str = "normal") -> Any:
        raise RuntimeError(f"failed on {text}")


def test_internal_failure_is_a_generic_json_500(caplog: pytest.LogCaptureFixture) -> None:
    client = make_app(ANALYZER=_BrokenAnalyzer()).test_client()
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/analyze", json={"text": MARKER})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert MARKER not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    assert MARKER not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


# ---- privacy: the text is never logged --------------------------------------------------------


def test_access_log_line(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hisho_tone_server.access"):
        client.post("/v1/analyze", json={"text": DRAFT}, buffered=True)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "hisho_tone_server.access"]
    method, path, status, duration, size = line.split(" ")
    assert (method, path, status) == ("POST", "/v1/analyze", "200")
    assert duration.endswith("ms") and size.endswith("B") and int(size[:-1]) > 100


def test_marker_never_reaches_a_log(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    requests: list[dict[str, Any]] = [
        {"path": "/v1/analyze", "method": "POST", "json": {"text": MARKER}},
        {"path": "/v1/analyze", "method": "POST", "json": {"text": MARKER, "channel": "email"}},
        {"path": "/v1/analyze", "method": "POST", "json": {"text": MARKER, "channel": MARKER}},
        {"path": "/v1/analyze", "method": "POST", "json": {"text": MARKER, MARKER: 1}},
        {"path": "/v1/analyze", "method": "POST", "json": {"text": MARKER * 5000}},
        {"path": "/v1/analyze", "method": "POST", "data": MARKER.encode(), "content_type": "text/plain"},
        {"path": "/v1/analyze", "method": "POST", "data": ("{" + MARKER).encode(), "content_type": "application/json"},
        {"path": f"/v1/{MARKER}", "method": "GET"},
        {"path": f"/v1/analyze?text={MARKER}", "method": "GET"},
        {"path": "/v1/health", "method": "GET", "headers": {"Origin": f"https://{MARKER}.example"}},
        {"path": "/v1/health", "method": "GET", "headers": {"Host": f"{MARKER}.example"}},
    ]
    with caplog.at_level(logging.DEBUG):
        for kwargs in requests:
            assert client.open(**kwargs, buffered=True).status_code < 500
    assert len([r for r in caplog.records if r.name == "hisho_tone_server.access"]) == len(requests)
    assert MARKER not in caplog.text
    assert "秘密" not in caplog.text
