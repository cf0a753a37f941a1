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
