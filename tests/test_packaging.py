"""The wheel carries the embedded store, and an installed package finds it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from glossary.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEVEN = "draft-ietf-iotops-7228bis-07"

FIND_THE_STORE = """
import json, glossary
from glossary.store import Store, embedded_store
store = Store(embedded_store())
print(json.dumps([glossary.__file__, str(store.directory), store.load().name]))
"""


def copy_project(target: Path) -> None:
    """The files a build reads, without this checkout's store or caches."""
    target.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, target / name)
    for package in ("glossary", "importers"):
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))


def test_the_wheel_carries_the_embedded_store(tmp_path, revision_file):
    project = tmp_path / "project"
    copy_project(project)
    imported = CliRunner().invoke(main, ["--store", str(project / "data" / "terms"), "import", str(revision_file(SEVEN))])
    assert imported.exit_code == 0, imported.output

    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(project)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    assert "Warning" not in built.stdout + built.stderr, "the build warns about the packaging metadata"
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        stored = {name for name in archive.namelist() if name.startswith("glossary/data/terms/")}
        assert stored == {"glossary/data/terms/index.json", f"glossary/data/terms/{SEVEN}.json"}
        archive.extractall(tmp_path / "site-packages")  # what installing the wheel does

    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "site-packages")}
    environment.pop("GLOSSARY_STORE", None)
    found = subprocess.run([sys.executable, "-c", FIND_THE_STORE], cwd=tmp_path, env=environment,
                           check=True, capture_output=True, text=True, timeout=60)
    module, store, newest = json.loads(found.stdout)
    assert Path(module).is_relative_to(tmp_path / "site-packages")
    assert Path(store) == tmp_path / "site-packages" / "glossary" / "data" / "terms"
    assert newest == SEVEN
