"""From a source (path, URL or name) to a stored version: fetch, read, save.

The one path by which versions enter the store, for the CLI and any other face.
A source that fails changes nothing in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from importers import SourceError, read_version
from importers.fetch import fetch

from .limits import shorten
from .model import Version
from .store import Store, StoreError


@dataclass
class ImportOutcome:
    source: str
    status: str  # "imported", "replaced", "unchanged" or "failed"
    version: Version | None = None
    error: str | None = None  # one line naming the source, when failed


def import_source(store: Store, source: str, replace: bool = False, encoding: str | None = None) -> ImportOutcome:
    """``encoding``: that of a plain-text source, when it is not UTF-8."""
    named = shorten(source)
    try:
        data, uri = fetch(source)
        version = read_version(data, uri, encoding)
        return ImportOutcome(source, store.save(version, replace=replace), version)
    except SourceError as error:
        message = str(error) if error.source == source else f"{named}: {error}"
        return ImportOutcome(source, "failed", error=message)
    except StoreError as error:
        return ImportOutcome(source, "failed", error=f"{named}: {error}")
    except Exception as error:  # an importer bug must not stop the other sources of a batch
        return ImportOutcome(source, "failed", error=f"{named}: unexpected {type(error).__name__} (a bug): {error}")
