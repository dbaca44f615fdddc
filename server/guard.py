"""Defences of a server that every web page can reach: Host, Origin, CORS, bearer token, headers.

Any page the user visits can send requests to 127.0.0.1. DNS rebinding is stopped by accepting only
``Host`` headers that name the loopback; cross-origin reads by answering requests that carry an
``Origin`` only for the extension and the playground itself; a configured token gates /v1/*.
"""

from __future__ import annotations

import hmac

from flask import Flask, Response, current_app, request

from . import settings
from .errors import ApiError, shown

_PREFLIGHT_MAX_AGE = "600"
_ALLOWED_METHODS = "GET, POST, OPTIONS"
_ALLOWED_HEADERS = "Content-Type, Authorization"
_PLAYGROUND_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def check_host() -> None:
    """403 unless the Host header names the loopback (or a host allowed with --allow-remote)."""
    header = request.environ.get("HTTP_HOST", "")
    name = settings.host_name(header) if header else None
    if name is None:
        raise ApiError(403, "forbidden_host", "The Host header is missing or malformed.")
    if settings.is_loopback(name) or name in current_app.config["ALLOWED_HOSTS"] or current_app.config["ANY_HOST"]:
        return
    raise ApiError(
        403,
        "forbidden_host",
        f"Host {shown(name)} is not served: use http://127.0.0.1 or http://localhost.",
    )


def own_origin() -> str:
    """The playground's origin: the scheme and Host this request came to."""
    return f"{request.scheme}://{request.environ.get('HTTP_HOST', '')}".lower()


def cross_origin() -> str | None:
    """The request's Origin when it is an allowed cross-origin caller; None when same-origin or absent.

    Raises 403 for any other origin (web pages, ``null``).
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return None  # curl, scripts, top-level navigation: no browser page is asking
    if origin.lower() == own_origin():
        return None
    if settings.origin_allowed(origin, current_app.config["ALLOWED_ORIGINS"]):
        return origin
    raise ApiError(
        403,
        "forbidden_origin",
        f"Origin {shown(origin)} may not call this service; only the extension and the playground may.",
    )


def check_token() -> None:
    """401 on /v1/* unless the configured bearer token is sent."""
    token = current_app.config["TOKEN"]
    if not token or not request.path.startswith("/v1/"):
        return
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
        return
    raise ApiError(
        401,
        "unauthorized",
        "This service requires a token: send the header Authorization: Bearer <token>.",
        {"WWW-Authenticate": 'Bearer realm="hisho-tone"'},
    )


def before_request() -> Response | None:
    check_host()
    origin = cross_origin()
    if request.method == "OPTIONS" and origin and "Access-Control-Request-Method" in request.headers:
        return preflight(origin)
    if request.method != "OPTIONS":
        check_token()
    return None


def preflight(origin: str) -> Response:
    """The answer to a CORS preflight from an allowed origin (the token is checked on the real request)."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = _ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = _ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = _PREFLIGHT_MAX_AGE
    if request.headers.get("Access-Control-Request-Private-Network") == "true":
        response.headers["Access-Control-Allow-Private-Network"] = "true"
    return response


def after_request(response: Response) -> Response:
    """CORS headers for allowed callers; no caching, no sniffing, no framing."""
    origin = request.headers.get("Origin")
    if (
        origin
        and origin.lower() != own_origin()
        and settings.origin_allowed(origin, current_app.config["ALLOWED_ORIGINS"])
    ):
        response.headers["Access-Control-Allow-Origin"] = origin
    response.vary.add("Origin")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = _PLAYGROUND_CSP
    if request.path.startswith("/v1/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(before_request)
    app.after_request(after_request)
