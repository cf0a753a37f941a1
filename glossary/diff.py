"""What changed between versions: term-level statuses and word-level diffs.

Pure functions over ``glossary.model.Version`` values: no I/O, no store, no Flask.
glossary.cli.output renders the results for a terminal.

Matching terms
--------------
Terms are matched by ``id`` (unique within a Version: the importers make it
so). A term whose id is in both versions is compared on its definition, its
notes, its attributes, aliases, section (number, title and anchor), term
text and kind (``source_fragment``, ``defined_in`` and ``related`` are not
compared). It is

- ``unchanged`` when none of these differ;
- ``editorial`` when they differ only in case, dashes (hyphen, en and em
  dash, "--"), quotation marks (straight or curly, single or double) or
  white space (a run of it, or none, next to a punctuation mark: "*if" and
  "* if", "3 - 12" and "3–12"; between two words it stays a word boundary), in a section renumbered, re-anchored (the XML anchor, which
  no reader sees) or retitled by case alone, or in a column heading changed
  by case alone (see ``editorial_form``);
- ``changed`` otherwise: a change in substance.

An id only in the new version is ``added``, an id only in the old one
``removed``, unless the pair is a rename.

Attributes (table cells)
------------------------
An empty cell and a missing cell are the same: a column whose value is ""
on one side and absent on the other has not changed. A column of the old row
and a column of the new row are *one column renamed* (``renamed_attributes``,
``{old heading: new heading}``) when neither heading exists on the other
side, both stand at the same position among their row's columns, and the
headings are similar: ``SequenceMatcher`` over the case-folded headings
gives at least ``HEADING_SIMILARITY`` (0.8, "upgradeability" ->
"upgradability"), or every word of one heading is a word of the other ("L2
MTU size" -> "Size"). Each changed value carries word operations (``ops``)
like a definition's.

Notes
-----
A term's notes (glossary.model.Note) are paired old to new, one to one:
first notes of the same kind with the same text (in editorial form); then,
among the rest, notes of the same kind in order of the similarity of their
words, best first, if at least ``NOTE_SIMILARITY`` (0.5), or if they are the
only unpaired notes of that kind on each side (the same place in the entry,
rewritten). A pair whose text differs is a ``changed`` note with word
operations; a note left unpaired is ``added`` (all inserted) or ``removed``
(all deleted). Notes paired with the same text are not reported, unless
their section moved.

A note can belong to several terms (a table's legend belongs to every row).
In a version diff, a note change with the same status, kind, section (and
former section) and word operations in several terms' changes is one
*shared* note change: each term keeps it, as its change, and names the other
terms that have it in ``shared_with``. ``read_once`` tells a renderer where
to show each shared note change in full, once.

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

Across more than two versions (``diff_versions(..., span)``, as the
Catalog calls it) a term is followed through the renames between each two
consecutive versions, as its history follows it, so that a diff and a
history agree on what became of a term; pairs the chain does not explain
are then looked for between the two ends.

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
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from .errors import NotFound
from .limits import MAX_DEFINITION_CHARS
from .memo import Memo, kept_bytes
from .lookup import close_term_names
from .ietf import document_diff_links
from .model import Note, Section, Term, Version, lookup_key, missing_revisions

RENAME_THRESHOLD = 0.9
MAX_RENAME_PAIRS = 100_000
HEADING_SIMILARITY = 0.8
NOTE_SIMILARITY = 0.5

# The order in which statuses are counted and listed.
STATUSES = ("added", "removed", "changed", "editorial", "renamed", "unchanged")
# The statuses that are a change of what the term means.
SUBSTANTIVE = ("added", "removed", "changed", "renamed")

WordOps = list[tuple[str, str]]

# Words (with inner hyphens, dots and slashes: "layer-2", "802.15.4"), runs of
# whitespace, and single punctuation marks, so that "KiB" stays equal when
# "KiB; Examples" follows it. Every character belongs to one token.
_TOKEN = re.compile(r"\s+|\w+(?:[-./'’]\w+)*|[^\w\s]")

# Editorial form: what stays of a text when case, dashes, quotes and white space are set aside.
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]+")
_QUOTES = re.compile(r"[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a`]")
_SPACE = re.compile(r"\s+")
_SPACE_BY_MARK = re.compile(r"\s*([^\w\s])\s*")


# The generation of the memos keyed by content: what they keep stays true whatever the store holds.
_CONTENT_KEYED = "content-keyed"

# A diff asks for the editorial form of the same definitions, cells and notes again and again:
# short texts (names, cells) are kept by a plain cache of a bounded count, longer ones within
# a budget in bytes, so that what is kept stays bounded whatever the store holds.
SHORT_TEXT_CHARS = 256
SHORT_FORMS_KEPT = 8192  # at most 2 kB a text and 2 kB its form, even outside the BMP
LONG_FORMS_BYTES = 16 * 1024 * 1024
_long_forms = Memo(LONG_FORMS_BYTES, largest=LONG_FORMS_BYTES // 16)


def editorial_form(text: str) -> str:
    """``text`` with case, dashes, quotation marks and white space made uniform.

    Two texts with the same editorial form differ only editorially.
    """
    if len(text) <= SHORT_TEXT_CHARS:
        return _short_editorial_form(text)
    return _long_forms.computed(text, lambda: compute_editorial_form(text), _CONTENT_KEYED,
                                cost=lambda form: kept_bytes(text, form))


@lru_cache(maxsize=SHORT_FORMS_KEPT)
def _short_editorial_form(text: str) -> str:
    return compute_editorial_form(text)


def compute_editorial_form(text: str) -> str:
    """editorial_form without the memory of earlier answers."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _QUOTES.sub('"', _DASHES.sub("-", text))
    return _SPACE_BY_MARK.sub(r"\1", _SPACE.sub(" ", text)).strip()


# ---------------------------------------------------------------- word diff


# Word diffs already computed, by the content hashes of the two texts: most
# terms are the same between most pairs of versions, so a diff of any pair
# mostly finds its definition changes here. Keyed by content, they hold
# whatever the store does: kept under one generation for good.
# Both memos are budgeted in bytes (glossary.memo.kept_bytes), so that a
# worker's memory is bounded whatever the store holds: a definition or note
# of 20,000 characters outside the BMP takes 80 kB on each side of a diff.
# The whole corpus takes about 0.3 MB of word diffs and 2 MB of comparisons.
# A value costing more than a sixteenth of its memo is not kept.
WORD_DIFFS_BYTES = 16 * 1024 * 1024
TERM_CHANGES_BYTES = 32 * 1024 * 1024
_word_diffs = Memo(WORD_DIFFS_BYTES, largest=WORD_DIFFS_BYTES // 16)


def _content_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def word_diff(old: str, new: str) -> WordOps:
    """``[("equal", …), ("delete", …), ("insert", …)]`` turning ``old`` into ``new`` word by word."""
    key = (_content_hash(old), _content_hash(new))
    return list(_word_diffs.computed(key, lambda: tuple(compute_word_diff(old, new)), _CONTENT_KEYED,
                                     cost=lambda ops: kept_bytes(key, ops)))


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


def _ops_dict(ops: WordOps) -> list[list[str]]:
    return [[op, text] for op, text in ops]


# ---------------------------------------------------------------- notes


@dataclass
class NoteChange:
    """One note added, removed or changed; ``text`` are word operations (all inserted if added)."""

    status: str  # "added", "removed" or "changed"
    kind: str
    text: WordOps
    section: Section  # where the note stands now (before, if removed)
    section_from: Section | None = None  # where it stood, when it moved
    # In a version diff: the ids of the other terms whose changes have this same note change.
    shared_with: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        result = {"status": self.status, "kind": self.kind, "text": _ops_dict(self.text),
                  "section": self.section.to_dict(), "editorial": self.editorial}
        if self.section_from is not None:
            result["section_from"] = self.section_from.to_dict()
        if self.shared_with:
            result["shared_with"] = list(self.shared_with)
        return result

    @property
    def identity(self) -> tuple:
        """What two terms' note changes must both have to be one note change: all but ``shared_with``."""
        return (self.status, self.kind, tuple(self.text), _section_key(self.section),
                None if self.section_from is None else _section_key(self.section_from))

    @property
    def editorial(self) -> bool:
        if self.status != "changed":
            return False
        old = "".join(text for op, text in self.text if op != "insert")
        new = "".join(text for op, text in self.text if op != "delete")
        moved = self.section_from is not None and not _same_section_editorially(self.section_from, self.section)
        return editorial_form(old) == editorial_form(new) and not moved


def _words_similarity(old: str, new: str) -> float:
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def pair_notes(old: list[Note], new: list[Note]) -> list[tuple[Note | None, Note | None]]:
    """Old and new notes paired as the module docstring says; unpaired ones with None, in document order."""
    pairs: dict[int, int] = {}  # old index -> new index
    taken: set[int] = set()
    for i, note in enumerate(old):
        for j, other in enumerate(new):
            if j not in taken and note.kind == other.kind and editorial_form(note.text) == editorial_form(other.text):
                pairs[i] = j
                taken.add(j)
                break
    candidates = sorted(
        (-_words_similarity(note.text, other.text), j, i)
        for i, note in enumerate(old) if i not in pairs
        for j, other in enumerate(new) if j not in taken and note.kind == other.kind
    )
    for negative_ratio, j, i in candidates:
        if i in pairs or j in taken:
            continue
        alone = (sum(1 for k, n in enumerate(old) if k not in pairs and n.kind == old[i].kind) == 1
                 and sum(1 for k, n in enumerate(new) if k not in taken and n.kind == new[j].kind) == 1)
        if -negative_ratio >= NOTE_SIMILARITY or alone:
            pairs[i] = j
            taken.add(j)
    by_new = {j: i for i, j in pairs.items()}
    result: list[tuple[Note | None, Note | None]] = []
    for j, note in enumerate(new):
        result.append((old[by_new[j]], note) if j in by_new else (None, note))
    result += [(note, None) for i, note in enumerate(old) if i not in pairs]
    return result


def note_changes(old: list[Note], new: list[Note], term_sections: tuple[Section, Section] | None = None
                 ) -> list[NoteChange]:
    """Every note added, removed or changed (in text or section) between two appearances of a term.

    A note that moves with its term (from the term's old section to its new
    one) has not moved on its own: the term's section change says it.
    """
    changes = []
    for before, after in pair_notes(old, new):
        if before is None:
            changes.append(NoteChange("added", after.kind, [("insert", after.text)], after.section))
        elif after is None:
            changes.append(NoteChange("removed", before.kind, [("delete", before.text)], before.section))
        else:
            moved = _section_key(before.section) != _section_key(after.section)
            if moved and term_sections and (before.section, after.section) == term_sections:
                moved = False
            if before.text != after.text or moved:
                ops = word_diff(before.text, after.text) if before.text != after.text else [("equal", after.text)]
                changes.append(NoteChange("changed", after.kind, ops, after.section,
                                          before.section if moved else None))
    return changes


# ---------------------------------------------------------- one term's change


def _section_key(section: Section) -> tuple:
    return (section.number, section.title, section.anchor)


def _same_section_editorially(old: Section, new: Section) -> bool:
    """A section renumbered, or retitled by case, dashes, quotes or white space alone."""
    return editorial_form(old.title) == editorial_form(new.title)


@dataclass
class TermChange:
    """How one term differs between two versions; an empty TermChange is falsy.

    ``attributes`` is keyed by the new heading (the old one for a column
    removed): ``{"from": …, "to": …, "ops": word operations}``.
    """

    definition: WordOps | None = None
    attributes: dict[str, dict] = field(default_factory=dict)
    renamed_attributes: dict[str, str] = field(default_factory=dict)
    notes: list[NoteChange] = field(default_factory=list)
    aliases_added: list[str] = field(default_factory=list)
    aliases_removed: list[str] = field(default_factory=list)
    section: tuple[Section, Section] | None = None
    term: tuple[str, str] | None = None
    kind: tuple[str, str] | None = None
    # Whether the definition only renders the cells (a table row): it then adds nothing to them.
    definition_restates_cells: bool = False

    def __bool__(self) -> bool:
        """Whether to_dict() has anything: an aspect of the term changed."""
        return (self.definition is not None or self.section is not None or self.term is not None
                or self.kind is not None or bool(self.attributes or self.renamed_attributes or self.notes
                                                 or self.aliases_added or self.aliases_removed))

    def to_dict(self) -> dict:
        """Only the aspects that changed."""
        result: dict = {}
        if self.definition is not None:
            result["definition"] = _ops_dict(self.definition)
        if self.attributes:
            result["attributes"] = {
                column: {"from": values["from"], "to": values["to"], "ops": _ops_dict(values["ops"]),
                         "editorial": _editorial_pair((values["from"] or "", values["to"] or ""))}
                for column, values in self.attributes.items()
            }
        if self.renamed_attributes:
            result["renamed_attributes"] = dict(self.renamed_attributes)
        if self.notes:
            result["notes"] = [note.to_dict() for note in self.notes]
        if self.aliases_added or self.aliases_removed:
            result["aliases"] = {"added": list(self.aliases_added), "removed": list(self.aliases_removed)}
        if self.section is not None:
            result["section"] = {"from": self.section[0].to_dict(), "to": self.section[1].to_dict()}
        if self.term is not None:
            result["term"] = {"from": self.term[0], "to": self.term[1]}
        if self.kind is not None:
            result["kind"] = {"from": self.kind[0], "to": self.kind[1]}
        return result

    @property
    def editorial(self) -> bool:
        """Whether every change is editorial (see the module docstring); False for no change."""
        if not self:
            return False
        return (
            self.kind is None
            and all(_editorial_pair(_sides(ops)) for ops in [self.definition or []])
            and all(_editorial_pair((values["from"] or "", values["to"] or ""))
                    for values in self.attributes.values())
            and all(editorial_form(old) == editorial_form(new) for old, new in self.renamed_attributes.items())
            and all(note.editorial for note in self.notes)
            and _editorial_aliases(self.aliases_removed, self.aliases_added)
            and (self.section is None or _same_section_editorially(*self.section))
            and (self.term is None or editorial_form(self.term[0]) == editorial_form(self.term[1]))
        )

    @property
    def shown_definition(self) -> WordOps | None:
        """The definition's operations where they add something to the cells' (None for a table row's)."""
        return None if self.definition_restates_cells and self.attributes else self.definition


def _sides(ops: WordOps) -> tuple[str, str]:
    old = "".join(text for op, text in ops if op != "insert")
    new = "".join(text for op, text in ops if op != "delete")
    return old, new


def _editorial_pair(pair: tuple[str, str]) -> bool:
    return editorial_form(pair[0]) == editorial_form(pair[1])


def _editorial_aliases(removed: list[str], added: list[str]) -> bool:
    return sorted(map(editorial_form, removed)) == sorted(map(editorial_form, added))


# Term comparisons already made, by the content digests of the two appearances:
# a term reads the same in most versions, so a diff of a pair never compared
# before mostly finds its comparisons here (TermChanges are never changed once made).
_term_changes = Memo(TERM_CHANGES_BYTES, largest=TERM_CHANGES_BYTES // 16)


def compare_terms(old: Term, new: Term) -> TermChange:
    """Everything that differs between two appearances of a term (ids are not compared)."""
    key = (old.content_digest, new.content_digest)
    return _term_changes.computed(key, lambda: compute_term_change(old, new), _CONTENT_KEYED,
                                  cost=lambda change: kept_bytes(key, change))


def compute_term_change(old: Term, new: Term) -> TermChange:
    """compare_terms without the memory of earlier comparisons."""
    renamed = renamed_columns(old.attributes, new.attributes)
    return TermChange(
        definition=word_diff(old.definition, new.definition) if old.definition != new.definition else None,
        attributes=attribute_changes(old.attributes, new.attributes, renamed),
        renamed_attributes=renamed,
        notes=note_changes(old.notes, new.notes, (old.section, new.section)),
        aliases_added=[alias for alias in new.aliases if alias not in old.aliases],
        aliases_removed=[alias for alias in old.aliases if alias not in new.aliases],
        section=(old.section, new.section) if _section_key(old.section) != _section_key(new.section) else None,
        term=(old.term, new.term) if old.term != new.term else None,
        kind=(old.kind, new.kind) if old.kind != new.kind else None,
        definition_restates_cells=restates_cells(old) and restates_cells(new),
    )


def restates_cells(term: Term) -> bool:
    """Whether a term's definition is its cells written out, as the importers write a table row's.

    That is "Column: value; …" over the filled cells, or the value alone when one cell is filled.
    """
    filled = {column: value for column, value in term.attributes.items() if value.strip()}
    if not filled:
        return False
    if len(filled) == 1:
        cells = next(iter(filled.values()))
    else:
        cells = "; ".join(f"{column.rstrip(':')}: {value}" for column, value in filled.items())
    return _SPACE.sub(" ", cells).strip() == _SPACE.sub(" ", term.definition).strip()


def _similar_headings(old: str, new: str) -> bool:
    old_folded, new_folded = old.casefold(), new.casefold()
    if SequenceMatcher(None, old_folded, new_folded, autojunk=False).ratio() >= HEADING_SIMILARITY:
        return True
    old_words, new_words = set(re.findall(r"\w+", old_folded)), set(re.findall(r"\w+", new_folded))
    return bool(old_words and new_words) and (old_words <= new_words or new_words <= old_words)


def renamed_columns(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """``{old heading: new heading}`` for the columns renamed at the same position (module docstring)."""
    old_columns, new_columns = list(old), list(new)
    renamed = {}
    for position, heading in enumerate(old_columns):
        if heading in new or position >= len(new_columns):
            continue
        candidate = new_columns[position]
        if candidate not in old and _similar_headings(heading, candidate):
            renamed[heading] = candidate
    return renamed


def attribute_changes(old: dict[str, str], new: dict[str, str],
                      renamed: dict[str, str] | None = None) -> dict[str, dict]:
    """``{column: {"from", "to", "ops"}}`` for each differing column; a missing or empty cell is None."""
    renamed = renamed or {}
    old_of = {new_heading: old_heading for old_heading, new_heading in renamed.items()}
    columns = [*new, *(column for column in old if column not in new and column not in renamed)]
    changes = {}
    for column in columns:
        before = old.get(old_of.get(column, column)) or None
        after = new.get(column) or None
        if before != after:
            changes[column] = {"from": before, "to": after, "ops": word_diff(before or "", after or "")}
    return changes


# ------------------------------------------------------------------ renames


def definition_similarity(old: Term, new: Term) -> float:
    """SequenceMatcher ratio over the words of the two definitions."""
    return SequenceMatcher(None, old.definition.split(), new.definition.split(), autojunk=False).ratio()


def _filled(attributes: dict[str, str]) -> dict[str, str]:
    return {column: value for column, value in attributes.items() if value}


def is_rename_candidate(old: Term, new: Term) -> bool:
    """Rules 1 to 4 of the module docstring (within the bounds of "Bounded work")."""
    return (
        old.kind == new.kind
        and _filled(old.attributes) == _filled(new.attributes)
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


def renames_along(lineage: list[Version]) -> dict[str, str]:
    """``{id in lineage[0]: id in lineage[-1]}`` for the terms followed through renames step by step.

    A term is followed from one version to the next by its id, else through
    find_renames of the two; it is lost where neither holds.
    """
    first, last = lineage[0], lineage[-1]
    last_ids = {term.id for term in last.terms}
    steps = [find_renames(before, after) for before, after in zip(lineage, lineage[1:])]
    renames = {}
    for term in first.terms:
        if term.id in last_ids:
            continue
        followed: str | None = term.id
        for after, step in zip(lineage[1:], steps):
            if after.by_id(followed) is None:
                followed = step.get(followed)
                if followed is None:
                    break
        if followed is not None and followed != term.id and first.by_id(followed) is None:
            renames[term.id] = followed
    return one_to_one(renames)


def one_to_one(renames: dict[str, str]) -> dict[str, str]:
    """``renames`` without those whose new id two old ids claim: that is no rename of either."""
    claimed = Counter(renames.values())
    return {old_id: new_id for old_id, new_id in renames.items() if claimed[new_id] == 1}


# ------------------------------------------------------------ version diff


def _rename_and_changes(renamed_from: str | None, changes: TermChange | None) -> dict:
    """The optional members of a diff entry or history event: only what there is."""
    result: dict = {}
    if renamed_from is not None:
        result["renamed_from"] = renamed_from
    if changes:
        result["changes"] = changes.to_dict()
    return result


def change_status(changes: TermChange) -> str:
    """"unchanged", "editorial" or "changed" for two appearances of a term under one id."""
    if not changes:
        return "unchanged"
    return "editorial" if changes.editorial else "changed"


@dataclass
class TermDiff:
    """One term's entry in a VersionDiff; id, term and kind are the new side's (the old side's if removed).

    ``same_change_as``: the ids of the other entries of the diff that share
    this term's definition and its change (LoWPAN and 6LoWPAN), so that a
    reader is shown the change once.
    """

    id: str
    term: str
    kind: str
    status: str
    renamed_from: str | None = None
    changes: TermChange | None = None
    same_change_as: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        result = {"id": self.id, "term": self.term, "kind": self.kind, "status": self.status,
                  **_rename_and_changes(self.renamed_from, self.changes)}
        if self.same_change_as:
            result["same_change_as"] = list(self.same_change_as)
        return result


@dataclass
class VersionDiff:
    from_version: str
    to_version: str
    terms: list[TermDiff]
    # Where to read the two whole documents side by side (glossary.ietf.document_diff_links).
    document_diff: dict[str, str] = field(default_factory=dict)
    # Revisions between the two that the store does not hold (glossary.model.missing_revisions).
    missing_revisions: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        """How many terms have each status (every status present, zeros included)."""
        return {status: sum(entry.status == status for entry in self.terms) for status in STATUSES}

    @property
    def substantive_count(self) -> int:
        """How many terms changed in what they mean (editorial and unchanged ones not counted)."""
        return sum(entry.status in SUBSTANTIVE for entry in self.terms)

    def filter(self, kind: str | None = None, status: str | None = None) -> "VersionDiff":
        """The same diff restricted to one kind and/or one status (its summary counts only those)."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        kept = [
            entry
            for entry in self.terms
            if (kind is None or entry.kind == kind) and (status is None or entry.status == status)
        ]
        return self.with_terms(kept)

    def with_terms(self, terms: list[TermDiff]) -> "VersionDiff":
        return VersionDiff(self.from_version, self.to_version, terms, self.document_diff, self.missing_revisions)

    def to_dict(self) -> dict:
        return {
            "from": self.from_version,
            "to": self.to_version,
            "summary": self.summary,
            "document_diff": dict(self.document_diff),
            "missing_revisions": list(self.missing_revisions),
            "terms": [entry.to_dict() for entry in self.terms],
        }


class Span(NamedTuple):
    """What a diff reads of the stored versions from its old version to its new one (both included)."""

    renames: dict[str, str]  # renames_along them
    revisions: list  # each with the ``document`` and ``revision`` missing_revisions reads


def span_of(lineage: list[Version]) -> Span:
    """The Span of these consecutive stored versions (the lineage index gives it without reading them)."""
    return Span(renames_along(lineage) if len(lineage) > 2 else {}, lineage)


def diff_versions(old: Version, new: Version, span: Span | None = None) -> VersionDiff:
    """Every term of both versions with its status, in the new version's order, removed ones after.

    ``span``: the stored versions from ``old`` to ``new``, through whose
    renames terms are followed; without it, old and new alone.
    """
    old_by_id = {term.id: term for term in old.terms}
    new_ids = {term.id for term in new.terms}
    renames = dict(span.renames) if span else {}
    direct = find_renames(old, new)
    for old_id, new_id in direct.items():
        if old_id not in renames and new_id not in renames.values():
            renames[old_id] = new_id
    renamed_from = {new_id: old_id for old_id, new_id in renames.items() if new_id not in old_by_id}
    entries = []
    for term in new.terms:
        if term.id in old_by_id:
            changes = compare_terms(old_by_id[term.id], term)
            entries.append(TermDiff(term.id, term.term, term.kind, change_status(changes), changes=changes or None))
        elif term.id in renamed_from:
            origin = renamed_from[term.id]
            changes = compare_terms(old_by_id[origin], term)
            entries.append(TermDiff(term.id, term.term, term.kind, "renamed", origin, changes or None))
        else:
            entries.append(TermDiff(term.id, term.term, term.kind, "added"))
    for term in old.terms:
        if term.id not in new_ids and term.id not in renamed_from.values():
            entries.append(TermDiff(term.id, term.term, term.kind, "removed"))
    _mark_shared_changes(entries, new)
    _mark_shared_notes(entries)
    return VersionDiff(old.name, new.name, entries, document_diff_links(old, new),
                       missing_revisions(span.revisions if span else [old, new]))


def _mark_shared_changes(entries: list[TermDiff], new: Version) -> None:
    """Link the entries whose terms share one definition and whose changes are the same."""
    groups: dict[tuple, list[TermDiff]] = {}
    for entry in entries:
        if entry.changes and entry.changes.definition is not None:
            definition = new.by_id(entry.id).definition
            # every aspect but the names must be the same, or showing one would hide the other's
            same = {aspect: value for aspect, value in entry.changes.to_dict().items() if aspect not in ("term", "aliases")}
            key = (definition, repr(same), entry.status)
            groups.setdefault(key, []).append(entry)
    for group in groups.values():
        for entry in group:
            entry.same_change_as = [other.id for other in group if other is not entry]


def _mark_shared_notes(entries: list[TermDiff]) -> None:
    """Give each note change found in several entries' changes the ids of the other entries that have it.

    The entries get copies of their TermChanges: compare_terms's are remembered, and never changed.
    """
    holders: dict[tuple, dict[str, None]] = {}
    for entry in entries:
        for note in entry.changes.notes if entry.changes else ():
            holders.setdefault(note.identity, {})[entry.id] = None
    for entry in entries:
        notes = entry.changes.notes if entry.changes else []
        if any(len(holders[note.identity]) > 1 for note in notes):
            shared = [replace(note, shared_with=[other for other in holders[note.identity] if other != entry.id])
                      for note in notes]
            entry.changes = replace(entry.changes, notes=shared)


@dataclass
class NoteReading:
    """Where a reader is shown the note changes of some diff entries, so that each is read once.

    ``read_once`` makes it from the entries in the order they are shown.
    A note change that several of them have (a shared one, see the module
    docstring) is shown in full under the first (its *host*); the others
    refer to it. An entry whose every change is a shared note change shown
    under an earlier entry is *folded*: not shown on its own, but named
    under the last of those entries ("changed only by the notes above"). An
    entry renamed, or shown together with the terms of its definition
    (``same_change_as``), is never folded.
    """

    hosts: dict[tuple, str]  # note identity -> id of the entry it is shown in full under
    holders: dict[tuple, list[str]]  # note identity -> ids of the entries read that have it, in order
    folded: dict[str, str]  # id of a folded entry -> id of the entry it is named under

    def is_shared(self, note: NoteChange) -> bool:
        """Whether another of the entries read has this note change."""
        return len(self.holders.get(note.identity, ())) > 1

    def host(self, note: NoteChange) -> str | None:
        return self.hosts.get(note.identity)

    def folded_under(self, entry_id: str) -> list[str]:
        """The folded entries named under this one, in the order read."""
        return [folded for folded, host in self.folded.items() if host == entry_id]

    @property
    def note_edits(self) -> int:
        """How many distinct note changes the entries have (a shared one counts once)."""
        return len(self.holders)

    @property
    def shared_note_edits(self) -> int:
        return sum(len(ids) > 1 for ids in self.holders.values())

    def counted(self) -> str:
        """The note edits in words, as the pages and the CLI say them: "13 distinct note edits, 5 shared …"."""
        edits = f"{self.note_edits} distinct note edit{'' if self.note_edits == 1 else 's'}"
        return f"{edits}, {self.shared_note_edits} shared by several terms and shown once"


def read_once(entries: list[TermDiff]) -> NoteReading:
    """The NoteReading of these entries, in the order they are shown (see NoteReading)."""
    holders: dict[tuple, list[str]] = {}
    for entry in entries:
        for note in entry.changes.notes if entry.changes else ():
            ids = holders.setdefault(note.identity, [])
            if entry.id not in ids:
                ids.append(entry.id)
    hosts = {identity: ids[0] for identity, ids in holders.items()}
    position = {entry.id: index for index, entry in enumerate(entries)}
    folded = {}
    for entry in entries:
        change = entry.changes
        if not change or entry.renamed_from or entry.same_change_as or replace(change, notes=[]):
            continue
        note_hosts = [hosts[note.identity] for note in change.notes]
        if entry.id not in note_hosts:
            folded[entry.id] = max(note_hosts, key=position.__getitem__)
    return NoteReading(hosts, holders, folded)


# ------------------------------------------------------------- term history


@dataclass
class HistoryEvent:
    """``event`` is "added" (first appearance), "changed", "editorial", "renamed", "removed" or "re-added".

    ``compared_with`` is the version the change is measured against (the
    term's previous appearance), ``missing_revisions`` the revisions between
    the two that the store does not hold: the change may have been made in any of them.
    """

    version: str
    event: str
    id: str
    term: str
    renamed_from: str | None = None
    changes: TermChange | None = None
    compared_with: str | None = None
    document_diff: dict[str, str] = field(default_factory=dict)
    missing_revisions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        result = {"version": self.version, "event": self.event, "id": self.id, "term": self.term,
                  **_rename_and_changes(self.renamed_from, self.changes)}
        if self.compared_with is not None:
            result["compared_with"] = self.compared_with
            result["document_diff"] = dict(self.document_diff)
        result["missing_revisions"] = list(self.missing_revisions)
        return result


@dataclass
class TermHistory:
    query: str
    id: str  # the id the term last had
    term: str  # the term text it last had
    present_in: list[str]  # names of the versions that define it
    events: list[HistoryEvent]
    # {version: ids of the other terms of that version with the same name}: "defined twice in this version"
    defined_twice: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "id": self.id,
            "term": self.term,
            "present_in": list(self.present_in),
            "defined_twice": {name: list(ids) for name, ids in self.defined_twice.items()},
            "events": [event.to_dict() for event in self.events],
        }


def same_name_terms(version: Version, term: Term) -> list[str]:
    """The ids of the other terms of ``version`` with the same name as ``term`` (a duplicate row)."""
    key = lookup_key(term.term)
    return [other.id for other in version.terms if other is not term and lookup_key(other.term) == key]


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
    defined_twice: dict[str, list[str]] = {}
    last_seen: Term | None = None
    last_index: int | None = None
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
                events.append(HistoryEvent(version.name, "removed", last_seen.id, last_seen.term,
                                           **_measured(versions, last_index, index)))
            continue
        changes = compare_terms(last_seen, term) if last_seen is not None else None
        if last_seen is None:
            event = "added"
        elif not was_in_previous:
            event = "re-added"
        elif renamed_from is not None:
            event = "renamed"
        else:
            event = None if not changes else change_status(changes)
        if event is not None:
            measured = _measured(versions, last_index, index) if last_seen is not None else {}
            events.append(HistoryEvent(version.name, event, term.id, term.term, renamed_from, changes or None,
                                       **measured))
        twins = same_name_terms(version, term)
        if twins:
            defined_twice[version.name] = twins
        present_in.append(version.name)
        last_seen, last_index = term, index
    return TermHistory(term_name, last_seen.id, last_seen.term, present_in, events, defined_twice)


def _measured(versions: list[Version], old_index: int, new_index: int) -> dict:
    """What a history event says of the versions it compares: their names, links, and the gap between."""
    old, new = versions[old_index], versions[new_index]
    return {"compared_with": old.name, "document_diff": document_diff_links(old, new),
            "missing_revisions": missing_revisions(versions[old_index:new_index + 1])}


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
