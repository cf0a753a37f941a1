"""Importers: RFC 7228 and RFC 7228bis revisions, from any format, to a Version.

``read_version(data, source)`` picks the reader from the content (never the
file name), parses the document and extracts its terms. Every reader raises
``SourceError`` for input it cannot use. Importers know nothing of the store,
the CLI or the API.
"""

from __future__ import annotations

from .errors import SourceError
from .registry import read_version

__all__ = ["SourceError", "read_version"]
