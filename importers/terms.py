"""What counts as a term: the one rule for every format.

From a parsed ``Document``:

- every definition-list entry of the body is a term (``defined_in: dl``);
- every row of every classification table is a term (``defined_in: table``),
  its name cell giving the term and aliases ("Class 1, C1"), its other
  columns the attributes, its ``kind`` the concept of the table;
- every section whose title is nothing but acronyms ("LoWPAN, 6LoWPAN")
  defines them (``defined_in: section``), with the section prose as
  definition and the expansions found in it as aliases.

Nothing is dropped silently: a name that occurs twice keeps both terms under
distinct ids, and rows without a name are merged into the row above or
reported; each of these leaves a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from glossary.limits import MAX_DEFINITION_CHARS, check_term_count, check_text
from glossary.model import Section, Term, slugify

from .document import Definition, DocSection, Document, Prose, Table
from .text import join_lines, paragraphs

# The classification tables, by the prefix of their row names (E0, Is2, TP9...).
KIND_BY_PREFIX = {
    "Class": "device-class",
    "C": "device-class",
    "F": "firmware-class",
    "Is": "isolation-class",
    "Sh": "shielding-class",
    "Ps": "power-quantity",
    "Et": "power-quantity",
    "E": "energy-class",
    "P": "power-strategy",
    "T": "time-class",
    "TP": "time-permanency-class",
    "S": "mtu-class",
    "I": "integration-class",
    "B": "bitrate-class",
}
UNKNOWN_TABLE_KIND = "classification"
DL_KIND = "term"
ACRONYM_KIND = "acronym"

_ACRONYM = re.compile(r"^\(?[0-9]?\)?[A-Z][A-Za-z0-9]*$")
_STOP_WORDS = {"and", "or", "of", "for", "the", "over", "in", "on", "a", "an", "to"}


@dataclass
class Extraction:
    terms: list[Term] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract(document: Document) -> Extraction:
    result = _Collector()
    for section in document.sections:
        where = Section(section.number, section.title, section.anchor)
        acronyms = _acronyms_in_title(section.title)
        if acronyms:
            result.acronym_section(acronyms, section, where)
        for block in section.blocks:
            if isinstance(block, Definition):
                result.definition(block, where)
            elif isinstance(block, Table):
                result.table(block, where)
    return Extraction(result.terms, result.warnings)


class _Collector:
    def __init__(self):
        self.terms: list[Term] = []
        self.warnings: list[str] = []
        self._ids: Counter[str] = Counter()

    def add(self, term: Term, where: str) -> None:
        check_term_count(len(self.terms) + 1)  # before a hostile document makes a million
        base = term.id
        self._ids[base] += 1
        if self._ids[base] > 1:
            term.id = f"{base}-{self._ids[base]}"
            while term.id in self._ids:  # an id like "s2-2" may itself be a name
                self._ids[base] += 1
                term.id = f"{base}-{self._ids[base]}"
            self._ids[term.id] += 1
            self.warnings.append(
                f"{where}: {term.term!r} is defined more than once; this one is kept as {term.id!r}"
            )
        self.terms.append(term)

    # definition lists

    def definition(self, block: Definition, where: Section) -> None:
        self.add(
            Term(
                id=slugify(block.term),
                term=block.term,
                kind=DL_KIND,
                definition=block.text,
                section=where,
                defined_in="dl",
                source_fragment=block.fragment,
            ),
            where.citation(),
        )

    # classification tables

    def table(self, table: Table, where: Section) -> None:
        label = f"Table {table.number}" if table.number else f"the table in {where.citation()}"
        name_col = _name_column(table.header)
        rows, fragments = self._named_rows(table, name_col, label)
        kind = _table_kind([row[name_col] for row in rows])
        for row, fragment in zip(rows, fragments):
            term, *aliases = [part.strip() for part in row[name_col].split(",") if part.strip()]
            attributes = {
                _column_label(table.header, i): cell for i, cell in enumerate(row) if i != name_col
            }
            self.add(
                Term(
                    id=slugify(term),
                    term=term,
                    aliases=aliases,
                    kind=kind,
                    definition=_row_definition(attributes),
                    attributes=attributes,
                    section=where,
                    defined_in="table",
                    source_fragment=fragment,
                ),
                f"{label} ({where.citation()})",
            )

    def _named_rows(self, table: Table, name_col: int, label: str):
        """The rows that have a name; nameless rows are merged above or reported."""
        fragments = list(table.row_fragments or [None] * len(table.rows))
        rows: list[list[str]] = []
        kept_fragments: list[str | None] = []
        for number, (row, fragment) in enumerate(zip(table.rows, fragments), start=1):
            row = row + [""] * (len(table.header) - len(row))
            if row[name_col].strip():
                rows.append(list(row))
                kept_fragments.append(fragment)
                continue
            shown = " | ".join(row)
            continues_above = rows and not any(cell.strip() for cell in row[: name_col + 1])
            if continues_above:
                above = rows[-1]
                for i, cell in enumerate(row):
                    above[i] = join_lines([above[i], cell])
                if fragment and kept_fragments[-1]:
                    kept_fragments[-1] += "\n" + fragment
                self.warnings.append(
                    f"{label}: row {number} has no name ({shown}); merged into the row above ({above[name_col]})"
                )
            else:
                self.warnings.append(f"{label}: row {number} has no name and is not a term: {shown}")
        return rows, kept_fragments

    # acronym sections

    def acronym_section(self, acronyms: list[str], section: DocSection, where: Section) -> None:
        prose = paragraphs([b.text for b in section.blocks if isinstance(b, Prose)])
        check_text("definition", prose, MAX_DEFINITION_CHARS, acronyms[0])  # before looking for expansions
        for acronym in acronyms:
            self.add(
                Term(
                    id=slugify(acronym),
                    term=acronym,
                    aliases=expansions(acronym, prose),
                    kind=ACRONYM_KIND,
                    definition=prose,
                    section=where,
                    defined_in="section",
                ),
                where.citation(),
            )


def _name_column(header: list[str]) -> int:
    for i, label in enumerate(header):
        if label.strip().lower() == "name":
            return i
    return 0


def _column_label(header: list[str], index: int) -> str:
    label = header[index].strip() if index < len(header) else ""
    return label or f"column {index + 1}"


def _row_definition(attributes: dict[str, str]) -> str:
    filled = {k: v for k, v in attributes.items() if v.strip()}
    if len(filled) == 1:
        return next(iter(filled.values()))
    return "; ".join(f"{label.rstrip(':')}: {value}" for label, value in filled.items())


def _name_prefix(name: str) -> str:
    first = name.split(",")[0].strip()
    match = re.match(r"^([A-Za-z]+)", first)
    return match.group(1) if match else ""


def _table_kind(names: list[str]) -> str:
    kinds = Counter(KIND_BY_PREFIX.get(_name_prefix(n), UNKNOWN_TABLE_KIND) for n in names)
    return kinds.most_common(1)[0][0] if kinds else UNKNOWN_TABLE_KIND


def _acronyms_in_title(title: str) -> list[str]:
    """The acronyms a title consists of ("LoWPAN, 6LoWPAN"), or [] for a prose title."""
    parts = [p.strip() for p in title.split(",")]
    if not parts or not all(_ACRONYM.match(p) and sum(c.isupper() for c in p) >= 2 for p in parts):
        return []
    return parts


def expansions(acronym: str, prose: str) -> list[str]:
    """Expansions of ``acronym`` in ``prose``: a phrase just before "(ACRONYM)",
    or a quoted phrase, whose initials spell the acronym."""
    candidates = _expansion_candidates(prose)
    found: list[str] = []
    for words in dict.fromkeys(candidates.before_parentheses.get(acronym, ())):
        for length in range(1, len(words) + 1):
            phrase = " ".join(words[-length:]).strip("\"'“”(")
            if _spells(acronym, phrase):
                found.append(phrase)
                break
    found += [phrase for phrase in candidates.quoted if _spells(acronym, phrase)]
    return [phrase for phrase in dict.fromkeys(found) if phrase != acronym]


_PARENTHESIZED = re.compile(r"\(\s*([^\s()]+)\s*\)")
_QUOTED = re.compile(r"[\"“]([^\"”]{3,80})[\"”]")
_WORD = re.compile(r"\S+")
_EXPANSION_WORDS = 10  # an expansion is at most this many words long
_LONGEST_WORD = 64  # and has no longer word


@dataclass
class _ExpansionCandidates:
    before_parentheses: dict[str, list[tuple[str, ...]]]  # "LLN": the words before each "(LLN)" or "(LLNs)"
    quoted: list[str]


@lru_cache(maxsize=4)  # a section's prose serves every acronym of its title
def _expansion_candidates(prose: str) -> _ExpansionCandidates:
    """Every place in ``prose`` an expansion may be, found in one pass over it."""
    word_spans = [match.span() for match in _WORD.finditer(prose)]
    word_starts = [start for start, _ in word_spans]
    before: dict[str, list[tuple[str, ...]]] = {}
    for match in _PARENTHESIZED.finditer(prose):
        words = _words_before(prose, word_spans, word_starts, match.start())
        inside = match.group(1)
        for acronym in {inside, inside[:-1] if inside.endswith("s") else inside}:
            before.setdefault(acronym, []).append(words)
    quoted = dict.fromkeys(match.group(1).strip() for match in _QUOTED.finditer(prose))
    return _ExpansionCandidates(before, list(quoted))


def _words_before(prose: str, spans: list[tuple[int, int]], starts: list[int], end: int) -> tuple[str, ...]:
    """The last words of ``prose[:end]``, up to the expansion length and stopping at an over-long word."""
    index = bisect_left(starts, end)
    words: list[str] = []
    while index > 0 and len(words) < _EXPANSION_WORDS:
        index -= 1
        start, word_end = spans[index]
        if min(word_end, end) - start > _LONGEST_WORD:
            break
        words.append(prose[start:min(word_end, end)])
    return tuple(reversed(words))


def _spells(acronym: str, phrase: str) -> bool:
    letters = [c for c in acronym if c.isupper()]
    digits = [c for c in acronym if c.isdigit()]
    if any(d not in phrase for d in digits):
        return False
    tokens = [t for t in re.split(r"[\s\-]+", phrase) if t]
    content = [t for t in tokens if t.lower() not in _STOP_WORDS]
    if not content or any(not t[0].isupper() and not t[0].isdigit() for t in content):
        return False
    initials = [t[0] for t in content if t[0].isalpha()]
    if not initials or initials[0] != letters[0] or initials[-1] != letters[-1]:
        return False
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True
