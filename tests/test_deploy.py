"""Replicas: two gunicorn instances over one store, an import or a switched store reaching both,
and nginx in front of them with deploy/nginx.conf (README, "Deploying")."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

import support
from support import EDITORS_COPY_WITHOUT_COMMIT, build_corpus_store, corpus_file, stop_server, tool_missing

ROOT = Path(__file__).resolve().parent.parent
# Answers that depend on which versions the store holds.
WATCHED = ["/api/v1/versions", "/api/v1/versions/latest", "/api/v1/terms/c1", "/api/v1/search?q=class+1",
           "/api/v1/terms/sh9/history", "/api/v1/diff?from=oldest&to=latest"]


def fetch(url: str):
    return support.fetch(url, timeout=20)  # replicas answer while an import or a switch runs


@contextmanager
def replicas(store_dir: Path, tmp_path: Path, count: int = 2):
    """``count`` gunicorn instances (separate processes and cache folders) serving one store."""
    with ExitStack() as stack:
        try:
            yield [stack.enter_context(support.gunicorn(store_dir, tmp_path / f"cache-{n}"))
                   for n in range(count)]
        except support.ServerFailed as failure:
            pytest.fail(str(failure))


def newest_seen(base: str) -> str:
    return json.loads(fetch(f"{base}/api/v1/versions")[2])["versions"][-1]["name"]


class Watcher:
    """Requests to every replica, one thread each, until stopped; every answer kept."""

    def __init__(self, bases: list[str]):
        self.answers: list[tuple[str, int, str | None, bytes]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(base,)) for base in bases]

    def _run(self, base: str) -> None:
        while not self._stop.is_set():
            for path in WATCHED:
                status, headers, body = fetch(base + path)
                self.answers.append((path, status, headers.get("ETag"), body))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(60)


def assert_each_answer_is_of_one_generation(answers, generations: list[list[str]]) -> None:
    """Every answer a 200 whose ETag is that of its body, and of one of ``generations`` (version lists)."""
    assert answers
    for path, status, etag, body in answers:
        assert status == 200, (path, body[:300])
        # The ETag is the one of these very bytes: a client revalidating gets what it was given.
        assert etag == f'"{hashlib.sha1(body).hexdigest()}"', path
        data = json.loads(body)
        if path == "/api/v1/versions":
            assert [entry["name"] for entry in data["versions"]] in generations
        if path == "/api/v1/versions/latest":
            assert data["name"] in {names[-1] for names in generations}
            assert sum(data["kinds"].values()) == data["terms"]
        if path == "/api/v1/diff?from=oldest&to=latest":
            assert data["to"] in {names[-1] for names in generations}


def test_an_import_reaches_both_replicas_and_no_answer_fails_meanwhile(corpus, manifest, tmp_path):
    store = build_corpus_store(corpus, manifest[:-1], tmp_path / "terms")
    before = manifest[-2]["name"]
    with replicas(store.directory, tmp_path) as bases:
        assert [newest_seen(base) for base in bases] == [before, before]
        with Watcher(bases) as watcher:
            time.sleep(0.5)
            source = corpus_file(corpus, manifest[-1], "xml")
            subprocess.run([sys.executable, "-m", "glossary", "--store", str(store.directory), "import",
                            str(source)], check=True, capture_output=True, cwd=ROOT)
            imported = time.monotonic()
            after = store.versions()[-1]["name"]  # the editor's copy, imported without its commit
            assert after == EDITORS_COPY_WITHOUT_COMMIT
            # Each request looks at the store's index file: the next answers are the new generation's.
            while {newest_seen(base) for base in bases} != {after}:
                assert time.monotonic() - imported < 30
                time.sleep(0.05)
            time.sleep(0.5)
        assert [newest_seen(base) for base in bases] == [after, after]
        names = [entry["name"] for entry in manifest[:-1]]
        assert_each_answer_is_of_one_generation(watcher.answers, [names, [*names, after]])
        versions_seen = {json.loads(body)["versions"][-1]["name"]
                         for path, _, _, body in watcher.answers if path == "/api/v1/versions"}
        assert versions_seen == {before, after}  # the watch spanned the switch


def test_a_replica_started_on_an_empty_store_serves_the_first_import(corpus, manifest, tmp_path):
    """Each worker reads the store before its first request (glossary.serving): with nothing to read, it still starts."""
    empty = tmp_path / "terms"
    empty.mkdir()
    with replicas(empty, tmp_path, count=1) as (base,):
        status, _, body = fetch(f"{base}/api/v1/versions")
        assert (status, json.loads(body)["versions"]) == (200, [])
        source = corpus_file(corpus, manifest[0], "xml")
        subprocess.run([sys.executable, "-m", "glossary", "--store", str(empty), "import", str(source)],
                       check=True, capture_output=True, cwd=ROOT)
        assert newest_seen(base) == manifest[0]["name"]
        assert fetch(f"{base}/api/v1/search?q=constrained")[0] == 200


def test_a_store_switched_by_atomic_rename_reaches_both_replicas(corpus, manifest, tmp_path):
    old = build_corpus_store(corpus, manifest[:-1], tmp_path / "terms-1")
    live = tmp_path / "terms"
    live.symlink_to(old.directory)
    with replicas(live, tmp_path) as bases:
        assert [newest_seen(base) for base in bases] == [manifest[-2]["name"]] * 2
        with Watcher(bases) as watcher:
            # Replicated as files into a new folder (as rsync or git would), then switched in one rename.
            new = tmp_path / "terms-2"
            shutil.copytree(old.directory, new, ignore=shutil.ignore_patterns(".lock"))
            source = corpus_file(corpus, manifest[-1], "xml")
            subprocess.run([sys.executable, "-m", "glossary", "--store", str(new), "import", str(source)],
                           check=True, capture_output=True, cwd=ROOT)
            (tmp_path / "terms.next").symlink_to(new)
            os.replace(tmp_path / "terms.next", live)
            switched = time.monotonic()
            while {newest_seen(base) for base in bases} != {EDITORS_COPY_WITHOUT_COMMIT}:
                assert time.monotonic() - switched < 30
                time.sleep(0.05)
            time.sleep(0.5)
        names = [entry["name"] for entry in manifest[:-1]]
        assert_each_answer_is_of_one_generation(watcher.answers, [names, [*names, EDITORS_COPY_WITHOUT_COMMIT]])


@pytest.fixture(scope="module")
def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        tool_missing("nginx is not installed (Debian/Ubuntu: apt-get install nginx)", "the load balancer test")
    return found


@contextmanager
def nginx(binary: str, tmp_path: Path, replica_ports: list[int]):
    """nginx running deploy/nginx.conf, its ports moved to free ones; the base URL."""
    port = support.free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    config = config.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    for default, actual in zip(("127.0.0.1:8001", "127.0.0.1:8002"), replica_ports):
        assert default in config
        config = config.replace(default, f"127.0.0.1:{actual}")
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "nginx.conf").write_text(config)
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
         "-g", f"daemon off; pid {prefix / 'nginx.pid'}; error_log {prefix / 'logs' / 'error.log'};"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {process.stderr.read().decode()}")
            try:
                if fetch(base + "/api/v1/versions")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield base
    finally:
        stop_server(process, signal.SIGQUIT)


def test_nginx_spreads_requests_over_the_replicas_and_survives_one_stopping(
        corpus, manifest, tmp_path, nginx_binary):
    store = build_corpus_store(corpus, manifest, tmp_path / "terms")
    with ExitStack() as stack:
        first = stack.enter_context(support.gunicorn(store.directory, tmp_path / "cache-1"))
        with support.gunicorn(store.directory, tmp_path / "cache-2") as second:
            ports = [int(base.rsplit(":", 1)[1]) for base in (first, second)]
            base = stack.enter_context(nginx(nginx_binary, tmp_path, ports))
            direct = fetch(f"{first}/api/v1/terms/c2")
            for _ in range(10):
                status, headers, body = fetch(f"{base}/api/v1/terms/c2")
                assert status == 200 and body == direct[2]
                # What a CDN in front goes by passes through unchanged.
                assert headers["ETag"] == direct[1]["ETag"]
                assert headers["Cache-Control"] == direct[1]["Cache-Control"]
        # The second replica has stopped: nginx answers from the first.
        for _ in range(10):
            assert fetch(f"{base}/api/v1/terms/c2")[0] == 200
