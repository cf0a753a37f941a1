"""A source to bytes: a local path, an http(s) URL, or the name of a draft or RFC.

Names resolve to where the IETF publishes them: ``draft-...[-NN]`` to
``{IETF archive}/<name>.xml``, or ``.txt`` when there is no XML (older drafts
and RFCs exist only as text); ``rfcNNNN`` to ``{RFC Editor}/rfcNNNN.txt``.
Every failure is a SourceError whose message names the file or URL and the cause.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import stat
import time
import urllib.error
import urllib.request

from .errors import SourceError
from .registry import MAX_SOURCE_BYTES

IETF_ARCHIVE_URL = "https://www.ietf.org/archive/id"
RFC_EDITOR_URL = "https://www.rfc-editor.org/rfc"
IETF_ARCHIVE_ENV = "GLOSSARY_IETF_ARCHIVE_URL"
RFC_EDITOR_ENV = "GLOSSARY_RFC_EDITOR_URL"
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "rfc7228bis-glossary/0.1"

_DRAFT_NAME = re.compile(r"draft-[a-z0-9]+(?:-[a-z0-9]+)+", re.IGNORECASE)
_RFC_NAME = re.compile(r"rfc\s?0*(\d{1,5})", re.IGNORECASE)
_CHUNK = 64 * 1024


class NotFound(SourceError):
    """HTTP 404 or 410: the one failure after which another URL is worth trying."""


def fetch(
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    ietf_archive: str | None = None,
    rfc_editor: str | None = None,
) -> tuple[bytes, str]:
    """The bytes of ``source`` and the path or URL they were read from."""
    if re.match(r"https?://", source, re.IGNORECASE):
        return download(source, timeout), source
    if not is_document_name(source) or os.path.lexists(source):
        return read_file(source), source
    missing = []
    for url in urls_for_name(source, ietf_archive=ietf_archive, rfc_editor=rfc_editor):
        try:
            return download(url, timeout), url
        except NotFound:
            missing.append(url)
    raise SourceError(source, "not published (HTTP 404) at " + " nor ".join(missing))


def is_document_name(source: str) -> bool:
    return bool(_DRAFT_NAME.fullmatch(source) or _RFC_NAME.fullmatch(source))


def urls_for_name(name: str, *, ietf_archive: str | None = None, rfc_editor: str | None = None) -> list[str]:
    """The URLs to try, best first, for a draft or RFC name."""
    rfc = _RFC_NAME.fullmatch(name)
    if rfc:
        base = rfc_editor or os.environ.get(RFC_EDITOR_ENV) or RFC_EDITOR_URL
        return [f"{base.rstrip('/')}/rfc{rfc.group(1)}.txt"]
    base = ietf_archive or os.environ.get(IETF_ARCHIVE_ENV) or IETF_ARCHIVE_URL
    stem = f"{base.rstrip('/')}/{name.lower()}"
    return [f"{stem}.xml", f"{stem}.txt"]


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
    """The body of ``url``; ``timeout`` bounds the whole download, not only each read."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_body(response, url, timeout, deadline)
    except urllib.error.HTTPError as error:
        failure = NotFound if error.code in (404, 410) else SourceError
        raise failure(url, f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise SourceError(url, _describe_network_failure(error.reason, timeout)) from None
    except (OSError, http.client.HTTPException) as error:
        raise SourceError(url, _describe_network_failure(error, timeout)) from None


def _read_body(response, url: str, timeout: float, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_SOURCE_BYTES:
        raise SourceError(url, f"response of {int(declared)} bytes is larger than 10 MiB: not an RFC or draft")
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > MAX_SOURCE_BYTES:
            raise SourceError(url, "response larger than 10 MiB: not an RFC or draft")
        if time.monotonic() > deadline:
            raise SourceError(url, f"timed out: the download took longer than {timeout:g} s")
        chunks.append(chunk)
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
