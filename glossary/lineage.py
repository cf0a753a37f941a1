"""The lineage index: per term, the versions where it changed.

A term's history over hundreds of versions would otherwise read and compare
every version. The lineage index keeps, for each term id, the runs of
consecutive versions in which it had one same content (its *spans*), each
distinct content once, and the renames between consecutive versions; a
history reads that and compares only the contents at the points of change.
It is derived from the store (``glossary.store`` keeps it in step with every
import, and rebuilds it when it is missing or stale), and answers exactly as
``glossary.diff.term_history`` over all versions does.

The file, ``lineage.json``::

    {"format": 3,
     "versions": [[name, identity], ...],      # lineage order and identities, as the store's index gives them
     "commits": {name: commit},                 # the source commit of each version that records one
     "records": {key: term dict},               # every distinct content, without source_fragment
     "spans": {id: [[start, end, key], ...]},   # present in versions[start:end] as records[key]
     "renames": [[position, old id, new id], ...],  # between versions[position - 1] and versions[position]
     "names": {lookup key: position}}           # the first version with a term of that id, term or alias
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right

import orjson

from typing import NamedTuple

from .diff import HistoryEvent, Span, TermHistory, change_status, compare_terms, find_renames, one_to_one
from .errors import NotFound
from .ietf import revision_diff_links
from .lookup import close_names_among
from .model import Term, Version, lookup_key, missing_revisions, split_revision

FORMAT = 3
FILE_NAME = "lineage.json"  # in the store's derived indexes, and in each search index generation


def identity(entry: dict) -> str:
    """What tells a stored version from another of its name: the hash of what the store holds of it.

    Not its source's hash: the same source read by other rules (a newer
    glossary, ``import --replace``, or a store replicated from one) holds
    other terms. A store written before the hash was kept gives the source's.
    """
    return entry.get("content_sha256") or entry["sha256"]


def record_of(term: Term) -> dict:
    record = term.to_dict()
    record.pop("source_fragment", None)
    return record


def record_key(record: dict) -> str:
    return hashlib.blake2b(orjson.dumps(record), digest_size=12).hexdigest()


class _Named(NamedTuple):
    """What glossary.model.missing_revisions reads of a version: its draft and revision, from its name."""

    document: str
    revision: str | None


class Lineage:
    def __init__(self, data: dict | None = None):
        data = data or {"format": FORMAT, "versions": [], "commits": {}, "records": {}, "spans": {}, "renames": [],
                        "names": {}}
        self.versions: list[list[str]] = data["versions"]
        self.commits: dict[str, str] = data["commits"]
        self.records: dict[str, dict] = data["records"]
        self.spans: dict[str, list[list]] = data["spans"]
        self.renames: list[list] = data["renames"]
        self.names: dict[str, int] = data["names"]
        self._index()

    # building

    @classmethod
    def build(cls, versions: list[Version], identities: list[str] | None = None) -> "Lineage":
        """The index of ``versions``; ``identities``: theirs in the store's index (see identity)."""
        lineage = cls()
        previous = None
        for position, version in enumerate(versions):
            lineage.append(version, previous, identities[position] if identities else None)
            previous = version
        return lineage

    def append(self, version: Version, previous: Version | None, identity: str | None = None) -> None:
        """Add ``version`` after the last one; ``previous`` is that last version (None if there is none)."""
        position = len(self.versions)
        for term in version.terms:
            record = record_of(term)
            key = record_key(record)
            self.records.setdefault(key, record)
            spans = self.spans.setdefault(term.id, [])
            if spans and spans[-1][1] == position and spans[-1][2] == key:
                spans[-1][1] = position + 1  # as it was in the version before: its names are known
                continue
            spans.append([position, position + 1, key])
            for name in term.names():
                self.names.setdefault(lookup_key(name), position)
        if previous is not None:
            for old_id, new_id in find_renames(previous, version).items():
                self.renames.append([position, old_id, new_id])
        self.versions.append([version.name, identity or version.source.sha256])
        if version.source.commit:
            self.commits[version.name] = version.source.commit
        self._index()

    def to_bytes(self) -> bytes:
        return orjson.dumps({"format": FORMAT, "versions": self.versions, "commits": self.commits,
                             "records": self.records, "spans": self.spans, "renames": self.renames,
                             "names": self.names})

    @classmethod
    def from_bytes(cls, data: bytes) -> "Lineage":
        loaded = orjson.loads(data)
        if loaded.get("format") != FORMAT:
            raise ValueError(f"lineage format {loaded.get('format')!r}, expected {FORMAT}")
        return cls(loaded)

    def matches(self, entries: list[dict]) -> bool:
        """Whether this index is of exactly the versions of ``entries`` (the store's index)."""
        return self.versions == [[entry["name"], identity(entry)] for entry in entries]

    def _index(self) -> None:
        self._renamed_at = {(position, old): new for position, old, new in self.renames}
        self._origin_at = {(position, new): old for position, old, new in self.renames}
        self._terms: dict[str, Term] = {}
        self._starts: dict[str, list[int]] | None = None
        self._key_spans: dict[str, list[tuple[int, int]]] | None = None
        self._named_spans: dict[str, list[tuple[int, int, str]]] | None = None

    # reading

    def term(self, key: str) -> Term:
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = Term.from_dict(self.records[key])
        return found

    def keys_at(self, position: int) -> list[str]:
        """The contents of the terms of versions[position]."""
        return [span[2] for term_id in self.spans if (span := self._covering(term_id, position)) is not None]

    def spans_of(self, key: str) -> list[tuple[int, int]]:
        """The runs of versions (start, end) that have this content, in order."""
        if self._key_spans is None:
            key_spans: dict[str, list[tuple[int, int]]] = {}
            for spans in self.spans.values():
                for start, end, span_key in spans:
                    key_spans.setdefault(span_key, []).append((start, end))
            self._key_spans = key_spans
        return self._key_spans.get(key, [])

    def positions_of(self, key: str) -> list[int]:
        """The positions of the versions that have this content."""
        return [position for start, end in self.spans_of(key) for position in range(start, end)]

    def first_position(self, name: str) -> int | None:
        """The first version in which a term has ``name`` as its id, term or alias (as Version.find)."""
        found = [position for position in (self.spans[name][0][0] if name in self.spans else None,
                                           self.names.get(lookup_key(name))) if position is not None]
        return min(found) if found else None

    def history(self, name: str, load_version) -> TermHistory:
        """``term_history(all versions, name)``, reading only the points of change.

        ``load_version(name)`` gives a stored Version: the one version where
        ``name`` is first known is read, to resolve it exactly as Version.find does.
        """
        names = [name_ for name_, _ in self.versions]
        first = self.first_position(name)
        if first is None:
            raise NotFound("term", name, None, close_names_among(name, map(self.term, self.records)))
        followed = self._earliest_identity(load_version(names[first]).find(name).id)
        events: list[HistoryEvent] = []
        present: list[int] = []
        own_spans: list[tuple[int, int, str, str]] = []  # (start, end, key, id): the runs of the followed term
        last_seen: Term | None = None
        previous_end = None
        renamed_from = None
        position = self.spans[followed][0][0]

        def measured(old: int, new: int) -> dict:
            return {"compared_with": names[old],
                    "document_diff": revision_diff_links(names[old], self.commits.get(names[old]),
                                                         names[new], self.commits.get(names[new])),
                    "missing_revisions": missing_revisions(self._revisions(old, new))}

        while True:
            span = self._span_from(followed, position)
            if span is None:
                break
            start, end, key = span
            term = self.term(key)
            changes = compare_terms(last_seen, term) if last_seen is not None else None
            if last_seen is None:
                event = "added"
            elif previous_end != start:
                event = "re-added"
            elif renamed_from is not None:
                event = "renamed"
            else:
                event = change_status(changes) if changes else None
            if event is not None:
                more = measured(previous_end - 1, start) if last_seen is not None else {}
                events.append(HistoryEvent(names[start], event, term.id, term.term, renamed_from, changes or None,
                                           **more))
            present.extend(range(start, end))
            own_spans.append((start, end, key, term.id))
            last_seen, previous_end, renamed_from = term, end, None
            if end == len(names):
                break
            following = self._span_from(followed, end)
            new_id = self._renamed_at.get((end, followed))
            if following is not None and following[0] == end:
                pass  # the same term, with another content from here on
            elif new_id is not None:
                renamed_from, followed = followed, new_id
            else:
                events.append(HistoryEvent(names[end], "removed", last_seen.id, last_seen.term,
                                           **measured(end - 1, end)))
            position = end
        also_named = self._also_named(own_spans)
        twice = {names[i]: also_named[i] for i in present if i in also_named}
        return TermHistory(name, last_seen.id, last_seen.term, [names[i] for i in present], events, twice)

    def span(self, first: int, last: int) -> Span:
        """diff.span_of(versions[first..last]), read from the index: no version is read."""
        return Span(self.renames_between(first, last) if last - first > 1 else {}, self._revisions(first, last))

    def renames_between(self, first: int, last: int) -> dict[str, str]:
        """diff.renames_along(versions[first..last]): each term of the first that the last lacks,
        followed by its id while it is there and through the rename where it is not."""
        renames = {}
        for term_id in self.spans:
            if self._covering(term_id, first) is None or self._covering(term_id, last) is not None:
                continue
            followed: str | None = term_id
            position = first
            while followed is not None:
                end = self._covering(followed, position)[1]  # the end of its run of one content
                if end > last:
                    break
                if self._covering(followed, end) is None:
                    followed = self._renamed_at.get((end, followed))
                position = end
            if followed is not None and followed != term_id and self._covering(followed, first) is None:
                renames[term_id] = followed
        return one_to_one(renames)

    def _revisions(self, first: int, last: int) -> list[_Named]:
        """versions[first..last] as missing_revisions reads them."""
        return [_Named(*split_revision(name)) for name, _ in self.versions[first:last + 1]]

    def _starts_of(self, term_id: str) -> list[int]:
        """Where each span of ``term_id`` starts, in order (for bisecting); listed once per index."""
        if self._starts is None:
            self._starts = {term_id: [span[0] for span in spans] for term_id, spans in self.spans.items()}
        return self._starts.get(term_id, [])

    def _covering(self, term_id: str, position: int) -> list | None:
        """The span of ``term_id`` that holds versions[position], if it is there."""
        index = bisect_right(self._starts_of(term_id), position) - 1
        spans = self.spans.get(term_id, [])
        return spans[index] if index >= 0 and position < spans[index][1] else None

    def _also_named(self, own_spans: list[tuple[int, int, str, str]]) -> dict[int, list[str]]:
        """``{position: ids}`` of the other terms named as the term of ``own_spans`` is there."""
        if self._named_spans is None:
            named: dict[str, list[tuple[int, int, str]]] = {}
            for term_id, spans in self.spans.items():  # ids in the order keys_at lists them
                for start, end, key in spans:
                    named.setdefault(lookup_key(self.records[key]["term"]), []).append((start, end, term_id))
            self._named_spans = named
        found: dict[int, list[str]] = {}
        for start, end, key, own_id in own_spans:
            name = lookup_key(self.records[key]["term"])
            for other_start, other_end, other_id in self._named_spans.get(name, []):
                if other_id != own_id:
                    for position in range(max(start, other_start), min(end, other_end)):
                        found.setdefault(position, []).append(other_id)
        return found

    def _span_from(self, term_id: str, position: int) -> list | None:
        """The first span of ``term_id`` that starts at or after ``position``."""
        spans = self.spans.get(term_id, [])
        index = bisect_right(self._starts_of(term_id), position - 1)
        return spans[index] if index < len(spans) else None

    def _earliest_identity(self, term_id: str) -> str:
        """Follow renames backwards to the id the term had when it first appeared."""
        while True:
            first = self.spans[term_id][0][0]
            origin = self._origin_at.get((first, term_id))
            if origin is None:
                return term_id
            term_id = origin
