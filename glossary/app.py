"""The HTTP application: the JSON API under /api/v1 and the reviewer's pages everywhere else, over one Catalog.

    gunicorn 'glossary.api:create_app()'          # the embedded store
    GLOSSARY_STORE=/path/to/store gunicorn 'glossary.api:create_app()'

The blueprints of glossary.api and glossary.web reach the Catalog with
``get_catalog()`` and keep finished answers with ``@remembered``.
"""

from __future__ import annotations

import functools
import gc
from pathlib import Path

from flask import Flask, current_app, g, redirect, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from .catalog import Catalog
from .memo import Memo
from .store import Store, locate_store

API_PREFIX = "/api/"
# Pages load their script, style and images from this site only, and nothing inline: an injected
# <script> or style="" would not run. No site may frame them.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Anything else (JSON, exports) is never a document that runs anything.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
# The budget of @remembered: finished answers (response bodies, rendered pages), in bytes.
REMEMBERED_BYTES = 32 * 1024 * 1024
# What flask-compress gzips (when the client accepts it): every text the application answers.
# Python's collection thresholds in a serving process: young objects collected every 2,000
# allocations instead of 700, and so full collections (the ones that walk everything) less often.
SERVING_GC_THRESHOLDS = (2000, 10, 20)
COMPRESSED_TYPES = ["application/json", "application/problem+json", "text/html", "text/css", "text/javascript",
                    "application/javascript", "application/atom+xml", "text/csv", "text/plain", "application/xml",
                    "text/turtle", "application/ld+json"]


def create_app(store_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> Flask:
    # The blueprints import this module (get_catalog, remembered): they are loaded here, not above.
    from .api import caching, problems
    from .api.authoring import authoring
    from .api.openapi import docs
    from .api.routes import api
    from .web import web
    from .web.errors import http_error as html_error_page

    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.extensions["glossary.catalog"] = Catalog(Store(locate_store(store_dir)), cache_dir)
    app.extensions["glossary.remembered"] = Memo(REMEMBERED_BYTES, largest=REMEMBERED_BYTES // 16)
    for blueprint in (api, authoring, docs, web):
        app.register_blueprint(blueprint)
    problems.register(app)
    caching.register(app)
    # Registered after caching, so that it runs before it: the ETag is that of the bytes sent.
    app.config.update(COMPRESS_MIMETYPES=COMPRESSED_TYPES, COMPRESS_ALGORITHM=["gzip"], COMPRESS_MIN_SIZE=500)
    Compress(app)
    app.after_request(_security_headers)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        """An unknown URL or method: problem+json under the API, an HTML page for a reader elsewhere.

        A URL that is unknown only for its trailing slash redirects to the one without.
        """
        without_slash = _known_without_trailing_slash(app) if isinstance(error, NotFound) else None
        if without_slash is not None:
            return redirect(without_slash, 308)
        if request.path.startswith(API_PREFIX):
            return problems.http_problem(error)
        return html_error_page(error)

    return app


def prepare_for_serving(app: Flask) -> None:
    """Before a server process's first request: read what nearly every answer needs, and keep
    what is read once out of Python's cycle collector.

    The modules, the newest version and the indexes are most of a process's
    objects. A full collection walks every object (about 40 ms on the
    embedded store) and stalls every request of the process meanwhile: the
    slowest answers under load were those. Frozen, they are never walked.
    """
    app.extensions["glossary.catalog"].warm()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


def _known_without_trailing_slash(app: Flask) -> str | None:
    """This request's URL without the trailing slash of its path, if the application has that path."""
    path = request.path
    if len(path) < 2 or not path.endswith("/"):
        return None
    stripped = path.rstrip("/") or "/"
    try:
        app.url_map.bind_to_environ(request.environ).match(stripped, method=request.method)
    except MethodNotAllowed:
        pass
    except HTTPException:
        return None
    query = request.query_string.decode("latin-1")
    return request.script_root + stripped + (f"?{query}" if query else "")


def _security_headers(response):
    """Every answer: the browser takes its media type as given, frames nothing, and sends no referrer elsewhere."""
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Security-Policy"] = PAGE_POLICY if response.mimetype == "text/html" else DATA_POLICY
    return response


def get_catalog() -> Catalog:
    return current_app.extensions["glossary.catalog"]


def remembered(view):
    """Answer a request answered before (same root, view, path and query) from memory, until the store changes.

    An answer depends only on the store's content and the request: a 200's
    bytes are kept, with the versions the answer named (for the caching
    headers, see glossary.api.caching); errors and redirects are not.
    """

    @functools.wraps(view)
    def answer_from_memory(**path):
        # Parameters in any order are one request, but a repeated one is read by its first value.
        key = (request.script_root, request.endpoint, tuple(sorted(path.items())),
               tuple(sorted(request.args.items(multi=True), key=lambda item: item[0])))
        memo: Memo = current_app.extensions["glossary.remembered"]
        generation = get_catalog().current_generation()
        found = memo.get(key, generation)
        if found is not None:
            body, mimetype, versions = found
            g.versions_requested = list(versions)
            return current_app.response_class(body, mimetype=mimetype)
        response = current_app.make_response(view(**path))
        if response.status_code == 200 and not response.direct_passthrough:
            body = response.get_data()
            kept = (body, response.mimetype, tuple(g.get("versions_requested", ())))
            memo.put(key, kept, len(body) + len(repr(key)), generation)
        return response

    return answer_from_memory
