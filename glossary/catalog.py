"""The read side shared by the CLI and the API: versions, lookups, diffs, search.

A Catalog wraps a Store and keeps what it has read in memory, so that a
service answers a term lookup without touching the disk. It notices imports
made while it runs by a cheap look at the store's index file (a version is
only visible once the index names it, and the index is replaced atomically),
and then drops what it had cached, the search index included.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .diff import Span, TermHistory, VersionDiff, diff_versions
from .errors import NotFound
from .lookup import find_term, not_in_version, resolve_kind
from .memo import Memo
from .model import ALL_VERSIONS, NEWEST, OLDEST, Term, Version
from .store import INDEX_FILE, Store, resolve_version_name

if TYPE_CHECKING:  # glossary.search loads whoosh: only a search needs it
    from .lineage import Lineage
    from .search import SearchIndex, SearchResult, StoreSearchIndex

CACHE_ENV = "GLOSSARY_CACHE"
# How many derived answers (diffs, histories, the kinds, the lineage index) the Catalog keeps.
DERIVED_ANSWERS = 512
# Versions kept in memory once read (the least recently used go first).
VERSIONS_KEPT = 64
# A search that opens every part of the search index a search reads.
WARMING_QUERY = "constrained node"


class Catalog:
    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(store.directory)
        self._index_file = str(store.directory / INDEX_FILE)  # looked at on every request
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._entries: list[dict] = []
        self._names_in_order: list[str] = []
        self._names_known: frozenset[str] = frozenset()
        self._versions = Memo(VERSIONS_KEPT)
        self._search: SearchIndex | StoreSearchIndex | None = None
        self._derived = Memo(DERIVED_ANSWERS)
        # Bumped whenever what was read is dropped: a value computed from an
        # older generation is never kept (see glossary.memo).
        self.generation = 0

    # what the store holds

    def entries(self) -> list[dict]:
        """The index entries of every version, in lineage order."""
        self._refresh()
        return self._entries

    def resolve(self, name: str | None) -> str:
        """The version name that ``name`` means ("latest", "oldest", "RFC 7228"...)."""
        self._refresh()
        if name in self._names_known:
            return name
        return resolve_version_name(name or NEWEST, self._names_in_order, self.store.directory)

    def version(self, name: str | None = None) -> Version:
        """A version, read on first use; the VERSIONS_KEPT used last stay in memory."""
        resolved = self.resolve(name)
        return self._versions.computed(resolved, lambda: self.store.load_stored(resolved), self.generation)

    def lineage(self) -> list[Version]:
        """Every version, oldest first, read once per store generation.

        For the pages that show the whole lineage; the answers of the API read
        only the versions they need (see version), so a service that only
        answers the API never holds every version in memory.
        """
        return self._memoised(("every version",), lambda: [self.version(e["name"]) for e in self.entries()])

    def kinds(self) -> list[str]:
        """Every kind of term in any version, sorted."""
        return self._memoised(("kinds",),
                              lambda: sorted({record["kind"] for record in self._lineage_index().records.values()}))

    def kind(self, name: str | None) -> str | None:
        """The kind ``name`` means (any case and punctuation), None for None; BadParameter if none."""
        return None if name is None else resolve_kind(name, self.kinds())

    def term(self, name: str, version: str | None = None) -> tuple[Term, Version]:
        """The term ``name`` (id, term or alias) in ``version``.

        NotInVersion when other versions define it (saying where), else NotFound
        with close matches: in ``version``, or in every version if none was named.
        """
        found_in = self.version(version)
        try:
            return find_term(found_in, name), found_in
        except NotFound as missing:
            try:
                history = self.history(name)
            except NotFound as nowhere:  # with no version named, it was looked for in every one
                raise (missing if version is not None else nowhere) from None
            raise not_in_version(name, found_in.name, history.term, history.id, history.present_in,
                                 [entry["name"] for entry in self.entries()]) from None

    def warm(self) -> None:
        """Read now what nearly every answer reads: the newest version, the lineage index and, when
        the store keeps it, the search index (a read-only store's is built in the cache, which is
        left to the first search: it takes long)."""
        if not self.entries():
            return
        self.version(NEWEST)
        self._lineage_index()
        if self._keeps_search_index():
            self.search(WARMING_QUERY)

    # derived answers

    def diff(self, old: str | None, new: str | None) -> VersionDiff:
        old, new = self.resolve(old or OLDEST), self.resolve(new or NEWEST)
        return self._memoised(("diff", old, new), lambda: diff_versions(self.version(old), self.version(new),
                                                                          self._span(old, new)))

    def _span(self, old: str, new: str) -> Span | None:
        """The stored versions from ``old`` to ``new``, as a diff reads them, when ``old`` comes first."""
        first, last = self._names_in_order.index(old), self._names_in_order.index(new)
        return self._lineage_index().span(first, last) if first < last else None

    def history(self, name: str) -> TermHistory:
        """The term's history over every version, from the store's lineage index."""
        return self._memoised(("history", name), lambda: self._lineage_index().history(name, self.version))

    def search(self, query: str, version: str | None = None, kind: str | None = None,
               limit: int = 20, offset: int = 0) -> SearchResult:
        if not version:
            scope = None  # the newest, or where the words are when only older versions have them
        else:
            scope = ALL_VERSIONS if version.lower() == ALL_VERSIONS else self.resolve(version)
        return self._search_index().search(query, version=scope, kind=self.kind(kind), limit=limit, offset=offset)

    def current_generation(self) -> int:
        """The generation of what the Catalog has read, after noticing any change of the store."""
        self._refresh()
        return self.generation

    def _memoised(self, key, compute):
        return self._derived.computed(key, compute, self.current_generation())

    def _lineage_index(self) -> Lineage:
        """The store's lineage index (per term, the versions where it changed)."""
        return self._memoised(("lineage index",), lambda: self.store.lineage(self.entries()))

    def _search_index(self) -> SearchIndex | StoreSearchIndex:
        """One per store generation: the store's own index, or one in the cache if the store is read-only."""
        from .search import SearchIndex, StoreSearchIndex

        self._refresh()
        with self._lock:
            if self._search is None:
                if self._keeps_search_index():
                    self._search = StoreSearchIndex(self.store, self._lineage_index)
                else:
                    self._search = SearchIndex(
                        self.cache_dir / "search", self.store.load_versions, self.store.content_hash()
                    )
            return self._search

    def _keeps_search_index(self) -> bool:
        """Whether the store keeps its own search index (one it can write), else the cache holds one."""
        return os.access(self.store.directory, os.W_OK)

    def _refresh(self) -> None:
        """Drop what was read when the store's index file has been replaced since."""
        try:
            info = os.stat(self._index_file)
            seen = (info.st_ino, info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            seen = None
        if seen == self._seen and (self._entries or seen is None):
            return
        with self._lock:
            self._entries = self.store.versions()
            self._names_in_order = [entry["name"] for entry in self._entries]
            self._names_known = frozenset(self._names_in_order)
            self.generation += 1
            if self._search is not None:
                self._search.close()
                self._search = None
            self._seen = seen


def default_cache_dir(store_directory: Path) -> Path:
    """$GLOSSARY_CACHE; else .cache/ of the checkout whose store this is; else the user's cache."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    store_directory = Path(store_directory).resolve()
    checkout = store_directory.parent.parent
    if store_directory.parts[-2:] == ("data", "terms") and (checkout / "pyproject.toml").is_file():
        return checkout / ".cache"
    key = hashlib.sha256(str(store_directory).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "rfc7228bis-glossary" / key
