"""The domain values every part of the glossary shares: a Term and a Version.

A Version is one revision of RFC 7228 or of its bis draft with every term it
defines. Importers produce Versions; the store writes and reads them; search,
diff, the CLI and the API only ever read them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Where in the document a term was defined.
DEFINED_IN = ("dl", "table", "section", "prose")

# What a note to entry is (see importers.terms for the rules that attach them).
NOTE_KINDS = ("explanation", "list", "example", "legend", "footnote", "caption")


@dataclass(frozen=True)
class Section:
    number: str | None
    title: str
    anchor: str | None = None

    def to_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "anchor": self.anchor}

    @classmethod
    def from_dict(cls, data: dict) -> "Section":
        return cls(data.get("number"), data["title"], data.get("anchor"))

    def citation(self) -> str:
        """How a reader names the section: "Section 3.1" or the title if unnumbered."""
        if not self.number:
            return f'"{self.title}"'
        prefix = "Appendix" if self.number[:1].isalpha() else "Section"
        return f"{prefix} {self.number}"


@dataclass(frozen=True)
class Note:
    """Explanatory text the document gives about a term, as "Note N to entry" does.

    ``text`` is canonical like a definition; ``section`` is where the text
    stands, which need not be where the term is defined.
    """

    text: str
    kind: str
    section: Section

    def to_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "section": self.section.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> "Note":
        return cls(data["text"], data["kind"], Section.from_dict(data["section"]))


@dataclass
class Term:
    id: str
    term: str
    kind: str
    definition: str
    section: Section
    defined_in: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    source_fragment: str | None = None
    notes: list[Note] = field(default_factory=list)
    # Ids of the terms this one names an alternative of ("constrained device" -> constrained-node).
    related: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Every name a reader may use to look this term up."""
        return [self.id, self.term, *self.aliases]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "term": self.term,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "definition": self.definition,
            "attributes": dict(self.attributes),
            "section": self.section.to_dict(),
            "defined_in": self.defined_in,
            "source_fragment": self.source_fragment,
            "notes": [note.to_dict() for note in self.notes],
            "related": list(self.related),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Term":
        return cls(
            id=data["id"],
            term=data["term"],
            aliases=list(data.get("aliases", [])),
            kind=data["kind"],
            definition=data["definition"],
            attributes=dict(data.get("attributes", {})),
            section=Section.from_dict(data["section"]),
            defined_in=data["defined_in"],
            source_fragment=data.get("source_fragment"),
            notes=[Note.from_dict(note) for note in data.get("notes", [])],
            related=list(data.get("related", [])),
        )


@dataclass
class Source:
    """Where a version's bytes came from."""

    uri: str
    format: str
    sha256: str

    def to_dict(self) -> dict:
        return {"uri": self.uri, "format": self.format, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, data: dict) -> "Source":
        return cls(data["uri"], data["format"], data["sha256"])


@dataclass
class Version:
    """One document revision and the terms it defines.

    ``name`` is the version id: the draft name with its revision
    (``draft-ietf-iotops-7228bis-07``) or ``rfc7228``.
    """

    name: str
    document: str
    revision: str | None
    date: str | None
    title: str
    source: Source
    terms: list[Term]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "document": self.document,
            "revision": self.revision,
            "date": self.date,
            "title": self.title,
            "source": self.source.to_dict(),
            "terms": [t.to_dict() for t in self.terms],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Version":
        return cls(
            name=data["name"],
            document=data["document"],
            revision=data.get("revision"),
            date=data.get("date"),
            title=data["title"],
            source=Source.from_dict(data["source"]),
            terms=[Term.from_dict(t) for t in data["terms"]],
            warnings=list(data.get("warnings", [])),
        )

    @property
    def label(self) -> str:
        """How documents cite this version: "RFC 7228", or the draft name."""
        match = re.fullmatch(r"rfc(\d+)", self.name)
        return f"RFC {match.group(1)}" if match else self.name

    def cite(self, term: Term) -> str:
        """Where ``term`` is defined, as a reader cites it: "Section 3 of RFC 7228"."""
        return f"{term.section.citation()} of {self.label}"

    def find(self, name: str) -> Term | None:
        """The term with this id, term or alias (case and punctuation insensitive)."""
        key = lookup_key(name)
        for term in self.terms:
            if term.id == name:
                return term
        for term in self.terms:
            if any(lookup_key(n) == key for n in term.names()):
                return term
        return None


def lookup_key(name: str) -> str:
    """The form under which names compare: "Class 1", "class-1" and "CLASS_1" agree."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "", text)


def slugify(name: str) -> str:
    """A term id: lower case ASCII words joined by hyphens ("Class 1" -> "class-1")."""
    text = unicodedata.normalize("NFKD", name)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "term"
