"""The JSON API: ``POST /v1/analyze``, ``GET /v1/health`` and the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

import hisho_tone
from hisho_tone import CHANNELS, SENSITIVITIES
from hisho_tone.analyzer import WINDOW_CHARS

from .errors import ApiError, shown

bp = Blueprint("api", __name__)

_FIELDS = ("text", "channel", "sensitivity")
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}


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
        raise ApiError(415, "unsupported_media_type", f"Send the body as JSON with Content-Type: application/json (got {got}).")
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


def _analyze_request() -> tuple[str, str, str]:
    """(text, channel, sensitivity) from the body, or the 4xx that says what is wrong."""
    body = _read_json()
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", f'The body must be a JSON object like {{"text": "..."}}, not a {_type_name(body)}.')
    unknown = [key for key in body if key not in _FIELDS]
    if unknown:
        raise ApiError(400, "unknown_field", f"Unknown field {shown(unknown[0])}; the fields are text, channel and sensitivity.")
    if "text" not in body:
        raise ApiError(400, "missing_field", 'The field "text" is required.')
    text = body["text"]
    if not isinstance(text, str):
        raise ApiError(400, "invalid_text", f"text must be a string, not a {_type_name(text)}.")
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) > limit:
        raise ApiError(413, "text_too_long", f"text is {len(text)} characters; the limit is {limit}.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800": not a Unicode string
        raise ApiError(400, "invalid_text", "text contains an unpaired surrogate escape, which is not valid Unicode.") from None
    channel = _choice(body, "channel", CHANNELS, "chat")
    sensitivity = _choice(body, "sensitivity", SENSITIVITIES, "normal")
    return text, channel, sensitivity


@bp.post("/v1/analyze")
def analyze() -> Response:
    """Analyse one draft and answer the Advice as JSON."""
    text, channel, sensitivity = _analyze_request()
    advice = _analyzer().analyze(text, channel=channel, sensitivity=sensitivity)
    return jsonify(advice.to_dict())


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
