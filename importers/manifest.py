"""The sources a corpus manifest lists (shared/ietf/manifest.json): one file per revision."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import SourceError
from .fetch import read_file

# RFCXML v3 carries the most structure; xml-v2 is made from the text render, so it comes last.
FORMAT_PREFERENCE = ("xml", "txt", "html", "xml-v2")


def manifest_sources(manifest: str) -> list[str]:
    """The path of each revision's preferred file, in manifest order (oldest first)."""
    return [path for path, _ in manifest_revisions(manifest)]


def manifest_revisions(manifest: str) -> list[tuple[str, str | None]]:
    """``(path of the preferred file, source commit or None)`` of each revision, in manifest order."""
    try:
        revisions = json.loads(read_file(manifest))["documents"]
        folder = Path(manifest).parent
        return [(str(folder / _preferred_file(revision)["path"]), revision.get("source_commit") or None)
                for revision in revisions]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(manifest, f"not a corpus manifest ({type(error).__name__}: {error})") from None


def _preferred_file(revision: dict) -> dict:
    files = revision["files"]
    for file_format in FORMAT_PREFERENCE:
        if file_format in files:
            return files[file_format]
    raise KeyError(f"{revision['name']} lists no file in a known format")
