"""The JSON API: ``POST /v1/analyze`` (with an optional thread), ``POST /v1/recap``, ``GET /v1/health``
and the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

import hisho_tone
from hisho_tone import CHANNELS, SENSITIVITIES
from hisho_tone.analyzer import WINDOW_CHARS

from .errors import ApiError, shown
from .settings import MAX_AUTHOR_CHARS

bp = Blueprint("api", __name__)

_FIELDS = ("text", "channel", "sensitivity", "thread")
_RECAP_FIELDS = ("messages", "draft", "channel")
_MESSAGE_FIELDS = ("text", "author", "me")
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}


def _analyzer() -> hisho_tone.Analyzer:
    return current_app.extensions["hisho_tone"]


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _read_json() -> Any:
    """The request body parsed as JSON; 413, 415 or 400 with a sentence saying what to send."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "body_too_large", f"The body is {request.content_length} bytes; the limit is {limit}.")
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        got = shown(mimetype, 60) if mimetype else "none"
        raise ApiError(
            415, "unsupported_media_type", f"Send the body as JSON with Content-Type: application/json (got {got})."
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type", f"JSON must be UTF-8, not charset {shown(charset)}.")
    raw = request.get_data(cache=False)  # Werkzeug raises 413 past MAX_CONTENT_LENGTH, chunked too
    try:
        return json.loads(raw.decode("utf-8-sig"))  # a leading BOM is tolerated (RFC 8259 allows it)
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "The body is not valid UTF-8.") from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; deep nesting recurses
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ApiError(400, "invalid_json", f"The body is not valid JSON{where}.") from None


def _choice(body: dict[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = body.get(name, default)
    if not isinstance(value, str) or value not in choices:
        got = shown(value) if isinstance(value, str) else f"a {_type_name(value)}"
        raise ApiError(400, f"invalid_{name}", f"{name} must be one of {', '.join(choices)}; got {got}.")
    return value


def _object_body(example: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """The body as a JSON object with only known ``fields``, or the 4xx that says what to send."""
    body = _read_json()
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", f"The body must be a JSON object like {example}, not a {_type_name(body)}.")
    unknown = [key for key in body if key not in fields]
    if unknown:
        names = ", ".join(fields[:-1]) + f" and {fields[-1]}"
        raise ApiError(400, "unknown_field", f"Unknown field {shown(unknown[0])}; the fields are {names}.")
    return body


def _string(value: Any, name: str, code: str, limit: int, too_long: str) -> str:
    """``value`` as a valid Unicode string of at most ``limit`` characters (``name`` says where it was)."""
    if not isinstance(value, str):
        raise ApiError(400, code, f"{name} must be a string, not a {_type_name(value)}.")
    if len(value) > limit:
        raise ApiError(413, too_long, f"{name} is {len(value)} characters; the limit is {limit}.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800": not a Unicode string
        raise ApiError(
            400, code, f"{name} contains an unpaired surrogate escape, which is not valid Unicode."
        ) from None
    return value


def _text(body: dict[str, Any], name: str) -> str:
    return _string(body[name], name, f"invalid_{name}", current_app.config["MAX_TEXT_CHARS"], "text_too_long")


def _messages(value: Any, name: str) -> list[dict[str, Any]]:
    """A conversation ``[{"text", "author", "me"?}, ...]`` (oldest first), checked item by item.

    Wrong shapes are 400 naming the item and field (``thread[3].text must be a string``); too many
    messages, or too much text in one or in all, is 413.
    """
    config = current_app.config
    code = f"invalid_{name}"
    if not isinstance(value, list):
        raise ApiError(
            400,
            code,
            f'{name} must be an array of messages like [{{"text": "...", "author": "..."}}], not a {_type_name(value)}.',
        )
    if len(value) > config["MAX_THREAD_MESSAGES"]:
        raise ApiError(
            413,
            "too_many_messages",
            f"{name} has {len(value)} messages; the limit is {config['MAX_THREAD_MESSAGES']}, the most a thread analysis "
            "reads (send the latest ones).",
        )
    out = []
    total = 0
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise ApiError(400, code, f"{where} must be an object with text and author, not a {_type_name(item)}.")
        unknown = [key for key in item if key not in _MESSAGE_FIELDS]
        if unknown:
            raise ApiError(
                400,
                "unknown_field",
                f"Unknown field {shown(unknown[0])} in {where}; a message has text, author and me.",
            )
        for required in ("text", "author"):
            if required not in item:
                raise ApiError(400, "missing_field", f"{where}.{required} is required.")
        text = _string(item["text"], f"{where}.text", code, config["MAX_MESSAGE_CHARS"], "message_too_long")
        author = _string(item["author"], f"{where}.author", code, MAX_AUTHOR_CHARS, "message_too_long")
        me = item.get("me", False)
        if not isinstance(me, bool):
            raise ApiError(400, code, f"{where}.me must be true or false, not a {_type_name(me)}.")
        total += len(text)
        out.append({"text": text, "author": author, "me": me})
    if total > config["MAX_THREAD_CHARS"]:
        raise ApiError(
            413,
            "thread_too_long",
            f"{name} holds {total} characters in all; the limit is {config['MAX_THREAD_CHARS']}.",
        )
    return out


def _analyze_request() -> tuple[str, str, str, list[dict[str, Any]] | None]:
    """(text, channel, sensitivity, thread or None) from the body, or the 4xx that says what is wrong."""
    body = _object_body('{"text": "..."}', _FIELDS)
    if "text" not in body:
        raise ApiError(400, "missing_field", 'The field "text" is required.')
    text = _text(body, "text")
    channel = _choice(body, "channel", CHANNELS, "chat")
    sensitivity = _choice(body, "sensitivity", SENSITIVITIES, "normal")
    thread = _messages(body["thread"], "thread") if "thread" in body else None
    return text, channel, sensitivity, thread


@bp.post("/v1/analyze")
def analyze() -> Response:
    """Analyse one draft (in its thread, when one is sent) and answer the Advice as JSON."""
    text, channel, sensitivity, thread = _analyze_request()
    analyzer = _analyzer()
    if thread is None:
        return jsonify(analyzer.analyze(text, channel=channel, sensitivity=sensitivity).to_dict())
    # The draft is analysed once, inside the thread (its advice is the thread's ``draft``), and the
    # messages come from the app's cache: typing in a long thread costs one analysis per request.
    # The draft's own advice stays the top level; the conversation's verdict comes beside it.
    verdict = hisho_tone.analyze_thread(
        thread,
        draft=text,
        channel=channel,
        sensitivity=sensitivity,
        analyzer=analyzer,
        cache=current_app.extensions["hisho_tone_messages"],
    ).to_dict()
    advice = dict(verdict["draft"])
    advice["thread"] = verdict
    return jsonify(advice)


@bp.post("/v1/recap")
def recap() -> Response:
    """Draft the written recap to send after a call about the conversation."""
    body = _object_body('{"messages": [{"text": "...", "author": "..."}]}', _RECAP_FIELDS)
    if "messages" not in body:
        raise ApiError(400, "missing_field", 'The field "messages" is required.')
    messages = _messages(body["messages"], "messages")
    if not messages:
        raise ApiError(400, "invalid_messages", "messages must hold at least one message to recap.")
    draft = _text(body, "draft") if "draft" in body else None
    channel = _choice(body, "channel", CHANNELS, "chat")
    return jsonify(recap=hisho_tone.recap_template(messages, draft=draft, analyzer=_analyzer(), channel=channel))


@bp.get("/v1/health")
def health() -> Response:
    """Say the service is up, with its version, model id and limits."""
    analyzer = _analyzer()
    return jsonify(
        status="ok",
        version=hisho_tone.__version__,
        model=analyzer.model.id if analyzer.model is not None else "cues",
        limits={
            "max_text_chars": current_app.config["MAX_TEXT_CHARS"],
            "max_body_bytes": current_app.config["MAX_CONTENT_LENGTH"],
            "analyzed_chars": WINDOW_CHARS,
        },
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 document describing this service."""
    return Response(current_app.extensions["hisho_tone_openapi"], mimetype="application/json")
