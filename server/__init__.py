"""hisho-tone's local HTTP service: the JSON API, the playground page and their defences.

Installed as ``hisho_tone_server``; ``hisho-tone serve`` runs it with waitress (see ``serve.run``).
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any, Mapping

from flask import Flask

import hisho_tone
from hisho_tone.thread import MessageCache
from hisho_tone.tokenize import warm_up

from . import api, errors, guard, playground, settings
from .accesslog import AccessLog
from .serve import run

__all__ = ["create_app", "run"]

log = logging.getLogger("hisho_tone_server")


class _App(Flask):
    def log_exception(self, exc_info: Any) -> None:
        # Flask's default logs the traceback, whose messages could quote the draft: the type is enough.
        log.error("internal error while handling a request: %s", type(exc_info[1]).__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings (defaults < environment < ``config``), the analyzer, routes, defences.

    ``config`` keys: TOKEN, ALLOWED_ORIGINS, ALLOWED_HOSTS, ANY_HOST, MAX_TEXT_CHARS,
    MAX_CONTENT_LENGTH, MESSAGE_CACHE_CHARS, ANALYZER (a ready ``hisho_tone.Analyzer``), TESTING.
    """
    app = _App(__name__, static_folder="static", static_url_path="/static")
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.config["ALLOWED_ORIGINS"] = settings.check_origins(settings.split_list(app.config["ALLOWED_ORIGINS"]))
    app.config["ALLOWED_HOSTS"] = tuple(h.lower() for h in settings.split_list(app.config["ALLOWED_HOSTS"]))
    app.json.sort_keys = False  # keep Advice.to_dict()'s order
    app.json.ensure_ascii = False  # readable Japanese; lone surrogates are refused before they get here

    warm_up()
    app.extensions["hisho_tone"] = app.config["ANALYZER"] or hisho_tone.default_analyzer()
    # thread messages already analysed, bounded by characters (see hisho_tone.thread.MessageCache)
    analyzer = app.extensions["hisho_tone"]
    app.extensions["hisho_tone_messages"] = MessageCache(analyzer, app.config["MESSAGE_CACHE_CHARS"])
    app.extensions["hisho_tone_openapi"] = _openapi_document()

    errors.init_app(app)
    guard.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(playground.bp)
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _openapi_document() -> bytes:
    document = json.loads(resources.files(__name__).joinpath("openapi.json").read_text(encoding="utf-8"))
    document["info"]["version"] = hisho_tone.__version__
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
