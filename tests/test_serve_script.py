"""The Quickstart's serve command on a fresh copy of the project: it installs
only the runtime dependencies, says what it does, and serves the embedded store."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support import free_port

ROOT = Path(__file__).resolve().parent.parent
TEST_ONLY_PACKAGES = ("pytest", "playwright", "schemathesis", "xml2rfc", "hypothesis")


def fresh_copy(target: Path) -> Path:
    """The files git tracks, as they are in this work tree: what a fresh clone holds."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve.sh exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"serve.sh did not answer at {url} within {seconds:.0f} s")


def test_serve_script_installs_only_runtime_packages_and_serves(tmp_path):
    project = fresh_copy(tmp_path / "project")
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    pip_cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env = {
        "PATH": os.environ["PATH"], "HOME": str(home), "PIP_CACHE_DIR": pip_cache,
        "PORT": str(port), "HOST": "127.0.0.1", "WORKERS": "1",
    }
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(sys.prefix))
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(["./scripts/serve.sh"], cwd=project, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            page = wait_for(f"http://127.0.0.1:{port}/api/v1/versions", process, seconds=300)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    said = log.read_text()
    assert b"draft-ietf-iotops-7228bis" in page
    assert "installing the glossary" in said  # it says what it is doing before pip speaks
    assert f"http://127.0.0.1:{port}/" in said
    installed = subprocess.run([str(project / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                               capture_output=True, text=True, check=True).stdout.lower()
    assert "gunicorn==" in installed and "flask==" in installed
    for package in TEST_ONLY_PACKAGES:
        assert f"\n{package}==" not in "\n" + installed, f"serving installed the test tool {package}"
    assert not (home / ".gunicorn").exists(), "gunicorn left a control socket in the user's home"


def test_glossary_serve_defaults_to_the_port_of_serve_sh():
    from glossary.cli.browse import serve

    script = (ROOT / "scripts" / "serve.sh").read_text()
    port_default = re.search(r"\$\{PORT:-(\d+)\}", script).group(1)
    (port_option,) = [p for p in serve.params if p.name == "port"]
    assert port_option.default == int(port_default) == 8000  # the README's port
