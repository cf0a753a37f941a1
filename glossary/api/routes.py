"""The JSON API, ``/api/v1``: thin views over the Catalog.

Each view validates its query string with a schema, asks the Catalog, and
serialises the answer with a schema; ``documented`` records both schemas so
that the OpenAPI document is generated from the same objects.
"""

from __future__ import annotations

import functools
from collections import Counter

import orjson
from flask import Blueprint, Response, current_app, request
from marshmallow import Schema, ValidationError

from ..app import get_catalog as catalog
from ..app import remembered
from ..ietf import source_url
from ..errors import NotFound
from ..model import NEWEST, OLDEST
from ..lookup import contradicted_alias, term_id_in, terms_of_kind
from ..search import EmptyQueryError
from . import schemas
from .caching import note_version_used
from .dumping import dumper
from .problems import bad_parameter

api = Blueprint("api", __name__, url_prefix="/api/v1")


def documented(summary: str, response: type[Schema] | None, query: type[Schema] | None = None,
               errors: tuple[int, ...] = (404,), tag: str = "terms", body: str | None = None,
               body_types: tuple[str, ...] = ("text/plain",), media_types: tuple[str, ...] = ()):
    """Record what a view takes and answers, for the OpenAPI document.

    ``body`` describes the raw request body of a view that takes one (a POST),
    sent as one of ``body_types``; ``media_types`` are those of a view that
    answers documents rather than ``response`` JSON.
    """

    def mark(view):
        view.openapi = {"summary": summary, "response": response, "query": query, "errors": errors,
                        "tag": tag, "description": (view.__doc__ or "").strip(), "body": body,
                        "body_types": body_types, "media_types": media_types}
        return view

    return mark


# Query strings loaded (see load_query), the least recently used forgotten first.
QUERIES_KEPT = 4096


@functools.cache
def schema_instance(schema: type[Schema]) -> Schema:
    """One instance per schema class: building one costs more than the load or dump it serves."""
    return schema()


def load_query(schema: type[Schema]) -> dict:
    """The request's query as ``schema`` loads it; a 400 naming the first parameter it refuses."""
    # The schema reads the first value of the parameters it knows and ignores the others
    # (QuerySchema): two requests alike in those are one load, made once.
    given = tuple((key, request.args[key]) for key in _parameters(schema) if key in request.args)
    return dict(_loaded_query(schema, given))


@functools.cache
def _parameters(schema: type[Schema]) -> tuple[str, ...]:
    return tuple(field.data_key or name for name, field in schema_instance(schema).fields.items())


@functools.lru_cache(maxsize=QUERIES_KEPT)
def _loaded_query(schema: type[Schema], given: tuple[tuple[str, str], ...]) -> dict:
    try:
        return schema_instance(schema).load(dict(given))
    except ValidationError as error:
        parameter, messages = next(iter(error.messages.items()))
        detail = messages[0] if isinstance(messages, list) else str(messages)
        raise bad_parameter(parameter, detail) from None


def answer(schema: type[Schema], data: dict) -> Response:
    # Not Flask's JSON provider: it sorts keys, and table columns must keep the document's order.
    # The schema's compiled dumper gives what schema.dump gives, and orjson writes it (UTF-8, in
    # the order given) at a fraction of the json module's cost.
    return current_app.response_class(orjson.dumps(dumper(schema)(data)), mimetype="application/json")


def term_record(term, args: dict) -> dict:
    """A term as the API gives it: its source_fragment only when asked for (include=source)."""
    record = term.to_dict()
    if args.get("include") != "source":
        del record["source_fragment"]
    return record


def version_named(name: str | None):
    note_version_used(name)
    return catalog().version(name)


# --- versions ----------------------------------------------------------------

@api.get("/versions")
@remembered
@documented("All versions, in lineage order", schemas.VersionListSchema, errors=(), tag="versions")
def versions():
    """RFC 7228 first, then the bis drafts by date, each editor's copy after the numbered revision it follows."""
    return answer(schemas.VersionListSchema, {"versions": catalog().entries()})


@api.get("/versions/<version>")
@remembered
@documented("One version: its source, term counts per kind and import warnings",
            schemas.VersionDetailSchema, tag="versions")
def version_detail(version: str):
    found = version_named(version)
    entry = next(e for e in catalog().entries() if e["name"] == found.name)
    kinds = Counter(term.kind for term in found.terms)
    return answer(schemas.VersionDetailSchema, {
        **entry, "source": {**found.source.to_dict(), "uri": source_url(found)}, "kinds": dict(kinds), "warnings": found.warnings,
    })


@api.get("/versions/<version>/terms")
@remembered
@documented("Every term of a version", schemas.TermListSchema, query=schemas.KindQuery, errors=(400, 404),
            tag="versions")
def version_terms(version: str):
    args = load_query(schemas.KindQuery)
    found = version_named(version)
    selected = terms_of_kind(found, args.get("kind"), catalog().kinds())
    kind = catalog().kind(args.get("kind"))
    return answer(schemas.TermListSchema, {
        "version": found.name, "kind": kind, "count": len(selected), "terms": [term_record(t, args) for t in selected],
    })


# --- terms -------------------------------------------------------------------

@api.get("/terms/<term>")
@remembered
@documented("A term by id, term or alias (case and punctuation insensitive)",
            schemas.TermRecordSchema, query=schemas.VersionQuery, errors=(400, 404))
def term(term: str):
    """Looks the term up in the given version, by default the newest."""
    args = load_query(schemas.VersionQuery)
    note_version_used(args.get("version"))
    found, version = catalog().term(term, args.get("version"))
    warning = contradicted_alias(version, found, term)
    return answer(schemas.TermRecordSchema, {
        **term_record(found, args), "version": version.name, "citation": version.cite(found),
        "lookup_warnings": [warning] if warning else [],
    })


@api.get("/terms/<term>/history")
@remembered
@documented("A term across every version: first appearance, changes, renames, removal",
            schemas.TermHistorySchema)
def term_history(term: str):
    return answer(schemas.TermHistorySchema, catalog().history(term).to_dict())


@api.get("/terms/<term>/diff")
@remembered
@documented("How one term differs between two versions", schemas.TermVersionDiffSchema,
            query=schemas.TermDiffQuery, errors=(400, 404))
def term_diff(term: str):
    """The term is looked up in the newer version, or in the older one if it was removed."""
    args = load_query(schemas.TermDiffQuery)
    old, new = version_named(args.get("from_") or OLDEST), version_named(args.get("to") or NEWEST)
    history_id = term_id_in(term, new, old)
    whole = catalog().diff(old.name, new.name)
    entry = next((e for e in whole.terms if history_id in (e.id, e.renamed_from)), None)
    if entry is None:
        raise NotFound("term", term, f"{old.name} or {new.name}")
    old_term = old.find(entry.renamed_from or entry.id)
    new_term = new.find(entry.id) if entry.status != "removed" else None
    return answer(schemas.TermVersionDiffSchema, {
        **entry.to_dict(), "from": old.name, "to": new.name,
        "document_diff": whole.document_diff, "missing_revisions": whole.missing_revisions,
        "old": term_record(old_term, args) if old_term else None,
        "new": term_record(new_term, args) if new_term else None,
    })


# --- diff and search -----------------------------------------------------------

@api.get("/diff")
@remembered
@documented("Every term's status between two versions, with word-level definition changes",
            schemas.VersionDiffSchema, query=schemas.DiffQuery, errors=(400, 404), tag="diff")
def diff():
    args = load_query(schemas.DiffQuery)
    old, new = version_named(args.get("from_") or OLDEST), version_named(args.get("to") or NEWEST)
    kind = catalog().kind(args.get("kind"))
    result = catalog().diff(old.name, new.name).filter(kind=kind, status=args.get("status"))
    return answer(schemas.VersionDiffSchema, result.to_dict())


@api.get("/search")
@remembered
@documented("Full-text search over terms, aliases and definitions", schemas.SearchResultSchema,
            query=schemas.SearchQuery, errors=(400, 404), tag="search")
def search():
    """Stemmed, typo-tolerant; quotes make a phrase. version=all searches every version, one hit per term."""
    args = load_query(schemas.SearchQuery)
    note_version_used(args.get("version"))
    kind = catalog().kind(args.get("kind"))
    try:
        result = catalog().search(args["q"], version=args.get("version"), kind=kind,
                                  limit=args["limit"], offset=args["offset"])
    except EmptyQueryError:
        raise bad_parameter("q", "the query is empty") from None
    return answer(schemas.SearchResultSchema, result.to_dict())
