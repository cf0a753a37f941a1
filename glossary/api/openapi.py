"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas,
and a page that shows it to people."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, render_template_string, url_for

from .. import __version__
from .schemas import ProblemSchema

docs = Blueprint("openapi", __name__, url_prefix="/api/v1")

_ERROR_TEXT = {400: "A query parameter (or the body) is wrong", 404: "Unknown version or term",
               413: "The request body is too large", 415: "The request body's Content-Type is not one of those listed",
               503: "The store is unavailable"}
_PATH_PARAMETERS = {
    "version": {"description": 'A version name, "latest" or "oldest"', "example": "latest"},
    "term": {"description": "An id, term or alias, case and punctuation insensitive", "example": "C2"},
}


def build_spec(app: Flask) -> dict:
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
    return spec.to_dict()


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
    if "glossary.openapi" not in current_app.extensions:
        current_app.extensions["glossary.openapi"] = build_spec(current_app)
    return jsonify(current_app.extensions["glossary.openapi"])


@docs.get("/docs")
def openapi_page():
    if "glossary.openapi" not in current_app.extensions:
        current_app.extensions["glossary.openapi"] = build_spec(current_app)
    return render_template_string(_PAGE, spec=current_app.extensions["glossary.openapi"],
                                  spec_url=url_for("openapi.openapi_json"))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ spec.info.title }}: API</title>
<link rel="icon" href="{{ url_for('web.static', filename='favicon.svg') }}" type="image/svg+xml">
<link rel="stylesheet" href="{{ url_for('web.static', filename='api-docs.css') }}"></head><body>
<h1>{{ spec.info.title }} <small>{{ spec.info.version }}</small></h1>
<p>{{ spec.info.description }}</p>
<p>Machine-readable: <a href="{{ spec_url }}">OpenAPI {{ spec.openapi }} document</a>.
Errors are <code>application/problem+json</code> (RFC 9457).</p>
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
</body></html>
"""
