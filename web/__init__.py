"""Flask front end: create_app builds the chat page and JSON API around one Assistant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from assistant import Assistant


def create_app(config: Mapping | None = None, *, assistant: Assistant | None = None) -> Flask:
    """Build the app: defaults in code, then `config`, then one Assistant shared by all requests.

    Args:
        config: Flask settings, e.g. ``ASSISTANT_CONFIG`` (YAML settings file) and ``ASSISTANT_CORPUS``
            (documents folder); both default to the engine's own lookup (``$ASSISTANT_CONFIG``,
            ./config.yaml, the config's ``corpus.path``).
        assistant: an Assistant already built (tests share one); when given, the two keys are unused.
    Raises:
        ConfigError: the settings file is invalid.
        CorpusError: the corpus cannot be loaded.
    """
    # Imported here, as flaskr does: `python -m web` sets up the process (BLAS threads) before numpy loads.
    from assistant import Assistant

    from . import api, chat, errors, security
    from .validation import MAX_BODY_BYTES

    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, ASSISTANT_CONFIG=None, ASSISTANT_CORPUS=None)
    if config is not None:
        app.config.from_mapping(config)
    if assistant is None:
        assistant = Assistant.from_config(
            app.config["ASSISTANT_CONFIG"], corpus=app.config["ASSISTANT_CORPUS"]
        )
        app.extensions["live_assistant"] = _live(app, assistant)
    app.extensions["assistant"] = assistant
    # Keep the engine's key order (question first) so answers read naturally with curl.
    app.json.sort_keys = False
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    errors.init_app(app)
    security.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(chat.bp)

    @app.context_processor
    def _page_settings() -> dict:
        return {"web": assistant.settings.web}

    return app


def _live(app: Flask, assistant: Assistant):
    """Watch the corpus's stamp, so that `python -m assistant add` reaches this server without a restart."""
    from assistant import Assistant
    from assistant.retrieve.stamp import stamp_path

    from .live import CHECK_SECONDS, LiveAssistant

    config, corpus = app.config["ASSISTANT_CONFIG"], app.config["ASSISTANT_CORPUS"]
    directory = corpus or assistant.settings.corpus.path
    return LiveAssistant(
        assistant,
        lambda: Assistant.from_config(config, corpus=corpus),
        stamp_path(assistant.settings.retrieval.index_dir, directory),
        check_seconds=app.config.get("ASSISTANT_RELOAD_SECONDS", CHECK_SECONDS),
    )
