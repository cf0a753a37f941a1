"""A source to bytes: a local path, an http(s) URL, or the name of a draft or RFC.

Where a name is published is the caller's to say (``urls_for_name``: the
glossary's is glossary.ietf.source_urls): the URLs are tried in order, the
next one only after an HTTP 404 or 410. A local file of that name wins.
Every failure is a SourceError whose message names the file or URL and the cause.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

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
    urls = [] if urls_for_name is None or Path(source).exists() else urls_for_name(source)
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
    try:
        if os.stat(path).st_size > MAX_SOURCE_BYTES:
            raise SourceError(path, "larger than 10 MiB: not an RFC or draft")
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except IsADirectoryError:
        raise SourceError(path, "is a directory, not a file") from None
    except OSError as error:
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None


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
