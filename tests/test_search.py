"""Search over every term of every version: ranking, filters, snippets, and an index that heals itself."""

from __future__ import annotations

import json
import re
import os
import shutil
import struct
import threading
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from glossary.errors import NotFound
from glossary.model import Section, Term, lookup_key
from glossary.search import EmptyQueryError, SearchIndex
from support import make_version

OLD, NEW = "rfc7228", "draft-ietf-iotops-7228bis-07"


def make_term(id, name, definition, kind="term", aliases=(), section=("2", "Terms")):
    return Term(
        id=id,
        term=name,
        kind=kind,
        definition=definition,
        section=Section(*section),
        defined_in="dl",
        aliases=list(aliases),
    )


CONSTRAINED_NODE = make_term(
    "constrained-node",
    "Constrained Node",
    "A node where some of the characteristics that are otherwise pretty much taken for granted "
    "for Internet nodes are not attainable, often due to cost constraints.",
)
CONSTRAINED_NETWORK = make_term(
    "constrained-network",
    "Constrained Network",
    "A network where some of the characteristics pretty much taken for granted with link layers "
    "in common use are not attainable.",
)
CAPABLE_NODE = make_term(
    "capable-node",
    "Capable Node",
    "A node that joins a network, talks to the network and routes for the network without constraints.",
)
CLASS_1 = make_term(
    "class-1", "Class 1", "Group: M; data size (e.g., RAM): ~ 10 KiB", kind="device-class", aliases=["C1"],
    section=("3", "Classes of Constrained Devices"),
)
LLN = make_term(
    "lln", "LLN", "A term used by the ROLL working group.", kind="acronym",
    aliases=["Low-Power and Lossy Network"],
)
SLEEPY_NODE = make_term("sleepy-node", "Sleepy Node", "A node that mostly sleeps.")
LOW_POWER = make_term(
    "low-power", "Low-power", "The device wakes up now and then: its duty cycle is a small fraction of the time.",
    section=("4.3", "Strategies of Using Power for Communication"),
)
ALWAYS_ON = make_term(
    "always-on", "Always-on", "A cycle of work that has no duty to save energy.",
    section=("4.3", "Strategies of Using Power for Communication"),
)

OLD_VERSION = make_version(OLD, CONSTRAINED_NODE, CONSTRAINED_NETWORK, CLASS_1, SLEEPY_NODE)
NEW_VERSION = make_version(NEW, CONSTRAINED_NODE, CONSTRAINED_NETWORK, CAPABLE_NODE, CLASS_1, LLN, LOW_POWER, ALWAYS_ON)


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / ".cache" / "search"


@pytest.fixture
def index(cache_dir):
    search_index = SearchIndex(cache_dir, [OLD_VERSION, NEW_VERSION], "hash-1")
    yield search_index
    search_index.close()


def ids(result):
    return [hit.id for hit in result.hits]


# Ranking and matching


def test_a_term_match_ranks_above_a_definition_match(index):
    # "Capable Node" says "network" three times in its definition; "Constrained Network" is named so.
    assert ids(index.search("network"))[:2] == ["constrained-network", "capable-node"]


def test_words_are_stemmed(index):
    assert ids(index.search("networks"))[0] == "constrained-network"


def test_a_phrase_matches_only_the_words_side_by_side(index):
    assert ids(index.search('"duty cycle"')) == ["low-power"]
    assert set(ids(index.search("duty cycle"))) == {"low-power", "always-on"}


def test_a_typo_still_finds_the_term(index):
    assert ids(index.search("constraned node"))[0] == "constrained-node"


def test_an_exact_match_ranks_above_a_near_miss(index):
    # "nodes" is a word of the index: it matches exactly and never pulls in look-alikes.
    result = index.search("constrained nodes")
    assert ids(result)[0] == "constrained-node"
    assert all(hit.score > 0 for hit in result.hits)


def test_a_whole_name_or_alias_comes_first(index):
    assert ids(index.search("class 1"))[0] == "class-1"
    assert ids(index.search("C1")) == ["class-1"]
    assert ids(index.search("lossy"))[0] == "lln"


# Versions and kinds


def test_the_newest_version_is_searched_by_default(index):
    result = index.search("node")
    assert result.version == NEW
    assert {hit.version for hit in result.hits} == {NEW}


def test_words_only_an_older_version_has_are_found_there_by_default(index):
    result = index.search("sleepy")
    assert result.version == "all"
    assert [(hit.version, hit.versions) for hit in result.hits] == [(OLD, [OLD])]
    assert index.search("sleepy", version=NEW).total == 0


def test_a_named_version_is_searched_alone(index):
    result = index.search("sleepy", version=OLD)
    assert ids(result) == ["sleepy-node"]
    assert result.hits[0].version == OLD
    assert result.hits[0].versions == [OLD]


def test_all_versions_give_one_hit_per_term_with_its_versions(index):
    result = index.search("node", version="all")
    assert result.version == "all"
    assert len(ids(result)) == len(set(ids(result))) == result.total
    by_id = {hit.id: hit for hit in result.hits}
    assert by_id["constrained-node"].versions == [OLD, NEW]
    assert by_id["sleepy-node"].versions == [OLD]
    assert by_id["capable-node"].versions == [NEW]
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_an_unknown_version_is_a_lookup_error(index):
    with pytest.raises(NotFound) as raised:
        index.search("node", version="draft-nonexistent-00")
    assert raised.value.what == "version" and isinstance(raised.value, LookupError)


def test_the_kind_filter(index):
    assert ids(index.search("size", kind="device-class")) == ["class-1"]
    assert index.search("size", kind="term").total == 0
    assert "class-1" not in ids(index.search("constrained", kind="term"))
    assert index.search("constrained", kind="no-such-kind").total == 0


def test_limit_and_offset_page_through_the_hits(index):
    everything = ids(index.search("node"))
    assert ids(index.search("node", limit=1, offset=1)) == everything[1:2]
    assert index.search("node", limit=1).total == len(everything)


# Suggestions and snippets


def test_did_you_mean_when_nothing_matches(index):
    result = index.search("LLM")
    assert result.total == 0
    assert result.suggestion == "LLN"
    assert index.search("node").suggestion is None


def test_the_snippet_marks_the_match(index):
    hit = index.search("attainable").hits[0]
    assert "«attainable»" in hit.snippet
    assert ("attainable", True) in hit.fragments
    assert "".join(text for text, _ in hit.fragments) == hit.snippet.replace("«", "").replace("»", "")


def test_a_hit_on_the_name_shows_the_opening_of_the_definition(index):
    hit = index.search("C1").hits[0]
    assert hit.snippet.startswith("Group: M")
    assert not any(is_match for _, is_match in hit.fragments)
    assert hit.section == Section("3", "Classes of Constrained Devices")


def test_the_result_is_json(index):
    data = json.loads(json.dumps(index.search("constraned node").to_dict()))
    assert data["hits"][0]["id"] == "constrained-node"
    assert data["hits"][0]["section"]["number"] == "2"
    assert {"total", "hits", "suggestion", "query", "version", "kind", "limit", "offset"} <= set(data)


# Malformed queries


@pytest.mark.parametrize(
    "query",
    ['"duty cycle', "AND", "OR OR", "NOT", "*", "?", "node*", "(", ")(", "[RFC7102]", "10^3", "kind:acronym",
     "a AND", "\x00\x01node\x7f", "\ud800", "node " * 1000, "'", '"', "~", "node~2", "^", "the"],
)
def test_malformed_queries_never_raise(index, query):
    result = index.search(query)
    assert result.total >= len(result.hits)
    json.dumps(result.to_dict())


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_a_value_error(index, query):
    with pytest.raises(EmptyQueryError) as raised:
        index.search(query)
    assert isinstance(raised.value, ValueError)


# The index as a cache


def live_generation(cache_dir: Path) -> Path:
    return cache_dir / (cache_dir / "CURRENT").read_text()


def test_the_index_is_rebuilt_when_the_content_hash_changes(cache_dir):
    gateway = make_term("gateway", "Gateway", "A box between a constrained network and the Internet.")
    before = SearchIndex(cache_dir, [OLD_VERSION, NEW_VERSION], "hash-1")
    assert before.search("gateway").total == 0
    after = SearchIndex(cache_dir, [OLD_VERSION, make_version(NEW, *NEW_VERSION.terms, gateway)], "hash-2")
    assert ids(after.search("gateway")) == ["gateway"]
    before.close()
    after.close()


def test_a_content_hash_function_is_followed_while_the_index_is_open(cache_dir):
    store = {"hash": "hash-1", "versions": [OLD_VERSION]}
    index = SearchIndex(cache_dir, lambda: store["versions"], lambda: store["hash"])
    assert index.search("capable").total == 0
    store.update(hash="hash-2", versions=[OLD_VERSION, NEW_VERSION])
    assert ids(index.search("capable")) == ["capable-node"]
    index.close()


def test_deleting_the_cache_folder_never_breaks_search(index, cache_dir):
    expected = ids(index.search("constrained"))
    shutil.rmtree(cache_dir)
    assert ids(index.search("constrained")) == expected
    shutil.rmtree(cache_dir)
    assert ids(SearchIndex(cache_dir, [OLD_VERSION, NEW_VERSION], "hash-1").search("constrained")) == expected


@pytest.mark.parametrize("damage", ["truncate", "garbage", "garbage-same-size-and-time", "delete"])
@pytest.mark.parametrize("victim", ["*.seg", "*.toc", "meta.json"])
def test_a_damaged_index_file_never_breaks_search(index, cache_dir, damage, victim):
    expected = ids(index.search("constrained"))
    damaged = live_generation(cache_dir)
    for path in damaged.glob(victim):
        status = path.stat()
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[: status.st_size // 3])
        elif damage == "delete":
            path.unlink()
        else:
            path.write_bytes(bytes(range(256)) * (status.st_size // 256) + b"\xff" * (status.st_size % 256))
            if damage == "garbage-same-size-and-time":
                os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert ids(index.search("constrained")) == expected
    fresh = SearchIndex(cache_dir, [OLD_VERSION, NEW_VERSION], "hash-1")
    assert ids(fresh.search("constrained")) == expected
    assert live_generation(cache_dir) != damaged  # the damage was seen and the index rebuilt
    fresh.close()


def test_a_read_error_while_searching_rebuilds_and_answers(index, cache_dir, monkeypatch):
    expected = ids(index.search("constrained"))
    before = live_generation(cache_dir)
    search = Searcher.search
    failures = []

    def fail_once(self, *args, **kwargs):
        if not failures:
            failures.append(1)
            raise struct.error("unpack requires a buffer of 4 bytes")
        return search(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "search", fail_once)
    assert ids(index.search("constrained")) == expected
    assert failures and live_generation(cache_dir) != before


@pytest.mark.parametrize("pointer", [b"", b"\x00\xff garbage", b"gen-doesnotexist", b"../../etc"])
def test_a_damaged_pointer_to_the_live_index_never_breaks_search(index, cache_dir, pointer):
    expected = ids(index.search("constrained"))
    (cache_dir / "CURRENT").write_bytes(pointer)
    assert ids(index.search("constrained")) == expected


def test_concurrent_searchers_build_the_index_once(cache_dir):
    builds = []

    def versions():
        builds.append(1)
        return [OLD_VERSION, NEW_VERSION]

    results = []

    def search():
        index = SearchIndex(cache_dir, versions, "hash-1")
        results.append(ids(index.search("constrained")))
        index.close()

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(results) == 4 and all(result == results[0] for result in results)


def test_an_empty_store_finds_nothing(cache_dir):
    result = SearchIndex(cache_dir, [], "empty").search("node")
    assert (result.total, result.hits, result.version) == (0, [], None)


# The real corpus


@pytest.mark.corpus
def test_the_real_corpus(corpus, manifest, tmp_path):
    # ``corpus`` and ``manifest`` (tests/conftest.py) skip only when GLOSSARY_CORPUS is unset.
    from importers import read_version

    xml_files = [corpus / revision["files"]["xml"]["path"] for revision in manifest]  # oldest first
    versions = [read_version(path.read_bytes(), str(path)) for path in xml_files]
    index = SearchIndex(tmp_path / "search", versions, "corpus")
    try:
        newest = versions[-1].name
        result = index.search("class 2")
        assert result.version == newest
        assert result.hits[0].id == "class-2"
        assert result.hits[0].version == newest
        assert ids(index.search("normaly off"))[0] == "normally-off"
        assert ids(index.search("constraned node"))[0] == "constrained-node"
        every = index.search("class 2", version="all")
        assert every.hits[0].id == "class-2" and every.hits[0].versions[-1] == newest
    finally:
        index.close()


# Notes to entry


def test_a_match_in_a_note_finds_the_term_below_matches_in_names_and_definitions(cache_dir):
    from glossary.model import Note

    noted = make_term("class-0", "Class 0", "Group: M; data size (e.g., RAM): ≪ 10 KiB", kind="device-class")
    noted.notes = [Note("Class 0 devices are often tiny sensor nodes or tags. They mostly sleep, then wake up "
                        "to report; a node of this class sleeps sleeps sleeps.", "explanation",
                        Section("3", "Classes of Constrained Devices"))]
    index = SearchIndex(cache_dir, [make_version(NEW, SLEEPY_NODE, noted, CONSTRAINED_NODE)], "hash-notes")
    try:
        only_in_note = index.search("tags")
        assert ids(only_in_note) == ["class-0"]
        [hit] = only_in_note.hits
        assert hit.snippet_from == "note" and "«tags»" in hit.snippet and "tiny sensor nodes" in hit.snippet
        assert hit.to_dict()["snippet_from"] == "note"
        # "sleeps" is said three times in the note, once in Sleepy Node's definition: the definition still wins
        assert ids(index.search("sleeps")) == ["sleepy-node", "class-0"]
        assert index.search("sleeps").hits[0].snippet_from == "definition"
        assert ids(index.search('"tiny sensor nodes"')) == ["class-0"]
        assert ids(index.search("tyni")) == ["class-0"], "a typo of a word only a note has"
    finally:
        index.close()


# Search quality on the real corpus


@pytest.fixture(scope="module")
def corpus_versions(corpus, manifest):
    from importers import read_version

    return [read_version(path.read_bytes(), str(path))
            for path in (corpus / revision["files"]["xml"]["path"] for revision in manifest)]


@pytest.fixture(scope="module")
def corpus_index(corpus_versions, tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("search"), corpus_versions, "corpus")
    yield index
    index.close()


@pytest.mark.parametrize("prefix, kind", [("clas", "device-class"), ("sh", None), ("Sh", None)])
def test_a_prefix_finds_the_terms_it_begins_first(corpus_index, corpus_versions, prefix, kind):
    begun = [t.id for t in corpus_versions[-1].terms
             if any(lookup_key(name).startswith(lookup_key(prefix)) for name in (t.term, *t.aliases))
             and (kind is None or t.kind == kind)]
    assert len(begun) >= 3
    result = corpus_index.search(prefix, limit=len(begun))
    assert sorted(ids(result)) == sorted(begun)


@pytest.mark.parametrize("query", ["clas", "sh", "normaly off", "constraned node", "mains powred", "clas 2"])
def test_a_query_without_an_exact_hit_gets_a_suggestion(corpus_index, query):
    result = corpus_index.search(query)
    assert result.suggestion, query


@pytest.mark.parametrize("query", ["class 2", "constrained node", "duty cycle"])
def test_a_query_with_an_exact_hit_gets_no_suggestion(corpus_index, query):
    result = corpus_index.search(query)
    assert result.hits and result.suggestion is None


def test_a_note_with_every_query_word_ranks_above_definitions_with_fewer(corpus_index, corpus_versions):
    # Class 0's paragraph (a note to entry) has all three words; definitions only have "nodes".
    result = corpus_index.search("tiny sensor nodes")
    assert ids(result)[0] == "class-0" and result.hits[0].snippet_from == "note"
    newest = {t.id: t for t in corpus_versions[-1].terms}
    assert all("tiny" not in newest[hit.id].definition for hit in result.hits[1:] if hit.id in newest)


def test_a_hit_with_every_query_word_ranks_above_one_repeating_a_word(corpus_index, corpus_versions):
    result = corpus_index.search("mains powered")
    assert ids(result)[0] == "mains-powered"  # the term of that whole name
    assert ids(result).index("e9") < ids(result).index("low-power")
    newest = {t.id: t for t in corpus_versions[-1].terms}
    with_both = [hit.id for hit in result.hits
                 if re.search(r"\bmains\b", (newest[hit.id].term + " " + newest[hit.id].definition).lower())]
    assert ids(result)[: len(with_both)] == with_both  # every hit with both words comes first
    assert "low-power" in ids(result)[len(with_both):]


def test_all_versions_show_each_terms_newest_matching_definition(corpus_index, corpus_versions):
    newest = corpus_versions[-1].name
    result = corpus_index.search("class 2", version="all")
    assert result.hits[0].id == "class-2" and result.hits[0].version == newest
    for hit in result.hits:
        assert hit.version == hit.versions[-1]


@pytest.mark.parametrize("query", ['"perfect secret shielding"', "perfect secret shielding"])
def test_words_only_older_versions_have_find_the_term_and_say_where(corpus_index, corpus_versions, query):
    having = [v.name for v in corpus_versions
              if any(t.id == "sh9" and "perfect secret shielding" in t.definition for t in v.terms)]
    assert having and corpus_versions[-1].name not in having
    result = corpus_index.search(query)
    assert result.version == "all"
    assert result.hits[0].id == "sh9"
    assert result.hits[0].versions == having
    assert result.hits[0].version == having[-1]
    # A version named explicitly is searched alone.
    assert "sh9" not in ids(corpus_index.search('"perfect secret shielding"', version=corpus_versions[-1].name))


def test_plain_words_are_read_as_the_query_parser_reads_them(corpus_versions):
    """Queries of plain words skip whoosh's parser: the query must be the one it would have made."""
    import random

    from glossary.search import _PARSER, _parse

    words = sorted({w for v in corpus_versions for t in v.terms for w in re.findall(r"\w+", f"{t.term} {t.definition}")})
    rng = random.Random(7228)
    for _ in range(3000):
        query = " ".join(rng.sample(words, rng.randint(1, 4)))
        query = query.upper() if rng.random() < 0.2 else query
        fast, parsed = _parse(query), _PARSER.parse(query)
        assert (type(fast), repr(fast), getattr(fast, "scale", None)) == \
            (type(parsed), repr(parsed), getattr(parsed, "scale", None)), query
