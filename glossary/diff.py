"""What changed between versions: term-level statuses and word-level definition diffs.

Pure functions over ``glossary.model.Version`` values: no I/O, no store, no Flask.
glossary.cli.output renders the results for a terminal.

Matching terms
--------------
Terms are matched by ``id`` (unique within a Version: the importers make it
so). A term whose id is in both versions is ``changed`` when its definition,
attributes, aliases, section (number or title), term text or kind differ, and
``unchanged`` otherwise (``source_fragment``, ``defined_in`` and the section
anchor are not compared). An id only in the new version is ``added``, an id
only in the old one ``removed``, unless the pair is a rename.

The rename rule
---------------
A removed term R and an added term A are *rename candidates* when all of:

1. they have the same ``kind``;
2. their ``attributes`` are identical (same columns, same values; prose terms
   have none on either side, so this only constrains table rows);
3. both definitions have at least one word, where the words of a definition
   are ``definition.split()``;
4. ``difflib.SequenceMatcher(None, words(R), words(A), autojunk=False).ratio()``
   is at least ``RENAME_THRESHOLD`` (0.9): e.g. one word replaced in a
   definition of ten words (ratio 0.9) still is a rename, in one of nine
   (ratio 0.889) it is not.

Candidates are paired one-to-one, greedily: best ratio first; on equal
ratios the added term earlier in the new version first, then the removed term
earlier in the old version. A term paired once is out of the running. Each
pair becomes one ``renamed`` entry under the new id with ``renamed_from`` the
old id, reporting its other changes like a ``changed`` term.

Word-level definition diffs
---------------------------
A definition is cut into tokens: words (with inner hyphens, dots and
slashes, "layer-2"), runs of whitespace, and single punctuation marks, so
no character is lost and "KiB" stays equal when ";" follows it. The operations are ``equal``,
``delete`` and ``insert``; a replacement is a delete followed by an insert,
adjacent operations of one type are merged, and whitespace left "equal"
between two changes is folded into the change (so ``a b c -> a x y c`` reads
``a [-b-]{+x y+} c``, not ``a {+x +}[-b-]{+y+} c``). Joining the texts of the
equal and delete operations gives the old definition exactly, and equal and
insert the new one.

Bounded work
------------
A store may hold what no import would make (glossary.limits): the work of a
diff stays bounded all the same. A definition longer than
``MAX_DEFINITION_CHARS`` is diffed whole (one delete, one insert) and is no
rename candidate; and when more than ``MAX_RENAME_PAIRS`` removed-added pairs
would have to be compared, no renames are looked for (every real pair of
versions has far fewer: at most 77 terms each).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .errors import NotFound
from .limits import MAX_DEFINITION_CHARS
from .memo import Memo
from .lookup import close_term_names
from .model import Section, Term, Version

RENAME_THRESHOLD = 0.9
MAX_RENAME_PAIRS = 100_000

# The order in which statuses are counted and listed.
STATUSES = ("added", "removed", "changed", "renamed", "unchanged")

WordOps = list[tuple[str, str]]

# Words (with inner hyphens, dots and slashes: "layer-2", "802.15.4"), runs of
# whitespace, and single punctuation marks, so that "KiB" stays equal when
# "KiB; Examples" follows it. Every character belongs to one token.
_TOKEN = re.compile(r"\s+|\w+(?:[-./'’]\w+)*|[^\w\s]")


# ---------------------------------------------------------------- word diff


# Word diffs already computed, by the content hashes of the two texts: most
# terms are the same between most pairs of versions, so a diff of any pair
# mostly finds its definition changes here. Keyed by content, they hold
# whatever the store does: kept under one generation for good.
WORD_DIFFS_KEPT = 50_000
_CONTENT_KEYED = "content-keyed"
_word_diffs = Memo(WORD_DIFFS_KEPT)


def _content_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def word_diff(old: str, new: str) -> WordOps:
    """``[("equal", …), ("delete", …), ("insert", …)]`` turning ``old`` into ``new`` word by word."""
    key = (_content_hash(old), _content_hash(new))
    return list(_word_diffs.computed(key, lambda: tuple(compute_word_diff(old, new)), _CONTENT_KEYED))


def compute_word_diff(old: str, new: str) -> WordOps:
    """word_diff without the memory of earlier answers."""
    if max(len(old), len(new)) > MAX_DEFINITION_CHARS:
        return [(op, text) for op, text in (("delete", old), ("insert", new)) if text]
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    # The tokens both texts begin and end with are equal as they are: only the
    # middle goes through SequenceMatcher, whose cost grows with the square of
    # its length (most changes are a few words of a long definition).
    shortest = min(len(old_tokens), len(new_tokens))
    head = 0
    while head < shortest and old_tokens[head] == new_tokens[head]:
        head += 1
    tail = 0
    while tail < shortest - head and old_tokens[-1 - tail] == new_tokens[-1 - tail]:
        tail += 1
    old_middle = old_tokens[head : len(old_tokens) - tail]
    new_middle = new_tokens[head : len(new_tokens) - tail]
    pieces: WordOps = [("equal", "".join(old_tokens[:head]))] if head else []
    matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_middle[i1:i2]), "".join(new_middle[j1:j2])
        if tag == "equal":
            pieces.append(("equal", old_text))
        else:
            pieces += [("delete", old_text), ("insert", new_text)]
    if tail:
        pieces.append(("equal", "".join(old_tokens[len(old_tokens) - tail :])))
    return _merge(_fold_whitespace_between_changes(pieces))


def _fold_whitespace_between_changes(pieces: WordOps) -> WordOps:
    """An equal run of bare whitespace between two changes becomes part of the change."""
    folded: WordOps = []
    for index, (op, text) in enumerate(pieces):
        # SequenceMatcher never yields two equal runs in a row, so an inner one sits between changes.
        inner = 0 < index < len(pieces) - 1
        if op == "equal" and text.isspace() and inner:
            folded += [("delete", text), ("insert", text)]
        else:
            folded.append((op, text))
    return folded


def _merge(pieces: WordOps) -> WordOps:
    """Every run of changes as one delete then one insert; empty texts dropped."""
    merged: WordOps = []
    deleted, inserted = "", ""
    for op, text in [*pieces, ("equal", "")]:
        if op == "delete":
            deleted += text
        elif op == "insert":
            inserted += text
        else:
            merged += [(o, t) for o, t in (("delete", deleted), ("insert", inserted)) if t]
            deleted, inserted = "", ""
            if text:  # never two equal runs in a row: see _fold_whitespace_between_changes
                merged.append(("equal", text))
    return merged


# ---------------------------------------------------------- one term's change


@dataclass
class TermChange:
    """How one term differs between two versions; an empty TermChange is falsy."""

    definition: WordOps | None = None
    attributes: dict[str, dict[str, str | None]] = field(default_factory=dict)
    aliases_added: list[str] = field(default_factory=list)
    aliases_removed: list[str] = field(default_factory=list)
    section: tuple[Section, Section] | None = None
    term: tuple[str, str] | None = None
    kind: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.to_dict())

    def to_dict(self) -> dict:
        """Only the aspects that changed."""
        result: dict = {}
        if self.definition is not None:
            result["definition"] = [[op, text] for op, text in self.definition]
        if self.attributes:
            result["attributes"] = {column: dict(values) for column, values in self.attributes.items()}
        if self.aliases_added or self.aliases_removed:
            result["aliases"] = {"added": list(self.aliases_added), "removed": list(self.aliases_removed)}
        if self.section is not None:
            result["section"] = {"from": self.section[0].to_dict(), "to": self.section[1].to_dict()}
        if self.term is not None:
            result["term"] = {"from": self.term[0], "to": self.term[1]}
        if self.kind is not None:
            result["kind"] = {"from": self.kind[0], "to": self.kind[1]}
        return result


def compare_terms(old: Term, new: Term) -> TermChange:
    """Everything that differs between two appearances of a term (ids are not compared)."""
    old_section = (old.section.number, old.section.title)
    new_section = (new.section.number, new.section.title)
    return TermChange(
        definition=word_diff(old.definition, new.definition) if old.definition != new.definition else None,
        attributes=attribute_changes(old.attributes, new.attributes),
        aliases_added=[alias for alias in new.aliases if alias not in old.aliases],
        aliases_removed=[alias for alias in old.aliases if alias not in new.aliases],
        section=(old.section, new.section) if old_section != new_section else None,
        term=(old.term, new.term) if old.term != new.term else None,
        kind=(old.kind, new.kind) if old.kind != new.kind else None,
    )


def attribute_changes(old: dict[str, str], new: dict[str, str]) -> dict[str, dict[str, str | None]]:
    """``{column: {"from": …, "to": …}}`` for each differing column; a missing column is None."""
    columns = [*new, *(column for column in old if column not in new)]
    return {
        column: {"from": old.get(column), "to": new.get(column)}
        for column in columns
        if old.get(column) != new.get(column)
    }


# ------------------------------------------------------------------ renames


def definition_similarity(old: Term, new: Term) -> float:
    """SequenceMatcher ratio over the words of the two definitions."""
    return SequenceMatcher(None, old.definition.split(), new.definition.split(), autojunk=False).ratio()


def is_rename_candidate(old: Term, new: Term) -> bool:
    """Rules 1 to 4 of the module docstring (within the bounds of "Bounded work")."""
    return (
        old.kind == new.kind
        and old.attributes == new.attributes
        and bool(old.definition.split())
        and bool(new.definition.split())
        and max(len(old.definition), len(new.definition)) <= MAX_DEFINITION_CHARS
        and _could_reach_threshold(old, new)
        and definition_similarity(old, new) >= RENAME_THRESHOLD
    )


def _could_reach_threshold(old: Term, new: Term) -> bool:
    """The ratio is at most 2·min/(sum) of the word counts: most pairs are ruled out without matching."""
    old_words, new_words = len(old.definition.split()), len(new.definition.split())
    return 2 * min(old_words, new_words) >= RENAME_THRESHOLD * (old_words + new_words)


def find_renames(old: Version, new: Version) -> dict[str, str]:
    """``{old id: new id}`` for the terms renamed between two versions (one-to-one, greedy)."""
    new_ids = {term.id for term in new.terms}
    old_ids = {term.id for term in old.terms}
    removed = [(position, term) for position, term in enumerate(old.terms) if term.id not in new_ids]
    added = [(position, term) for position, term in enumerate(new.terms) if term.id not in old_ids]
    if len(removed) * len(added) > MAX_RENAME_PAIRS:
        return {}
    candidates = sorted(
        (-definition_similarity(old_term, new_term), new_position, old_position, old_term.id, new_term.id)
        for old_position, old_term in removed
        for new_position, new_term in added
        if is_rename_candidate(old_term, new_term)
    )
    renames: dict[str, str] = {}
    for *_, old_id, new_id in candidates:
        if old_id not in renames and new_id not in renames.values():
            renames[old_id] = new_id
    return renames


# ------------------------------------------------------------ version diff


def _rename_and_changes(renamed_from: str | None, changes: TermChange | None) -> dict:
    """The optional members of a diff entry or history event: only what there is."""
    result: dict = {}
    if renamed_from is not None:
        result["renamed_from"] = renamed_from
    if changes:
        result["changes"] = changes.to_dict()
    return result


@dataclass
class TermDiff:
    """One term's entry in a VersionDiff; id, term and kind are the new side's (the old side's if removed)."""

    id: str
    term: str
    kind: str
    status: str
    renamed_from: str | None = None
    changes: TermChange | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "term": self.term, "kind": self.kind, "status": self.status,
                **_rename_and_changes(self.renamed_from, self.changes)}


@dataclass
class VersionDiff:
    from_version: str
    to_version: str
    terms: list[TermDiff]

    @property
    def summary(self) -> dict[str, int]:
        """How many terms have each status (every status present, zeros included)."""
        return {status: sum(entry.status == status for entry in self.terms) for status in STATUSES}

    def filter(self, kind: str | None = None, status: str | None = None) -> "VersionDiff":
        """The same diff restricted to one kind and/or one status (its summary counts only those)."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        kept = [
            entry
            for entry in self.terms
            if (kind is None or entry.kind == kind) and (status is None or entry.status == status)
        ]
        return VersionDiff(self.from_version, self.to_version, kept)

    def to_dict(self) -> dict:
        return {
            "from": self.from_version,
            "to": self.to_version,
            "summary": self.summary,
            "terms": [entry.to_dict() for entry in self.terms],
        }


def diff_versions(old: Version, new: Version) -> VersionDiff:
    """Every term of both versions with its status, in the new version's order, removed ones after."""
    old_by_id = {term.id: term for term in old.terms}
    new_ids = {term.id for term in new.terms}
    renamed_from = {new_id: old_id for old_id, new_id in find_renames(old, new).items()}
    entries = []
    for term in new.terms:
        if term.id in old_by_id:
            changes = compare_terms(old_by_id[term.id], term)
            status = "changed" if changes else "unchanged"
            entries.append(TermDiff(term.id, term.term, term.kind, status, changes=changes or None))
        elif term.id in renamed_from:
            origin = renamed_from[term.id]
            changes = compare_terms(old_by_id[origin], term)
            entries.append(TermDiff(term.id, term.term, term.kind, "renamed", origin, changes or None))
        else:
            entries.append(TermDiff(term.id, term.term, term.kind, "added"))
    for term in old.terms:
        if term.id not in new_ids and term.id not in renamed_from.values():
            entries.append(TermDiff(term.id, term.term, term.kind, "removed"))
    return VersionDiff(old.name, new.name, entries)


# ------------------------------------------------------------- term history


@dataclass
class HistoryEvent:
    """``event`` is "added" (first appearance), "changed", "renamed", "removed" or "re-added"."""

    version: str
    event: str
    id: str
    term: str
    renamed_from: str | None = None
    changes: TermChange | None = None

    def to_dict(self) -> dict:
        return {"version": self.version, "event": self.event, "id": self.id, "term": self.term,
                **_rename_and_changes(self.renamed_from, self.changes)}


@dataclass
class TermHistory:
    query: str
    id: str  # the id the term last had
    term: str  # the term text it last had
    present_in: list[str]  # names of the versions that define it
    events: list[HistoryEvent]

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "id": self.id,
            "term": self.term,
            "present_in": list(self.present_in),
            "events": [event.to_dict() for event in self.events],
        }


def term_history(versions: list[Version], term_name: str) -> TermHistory:
    """One term's life across ``versions`` (lineage order): appearances, changes, removals, renames.

    The name is resolved with Version.find in the first version that knows it;
    from there the term is followed by id, through renames (as find_renames
    detects them between two consecutive versions) backwards and forwards. A
    re-added term is compared with its last appearance.
    """
    followed = _earliest_identity(versions, _resolve(versions, term_name))
    events: list[HistoryEvent] = []
    present_in: list[str] = []
    last_seen: Term | None = None
    for index, version in enumerate(versions):
        previous_version = versions[index - 1] if index else None
        was_in_previous = bool(present_in) and present_in[-1] == previous_version.name
        term = version.by_id(followed)
        renamed_from = None
        if term is None and was_in_previous:
            new_id = find_renames(previous_version, version).get(followed)
            if new_id is not None:
                renamed_from, followed, term = followed, new_id, version.by_id(new_id)
        if term is None:
            if was_in_previous:
                events.append(HistoryEvent(version.name, "removed", last_seen.id, last_seen.term))
            continue
        changes = compare_terms(last_seen, term) if last_seen is not None else None
        if last_seen is None:
            event = "added"
        elif not was_in_previous:
            event = "re-added"
        elif renamed_from is not None:
            event = "renamed"
        elif changes:
            event = "changed"
        else:
            event = None
        if event is not None:
            events.append(HistoryEvent(version.name, event, term.id, term.term, renamed_from, changes or None))
        present_in.append(version.name)
        last_seen = term
    return TermHistory(term_name, last_seen.id, last_seen.term, present_in, events)


def _resolve(versions: list[Version], term_name: str) -> str:
    for version in versions:
        term = version.find(term_name)
        if term is not None:
            return term.id
    raise NotFound("term", term_name, None, close_term_names(term_name, versions))


def _earliest_identity(versions: list[Version], term_id: str) -> str:
    """Follow renames backwards to the id the term had when it first appeared."""
    while True:
        first = next(index for index, version in enumerate(versions) if version.by_id(term_id) is not None)
        if first == 0:
            return term_id
        origins = {new: old for old, new in find_renames(versions[first - 1], versions[first]).items()}
        if term_id not in origins:
            return term_id
        term_id = origins[term_id]  # present in an earlier version, so this loop ends
