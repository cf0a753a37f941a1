"""The sources a corpus manifest lists (shared/ietf/manifest.json): one file per revision."""

from __future__ import annotations

import json
import re
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
        return [(str(folder / _preferred_file(revision)["path"]), _source_commit(revision)) for revision in revisions]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(manifest, f"not a corpus manifest ({type(error).__name__}: {error})") from None


def _source_commit(revision: dict) -> str | None:
    """The revision's commit in the authors' repository (an abbreviated or full git hash), if the manifest has it."""
    commit = revision.get("source_commit")
    if commit is not None and not (isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{4,40}", commit)):
        raise ValueError(f"{revision.get('name')!r}: source_commit {str(commit)[:60]!r} is not a commit hash")
    return commit


def _preferred_file(revision: dict) -> dict:
    files = revision["files"]
    for file_format in FORMAT_PREFERENCE:
        if file_format in files:
            return files[file_format]
    raise KeyError(f"{revision['name']} lists no file in a known format")
