"""Full-text search over every term of every version, with whoosh.

    index = SearchIndex(Path(".cache/search"), store.load_versions, store.content_hash())
    index.search('"duty cycle"')             # the newest version
    index.search("class 2", version="all")   # one hit per term id, with the versions it matches in
    index.search("constraned node").to_dict() # typos match too; the result is JSON-able

The index is a cache derived from the store, kept in ``cache_dir`` by
``glossary.search_cache`` (its layout, and how it is rebuilt when missing,
stale or damaged, are told there). A SearchIndex opens the live generation
once and keeps it until CURRENT or the content hash changes; a search that
fails on a damaged index builds a new one and answers from it.

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

import difflib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, Formatter, Highlighter
from whoosh.qparser import GroupPlugin, MultifieldParser, OperatorsPlugin, OrGroup, PhrasePlugin
from whoosh.query import And, NullQuery, Or, Query, Term as TermQuery

from .errors import NotFound
from .lookup import close_matches
from .model import ALL_VERSIONS, Section, Term, Version, lookup_key
from .search_cache import Generation, IndexCache


# Bump when the schema or the analysis changes: existing indexes then rebuild.
SCHEMA_VERSION = 2
MAX_QUERY_CHARS = 256
SNIPPET_CHARS = 240
# A fuzzy word scores at most this share of an exact one.
FUZZY_BOOST = 0.5
# Boost of a term whose name or alias is the whole query ("class 2", "C2").
NAME_BOOST = 5.0

SEARCHED_FIELDS = ("term", "aliases", "definition", "notes")
# A term found by these ranks above every term found only in its notes to entry.
DEFINING_FIELDS = ("term", "aliases", "definition", "names")
# Words are stemmed ("networks" -> "network"); minsize=1 keeps the "2" of
# "Class 2"; the expression leaves out the "*" whoosh's default keeps for wildcards.
_WORDS = StemmingAnalyzer(expression=r"\w+(\.?\w+)*", minsize=1)
SCHEMA = Schema(
    term=TEXT(analyzer=_WORDS, field_boost=4.0, stored=True),
    aliases=TEXT(analyzer=_WORDS, field_boost=3.0, stored=True),
    definition=TEXT(analyzer=_WORDS, stored=True),
    notes=TEXT(analyzer=_WORDS, field_boost=0.5, stored=True),  # its notes to entry, one paragraph each
    kind=ID(stored=True),
    version=ID(stored=True),
    id=ID(stored=True),
    names=KEYWORD,  # lookup_key of the term and of each alias: "class2", "c2"
    section=STORED,
    order=NUMERIC(stored=True, sortable=True),
)
# Quotes make phrases, parentheses group, AND/OR/NOT combine; every other
# character (*, ?, ^, [], :, ') is literal text.
_PARSER = MultifieldParser(
    SEARCHED_FIELDS,
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
class _LiveIndex:
    """One opened generation of the index, reused until it goes stale."""

    generation: str
    meta: dict
    searcher: Any
    words: _Lexicon  # of the term, aliases and definition fields
    names: _Lexicon  # of the names field
    vocabularies: dict = field(default_factory=dict)  # for "did you mean", by filter
    snippets: dict = field(default_factory=dict)  # highlighted definitions: see _snippet

    @classmethod
    def read(cls, generation: Generation) -> _LiveIndex:
        reader = generation.searcher.reader()
        words = _Lexicon(word for name in SEARCHED_FIELDS for word in reader.field_terms(name))
        return cls(generation.name, generation.meta, generation.searcher, words, _Lexicon(reader.field_terms("names")))

    def close(self) -> None:
        self.searcher.close()


class SearchIndex:
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
                return self._search(self._live_index(), text, version, kind, limit, offset)
            except NotFound:
                raise
            except Exception:
                # A damaged index shows itself as whoosh, I/O, struct or pickle
                # errors while reading: build a new one and answer from it.
                live = self._open_or_build(damaged=self._live.generation if self._live else None)
                return self._search(live, text, version, kind, limit, offset)

    def rebuild(self) -> None:
        """Build a fresh index now, whatever the state of the current one."""
        with self._lock:
            self._open_or_build(damaged=self._live.generation if self._live else self._cache.current())

    def close(self) -> None:
        with self._lock:
            if self._live:
                self._live.close()
                self._live = None

    # Searching

    def _search(self, live, text, version, kind, limit, offset) -> SearchResult:
        scope = _scope(live.meta["versions"], version)
        result = SearchResult(text, scope, kind, limit, offset, total=0, hits=[])
        if scope is None:  # an empty store
            return result
        wanted = {"version": scope} if scope != ALL_VERSIONS else {}
        if kind:
            wanted["kind"] = kind
        only_wanted = And([TermQuery(name, value) for name, value in wanted.items()]) if wanted else None
        parsed = Or([_with_typos_widened(_parse(text), live.words), _whole_name(text, live.names, live.words)])
        matches = live.searcher.search(parsed, filter=only_wanted, limit=None, terms=True)
        if scope == ALL_VERSIONS:
            ranked = _best_hit_per_term(matches)
        else:
            ranked = [(hit, [hit["version"]]) for hit in matches]
        ranked.sort(key=lambda pair: _found_only_in_notes(pair[0]))  # stable: by score within each tier
        result.total = len(ranked)
        page = ranked[offset : offset + limit]
        if page:
            # What whoosh highlights in a definition: these words, wherever they are in it.
            matched = frozenset((name, text) for name, text in matches.matched_terms() if name in ("definition", "notes"))
            result.hits = [_search_hit(hit, versions, live.snippets, matched) for hit, versions in page]
        if not ranked:
            result.suggestion = _did_you_mean(text, *self._vocabulary(live, wanted))
        return result

    def _vocabulary(self, live: _LiveIndex, wanted: dict) -> tuple[list[str], set[str]]:
        """The names and aliases, and every word, of the terms searched (``wanted``: stored field values)."""
        key = tuple(sorted(wanted.items()))
        if key not in live.vocabularies:
            searcher = live.searcher
            documents = searcher.documents(**wanted) if wanted else searcher.all_stored_fields()
            names, words = set(), set()
            for document in documents:
                names.update([document["term"], *document["aliases"]])
                words.update(re.findall(r"\w+", f'{document["term"]} {document["definition"]} {document["notes"]}'.casefold()))
            live.vocabularies[key] = (sorted(names), words)
        return live.vocabularies[key]

    # Keeping the index fresh

    def _live_index(self) -> _LiveIndex:
        live = self._live
        if live and live.generation == self._cache.current() and live.meta["content_hash"] == self._content_hash():
            return live
        return self._open_or_build()

    def _open_or_build(self, damaged: str | None = None) -> _LiveIndex:
        """Open the live generation, first building a new one if it is missing, stale or ``damaged``."""
        self.close()
        self._live = self._cache.open_or_build(
            self._content_hash, self._load_versions, _document, _LiveIndex.read, damaged=damaged
        )
        return self._live


# The documents indexed


def _document(term: Term, version: str, order: int) -> dict:
    return {
        "term": term.term,
        "aliases": "\n".join(term.aliases),
        "_stored_aliases": list(term.aliases),
        "definition": term.definition,
        "notes": "\n\n".join(note.text for note in term.notes),
        "kind": term.kind,
        "version": version,
        "id": term.id,
        "names": " ".join(lookup_key(name) for name in term.names()),
        "section": term.section.to_dict(),
        "order": order,
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


def _parse(text: str) -> Query:
    try:
        return _PARSER.parse(text)
    except Exception:
        # Syntax whoosh cannot make sense of: search the words alone.
        return _PARSER.parse(re.sub(r'["()]', " ", text).lower())


def _with_typos_widened(query: Query, lexicon: _Lexicon) -> Query:
    """``query`` with each word the index does not know replaced by its near misses.

    Words the index knows stay exact, so a typo never pulls in look-alikes of
    a real word, and near misses weigh FUZZY_BOOST, so exact matches rank first.
    """

    def widen_if_unknown(node: Query) -> Query:
        if type(node) is TermQuery and node.fieldname in SEARCHED_FIELDS and node.text not in lexicon:
            boost = node.boost * FUZZY_BOOST
            return Or([TermQuery(node.fieldname, near, boost=boost) for near in lexicon.near(node.text)])
        return node

    return query.accept(widen_if_unknown)


def _whole_name(text: str, names: _Lexicon, words: _Lexicon) -> Query:
    """Matches the terms named (or aliased) by the whole query; if it has a typo, near misses."""
    key = lookup_key(text)
    if key in names:
        return TermQuery("names", key, boost=NAME_BOOST)
    if all(token.text in words for token in _WORDS(text)):
        return NullQuery
    return Or([TermQuery("names", near, boost=NAME_BOOST * FUZZY_BOOST) for near in names.near(key)])


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


def _best_hit_per_term(matches) -> list[tuple[Any, list[str]]]:
    """One (hit, versions) per term id: its best hit (the newest on a tie), best first."""
    by_term: dict[str, list] = {}
    for hit in matches:
        by_term.setdefault(hit["id"], []).append(hit)
    ranked = []
    for hits in by_term.values():
        best = max(hits, key=lambda hit: (hit.score, hit["order"]))
        versions = [hit["version"] for hit in sorted(hits, key=lambda hit: hit["order"])]
        ranked.append((best, versions))
    ranked.sort(key=lambda pair: -pair[0].score)
    return ranked


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


def _search_hit(hit, versions: list[str], snippets: dict | None = None, matched: frozenset = frozenset()) -> SearchHit:
    from_note = _found_only_in_notes(hit) and any(name == "notes" for name, _ in hit.matched_terms())
    return SearchHit(
        id=hit["id"],
        term=hit["term"],
        aliases=list(hit["aliases"]),
        kind=hit["kind"],
        version=hit["version"],
        versions=versions,
        section=Section.from_dict(hit["section"]),
        score=hit.score,
        fragments=_snippet(hit, snippets, matched, "notes" if from_note else "definition"),
        snippet_from="note" if from_note else "definition",
    )


MAX_SNIPPETS_KEPT = 4096


def _snippet(hit, kept: dict | None = None, matched: frozenset = frozenset(),
             fieldname: str = "definition") -> list[Fragment]:
    """Where the query matched the definition (or, found only there, the notes), else the definition's opening.

    Highlighting analyses the whole text again, the costliest part of a
    search; its outcome only depends on the document, the field and on
    ``matched`` (the (field, word) pairs the query matched in any hit), so
    it is kept in ``kept`` (per opened index generation) under them.
    """
    if any(name == fieldname for name, _ in hit.matched_terms()):
        key = (hit.docnum, fieldname, matched)
        if kept is not None and key in kept:
            return list(kept[key])
        fragments = _HIGHLIGHTER.highlight_hit(hit, fieldname, top=2) or _opening(hit[fieldname])
        if kept is not None:
            if len(kept) >= MAX_SNIPPETS_KEPT:
                kept.clear()
            kept[key] = tuple(fragments)
        return fragments
    return _opening(hit["definition"])


def _opening(definition: str) -> list[Fragment]:
    text = re.sub(r"\s+", " ", definition).strip()
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return [Fragment(text, False)] if text else []
