"""Shared fixtures: the real IETF corpus (through GLOSSARY_CORPUS), and the application over a copy of the
committed store, which needs no corpus. Constants, builders and servers are in support.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support import build_corpus_store, copy_of_embedded_store, corpus_file, stored_name


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


@pytest.fixture(scope="session")
def revision_file(corpus, manifest):
    """``revision_file("draft-ietf-iotops-7228bis-07", "xml")``: the path of one corpus file (named as in the
    corpus or as stored)."""
    by_name = {name: revision for revision in manifest for name in (revision["name"], stored_name(revision))}
    return lambda name, fmt="xml": corpus_file(corpus, by_name[name], fmt)


@pytest.fixture(scope="session")
def corpus_store(corpus, manifest, tmp_path_factory):
    """A store built once per session from the 16 XML revisions of the corpus: treat it as read-only."""
    return build_corpus_store(corpus, manifest, tmp_path_factory.mktemp("corpus-store") / "terms")


@pytest.fixture(scope="session")
def served_store(tmp_path_factory):
    """A copy of the committed store, once per session, for the applications of the tests: treat it as read-only."""
    return copy_of_embedded_store(tmp_path_factory.mktemp("served-store") / "terms")


@pytest.fixture(scope="module")
def app(served_store, tmp_path_factory):
    """The application (API and pages) over the copy of the committed store, one per test module."""
    from glossary.api import create_app

    return create_app(served_store.directory, tmp_path_factory.mktemp("app-cache"))


@pytest.fixture
def client(app):
    return app.test_client()
