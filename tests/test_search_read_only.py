"""Search when neither the store nor the cache directory can be written (a read-only deployment): the
index is built in memory, and search answers as it does with an index on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from glossary.api import create_app
from support import ROOT, copy_of_embedded_store

SEARCHES = ["/api/v1/search?q=constrained+node", "/api/v1/search?q=class&version=all", "/api/v1/search?q=constraned"]
# Run as a process that the file permissions bind: root is, once it gives up overriding them.
WITHOUT_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]

ANSWER = """
import json, sys
from glossary import search
from glossary.api import create_app
builds = []  # how often the index is built in memory
build = search._in_memory
search._in_memory = lambda *args: builds.append(1) or build(*args)
client = create_app(sys.argv[1], sys.argv[2]).test_client()
answers = []
for url in sys.argv[3:]:
    for _ in range(2):  # the second search reuses the index built for the first
        response = client.get(url)
        answers.append([url, response.status_code, response.get_json()])
page = client.get("/search?q=constrained+node")
answers.append(["/search?q=constrained+node", page.status_code, len(builds)])
print(json.dumps(answers))
"""


def answers_in_a_process_that_cannot_write(store_dir, cache_dir) -> list:
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.fail("running as root, the test needs setpriv (util-linux) to be bound by file permissions")
        prefix = WITHOUT_OVERRIDE
    result = subprocess.run([*prefix, sys.executable, "-c", ANSWER, str(store_dir), str(cache_dir), *SEARCHES],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_search_answers_from_memory_when_nothing_can_be_written(tmp_path):
    locked = tmp_path / "locked"
    store = copy_of_embedded_store(locked / "terms")
    before = sorted(path.relative_to(locked) for path in locked.rglob("*"))
    for folder in (store.directory, locked):
        folder.chmod(0o555)
    try:
        answers = answers_in_a_process_that_cannot_write(store.directory, locked / "cache")
    finally:
        for folder in (store.directory, locked):
            folder.chmod(0o755)
    assert sorted(path.relative_to(locked) for path in locked.rglob("*")) == before  # nothing written
    writable = create_app(store.directory, tmp_path / "cache").test_client()
    expected = [[url, 200, writable.get(url).get_json()] for url in SEARCHES for _ in range(2)]
    assert answers[:-1] == expected
    assert answers[-1] == ["/search?q=constrained+node", 200, 1]  # the page too; one index, built once
