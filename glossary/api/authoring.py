"""The authoring endpoints, ``/api/v1``: snippets, Terminology sections and the usage lint.

Snippets and sections are answered as JSON, ``{"format", "snippet",
"reference", ...}``, whatever their format: one shape for every tool, the
snippet a string ready to paste and ``reference`` what goes into the citing
document's references (RFCXML) or front matter (kramdown-rfc), or null.

    GET  /api/v1/terms/{term}/embed?format=xml|kramdown|markdown|text|html&version=
    GET  /api/v1/terminology?terms=c1,normally-off&format=xml|kramdown|markdown&version=&pointers=
    POST /api/v1/lint?against=&ignore=     (the draft, raw bytes, as the body; at most 10 MiB)
    GET  /api/v1/versions/{version}/export?format=json|csv|tbx|skos

Exports are answered as the document itself, in its media type. The formats
are those of glossary.authoring.embed, .terminology and .export: a format
added there is offered here. glossary.app.create_app registers the blueprint
beside the read-only API.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..app import get_catalog as catalog
from ..app import remembered
from ..authoring.citing import citable_version
from ..authoring.embed import embed
from ..authoring.export import EXPORTERS, export
from ..authoring.lint import lint
from ..authoring.terminology import select_terms, terminology_section
from ..importing import SourceError
from . import schemas
from .caching import note_version_used
from .problems import Problem, bad_parameter
from .routes import answer, documented, load_query
from .schemas import EmbedQuery, EmbedSchema, ExportQuery, LintQuery, TerminologyQuery, TerminologySchema

authoring = Blueprint("authoring", __name__, url_prefix="/api/v1")

MAX_DRAFT_BYTES = 10 * 1024 * 1024
@authoring.get("/terms/<term>/embed")
@remembered
@documented("A term's definition, ready to paste, citing its section", EmbedSchema, query=EmbedQuery,
            errors=(400, 404), tag="authoring")
def embed_term(term: str):
    args = load_query(EmbedQuery)
    note_version_used(args.get("version"))
    found, version = catalog().term(term, citable_version(catalog(), args.get("version")).name)
    snippet = embed(found, version, args["format"])
    return answer(EmbedSchema, {**snippet.to_dict(), "version": version.name, "term": found.id})


@authoring.get("/terminology")
@remembered
@documented("A Terminology section for the given terms, citing the version", TerminologySchema,
            query=TerminologyQuery, errors=(400, 404), tag="authoring")
def terminology():
    """The terms in the order given, each once ("c1" and "Class 1" are one term)."""
    args = load_query(TerminologyQuery)
    note_version_used(args.get("version"))
    names = [name.strip() for name in args["terms"].split(",") if name.strip()]
    selected, version = select_terms(catalog(), names, args.get("version"))
    section = terminology_section(selected, version, args["format"], args["pointers"])
    return answer(TerminologySchema, {**section.to_dict(), "version": version.name,
                                      "terms": [term.id for term in selected]})


@authoring.get("/versions/<version>/export")
@remembered
@documented("Every term of a version as a document for other tools: JSON, CSV, TBX-Basic or SKOS (Turtle)",
            None, query=ExportQuery, errors=(400, 404), tag="versions",
            media_types=tuple(dict.fromkeys(fmt.media_type for fmt in EXPORTERS.values())))
def export_version(version: str):
    args = load_query(ExportQuery)
    note_version_used(version)
    found = catalog().version(version)
    fmt = EXPORTERS[args["format"]]
    response = current_app.response_class(export(found, fmt.name), mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{found.name}.{fmt.extension}"'
    return response


@authoring.post("/lint")
@documented("Which glossary terms a draft uses, and what became of them since the version it cites",
            schemas.LintReportSchema, query=LintQuery, errors=(400, 404, 413), tag="authoring",
            body="The draft: RFCXML, kramdown-rfc Markdown or plain text, at most 10 MiB")
def lint_draft():
    """The usage lint of the draft in the body (RFCXML, kramdown-rfc or text), as JSON."""
    args = load_query(LintQuery)
    if (request.content_length or 0) > MAX_DRAFT_BYTES:
        raise _too_large()
    data = request.stream.read(MAX_DRAFT_BYTES + 1)
    if len(data) > MAX_DRAFT_BYTES:
        raise _too_large()
    if not data.strip():
        raise bad_parameter("body", "send the draft as the request body")
    try:
        ignore = tuple(name.strip() for name in args.get("ignore", "").split(",") if name.strip())
        report = lint(data, catalog(), args.get("against"), source="request body", ignore=ignore)
    except SourceError as error:
        raise bad_parameter("body", error.problem) from None
    return answer(schemas.LintReportSchema, report.to_dict())


def _too_large() -> Problem:
    return Problem(413, "Content Too Large", f"the draft is over {MAX_DRAFT_BYTES // (1024 * 1024)} MiB")
