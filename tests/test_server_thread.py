"""Threads over HTTP: ``thread`` on POST /v1/analyze and POST /v1/recap — the contract (the same
answers as the library), the limits (413), the validation (400 naming the item and field), the
OpenAPI document, the defences and privacy."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hisho_tone
from hisho_tone_server import settings as server_settings

from server_fixtures import EXTENSION_ORIGIN, MARKER, make_app, shared_analyzer

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def msgs(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    """("田中", "text"), ("me", "text") … → messages; "me" marks the user (who is 佐藤)."""
    return [{"author": "佐藤" if a == "me" else a, "text": t, "me": a == "me"} for a, t in pairs]


# A banner colour going round in circles: four rounds, the first question never answered.
PING_PONG = msgs(
    ("田中", "バナーの色、もう少し明るくできますか？"),
    ("me", "こちらの色味でいかがでしょうか。"),
    ("田中", "うーん、もう少し明るい方がいいかもです"),
    ("me", "では、こちらはいかがでしょう。"),
    ("田中", "明るすぎるかもしれません。前の方が近いかも"),
    ("me", "では中間の色でお作りしますね。"),
    ("田中", "うーん、なんか違うんですよね"),
)
HARMLESS = "承知しました。修正版をお送りします。"
# A meeting time asked, answered and confirmed.
SETTLED = msgs(
    ("田中", "明日の打ち合わせ、10時と14時どちらが空いていますか？"),
    ("me", "14時でお願いできますか？"),
    ("田中", "承知しました、14時で確定します。ありがとうございます！"),
)
ROUTINE = "ありがとうございます。では明日14時に伺います。"
# A question from the other side that the conversation moved past.
UNANSWERED = msgs(
    ("田中", "請求書の宛名は株式会社ABCで合っていますか？"),
    ("me", "来週の会議室を予約しました。"),
    ("田中", "ありがとうございます。"),
)


def error_of(response: Any) -> dict[str, str]:
    assert response.mimetype == "application/json", response.data
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def library_thread(
    thread: list[dict[str, Any]], draft: str, channel: str = "chat", sensitivity: str = "normal"
) -> dict[str, Any]:
    return hisho_tone.analyze_thread(
        thread, draft=draft, channel=channel, sensitivity=sensitivity, analyzer=shared_analyzer()
    ).to_dict()


# ---- POST /v1/analyze with a thread ----------------------------------------------------------


def test_without_thread_the_answer_is_unchanged(client: FlaskClient) -> None:
    body = client.post("/v1/analyze", json={"text": HARMLESS}).get_json()
    assert "thread" not in body
    assert body == shared_analyzer().analyze(HARMLESS).to_dict()


def test_typing_in_a_thread_analyses_only_the_draft(monkeypatch: pytest.MonkeyPatch) -> None:
    """The draft is analysed once per request; messages already seen come from the app's cache."""
    analyzer = hisho_tone.Analyzer(config=False)
    client = make_app(ANALYZER=analyzer).test_client()
    seen: list[str] = []
    inspect = analyzer.inspect
    monkeypatch.setattr(analyzer, "inspect", lambda text, channel="chat": seen.append(text) or inspect(text, channel))
    first = client.post("/v1/analyze", json={"text": HARMLESS, "thread": PING_PONG}).get_json()
    assert sorted(seen) == sorted([m["text"] for m in PING_PONG] + [HARMLESS])  # each once, the draft included
    seen.clear()
    for draft in ("承知", "承知しました", HARMLESS):
        body = client.post("/v1/analyze", json={"text": draft, "thread": PING_PONG}).get_json()
        assert body["thread"]["per_message"] == first["thread"]["per_message"]
    assert seen == ["承知", "承知しました", HARMLESS]  # one analysis per keystroke: the draft's
    assert body == first
    assert body["thread"] == library_thread(PING_PONG, HARMLESS)
    # another sensitivity is another verdict for the same messages: read again, then cached too
    client.post("/v1/analyze", json={"text": HARMLESS, "thread": PING_PONG, "sensitivity": "high"})
    assert len(seen) == 3 + len(PING_PONG) + 1


def test_the_message_cache_is_bounded_by_characters() -> None:
    analyzer = shared_analyzer()
    cache = hisho_tone.thread.MessageCache(analyzer, max_chars=50)
    for i in range(40):
        cache.read(f"{i}件目の資料をお送りします。", "chat", "normal")
    assert cache._cache.used <= 50
    assert cache._cache.entries() <= 2 * 50 // len("0件目の資料をお送りします。") + 2
    with pytest.raises(ValueError, match="another Analyzer"):
        hisho_tone.analyze_thread(PING_PONG, analyzer=hisho_tone.Analyzer(config=False, model=None), cache=cache)


def test_ping_pong_makes_a_harmless_draft_a_call(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": HARMLESS, "thread": PING_PONG})
    assert response.status_code == 200
    body = response.get_json()
    thread = body.pop("thread")
    assert body == shared_analyzer().analyze(HARMLESS).to_dict()  # the top level is the draft's own advice
    assert body["recommendation"] == "text"
    assert thread == library_thread(PING_PONG, HARMLESS)
    assert thread["recommendation"] == "call"
    assert thread["rounds"] == 4
    (ping_pong,) = [r for r in thread["reasons"] if r["kind"] == "ping_pong"]
    assert "4往復" in ping_pong["message"]
    assert thread["invitation"]
    assert thread["draft"] == body
    assert len(thread["per_message"]) == len(PING_PONG)


def test_a_settled_thread_keeps_a_routine_draft_text(client: FlaskClient) -> None:
    body = client.post("/v1/analyze", json={"text": ROUTINE, "thread": SETTLED}).get_json()
    assert body["recommendation"] == "text"
    assert body["thread"]["recommendation"] == "text"
    assert body["thread"] == library_thread(SETTLED, ROUTINE)
    assert body["thread"]["reasons"] == []


def test_the_thread_is_never_weaker_than_the_draft(client: FlaskClient) -> None:
    draft = "もういいです。正直がっかりしました。契約は解除させていただきます。"
    body = client.post("/v1/analyze", json={"text": draft, "thread": SETTLED}).get_json()
    order = ("text", "text_with_care", "call", "video")
    assert order.index(body["thread"]["recommendation"]) >= order.index(body["recommendation"])


def test_an_empty_thread_is_answered(client: FlaskClient) -> None:
    body = client.post("/v1/analyze", json={"text": ROUTINE, "thread": []}).get_json()
    assert body["thread"]["rounds"] == 0
    assert body["thread"]["per_message"] == []
    assert body["thread"]["recommendation"] == body["recommendation"]


@pytest.mark.parametrize(("channel", "sensitivity"), [("email", "high"), ("chat", "low")])
def test_thread_gets_the_channel_and_sensitivity(client: FlaskClient, channel: str, sensitivity: str) -> None:
    body = client.post(
        "/v1/analyze", json={"text": HARMLESS, "thread": PING_PONG, "channel": channel, "sensitivity": sensitivity}
    ).get_json()
    assert body["thread"] == library_thread(PING_PONG, HARMLESS, channel, sensitivity)
    assert {a["channel"] for a in body["thread"]["per_message"]} == {channel}


def test_me_defaults_to_false(client: FlaskClient) -> None:
    thread = [{"author": m["author"], "text": m["text"]} for m in PING_PONG]
    body = client.post("/v1/analyze", json={"text": HARMLESS, "thread": thread}).get_json()
    assert body["thread"] == library_thread([{**m, "me": False} for m in thread], HARMLESS)


def test_question_offsets_index_the_message_as_sent(client: FlaskClient) -> None:
    thread = [
        {"author": "佐藤", "text": "🙂𠮷 請求書の宛名は株式会社ABCで合っていますか？"},
        {"author": "me", "text": "来週の会議室を予約しました。", "me": True},
    ]
    body = client.post(
        "/v1/analyze", json={"text": "資料も共有フォルダに入れておきます。", "thread": thread}
    ).get_json()
    questions = body["thread"]["unanswered_questions"]
    assert questions
    for q in questions:
        assert thread[q["message_index"]]["text"][q["start"] : q["end"]] == q["surface"]
    for r in body["thread"]["reasons"]:
        if r["surface"] is not None and r["message_index"] < len(thread):
            assert thread[r["message_index"]]["text"][r["start"] : r["end"]] == r["surface"]


def test_limits_are_inclusive(client: FlaskClient) -> None:
    limit = server_settings.MAX_THREAD_MESSAGES
    thread = [{"author": "田中" if i % 2 else "佐藤", "text": "了解です。", "me": i % 2 == 0} for i in range(limit)]
    assert client.post("/v1/analyze", json={"text": "はい", "thread": thread}).status_code == 200
    per_message, total = server_settings.MAX_MESSAGE_CHARS, server_settings.MAX_THREAD_CHARS
    thread = [
        {"author": "a" * server_settings.MAX_AUTHOR_CHARS, "text": "あ" * per_message}
        for _ in range(total // per_message)
    ]
    assert client.post("/v1/analyze", json={"text": "はい", "thread": thread}).status_code == 200


def test_a_thread_at_its_limits_with_a_draft_at_its_limit_fits_the_body_limit() -> None:
    """Sent as UTF-8 JSON (JSON.stringify), the largest valid request stays under 256 KiB."""
    per_message = server_settings.MAX_MESSAGE_CHARS
    count = server_settings.MAX_THREAD_MESSAGES
    texts = ["𠮷" * per_message] * (server_settings.MAX_THREAD_CHARS // per_message) + [""] * (
        count - server_settings.MAX_THREAD_CHARS // per_message
    )
    thread = [{"text": t, "author": "𠮷" * server_settings.MAX_AUTHOR_CHARS, "me": False} for t in texts]
    body = json.dumps(
        {"text": "𠮷" * server_settings.MAX_TEXT_CHARS, "channel": "email", "sensitivity": "normal", "thread": thread},
        ensure_ascii=False,
    )
    assert len(body.encode("utf-8")) <= server_settings.MAX_BODY_BYTES


# ---- POST /v1/recap --------------------------------------------------------------------------


def test_recap_is_the_library_template(client: FlaskClient) -> None:
    response = client.post("/v1/recap", json={"messages": PING_PONG})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body == {"recap": hisho_tone.recap_template(PING_PONG, analyzer=shared_analyzer())}
    assert "バナーの色、もう少し明るくできますか？" in body["recap"]  # the open question, to fill in
    assert body["recap"].startswith("田中さん")


def test_recap_with_draft_and_channel(client: FlaskClient) -> None:
    body = client.post("/v1/recap", json={"messages": SETTLED, "draft": ROUTINE, "channel": "email"}).get_json()
    assert body["recap"] == hisho_tone.recap_template(
        SETTLED, draft=ROUTINE, analyzer=shared_analyzer(), channel="email"
    )


def test_recap_follows_the_register() -> None:
    client = make_app().test_client()
    casual = msgs(
        ("田中", "バナーの色、もうちょい明るくできる？"), ("me", "これでどう？"), ("田中", "うーん、なんか違うんだよね")
    )
    polite = client.post("/v1/recap", json={"messages": PING_PONG}).get_json()["recap"]
    chatty = client.post("/v1/recap", json={"messages": casual}).get_json()["recap"]
    assert chatty == hisho_tone.recap_template(casual, analyzer=shared_analyzer())
    assert chatty.splitlines()[2] != polite.splitlines()[2]  # the thanks for the call, in each register
    assert chatty.splitlines()[-1] != polite.splitlines()[-1]  # the closing


# ---- errors ----------------------------------------------------------------------------------


def thread_of(*items: Any) -> list[Any]:
    return [{"text": "了解です", "author": "田中"}, *items]


M = server_settings.MAX_MESSAGE_CHARS
# (name, path, body, status, code, words the message must contain)
ERRORS: list[tuple[str, str, Any, int, str, tuple[str, ...]]] = [
    (
        "thread string",
        "/v1/analyze",
        {"text": "a", "thread": "田中: 了解"},
        400,
        "invalid_thread",
        ("thread must be an array", "string"),
    ),
    (
        "thread object",
        "/v1/analyze",
        {"text": "a", "thread": {"text": "a"}},
        400,
        "invalid_thread",
        ("thread must be an array", "object"),
    ),
    ("thread null", "/v1/analyze", {"text": "a", "thread": None}, 400, "invalid_thread", ("not a null",)),
    (
        "item string",
        "/v1/analyze",
        {"text": "a", "thread": thread_of("了解")},
        400,
        "invalid_thread",
        ("thread[1] must be an object",),
    ),
    (
        "item list",
        "/v1/analyze",
        {"text": "a", "thread": thread_of(["a", "b"])},
        400,
        "invalid_thread",
        ("thread[1] must be an object", "array"),
    ),
    (
        "text number",
        "/v1/analyze",
        {
            "text": "a",
            "thread": thread_of({"text": "b", "author": "c"}, {"text": "d", "author": "e"}, {"text": 5, "author": "a"}),
        },
        400,
        "invalid_thread",
        ("thread[3].text must be a string", "number"),
    ),
    (
        "text null",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": None, "author": "a"})},
        400,
        "invalid_thread",
        ("thread[1].text must be a string",),
    ),
    (
        "author number",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "a", "author": 7})},
        400,
        "invalid_thread",
        ("thread[1].author must be a string",),
    ),
    (
        "me string",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "a", "author": "b", "me": "yes"})},
        400,
        "invalid_thread",
        ("thread[1].me must be true or false",),
    ),
    (
        "me number",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "a", "author": "b", "me": 1})},
        400,
        "invalid_thread",
        ("thread[1].me",),
    ),
    (
        "text missing",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"author": "b"})},
        400,
        "missing_field",
        ("thread[1].text is required",),
    ),
    (
        "author missing",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "b"})},
        400,
        "missing_field",
        ("thread[1].author is required",),
    ),
    (
        "unknown message field",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "b", "author": "c", "date": "1/1"})},
        400,
        "unknown_field",
        ('"date"', "thread[1]"),
    ),
    (
        "lone surrogate",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "a\ud800b", "author": "c"})},
        400,
        "invalid_thread",
        ("thread[1].text", "surrogate"),
    ),
    (
        "too many",
        "/v1/analyze",
        {"text": "a", "thread": [{"text": "a", "author": "b"}] * 51},
        413,
        "too_many_messages",
        ("51", "50"),
    ),
    (
        "message too long",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "あ" * (M + 1), "author": "b"})},
        413,
        "message_too_long",
        ("thread[1].text", str(M + 1), str(M)),
    ),
    (
        "author too long",
        "/v1/analyze",
        {"text": "a", "thread": thread_of({"text": "a", "author": "b" * 201})},
        413,
        "message_too_long",
        ("thread[1].author", "201", "200"),
    ),
    (
        "thread too long",
        "/v1/analyze",
        {"text": "a", "thread": [{"text": "あ" * M, "author": "b"}] * 4 + [{"text": "あ", "author": "b"}]},
        413,
        "thread_too_long",
        ("20001", "20000"),
    ),
    ("thread and bad text", "/v1/analyze", {"text": 5, "thread": []}, 400, "invalid_text", ("text must be a string",)),
    ("unknown top field", "/v1/analyze", {"text": "a", "threads": []}, 400, "unknown_field", ('"threads"', "thread")),
    ("recap no messages", "/v1/recap", {}, 400, "missing_field", ('"messages"',)),
    ("recap empty", "/v1/recap", {"messages": []}, 400, "invalid_messages", ("at least one",)),
    ("recap string", "/v1/recap", {"messages": "a"}, 400, "invalid_messages", ("messages must be an array",)),
    (
        "recap item",
        "/v1/recap",
        {"messages": [{"text": 1, "author": "a"}]},
        400,
        "invalid_messages",
        ("messages[0].text must be a string",),
    ),
    (
        "recap draft number",
        "/v1/recap",
        {"messages": SETTLED, "draft": 3},
        400,
        "invalid_draft",
        ("draft must be a string",),
    ),
    (
        "recap draft too long",
        "/v1/recap",
        {"messages": SETTLED, "draft": "a" * 20_001},
        413,
        "text_too_long",
        ("draft is 20001",),
    ),
    ("recap channel", "/v1/recap", {"messages": SETTLED, "channel": "sms"}, 400, "invalid_channel", ('"sms"',)),
    (
        "recap sensitivity",
        "/v1/recap",
        {"messages": SETTLED, "sensitivity": "high"},
        400,
        "unknown_field",
        ('"sensitivity"', "messages, draft and channel"),
    ),
    ("recap text", "/v1/recap", {"text": "a"}, 400, "unknown_field", ('"text"',)),
    (
        "recap too many",
        "/v1/recap",
        {"messages": [{"text": "a", "author": "b"}] * 51},
        413,
        "too_many_messages",
        ("messages has 51",),
    ),
    ("recap array body", "/v1/recap", [SETTLED], 400, "invalid_body", ("JSON object",)),
]


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_name_the_item_and_field(
    client: FlaskClient, path: str, body: Any, status: int, code: str, words: tuple[str, ...]
) -> None:
    response = client.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.get_json()
    error = error_of(response)
    assert error["code"] == code
    for word in words:
        assert word in error["message"], error["message"]


@pytest.mark.parametrize(
    ("method", "data", "content_type", "status", "code"),
    [
        ("GET", None, None, 405, "method_not_allowed"),
        ("PUT", b"{}", "application/json", 405, "method_not_allowed"),
        ("POST", b'{"messages": []}', "text/plain", 415, "unsupported_media_type"),
        ("POST", b'{"messages": ', "application/json", 400, "invalid_json"),
        ("POST", b'{"messages": "' + b"a" * 300_000 + b'"}', "application/json", 413, "body_too_large"),
    ],
)
def test_recap_http_errors(
    client: FlaskClient, method: str, data: bytes | None, content_type: str | None, status: int, code: str
) -> None:
    kwargs: dict[str, Any] = {} if data is None else {"data": data}
    if content_type:
        kwargs["content_type"] = content_type
    response = client.open("/v1/recap", method=method, **kwargs)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_error_messages_never_quote_thread_text(client: FlaskClient) -> None:
    bodies = [
        {"text": "a", "thread": [{"text": MARKER * 400, "author": "b"}]},
        {"text": "a", "thread": [{"text": MARKER, "author": MARKER * 20}]},
        {"text": "a", "thread": [{"text": MARKER, "author": "b", "me": MARKER}]},
        {"text": "a", "thread": [{"text": MARKER, "author": "b"}] * 51},
        {"text": "a", "thread": MARKER},
        {"messages": [{"text": MARKER, "author": "b"}], "draft": MARKER * 2000},
    ]
    for body in bodies:
        response = client.post("/v1/analyze" if "text" in body else "/v1/recap", json=body)
        assert response.status_code in (400, 413)
        assert MARKER not in response.get_data(as_text=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["text", "author", "me", "x"]), inner, max_size=4)
    ),
    max_leaves=12,
)


@SETTINGS
@given(thread=json_values, route=st.sampled_from(["/v1/analyze", "/v1/recap"]))
def test_any_thread_gets_a_4xx_or_an_answer(client: FlaskClient, thread: Any, route: str) -> None:
    body = {"text": "了解です", "thread": thread} if route == "/v1/analyze" else {"messages": thread}
    response = client.post(route, data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 413)
    if response.status_code != 200:
        error_of(response)


@SETTINGS
@given(
    thread=st.lists(
        st.fixed_dictionaries(
            {"text": st.text(max_size=60), "author": st.sampled_from(["田中", "佐藤", ""])},
            optional={"me": st.booleans()},
        ),
        max_size=12,
    )
)
def test_any_valid_thread_gets_the_library_answer(client: FlaskClient, thread: list[dict[str, Any]]) -> None:
    response = client.post("/v1/analyze", json={"text": "了解です", "thread": thread})
    if any("\ud800" <= ch <= "\udfff" for m in thread for ch in m["text"]):
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert response.get_json()["thread"] == library_thread(thread, "了解です")


# ---- the OpenAPI document --------------------------------------------------------------------


def test_openapi_describes_thread_advice_exactly(client: FlaskClient) -> None:
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    thread = library_thread(PING_PONG, HARMLESS)
    assert set(schemas["ThreadAdvice"]["properties"]) == set(thread) == set(schemas["ThreadAdvice"]["required"])
    assert (
        set(schemas["ThreadReason"]["properties"])
        == set(thread["reasons"][0])
        == set(schemas["ThreadReason"]["required"])
    )
    open_question = library_thread(UNANSWERED, HARMLESS)["unanswered_questions"][0]
    assert set(schemas["Question"]["properties"]) == set(open_question) == set(schemas["Question"]["required"])
    # The analyze answer is every Advice field, each the Advice's own schema, plus thread.
    response = schemas["AnalyzeResponse"]
    assert set(response["properties"]) == set(schemas["Advice"]["properties"]) | {"thread"}
    assert response["required"] == schemas["Advice"]["required"]
    for name, prop in response["properties"].items():
        target = (
            "#/components/schemas/ThreadAdvice"
            if name == "thread"
            else f"#/components/schemas/Advice/properties/{name}"
        )
        assert prop == {"$ref": target}
    for name in ("ThreadAdvice", "ThreadReason", "Question", "Message", "RecapRequest", "Recap"):
        for prop_name, prop in schemas[name]["properties"].items():
            assert prop.get("description"), f"{name}.{prop_name} is not described"


def test_openapi_limits_match_the_settings(client: FlaskClient) -> None:
    doc = client.get("/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    assert schemas["Thread"]["maxItems"] == server_settings.MAX_THREAD_MESSAGES
    assert schemas["Message"]["properties"]["text"]["maxLength"] == server_settings.MAX_MESSAGE_CHARS
    assert schemas["Message"]["properties"]["author"]["maxLength"] == server_settings.MAX_AUTHOR_CHARS
    assert schemas["RecapRequest"]["properties"]["draft"]["maxLength"] == server_settings.MAX_TEXT_CHARS
    assert {"/v1/analyze", "/v1/recap"} <= set(doc["paths"])
    for code in ("too_many_messages", "message_too_long", "thread_too_long"):
        assert code in doc["paths"]["/v1/analyze"]["post"]["responses"]["413"]["description"]
        assert code in doc["paths"]["/v1/recap"]["post"]["responses"]["413"]["description"]


@pytest.fixture(scope="module")
def openapi_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/openapi.json", make_app())


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/analyze", {"text": HARMLESS, "thread": PING_PONG}),
        (
            "/v1/analyze",
            {
                "text": "もういいです。",
                "thread": msgs(
                    ("山田", "まだでしょうか。今日中に必要なのですが。"),
                    ("me", "申し訳ありません。"),
                    ("山田", "正直困ります。何度もお願いしていますよね！！"),
                ),
            },
        ),
        ("/v1/analyze", {"text": ROUTINE, "thread": SETTLED, "channel": "email"}),
        ("/v1/recap", {"messages": PING_PONG, "draft": HARMLESS}),
    ],
    ids=["ping-pong", "rising", "settled", "recap"],
)
def test_real_answers_match_the_document(
    openapi_schema: Any, client: FlaskClient, path: str, body: dict[str, Any]
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 200
    openapi_schema[path]["POST"].validate_response(response)  # raises on any mismatch


def test_document_examples_are_accepted(client: FlaskClient) -> None:
    doc = client.get("/openapi.json").get_json()
    for path in ("/v1/analyze", "/v1/recap"):
        for example in doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"].values():
            assert client.post(path, json=example["value"]).status_code == 200


# ---- defences and privacy --------------------------------------------------------------------


def test_recap_needs_the_token_when_configured() -> None:
    client = make_app(TOKEN="s3cret").test_client()
    assert client.post("/v1/recap", json={"messages": SETTLED}).status_code == 401
    assert (
        client.post("/v1/recap", json={"messages": SETTLED}, headers={"Authorization": "Bearer s3cret"}).status_code
        == 200
    )


def test_recap_answers_the_extension_and_refuses_web_pages(client: FlaskClient) -> None:
    response = client.post("/v1/recap", json={"messages": SETTLED}, headers={"Origin": EXTENSION_ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    response = client.post("/v1/recap", json={"messages": SETTLED}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden_origin"


def test_thread_text_never_reaches_a_log(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    thread = [{"text": MARKER, "author": MARKER}, {"text": f"{MARKER}ですか？", "author": "me", "me": True}]
    requests: list[dict[str, Any]] = [
        {"path": "/v1/analyze", "json": {"text": MARKER, "thread": thread}},
        {"path": "/v1/analyze", "json": {"text": MARKER, "thread": thread + [{"text": MARKER}]}},
        {"path": "/v1/analyze", "json": {"text": MARKER, "thread": [{"text": MARKER, "author": "a", MARKER: 1}]}},
        {"path": "/v1/analyze", "json": {"text": MARKER, "thread": [{"text": MARKER * 400, "author": "a"}]}},
        {"path": "/v1/recap", "json": {"messages": thread, "draft": MARKER}},
        {"path": "/v1/recap", "json": {"messages": thread, "channel": MARKER}},
    ]
    with caplog.at_level(logging.DEBUG):
        for kwargs in requests:
            assert client.post(**kwargs, buffered=True).status_code < 500
    lines = [r.getMessage() for r in caplog.records if r.name == "hisho_tone_server.access"]
    assert len(lines) == len(requests)
    assert {line.split(" ")[1] for line in lines} == {"/v1/analyze", "/v1/recap"}  # known paths, written as is
    assert MARKER not in caplog.text
    assert "秘密" not in caplog.text


class _AnalyzerBrokenOnThreads:
    """Analyses drafts, fails on thread messages with the text in the exception."""

    def __init__(self) -> None:
        self.real = shared_analyzer()
        self.model = self.real.model

    def analyze(self, *args: Any, **kwargs: Any) -> Any:
        return self.real.analyze(*args, **kwargs)

    def inspect(self, text: str, channel: str) -> Any:
        raise RuntimeError(f"failed on {text}")


def test_a_failure_in_thread_analysis_is_a_generic_500(caplog: pytest.LogCaptureFixture) -> None:
    client = make_app(ANALYZER=_AnalyzerBrokenOnThreads()).test_client()
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/analyze", json={"text": "了解です", "thread": [{"text": MARKER, "author": "a"}]})
        recap = client.post("/v1/recap", json={"messages": [{"text": MARKER, "author": "a"}]})
    assert response.status_code == recap.status_code == 500
    assert error_of(response)["code"] == "internal_error"
    assert MARKER not in response.get_data(as_text=True) + recap.get_data(as_text=True)
    assert "RuntimeError" in caplog.text and MARKER not in caplog.text
