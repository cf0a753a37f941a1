"""A source to bytes: a local path, an http(s) URL, or the name of a draft or RFC.

Where a name is published is the caller's to say (``urls_for_name``: the
glossary's is glossary.ietf.source_urls): the URLs are tried in order, the
next one only after an HTTP 404 or 410. A local file of that name wins.
Every failure is a SourceError whose message names the file or URL and the cause.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import ssl
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

from glossary.limits import shorten

from .errors import SourceError
from .registry import MAX_SOURCE_BYTES

DEFAULT_TIMEOUT = 20.0
USER_AGENT = "rfc7228bis-glossary/0.1"

_CHUNK = 64 * 1024


class NotFound(SourceError):
    """HTTP 404 or 410: the one failure after which another URL is worth trying."""


def fetch(
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    urls_for_name: Callable[[str], list[str]] | None = None,
) -> tuple[bytes, str]:
    """The bytes of ``source`` and the path or URL they were read from.

    ``urls_for_name(source)`` gives the URLs where a document name is
    published, best first, and nothing for a source that is not a name.
    """
    if re.match(r"https?://", source, re.IGNORECASE):
        return download(source, timeout), source
    urls = [] if urls_for_name is None or os.path.lexists(source) else urls_for_name(source)
    if not urls:
        return read_file(source), source
    missing = []
    for url in urls:
        try:
            return download(url, timeout), url
        except NotFound:
            missing.append(url)
    raise SourceError(source, "not published (HTTP 404) at " + " nor ".join(missing))


def read_file(path: str) -> bytes:
    """A regular file's bytes, at most MAX_SOURCE_BYTES of them, checked before and while reading.

    Devices, pipes, sockets and directories are refused before they are
    read: opening is non-blocking, so a pipe with no writer cannot hang it.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except OSError as error:
        _refuse_if_not_regular(path)
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        _refuse_if_not_regular(path, status.st_mode)
        if status.st_size > MAX_SOURCE_BYTES:
            raise SourceError(path, "larger than 10 MiB: not an RFC or draft")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(MAX_SOURCE_BYTES + 1)  # the file may have grown since
    except OSError as error:
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(path, "larger than 10 MiB: not an RFC or draft")
    return data


_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_if_not_regular(path: str, mode: int | None = None) -> None:
    if mode is None:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    raise SourceError(path, f"is {kind}, not a regular file: only files are read")


def download(url: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The body of ``url``, following redirects to http(s) URLs only.

    ``timeout`` bounds the whole download: connecting, the headers, every
    redirect and the body, however slowly a server drips them. The body is
    counted as it arrives against MAX_SOURCE_BYTES, and a body shorter than
    its announced length is reported as truncated.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(
        _HTTPHandler(deadline), _HTTPSHandler(deadline), _HttpOnlyRedirects(url)
    )
    answered = False  # the headers, in time
    try:
        with deadline, opener.open(request, timeout=timeout) as response:
            answered = not deadline.expired
            return _read_body(response, url, deadline)
    except urllib.error.HTTPError as error:
        failure = NotFound if error.code in (404, 410) else SourceError
        raise failure(url, f"HTTP {error.code} {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
        if deadline.expired or isinstance(getattr(error, "reason", error), TimeoutError):
            if not answered:
                raise SourceError(url, f"timed out: no answer within {timeout:g} s") from None
            raise SourceError(url, f"timed out: the download took longer than {timeout:g} s") from None
        if isinstance(error, http.client.IncompleteRead):
            raise SourceError(url, "truncated: the connection closed before the end of the body") from None
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise SourceError(url, _describe_network_failure(reason, timeout)) from None


class _Deadline:
    """The end of a download: when it passes, every socket the download opened is shut down.

    A socket timeout bounds each read only; shutting the socket down wakes a
    read that waits on a server dripping one byte at a time.
    """

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                raise TimeoutError("the download's deadline has passed")
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # closed already
                    # the plain socket's shutdown, also under TLS: it wakes a read blocked on the socket
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(connection_class, deadline: _Deadline):
    """``connection_class`` whose sockets (the TCP one, and the TLS one over it) the deadline shuts down."""

    class Watched(connection_class):
        def connect(self):
            self.timeout = min(self.timeout or deadline.remaining(), deadline.remaining())
            self._create_connection = lambda *args: deadline.watch(socket.create_connection(*args))
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection_class = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req):
        return self.do_open(self._connection_class, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection_class = _watched(http.client.HTTPSConnection, deadline)

    def https_open(self, req):
        return self.do_open(self._connection_class, req, context=self._context, check_hostname=self._check_hostname)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http and https URLs only (urllib alone would follow one to ftp)."""

    def __init__(self, url: str):
        super().__init__()
        self._url = url

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise SourceError(self._url, f"redirected to {shorten(newurl)}: only http and https URLs are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_body(response, url: str, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_SOURCE_BYTES:
        raise SourceError(url, f"response of {int(declared)} bytes is larger than 10 MiB: not an RFC or draft")
    chunks, size = [], 0
    while chunk := response.read1(_CHUNK):  # what has arrived, so that it is counted as it arrives
        size += len(chunk)
        if size > MAX_SOURCE_BYTES:
            raise SourceError(url, "response larger than 10 MiB: not an RFC or draft")
        chunks.append(chunk)
    if deadline.expired:  # the socket shut down by the deadline looks like the end of the body
        raise TimeoutError
    if response.length:  # http.client reads a body cut short as if it had ended
        raise SourceError(url, f"truncated: the server sent {size:,} of the {int(declared):,} bytes it announced")
    return b"".join(chunks)


def _describe_network_failure(reason, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out: no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host name ({reason.strerror})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failure ({reason.reason or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
