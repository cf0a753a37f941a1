"""The lineage index stays in step with the store, and a history read from it is the full one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from glossary.catalog import Catalog
from glossary.diff import span_of, term_history
from glossary.errors import NotFound
from glossary.lineage import Lineage
from glossary.model import Section, Term, missing_revisions
from glossary.store import Store
from importers import read_version

from support import corpus_file, make_version


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


def assert_spans_from_the_index_are_the_ones_from_the_versions(versions) -> None:
    lineage = Lineage.build(versions)
    for first in range(len(versions)):
        for last in range(first + 1, len(versions)):
            from_index, from_versions = lineage.span(first, last), span_of(versions[first:last + 1])
            assert from_index.renames == from_versions.renames, (versions[first].name, versions[last].name)
            assert missing_revisions(from_index.revisions) == missing_revisions(from_versions.revisions)


def test_a_diff_span_read_from_the_index_is_the_one_read_from_every_version_between(corpus_store):
    """A diff of two versions far apart follows renames through the versions between without reading them."""
    assert_spans_from_the_index_are_the_ones_from_the_versions(corpus_store.load_versions())


def test_renames_are_followed_through_the_index_as_through_the_versions():
    """A chain of renames through a change, a term lost in a gap, and a new term like a renamed one."""
    def defined(term_id: str, words: str) -> Term:
        return Term(term_id, term_id.title(), "term", words, Section("2", "Terms"), "dl")

    long = "a node with limited power memory and processing in a network of nodes"
    edited = long.replace("limited", "scarce")  # the host changes in -02, then is renamed
    other = "a gateway that connects constrained nodes to the internet at large today"
    third = "an energy class of devices that are powered by a battery that is replaced"
    versions = [
        make_version("draft-x-00", defined("node", long), defined("gateway", other), defined("battery", third)),
        make_version("draft-x-01", defined("host", long), defined("gateway", other), defined("battery", third)),
        make_version("draft-x-02", defined("host", edited), defined("battery", third)),
        make_version("draft-x-03", defined("device", edited), defined("gateway", other), defined("cell", third)),
        make_version("draft-x-05", defined("device", edited), defined("gateway", other), defined("cell", third),
                     defined("twin", third)),
    ]
    assert span_of(versions).renames == {"node": "device", "battery": "cell"}  # the gateway was gone in -02
    assert_spans_from_the_index_are_the_ones_from_the_versions(versions)


def test_a_version_read_again_by_other_rules_is_seen_whether_imported_or_pulled(sources, tmp_path):
    """The same source read by other rules (a newer glossary: `import --replace`, or a store pulled as
    files without its derived indexes) holds other terms: the lineage index follows the store's files."""
    import shutil

    store = Store(tmp_path / "terms")
    with store.batch():
        for data, uri in sources[:5]:
            store.save(read_version(data, uri))
    replica = Path(shutil.copytree(store.directory, tmp_path / "replica"))
    assert Store(replica).lineage().matches(Store(replica).versions())  # its derived indexes came along
    edited = read_version(*sources[2])
    edited.terms = edited.terms[1:]  # read by rules that find one term fewer
    for term in edited.terms[:5]:
        term.definition = f"{term.definition} Read again."
    assert store.save(edited, replace=True) == "replaced"
    assert_histories_are_the_full_ones(store)
    for path in store.directory.glob("*.json"):  # pulled: the files the store keeps, not .index/
        shutil.copy2(path, replica / path.name)
    assert_histories_are_the_full_ones(Store(replica))
