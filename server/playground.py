"""The playground page: type a draft, see the advice live (static files under ``static/``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

bp = Blueprint("playground", __name__)


@bp.get("/")
def index() -> Response:
    """Serve the playground page."""
    response = current_app.send_static_file("index.html")
    response.cache_control.no_cache = True
    return response
