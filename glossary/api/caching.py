"""HTTP caching and cross-origin reads for the API.

A stored version never changes, so an answer that only depends on versions
the request names may be cached for long; an answer that depends on "the
newest version" (or lists the versions) may change when a version is
imported, so it is cached briefly and revalidated with its ETag. Every GET
of the API may be read by pages of other origins (embedding), preflights
included; the HTML pages may not.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from ..app import API_PREFIX
from ..model import is_moving_version_name

PINNED_MAX_AGE = 86400
MOVING_MAX_AGE = 60


def note_version_used(requested: str | None) -> None:
    """Views call this for every version an answer depends on, as the request named it."""
    g.setdefault("versions_requested", []).append((requested or "").strip().lower())


def _pinned() -> bool:
    requested = g.get("versions_requested", [])
    return bool(requested) and not any(is_moving_version_name(name) for name in requested)


def register(app: Flask) -> None:
    @app.after_request
    def _cache_and_cors(response: Response) -> Response:
        api = request.path.startswith(API_PREFIX)
        if api and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            # A CORS preflight, e.g. for a GET that sets If-None-Match itself: reads are allowed.
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Cache-Control"
            response.headers["Access-Control-Max-Age"] = str(PINNED_MAX_AGE)
            return response
        if request.method not in ("GET", "HEAD"):
            return response
        if api:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "ETag"
        if response.status_code != 200 or response.direct_passthrough:
            return response
        max_age = PINNED_MAX_AGE if _pinned() else MOVING_MAX_AGE
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        response.add_etag()
        return response.make_conditional(request)
