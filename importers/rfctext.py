"""Placeholder until this reader exists."""

from .errors import SourceError


def looks_like(data: bytes) -> bool:
    return False


def read(data: bytes, source: str):
    raise SourceError(source, "format not supported yet")
