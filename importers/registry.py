"""Choosing the reader from the content of a source, and building its Version."""

from __future__ import annotations

import hashlib
import re

from glossary.limits import MAX_SOURCE_BYTES, LimitExceeded, check_version
from glossary.model import Source, Version, named_as_editors_copy, split_revision

from . import rfcxml, rfctext, xml2rfc_html
from .document import Document
from .errors import SourceError
from .terms import extract

__all__ = ["MAX_SOURCE_BYTES", "read_document", "read_version", "split_revision"]

# (format test, reader); the first reader whose test accepts the content wins.
READERS = (
    (rfcxml.looks_like, rfcxml.read),
    (xml2rfc_html.looks_like, xml2rfc_html.read),
    (rfctext.looks_like, rfctext.read),
)


def read_document(data: bytes, source: str, encoding: str | None = None) -> Document:
    """The Document in ``data``; ``encoding`` is that of a plain-text source (XML and HTML declare theirs)."""
    if not data.strip():
        raise SourceError(source, "empty file")
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            source, f"too large for an RFC or draft ({len(data) // (1024 * 1024)} MiB; the limit is 10 MiB)"
        )
    if encoding is not None and not data.lstrip()[:1] == b"<":
        data = rfctext.decode(data, source, encoding).encode("utf-8")
    for accepts, read in READERS:
        if accepts(data):
            return read(data, source)
    raise SourceError(source, f"not an RFC or Internet-Draft ({_describe(data)})")


def read_version(data: bytes, source: str, encoding: str | None = None) -> Version:
    """The Version in ``data``; ``source`` (a path or URL) names it in errors and provenance."""
    document = read_document(data, source, encoding)
    try:
        extraction = extract(document)
    except LimitExceeded as error:
        raise SourceError(source, str(error)) from None
    if not extraction.terms:
        raise SourceError(source, f"no terms found in {document.name}: not a terminology document")
    document_name, revision = split_revision(document.name)
    version = Version(
        name=document.name,
        document=document_name,
        revision=revision,
        date=document.date,
        title=document.title,
        source=Source(uri=source, format=document.format, sha256=hashlib.sha256(data).hexdigest()),
        terms=extraction.terms,
        warnings=extraction.warnings,
        authors=list(document.authors),
        repository=document.repository,
    )
    try:
        named_as_editors_copy(version)  # "draft-…-latest": the editor's copy of its date
        check_version(version)
    except ValueError as error:
        raise SourceError(source, str(error)) from None
    return version


def _describe(data: bytes) -> str:
    head = data[:512]
    if head.startswith(b"\x89PNG"):
        return "it is a PNG image"
    if head.startswith(b"%PDF"):
        return "it is a PDF file"
    if b"\x00" in head:
        return "it is binary data"
    if re.search(rb"<html|<!doctype html", head, re.IGNORECASE):
        return "an HTML page that xml2rfc did not render"
    if head.lstrip().startswith(b"<"):
        return "XML whose document element is not <rfc>"
    return "no RFC or Internet-Draft header found"
