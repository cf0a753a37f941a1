"""The application bench/api.py serves: the glossary's, plus GET /api/v1/_ping.

``_ping`` is a trivial answer that goes through the same app, hooks and
headers as the real routes: bench/api.py measures the other routes against
it. It is not part of the API, so the production factory does not have it.

    gunicorn 'bench.serving:create_app()'   (from the repository root)
"""

from __future__ import annotations

from flask import Flask, jsonify

from glossary.app import create_app as create_glossary_app

PING_PATH = "/api/v1/_ping"


def create_app(store_dir=None, cache_dir=None) -> Flask:
    app = create_glossary_app(store_dir, cache_dir)

    @app.get(PING_PATH)
    def ping():
        return jsonify(ok=True)

    return app
