"""Every error is JSON ``{"error": {"code", "message"}}``; nothing a client sends can produce a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("hisho_tone_server")

# Stable codes for Werkzeug's HTTP errors; the API's own errors (ApiError) pick theirs where raised.
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    411: "length_required",
    413: "body_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    431: "headers_too_large",
}
_HTTP_MESSAGES = {
    404: "No such endpoint. The API has POST /v1/analyze, POST /v1/recap and GET /v1/health; see /openapi.json.",
    405: "This endpoint does not accept that method; see the Allow header.",
    413: "The request body is too large.",
}
# Headers of a Werkzeug error worth keeping on the JSON answer (405 → Allow, 401 → WWW-Authenticate).
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


class ApiError(HTTPException):
    """An error with a stable ``code`` and a sentence that names the offending value."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code = status
        self.error_code = code
        self.extra_headers = headers or {}


def error_response(status: int, code: str, message: str, headers: Any = None) -> Response:
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    for name, value in dict(headers or {}).items():
        response.headers[name] = value
    return response


def shown(value: Any, limit: int = 40) -> str:
    """A client-supplied value, quoted and shortened, safe to put in an error message."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return '"' + text.encode("utf-8", "replace").decode("utf-8") + '"'


def _http_error(exc: HTTPException) -> Response:
    if isinstance(exc, ApiError):
        return error_response(exc.code, exc.error_code, str(exc.description), exc.extra_headers)
    status = exc.code or 500
    if status >= 500:
        return _internal_error(exc)
    headers = {k: v for k, v in exc.get_headers() if k in _KEPT_HEADERS}
    code = _HTTP_CODES.get(status, "client_error")
    message = _HTTP_MESSAGES.get(status) or _first_sentence(exc.description) or "The request was not accepted."
    return error_response(status, code, message, headers)


def _first_sentence(description: str | None) -> str:
    # Werkzeug's default descriptions are fixed English text and never contain request data.
    return (description or "").strip().split("\n")[0]


def _internal_error(exc: BaseException) -> Response:
    # Only the exception's type: its message or traceback could quote the draft.
    log.error("internal error while handling a request: %s", type(exc).__name__)
    return error_response(500, "internal_error", "The service failed to handle the request. Please try again.")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)
