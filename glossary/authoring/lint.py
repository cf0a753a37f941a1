"""The usage lint: which glossary terms another draft uses, and what became of them.

``lint(data, catalog)`` reads the draft (see glossary.authoring.drafts), finds what it
cites and which stored version that means, finds every use of a term, and
compares each term used between the cited version and ``against`` (the
newest version by default) with glossary.diff.

The version a citation means:
- RFC 7228: ``rfc7228`` if stored, else the oldest stored version (the report says so);
- a draft revision: that version; a revision not stored: the newest stored
  revision of that draft before it, else its oldest (the report says so);
- the draft without a revision (``I-D.ietf-iotops-7228bis``): its newest stored version.
When a draft cites several, a named revision wins over the draft's bare name
(an RFCXML reference has both), which wins over RFC 7228, and the newest
version wins among equals; when it cites none, RFC 7228 is assumed.

Matching names: every term and alias of every stored version, as whole words
(not inside a word, an identifier such as "S1-AP", a number such as "E0.5" or a
path). Names of one word ("C2", "E9", "Is0", "LLN") match case-sensitively, so
that ordinary words are not flagged; names of several words or with a hyphen
("Class 1", "Constrained-Node Network", "normally-off") match in any case,
across line breaks and with a plural "s". The longest name wins ("Low-Power and
Lossy Network" over "Low-power"). A name is taken to mean the term it names in
the cited version, else in ``against``, else in the newest version naming it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalog import Catalog
from ..diff import TermDiff
from ..importing import SourceError
from ..limits import MAX_LINT_USES
from ..model import Term, Version
from .drafts import Citation, Draft, read_draft

# Statuses of a used term; "removed" makes the lint fail. "editorial": changed only in case, dashes,
# quotes or white space (glossary.diff), which is no change a citing draft needs to follow.
STATUSES = ("unchanged", "editorial", "changed", "renamed", "removed", "added", "absent")
RFC_7228 = "rfc7228"


@dataclass
class TermUse:
    """One term the draft uses; ``id``/``term`` as the cited version names it (else as found)."""

    id: str
    term: str
    kind: str
    status: str
    lines: list[int]
    forms: list[str]  # the spellings used
    cited_section: str | None = None  # "Section 3 of RFC 7228": where the cited version defines it
    current_section: str | None = None  # where ``against`` defines it
    renamed_to: dict | None = None  # {"id", "term"}
    changes: TermDiff | None = None
    defined_in: list[str] = field(default_factory=list)  # for "absent": the versions that define it

    def to_dict(self) -> dict:
        result = {
            "id": self.id, "term": self.term, "kind": self.kind, "status": self.status,
            "lines": self.lines, "forms": self.forms,
            "cited_section": self.cited_section, "current_section": self.current_section,
        }
        if self.renamed_to:
            result["renamed_to"] = self.renamed_to
        if self.changes and self.changes.changes:
            result["changes"] = self.changes.changes.to_dict()
        if self.defined_in:
            result["defined_in"] = self.defined_in
        return result


@dataclass
class LintReport:
    source: str
    format: str
    citations: list[Citation]
    cited_version: str
    note: str | None  # how the citation was mapped to a version, when not exactly
    against: str
    uses: list[TermUse]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(use.status for use in self.uses)
        return {status: counts[status] for status in STATUSES}

    @property
    def failed(self) -> bool:
        """A used term was removed between the cited version and ``against``."""
        return any(use.status == "removed" for use in self.uses)

    def to_dict(self) -> dict:
        return {
            "source": self.source, "format": self.format,
            "citations": [citation.to_dict() for citation in self.citations],
            "cited_version": self.cited_version, "note": self.note, "against": self.against,
            "summary": self.summary, "failed": self.failed,
            "terms": [use.to_dict() for use in self.uses],
        }


def lint(data: bytes, catalog: Catalog, against: str | None = None, source: str = "draft") -> LintReport:
    draft = read_draft(data, source)
    citations = draft.citations()
    cited_name, note = version_cited(citations, catalog)
    cited, newer = catalog.version(cited_name), catalog.version(against)
    lineage = catalog.lineage()
    diff = {entry.renamed_from or entry.id: entry for entry in catalog.diff(cited.name, newer.name).terms
            if entry.status != "added"}
    search_order = [cited, newer, *lineage[::-1]]
    uses = [_term_use(found, diff, cited, newer, lineage) for found in find_uses(draft, search_order)]
    return LintReport(source, draft.format, citations, cited.name, note, newer.name, uses)


def version_cited(citations: list[Citation], catalog: Catalog) -> tuple[str, str | None]:
    """The version the draft's citations mean, and a note when the mapping is not exact."""
    names = [entry["name"] for entry in catalog.entries()]
    meant = [_version_meant(citation, catalog, names) for citation in citations]
    bis = [(m, c) for m, c in zip(meant, citations) if m[0] and c.document != RFC_7228]
    # A named revision says more than the draft's bare name (an RFCXML reference has both).
    drafts = [m for m, c in bis if c.revision is not None] or [m for m, _ in bis]
    if drafts:
        return max(drafts, key=lambda m: names.index(m[0]))
    if not citations:
        name, note = _version_meant(Citation("RFC 7228", 0, RFC_7228), catalog, names)
        return name, "the draft cites neither RFC 7228 nor its bis: RFC 7228 assumed; " + (note or name)
    return next((m for m in meant if m[0]), (names[0], "no stored version matches what the draft cites"))


def _version_meant(citation: Citation, catalog: Catalog, names: list[str]) -> tuple[str | None, str | None]:
    if citation.document == RFC_7228:
        if RFC_7228 in names:
            return RFC_7228, None
        return names[0], f"RFC 7228 is not in the store: its oldest version, {names[0]}, stands in for it"
    revisions = [(e["revision"], e["name"]) for e in catalog.entries() if e["document"] == citation.document]
    if not revisions:
        return None, None
    if citation.revision is None:
        return revisions[-1][1], None
    wanted = f"{citation.document}-{citation.revision}"
    if wanted in names:
        return wanted, None
    earlier = [name for revision, name in revisions if (revision or "") < citation.revision]
    chosen = earlier[-1] if earlier else revisions[0][1]
    return chosen, f"{wanted} is not in the store: {chosen} stands in for it"


@dataclass
class _Found:
    term: Term  # as the first version of the search order that names it defines it
    lines: list[int]
    forms: list[str]


def find_uses(draft: Draft, versions: list[Version]) -> list[_Found]:
    """The terms named in the draft's prose, by id, in order of first use; names resolve in ``versions`` in order."""
    found: dict[str, _Found] = {}
    resolved: dict[str, Term | None] = {}  # a draft may repeat a name a million times
    forms_seen: set[tuple[str, str]] = set()
    pattern = _names_pattern(tuple(sorted({n for v in versions for t in v.terms for n in [t.term, *t.aliases]})))
    for count, match in enumerate(pattern.finditer(draft.prose), 1):
        if count > MAX_LINT_USES:
            raise SourceError(draft.source,
                              f"names terms more than {MAX_LINT_USES:,} times: beyond the lint's work budget")
        form = " ".join(match.group(0).split())
        if form not in resolved:
            resolved[form] = _resolve(form, versions)
        term = resolved[form]
        if term is None:
            continue
        use = found.setdefault(term.id, _Found(term, [], []))
        line = draft.prose_line(match.start())
        if not use.lines or use.lines[-1] != line:  # matches come in document order
            use.lines.append(line)
        if (term.id, form) not in forms_seen:
            forms_seen.add((term.id, form))
            use.forms.append(form)
    return list(found.values())


def _resolve(form: str, versions: list[Version]) -> Term | None:
    candidates = [form, form[:-1]] if form.endswith("s") else [form]
    for version in versions:
        for candidate in candidates:
            term = version.find(candidate)
            if term is not None:
                return term
    return None


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Any of ``names`` as a word of its own, the longest first.

    The names are grouped by their first character, so that at each position
    of the draft the engine tries one group rather than every name: a draft
    may be 10 MiB of prose.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        first_characters, rest = _name_pattern(name)
        for first in first_characters:
            groups.setdefault(first, []).append(rest)
    alternatives = [re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()]
    return re.compile(r"(?<![\w./-])(?:" + "|".join(alternatives) + r")(?![\w/]|[-.]\w)")


def _name_pattern(name: str) -> tuple[set[str], str]:
    """The characters ``name`` may start with in a draft, and the pattern of the rest of it.

    Names of several words (or hyphenated) match in any case, other names only as written.
    """
    first_word, *more_words = name.split()
    rest = r"\s+".join([re.escape(first_word[1:]), *map(re.escape, more_words)])
    plural = "s?" if len(name) >= 3 and name[-1].isalpha() else ""
    if re.search(r"[\s-]", name):
        return {name[0].lower(), name[0].upper()}, f"(?i:{rest}{plural})"
    return {name[0]}, rest + plural


def _term_use(found: _Found, diff: dict[str, TermDiff], cited: Version, newer: Version,
              lineage: list[Version]) -> TermUse:
    """What became of a used term, by its id: diffed if the cited version has it, else added or absent."""
    in_cited, in_newer = cited.by_id(found.term.id), newer.by_id(found.term.id)
    term = in_cited or in_newer or found.term
    use = TermUse(term.id, term.term, term.kind, "absent", found.lines, found.forms)
    if in_cited is not None:
        entry = diff[term.id]
        use.status, use.changes, use.cited_section = entry.status, entry, cited.cite(in_cited)
        in_newer = newer.by_id(entry.id) if entry.status != "removed" else None
        if entry.status == "renamed":
            use.renamed_to = {"id": in_newer.id, "term": in_newer.term}
    elif in_newer is not None:
        use.status = "added"
    else:
        use.defined_in = [version.name for version in lineage if version.by_id(term.id) is not None]
    if in_newer is not None:
        use.current_section = newer.cite(in_newer)
    return use
