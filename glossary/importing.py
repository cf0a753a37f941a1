"""From a source (path, URL or name) to a stored version: fetch, read, save.

The one path by which versions enter the store, for the CLI and any other face.
A source that fails changes nothing in the store.

It is also the one module of the glossary that imports the importers: what
the rest needs of them (SourceError, the RFCXML reader for the lint's drafts,
the corpus manifest) it takes from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace as replaced

from importers import SourceError, read_version, rfcxml
from importers.fetch import fetch
from importers.manifest import manifest_revisions, manifest_sources
from importers.registry import MAX_SOURCE_BYTES

from .model import Version
from .errors import StoreError
from .ietf import source_urls
from .store import Store

__all__ = ["ImportOutcome", "MAX_SOURCE_BYTES", "SourceError", "import_source", "manifest_revisions", "manifest_sources", "rfcxml"]


@dataclass
class ImportOutcome:
    source: str
    status: str  # "imported", "replaced", "unchanged" or "failed"
    version: Version | None = None
    error: str | None = None  # one line naming the source, when failed


def import_source(store: Store, source: str, replace: bool = False, commit: str | None = None) -> ImportOutcome:
    """Fetch, read and save one source; ``commit``: its source commit, as a corpus manifest records it."""
    try:
        data, uri = fetch(source, urls_for_name=source_urls)
        version = read_version(data, uri)
        if commit:
            version.source = replaced(version.source, commit=commit)
        return ImportOutcome(source, store.save(version, replace=replace), version)
    except SourceError as error:
        message = str(error) if error.source == source else f"{source}: {error}"
        return ImportOutcome(source, "failed", error=message)
    except StoreError as error:
        return ImportOutcome(source, "failed", error=f"{source}: {error}")
    except Exception as error:  # an importer bug must not stop the other sources of a batch
        return ImportOutcome(source, "failed", error=f"{source}: unexpected {type(error).__name__} (a bug): {error}")
