"""Full-text search over every term of every version, with whoosh.

    index = SearchIndex(Path(".cache/search"), store.load_versions, store.content_hash())
    index.search('"duty cycle"')             # the newest version
    index.search("class 2", version="all")   # one hit per term id, with the versions it matches in
    index.search("constraned node").to_dict() # typos match too; the result is JSON-able

    StoreSearchIndex(store).search("clas")  # the index the store keeps (what the service uses)

The index holds one document per distinct term content (see
glossary.lineage), not one per term-version; which versions a content is in
comes from the lineage index. It lives in one of two places:

- in the store, ``.index/search/``: every import adds the new contents as a
  segment, under the store's lock (update_store_index); a StoreSearchIndex
  opens it and only rebuilds it, under the same lock, when it is missing,
  stale or damaged;
- in a cache folder, for a store that cannot be written: a SearchIndex
  builds it there whole, as ``glossary.search_cache`` tells (its layout, and
  how it is rebuilt when missing, stale or damaged). It opens the live
  generation once and keeps it until CURRENT or the content hash changes; a
  search that fails on a damaged index builds a new one and answers from it.
  When the cache folder cannot be written either (a read-only deployment),
  the SearchIndex builds it in memory, once per process and store content,
  and writes nothing.

Ranking: hits with more of the query's words first (see _Ranking), then
whoosh's BM25F score; one version is searched in a small in-memory index of
its own contents (_LiveIndex.of_version).

Errors a caller turns into HTTP answers:
- ``EmptyQueryError`` (a ``ValueError``): the query is empty or blank -> 400;
- ``ValueError``: a negative limit or offset -> 400;
- ``NotFound`` (glossary.errors): no version of that name -> 404.

Notes to entry are searched too: a term found only by a note ranks below
every term found by its name or definition, and its snippet comes from the
note (``snippet_from``: "note").
Anything else in a query (unbalanced quotes, a lone "AND", "*", control
characters, very long input: cut at MAX_QUERY_CHARS) is read as literal text
and never raises; what analyses to no word at all finds nothing.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import json
import os
import re
import shutil
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

import whoosh.index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.analysis import Token
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.highlight import ContextFragmenter, Formatter, Highlighter, set_matched_filter, top_fragments
from whoosh.qparser import GroupPlugin, MultifieldParser, OperatorsPlugin, OrGroup, PhrasePlugin
from whoosh.query import And, NullQuery, Or, Query, Term as TermQuery

from .errors import NotFound
from .lineage import FILE_NAME as LINEAGE_FILE, Lineage
from .limits import MAX_DEFINITION_CHARS
from .lookup import close_matches
from .model import ALL_VERSIONS, Section, Version, lookup_key
from .search_cache import Generation, IndexCache

# Bump when the schema or the analysis changes: existing indexes then rebuild.
SCHEMA_VERSION = 3
MAX_QUERY_CHARS = 256
SNIPPET_CHARS = 240
# A fuzzy word scores at most this share of an exact one.
FUZZY_BOOST = 0.5
# Boost of a term whose name or alias is the whole query ("class 2", "C2").
NAME_BOOST = 5.0
# A word the index does not know stands for the words it begins, if it has this many letters...
MIN_PREFIX = 2
# ... at most this many of them, the shortest.
MAX_EXPANSIONS = 40
# Versions whose own small index stays in memory once searched (see _LiveIndex).
VERSION_INDEXES_KEPT = 8

SEARCHED_FIELDS = ("term", "aliases", "definition")
# Searched apart, for the terms the fields above do not find: they rank after every one those find.
NOTE_FIELDS = ("notes",)
# A term found by these ranks above every term found only in its notes to entry.
DEFINING_FIELDS = ("term", "aliases", "definition", "names")
# The fields a snippet is cut from.
SNIPPET_FIELDS = ("definition", "notes")
# Words are stemmed ("networks" -> "network"); minsize=1 keeps the "2" of
# "Class 2"; the expression leaves out the "*" whoosh's default keeps for wildcards.
_WORDS = StemmingAnalyzer(expression=r"\w+(\.?\w+)*", minsize=1)
# One document per distinct content of a term (glossary.lineage): most terms
# are the same in most versions, so the index holds a fraction of the
# term-versions, and which versions a content is in comes from the lineage.
SCHEMA = Schema(
    term=TEXT(analyzer=_WORDS, field_boost=4.0, stored=True),
    aliases=TEXT(analyzer=_WORDS, field_boost=3.0, stored=True),
    definition=TEXT(analyzer=_WORDS, stored=True),
    notes=TEXT(analyzer=_WORDS, field_boost=0.5, stored=True),  # its notes to entry, one paragraph each
    kind=ID(stored=True),
    id=ID(stored=True),
    names=KEYWORD,  # lookup_key of the term and of each alias: "class2", "c2"
    section=STORED,
    key=ID(stored=True, unique=True),  # the content's key in the lineage index
)
# Quotes make phrases, parentheses group, AND/OR/NOT combine; every other
# character (*, ?, ^, [], :, ') is literal text.
_PARSER = MultifieldParser(
    SEARCHED_FIELDS,
    SCHEMA,
    group=OrGroup.factory(0.9),
    plugins=[PhrasePlugin(), GroupPlugin(), OperatorsPlugin()],
)
_NOTES_PARSER = MultifieldParser(
    NOTE_FIELDS,
    SCHEMA,
    group=OrGroup.factory(0.9),
    plugins=[PhrasePlugin(), GroupPlugin(), OperatorsPlugin()],
)

class EmptyQueryError(ValueError):
    """The query has no text to search for (an HTTP face answers 400)."""


class Fragment(NamedTuple):
    """A piece of a snippet; ``is_match`` pieces are what the query matched."""

    text: str
    is_match: bool


@dataclass
class SearchHit:
    id: str
    term: str
    aliases: list[str]
    kind: str
    version: str  # the version whose text the hit shows
    versions: list[str]  # every version the term matches in, in lineage order
    section: Section
    score: float
    fragments: list[Fragment]
    snippet_from: str = "definition"  # or "note": where the query matched, when only a note to entry has it

    @property
    def snippet(self) -> str:
        """The definition (or note) excerpt as plain text, matches wrapped in « »."""
        return "".join(f"«{f.text}»" if f.is_match else f.text for f in self.fragments)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "term": self.term,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "version": self.version,
            "versions": list(self.versions),
            "section": self.section.to_dict(),
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_from": self.snippet_from,
            "fragments": [{"text": f.text, "is_match": f.is_match} for f in self.fragments],
        }


@dataclass
class SearchResult:
    query: str  # as searched: control characters as spaces, cut at MAX_QUERY_CHARS
    version: str | None  # the version searched (None only when the store is empty), or "all"
    kind: str | None
    limit: int
    offset: int
    total: int
    hits: list[SearchHit]
    suggestion: str | None = None  # "did you mean", only when nothing matched

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "version": self.version,
            "kind": self.kind,
            "limit": self.limit,
            "offset": self.offset,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "suggestion": self.suggestion,
        }


class _Lexicon:
    """The words indexed in some fields, in memory, to find near misses of a typo.

    (whoosh's FuzzyTerm does the same through a Python automaton over the
    on-disk term index, some ten times slower.)
    """

    def __init__(self, words):
        self._words = set(words)
        self._by_initial: dict[str, list[str]] = {}
        for word in self._words:
            self._by_initial.setdefault(word[:1], []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def starting(self, prefix: str) -> list[str]:
        """Indexed words that begin with ``prefix`` (of two letters or more), the shortest first."""
        if len(prefix) < MIN_PREFIX:
            return []
        begun = [word for word in self._by_initial.get(prefix[:1], ()) if word.startswith(prefix) and word != prefix]
        return sorted(begun, key=lambda word: (len(word), word))[:MAX_EXPANSIONS]

    def near(self, word: str) -> list[str]:
        """Indexed words a typo or two away from ``word``, with its first letter."""
        limit = _typo_distance(word)
        if not limit:
            return []
        return [
            known
            for known in self._by_initial.get(word[:1], ())
            if abs(len(known) - len(word)) <= limit and _edit_distance(word, known, limit) <= limit
        ]


@dataclass
class _Searched:
    """A whoosh searcher, and what is kept of its documents while it is open."""

    searcher: Any
    keys: list[str]  # by document number: each document's content key, known without reading it
    snippets: dict = field(default_factory=dict)  # highlighted definitions: see _snippet
    vocabularies: dict = field(default_factory=dict)  # for "did you mean", by kind
    kinds: dict = field(default_factory=dict)  # kind -> its document numbers
    word_documents: dict = field(default_factory=dict)  # word -> the documents having it: see _has_every_word


@dataclass
class _LiveIndex:
    """One opened index with its lineage, reused until the store changes.

    A search of one version goes to a small index of that version's contents
    alone, made in memory from the lineage when first searched (the last
    VERSION_INDEXES_KEPT are kept): matching then walks the postings of its
    few documents, not those of every content of every version.
    """

    generation: str
    lineage: Lineage
    whole: _Searched  # every content of every version
    words: _Lexicon  # of the term, aliases and definition fields
    names: _Lexicon  # of the names field
    docnums: dict  # content key -> document number
    by_version: OrderedDict = field(default_factory=OrderedDict)  # position -> _Searched

    @property
    def searcher(self):
        return self.whole.searcher

    @classmethod
    def open(cls, generation: str, searcher, lineage: Lineage) -> _LiveIndex:
        reader = searcher.reader()
        words = _Lexicon(word for name in (*SEARCHED_FIELDS, *NOTE_FIELDS) for word in reader.field_terms(name))
        keys = [""] * reader.doc_count_all()
        for docnum, fields in reader.iter_docs():
            keys[docnum] = fields["key"]
        docnums = {key: docnum for docnum, key in enumerate(keys) if key}
        missing = [key for key in lineage.records if key not in docnums]
        if missing:
            raise ValueError(f"the search index lacks {len(missing)} content(s) of the lineage")
        return cls(generation, lineage, _Searched(searcher, keys), words, _Lexicon(reader.field_terms("names")),
                   docnums)

    @classmethod
    def read(cls, generation: Generation) -> _LiveIndex:
        lineage = Lineage.from_bytes(generation.read_file(LINEAGE_FILE))
        return cls.open(generation.name, generation.searcher, lineage)

    @property
    def version_names(self) -> list[str]:
        return [name for name, _ in self.lineage.versions]

    def of_version(self, position: int) -> _Searched:
        found = self.by_version.get(position)
        if found is not None:
            self.by_version.move_to_end(position)
            return found
        index = _MemoryOnly().create_index(SCHEMA)
        writer = _writer(index)
        keys = self.lineage.keys_at(position)
        for key in keys:  # document numbers in this order
            writer.add_document(**_document(self.lineage.records[key], key))
        writer.commit()
        found = self.by_version[position] = _Searched(index.searcher(), keys)
        while len(self.by_version) > VERSION_INDEXES_KEPT:
            _, dropped = self.by_version.popitem(last=False)
            dropped.searcher.close()
        return found

    def close(self) -> None:
        for searched in self.by_version.values():
            searched.searcher.close()
        self.whole.searcher.close()


class _MemoryOnly(RamStorage):
    """A RamStorage whose writers keep their temporary files in memory too.

    (whoosh's RamStorage puts them in a folder of the system's temporary
    directory named after the index, the same for every index of that name:
    two processes or threads writing at once delete each other's files.)
    """

    def temp_storage(self, name=None):
        return RamStorage()


class _Searching:
    """What every index answers: searches over the live index that ``_live_index`` gives."""

    _lock: threading.RLock

    def search(
        self,
        query: str,
        version: str | None = None,
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResult:
        """Terms matching ``query``, best first.

        ``version`` None searches the newest version, "all" every version with
        one hit per term id; ``kind`` keeps only terms of that kind.
        """
        text = _clean_query(query)
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        with self._lock:
            try:
                return _search(self._live_index(), text, version, kind, limit, offset)
            except NotFound:
                raise
            except Exception:
                # A damaged index shows itself as whoosh, I/O, struct or pickle
                # errors while reading: build a new one and answer from it.
                return self._recover(text, version, kind, limit, offset)

    def _recover(self, *query) -> SearchResult:
        return _search(self._repaired(), *query)

    def close(self) -> None:
        with self._lock:
            if self._live:
                self._live.close()
                self._live = None


class SearchIndex(_Searching):
    """Search over the versions of a store, through an index cached in ``cache_dir``.

    ``versions`` is the list of versions in lineage order (oldest first), or a
    function returning it; it is only called when the index is (re)built.
    ``content_hash`` identifies the store's content: a string, or a function
    returning it (checked on every search, so keep it cheap) when the store
    may change while this object lives.
    """

    def __init__(
        self,
        cache_dir: Path,
        versions: Callable[[], list[Version]] | list[Version],
        content_hash: str | Callable[[], str],
    ):
        self.cache_dir = Path(cache_dir)
        self._cache = IndexCache(self.cache_dir, SCHEMA, SCHEMA_VERSION)
        self._load_versions = versions if callable(versions) else (lambda: list(versions))
        self._content_hash = content_hash if callable(content_hash) else (lambda: content_hash)
        self._live: _LiveIndex | None = None
        self._lock = threading.RLock()  # a whoosh searcher is not for concurrent threads

    def rebuild(self) -> None:
        """Build a fresh index now, whatever the state of the current one."""
        with self._lock:
            self._open_or_build(damaged=self._live.generation if self._live else self._cache.current())

    def _repaired(self) -> _LiveIndex:
        return self._open_or_build(damaged=self._live.generation if self._live else None)

    def _live_index(self) -> _LiveIndex:
        live = self._live
        if (live and live.generation in (IN_MEMORY, self._cache.current())
                and self._meta_hash == self._content_hash()):
            return live
        return self._open_or_build()

    def _open_or_build(self, damaged: str | None = None) -> _LiveIndex:
        """Open the live generation, first building a new one if it is missing, stale or ``damaged``."""
        self.close()

        def read(generation: Generation) -> _LiveIndex:
            self._meta_hash = generation.meta["content_hash"]
            return _LiveIndex.read(generation)

        try:
            self._live = self._cache.open_or_build(self._content_hash, self._load_versions, _build, read,
                                                   damaged=damaged)
        except OSError as error:
            if error.errno not in _CANNOT_WRITE:
                raise
            self._meta_hash = self._content_hash()
            self._live = _in_memory(self._load_versions())
        return self._live


# The generation of an index built in memory, when the cache folder cannot be written.
IN_MEMORY = "in-memory"
_CANNOT_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS}


def _in_memory(versions: list[Version]) -> _LiveIndex:
    """The whole index of ``versions``, as _build makes it, in memory only."""
    lineage = Lineage.build(versions)
    index = _MemoryOnly().create_index(SCHEMA)
    writer = index.writer()
    for key, record in lineage.records.items():
        writer.add_document(**_document(record, key))
    writer.commit()
    return _LiveIndex.open(IN_MEMORY, index.searcher(), lineage)


class StoreSearchIndex(_Searching):
    """Search through the index a store keeps beside its versions (see update_store_index).

    Imports write it under the store's lock; this only opens it. Should it
    be missing, stale or damaged, it is brought in step under the lock (the
    repair path), as an import would have.
    """

    def __init__(self, store, lineage=None):
        """``lineage()``: the store's lineage index, as a reader that holds it already gives it (by
        default, read from the store)."""
        self.store = store
        self._lineage = lineage or (lambda: store.lineage())
        self.directory = store.derived_directory / SEARCH_DIR
        self._live: _LiveIndex | None = None
        self._lock = threading.RLock()

    def _live_index(self) -> _LiveIndex:
        if self._live is None:
            self._live = self._open(repair=False)
        return self._live

    def _repaired(self) -> _LiveIndex:
        self.close()
        self._live = self._open(repair=True)
        return self._live

    def _recover(self, *query) -> SearchResult:
        """Open the index afresh (an import may have merged segments under this one); rebuild it
        only if it fails again."""
        self.close()
        try:
            self._live = self._open(repair=False)
            return _search(self._live, *query)
        except NotFound:
            raise
        except Exception:
            return _search(self._repaired(), *query)

    def _open(self, repair: bool) -> _LiveIndex:
        if not repair:
            live = self._try_open(self._lineage())
            if live is not None:
                return live
        with self.store.locked():  # an import may be writing it: wait, then look again
            lineage = self.store.lineage()
            live = None if repair else self._try_open(lineage)
            if live is None:
                update_store_index(self.directory, lineage, rebuild=repair)
                live = self._try_open(lineage)
        if live is None:
            raise RuntimeError(f"the search index in {self.directory} cannot be read")
        return live

    def _try_open(self, lineage: Lineage) -> _LiveIndex | None:
        searcher = None
        try:
            state = json.loads((self.directory / STATE_FILE).read_bytes())
            if state != _state(lineage.versions, lineage.records):
                return None
            searcher = whoosh.index.open_dir(str(self.directory)).searcher()
            return _LiveIndex.open(f"store-{len(lineage.versions)}", searcher, lineage)
        except Exception:
            if searcher is not None:
                searcher.close()
            return None


# Searching


def _search(live: _LiveIndex, text: str, version, kind, limit: int, offset: int) -> SearchResult:
    names = live.version_names
    scope = _scope(names, version)
    result = SearchResult(text, scope, kind, limit, offset, total=0, hits=[])
    if scope is None:  # an empty store
        return result
    ranking = _Ranking(live, text)
    ranked, matched = _ranked(live, ranking, scope, kind)
    exact = bool(ranked) and ranked[0].exact
    every_word = _every_word(ranking)
    if not exact and version is None and scope != ALL_VERSIONS and every_word is not None \
            and _has_every_word(live.whole, ranking.words):
        # Words only older versions have together ("perfect secret shielding"): the terms
        # whose contents have them all, and where.
        everywhere, matched_everywhere = _ranked(live, ranking, ALL_VERSIONS, kind,
                                                 And([ranking.query, every_word]))
        if everywhere and everywhere[0].exact:
            result.version, ranked, matched, exact = ALL_VERSIONS, everywhere, matched_everywhere, True
    result.total = len(ranked)
    result.hits = [_search_hit(found, matched) for found in ranked[offset : offset + limit]]
    if not exact:
        result.suggestion = _did_you_mean(text, *_vocabulary(_searched(live, scope), kind))
        if result.suggestion is None and ranked:
            result.suggestion = ranked[0].record["term"]
    return result


class _Ranking:
    """A query as searched, and how much of it a hit matches.

    Ranking is by coverage first: a hit matching every word of the query
    (exactly, stemmed, or through a typo or prefix expansion of it) comes
    before one that matches fewer, however often it repeats them; whoosh's
    score orders hits of equal coverage. A hit is exact when it matches every
    word as written (stems included), or is named by the whole query.
    """

    def __init__(self, live: _LiveIndex, text: str):
        parsed = _parse(text)
        self.words = {_text(word) for field_name, word in parsed.all_terms() if field_name in SEARCHED_FIELDS}
        self.origin: dict[str, str] = {}  # expanded word -> the query word it stands for
        widened = _widened(parsed, live.words, self.origin)
        self.exact_name = lookup_key(text) in live.names
        self.query = Or([widened, _whole_name(text, live.names, live.words)])
        self.notes_query = _widened(_parse(text, _NOTES_PARSER, NOTE_FIELDS), live.words, self.origin)

    def coverage(self, hit) -> tuple[int, bool]:
        """How many query words ``hit`` matches, and whether it matches them all exactly."""
        covered, exact, named = set(), set(), False
        for field_name, word in hit.matched_terms():
            word = _text(word)
            if field_name == "names":
                named = True
            elif word in self.words:
                covered.add(word)
                exact.add(word)
            elif word in self.origin:
                covered.add(self.origin[word])
        if named:
            return len(self.words), self.exact_name or (bool(self.words) and exact == self.words)
        return len(covered), bool(self.words) and exact == self.words


@dataclass
class _Found:
    hit: Any
    score: float
    coverage: int
    exact: bool
    version: str  # the version whose content is shown
    versions: list[str] | Callable[[], list[str]]
    snippets: dict  # kept for the searcher that found it
    record: dict  # the content's record in the lineage index: what the hit shows


def _every_word(ranking: _Ranking) -> Query | None:
    """A query for the contents that have every word of the query (None for a query without words)."""
    if not ranking.words:
        return None
    return And([Or([TermQuery(name, word) for name in SEARCHED_FIELDS]) for word in sorted(ranking.words)])


MAX_WORDS_KEPT = 4096


def _has_every_word(searched: _Searched, words: set[str]) -> bool:
    """Whether a document of ``searched`` has each of ``words`` in a searched field: when none has,
    the ranked search of _every_word would find nothing, and is not run."""
    kept = searched.word_documents
    common = None
    for word in sorted(words):
        documents = kept.get(word)
        if documents is None:
            if len(kept) >= MAX_WORDS_KEPT:
                kept.clear()
            searcher = searched.searcher
            documents = kept[word] = frozenset(
                docnum for name in SEARCHED_FIELDS for docnum in searcher.docs_for_query(TermQuery(name, word)))
        common = documents if common is None else common & documents
        if not common:
            return False
    return True


def _ranked(live: _LiveIndex, ranking: _Ranking, scope: str, kind: str | None,
            query: Query | None = None) -> tuple[list[_Found], frozenset]:
    """The hits of ``query`` (default: the ranking's, then the terms only their notes to entry have it)
    in ``scope`` (a version name or "all"), best first, and the (field, word) pairs they matched."""
    searched = _searched(live, scope)
    allowed = _of_kind(searched, kind)
    if allowed is not None and not allowed:  # (whoosh reads an empty filter as none)
        return [], frozenset()
    found, matched = _found(live, ranking, scope, searched, query or ranking.query, allowed)
    if query is None:
        in_notes, matched_in_notes = _found(live, ranking, scope, searched, ranking.notes_query, allowed)
        ids = {found_.record["id"] for found_ in found}
        only_in_notes = [found_ for found_ in in_notes if found_.record["id"] not in ids]
        # A term found only by a note comes after those found by name or definition that have as many
        # of the query's words; one that has more of them comes first ("tiny sensor nodes": Class 0).
        found = sorted([*((entry, False) for entry in found), *((entry, True) for entry in only_in_notes)],
                       key=lambda pair: (-pair[0].coverage, pair[1]))
        found = [entry for entry, _ in found]
        matched |= matched_in_notes
    return found, matched


def _found(live: _LiveIndex, ranking: _Ranking, scope: str, searched: _Searched, query: Query,
           allowed) -> tuple[list[_Found], frozenset]:
    """The hits of ``query``, best first, and the (field, word) pairs they matched."""
    matches = searched.searcher.search(query, filter=allowed, limit=None, terms=True)
    if scope == ALL_VERSIONS:
        found = _best_hit_per_term(matches, live, ranking, searched)
    else:
        records = live.lineage.records
        found = [_Found(hit, hit.score, *ranking.coverage(hit), scope, [scope], searched.snippets,
                        records[searched.keys[hit.docnum]]) for hit in matches]
    # Equal scores in the order of the ids (numbers as numbers: Class 2 before Class 10), whatever
    # the order of the documents in the index.
    found.sort(key=lambda entry: (-entry.coverage, -round(entry.score, 6), _natural(entry.record["id"])))
    # What whoosh highlights in a definition or a note: these (field, word) pairs, wherever they are in it.
    matched = frozenset((name, _text(word)) for name, word in matches.matched_terms() if name in SNIPPET_FIELDS)
    return found, matched


def _searched(live: _LiveIndex, scope: str) -> _Searched:
    return live.whole if scope == ALL_VERSIONS else live.of_version(live.version_names.index(scope))


def _natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _text(word) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else word


def _of_kind(searched: _Searched, kind: str | None) -> set | None:
    """The documents of one kind (None: any)."""
    if not kind:
        return None
    if kind not in searched.kinds:
        searched.kinds[kind] = set(searched.searcher.docs_for_query(TermQuery("kind", kind)))
    return searched.kinds[kind]


def _vocabulary(searched: _Searched, kind: str | None) -> tuple[list[str], set[str]]:
    """The names and aliases, and every word, of the documents searched."""
    if kind not in searched.vocabularies:
        searcher = searched.searcher
        allowed = _of_kind(searched, kind)
        documents = (searcher.stored_fields(docnum) for docnum in allowed) if allowed is not None \
            else searcher.all_stored_fields()
        names, words = set(), set()
        for document in documents:
            names.update([document["term"], *document["aliases"]])
            words.update(re.findall(r"\w+", f'{document["term"]} {document["definition"]} {document["notes"]}'.casefold()))
        searched.vocabularies[kind] = (sorted(names), words)
    return searched.vocabularies[kind]


# Writing the index


STATE_FILE = "state.json"
SEARCH_DIR = "search"


def update_store_index(directory: Path, lineage: Lineage, rebuild: bool = False,
                       previous: tuple[list, set] | None = None) -> None:
    """Add to the index in ``directory`` the contents of ``lineage`` it lacks (one new segment).

    Called under the store's lock. A missing index, one of another schema,
    one that cannot be read, one holding a content the lineage no longer has,
    or ``rebuild``, is built anew from the lineage.
    state.json, written last, names the versions and contents the index is complete for.
    ``previous`` is (versions, content keys) of the lineage before the import:
    when the index is complete for those versions, the contents it lacks are
    the new ones, found without reading its documents.
    """
    directory = Path(directory)
    index = None
    known: set = set()
    if not rebuild:
        try:
            state = json.loads((directory / STATE_FILE).read_bytes())
            if state["schema"] == SCHEMA_VERSION:
                index = whoosh.index.open_dir(str(directory))
                if previous is not None and state == _state(*previous):
                    known = previous[1]
                else:
                    with index.searcher() as searcher:
                        known = {fields["key"] for _, fields in searcher.reader().iter_docs()}
        except Exception:  # missing or damaged: built anew
            index, known = None, set()
    if index is not None and not known <= lineage.records.keys():
        # A content no version has any more (a version replaced): built anew, so that what
        # ranks a hit (document counts, field lengths) is that of the versions stored.
        index.close()
        index, known = None, set()
    with contextlib.suppress(FileNotFoundError):
        (directory / STATE_FILE).unlink()
    if index is None:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        index = whoosh.index.create_in(str(directory), SCHEMA)
    missing = [key for key in lineage.records if key not in known]
    if missing:
        writer = _writer(index)
        for key in missing:
            writer.add_document(**_document(lineage.records[key], key))
        writer.commit()
    index.close()
    temporary = directory / f".{STATE_FILE}.tmp"
    temporary.write_bytes(json.dumps(_state(lineage.versions, lineage.records)).encode())
    os.replace(temporary, directory / STATE_FILE)


def _state(versions: list, contents) -> dict:
    """What state.json says of an index complete for these versions and these contents (their keys).

    The contents are named too: a version replaced by one read from the same
    source by other rules has the same name and source hash.
    """
    digest = hashlib.sha256("\n".join(sorted(contents)).encode()).hexdigest()
    return {"schema": SCHEMA_VERSION, "versions": versions, "contents": digest}


def _build(folder: Path, versions: list[Version]) -> int:
    """A whole index of ``versions`` into ``folder`` (for IndexCache), with its lineage; the document count."""
    lineage = Lineage.build(versions)
    index = whoosh.index.create_in(str(folder), SCHEMA)
    with _writer(index) as writer:
        for key, record in lineage.records.items():
            writer.add_document(**_document(record, key))
    index.close()
    (folder / LINEAGE_FILE).write_bytes(lineage.to_bytes())
    return len(lineage.records)


def _writer(index):
    # Posting blocks uncompressed: zlib was a fifth of writing the index and of reading postings at
    # each search, for an index of a few megabytes at most. Each block records its compression, so
    # segments written either way read alike.
    return index.writer(codec=W3Codec(compression=0))


# The documents indexed


def _field_text(record: dict, fieldname: str) -> str:
    """The text of a record that the field ``fieldname`` ("definition" or "notes") indexes."""
    if fieldname == "notes":
        return "\n\n".join(note["text"] for note in record.get("notes", []))
    return record[fieldname]


def _document(record: dict, key: str) -> dict:
    names = [record["id"], record["term"], *record["aliases"]]
    return {
        "term": record["term"],
        "aliases": "\n".join(record["aliases"]),
        "_stored_aliases": list(record["aliases"]),
        "definition": record["definition"][:MAX_DEFINITION_CHARS],  # all of any definition an import accepts
        "notes": _field_text(record, "notes"),
        "kind": record["kind"],
        "id": record["id"],
        "names": " ".join(lookup_key(name) for name in names),
        "section": record["section"],
        "key": key,
    }


# Queries


def _clean_query(query: str) -> str:
    """The query as searchable text: control characters as spaces, at most MAX_QUERY_CHARS."""
    if not isinstance(query, str) or not query.strip():
        raise EmptyQueryError("the query is empty: give at least one word to search for")
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in query[:MAX_QUERY_CHARS])
    return " ".join(text.split())


def _scope(names: list[str], version: str | None) -> str | None:
    """The version to search: the newest for None, "all", or a known version's name."""
    if version is None:
        return names[-1] if names else None
    if version == ALL_VERSIONS or version in names:
        return version
    raise NotFound("version", version, None, close_matches(version, names))


# Words and spaces only, none an operator: the parser's answer is known without running it.
_PLAIN_QUERY = re.compile(r"[^\W_]+(?:\s+[^\W_]+)*")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _parse(text: str, parser: MultifieldParser = _PARSER, fields: tuple = SEARCHED_FIELDS) -> Query:
    if _PLAIN_QUERY.fullmatch(text) and not _OPERATORS.intersection(text.split()):
        # What _PARSER gives for plain words (whoosh's parser costs more than the search).
        words = [[token.text for token in _WORDS(word)] for word in text.split()]
        if all(len(tokens) <= 1 for tokens in words):
            unique = dict.fromkeys(tokens[0] for tokens in words if tokens)  # as the parser, once each
            terms = [TermQuery(name, token) for token in unique for name in fields]
            return Or(terms, scale=0.9) if terms else NullQuery
    try:
        return parser.parse(text)
    except Exception:
        # Syntax whoosh cannot make sense of: search the words alone.
        return parser.parse(re.sub(r'["()]', " ", text).lower())


def _widened(query: Query, lexicon: _Lexicon, origin: dict[str, str]) -> Query:
    """``query`` with each word the index does not know replaced by the words it may stand for.

    Those are the indexed words it begins (``clas``: class, classif...) and
    its near misses (a typo or two away). Words the index knows stay exact,
    so expansion only happens where exact and stemmed words find nothing, and
    a typo never pulls in look-alikes of a real word; expansions weigh
    FUZZY_BOOST, so exact matches rank first. ``origin`` records which query
    word each expansion stands for.
    """

    def widen_if_unknown(node: Query) -> Query:
        if type(node) is TermQuery and node.fieldname in (*SEARCHED_FIELDS, *NOTE_FIELDS) and node.text not in lexicon:
            boost = node.boost * FUZZY_BOOST
            expansions = list(dict.fromkeys([*lexicon.starting(node.text), *lexicon.near(node.text)]))
            for expansion in expansions:
                origin.setdefault(expansion, node.text)
            return Or([TermQuery(node.fieldname, word, boost=boost) for word in expansions])
        return node

    return query.accept(widen_if_unknown)


def _whole_name(text: str, names: _Lexicon, words: _Lexicon) -> Query:
    """Matches the terms named (or aliased) by the whole query; else those whose names it begins
    (``sh``: Sh0 to Sh9) or, with a typo, near misses."""
    key = lookup_key(text)
    if key in names:
        return TermQuery("names", key, boost=NAME_BOOST)
    begun = [TermQuery("names", name, boost=NAME_BOOST * FUZZY_BOOST) for name in names.starting(key)]
    if all(token.text in words for token in _WORDS(text)):
        return Or(begun) if begun else NullQuery
    return Or([*begun, *(TermQuery("names", near, boost=NAME_BOOST * FUZZY_BOOST) for near in names.near(key))])


def _typo_distance(word: str) -> int:
    """How many edits a (stemmed) word may be from a match: none below 4 letters."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``,
    or ``limit + 1`` as soon as it is sure to exceed ``limit``."""
    before, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if before and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _best_hit_per_term(matches, live: _LiveIndex, ranking: _Ranking, searched: _Searched) -> list[_Found]:
    """One entry per term id: of its contents that match the most query words, the
    newest is shown, with the best score and every version those contents are in."""
    names = live.version_names
    lineage = live.lineage
    by_term: dict[str, list] = {}
    for hit in matches:
        key = searched.keys[hit.docnum]
        spans = lineage.spans_of(key)
        if spans:  # (a content of a version since replaced is in no version)
            by_term.setdefault(lineage.records[key]["id"], []).append((hit, ranking.coverage(hit), spans[-1][1], key))
    found = []
    for hits in by_term.values():
        best = max(coverage for _, coverage, _, _ in hits)
        hits = [entry for entry in hits if entry[1] == best]
        shown, _, end, shown_key = max(hits, key=lambda entry: entry[2])
        score = max(hit.score for hit, _, _, _ in hits)
        keys = [key for _, _, _, key in hits]
        found.append(_Found(shown, score, *best, names[end - 1], _Versions(lineage, names, keys), searched.snippets,
                            lineage.records[shown_key]))
    return found


class _Versions:
    """The names of the versions with any of some contents, worked out only for the hits shown."""

    def __init__(self, lineage: Lineage, names: list[str], keys: list[str]):
        self.lineage, self.names, self.keys = lineage, names, keys

    def __call__(self) -> list[str]:
        positions = sorted({position for key in self.keys for position in self.lineage.positions_of(key)})
        return [self.names[position] for position in positions]


def _did_you_mean(text: str, names: list[str], words: set[str]) -> str | None:
    """A term name close to the query, else the query with each unknown word corrected."""
    by_key = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(text.casefold(), by_key, n=1, cutoff=0.6)
    if close:
        return by_key[close[0]]
    asked = re.findall(r"\w+", text.casefold())
    corrected = [
        word if word in words else next(iter(difflib.get_close_matches(word, words, n=1, cutoff=0.7)), word)
        for word in asked
    ]
    return " ".join(corrected) if corrected != asked else None


# Hits and snippets


class _FragmentFormatter(Formatter):
    """Highlights as Fragment pieces, so each face marks matches its own way."""

    def format(self, fragments, replace=False) -> list[Fragment]:
        pieces, position = [], 0
        for fragment in fragments:  # in text order
            skipped = fragment.text[position : fragment.startchar]
            if skipped.strip():
                pieces.append(Fragment(" … " if pieces else "… ", False))
            elif skipped and pieces:
                pieces.append(Fragment(" ", False))
            pieces += _split_at_matches(fragment)
            position = fragment.endchar
        if fragments and fragments[-1].text[position:].strip():
            pieces.append(Fragment(" …", False))
        return [piece for piece in pieces if piece.text]


def _split_at_matches(fragment) -> list[Fragment]:
    """A whoosh highlight fragment as plain and matched pieces, each on one line."""
    text, position, pieces = fragment.text, fragment.startchar, []
    for token in sorted(fragment.matches, key=lambda token: token.startchar):
        if token.startchar >= position:
            pieces.append(Fragment(text[position : token.startchar], False))
            pieces.append(Fragment(text[token.startchar : token.endchar], True))
            position = token.endchar
    pieces.append(Fragment(text[position : fragment.endchar], False))
    return [Fragment(re.sub(r"\s+", " ", piece.text), piece.is_match) for piece in pieces]


_HIGHLIGHTER = Highlighter(
    fragmenter=ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
    formatter=_FragmentFormatter(),
)


def _found_only_in_notes(hit) -> bool:
    """Whether the query matched none of the term's names and not its definition: only a note to entry."""
    return not any(fieldname in DEFINING_FIELDS for fieldname, _ in hit.matched_terms())


def _search_hit(found: _Found, matched: frozenset = frozenset()) -> SearchHit:
    hit = found.hit
    # The stored fields are the record's (see _document): read from the lineage index, not unpickled.
    record = found.record
    from_note = _found_only_in_notes(hit) and any(name == "notes" for name, _ in hit.matched_terms())
    fieldname = "notes" if from_note else "definition"
    return SearchHit(
        id=record["id"],
        term=record["term"],
        aliases=list(record["aliases"]),
        kind=record["kind"],
        version=found.version,
        versions=found.versions() if callable(found.versions) else found.versions,
        section=Section.from_dict(record["section"]),
        score=found.score,
        fragments=_snippet(hit, _field_text(record, fieldname), found.snippets, matched, fieldname),
        snippet_from="note" if from_note else "definition",
    )


MAX_SNIPPETS_KEPT = 4096


def _snippet(hit, text: str, kept: dict | None = None, matched: frozenset = frozenset(),
             fieldname: str = "definition") -> list[Fragment]:
    """Where the query matched ``text``, the field ``fieldname`` (the definition, or the notes when only
    they have it), else the opening of ``text``.

    Highlighting analyses the whole text again, the costliest part of a
    search; its outcome only depends on the document, the field and on the
    words of ``matched`` (the (field, word) pairs the query matched in any
    hit) it has, so it is kept in ``kept`` (per opened index), and so are the
    text's tokens.
    """
    if any(name == fieldname for name, _ in hit.matched_terms()):
        analysed = kept.get((hit.docnum, fieldname)) if kept is not None else None
        if analysed is None:
            tokens = [(t.text, t.pos, t.startchar, t.endchar, t.stopped) for t in _WORDS(
                text, positions=True, chars=True, mode="index", removestops=False)]
            analysed = (tokens, frozenset(token[0] for token in tokens))
        tokens, words = analysed
        # Only the matched words this text has change its snippet.
        here = words.intersection(word for name, word in matched if name == fieldname)
        key = (hit.docnum, fieldname, here)
        if kept is not None and key in kept:
            return list(kept[key])
        fragments = (_highlight(text, here, tokens) if here else None) or _opening(text)
        if kept is not None:
            if len(kept) >= MAX_SNIPPETS_KEPT:
                kept.clear()
            kept[key] = tuple(fragments)
            kept[(hit.docnum, fieldname)] = analysed
        return fragments
    return _opening(text)


def _highlight(text: str, words: frozenset[str], tokens: list[tuple]) -> list[Fragment]:
    """What whoosh's Highlighter.highlight_hit(top=2) gives, from the tokens of the text."""
    fresh = (Token(text=word, pos=pos, startchar=start, endchar=end, stopped=stopped, positions=True, chars=True)
             for word, pos, start, end, stopped in tokens)
    merged = _HIGHLIGHTER._merge_matched_tokens(set_matched_filter(fresh, words))
    fragments = _HIGHLIGHTER.fragmenter.fragment_tokens(text, merged)
    return _HIGHLIGHTER.formatter.format(
        top_fragments(fragments, 2, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order, minscore=1))


def _opening(definition: str) -> list[Fragment]:
    text = re.sub(r"\s+", " ", definition).strip()
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return [Fragment(text, False)] if text else []
