"""Finding what a reader typed: terms by any of their names, and close matches when nothing fits."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .errors import BadParameter, NotFound, NotInVersion
from .limits import MAX_TERM_NAME_CHARS
from .model import Term, Version, lookup_key, split_revision

# "C15", "Class 16": letters and a number (what an abbreviated or numbered name is made of).
_LETTERS_AND_NUMBER = re.compile(r"([^\W\d_]+(?:\s+[^\W\d_]+)*)[\s-]*(\d+)")


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


def terms_of_kind(version: Version, kind: str | None, kinds: list[str]) -> list[Term]:
    """The version's terms, only those of ``kind`` (one of ``kinds``, any case and punctuation) if given."""
    if kind is None:
        return list(version.terms)
    wanted = resolve_kind(kind, kinds)
    return [t for t in version.terms if t.kind == wanted]


def matching_kind(name: str, kinds: list[str]) -> str | None:
    """The one of ``kinds`` that ``name`` means: itself, else the same in any case and punctuation."""
    same = [kind for kind in kinds if kind == name] or [kind for kind in kinds if lookup_key(kind) == lookup_key(name)]
    return same[0] if same else None


def resolve_kind(name: str, kinds: list[str]) -> str:
    """The kind ``name`` means among ``kinds``, or a BadParameter listing them (the closest first)."""
    kind = matching_kind(name, kinds)
    if kind is None:
        closest = close_matches(name, kinds)
        raise BadParameter("kind", name, [*closest, *(k for k in kinds if k not in closest)])
    return kind


def resolve_version(name: str, names: list[str]) -> str | None:
    """The one of ``names`` that ``name`` means, by exact name, any case and punctuation, or shorthand.

    A shorthand names the revision, optionally after words of the document's
    name: "07", "-07", "iotops-07", "bormann-lwig-04", "iotops-editors-2026-06-30-40fe265". None when
    nothing fits; NotFound naming the candidates when several do.
    """
    if name in names:
        return name
    same_key = [n for n in names if lookup_key(n) == lookup_key(name)]
    if len(same_key) == 1:
        return same_key[0]
    words = [word for word in name.strip().lower().split("-") if word]
    if not words:
        return None
    fitting = []
    for candidate in names:
        document, revision = split_revision(candidate)
        if revision is None:
            continue
        tail = revision.split("-")  # an editor's copy's revision has words of its own: "editors-2026-06-30"
        if words[-len(tail):] == tail and set(words[:-len(tail)]) <= set(document.lower().split("-")):
            fitting.append(candidate)
    if len(fitting) > 1:
        raise NotFound("version", name, None, fitting)
    return fitting[0] if fitting else None


def not_in_version(name: str, version: str, term: str, term_id: str, present_in: list[str],
                   lineage: list[str]) -> NotInVersion:
    """The error for a term that ``present_in`` define but ``version`` does not, saying where it is instead."""
    place = lineage.index(version)
    before = [v for v in present_in if lineage.index(v) < place]
    after = [v for v in present_in if lineage.index(v) > place]
    if not before:
        appears = f"first appears in {after[0]}"
    elif not after:
        appears = f"last appears in {before[-1]}"
    else:
        appears = f"appears before it in {before[-1]} and again in {after[0]}"
    return NotInVersion(name, version, term, term_id, present_in, appears)


def contradicted_alias(version: Version, term: Term, name: str) -> str | None:
    """What is wrong when ``name`` found ``term`` through an alias whose number the term's name contradicts.

    A document may give a numbered term a short form with another number
    ("Class 16, C15"): the short form's letters are the name's words or their
    initials, its number differs. The lookup still answers with the term the
    document gave the alias to, and says so.
    """
    alias = next((a for a in term.aliases if lookup_key(a) == lookup_key(name)), None)
    short, full = _numbered(alias or ""), _numbered(term.term)
    if not short or not full or short[1] == full[1]:
        return None
    words, number = full
    if lookup_key(short[0]) not in {lookup_key(words), lookup_key("".join(word[0] for word in words.split()))}:
        return None
    warning = (f"{version.name} gives {alias} as another name of {term.term}, "
               f"but the numbers disagree ({short[1]} and {number})")
    namesake = next((t for t in version.terms if (found := _numbered(t.term)) and found[1] == short[1]
                     and lookup_key(found[0]) == lookup_key(words)), None)
    if namesake is not None:
        warning += f"; {namesake.term} is defined too"
    return warning


def _numbered(name: str) -> tuple[str, int] | None:
    """("Class", 16) for "Class 16", ("c", 15) for "C15"; None for a name without a trailing number."""
    match = _LETTERS_AND_NUMBER.fullmatch(name.strip())
    return (match.group(1), int(match.group(2))) if match else None


def close_matches(name: str, candidates, limit: int = 5) -> list[str]:
    """The candidates most like ``name``, best first, compared as lookup keys."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(lookup_key(candidate), candidate)
    keys = difflib.get_close_matches(lookup_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in keys]
