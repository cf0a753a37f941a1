"""From a source (path, URL or name) to a stored version: fetch, read, save.

The one path by which versions enter the store, for the CLI and any other face.
A source that fails changes nothing in the store.

It is also the one module of the glossary that imports the importers: what
the rest needs of them (SourceError, the RFCXML reader and the safe XML
parser for the lint's drafts, the corpus manifest) it takes from here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace as replaced

from importers import SourceError, read_version, rfcxml, safexml
from importers.fetch import fetch
from importers.manifest import manifest_revisions, manifest_sources
from importers.registry import MAX_SOURCE_BYTES
from importers.terms import expansions  # an acronym's expansions in its definition, for the lint

from .limits import shorten
from .model import Version, named_as_editors_copy
from .errors import StoreError
from .ietf import source_urls
from .store import Store

__all__ = ["ImportOutcome", "MAX_SOURCE_BYTES", "SourceError", "expansions", "import_source", "import_sources",
           "manifest_revisions", "manifest_sources", "read_source", "rfcxml", "safexml"]

# A batch of at least this many sources is read in worker processes (import_sources).
READ_APART_FROM = 4


@dataclass
class ImportOutcome:
    source: str
    status: str  # "imported", "replaced", "unchanged" or "failed"
    version: Version | None = None
    error: str | None = None  # one line naming the source, when failed


def import_source(store: Store, source: str, replace: bool = False, encoding: str | None = None,
                  commit: str | None = None) -> ImportOutcome:
    """``encoding``: that of a plain-text source, when it is not UTF-8; ``commit``: its source commit, as a
    corpus manifest records it."""
    return _save(store, source, read_source(source, encoding, commit), replace)


def import_sources(store: Store, sources: Iterable[tuple[str, str | None]], count: int, replace: bool = False,
                   encoding: str | None = None) -> Iterator[ImportOutcome]:
    """import_source of each ``(source, commit)`` of ``sources`` (``count`` of them), in order.

    From READ_APART_FROM sources on, they are read side by side in worker
    processes, one per core, while this process saves them one by one, in
    order: reading is most of an import's work. A worker that dies fails
    its source alone.
    """
    workers = min(os.cpu_count() or 1, count)
    # Workers are forked: a fork of a process running other threads may inherit a lock one of them held.
    if count < READ_APART_FROM or workers < 2 or threading.active_count() > 1:
        for source, commit in sources:
            yield import_source(store, source, replace, encoding, commit)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        reading: deque = deque()
        for source, commit in sources:
            reading.append((source, pool.submit(read_source, source, encoding, commit)))
            if len(reading) > 2 * workers:  # a few ahead of the saving, not the whole batch in memory
                yield _saved_when_read(store, *reading.popleft(), replace)
        while reading:
            yield _saved_when_read(store, *reading.popleft(), replace)


def read_source(source: str, encoding: str | None = None, commit: str | None = None) -> Version | ImportOutcome:
    """The version ``source`` holds, or the failed outcome naming the source and the problem."""
    try:
        data, uri = fetch(source, urls_for_name=source_urls)
        version = read_version(data, uri, encoding)
        if commit:
            version.source = replaced(version.source, commit=commit)
            named_as_editors_copy(version)  # an editor's copy is named by its commit too
        return version
    except SourceError as error:
        if error.source == source:  # the importer's message names the source as it was given
            return ImportOutcome(source, "failed", error=str(error))
        return _failed(source, error)
    except Exception as error:  # an importer bug must not stop the other sources of a batch
        return _bug(source, error)


def _saved_when_read(store: Store, source: str, reading: Future, replace: bool) -> ImportOutcome:
    try:
        read = reading.result()
    except Exception as error:  # the worker process died (killed, out of memory)
        return _failed(source, f"reading it stopped: {error}")
    return _save(store, source, read, replace)


def _save(store: Store, source: str, read: Version | ImportOutcome, replace: bool) -> ImportOutcome:
    if isinstance(read, ImportOutcome):
        return read
    try:
        return ImportOutcome(source, store.save(read, replace=replace), read)
    except StoreError as error:
        return _failed(source, error)
    except Exception as error:
        return _bug(source, error)


def _bug(source: str, error: Exception) -> ImportOutcome:
    return _failed(source, f"unexpected {type(error).__name__} (a bug): {error}")


def _failed(source: str, problem) -> ImportOutcome:
    """The outcome of a source that failed: one line naming the source (shortened) and the problem."""
    return ImportOutcome(source, "failed", error=f"{shorten(source)}: {problem}")
