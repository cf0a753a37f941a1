"""What tests share besides fixtures: the corpus's version names, builders of stores and versions, and servers.

Servers: gunicorn on a free loopback port (for the tests and bench/api.py),
and a WSGI app served from a thread (for the browser tests). Fixtures are in
conftest.py; test modules import from here, never from each other.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

# The versions of the corpus (and of the committed store built from it), in lineage order:
# the drafts by date, the editor's copy last, named by its date and source commit.
LINEAGE = [
    "draft-bormann-lwig-7228bis-00", "draft-bormann-lwig-7228bis-01", "draft-bormann-lwig-7228bis-02",
    "draft-bormann-lwig-7228bis-04", "draft-bormann-lwig-7228bis-05", "draft-bormann-lwig-7228bis-06",
    "draft-bormann-lwig-7228bis-07", "draft-bormann-lwig-7228bis-08", "draft-ietf-lwig-7228bis-00",
    "draft-ietf-lwig-7228bis-01", "draft-ietf-iotops-7228bis-00", "draft-ietf-iotops-7228bis-01",
    "draft-ietf-iotops-7228bis-02", "draft-ietf-iotops-7228bis-03", "draft-ietf-iotops-7228bis-07",
    "draft-ietf-iotops-7228bis-editors-2026-06-30-40fe265",
]
CORPUS_EDITORS_COPY = "draft-ietf-iotops-7228bis-latest"  # the editor's copy's docName, its name in the corpus
# The corpus's editor's copy imported from its file alone, without the manifest's commit: named by its date.
EDITORS_COPY_WITHOUT_COMMIT = "draft-ietf-iotops-7228bis-editors-2026-06-30"
OLDEST = LINEAGE[0]
SEVEN = "draft-ietf-iotops-7228bis-07"  # the newest numbered revision
NEWEST = LINEAGE[-1]  # the editor's copy
PROBLEM = "application/problem+json"


# --- stores ---------------------------------------------------------------------------


def corpus_file(corpus: Path, revision: dict, fmt: str) -> Path:
    return corpus / revision["files"][fmt]["path"]


def stored_name(revision: dict) -> str:
    """The version name a manifest entry is stored under: its own, but the editor's copy's is NEWEST."""
    return NEWEST if revision["name"] == CORPUS_EDITORS_COPY else revision["name"]


def name_read_from_file(revision: dict) -> str:
    """The version name a manifest entry's file gives when read without the manifest (and its commit)."""
    return EDITORS_COPY_WITHOUT_COMMIT if revision["name"] == CORPUS_EDITORS_COPY else revision["name"]


def build_corpus_store(corpus: Path, documents: list[dict], directory: Path):
    """A store holding the XML revision of each of ``documents`` (manifest entries, with their source commits),
    imported in order."""
    from glossary.importing import import_source
    from glossary.store import Store

    store = Store(directory)
    for revision in documents:
        outcome = import_source(store, str(corpus_file(corpus, revision, "xml")), commit=revision.get("source_commit"))
        assert outcome.status != "failed", outcome.error
    return store


def copy_of_embedded_store(directory: Path):
    """A copy of the committed store (data/terms/), which tests may change; test_store_build proves it is
    what importing the corpus gives."""
    from glossary.store import Store, embedded_store

    shutil.copytree(embedded_store(), directory, ignore=shutil.ignore_patterns(".lock"))
    return Store(directory)


def store_of(versions, directory: Path):
    """A store holding ``versions``, saved in order."""
    from glossary.store import Store

    store = Store(directory)
    for version in versions:
        store.save(version)
    return store


def tool_missing(reason: str, needed_by: str):
    """A program or package some tests need is not installed: skip here, but fail in CI (CI is set),
    which installs it (.ci/install-system, the test extra), so that a skip cannot hide ``needed_by``."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason}: in CI {needed_by} must run, and CI installs what they need")
    pytest.skip(reason)


def glossary_cli(store: Path, *args, **runner_options):
    """``glossary --store STORE ARGS...`` run in-process; the click Result."""
    from click.testing import CliRunner

    from glossary.cli import main

    return CliRunner(**runner_options).invoke(main, ["--store", str(store), *map(str, args)])


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file of the store, hidden ones included: byte-identical means nothing changed."""
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


# --- versions ----------------------------------------------------------------------------


def make_version(name: str, *terms, date: str | None = None, title: str | None = None, sha256: str = "0" * 64,
                 uri: str | None = None):
    """A version of ``terms``, its document and revision taken from ``name`` as the importers take them."""
    from glossary.model import Source, Version, split_revision

    document, revision = split_revision(name)
    source = Source(uri or f"{name}.xml", "rfcxml-v3", sha256)
    return Version(name, document, revision, date, title or name, source, list(terms))


# A table of three rows whose legend, a note of every row, is reworded between two versions; S1's cell
# changes too. The legend's change is one edit, shared by the three rows.
LEGEND_BEFORE = 'Sx stands for "Size x" in the table of link layer sizes.'
LEGEND_AFTER = 'Sx is short for "Size x" in the table of link layer sizes.'


def legend_versions():
    """(old, new): the versions of the table of three rows sharing one legend (see LEGEND_BEFORE)."""
    from glossary.model import Note, Section, Term

    table = Section("5.1", "Classes of Link Layer MTU Size", "mtu")

    def rows(legend: str, s1_size: str) -> list:
        return [Term(f"s{n}", f"S{n}", "mtu-class", size, table, "table", attributes={"Size": size},
                     notes=[Note(legend, "legend", table)])
                for n, size in ((0, "1 - 10"), (1, s1_size), (2, "128 - 1279"))]

    return (make_version("draft-test-legend-00", *rows(LEGEND_BEFORE, "11 - 127"), date="2020-01-01"),
            make_version("draft-test-legend-01", *rows(LEGEND_AFTER, "11 - 255"), date="2020-02-01"))


# Document text that would be markup if a page or snippet did not escape it.
HOSTILE = "<script>alert(1)</script> and <b>bold</b> words"


def hostile_version(revision: str, definition: str, examples: str):
    """A version whose every field a page shows carries markup."""
    from glossary.model import Section, Source, Term, Version

    source = Source(f"hostile-{revision}.xml", "rfcxml-v3", revision * 32)
    prose = Term("hostile", "Hostile <i>Term</i>", "term", definition,
                 Section("2", 'Markup <em>in</em> "titles"', "markup"), "dl",
                 aliases=['<img src=x onerror="alert(2)">'])
    row = Term("class-x", "Class <u>X</u>", "device-class", f"Examples: {examples}",
               Section("3", "Classes"), "table", attributes={"Examples <s>": examples})
    return Version(f"draft-test-hostile-{revision}", "draft-test-hostile", revision, f"2020-0{int(revision) + 1}-01",
                   "Hostile <title>", source, [prose, row])


# --- servers -----------------------------------------------------------------------------


class ThreadedServer:
    """A WSGI app served over HTTP on a free loopback port, in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=10)


class ServerFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(store_dir: Path, cache_dir: Path, workers: int = 2, threads: int = 2,
             app: str = "glossary.api:create_app()", ready_path: str = "/api/v1/versions"):
    """The base URL of gunicorn serving ``app`` over the store, once ``ready_path`` answers."""
    port = free_port()
    env = {**os.environ, "GLOSSARY_STORE": str(store_dir), "GLOSSARY_CACHE": str(cache_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:glossary.serving", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning", app],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(process, base + ready_path)
        yield base
    finally:
        stop_server(process, signal.SIGTERM)


def fetch(url: str, headers: dict | None = None, timeout: float = 10):
    """(status, headers, body) over HTTP; error statuses are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def stop_server(process: subprocess.Popen, graceful_signal: int) -> None:
    """Ask a server started with stderr=PIPE to stop, kill it if it has not within 15 s, and reap it."""
    process.send_signal(graceful_signal)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stderr.close()


def _wait_until_it_answers(process: subprocess.Popen, url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {process.returncode}: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise ServerFailed(f"gunicorn did not answer within {seconds:.0f} s") from None
            time.sleep(0.1)
