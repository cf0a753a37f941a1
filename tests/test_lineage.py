"""The lineage index stays in step with the store, and a history read from it is the full one."""

from __future__ import annotations

import random

import pytest

from glossary.catalog import Catalog
from glossary.diff import term_history
from glossary.errors import NotFound
from glossary.store import Store
from importers import read_version

from support import corpus_file


def every_name(versions) -> list[str]:
    return sorted({name for version in versions for term in version.terms for name in term.names()})


def assert_histories_are_the_full_ones(store: Store) -> None:
    versions = store.load_versions()
    by_name = {version.name: version for version in versions}
    lineage = Store(store.directory).lineage()  # as another process reads it
    for name in every_name(versions):
        assert lineage.history(name, by_name.__getitem__).to_dict() == term_history(versions, name).to_dict(), name
    for unknown in ("no such term", "constrained nod"):
        with pytest.raises(NotFound) as from_index:
            lineage.history(unknown, by_name.__getitem__)
        with pytest.raises(NotFound) as from_versions:
            term_history(versions, unknown)
        assert str(from_index.value) == str(from_versions.value)


@pytest.fixture(scope="module")
def sources(corpus, manifest):
    return [(corpus_file(corpus, revision, "xml").read_bytes(), str(corpus_file(corpus, revision, "xml")))
            for revision in manifest]


def test_imports_one_at_a_time_and_in_batches_keep_it_in_step(sources, tmp_path):
    store = Store(tmp_path / "terms")
    store.save(read_version(*sources[0]))
    store.save(read_version(*sources[1]))
    assert_histories_are_the_full_ones(store)
    with store.batch():
        for data, uri in sources[2:9]:
            store.save(read_version(data, uri))
    assert_histories_are_the_full_ones(store)
    for data, uri in sources[9:]:
        store.save(read_version(data, uri))
    assert_histories_are_the_full_ones(store)


def test_versions_imported_out_of_lineage_order_keep_it_in_step(sources, tmp_path):
    store = Store(tmp_path / "terms")
    shuffled = list(sources)
    random.Random(12).shuffle(shuffled)
    for data, uri in shuffled[:5]:
        store.save(read_version(data, uri))
    assert_histories_are_the_full_ones(store)
    with store.batch():
        for data, uri in shuffled[5:]:
            store.save(read_version(data, uri))
    assert_histories_are_the_full_ones(store)


def test_a_missing_or_damaged_lineage_index_is_rebuilt(sources, tmp_path):
    store = Store(tmp_path / "terms")
    with store.batch():
        for data, uri in sources:
            store.save(read_version(data, uri))
    derived = store.directory / ".index" / "lineage.json"
    for damage in (lambda: derived.unlink(), lambda: derived.write_bytes(derived.read_bytes()[:1000])):
        damage()
        assert_histories_are_the_full_ones(store)


def test_a_running_catalog_sees_an_import_in_the_history(sources, tmp_path):
    store = Store(tmp_path / "terms")
    for data, uri in sources[:-1]:
        store.save(read_version(data, uri))
    catalog = Catalog(store, tmp_path / "cache")
    before = catalog.history("sh9")
    store.save(read_version(*sources[-1]))
    after = catalog.history("sh9")
    assert after.to_dict() == term_history(store.load_versions(), "sh9").to_dict()
    assert after.present_in == [*before.present_in, store.versions()[-1]["name"]]
