"""The HTTP face: a Flask application factory over the Catalog.

    gunicorn 'glossary.api:create_app()'          # the embedded store
    GLOSSARY_STORE=/path/to/store gunicorn 'glossary.api:create_app()'
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, url_for

from ..catalog import Catalog
from ..store import Store, locate_store
from . import caching, problems
from .openapi import docs
from .routes import api


def create_app(store_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.extensions["glossary.catalog"] = Catalog(Store(locate_store(store_dir)), cache_dir)
    app.register_blueprint(api)
    app.register_blueprint(docs)
    problems.register(app)
    caching.register(app)

    @app.get("/")
    def home():
        return redirect(url_for("openapi.openapi_page"))

    return app
