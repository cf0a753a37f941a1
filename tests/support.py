"""gunicorn serving the glossary on a free loopback port, for the tests and bench/api.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning", app],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(process, base + ready_path)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
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
