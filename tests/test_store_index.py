"""The search index the store keeps: in step with every import, opened (never rebuilt) by readers."""

from __future__ import annotations

import multiprocessing
import random

import pytest

from glossary.catalog import Catalog
from glossary.search import SearchIndex, StoreSearchIndex
from glossary.store import Store
from importers import read_version

from support import corpus_file

QUERIES = ["constrained node", "class 2", "clas", "normaly off", '"perfect secret shielding"', "mains powered",
           "energy", "sh"]


@pytest.fixture(scope="module")
def sources(corpus, manifest):
    return [(corpus_file(corpus, revision, "xml").read_bytes(), str(corpus_file(corpus, revision, "xml")))
            for revision in manifest]


def answers(index, store: Store) -> list:
    names = [entry["name"] for entry in store.versions()]
    scopes = [None, "all", names[0], names[-1]]
    return [index.search(query, version=scope).to_dict() for query in QUERIES for scope in scopes]


def files(directory) -> dict:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def assert_in_step(store: Store, tmp_path, repair: bool = False) -> None:
    """The store's index answers every query as an index built afresh from the versions does, and
    answering changes none of its files (once repaired, if ``repair``)."""
    kept = StoreSearchIndex(Store(store.directory))
    if repair:
        kept.search("node")
    before = files(store.derived_directory / "search")
    fresh = SearchIndex(tmp_path / f"fresh-{len(store.versions())}", store.load_versions(), "fresh")
    try:
        assert answers(kept, store) == answers(fresh, store)
    finally:
        kept.close()
        fresh.close()
    assert files(store.derived_directory / "search") == before


def test_the_index_is_kept_in_step_across_imports(sources, tmp_path):
    store = Store(tmp_path / "terms")
    shuffled = list(sources)
    random.Random(7228).shuffle(shuffled)
    store.save(read_version(*shuffled[0]))
    assert_in_step(store, tmp_path)
    for data, uri in shuffled[1:4]:  # one at a time, some before the ones stored
        store.save(read_version(data, uri))
    assert_in_step(store, tmp_path)
    with store.batch():
        for data, uri in shuffled[4:]:
            store.save(read_version(data, uri))
    assert_in_step(store, tmp_path)


def test_a_replaced_version_leaves_no_trace_in_the_index(sources, tmp_path):
    """A content no stored version has any more would still weigh in every hit's score."""
    store = Store(tmp_path / "terms")
    with store.batch():
        for data, uri in sources[:4]:
            store.save(read_version(data, uri))
    edited = read_version(*sources[3])
    for term in edited.terms[:10]:
        term.definition = f"{term.definition} Constrained nodes differ in this edition."
    assert store.save(edited, replace=True) == "replaced"
    assert_in_step(store, tmp_path)


def test_a_damaged_or_missing_index_is_repaired(sources, tmp_path):
    store = Store(tmp_path / "terms")
    with store.batch():
        for data, uri in sources:
            store.save(read_version(data, uri))
    search = store.derived_directory / "search"
    segment = next(search.glob("*.seg"))
    segment.write_bytes(b"\0" * segment.stat().st_size)
    assert_in_step(store, tmp_path, repair=True)
    for path in search.iterdir():
        path.unlink()
    assert_in_step(store, tmp_path, repair=True)


def _search_until_told(directory: str, cache: str, stop, report) -> None:
    catalog = Catalog(Store(directory), cache)
    searches, failures, seen = 0, [], set()
    while not stop.is_set() or searches < 5:
        try:
            result = catalog.search("constrained node")
            seen.add(result.version)
            searches += 1
        except Exception as error:  # reported, so that the test shows it
            failures.append(f"{type(error).__name__}: {error}")
    report.put((searches, failures, seen, catalog.search("constrained node").version))


def test_two_workers_search_one_index_while_an_import_runs(sources, tmp_path):
    store = Store(tmp_path / "terms")
    store.save(read_version(*sources[0]))
    context = multiprocessing.get_context("fork")
    stop, report = context.Event(), context.Queue()
    workers = [context.Process(target=_search_until_told,
                               args=(str(store.directory), str(tmp_path / f"cache-{n}"), stop, report))
               for n in range(2)]
    for worker in workers:
        worker.start()
    for data, uri in sources[1:]:  # each import adds a segment while both search
        store.save(read_version(data, uri))
    stop.set()
    outcomes = [report.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
    newest = store.versions()[-1]["name"]
    for searches, failures, seen, last in outcomes:
        assert failures == []
        assert searches >= 5
        assert last == newest
