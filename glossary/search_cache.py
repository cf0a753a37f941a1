"""The search index as a cache on disk, derived from the store.

    cache = IndexCache(Path(".cache/search"), SCHEMA, SCHEMA_VERSION)
    opened = cache.open_or_build(store.content_hash, store.load_versions, build, read)

The cache lives in ``cache_dir``:

    cache_dir/
        CURRENT       the name of the live generation, replaced atomically
        build.lock    flock'ed while a generation is being built
        gen-*/        one complete whoosh index and whatever else ``build``
                      writes beside it, plus meta.json: the schema version,
                      the content hash, the versions in lineage order, the
                      number of documents and the SHA-256 of every file

A generation is built on first use and again whenever the live one is
missing, stale (another content hash or schema version), or damaged (a file
no longer has its checksum, or whoosh fails to read it). A build goes into a
fresh ``gen-*`` folder and only becomes visible when CURRENT names it, so a
reader never sees a half-built index; the lock keeps two processes from
building at once. Opening a generation reads its files into memory, checksums
verified: damage done to the files afterwards never reaches what was opened,
and the next process to open them rebuilds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from whoosh.fields import Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

from .model import Version

CURRENT = "CURRENT"
LOCK = "build.lock"
META = "meta.json"

Opened = TypeVar("Opened")


@dataclass
class Generation:
    """One generation of the index, its files verified and read into memory."""

    name: str
    meta: dict
    searcher: Searcher
    storage: RamStorage  # every file of the generation, verified

    def read_file(self, name: str) -> bytes:
        with self.storage.open_file(name) as handle:
            return handle.read()


class IndexCache:
    """Generations of a whoosh index of ``schema`` in ``cache_dir``.

    ``schema_version`` is recorded with each generation; one built with
    another counts as stale. A content hash is passed as a function, called
    each time a generation is checked or built.
    """

    def __init__(self, cache_dir: Path, schema: Schema, schema_version: int):
        self.cache_dir = Path(cache_dir)
        self.schema = schema
        self.schema_version = schema_version

    def current(self) -> str | None:
        """The name of the live generation, or None when CURRENT is missing or names none."""
        try:
            name = (self.cache_dir / CURRENT).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if re.fullmatch(r"gen-\w+", name) else None

    def open(
        self,
        generation: str | None,
        content_hash: Callable[[], str],
        read: Callable[[Generation], Opened],
    ) -> Opened | None:
        """``read`` of the generation, or None when it is missing, stale or damaged.

        Whatever ``read`` raises counts as damage too.
        """
        if generation is None:
            return None
        folder = self.cache_dir / generation
        searcher = None
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            if meta["schema"] != self.schema_version or meta["content_hash"] != content_hash():
                return None
            storage = _load_verified(folder, meta["checksums"])
            searcher = storage.open_index().searcher()
            if searcher.doc_count() != meta["documents"]:
                raise ValueError("document count differs from meta.json")
            return read(Generation(generation, meta, searcher, storage))
        except Exception:
            if searcher is not None:
                searcher.close()
            return None

    def open_or_build(
        self,
        content_hash: Callable[[], str],
        versions: Callable[[], list[Version]],
        build: Callable[[Path, list[Version]], int],
        read: Callable[[Generation], Opened],
        damaged: str | None = None,
    ) -> Opened:
        """The live generation opened with ``read``, first building a new one if it is missing, stale or ``damaged``.

        A build calls ``build(folder, versions())`` (oldest first), which
        writes the whoosh index and what else it needs into the new folder and
        returns the number of documents indexed.
        """

        def open_current() -> Opened | None:
            generation = self.current()
            return None if generation == damaged else self.open(generation, content_hash, read)

        opened = open_current()
        if opened is None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with _exclusive_lock(self.cache_dir / LOCK):
                # Another process may have built one while we waited for the lock.
                opened = open_current()
                if opened is None:
                    generation = self._build(content_hash(), versions(), build)
                    self._make_current(generation)
                    opened = self.open(generation, content_hash, read)
        if opened is None:
            raise RuntimeError(f"the search index just built in {self.cache_dir} cannot be read")
        return opened

    def _build(self, content_hash: str, versions: list[Version], build: Callable[[Path, list[Version]], int]) -> str:
        """A new generation folder built by ``build``; its name."""
        folder = Path(tempfile.mkdtemp(prefix="gen-", dir=self.cache_dir))
        documents = build(folder, versions)
        meta = {
            "schema": self.schema_version,
            "content_hash": content_hash,
            "versions": [version.name for version in versions],
            "documents": documents,
            "checksums": {path.name: _sha256(path.read_bytes()) for path in folder.iterdir()},
        }
        (folder / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return folder.name

    def _make_current(self, generation: str) -> None:
        """Point CURRENT at ``generation`` atomically and drop all but the previous generation."""
        previous = self.current()
        pointer = self.cache_dir / f"{CURRENT}.tmp"
        pointer.write_text(generation, encoding="utf-8")
        os.replace(pointer, self.cache_dir / CURRENT)
        for folder in self.cache_dir.glob("gen-*"):
            # The previous one stays: another process may be opening it right now.
            if folder.name not in (generation, previous):
                shutil.rmtree(folder, ignore_errors=True)


def _load_verified(folder: Path, checksums: dict[str, str]) -> RamStorage:
    """The index files in memory, provided each still has its checksum from the build."""
    storage = RamStorage()
    for name, checksum in checksums.items():
        data = (folder / name).read_bytes()
        if _sha256(data) != checksum:
            raise ValueError(f"{folder / name} changed since the index was built")
        handle = storage.create_file(name)
        handle.write(data)
        handle.close()
    return storage


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _exclusive_lock(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
