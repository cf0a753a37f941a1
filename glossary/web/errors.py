"""Errors as HTML pages (the API answers problem+json; a reader of these pages wants links).

An unknown term or version is a 404 that links the close matches, each to
the same page with the wrong name replaced; a bad parameter is a 400 that
links the values allowed. Handlers must not raise: an exception raised here
would be a 500.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from ..errors import BadParameter, NotFound, NotInVersion, StoreError
from .blueprint import web
from ..app import get_catalog as catalog
from .helpers import term_url, url_with
from .links import page_url

log = logging.getLogger(__name__)


@dataclass
class Suggestion:
    label: str
    url: str


def error_page(status: int, title: str, message: str, suggestions: list[Suggestion] = (),
               suggestions_intro: str = "Did you mean:", searched: str | None = None):
    html = render_template("error.html", status=status, title=title, message=message,
                           suggestions=list(suggestions), suggestions_intro=suggestions_intro,
                           searched=searched, json_url=None)
    return html, status


def replacing(wrong: str, names: list[str]) -> list[Suggestion]:
    """This page's URL with the path or query value ``wrong`` replaced by each of ``names``."""
    suggestions = []
    view_args = request.view_args or {}
    for name in names:
        path = {key: (name if value == wrong else value) for key, value in view_args.items()}
        query = {key: name for key, value in request.args.items() if value.strip() == wrong}
        try:
            url = page_url(request.endpoint, {**request.args.to_dict(), **query}, **path)
        except BuildError:  # a name that cannot stand in the path
            continue
        suggestions.append(Suggestion(name, url))
    return suggestions


@web.errorhandler(NotFound)
def not_found(error: NotFound):
    if error.what == "version":
        return error_page(404, "Unknown version", f"There is no version “{error.name}”.",
                          replacing(error.name, error.close_matches or _all_versions()))
    if error.where is None:
        message = f"No version defines a {error.what} “{error.name}”."
    else:
        message = f"There is no {error.what} “{error.name}” in {error.where}."
    return error_page(404, f"Unknown {error.what}", message,
                      replacing(error.name, error.close_matches), searched=error.name)


@web.errorhandler(NotInVersion)
def not_in_version(error: NotInVersion):
    return error_page(404, f"{error.term} is not in {error.where}",
                      f"“{error.term}” is defined in {len(error.present_in)} other version(s), "
                      f"not in {error.where}: it {error.appears}.",
                      [Suggestion(name, term_url(error.term_id, name)) for name in reversed(error.present_in)],
                      suggestions_intro="Read it in:")


@web.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return error_page(400, "Bad parameter", f"{error.parameter}: {error.detail}",
                      [Suggestion(value, url_with({error.parameter: value})) for value in error.allowed],
                      suggestions_intro=f"Values {error.parameter} may take:")


@web.errorhandler(StoreError)
def store_error(error: StoreError):
    log.error("store error on %s: %s", request.path, error)
    return error_page(503, "Store unavailable", "The glossary cannot read its store right now.")


@web.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return error_page(error.code or 500, error.name, error.description or error.name)


@web.errorhandler(Exception)
def unexpected(error: Exception):
    log.exception("unexpected error on %s", request.path)
    return error_page(500, "Internal error", "Something went wrong while preparing this page.")


def _all_versions() -> list[str]:
    try:
        return [entry["name"] for entry in catalog().entries()]
    except StoreError:
        return []
