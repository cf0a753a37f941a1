"""The versioned store: canonical files, immutability, atomic writes, lineage order, locating it."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pytest

import glossary
import glossary.store
from glossary.model import Section, Term, Version
from glossary.errors import NotFound, StoreError
from glossary.store import Store, embedded_store, locate_store
from importers import read_version
from support import make_version, snapshot


def one_term_version(name: str, date: str = "2024-01-01", definition: str = "A node with limited resources.",
                     sha256: str = "a" * 64, uri: str | None = None) -> Version:
    term = Term(
        id="constrained-node", term="Constrained Node", kind="term", definition=definition,
        section=Section("2.1", "Core Terminology", "core"), defined_in="dl",
        aliases=["CN"], attributes={"RAM (µ-size)": "~ 10 KiB"},
    )
    return make_version(name, term, date=date, title="Terminology for Constrained-Node Networks", sha256=sha256,
                        uri=uri or f"/corpus/{name}.xml")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store")


def test_version_file_is_canonical_json_and_round_trips(store):
    version = one_term_version("draft-ietf-iotops-7228bis-07")
    assert store.save(version) == "imported"
    stored = (store.directory / "draft-ietf-iotops-7228bis-07.json").read_bytes()
    expected = json.dumps(version.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert stored == expected.encode("utf-8")
    assert "µ-size" in stored.decode("utf-8")
    assert store.load("draft-ietf-iotops-7228bis-07").to_dict() == version.to_dict()


def test_table_columns_keep_the_document_order(store):
    version = one_term_version("draft-ietf-iotops-7228bis-07")
    columns = {"Group": "M", "data size (e.g., RAM)": "~ 50 KiB", "Examples": "STM32F103RC"}
    version.terms[0].attributes = columns
    store.save(version)
    loaded = store.load("draft-ietf-iotops-7228bis-07").terms[0].attributes
    assert list(loaded) == ["Group", "data size (e.g., RAM)", "Examples"]


def test_index_lists_a_summary_of_each_version(store):
    store.save(one_term_version("draft-ietf-iotops-7228bis-07", date="2026-04-23", sha256="b" * 64))
    assert store.versions() == [{
        "name": "draft-ietf-iotops-7228bis-07", "document": "draft-ietf-iotops-7228bis", "revision": "07",
        "date": "2026-04-23", "title": "Terminology for Constrained-Node Networks", "terms": 1, "sha256": "b" * 64,
        # what tells this version from another of its name: the hash of the file the store keeps
        "content_sha256": hashlib.sha256((store.directory / "draft-ietf-iotops-7228bis-07.json").read_bytes()).hexdigest(),
    }]
    index = (store.directory / "index.json").read_text("utf-8")
    assert index == json.dumps({"versions": store.versions()}, indent=2, ensure_ascii=False) + "\n"


def test_real_version_round_trips(store, revision_file):
    path = revision_file("draft-ietf-iotops-7228bis-07")
    version = read_version(path.read_bytes(), str(path))
    store.save(version)
    assert store.load("draft-ietf-iotops-7228bis-07").to_dict() == version.to_dict()
    assert store.versions()[0]["terms"] == len(version.terms)


def test_saving_the_same_version_again_changes_nothing(store):
    store.save(one_term_version("draft-ietf-iotops-7228bis-07"))
    before = snapshot(store.directory)
    assert store.save(one_term_version("draft-ietf-iotops-7228bis-07")) == "unchanged"
    # the same bytes read from elsewhere are the same version: the first source stays
    assert store.save(one_term_version("draft-ietf-iotops-7228bis-07", uri="https://example.org/x.xml")) == "unchanged"
    assert snapshot(store.directory) == before


def test_different_content_under_a_stored_name_is_refused_unless_replaced(store):
    store.save(one_term_version("draft-ietf-iotops-7228bis-07"))
    before = snapshot(store.directory)
    edited = one_term_version("draft-ietf-iotops-7228bis-07", definition="Edited.", sha256="c" * 64)
    with pytest.raises(StoreError, match="draft-ietf-iotops-7228bis-07"):
        store.save(edited)
    assert snapshot(store.directory) == before
    assert store.save(edited, replace=True) == "replaced"
    assert store.load("draft-ietf-iotops-7228bis-07").terms[0].definition == "Edited."
    assert [v["sha256"] for v in store.versions()] == ["c" * 64]


def test_same_source_bytes_read_differently_is_still_a_different_version(store):
    store.save(one_term_version("draft-ietf-iotops-7228bis-07"))
    with pytest.raises(StoreError, match="already stored with different content"):
        store.save(one_term_version("draft-ietf-iotops-7228bis-07", definition="Read by a newer importer."))


@pytest.fixture
def populated_store(store) -> Store:
    store.save(one_term_version("draft-ietf-iotops-7228bis-03", date="2025-11-04"))
    store.save(one_term_version("draft-ietf-iotops-7228bis-07", date="2026-04-23"))
    return store


@pytest.mark.parametrize("replace", [False, True], ids=["new version", "replacement"])
def test_a_failed_index_write_leaves_the_store_byte_identical(populated_store, monkeypatch, replace):
    store = populated_store
    before = snapshot(store.directory)
    real_replace = os.replace

    def replace_failing_for_the_index(source, target):
        if Path(target).name == "index.json":
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_failing_for_the_index)
    name = "draft-ietf-iotops-7228bis-07" if replace else "draft-ietf-iotops-7228bis-editors-2026-06-30"
    with pytest.raises(StoreError, match="No space left on device"):
        store.save(one_term_version(name, definition="New text.", sha256="d" * 64), replace=replace)
    assert snapshot(store.directory) == before


def test_a_failed_serialisation_of_the_index_leaves_the_store_byte_identical(populated_store, monkeypatch):
    store = populated_store
    before = snapshot(store.directory)
    real_serialise = glossary.store.canonical_json

    def serialise_failing_for_the_index(data):
        if "versions" in data:
            raise ValueError("cannot serialise")
        return real_serialise(data)

    monkeypatch.setattr(glossary.store, "canonical_json", serialise_failing_for_the_index)
    with pytest.raises(ValueError):
        store.save(one_term_version("draft-ietf-iotops-7228bis-editors-2026-06-30"))
    assert snapshot(store.directory) == before


def _save_all(directory: str, names: list[str]) -> None:
    store = Store(directory)
    for name in names:
        store.save(one_term_version(name))


def test_concurrent_imports_serialise(store):
    batches = [[f"draft-writer{writer}-test-{i:02d}" for i in range(10)] for writer in range(4)]
    processes = [multiprocessing.get_context("fork").Process(target=_save_all, args=(str(store.directory), batch))
                 for batch in batches]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    assert sorted(v["name"] for v in store.versions()) == sorted(name for batch in batches for name in batch)


def test_versions_are_kept_in_lineage_order(store):
    in_lineage_order = [
        one_term_version("rfc7228", date="2014-05"),
        one_term_version("draft-bormann-lwig-7228bis-00", date="2016-10-30"),
        one_term_version("draft-bormann-lwig-7228bis-08", date="2022-04-05"),
        one_term_version("draft-ietf-lwig-7228bis-00", date="2022-04-05"),  # same day: the later document
        one_term_version("draft-ietf-iotops-7228bis-00", date="2024-05-11"),
        # an editor's copy follows the numbered revision before it, at an equal date too
        one_term_version("draft-ietf-iotops-7228bis-editors-2024-05-11", date="2024-05-11"),
        one_term_version("draft-ietf-iotops-7228bis-01", date="2024-07-01"),
        one_term_version("draft-ietf-iotops-7228bis-editors-2024-08-01-40fe265", date="2024-08-01"),
    ]
    for version in [*in_lineage_order[3:], *reversed(in_lineage_order[:3])]:
        store.save(version)
    assert [v["name"] for v in store.versions()] == [v.name for v in in_lineage_order]
    assert store.load("oldest").name == "rfc7228"
    newest = "draft-ietf-iotops-7228bis-editors-2024-08-01-40fe265"
    assert store.load("latest").name == store.load("newest").name == newest
    assert store.load().name == newest
    assert store.load("newest-revision").name == "draft-ietf-iotops-7228bis-01"
    assert [v.name for v in store.load_versions()] == [v.name for v in in_lineage_order]


def test_unknown_version_carries_close_matches(populated_store):
    with pytest.raises(NotFound) as raised:
        populated_store.load("draft-ietf-iotops-7228bis-7")
    # a name that is not there (a 404 for the API), not a store that cannot answer (a 503)
    assert isinstance(raised.value, LookupError) and not isinstance(raised.value, StoreError)
    assert raised.value.what == "version"
    assert raised.value.close_matches[0] == "draft-ietf-iotops-7228bis-07"
    assert str(raised.value).startswith("unknown version 'draft-ietf-iotops-7228bis-7'; close matches: ")


def test_an_empty_store_has_no_versions_and_says_so(store):
    assert store.versions() == []
    with pytest.raises(StoreError, match="no versions yet"):
        store.load()


def test_a_version_name_cannot_escape_the_store(store):
    with pytest.raises(StoreError, match="cannot be a version name"):
        store.save(one_term_version("../elsewhere"))
    with pytest.raises(StoreError, match="cannot be a version name"):
        store.save(one_term_version("index"))


def test_content_hash_changes_with_the_content_only(store):
    empty = store.content_hash()
    store.save(one_term_version("draft-ietf-iotops-7228bis-07"))
    one = store.content_hash()
    store.save(one_term_version("draft-ietf-iotops-7228bis-07"))
    assert store.content_hash() == one != empty
    store.save(one_term_version("draft-ietf-iotops-7228bis-07", definition="Edited."), replace=True)
    assert store.content_hash() not in (one, empty)


def test_store_location_explicit_then_environment_then_embedded(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_STORE", str(tmp_path / "from-env"))
    assert locate_store(tmp_path / "explicit") == tmp_path / "explicit"
    assert locate_store() == tmp_path / "from-env"
    monkeypatch.delenv("GLOSSARY_STORE")
    assert locate_store() == embedded_store()


def test_embedded_store_of_a_checkout_is_data_terms_at_the_repository_root():
    checkout = Path(glossary.__file__).resolve().parent.parent
    assert embedded_store() == checkout / "data" / "terms"


def test_the_short_name_of_every_stored_version_names_it_back():
    from glossary.model import short_name
    from glossary.store import embedded_store, resolve_version_name

    names = [entry["name"] for entry in Store(embedded_store()).versions()]
    shorts = {name: short_name(name) for name in names}
    assert shorts["draft-ietf-iotops-7228bis-07"] == "ietf-iotops-07"
    assert shorts["draft-bormann-lwig-7228bis-04"] == "bormann-lwig-04"
    assert all(len(short) < len(name) for name, short in shorts.items())
    for name, short in shorts.items():
        assert resolve_version_name(short, names, embedded_store()) == name
    assert short_name("rfc7228") == "rfc7228"


def test_missing_revisions_are_the_numbers_skipped_between_stored_versions():
    from types import SimpleNamespace

    from glossary.model import missing_revisions

    def version(document, revision):
        return SimpleNamespace(document=document, revision=revision)

    assert missing_revisions([version("draft-a-x", "00"), version("draft-a-x", "03")]) == ["draft-a-x-01", "draft-a-x-02"]
    assert missing_revisions([version("draft-b-x", "01"), version("draft-b-x", "05"),
                             version("draft-b-x", "editors-2026-06-30")]) \
        == ["draft-b-x-02", "draft-b-x-03", "draft-b-x-04"]
    assert missing_revisions([version("draft-a-x", "03"), version("draft-b-x", "00")]) == []  # a new draft takes over
    assert missing_revisions([version("draft-a-x", "03"), version("draft-b-x", "02")]) == ["draft-b-x-00", "draft-b-x-01"]
    assert missing_revisions([version("rfc7228", None)]) == []
