"""Sources to bytes, against a real HTTP server on loopback serving corpus files."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from importers import SourceError
from glossary.ietf import source_urls
from importers.fetch import fetch

NEWEST = "draft-ietf-iotops-7228bis-07"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


DRIP_SECONDS = 0.2  # between two bytes of a dripping answer
DRIP_BYTES = 100  # of it: 20 s in all, far beyond the deadlines the tests give


class MisbehavingHandler(QuietHandler):
    """/broken answers 500; /endless streams more than 10 MiB without announcing its length;
    /drip-headers and /drip-body send their headers or their body a byte at a time;
    /cut announces more bytes than it sends; /to-ftp and /to-page redirect."""

    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def do_GET(self):
        if self.path == "/broken":
            self.send_error(500, "Internal Server Error")
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * (1024 * 1024)
            for _ in range(11):
                self.wfile.write(chunk)
        elif self.path == "/drip-headers":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
            self._drip(b"x" * DRIP_BYTES)
        elif self.path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Length", str(DRIP_BYTES))
            self.end_headers()
            self._drip(b"<" * DRIP_BYTES)
        elif self.path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'<?xml version="1.0"?>\n<rfc docName="draft-cut-short-00">')
        elif self.path in ("/to-ftp", "/to-page"):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/draft.xml" if self.path == "/to-ftp" else "/page.html")
            self.end_headers()
        else:
            super().do_GET()

    def _drip(self, data: bytes) -> None:
        for byte in data:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up
                return
            time.sleep(DRIP_SECONDS)


class ServerOfClientsThatGiveUp(http.server.ThreadingHTTPServer):
    """A client that refuses an answer (too large, too slow) closes its connection mid-answer: that
    is what the tests make happen, not an error of the server to print."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@pytest.fixture
def served(tmp_path):
    """(base URL, folder): an HTTP server on loopback serving the folder, for the length of a test."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = ServerOfClientsThatGiveUp(
        ("127.0.0.1", 0), functools.partial(MisbehavingHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def test_draft_name_resolves_to_its_xml(served, revision_file):
    base, folder = served
    shutil.copy(revision_file(NEWEST, "xml"), folder / f"{NEWEST}.xml")
    shutil.copy(revision_file(NEWEST, "txt"), folder / f"{NEWEST}.txt")
    data, uri = fetch(NEWEST, urls_for_name=functools.partial(source_urls, ietf_archive=base))
    assert uri == f"{base}/{NEWEST}.xml"
    assert data == revision_file(NEWEST, "xml").read_bytes()


def test_draft_name_falls_back_to_text_when_there_is_no_xml(served, revision_file, monkeypatch):
    base, folder = served
    shutil.copy(revision_file(NEWEST, "txt"), folder / f"{NEWEST}.txt")
    monkeypatch.setenv("GLOSSARY_IETF_ARCHIVE_URL", base + "/")
    data, uri = fetch(NEWEST, urls_for_name=source_urls)
    assert uri == f"{base}/{NEWEST}.txt"
    assert data == revision_file(NEWEST, "txt").read_bytes()


def test_rfc_name_resolves_to_the_rfc_editor_text(served, revision_file, monkeypatch):
    base, folder = served
    # RFC 7228 itself is not in the corpus; any text of the same layout stands in for it
    shutil.copy(revision_file("draft-bormann-lwig-7228bis-00", "txt"), folder / "rfc7228.txt")
    monkeypatch.setenv("GLOSSARY_RFC_EDITOR_URL", base)
    data, uri = fetch("RFC7228", urls_for_name=source_urls)
    assert uri == f"{base}/rfc7228.txt"
    assert data == (folder / "rfc7228.txt").read_bytes()


def test_unknown_name_is_a_404_naming_both_urls(served):
    base, _ = served
    with pytest.raises(SourceError) as raised:
        fetch("draft-nobody-nothing-00", urls_for_name=functools.partial(source_urls, ietf_archive=base))
    message = str(raised.value)
    assert message.startswith("draft-nobody-nothing-00: not published (HTTP 404) at ")
    assert f"{base}/draft-nobody-nothing-00.xml" in message and f"{base}/draft-nobody-nothing-00.txt" in message
    assert "\n" not in message


def test_url_is_read_as_given(served, revision_file):
    base, folder = served
    shutil.copy(revision_file(NEWEST, "html"), folder / "page.html")
    assert fetch(f"{base}/page.html") == (revision_file(NEWEST, "html").read_bytes(), f"{base}/page.html")


def test_http_error_names_the_url_and_the_status(served):
    base, _ = served
    with pytest.raises(SourceError, match=r"^http://127\.0\.0\.1:\d+/broken: HTTP 500 "):
        fetch(f"{base}/broken")


def test_oversize_responses_are_refused(served):
    base, folder = served
    (folder / "huge.xml").write_bytes(b" " * (10 * 1024 * 1024 + 1))
    with pytest.raises(SourceError, match="huge.xml: .*larger than 10 MiB"):
        fetch(f"{base}/huge.xml")
    with pytest.raises(SourceError, match="endless: response larger than 10 MiB"):
        fetch(f"{base}/endless")


def test_a_server_that_never_answers_times_out(tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel does) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/draft.xml"
        started = time.monotonic()
        with pytest.raises(SourceError) as raised:
            fetch(url, timeout=0.5)
    assert time.monotonic() - started < 5
    assert str(raised.value) == f"{url}: timed out: no answer within 0.5 s"


@pytest.mark.parametrize("path, waited_for", [("/drip-headers", "no answer within"),
                                               ("/drip-body", "the download took longer than")])
def test_one_deadline_bounds_a_dripping_download(served, path, waited_for):
    base, _ = served
    with pytest.raises(SourceError) as raised:
        fetch(base + path, timeout=1)
    assert str(raised.value) == f"{base}{path}: timed out: {waited_for} 1 s"


def test_a_body_shorter_than_announced_is_truncated_not_malformed(served):
    base, _ = served
    with pytest.raises(SourceError) as raised:
        fetch(f"{base}/cut")
    assert str(raised.value) == f"{base}/cut: truncated: the server sent 56 of the 5,000 bytes it announced"


def test_redirects_are_followed_to_http_only(served, revision_file):
    base, folder = served
    shutil.copy(revision_file(NEWEST, "html"), folder / "page.html")
    assert fetch(f"{base}/to-page")[0] == revision_file(NEWEST, "html").read_bytes()
    with pytest.raises(SourceError) as raised:
        fetch(f"{base}/to-ftp")
    assert str(raised.value) == (f"{base}/to-ftp: redirected to ftp://127.0.0.1/draft.xml: "
                                 "only http and https URLs are followed")


def test_connection_refused():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # the port is closed now: nothing listens there
    with pytest.raises(SourceError) as raised:
        fetch(f"http://127.0.0.1:{port}/draft.xml", timeout=5)
    assert str(raised.value) == f"http://127.0.0.1:{port}/draft.xml: connection refused"


def test_local_path_is_read(tmp_path):
    path = tmp_path / "draft.xml"
    path.write_bytes(b"<rfc/>")
    assert fetch(str(path)) == (b"<rfc/>", str(path))


def test_a_local_file_named_like_a_draft_is_read_from_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("draft-local-name-00").write_bytes(b"local")
    elsewhere = functools.partial(source_urls, ietf_archive="http://127.0.0.1:9")
    assert fetch("draft-local-name-00", urls_for_name=elsewhere) == (b"local", "draft-local-name-00")


def test_missing_file_and_directory_name_the_path(tmp_path):
    with pytest.raises(SourceError, match=r"nothing\.xml: no such file$"):
        fetch(str(tmp_path / "nothing.xml"))
    with pytest.raises(SourceError, match="is a directory"):
        fetch(str(tmp_path))


def test_default_urls_are_the_ietf_and_rfc_editor_ones(monkeypatch):
    monkeypatch.delenv("GLOSSARY_IETF_ARCHIVE_URL", raising=False)
    monkeypatch.delenv("GLOSSARY_RFC_EDITOR_URL", raising=False)
    assert source_urls("draft-ietf-iotops-7228bis") == [
        "https://www.ietf.org/archive/id/draft-ietf-iotops-7228bis.xml",
        "https://www.ietf.org/archive/id/draft-ietf-iotops-7228bis.txt",
    ]
    assert source_urls("rfc7228") == source_urls("RFC 7228") == ["https://www.rfc-editor.org/rfc/rfc7228.txt"]
    assert source_urls("notes.xml") == []  # not a document name: read as a path
