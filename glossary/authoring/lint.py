"""The usage lint: which glossary terms another draft uses, and what became of them.

``lint(data, catalog)`` reads the draft (see glossary.authoring.drafts), finds what it
cites and which stored version that means, finds every use of a term, and
compares each term used between the cited version and ``against`` (the
newest version by default) with glossary.diff.

The version a citation means:
- RFC 7228: ``rfc7228`` if stored, else the oldest stored version (the report says so);
- a draft revision, however pinned (see glossary.authoring.drafts): that version; a
  revision not stored: the report names it and the closest stored revisions,
  and the one before it (else the one after) stands in for it;
- the draft without a revision (``I-D.ietf-iotops-7228bis``): its newest stored version.
When a draft cites several, a named revision wins over the draft's bare name
(an RFCXML reference has both), which wins over RFC 7228, and the newest
version wins among equals; when it cites none, RFC 7228 is assumed.

Matching names: every term and alias of every stored version, and the expansions
an acronym's definition gives, as whole words (not inside a word, an identifier such
as "S1-AP", a number such as "E0.5" or a path), in the draft's prose only (see
glossary.authoring.drafts: no code, artwork, comments or reference titles; the documents' own
titles are blanked too). Names of one word ("C2", "E9", "Is0", "LLN") match
case-sensitively; names of several words match in any case, with a hyphen or white
space between their words, across line breaks, around a parenthetical ("a
constrained (6LoWPAN) network"), after a hyphenated modifier ("resource-constrained
nodes"), with one modifier between an adjective and its noun ("constrained IoT
devices") and with a plural "s". The longest name wins. Coordinations name each
term ("constrained nodes and networks"), class lists each class ("Class 1/2",
"class 1 and 2", "classes 1 to 3", "Class-2"), and an expansion followed by its
acronym in parentheses is one use, of the acronym.

Some matches are only "possible uses", reported apart: a short class name ("S1",
"T1", "F1") outside a class-like phrase ("a Class 1 device", "S1 link", "an S1-S3
network", "classified as E9") and outside a paragraph citing RFC 7228 or the bis; a
short name the document defines in running prose ("SoC", "KiB") outside such a paragraph;
and a name written as an adjective ("Low-power") in another case than the document
writes it, unless it names the strategy. ``ignore`` and a line saying "glossary:
ignore" silence uses.

A name is taken to mean the term it names in the cited version, else in
``against``, else in the newest version naming it. A draft citing both RFC 7228 and
the bis is compared per citation: a use whose nearest citation in its paragraph (or
the paragraph before) is RFC 7228 is compared from RFC 7228's version.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalog import Catalog
from ..diff import RENAME_THRESHOLD, TermDiff, definition_similarity
from ..importing import SourceError, expansions
from ..limits import MAX_LINT_USES
from ..model import Term, Version, lookup_key
from .drafts import BIS, Citation, Draft, read_draft

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
    cited_version: str | None = None  # when not the report's: the version the citation nearest to these uses means
    successor: dict | None = None  # for "removed": {"id", "term", "how"} when the history shows one
    section_citations: list[dict] = field(default_factory=list)  # cited sections that do not hold the term

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
        if self.cited_version:
            result["cited_version"] = self.cited_version
        if self.successor:
            result["successor"] = self.successor
        if self.section_citations:
            result["section_citations"] = self.section_citations
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
    meaning: Meaning | None = None
    possible_uses: list[dict] = field(default_factory=list)

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
            "cited_version": self.cited_version, "note": self.note,
            "pinned_by": self.meaning.pinned_by.to_dict() if self.meaning and self.meaning.pinned_by else None,
            "missing_revision": ({"name": self.meaning.missing, "closest": self.meaning.closest}
                                 if self.meaning and self.meaning.missing else None),
            "against": self.against,
            "summary": self.summary, "failed": self.failed,
            "terms": [use.to_dict() for use in self.uses],
            "possible_uses": self.possible_uses,
        }


def lint(data: bytes, catalog: Catalog, against: str | None = None, source: str = "draft",
         ignore: tuple[str, ...] = ()) -> LintReport:
    """``ignore``: names of terms not to report (any name of the term)."""
    draft = read_draft(data, source)
    citations = draft.citations()
    meaning = version_cited(citations, catalog)
    cited, newer = catalog.version(meaning.name), catalog.version(against)
    lineage = catalog.lineage()
    rfc_meaning = _rfc_meaning(citations, catalog, meaning)
    search_order = [cited, newer, *lineage[::-1]]
    found, possible = find_uses(draft, search_order, citations, ignore)
    citation_lines = [citation.line for citation in citations]
    uses = []
    for use in found:
        # A draft citing RFC 7228 and the bis: a use next to RFC 7228's citation means RFC 7228's term.
        by_rfc = {line for line in use.lines
                  if rfc_meaning and _nearest_citation(draft, citations, citation_lines, line) == RFC_7228}
        groups = [(rfc_meaning, sorted(by_rfc)), (meaning, [line for line in use.lines if line not in by_rfc])]
        for group_meaning, lines in groups:
            if not lines:
                continue
            group_cited = catalog.version(group_meaning.name)
            in_group = set(lines)
            forms = list(dict.fromkeys(f for f, line in use.form_lines if line in in_group))
            part = _Found(use.term, lines, forms or use.forms)
            term_use = _term_use(part, _diff_by_id(catalog, group_cited, newer), group_cited, newer, lineage)
            if group_cited.name != cited.name:
                term_use.cited_version = group_cited.name
            if term_use.status == "removed":
                term_use.successor = successor(catalog, term_use.id, group_cited, newer)
            uses.append(term_use)
    _check_cited_sections(uses, citations, newer)
    return LintReport(source, draft.format, citations, cited.name, meaning.note, newer.name, uses, meaning,
                      [p.to_dict() for p in possible])


def successor(catalog: Catalog, term_id: str, cited: Version, newer: Version) -> dict | None:
    """What took the place of a term removed between ``cited`` and ``newer``, as the history shows it:
    a rename, or a term of its kind that, where the term went, took over its values (Class 13 -> Class 15).
    Followed version by version to ``newer``; None if the trail ends."""
    names = [entry["name"] for entry in catalog.entries()]
    steps = names[names.index(cited.name):names.index(newer.name) + 1]
    current, how = term_id, None
    for before_name, after_name in zip(steps, steps[1:]):
        before, after = catalog.version(before_name), catalog.version(after_name)
        if after.by_id(current) is not None:
            continue
        entry = next((e for e in catalog.diff(before_name, after_name).terms
                      if e.status == "renamed" and e.renamed_from == current), None)
        if entry is not None:
            current, how = entry.id, f"renamed in {after_name}"
            continue
        gone = before.by_id(current)
        took_over = _took_over(gone, after) if gone is not None else None
        if took_over is None:
            return None
        current, how = took_over.id, f"its values moved to {took_over.term} in {after_name}"
    found = newer.by_id(current)
    if found is None or current == term_id:
        return None
    return {"id": found.id, "term": found.term, "how": how}


def _took_over(gone: Term, after: Version) -> Term | None:
    """The term of ``after``, of the same kind, whose values are those ``gone`` had (the best match)."""
    candidates = [(definition_similarity(gone, term), term) for term in after.terms
                  if term.kind == gone.kind and term.id != gone.id]
    candidates = [(score, term) for score, term in candidates
                  if score >= RENAME_THRESHOLD or (gone.attributes and _values(term) == _values(gone))]
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def _values(term: Term) -> dict:
    return {key: value for key, value in term.attributes.items() if value}


def _check_cited_sections(uses: list[TermUse], citations: list[Citation], newer: Version) -> None:
    """A section the draft cites on the line of a use ("Section 3 of …") that, in ``newer``, holds
    none of the terms used on that line is reported with the terms and where they are now."""
    by_line: dict[int, list[TermUse]] = {}
    for use in uses:
        for line in use.lines:
            by_line.setdefault(line, []).append(use)
    for citation in citations:
        used = by_line.get(citation.line, [])
        now = {use.id: newer.by_id(use.id) for use in used}
        if not citation.section or not used:
            continue
        if any(term is not None and term.section.number == citation.section for term in now.values()):
            continue
        for use in used:
            term = now[use.id]
            if term is None:
                continue
            use.section_citations.append({"line": citation.line, "cited": citation.section,
                                          "now": term.section.number, "citation": newer.cite(term)})


def _diff_by_id(catalog: Catalog, cited: Version, newer: Version) -> dict[str, TermDiff]:
    return {entry.renamed_from or entry.id: entry for entry in catalog.diff(cited.name, newer.name).terms
            if entry.status != "added"}


def _rfc_meaning(citations: list[Citation], catalog: Catalog, meaning: "Meaning") -> "Meaning | None":
    """RFC 7228's meaning when the draft cites it besides a bis revision, else None."""
    rfc = [c for c in citations if c.document == RFC_7228]
    if not rfc or meaning.pinned_by is not None and meaning.pinned_by.document == RFC_7228:
        return None
    if not any(c.document != RFC_7228 for c in citations):
        return None
    rfc_meaning = version_meant(rfc[0], catalog)
    return rfc_meaning if rfc_meaning.name != meaning.name else None


def _nearest_citation(draft: Draft, citations: list[Citation], citation_lines: list[int], line: int) -> str | None:
    """The document cited nearest to ``line`` in its paragraph (else the paragraph before), if any;
    ``citation_lines``: the line of each citation, in order. At the same distance, the one at or after
    ``line`` wins, and the first of a line."""
    start, end = draft.paragraph(line)
    for low, high in ((start, end), draft.paragraph(start - 2) if start > 2 else (start, end)):
        after = bisect_left(citation_lines, max(line, low))  # the first at or after the line
        before = bisect_right(citation_lines, min(line - 1, high)) - 1  # the last before it
        near = []
        if after < len(citations) and citation_lines[after] <= high:
            near.append(citations[after])
        if before >= 0 and citation_lines[before] >= low:
            near.append(citations[bisect_left(citation_lines, citation_lines[before])])
        if near:
            nearest = min(near, key=lambda c: (abs(c.line - line), c.line < line))
            return nearest.document
    return None


@dataclass
class Meaning:
    """The version a citation (or the draft's citations together) means."""

    name: str | None  # None: no stored version is of the cited document
    note: str | None = None  # how the citation was mapped, when not exactly
    pinned_by: Citation | None = None  # the citation that named the revision
    missing: str | None = None  # the revision cited, when the store lacks it
    closest: list[str] = field(default_factory=list)  # then the stored revisions nearest to it


def version_cited(citations: list[Citation], catalog: Catalog) -> Meaning:
    """The version the draft's citations mean, with the citation that pinned it."""
    names = [entry["name"] for entry in catalog.entries()]
    meant = [version_meant(citation, catalog) for citation in citations]
    bis = [(m, c) for m, c in zip(meant, citations) if m.name and c.document != RFC_7228]
    # A named revision says more than the draft's bare name (an RFCXML reference has both).
    drafts = ([m for m, c in bis if c.revision is not None and c.via is None]
              or [m for m, c in bis if c.revision is not None] or [m for m, _ in bis])
    if drafts:
        return max(drafts, key=lambda m: names.index(m.name))
    if not citations:
        assumed = version_meant(Citation("RFC 7228", 0, RFC_7228), catalog)
        assumed.note = "the draft cites neither RFC 7228 nor its bis: RFC 7228 assumed; " + (assumed.note or assumed.name)
        assumed.pinned_by = None
        return assumed
    direct = [m for m, c in zip(meant, citations) if m.name and c.via is None]
    return next(iter(direct or [m for m in meant if m.name]),
                Meaning(names[0], "no stored version matches what the draft cites"))


def version_meant(citation: Citation, catalog: Catalog) -> Meaning:
    """The stored version ``citation`` means; a revision the store lacks is named with the closest stored ones."""
    names = [entry["name"] for entry in catalog.entries()]
    if citation.document == RFC_7228:
        if RFC_7228 in names:
            return Meaning(RFC_7228, pinned_by=citation)
        return Meaning(names[0], f"RFC 7228 is not in the store: its oldest version, {names[0]}, stands in for it",
                       pinned_by=citation)
    if citation.document == BIS:
        return Meaning(names[-1])
    revisions = [(e["revision"], e["name"]) for e in catalog.entries() if e["document"] == citation.document]
    if not revisions:
        return Meaning(None)
    if citation.revision is None:
        return Meaning(revisions[-1][1])
    wanted = f"{citation.document}-{citation.revision}"
    if wanted in names:
        return Meaning(wanted, pinned_by=citation)
    earlier = [name for revision, name in revisions if _revision_order(revision) < _revision_order(citation.revision)]
    later = [name for revision, name in revisions if _revision_order(revision) > _revision_order(citation.revision)]
    closest = earlier[-1:] + later[:1]
    chosen = closest[0]
    return Meaning(chosen, f"{wanted} is not in the store (the closest stored: {' and '.join(closest)}): "
                           f"{chosen} stands in for it", citation, wanted, closest)


def _revision_order(revision: str | None) -> tuple[int, int]:
    """Numbered revisions in order, the editor's copy ("latest") after them all."""
    return (0, int(revision)) if revision and revision.isdigit() else (1, 0)


@dataclass
class _Found:
    term: Term  # as the first version of the search order that names it defines it
    lines: list[int]
    forms: list[str]
    form_lines: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class PossibleUse:
    """A short class name outside any class-like phrase or citation: perhaps the term, perhaps a label."""

    id: str
    term: str
    line: int
    form: str

    def to_dict(self) -> dict:
        return {"id": self.id, "term": self.term, "line": self.line, "form": self.form}


# Words after a short class name that make it a class: "a Class 1 device", "S1 link", "an S1-S3 network".
_CLASS_NOUNS = re.compile(r"(?:\s*(?:[-–/,]|\band\b|\bor\b|\bto\b)\s*[A-Z][a-z]?\d+)*\s*(?:devices?|nodes?|links?|networks?|class(?:es)?|"
                          r"hardware|platforms?|chips?|microcontrollers?|MCUs?)\b", re.IGNORECASE)
_CLASS_BEFORE = re.compile(r"\b(?:class(?:es)?|categor(?:y|ies)|classif(?:y|ied|ies)\s+as)\s*$", re.IGNORECASE)
# "Class 1/2", "Class-2", "class 1 and 2", "classes 1 to 3", "class 2+": the numbers of a class list.
_CLASS_LIST = re.compile(r"(?<![\w-])(?i:class(?:es)?)[\s-]*(\d+)\+?((?:\s*(?:/|,|&|-|–|\band\b|\bor\b|\bto\b|"
                         r"\bthrough\b)\s*(?:(?i:class)[\s-]*)?\d+\+?)*)(?!\w|\.\d)")
_COORDINATED = re.compile(r"\s*(?:,|and|or|and/or)\s+(\w+)\b")
_RANGE_WORDS = re.compile(r"\s*(?:-|–|\bto\b|\bthrough\b)\s*$")
# Names written as adjectives ("Low-power", "Always-on"): ordinary words unless written as the
# document writes them or naming the strategy.
_ADJECTIVE_NAME = re.compile(r"^[A-Z][a-z]+-[a-z]+$")
_STRATEGY_AFTER = re.compile(r"\s*(?:strateg(?:y|ies)|mode|operation)\b", re.IGNORECASE)
IGNORE_MARKER = "glossary: ignore"


def find_uses(draft: Draft, versions: list[Version], citations: list[Citation] = (),
              ignore: tuple[str, ...] = ()) -> tuple[list[_Found], list[PossibleUse]]:
    """The terms named in the draft's prose, by id, in order of first use, and the possible uses.

    Names resolve in ``versions`` in order. A short class name ("S1", "E9") counts only in context:
    in a class-like phrase, or in a paragraph citing RFC 7228 or the bis; otherwise it is a possible use.
    """
    prose = _without_quoted_titles(_without_titles(draft.prose, versions))
    ignored = {lookup_key(name) for name in ignore}
    marked = {number for number, line in enumerate(draft.text.split("\n"), 1) if IGNORE_MARKER in line}
    cited_paragraphs = {draft.paragraph(c.line) for c in citations}
    found: dict[str, _Found] = {}
    possible: list[PossibleUse] = []
    forms_seen: set[tuple[str, str]] = set()
    ignored_terms: dict[str, bool] = {}
    for start, end, form, term in _matches(prose, versions, draft.source):
        line = draft.prose_line(start)
        if term.id not in ignored_terms:
            ignored_terms[term.id] = bool(ignored & {lookup_key(n) for n in term.names()})
        if line in marked or ignored_terms[term.id]:
            continue
        near_citation = draft.paragraph(line) in cited_paragraphs
        if _is_short_class_name(form) and not (near_citation or _in_class_phrase(prose, start, end, term)):
            possible.append(PossibleUse(term.id, term.term, line, form))
            continue
        if _is_short_prose_name(form, term) and not near_citation:
            possible.append(PossibleUse(term.id, term.term, line, form))
            continue
        if _ADJECTIVE_NAME.match(term.term) and form != term.term and not _STRATEGY_AFTER.match(prose, end):
            possible.append(PossibleUse(term.id, term.term, line, form))
            continue
        use = found.setdefault(term.id, _Found(term, [], []))
        if not use.lines or use.lines[-1] != line:  # matches come in document order
            use.lines.append(line)
        if (term.id, form) not in forms_seen:
            forms_seen.add((term.id, form))
            use.forms.append(form)
        use.form_lines.append((form, line))
    return list(found.values()), possible


def _matches(prose: str, versions: list[Version], source: str = "draft") -> list[tuple[int, int, str, Term]]:
    """Every (start, end, form, term) a name of a term matches, class lists expanded, in order.

    An expansion followed by its acronym in parentheses ("Low-Power Wireless Personal Area
    Networks (6LoWPAN)") is one use, of the acronym's term. More than MAX_LINT_USES names
    are refused: a draft may repeat a name a million times."""
    names = _all_names(versions)
    resolved: dict[str, Term | None] = {}

    def resolve(form: str) -> Term | None:
        if form not in resolved:
            resolved[form] = _resolve(form, versions)
        return resolved[form]

    count = 0

    def counted() -> None:
        nonlocal count
        count += 1
        if count > MAX_LINT_USES:
            raise SourceError(source, f"names terms more than {MAX_LINT_USES:,} times: beyond the lint's work budget")

    raw: list[tuple[int, int, str, Term]] = []
    by_term: dict[str, list[tuple[int, int]]] = {}
    for match in _names_pattern(names).finditer(prose):
        counted()
        form = " ".join(match.group(0).split())
        term = resolve(form)
        if term is not None:
            raw.append((match.start(), match.end(), form, term))
            by_term.setdefault(term.id, []).append((match.start(), match.end()))
        # A coordination shares the first words: "constrained nodes and networks" names both terms.
        words = re.split(r"[\s-]+", form)
        other = _COORDINATED.match(prose, match.end()) if len(words) > 1 else None
        coordinated = resolve(" ".join(words[:-1] + [other.group(1)])) if other else None
        if coordinated is not None:
            raw.append((other.start(1), other.end(1), " ".join(words[:-1] + [other.group(1)]), coordinated))
    for match in _CLASS_LIST.finditer(prose):
        counted()
        for number in _class_numbers(match):
            term = resolve(f"Class {number}")
            if term is not None and not _covered(by_term.get(term.id, []), match.start()):
                raw.append((match.start(), match.end(), " ".join(match.group(0).split()), term))
    raw.sort(key=lambda m: m[0])
    starts = [m[0] for m in raw]
    kept = []
    for index, (start, end, form, term) in enumerate(raw):
        next_index = bisect_left(starts, end, index + 1)
        following = raw[next_index] if next_index < len(raw) else None
        if following and re.search(r"[\s-]", form) and following[3].kind == "acronym" and following[3].id != term.id \
                and _OPENING_PARENTHESIS.fullmatch(prose, end, following[0]) \
                and prose[following[1]:following[1] + 1] == ")":
            continue
        kept.append((start, end, form, term))
    return kept


_OPENING_PARENTHESIS = re.compile(r"\s*\(\s*")


def _covered(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether one of ``spans`` (in order, not overlapping) holds ``position``."""
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _class_numbers(match: re.Match) -> list[str]:
    """The class numbers a class list names; a range ("1 to 3", "1-3") names those between."""
    numbers = [match.group(1)]
    for separator, number in re.findall(r"(\s*(?:/|,|&|-|–|\band\b|\bor\b|\bto\b|\bthrough\b)\s*)"
                                        r"(?:(?i:class)[\s-]*)?(\d+)", match.group(2)):
        if _RANGE_WORDS.match(separator) and int(number) > int(numbers[-1]) and int(number) - int(numbers[-1]) < 20:
            numbers += [str(n) for n in range(int(numbers[-1]) + 1, int(number))]
        numbers.append(number)
    return numbers


def _all_names(versions: list[Version]) -> tuple[str, ...]:
    """Every term name and alias, and the expansions an acronym's definition gives ("Low-Power and Lossy Network")."""
    names = set()
    for version in versions:
        for term in version.terms:
            names.update([term.term, *term.aliases])
            if term.kind == "acronym":
                names.update(expansions(term.term, term.definition))
    return tuple(sorted(names))


def _is_short_class_name(form: str) -> bool:
    return len(form) <= 3 and any(c.isdigit() for c in form) and not form.lower().startswith("class")


def _is_short_prose_name(form: str, term: Term) -> bool:
    """A short name the document defines in passing ("SoC", "KiB"): common vocabulary elsewhere."""
    return len(form) <= 3 and term.defined_in == "prose"


def _in_class_phrase(prose: str, start: int, end: int, term: Term) -> bool:
    """ "a Class 1 device", "S1 link", "classified as E9", or the name followed by a word of its own
    classification ("Sh9 secret shielding": Shielded Secrets; "S1 MTU")."""
    if _CLASS_NOUNS.match(prose, end) or _CLASS_BEFORE.search(prose[max(0, start - 30):start]):
        return True
    following = _FOLLOWING_WORD.match(prose[end:end + 40])
    return bool(following) and following.group(1).lower().rstrip("s") in _class_vocabulary(
        term.section.title, tuple(term.attributes), term.kind)


_FOLLOWING_WORD = re.compile(r"\s+([A-Za-z]+)")


@lru_cache(maxsize=256)
def _class_vocabulary(section_title: str, columns: tuple[str, ...], kind: str) -> frozenset[str]:
    """The words that name what a classification is about: its section title, its column labels, its kind."""
    text = " ".join([section_title, *columns, kind.replace("-", " ")])
    return frozenset({word.lower().rstrip("s") for word in re.findall(r"[A-Za-z]{3,}", text)} - _GENERIC_WORDS)


_GENERIC_WORDS = {"classe", "clas", "strategie", "strategy", "type", "example", "comment", "from", "over", "upward",
                  "using", "keeping", "event", "applicable", "roughly", "ability", "minu", "the", "and", "for"}


def _without_titles(prose: str, versions: list[Version]) -> str:
    """The prose with the documents' own titles blanked: a quoted reference title is no use of its words."""
    for title in {version.title for version in versions if version.title}:
        pattern = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", title))
        prose = re.sub(pattern, lambda m: re.sub(r"[^\n]", " ", m.group(0)), prose, flags=re.IGNORECASE)
    return prose


# A phrase in double quotes, straight or curly, of at most 200 characters.
_QUOTED = re.compile(r'"[^"]{1,200}"|\u201c[^\u201d]{1,200}\u201d')
_PARENTHETICAL = re.compile(r"\([^()]*\)")


def _without_quoted_titles(prose: str) -> str:
    """The prose with quoted titles blanked ("Terms Used in Routing for Low-Power and Lossy Networks",
    an IANA registry's name): a title names another document, it does not use the terms in it.
    A quoted title is five words or more, parentheticals aside, every word of four letters or more
    capitalized; a quoted name of a term ("Low-Power and Lossy Networks (LLNs)") is shorter."""
    pieces, position = [], 0
    for match in _QUOTED.finditer(prose):
        if _is_title(match.group(0)[1:-1]):
            pieces += [prose[position:match.start()], re.sub(r"[^\n]", " ", match.group(0))]
            position = match.end()
    return "".join(pieces) + prose[position:] if pieces else prose


def _is_title(phrase: str) -> bool:
    words = [word.strip(".,:;!?'") for word in _PARENTHETICAL.sub(" ", phrase).split()]
    long_words = [word for word in words if len(word) >= 4 and word[:1].isalpha()]
    return len(words) >= 5 and bool(long_words) and all(word[0].isupper() for word in long_words)


def _resolve(form: str, versions: list[Version]) -> Term | None:
    form = " ".join(re.sub(r"\([^()]*\)", " ", form).split())  # "constrained (6LoWPAN) network"
    words = form.split()
    if len(words) == 3:  # "constrained IoT devices": the name without its modifier
        form_without_modifier = f"{words[0]} {words[2]}"
        candidates = [form, form_without_modifier]
    else:
        candidates = [form]
    candidates += [c[:-1] for c in candidates if c.endswith("s")]
    for version in versions:
        for candidate in candidates:
            term = version.find(candidate) or _find_expansion(version, candidate)
            if term is not None:
                return term
    return None


def _find_expansion(version: Version, name: str) -> Term | None:
    key = lookup_key(name)
    for term in version.terms:
        if term.kind == "acronym" and any(lookup_key(e) == key for e in expansions(term.term, term.definition)):
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
    return re.compile(r"(?<![\w./])(?:" + "|".join(alternatives) + ")")


# Between the words of a name of several words: white space or a hyphen, or a parenthetical
# ("a constrained (6LoWPAN) network").
_WORD_SEPARATOR = r"(?:\s+\([^()\n]{1,40}\)\s+|[\s-]+)"


# One word that modifies a noun: not an article, preposition, conjunction or verb of the sentence.
_MODIFIER = (r"(?:(?!(?:and|or|of|the|a|an|by|to|in|on|for|with|as|is|are|be|been|that|which|but|not|than|from|"
             r"at|into|such|this|these|those|its|their|can|may|will|must|should|have|has)\b)[A-Za-z][\w]*\s+)?")
_END_OF_NAME = r"(?![\w/]|[-.]\w)"


def _name_pattern(name: str) -> tuple[set[str], str]:
    """The characters ``name`` may start with in a draft, and the pattern of the rest of it.

    Names of several words match in any case; a name of one word only as written.
    """
    words = [word for word in re.split(r"[\s-]+", name) if word]
    plural = "s?" if len(name) >= 3 and name[-1].isalpha() else ""
    first, rest_of_first = words[0][0], re.escape(words[0][1:])
    if len(name.split()) == 2 and "-" not in name and words[1].isalpha():
        # An adjective and its noun may take a modifier between them ("constrained IoT devices").
        body = rest_of_first + _WORD_SEPARATOR + _MODIFIER + re.escape(words[1])
        return {first.lower(), first.upper()}, f"(?i:{body}{plural}){_END_OF_NAME}"
    if len(words) > 1:
        # In any case; a hyphen may join a modifier before it ("resource-constrained nodes").
        body = _WORD_SEPARATOR.join([rest_of_first, *map(re.escape, words[1:])])
        return {first.lower(), first.upper()}, f"(?i:{body}{plural}){_END_OF_NAME}"
    # A range of short names ("S1-S3") is not an identifier such as "S1-AP" or "LTE-S1".
    guard = f"(?<!(?:[^\\W\\d]|[./_-])-{re.escape(first)})"
    return {first}, rf"{guard}{rest_of_first}{plural}(?![\w/]|[-.](?![A-Z][a-z]?\d)\w)"


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
