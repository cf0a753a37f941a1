"""The compiled serialisation of the API's answers gives exactly what the marshmallow schemas give."""

from __future__ import annotations

import json

import pytest
from marshmallow import Schema, fields, post_dump

from glossary.api import schemas
from glossary.api.dumping import dumper
from glossary.catalog import Catalog


def same_json(schema: type[Schema], data) -> None:
    expected = json.dumps(schema().dump(data), ensure_ascii=False)
    assert json.dumps(dumper(schema)(data), ensure_ascii=False) == expected


@pytest.fixture(scope="module")
def catalog(served_store, tmp_path_factory):
    return Catalog(served_store, tmp_path_factory.mktemp("dumping-cache"))


def test_every_diff_of_the_store_serialises_as_the_schema_does(catalog):
    names = [entry["name"] for entry in catalog.entries()]
    for old in names:
        for new in names:
            same_json(schemas.VersionDiffSchema, catalog.diff(old, new).to_dict())


def test_every_term_record_list_and_history_serialises_as_the_schema_does(catalog):
    histories = set()
    for entry in catalog.entries():
        version = catalog.version(entry["name"])
        same_json(schemas.TermListSchema, {"version": version.name, "kind": None, "count": len(version.terms),
                                           "terms": [t.to_dict() for t in version.terms]})
        for term in version.terms:
            same_json(schemas.TermRecordSchema, {**term.to_dict(), "version": version.name,
                                                 "citation": version.cite(term)})
            histories.add(term.id)
    for term_id in sorted(histories):
        same_json(schemas.TermHistorySchema, catalog.history(term_id).to_dict())


@pytest.mark.parametrize("query", ["constrained node", "clas", "mains powered", "energy", "sh",
                                   "perfect secret shielding", "nothingmatcheshere"])
@pytest.mark.parametrize("version", [None, "all", "oldest"])
def test_search_results_serialise_as_the_schema_does(catalog, query, version):
    same_json(schemas.SearchResultSchema, catalog.search(query, version=version, limit=100, offset=0).to_dict())


def test_missing_none_and_coerced_values_follow_the_schema():
    same_json(schemas.TermDiffSchema, {"id": "a", "term": 1, "kind": None, "status": "added"})
    same_json(schemas.SearchResultSchema, {"query": "q", "version": None, "limit": "3", "offset": 0.0,
                                           "total": True, "hits": [], "suggestion": None})


def test_a_schema_with_hooks_is_dumped_by_marshmallow():
    class Shouting(Schema):
        name = fields.Str()

        @post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    assert dumper(Shouting)({"name": "c1"}) == {"name": "C1"}


def test_version_lists_details_and_term_diffs_serialise_as_the_schema_does(catalog):
    entries = catalog.entries()
    same_json(schemas.VersionListSchema, {"versions": entries})
    old, new = catalog.version(entries[0]["name"]), catalog.version(entries[-1]["name"])
    for entry in entries:
        found = catalog.version(entry["name"])
        kinds: dict[str, int] = {}
        for term in found.terms:
            kinds[term.kind] = kinds.get(term.kind, 0) + 1
        same_json(schemas.VersionDetailSchema, {**entry, "source": found.source.to_dict(), "kinds": kinds,
                                                "warnings": found.warnings})
    for change in catalog.diff(old.name, new.name).terms:
        old_term = old.find(change.renamed_from or change.id)
        new_term = new.find(change.id) if change.status != "removed" else None
        same_json(schemas.TermVersionDiffSchema, {
            **change.to_dict(), "from": old.name, "to": new.name,
            "old": old_term.to_dict() if old_term else None, "new": new_term.to_dict() if new_term else None})
