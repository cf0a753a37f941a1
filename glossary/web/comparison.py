"""What the diff page and a term's timeline show: VersionDiff and TermHistory with both sides at hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..diff import SUBSTANTIVE, HistoryEvent, NoteReading, TermChange, TermDiff, TermHistory, VersionDiff, read_once
from ..model import Term, Version, split_revision

# Statuses whose terms the diff page shows in full, old and new side by side.
DETAILED = ("changed", "renamed")


@dataclass
class ComparedTerm:
    """One entry of a diff, with the term as the old and as the new version define it."""

    entry: TermDiff
    old: Term | None
    new: Term | None

    @property
    def status(self) -> str:
        return self.entry.status

    @property
    def changes(self) -> TermChange | None:
        return self.entry.changes

    @property
    def shown(self) -> Term:
        """The side a reader wants to see: the new one, the old one for a removed term."""
        return self.new or self.old

    @property
    def old_name(self) -> str | None:
        """The old term text of a renamed term ("S2" of "S2 → S3")."""
        if self.status == "renamed" and self.old is not None:
            return self.old.term
        return None


@dataclass
class Comparison:
    old: Version
    new: Version
    summary: dict[str, int]  # per status, of the terms of the chosen kind
    terms: list[ComparedTerm]  # the terms of the chosen kind, status and term
    document_diff: dict[str, str] = field(default_factory=dict)
    missing_revisions: list[str] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[ComparedTerm]:
        return [term for term in self.terms if term.status in statuses]

    @property
    def changed_count(self) -> int:
        """The terms changed in substance (added, removed, changed, renamed); editorial ones are apart."""
        return sum(count for status, count in self.summary.items() if status in SUBSTANTIVE)

    def sharing(self, item: ComparedTerm) -> list[ComparedTerm]:
        """The other terms shown that share ``item``'s definition and change (LoWPAN and 6LoWPAN)."""
        return [term for term in self.terms if term.entry.id in item.entry.same_change_as]

    def note_reading(self, items: list[ComparedTerm]) -> NoteReading:
        """Where the note changes of ``items`` (in the order shown) are shown, each once (glossary.diff.read_once)."""
        return read_once([item.entry for item in items])

    def term_named(self, term_id: str) -> str | None:
        """The term text of an entry of this comparison, by id (None for a term it leaves out)."""
        return self._names.get(term_id)

    @cached_property
    def _names(self) -> dict[str, str]:
        return {item.entry.id: item.entry.term for item in self.terms}

    def shown_once(self, items: list[ComparedTerm]) -> list[ComparedTerm]:
        """``items`` without the terms already shown with an earlier one that shares their change."""
        shown, kept = set(), []
        for item in items:
            if item.entry.id in shown:
                continue
            shown.update([item.entry.id, *item.entry.same_change_as])
            kept.append(item)
        return kept


def compare(diff: VersionDiff, old: Version, new: Version, kind: str | None = None,
            status: str | None = None, term_id: str | None = None) -> Comparison:
    """The diff of two versions restricted to a kind, a status and one term (by its new or old id)."""
    of_kind = diff.filter(kind=kind)
    selected = of_kind.filter(status=status).terms
    if term_id is not None:
        selected = [entry for entry in selected if term_id in (entry.id, entry.renamed_from)]
    old_terms = {term.id: term for term in old.terms}
    new_terms = {term.id: term for term in new.terms}
    compared = [
        ComparedTerm(
            entry,
            old_terms.get(entry.renamed_from or entry.id) if entry.status != "added" else None,
            new_terms.get(entry.id) if entry.status != "removed" else None,
        )
        for entry in selected
    ]
    return Comparison(old, new, of_kind.summary, compared, diff.document_diff, diff.missing_revisions)


def changed_aspects(change: TermChange | None) -> list[str]:
    """What a change touched, for a line of a timeline: "definition", "Group", "section title"…"""
    if not change:
        return []
    aspects = []
    if change.term is not None:
        aspects.append("name")
    if change.kind is not None:
        aspects.append("kind")
    if change.shown_definition is not None:  # a table row's definition only repeats its cells
        aspects.append("definition")
    aspects += list(change.attributes)
    aspects += [f"column {new}" for old, new in change.renamed_attributes.items() if new not in change.attributes]
    if change.notes:
        aspects.append("notes")
    if change.aliases_added or change.aliases_removed:
        aspects.append("aliases")
    if change.section is not None:
        old, new = change.section
        aspects.append("section number" if old.number != new.number else "section title")
    return aspects


@dataclass
class TimelineEntry:
    event: HistoryEvent
    date: str | None
    compared_with: str | None  # the version the change is measured against: the term's previous appearance

    @property
    def document(self) -> str:
        """The draft of the event's version, for naming the revisions missing before it ("-04")."""
        return split_revision(self.event.version)[0]

    @property
    def aspects(self) -> list[str]:
        return changed_aspects(self.event.changes)


def timeline(history: TermHistory, dates: dict[str, str | None], lineage: list[str]) -> list[TimelineEntry]:
    """Each event of a term's history with the version it compares against (none for its first appearance)."""
    present = set(history.present_in)
    entries = []
    for event in history.events:
        earlier = lineage[: lineage.index(event.version)] if event.version in lineage else []
        previous = next((name for name in reversed(earlier) if name in present), None)
        entries.append(TimelineEntry(event, dates.get(event.version), previous if event.event != "added" else None))
    return entries

