"""Finding what a reader typed: terms by any of their names, and close matches when nothing fits."""

from __future__ import annotations

import difflib

from .limits import MAX_TERM_NAME_CHARS, quote
from .model import Term, Version, lookup_key


class UnknownName(KeyError):
    """No term (or kind, ...) of this name in a version; carries the names that come closest."""

    def __init__(self, what: str, name: str, version: str, close_matches: list[str]):
        super().__init__(name)
        self.what = what
        self.name = name
        self.version = version
        self.close_matches = close_matches

    def __str__(self) -> str:
        return f"unknown {self.what} {quote(self.name)} in {self.version}; {describe_matches(self.close_matches)}"


def find_term(version: Version, name: str) -> Term:
    """The term with this id, term or alias (case and punctuation insensitive), or UnknownName."""
    term = version.find(name)
    if term is None:
        raise UnknownName("term", name, version.name, close_term_names(name, [version]))
    return term


def close_term_names(name: str, versions: list[Version]) -> list[str]:
    """The terms of ``versions`` whose id, term or alias comes closest to ``name``."""
    if len(name) > MAX_TERM_NAME_CHARS:  # no term has so long a name, nor one close to it
        return []
    display_name = {alias: t.term for v in versions for t in v.terms for alias in t.names()}
    return list(dict.fromkeys(display_name[m] for m in close_matches(name, display_name)))


def terms_of_kind(version: Version, kind: str | None) -> list[Term]:
    """The version's terms, only those of ``kind`` if given (case and punctuation insensitive)."""
    if kind is None:
        return list(version.terms)
    wanted = resolve_kind(kind, sorted({t.kind for t in version.terms}), version.name)
    return [t for t in version.terms if t.kind == wanted]


def matching_kind(name: str, kinds: list[str]) -> str | None:
    """The one of ``kinds`` that ``name`` means: itself, else the same in any case and punctuation."""
    same = [kind for kind in kinds if kind == name] or [kind for kind in kinds if lookup_key(kind) == lookup_key(name)]
    return same[0] if same else None


def resolve_kind(name: str, kinds: list[str], where: str) -> str:
    """The kind ``name`` means among ``kinds`` (those of ``where``), or UnknownName with the closest."""
    kind = matching_kind(name, kinds)
    if kind is None:
        raise UnknownName("kind", name, where, close_matches(name, kinds) or kinds)
    return kind


def close_matches(name: str, candidates, limit: int = 5) -> list[str]:
    """The candidates most like ``name``, best first, compared as lookup keys."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(lookup_key(candidate), candidate)
    keys = difflib.get_close_matches(lookup_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in keys]


def describe_matches(matches: list[str]) -> str:
    return "close matches: " + ", ".join(matches) if matches else "no close matches"
