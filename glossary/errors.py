"""The failures every face of the glossary reports, decided here and only rendered by the faces.

- NotFound: a name that is not there (exit 1, HTTP 404), with the closest names;
  NotInVersion: a term that is, but not in the version asked for, with where it
  first or last appears.
- BadParameter: a value a parameter cannot take (exit 2, HTTP 400), with the
  values it can.
- StoreError: a store that cannot answer (exit 1, HTTP 503).

The CLI prints them as one line, the API as problem+json, the pages as HTML
error pages; each face says what ``str(error)`` says.
"""

from __future__ import annotations

from .limits import quote


class StoreError(Exception):
    """The store cannot do what was asked; the message says why."""


class NotFound(LookupError):
    """No ``what`` ("version", "term") called ``name`` in ``where``; carries the closest names.

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


class NotInVersion(NotFound):
    """The term ``name`` exists (as ``term``, id ``term_id``), but not in the version ``where``.

    ``present_in`` names the versions that define it, in lineage order;
    ``appears`` says where to find it instead, from the asked version's place
    in the lineage: "first appears in …", "last appears in …", or both sides
    of a gap.
    """

    def __init__(self, name: str, where: str, term: str, term_id: str, present_in: list[str], appears: str):
        super().__init__("term", name, where, [term])
        self.term = term
        self.term_id = term_id
        self.present_in = list(present_in)
        self.appears = appears

    def __str__(self) -> str:
        return f"term {self.name!r} is not in {self.where}; {self.appears}"


class BadParameter(ValueError):
    """``value`` is not a value ``parameter`` may take; ``allowed`` lists those it may (if they are a list)."""

    def __init__(self, parameter: str, value: str, allowed: list[str] = (), detail: str | None = None):
        super().__init__(value)
        self.parameter = parameter
        self.value = value
        self.allowed = list(allowed)
        self.detail = detail or f"{value!r} is not a valid value"

    def __str__(self) -> str:
        valid = f"; valid values: {', '.join(self.allowed)}" if self.allowed else ""
        return f"{self.parameter}: {self.detail}{valid}"


def describe_matches(matches: list[str]) -> str:
    return "close matches: " + ", ".join(matches) if matches else "no close matches"
