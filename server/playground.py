"""The playground page: type a draft, see the advice live (static files under ``static/``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from flask import Blueprint, Response

bp = Blueprint("playground", __name__)


@lru_cache(maxsize=1)
def _page() -> bytes:
    # read once: a few kilobytes, served from memory rather than through an open file per request
    return resources.files(__package__).joinpath("static", "index.html").read_bytes()


@bp.get("/")
def index() -> Response:
    """Serve the playground page."""
    response = Response(_page(), mimetype="text/html")
    response.cache_control.no_cache = True
    return response
