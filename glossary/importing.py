"""From a source (path, URL or name) to a stored version: fetch, read, save.

The one path by which versions enter the store, for the CLI and any other face.
A source that fails changes nothing in the store.

It is also the one module of the glossary that imports the importers: what
the rest needs of them (SourceError, the RFCXML reader and the safe XML
parser for the lint's drafts, the corpus manifest) it takes from here.
"""

from __future__ import annotations

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

__all__ = ["ImportOutcome", "MAX_SOURCE_BYTES", "SourceError", "expansions", "import_source", "manifest_revisions",
           "manifest_sources", "rfcxml", "safexml"]


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
    named = shorten(source)
    try:
        data, uri = fetch(source, urls_for_name=source_urls)
        version = read_version(data, uri, encoding)
        if commit:
            version.source = replaced(version.source, commit=commit)
            named_as_editors_copy(version)  # an editor's copy is named by its commit too
        return ImportOutcome(source, store.save(version, replace=replace), version)
    except SourceError as error:
        message = str(error) if error.source == source else f"{named}: {error}"
        return ImportOutcome(source, "failed", error=message)
    except StoreError as error:
        return ImportOutcome(source, "failed", error=f"{named}: {error}")
    except Exception as error:  # an importer bug must not stop the other sources of a batch
        return ImportOutcome(source, "failed", error=f"{named}: unexpected {type(error).__name__} (a bug): {error}")
