"""Shapes the templates read: kinds as headings, definitions as blocks, tables as columns.

Plain values only (strings, lists, small dataclasses): the templates escape
every piece of document text themselves, so nothing here builds markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Section, Term

# Words of a kind that are acronyms, written as such in headings.
_ACRONYMS = {"mtu": "MTU"}


def kind_label(kind: str, plural: bool = False) -> str:
    """ "device-class" -> "Device class" (plural: "Device classes"), "mtu-class" -> "MTU class"."""
    words = [_ACRONYMS.get(word, word) for word in kind.split("-")]
    if plural:
        last = words[-1]
        if last.endswith(("s", "x", "sh", "ch")):
            words[-1] = last + "es"
        elif last.endswith("y") and last[-2:-1] not in "aeiou":
            words[-1] = last[:-1] + "ies"
        else:
            words[-1] = last + "s"
    text = " ".join(words)
    return text[:1].upper() + text[1:]


@dataclass
class KindGroup:
    """The terms of one kind in a version, with the table columns they share (none for prose)."""

    kind: str
    terms: list[Term]
    columns: list[str]
    sections: list[Section]

    @property
    def label(self) -> str:
        return kind_label(self.kind, plural=True)

    @property
    def anchor(self) -> str:
        return "kind-" + self.kind


def group_by_kind(terms: list[Term]) -> list[KindGroup]:
    """Terms grouped by kind, kinds in the order the document first uses them."""
    groups: dict[str, KindGroup] = {}
    for term in terms:
        group = groups.setdefault(term.kind, KindGroup(term.kind, [], [], []))
        group.terms.append(term)
        group.columns += [column for column in term.attributes if column not in group.columns]
        if term.section not in group.sections:
            group.sections.append(term.section)
    return list(groups.values())


def neighbours(names: list[str], name: str) -> tuple[str | None, str | None]:
    """The names before and after ``name`` in ``names``."""
    if name not in names:
        return None, None
    index = names.index(name)
    before = names[index - 1] if index > 0 else None
    after = names[index + 1] if index + 1 < len(names) else None
    return before, after
