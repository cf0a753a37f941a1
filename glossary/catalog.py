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
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from .diff import TermHistory, VersionDiff, diff_versions
from .lineage import Lineage
from .lookup import find_term
from .model import Term, Version, lookup_key
from .search import ALL_VERSIONS, SearchIndex, SearchResult, StoreSearchIndex
from .store import INDEX_FILE, Store, resolve_version_name

CACHE_ENV = "GLOSSARY_CACHE"
# The budget of Catalog.remember: finished answers, e.g. serialised responses.
REMEMBERED_BYTES = 32 * 1024 * 1024
# Versions kept in memory once read (the least recently used go first).
VERSIONS_KEPT = 64


class Catalog:
    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(store.directory)
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._entries: list[dict] = []
        self._names_in_order: list[str] = []
        self._names_known: frozenset[str] = frozenset()
        self._versions: OrderedDict[str, Version] = OrderedDict()
        self._names: dict[str, dict[str, Term]] = {}
        self._search: SearchIndex | StoreSearchIndex | None = None
        self._lineage: Lineage | None = None
        self._every_version: list[Version] | None = None
        self._diffs = lru_cache(maxsize=512)(self._compute_diff)
        self._kinds: list[str] | None = None
        # Bumped whenever what was read is dropped: a value computed from an
        # older generation is never kept (see remember).
        self.generation = 0
        self._remembered: OrderedDict = OrderedDict()
        self._remembered_bytes = 0

    # what the store holds

    def entries(self) -> list[dict]:
        """The index entries of every version, in lineage order."""
        self._refresh()
        return self._entries

    def resolve(self, name: str | None) -> str:
        """The version name that ``name`` means ("latest", "oldest", "RFC 7228"...)."""
        self._refresh()
        names = self._names_in_order
        if name in self._names_known:
            return name
        return resolve_version_name(name or "latest", names, self.store.directory)

    def version(self, name: str | None = None) -> Version:
        """A version, read on first use; the VERSIONS_KEPT used last stay in memory."""
        resolved = self.resolve(name)
        with self._lock:
            found = self._versions.get(resolved)
            if found is not None:
                self._versions.move_to_end(resolved)
                return found
            generation = self.generation
        found = self.store.load_stored(resolved)
        with self._lock:
            if generation == self.generation:
                self._versions[resolved] = found
                while len(self._versions) > VERSIONS_KEPT:
                    dropped, _ = self._versions.popitem(last=False)
                    self._names.pop(dropped, None)
        return found

    def lineage(self) -> list[Version]:
        """Every version, oldest first, read once per store generation.

        For the pages that show the whole lineage; the answers of the API read
        only the versions they need (see version), so a service that only
        answers the API never holds every version in memory.
        """
        self._refresh()
        generation, every = self.generation, self._every_version
        if every is None:
            every = [self.version(entry["name"]) for entry in self._entries]
            with self._lock:
                if generation == self.generation:
                    self._every_version = every
        return every

    def kinds(self) -> list[str]:
        """Every kind of term in any version, sorted."""
        self._refresh()
        kinds = self._kinds
        if kinds is None:
            generation = self.generation
            kinds = sorted({record["kind"] for record in self._lineage_index().records.values()})
            if generation == self.generation:
                self._kinds = kinds
        return kinds

    def term(self, name: str, version: str | None = None) -> tuple[Term, Version]:
        """The term ``name`` (id, term or alias) in ``version``; UnknownName with close matches if none."""
        generation = self.generation
        found_in = self.version(version)
        names = self._names.get(found_in.name)
        if names is None:
            names = _name_index(found_in)
            if generation == self.generation:
                self._names[found_in.name] = names
        term = names.get(name) or names.get(lookup_key(name))
        return (term or find_term(found_in, name)), found_in

    # derived answers

    def diff(self, old: str | None, new: str | None) -> VersionDiff:
        self._refresh()
        return self._diffs(self.resolve(old or "oldest"), self.resolve(new or "latest"))

    def history(self, name: str) -> TermHistory:
        """The term's history over every version, from the store's lineage index."""
        return self._lineage_index().history(name, self.version)

    def _lineage_index(self) -> Lineage:
        self._refresh()
        generation, lineage = self.generation, self._lineage
        if lineage is None:
            lineage = self.store.lineage(self._entries)
            with self._lock:
                if generation == self.generation:
                    self._lineage = lineage
        return lineage

    def search(self, query: str, version: str | None = None, kind: str | None = None,
               limit: int = 20, offset: int = 0) -> SearchResult:
        if not version:
            scope = None  # the newest, or where the words are when only older versions have them
        else:
            scope = ALL_VERSIONS if version.lower() == ALL_VERSIONS else self.resolve(version)
        return self._search_index().search(query, version=scope, kind=kind, limit=limit, offset=offset)

    # caches

    def recall(self, key):
        """What ``remember`` kept under ``key`` while the store has not changed since, or None."""
        self._refresh()
        with self._lock:
            found = self._remembered.get(key)
            if found is not None:
                self._remembered.move_to_end(key)
                return found[1]
        return None

    def remember(self, key, value, size: int, generation: int) -> None:
        """Keep ``value`` (about ``size`` bytes) under ``key`` until the store changes.

        ``generation`` is self.generation as it was before the value was
        computed: if the store changed meanwhile, the value is not kept. The
        least recently used values go first when REMEMBERED_BYTES are used up.
        """
        if size > REMEMBERED_BYTES // 16:
            return
        with self._lock:
            if generation != self.generation:
                return
            previous = self._remembered.pop(key, None)
            if previous is not None:
                self._remembered_bytes -= previous[0]
            self._remembered[key] = (size, value)
            self._remembered_bytes += size
            while self._remembered_bytes > REMEMBERED_BYTES:
                _, (dropped, _) = self._remembered.popitem(last=False)
                self._remembered_bytes -= dropped

    def _compute_diff(self, old: str, new: str) -> VersionDiff:
        return diff_versions(self.version(old), self.version(new))

    def _search_index(self) -> SearchIndex | StoreSearchIndex:
        """One per store generation: the store's own index, or one in the cache if the store is read-only."""
        self._refresh()
        with self._lock:
            if self._search is None:
                if os.access(self.store.directory, os.W_OK):
                    self._search = StoreSearchIndex(self.store)
                else:
                    self._search = SearchIndex(
                        self.cache_dir / "search", self.store.load_versions, self.store.content_hash()
                    )
            return self._search

    def _refresh(self) -> None:
        """Drop what was read when the store's index file has been replaced since."""
        try:
            info = os.stat(self.store.directory / INDEX_FILE)
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
            self._versions = OrderedDict()
            self._names = {}
            self._kinds = None
            self._lineage = None
            self._every_version = None
            self._remembered.clear()
            self._remembered_bytes = 0
            if self._search is not None:
                self._search.close()
                self._search = None
            self._diffs.cache_clear()
            self._seen = seen


def _name_index(version: Version) -> dict[str, Term]:
    """Every name of every term, as Version.find resolves them: exact ids first, then lookup keys."""
    index: dict[str, Term] = {}
    for term in version.terms:
        index.setdefault(term.id, term)
    for term in version.terms:
        for name in term.names():
            index.setdefault(lookup_key(name), term)
    return index


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
