"""The committed store, data/terms/, is what the project's own import makes of the corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from glossary.store import Store, embedded_store
from support import LINEAGE, NEWEST, stored_name

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "data" / "terms"


def glossary(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GLOSSARY_STORE"}
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_committed_store_is_rebuilt_byte_for_byte_from_the_corpus(corpus, tmp_path):
    # Source paths are recorded as given, so import the way the README says: from the
    # project root, naming the manifest relative to it.
    manifest = os.path.relpath(corpus / "manifest.json", ROOT)
    rebuilt = tmp_path / "terms"
    result = glossary("--store", str(rebuilt), "import", "--manifest", manifest)
    assert result.returncode == 0, result.stderr
    committed_files = sorted(p.name for p in COMMITTED.glob("*.json"))
    assert committed_files == sorted(p.name for p in rebuilt.glob("*.json"))
    for name in committed_files:
        assert (rebuilt / name).read_bytes() == (COMMITTED / name).read_bytes(), f"{name} differs from the corpus"


def test_embedded_store_serves_every_revision_without_configuration(manifest):
    assert embedded_store() == COMMITTED
    result = glossary("versions", "--json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    names = [entry["name"] for entry in Store(COMMITTED).versions()]
    assert names == [stored_name(revision) for revision in manifest]
    assert names[-1] == NEWEST


def test_the_tests_lineage_is_the_corpus_s(manifest):
    """support.LINEAGE, which the tests without the corpus compare with, is the manifest's order."""
    assert LINEAGE == [stored_name(revision) for revision in manifest]
