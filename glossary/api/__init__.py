"""The HTTP face: a Flask application factory over the Catalog: the JSON API
under /api/v1 and the reviewer's pages (glossary.web) everywhere else.

    gunicorn 'glossary.api:create_app()'          # the embedded store
    GLOSSARY_STORE=/path/to/store gunicorn 'glossary.api:create_app()'

``benchmark_route=True`` (or GLOSSARY_BENCHMARK_ROUTE=1) adds GET /api/v1/_ping,
a trivial answer that goes through the same app, hooks and headers as the
real routes: bench/api.py measures the other routes against it. It is not part
of the API and not in the OpenAPI document.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify

from ..catalog import Catalog
from ..store import Store, locate_store
from ..web import web
from ..web.errors import http_error as html_error_page
from . import caching, problems
from .authoring import authoring
from .openapi import docs
from .routes import api


BENCHMARK_ROUTE_ENV = "GLOSSARY_BENCHMARK_ROUTE"


def create_app(store_dir: str | Path | None = None, cache_dir: str | Path | None = None,
               benchmark_route: bool | None = None) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.extensions["glossary.catalog"] = Catalog(Store(locate_store(store_dir)), cache_dir)
    app.register_blueprint(api)
    app.register_blueprint(authoring)
    app.register_blueprint(docs)
    app.register_blueprint(web)
    problems.register(app, html_error_page=html_error_page)
    caching.register(app)

    if benchmark_route is None:
        benchmark_route = os.environ.get(BENCHMARK_ROUTE_ENV, "") not in ("", "0")
    if benchmark_route:
        @app.get("/api/v1/_ping")
        def ping():
            return jsonify(ok=True)

    return app
