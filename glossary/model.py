"""The domain values every part of the glossary shares: a Term and a Version.

A Version is one revision of RFC 7228 or of its bis draft with every term it
defines. Importers produce Versions; the store writes and reads them; search,
diff, the CLI and the API only ever read them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

# Where in the document a term was defined.
DEFINED_IN = ("dl", "table", "section", "prose")

# What a note to entry is (see importers.terms for the rules that attach them).
NOTE_KINDS = ("explanation", "list", "example", "legend", "footnote", "caption")

# The version vocabulary. A version is named after its document and revision
# ("draft-ietf-iotops-7228bis-07", "rfc7228"). A draft's editor's copy, the
# authors' working copy, calls itself "draft-…-latest" (EDITORS_COPY_DOCNAME);
# the authors publish a new one per commit, so each is stored as a version of
# its own, its revision EDITORS_COPY, its date and, where known, its source
# commit ("draft-ietf-iotops-7228bis-editors-2026-06-30-40fe265").
# Readers may also name a version by its place in the lineage
# (VERSION_ALIASES: NEWEST is the newest version of any kind), the newest
# numbered revision (NEWEST_REVISION), or search ALL_VERSIONS: what those
# names mean moves whenever a version is imported.
EDITORS_COPY_DOCNAME = "latest"
EDITORS_COPY = "editors"
VERSION_ALIASES = {"latest": -1, "newest": -1, "oldest": 0}
NEWEST, OLDEST = "latest", "oldest"
NEWEST_REVISION = "newest-revision"
ALL_VERSIONS = "all"
MOVING_VERSION_NAMES = (*VERSION_ALIASES, NEWEST_REVISION, ALL_VERSIONS)

# Dates are ISO ("2014-05", "2026-04-23"); documents write the month by name.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")

_RFC_NAME = re.compile(r"rfc(\d+)")
_EDITORS_COPY_REVISION = re.compile(rf"{EDITORS_COPY}-\d{{4}}-\d\d(?:-\d\d)?(?:-[0-9a-f]{{7,40}})?")
_DRAFT_REVISION = re.compile(rf"(draft-.+?)-(\d\d|{EDITORS_COPY_DOCNAME}|{_EDITORS_COPY_REVISION.pattern})")
_DATE = re.compile(r"\d{4}-\d\d(?:-\d\d)?")
_COMMIT = re.compile(r"[0-9a-f]{7,40}")


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


def _section_tuple(section: Section) -> tuple:
    return (section.number, section.title, section.anchor)


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

    @cached_property
    def content_digest(self) -> bytes:
        """A digest of what a comparison of two appearances reads: all but the id and the source.

        Terms are not changed once read (see the module docstring), so it is computed once.
        """
        content = (self.term, self.kind, self.definition, _section_tuple(self.section), tuple(self.aliases),
                   tuple(self.attributes.items()),
                   tuple((note.text, note.kind, _section_tuple(note.section)) for note in self.notes))
        return hashlib.blake2b(repr(content).encode(), digest_size=16).digest()

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
    """Where a version's bytes came from; ``commit``: the authors' source commit, where a manifest records it."""

    uri: str
    format: str
    sha256: str
    commit: str | None = None

    def to_dict(self) -> dict:
        result = {"uri": self.uri, "format": self.format, "sha256": self.sha256}
        if self.commit is not None:
            result["commit"] = self.commit
        return result

    @classmethod
    def from_dict(cls, data: dict) -> "Source":
        return cls(data["uri"], data["format"], data["sha256"], data.get("commit"))


@dataclass(frozen=True)
class Author:
    """An author as the document's front matter names them ("Carsten Bormann", "C.", "Bormann")."""

    fullname: str
    initials: str
    surname: str
    organization: str | None = None

    def to_dict(self) -> dict:
        return {"fullname": self.fullname, "initials": self.initials, "surname": self.surname,
                "organization": self.organization}

    @classmethod
    def from_dict(cls, data: dict) -> "Author":
        return cls(data["fullname"], data["initials"], data["surname"], data.get("organization"))


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
    authors: list[Author] = field(default_factory=list)
    repository: str | None = None  # the source repository the document names, if any

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "document": self.document,
            "revision": self.revision,
            "date": self.date,
            "title": self.title,
            "authors": [author.to_dict() for author in self.authors],
            "repository": self.repository,
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
            authors=[Author.from_dict(a) for a in data.get("authors", [])],
            repository=data.get("repository"),
        )

    @property
    def label(self) -> str:
        """How documents cite this version: "RFC 7228", or the draft name."""
        number = rfc_number(self.name)
        return f"RFC {number}" if number else self.name

    @property
    def is_rfc(self) -> bool:
        return is_rfc(self.name)

    @property
    def is_editors_copy(self) -> bool:
        return is_editors_copy(self.revision)

    def cite(self, term: Term) -> str:
        """Where ``term`` is defined, as a reader cites it: "Section 3 of RFC 7228"."""
        return f"{term.section.citation()} of {self.label}"

    def find(self, name: str) -> Term | None:
        """The term with this id, else the one with this term or alias (case and punctuation insensitive)."""
        by_id, by_key = self._name_index()
        return by_id.get(name) or by_key.get(lookup_key(name))

    def by_id(self, term_id: str) -> Term | None:
        return self._name_index()[0].get(term_id)

    def _name_index(self) -> tuple[dict[str, Term], dict[str, Term]]:
        """Terms by id and by the lookup key of each name, the first term winning; built once per terms list."""
        cached = self.__dict__.get("_names")
        if cached is not None and cached[0] is self.terms and cached[1] == len(self.terms):
            return cached[2]
        by_id: dict[str, Term] = {}
        by_key: dict[str, Term] = {}
        for term in self.terms:
            by_id.setdefault(term.id, term)
            for name in term.names():
                by_key.setdefault(lookup_key(name), term)
        self.__dict__["_names"] = (self.terms, len(self.terms), (by_id, by_key))
        return by_id, by_key


def rfc_number(name: str) -> str | None:
    """"rfc7228" -> "7228"; None for any other version name."""
    match = _RFC_NAME.fullmatch(name)
    return match.group(1) if match else None


def is_rfc(name: str) -> bool:
    return rfc_number(name) is not None


def is_editors_copy(revision: str | None) -> bool:
    """Whether a stored version of this revision is an editor's copy ("editors-2026-06-30")."""
    return revision is not None and _EDITORS_COPY_REVISION.fullmatch(revision) is not None


def editors_copy_revision(date: str | None, commit: str | None = None) -> str:
    """The revision an editor's copy is stored under: "editors-DATE", with "-COMMIT" where one is known.

    ValueError when ``date`` is not an ISO date: an editor's copy is told from
    the next one by its date.
    """
    if not date or not _DATE.fullmatch(date):
        raise ValueError(f"an editor's copy needs an ISO date to be named by, not {date!r}")
    commit = (commit or "").lower()
    return f"{EDITORS_COPY}-{date}" + (f"-{commit}" if _COMMIT.fullmatch(commit) else "")


def named_as_editors_copy(version: Version) -> Version:
    """``version`` of a document called "draft-…-latest" (or already named as an editor's copy), renamed for
    its date and source commit; any other version as it is."""
    if version.revision != EDITORS_COPY_DOCNAME and not version.is_editors_copy:
        return version
    revision = editors_copy_revision(version.date, version.source.commit)
    version.revision, version.name = revision, f"{version.document}-{revision}"
    return version


def newest_revision(names: list[str]) -> str | None:
    """The newest version among ``names`` (in lineage order) that a reader can retrieve: an RFC or a
    numbered revision of a draft, not an editor's copy."""
    numbered = [name for name in names if is_rfc(name) or _is_numbered(split_revision(name)[1])]
    return numbered[-1] if numbered else None


def _is_numbered(revision: str | None) -> bool:
    return revision is not None and not is_editors_copy(revision)


def split_revision(name: str) -> tuple[str, str | None]:
    """"draft-ietf-iotops-7228bis-07" -> ("draft-ietf-iotops-7228bis", "07"); other names have no revision."""
    match = _DRAFT_REVISION.fullmatch(name)
    if match:
        return match.group(1), match.group(2)
    return name, None


def short_name(name: str) -> str:
    """A draft's name without "draft-" and the RFC it revises: "draft-ietf-iotops-7228bis-07" -> "ietf-iotops-07".

    What is left is a revision shorthand that names the version (glossary.lookup
    resolves it); other names stay as they are.
    """
    document, revision = split_revision(name)
    if revision is None or not document.startswith("draft-"):
        return name
    words = [word for word in document.split("-")[1:] if not any(c.isdigit() for c in word)]
    return "-".join([*words, revision]) if words else name


def missing_revisions(span) -> list[str]:
    """The revisions of the lineage between the first and the last of ``span`` that it does not hold.

    ``span``: consecutive stored versions (anything with ``document`` and
    ``revision``), oldest first. Between two revisions of one draft, every
    number in between is missing; where a draft takes over from another, the
    numbers of the new draft before the first one stored. An editor's copy
    follows the numbered revision before it and misses nothing; the revision
    after it is compared with that numbered one (when ``span`` holds it).
    """
    missing = []
    numbered = None  # the last numbered revision (or RFC) seen
    for position, after in enumerate(span):
        if is_editors_copy(after.revision):
            continue
        before = span[position - 1] if position else None
        if (after.revision or "").isdigit() and before is not None:
            if is_editors_copy(before.revision):
                before = numbered
            if before is not None:
                number = int(after.revision)
                same_draft = before.document == after.document and (before.revision or "").isdigit()
                first = int(before.revision) + 1 if same_draft else 0
                missing += [f"{after.document}-{n:02d}" for n in range(first, number)]
        numbered = after
    return missing


def short_revision(name: str, document: str | None) -> str:
    """"-04" for a revision of ``document``, else the whole name."""
    draft, revision = split_revision(name)
    return f"-{revision}" if revision and draft == document else name


def is_moving_version_name(name: str | None) -> bool:
    """Whether ``name`` (as a reader gave it, None for the default) may mean another version after an import."""
    name = (name or "").strip().lower()
    return name == "" or name in MOVING_VERSION_NAMES


def lookup_key(name: str) -> str:
    """The form under which names compare: "Class 1", "class-1" and "CLASS_1" agree."""
    return _NOT_A_WORD_CHARACTER.sub("", unicodedata.normalize("NFKC", name).casefold())


_NOT_A_WORD_CHARACTER = re.compile(r"[\W_]+")


def slugify(name: str) -> str:
    """A term id: lower case ASCII words joined by hyphens ("Class 1" -> "class-1")."""
    text = unicodedata.normalize("NFKD", name)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "term"
