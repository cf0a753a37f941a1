"""The two failures every face of the glossary reports: a name that is not there, and a store that cannot answer.

The CLI prints them as one line, the API as problem+json (404 and 503), the
pages as HTML error pages; nothing else needs to know which lookup failed.
"""

from __future__ import annotations

from .limits import quote


class StoreError(Exception):
    """The store cannot do what was asked; the message says why."""


class NotFound(LookupError):
    """No ``what`` ("version", "term", "kind") called ``name`` in ``where``; carries the closest names.

    ``where`` is a version name ("draft-…-07", "rfc7228 or draft-…-07", "any
    version"), or None when the name was looked for in every version (or among
    the versions themselves).
    """

    def __init__(self, what: str, name: str, where: str | None = None, close_matches: list[str] = ()):
        super().__init__(name)
        self.what = what
        self.name = name
        self.where = where
        self.close_matches = list(close_matches)

    def __str__(self) -> str:
        place = f" in {self.where}" if self.where else ""
        return f"unknown {self.what} {quote(self.name)}{place}; {describe_matches(self.close_matches)}"


def describe_matches(matches: list[str]) -> str:
    return "close matches: " + ", ".join(matches) if matches else "no close matches"
