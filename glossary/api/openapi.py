"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas,
and a page that shows it to people."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, render_template_string, url_for

from .. import __version__
from ..app import get_catalog
from .schemas import ProblemSchema

docs = Blueprint("openapi", __name__, url_prefix="/api/v1")

_ERROR_TEXT = {400: "A query parameter (or the body) is wrong", 404: "Unknown version or term",
               413: "The request body is too large", 503: "The store is unavailable"}
_PATH_PARAMETERS = {
    "version": {"description": 'A version name, "latest" or "oldest"', "example": "latest"},
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
    for status in (400, 404, 413, 503):
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
                                "content": {"text/plain": {"schema": text}}}}
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
    return render_template_string(_PAGE, spec=current_spec(),
                                  spec_url=url_for("openapi.openapi_json"))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ spec.info.title }}: API</title>
<style>
 body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
 code,pre{font-family:ui-monospace,monospace;font-size:.9em} pre{background:#f5f5f5;padding:.75rem;overflow:auto}
 .op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
 .method{font-weight:bold;color:#fff;background:#2a7ae2;border-radius:4px;padding:0 .4rem;margin-right:.5rem}
 table{border-collapse:collapse} td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left;vertical-align:top}
</style></head><body>
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
