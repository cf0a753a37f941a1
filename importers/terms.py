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

Terms defined in running prose (``kind: prose-term``, ``defined_in: prose``)
and the notes to entry of every term follow the rules of ``_ProseRules``
below; names that are already terms do not become prose terms again.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from glossary.limits import MAX_DEFINITION_CHARS, check_term_count, check_text
from glossary.model import Note, Section, Term, lookup_key, slugify

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
PROSE_KIND = "prose-term"

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
    _ProseRules(document, result).apply()
    return Extraction(result.terms, result.warnings)


class _Collector:
    def __init__(self):
        self.terms: list[Term] = []
        self.warnings: list[str] = []
        self._ids: Counter[str] = Counter()
        # What each definition entry and table became, for the notes (keyed by block identity).
        self.entry_terms: dict[int, Term] = {}
        self.row_terms: dict[int, list[Term]] = {}

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
        self.entry_terms[id(block)] = Term(
                id=slugify(block.term),
                term=block.term,
                kind=DL_KIND,
                definition=block.text,
                section=where,
                defined_in="dl",
                source_fragment=block.fragment,
            )
        self.add(self.entry_terms[id(block)], where.citation())

    # classification tables

    def table(self, table: Table, where: Section) -> None:
        label = f"Table {table.number}" if table.number else f"the table in {where.citation()}"
        name_col = _name_column(table.header)
        rows, fragments = self._named_rows(table, name_col, label)
        kind = _table_kind([row[name_col] for row in rows])
        self.row_terms[id(table)] = []
        for row, fragment in zip(rows, fragments):
            term, *aliases = [part.strip() for part in row[name_col].split(",") if part.strip()]
            attributes = {
                _column_label(table.header, i): cell for i, cell in enumerate(row) if i != name_col
            }
            row_term = Term(
                id=slugify(term),
                term=term,
                aliases=aliases,
                kind=kind,
                definition=_row_definition(attributes),
                attributes=attributes,
                section=where,
                defined_in="table",
                source_fragment=fragment,
            )
            self.row_terms[id(table)].append(row_term)
            self.add(row_term, f"{label} ({where.citation()})")

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


# --- running prose: terms defined in it, and notes to entry ----------------

# Words that may stand before a term's name without changing what the text is about.
_CONNECTIVES = (
    "In particular", "However", "Thus", "Therefore", "Hence", "Also", "Furthermore", "Moreover",
    "In addition", "Additionally", "Similarly", "Likewise", "Conversely", "Consequently", "Finally",
    "Note that", "Still", "Nevertheless",
)
_EXAMPLE_CONNECTIVES = ("For example", "For instance", "E.g.")
_CONNECTIVE = re.compile(
    r"^(%s)(?![\w.]),?\s+" % "|".join(re.escape(c) for c in _CONNECTIVES + _EXAMPLE_CONNECTIVES)
)
# A preposition that may open a phrase naming the terms a sentence speaks of ("Over B3 technologies, ...");
# not those that set a term against another ("Unlike Class 0 devices, Class 1 devices ...").
_PREPOSITIONS = ("Over", "On", "With", "For", "In", "At", "Across", "Within", "Under", "Using", "Via")
_PREPOSITION = re.compile(r"^(?:%s)\s+" % "|".join(f"[{p[0]}{p[0].lower()}]{p[1:]}" for p in _PREPOSITIONS))
# The end of such a phrase: the noun after the names ("technologies", "class devices"), then its comma.
_PHRASE_END = re.compile(r"(?:\s+[a-z][\w-]*){0,3},(?:\s|$)")
# After a name: a second name ("Class 3 and 4", "S1 to S4") or everything upward ("S10 or higher").
_NAME_TAIL = re.compile(
    r"\s*(?:(?P<upward>(?:or|and) (?:higher|above|upwards?))"
    r"|(?P<op>and|or|to|through|–|-)\s*(?P<other>[A-Za-z]*\d\w*))(?![\w-])"
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*(\s+)(?=[\"“'(\[]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "cf.", "vs.", "Fig.")
_QUOTED = re.compile(r"[\"“']([^\"“”']{1,60})[\"”']")
# A quoted notation explained: '"Sx" as an abbreviation for', '"WiFi" is short for', '"lots" in a column means'.
_EXPLAINS = re.compile(r"^(?:\s+\S+){0,3}?\s+(?:stands for|is short for|means|can be expanded as|as an abbreviation for|is)\b")
_FOOTNOTE_MARKS = ("*", "†", "‡")
_STEM = 6  # letters two words share when one is a form of the other ("constrain-ts", "constrain-ed")

# The forms that define a term in running prose, each one rule: (name, pattern).
# Groups: ``term`` the term; ``alias`` a longer name it abbreviates; ``term2`` a
# second term defined alongside; ``gloss``/``gloss2`` their explanations;
# ``noun`` a head noun the first term leaves outside its quotes.
PROSE_TERM_FORMS = (
    ("the term stands for", re.compile(r"\b[Tt]he term \"(?P<term>[^\"]+)\" stands for\b")),
    ("is used as a shorthand", re.compile(r"\"(?P<term>[^\"]+)\" is used as a shorthand for\b")),
    ("abbreviated", re.compile(r"\"(?P<alias>[^\"]+)\", abbreviated \"(?P<term>[^\"]+)\"")),
    ("stands for", re.compile(
        r"(?<![\w\"'])(?P<term>[A-Z][\w-]*) stands for (?:[^,;]*?)(?: and (?P<term2>[A-Z][\w-]*) for\b|[,;.]|$)")),
    ("alternative term", re.compile(r"\b[Aa]n alternative term\b[^\"]*?\bis \"(?P<term>[^\"]+)\"")),
    ("distinguishes", re.compile(
        r"\bdistinguish(?:es)? \"(?P<term>[^\"]+)\"(?: (?P<noun>\w+))? \((?P<gloss>[^()]*)\) from "
        r"\"(?P<term2>[^\"]+)\"(?: \w+)?(?: \((?P<gloss2>[^()]*)\))?")),
    ("the term (abbreviation) can be used", re.compile(
        r"\b[Tt]he term \"(?P<alias>[^\"]+)\" \((?P<term>[^()]+)\) can be used\b")),
    # A quoted name followed by its abbreviation: "Systems on a Chip" (SoC). The
    # abbreviation must be spelled by the name's initials (see _spells), so that
    # "a title" (RFC 7228) or "x" (Section 3) define nothing.
    ("quoted name (abbreviation)", re.compile(r"\"(?P<alias>[^\"]{3,80})\" \((?P<term>[A-Za-z0-9]{2,12})\)")),
)
# The words of the one form above that quotes nothing: a sentence with neither them nor a quotation
# mark cannot match any form.
PROSE_TERM_UNQUOTED_CUE = " stands for "


@dataclass
class _Unit:
    """A paragraph, a whole list, a quotation, a definition entry or a table, in document order."""

    kind: str  # paragraph, list, quote, definition, table
    text: str = ""
    block: object = None
    page_breaks: tuple[int, ...] = ()  # a paragraph's page breaks that may be paragraph breaks


@dataclass
class _ProseTerm:
    term: Term
    gloss: str | None = None


class _ProseRules:
    """The terms defined in running prose and the notes to entry: every rule in one place.

    Names are those of the document itself: the names and aliases of its
    table rows and of its definition-list entries. A *range* is a name
    followed by a second name or number ("Class 3 and 4", "S1 or S2", "S1 to
    S4": every row of the table from the first to the second) or by "or
    higher", "and above", "and upwards" (the row and all rows after it in
    its table). A text *opens with* names when it starts with a name or a
    range, after at most one connective ("In particular", "However,", "For
    example,"...), or with a phrase of a preposition, the names and at most
    three lowercase words closed by a comma ("Over B3 technologies,", "On S1
    to S4 links,"): the phrase sets the scene the sentence speaks of, as a
    connective does. Prepositions that set the names against others
    ("Unlike Class 0 devices, ...") and phrases not closed by a comma do not
    count.

    Notes (``Term.notes``), each ``{text, kind, section}``:

    1. A paragraph that opens with names is a note of those terms, whole
       (kind ``explanation``, or ``example`` after "For example"...).
    2. A later sentence of a paragraph that opens with names is a note of
       those terms, alone, unless they already have the whole paragraph.
    3. A list item that opens with names is a note of those terms (``list``).
    4. The list that follows a definition-list entry is a note of that entry
       (``list``), and so is a list introduced by a paragraph ending in ":"
       that speaks of the entry, with that paragraph: right after the entry,
       one that opens with a word of the entry's name or a form of it
       ("Constraints may include:" after "Constrained Network"); later in
       the entry's section, one that has every word of the entry's name or
       a form of it ("the constraints on nodes, for example:" after
       "Constrained Node").
    5. A table's caption is a note of every row (``caption``).
    6. A sentence in the table's section that says what a quoted notation
       means ('"Sx" as an abbreviation for "Size x"', 'the designation
       "lots" in a column means') is a note (``legend``) of the rows it
       speaks of: every row when the notation is the pattern of the row
       names ("Sx" for S0, S1...), else the rows with the quoted word in a
       cell.
    7. A paragraph right after a table that starts with a mark a column
       heading carries ("applicable*?" and "* if no ...") is a note of every
       row (``footnote``).
    8. A list item that opens with the explanation a group term was given
       ('"M-group" (microcontroller)': "Microcontroller-class devices ...")
       is a note of that group term and of the rows whose column named by
       the group word holds its letter (Group: M) (``list``).
    9. Where a text rendering does not show whether a page break between
       two sentences is a paragraph break (``Prose.page_breaks``), it is
       taken as one for rules 1 and 2 when the text after it opens with
       names: each class is explained in a paragraph that opens with its
       name, so a sentence that opens with names at such a break starts
       one.

    A note may belong to several terms; a term does not get a text that a
    note it has already contains. Whatever these rules leave unattached
    stays out.

    Prose terms (``kind: prose-term``, ``defined_in: prose``), each form of
    ``PROSE_TERM_FORMS`` one rule, with the sentence that defines it as the
    definition: ``the term "X" stands for``, ``"X" is used as a shorthand
    for``, ``"Y", abbreviated "X"``, ``X stands for ... [and Z for ...]``,
    ``an alternative term ... is "X"`` (related to the definition-list entry
    it follows in its section), ``distinguish(es) "X" (...) from "Y" (...)``,
    ``the term "Y" (X) can be used``, and ``"Y" (X)`` where the initials of
    the quoted name Y spell the abbreviation X.
    """

    def __init__(self, document: Document, collector: "_Collector"):
        self.collector = collector
        self.sections = [
            (Section(s.number, s.title, s.anchor), _units(s.blocks)) for s in document.sections
        ]
        self.tables: dict[int, list[Term]] = collector.row_terms
        self.names: dict[str, list[Term]] = {}
        self.table_of: dict[int, list[Term]] = {}  # id(term) -> the rows of its table
        for rows in collector.row_terms.values():
            for row in rows:
                self.table_of[id(row)] = rows
                for name in (row.term, *row.aliases):
                    self.names.setdefault(name, []).append(row)
        for term in collector.entry_terms.values():
            self.names.setdefault(term.term, []).append(term)
        ordered = sorted(self.names, key=len, reverse=True)
        self.name_pattern = re.compile(
            r"^(%s)(?![\w-])" % "|".join(re.escape(n) for n in ordered) if ordered else r"(?!)"
        )
        self.prose_terms: list[_ProseTerm] = []
        # The lookup keys of every name of the collector's terms, brought up to date at each
        # section's start (rather than recomputed for every section).
        self.known: set[str] = set()
        self.known_of = 0  # how many of the collector's terms self.known covers
        self._split: dict[str, tuple[str, ...]] = {}  # text -> its sentences: both passes split the same texts

    def sentences(self, text: str) -> tuple[str, ...]:
        found = self._split.get(text)
        if found is None:
            found = self._split[text] = tuple(_sentences(text))
        return found

    def apply(self) -> None:
        for where, units in self.sections:
            self.find_prose_terms(where, units)
        for where, units in self.sections:
            self.attach_notes(where, units)

    # prose terms

    def find_prose_terms(self, where: Section, units: list[_Unit]) -> None:
        terms = self.collector.terms
        known = self.known
        known.update(lookup_key(name) for term in terms[self.known_of:] for name in term.names())
        self.known_of = len(terms)
        entry: Term | None = None
        for unit in units:
            if unit.kind == "definition":
                entry = self.collector.entry_terms[id(unit.block)]
            if unit.kind not in ("paragraph", "list"):
                continue
            for sentence in (s for item in _items(unit) for s in self.sentences(item)):
                if '"' not in sentence and PROSE_TERM_UNQUOTED_CUE not in sentence:
                    continue  # no form can match: all of them quote a name but one
                for form, pattern in PROSE_TERM_FORMS:
                    for match in pattern.finditer(sentence):
                        found = match.groupdict()
                        if form == "quoted name (abbreviation)" and not _spells(found["term"], found["alias"]):
                            continue
                        related = [entry.id] if form == "alternative term" and entry else []
                        names = [("term", "alias", "gloss"), ("term2", None, "gloss2")]
                        for name_group, alias_group, gloss_group in names:
                            name = found.get(name_group)
                            if not name:
                                continue
                            if name_group == "term2" and found.get("noun"):
                                name = re.sub(rf"\s+{re.escape(found['noun'])}$", "", name)
                            if lookup_key(name) in known:
                                continue
                            known.add(lookup_key(name))
                            alias = found.get(alias_group) if alias_group else None
                            term = Term(
                                id=slugify(name),
                                term=name,
                                aliases=[alias] if alias else [],
                                kind=PROSE_KIND,
                                definition=sentence,
                                section=where,
                                defined_in="prose",
                                related=related,
                            )
                            self.collector.add(term, where.citation())
                            self.prose_terms.append(_ProseTerm(term, found.get(gloss_group)))

    # notes

    def attach_notes(self, where: Section, units: list[_Unit]) -> None:
        tables = [unit.block for unit in units if unit.kind == "table"]
        for i, unit in enumerate(units):
            if unit.kind == "definition":
                self.continuing_list(where, units, i)
            elif unit.kind == "table":
                self.caption_and_footnote(where, unit.block, units[i + 1] if i + 1 < len(units) else None)
            elif unit.kind == "paragraph":
                for text in self.paragraphs_of(unit):
                    self.paragraph(where, text)
                for sentence in self.sentences(unit.text):
                    self.legend(where, sentence, tables)
            elif unit.kind == "list":
                for item in _items(unit):
                    opened = self.opening_terms(item)
                    if opened:
                        self.attach(opened[0], item, "list", where)
                    self.group_item(where, item)
                    for sentence in self.sentences(item):
                        self.legend(where, sentence, tables)

    def attach(self, terms: list[Term], text: str, kind: str, where: Section) -> None:
        for term in terms:
            if not any(text in note.text for note in term.notes):
                term.notes.append(Note(text, kind, where))

    def paragraphs_of(self, unit: _Unit) -> list[str]:
        """Rule 9: a paragraph's text, split at each page break that may be a paragraph break where what
        follows opens with names."""
        text, parts, start = unit.text, [], 0
        for space in unit.page_breaks:
            if self.opening_terms(text[space + 1 :]):
                parts.append(text[start:space])
                start = space + 1
        return [*parts, text[start:]]

    def paragraph(self, where: Section, text: str) -> None:
        sentences = self.sentences(text)
        whole: list[Term] = []
        for number, sentence in enumerate(sentences):
            opened = self.opening_terms(sentence)
            if not opened:
                continue
            terms, kind = opened
            if number == 0:
                whole = terms
                self.attach(terms, text, kind, where)
            else:
                self.attach([t for t in terms if t not in whole], sentence, kind, where)

    def opening_terms(self, text: str) -> tuple[list[Term], str] | None:
        """The terms a text opens with (rule 1-3), and the note kind that makes."""
        kind = "explanation"
        connective = _CONNECTIVE.match(text)
        if connective:
            kind = "example" if connective.group(1) in _EXAMPLE_CONNECTIVES else kind
            text = text[connective.end() :]
        preposition = _PREPOSITION.match(text)
        match = self.name_pattern.match(text[preposition.end() :]) if preposition else None
        if match is None:
            preposition = None
            match = self.name_pattern.match(text)
        else:
            text = text[preposition.end() :]
        if not match:
            return None
        first = match.group(1)
        terms = list(self.names[first])
        tail = _NAME_TAIL.match(text, match.end())
        if preposition and not _PHRASE_END.match(text, tail.end() if tail else match.end()):
            return None
        if tail and tail.group("upward"):
            terms = self.rows_from(terms[0], None)
        elif tail:
            other = tail.group("other")
            if other.isdigit():
                other = re.sub(r"\d+$", "", first) + other
            if other in self.names:
                last = self.names[other][0]
                if tail.group("op") in ("to", "through", "–", "-"):
                    terms = self.rows_from(terms[0], last) or terms + [last]
                else:
                    terms = terms + [t for t in self.names[other] if t not in terms]
        return terms, kind

    def rows_from(self, first: Term, last: Term | None) -> list[Term]:
        """The rows of ``first``'s table from ``first`` to ``last`` (or to the end)."""
        rows = self.table_of.get(id(first))
        if rows is None or (last is not None and last not in rows):
            return []
        start = rows.index(first)
        end = rows.index(last) + 1 if last is not None else len(rows)
        return rows[start:end] if end > start else []

    def continuing_list(self, where: Section, units: list[_Unit], i: int) -> None:
        """Rule 4: the lists that continue a definition-list entry."""
        entry = self.collector.entry_terms[id(units[i].block)]
        if i + 1 < len(units) and units[i + 1].kind == "list":
            self.attach([entry], units[i + 1].text, "list", where)
        for j in range(i + 1, len(units) - 1):
            intro, listed = units[j], units[j + 1]
            if not (intro.kind == "paragraph" and intro.text.endswith(":") and listed.kind == "list"):
                continue
            right_after = j == i + 1 and _same_stem(_words(intro.text)[:1], _words(entry.term))
            if right_after or all(_same_stem(_words(intro.text), [word]) for word in _words(entry.term)):
                self.attach([entry], paragraphs([intro.text, listed.text]), "list", where)

    def caption_and_footnote(self, where: Section, table: Table, after: _Unit | None) -> None:
        """Rules 5 and 7."""
        rows = self.tables.get(id(table), [])
        if table.caption:
            self.attach(rows, table.caption, "caption", where)
        marks = [mark for mark in _FOOTNOTE_MARKS if any(mark in label for label in table.header)]
        if after is not None and after.kind == "paragraph" and any(after.text.startswith(m) for m in marks):
            self.attach(rows, after.text, "footnote", where)

    def legend(self, where: Section, sentence: str, tables: list[Table]) -> None:
        """Rule 6."""
        for quoted in _QUOTED.finditer(sentence):
            notation = quoted.group(1)
            if not _EXPLAINS.match(sentence[quoted.end() :]):
                continue
            pattern = re.fullmatch(r"([A-Z][A-Za-z]*)x", notation)
            for table in tables:
                rows = self.tables.get(id(table), [])
                if pattern and rows and all(re.fullmatch(rf"{pattern.group(1)}\d+", r.term) for r in rows):
                    spoken_of = rows
                else:
                    word = re.compile(rf"(?<![\w-]){re.escape(notation)}(?![\w-])")
                    spoken_of = [r for r in rows if any(word.search(v) for v in r.attributes.values())]
                self.attach(spoken_of, sentence, "legend", where)

    def group_item(self, where: Section, item: str) -> None:
        """Rule 8."""
        opening = _plain_words(item)
        for prose in self.prose_terms:
            group = re.fullmatch(r"(\w+)-(\w+)", prose.term.term)
            if not (group and prose.gloss and prose.term.section == where):
                continue
            gloss = _plain_words(prose.gloss.split(",")[0])
            if not (gloss and (opening + " ").startswith(gloss + " ")):
                continue
            letter, word = group.groups()
            rows = [
                row
                for rows in self.tables.values()
                for row in rows
                if any(label.lower() == word.lower() and value == letter for label, value in row.attributes.items())
            ]
            self.attach([prose.term, *rows], item, "list", where)


def _units(blocks: list) -> list[_Unit]:
    """A section's blocks as units: each paragraph alone, each list whole."""
    units: list[_Unit] = []
    for block in blocks:
        if isinstance(block, Definition):
            units.append(_Unit("definition", block=block))
        elif isinstance(block, Table):
            units.append(_Unit("table", block=block))
        elif isinstance(block, Prose):
            if block.kind == "paragraph" and not block.page_breaks:
                units.extend(_Unit("paragraph", text) for text in block.items())
            elif block.kind == "paragraph":
                start = 0
                for text in block.items():
                    start = block.text.index(text, start)
                    breaks = tuple(b - start for b in block.page_breaks if start < b < start + len(text))
                    units.append(_Unit("paragraph", text, page_breaks=breaks))
                    start += len(text)
            else:
                units.append(_Unit(block.kind, block.text, block))
    return units


def _items(unit: _Unit) -> list[str]:
    return unit.block.items() if unit.kind == "list" else [unit.text]


def _sentences(text: str) -> list[str]:
    """The sentences of a paragraph: a break after ".", "!" or "?" before a capital or digit."""
    out, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[start : match.start() + 1]
        if before.endswith(_ABBREVIATIONS):
            continue
        out.append(text[start : match.start(1)])
        start = match.end()
    out.append(text[start:])
    return [s for s in out if s]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _same_stem(words: list[str], others: list[str]) -> bool:
    """Whether a word of ``words`` is one of ``others`` or a form of it ("constraints", "constrained")."""
    return any(
        a.rstrip("s") == b.rstrip("s") or len(os.path.commonprefix([a, b])) >= _STEM for a in words for b in others
    )


def _plain_words(text: str) -> str:
    """Lower-case words on single spaces, hyphens as spaces: "General-purpose-class" -> "general purpose class"."""
    return " ".join(re.sub(r"[-‐]", " ", text).lower().split())


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
_QUOTED_PHRASE = re.compile(r"[\"“]([^\"”]{3,80})[\"”]")
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
    quoted = dict.fromkeys(match.group(1).strip() for match in _QUOTED_PHRASE.finditer(prose))
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
