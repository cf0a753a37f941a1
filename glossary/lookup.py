"""Finding what a reader typed: terms by any of their names, and close matches when nothing fits."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import NotFound
from .limits import MAX_TERM_NAME_CHARS
from .model import Term, Version, lookup_key


def find_term(version: Version, name: str) -> Term:
    """The term with this id, term or alias (case and punctuation insensitive), or NotFound."""
    term = version.find(name)
    if term is None:
        raise NotFound("term", name, version.name, close_term_names(name, [version]))
    return term


def term_id_in(name: str, new: Version, old: Version) -> str:
    """The id of the term ``name`` in ``new``, else in ``old`` (a term removed since): for a diff of one term."""
    for version in (new, old):
        found = version.find(name)
        if found is not None:
            return found.id
    raise NotFound("term", name, f"{old.name} or {new.name}", close_term_names(name, [new, old]))


def close_term_names(name: str, versions: list[Version]) -> list[str]:
    """The terms of ``versions`` whose id, term or alias comes closest to ``name``."""
    return close_names_among(name, (t for v in versions for t in v.terms))


def close_names_among(name: str, terms: Iterable[Term]) -> list[str]:
    """The names of ``terms`` (id, term or alias) closest to ``name``, as their terms."""
    if len(name) > MAX_TERM_NAME_CHARS:  # no term has so long a name, nor one close to it
        return []
    display_name = {alias: t.term for t in terms for alias in t.names()}
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
    """The kind ``name`` means among ``kinds`` (those of ``where``), or NotFound with the closest."""
    kind = matching_kind(name, kinds)
    if kind is None:
        raise NotFound("kind", name, where, close_matches(name, kinds) or kinds)
    return kind


def close_matches(name: str, candidates, limit: int = 5) -> list[str]:
    """The candidates most like ``name``, best first, compared as lookup keys."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(lookup_key(candidate), candidate)
    keys = difflib.get_close_matches(lookup_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in keys]
