"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas,
and a page that shows it to people: Swagger UI, served from the flask-swagger-ui
package's files (offline, no CDN), with a plain list for readers without JavaScript."""

from __future__ import annotations

import os
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, abort, current_app, jsonify, render_template_string, send_from_directory, url_for

from .. import __version__
from ..app import get_catalog
from .schemas import ProblemSchema

docs = Blueprint("openapi", __name__, url_prefix="/api/v1")

_ERROR_TEXT = {400: "A query parameter (or the body) is wrong", 404: "Unknown version or term",
               413: "The request body is too large", 415: "The request body's Content-Type is not one of those listed",
               503: "The store is unavailable"}
_PATH_PARAMETERS = {
    "version": {"description": 'A version name, "latest", "newest-revision" or "oldest"', "example": "latest"},
    "term": {"description": "An id, term or alias, case and punctuation insensitive", "example": "C2"},
}


def build_spec(app: Flask, kinds: list[str] = ()) -> dict:
    """The document; ``kinds``, those of the store, are what every ``kind`` parameter may take."""
    spec = APISpec(
        title="RFC 7228bis glossary",
        version=__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Terms of RFC 7228 and every revision of its bis draft: look-ups, "
                             "full-text search, and diffs between any two versions."},
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        described = getattr(view, "openapi", None)
        if described is None:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        method = "post" if "POST" in rule.methods else "get"
        spec.path(path=path, operations={method: _operation(rule, described)})
    document = spec.to_dict()
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if kinds and (parameter["in"], parameter["name"]) == ("query", "kind"):
                    parameter["schema"]["enum"] = list(kinds)
    return document


def current_spec() -> dict:
    """The document for the store as it is now (its kinds), built again only when the store changes."""
    catalog = get_catalog()
    generation = catalog.current_generation()
    cached = current_app.extensions.get("glossary.openapi")
    if cached is None or cached[0] != generation:
        cached = (generation, build_spec(current_app, catalog.kinds()))
        current_app.extensions["glossary.openapi"] = cached
    return cached[1]


def _operation(rule, described: dict) -> dict:
    parameters = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}, **_PATH_PARAMETERS.get(name, {})}
        for name in sorted(rule.arguments)
    ]
    if described["query"] is not None:
        parameters.append({"in": "query", "schema": described["query"]})
    if described["media_types"]:
        content = {media_type: {"schema": {"type": "object"} if media_type == "application/json" else {"type": "string"}}
                   for media_type in described["media_types"]}
    else:
        content = {"application/json": {"schema": described["response"]}}
    responses = {"200": {"description": "OK", "content": content}}
    if described["body"] is None:
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    for status in (400, 404, 413, 415, 503):
        if status in described["errors"] or status == 503:
            responses[str(status)] = {
                "description": _ERROR_TEXT[status],
                "content": {"application/problem+json": {"schema": "Problem"}},
            }
    body = {}
    if described["body"] is not None:
        # Text with at least one character that is not white space, and no NUL (binary data is refused).
        text = {"type": "string", "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"}
        body = {"requestBody": {"required": True, "description": described["body"],
                                "content": {media_type: {"schema": text} for media_type in described["body_types"]}}}
    return {
        **body,
        "summary": described["summary"],
        "description": described["description"],
        "operationId": rule.endpoint.replace(".", "_"),
        "tags": [described["tag"]],
        "parameters": parameters,
        "responses": responses,
    }


@docs.get("/openapi.json")
def openapi_json():
    return jsonify(current_spec())


@docs.get("/docs")
def openapi_page():
    """Swagger UI over the document, from the files of the flask-swagger-ui package (nothing from elsewhere);
    without JavaScript, a plain list of the operations."""
    return render_template_string(_PAGE, spec=current_spec(), spec_url=url_for("openapi.openapi_json"),
                                  asset=lambda name: url_for("openapi.viewer_file", name=name),
                                  home=url_for("web.home"))


@docs.get("/docs/viewer/<name>")
def viewer_file(name: str):
    if name not in VIEWER_FILES:
        abort(404)
    response = send_from_directory(_viewer_directory(), name, max_age=86400)
    return response


# The files of Swagger UI the page loads, as the flask-swagger-ui package ships them.
VIEWER_FILES = ("swagger-ui.css", "swagger-ui-bundle.js", "LICENSE")


def _viewer_directory() -> str:
    import flask_swagger_ui

    return os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ spec.info.title }}: API</title>
<link rel="icon" href="{{ url_for('web.static', filename='favicon.svg') }}" type="image/svg+xml">
<link rel="stylesheet" href="{{ asset('swagger-ui.css') }}">
<link rel="stylesheet" href="{{ url_for('web.static', filename='api-docs.css') }}"></head><body>
<header class="api-docs">
<p><a href="{{ home }}">← The glossary</a> · <a href="{{ spec_url }}">OpenAPI {{ spec.openapi }} document (JSON)</a>
· errors are <code>application/problem+json</code> (RFC 9457)</p>
</header>
<div id="swagger-ui" data-spec-url="{{ spec_url }}"></div>
<noscript><div class="plain">
<h1>{{ spec.info.title }} <small>{{ spec.info.version }}</small></h1>
<p>{{ spec.info.description }}</p>
{% for path, item in spec.paths.items() %}{% for method, op in item.items() %}
<section class="op" id="{{ op.operationId }}">
 <h2><span class="method">{{ method|upper }}</span><code>{{ path }}</code></h2>
 <p>{{ op.summary }}.{% if op.description %} {{ op.description }}{% endif %}</p>
 {% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>
 {% for p in op.parameters %}<tr><td><code>{{ p.name }}</code>{% if p.required %} *{% endif %}</td><td>{{ p.in }}</td>
 <td>{{ p.schema.type }}{% if p.schema.enum %} ({{ p.schema.enum|join(", ") }}){% endif %}</td><td>{{ p.description }}</td></tr>{% endfor %}
 </table>{% endif %}
 <p>Responses: {% for status, r in op.responses.items() %}<code>{{ status }}</code> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
</section>{% endfor %}{% endfor %}
</div></noscript>
<script src="{{ asset('swagger-ui-bundle.js') }}"></script>
<script src="{{ url_for('web.static', filename='api-docs.js') }}"></script>
</body></html>
"""
