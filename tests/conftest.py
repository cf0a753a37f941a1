"""Shared fixtures: the real IETF corpus, found through GLOSSARY_CORPUS."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder; tests that need it skip only when GLOSSARY_CORPUS is unset."""
    location = os.environ.get("GLOSSARY_CORPUS")
    if not location:
        pytest.skip("GLOSSARY_CORPUS is not set")
    path = Path(location)
    if not (path / "manifest.json").is_file():
        pytest.fail(f"GLOSSARY_CORPUS={location} has no manifest.json")
    return path


@pytest.fixture(scope="session")
def manifest(corpus) -> list[dict]:
    """The revisions of the corpus, oldest first, as manifest.json lists them."""
    return json.loads((corpus / "manifest.json").read_text())["documents"]


def corpus_file(corpus: Path, revision: dict, fmt: str) -> Path:
    return corpus / revision["files"][fmt]["path"]


@pytest.fixture(scope="session")
def revision_file(corpus, manifest):
    """``revision_file("draft-ietf-iotops-7228bis-07", "xml")``: the path of one corpus file."""
    by_name = {revision["name"]: revision for revision in manifest}
    return lambda name, fmt="xml": corpus_file(corpus, by_name[name], fmt)


def build_corpus_store(corpus: Path, documents: list[dict], directory: Path):
    """A store holding the XML revision of each of ``documents`` (manifest entries), imported in order."""
    from glossary.store import Store
    from importers import read_version

    store = Store(directory)
    for revision in documents:
        path = corpus_file(corpus, revision, "xml")
        store.save(read_version(path.read_bytes(), str(path)))
    return store


@pytest.fixture(scope="session")
def corpus_store(corpus, manifest, tmp_path_factory):
    """A store built once per session from the 16 XML revisions of the corpus: treat it as read-only."""
    return build_corpus_store(corpus, manifest, tmp_path_factory.mktemp("corpus-store") / "terms")
