"""Errors as ``application/problem+json`` (RFC 9457), for every route and every failure."""

from __future__ import annotations

import logging
from urllib.parse import quote

import orjson
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..errors import BadParameter, NotFound, NotInVersion, StoreError

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(Exception):
    """An error the API answers with: status, a short title, a detail for people,
    and extra members (``parameter``, ``close_matches``...) for programs."""

    def __init__(self, status: int, title: str, detail: str, **extra):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra


def bad_parameter(parameter: str, detail: str, allowed: list[str] = ()) -> Problem:
    extra = {"allowed": list(allowed)} if allowed else {}
    valid = f"; valid values: {', '.join(allowed)}" if allowed else ""
    return Problem(400, "Bad parameter", f"{parameter}: {detail}{valid}", parameter=parameter, **extra)


def problem_response(problem: Problem) -> Response:
    body = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": quote(request.script_root + request.path, safe="/:@!$&'()*+,;=~"),  # a URI reference
        **problem.extra,
    }
    return Response(orjson.dumps(body), status=problem.status, mimetype=PROBLEM_TYPE)


def domain_problem(error: Exception) -> Problem:
    """The problem a lookup, parameter or store error of the glossary's core means for a client."""
    if isinstance(error, NotInVersion):
        return Problem(404, "Not in this version", str(error), close_matches=error.close_matches,
                       present_in=error.present_in)
    if isinstance(error, NotFound):
        return Problem(404, f"Unknown {error.what}", str(error), close_matches=error.close_matches)
    if isinstance(error, BadParameter):
        return bad_parameter(error.parameter, error.detail, error.allowed)
    return Problem(503, "Store unavailable", str(error))


DOMAIN_ERRORS = (NotFound, BadParameter, StoreError)


def http_problem(error: HTTPException) -> Response:
    response = problem_response(Problem(error.code or 500, error.name, error.description or error.name))
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def register(app: Flask) -> None:
    """Problems for the API's own errors, the core's lookups and bugs.

    A blueprint may answer the core's errors its own way (the web pages do, in
    HTML); HTTP errors (an unknown URL) are the application's to answer, see
    glossary.app.
    """

    @app.errorhandler(Problem)
    def _problem(problem: Problem):
        return problem_response(problem)

    for error_type in DOMAIN_ERRORS:
        app.register_error_handler(error_type, lambda error: problem_response(domain_problem(error)))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error on %s", request.path)
        return problem_response(Problem(500, "Internal Server Error", "the server could not answer this request"))
