"""Notes to entry and terms defined in prose: what the document says about a term, whole.

The rules are those of ``importers.terms._ProseRules``; these tests check them
on a document the project has never seen (an RFC-era text fixture), on
every corpus revision by rule, and on the newest revision by the checks a
reviewer makes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import EDITORS_COPY_WITHOUT_COMMIT, FIXTURES, NEWEST, corpus_file
from glossary.cli import main
from glossary.model import NOTE_KINDS, Section
from importers import read_version
from importers.document import DocSection, Document, Prose, Table
from importers.registry import read_document
from importers.terms import extract

RFC_ERA = FIXTURES / "rfc-style-classes.txt"


def notes_of(version, name: str) -> list[str]:
    return [note.text for note in version.find(name).notes]


# --- a document never seen: RFC-era layout ---------------------------------

@pytest.fixture(scope="module")
def rfc_era():
    return read_version(RFC_ERA.read_bytes(), str(RFC_ERA))


def test_table_name_cells_that_wrap_are_one_cell(rfc_era):
    # "Class 0," above "C0" (rows spaced by empty lines), and "E0," above "Ev0" (no spacing)
    rows = [(t.term, t.aliases) for t in rfc_era.terms if t.defined_in == "table"]
    assert rows == [
        ("Class 0", ["C0"]), ("Class 1", ["C1"]), ("Class 2", ["C2"]),
        ("E0", ["Ev0"]), ("E1", ["Pe1"]), ("E9", []),
    ]
    assert rfc_era.find("C2").attributes == {"data size (e.g., RAM)": "~ 50 KiB", "code size (e.g., Flash)": "~ 250 KiB"}
    assert rfc_era.warnings == []


def test_a_paragraph_opening_with_a_name_is_a_note_whole(rfc_era):
    assert (
        "Class 0 widgets are very constrained motes. They are so constrained that they talk to the "
        "network only through a proxy."
    ) in notes_of(rfc_era, "Class 0")
    note = rfc_era.find("Class 0").notes[-1]
    assert (note.kind, note.section.number, note.section.title) == ("explanation", "3", "Classes of Widgets")


def test_a_later_sentence_opening_with_a_name_is_a_note_alone(rfc_era):
    # the name wraps across a line ("Class" / "2"), after a connective
    assert "However, Class 2 widgets are less constrained and run most protocol stacks." in notes_of(rfc_era, "C2")
    assert not any("Class 1 widgets are quite" in text for text in notes_of(rfc_era, "C2"))


def test_a_note_on_two_names_belongs_to_both(rfc_era):
    text = "Class 1 and 2 widgets can be integrated as peers into an IP network."
    assert text in notes_of(rfc_era, "Class 1") and text in notes_of(rfc_era, "Class 2")
    assert text not in notes_of(rfc_era, "Class 0")


def test_caption_legend_and_example(rfc_era):
    legend = 'The energy a widget may spend is classified in Table 2 ("Ex" stands for "Energy class x").'
    for name in ("E0", "E1", "E9"):
        kinds = {note.text: note.kind for note in rfc_era.find(name).notes}
        assert kinds[legend] == "legend" and kinds["Classes of Energy Limitation"] == "caption"
    example = rfc_era.find("E0").notes[-1]
    assert (example.kind, example.text) == ("example", "For example, E0 widgets harvest their energy from a button press.")
    assert "For example" not in " ".join(notes_of(rfc_era, "E1"))


def test_the_list_continuing_a_definition_belongs_to_it(rfc_era):
    assert rfc_era.find("Constrained Widget").notes[0].text == (
        "Constraints may include:\n\n* little memory for state and buffers,\n"
        "* a small amount of energy per day, and\n* no user interface."
    )


def test_prose_terms_of_an_unseen_document(rfc_era):
    kib, mains, gadget = (rfc_era.find(n) for n in ("KiB", "Mains-powered", "constrained gadget"))
    assert (kib.kind, kib.defined_in, kib.aliases, kib.section.number) == ("prose-term", "prose", ["kibibyte"], "1")
    assert mains.definition == '"Mains-powered" is used as a shorthand for being connected to a power grid.'
    assert gadget.related == ["constrained-widget"] and gadget.section.number == "2"


# --- each prose-term form is one rule -----------------------------------------

FORMS = [
    ('In this document, the term "power" stands for electrical power.', "power", []),
    ('"Mains-powered" is used as a shorthand for being on the grid.', "Mains-powered", []),
    ('Memory is counted in "kibibyte", abbreviated "KiB", for 1024 bytes.', "KiB", ["kibibyte"]),
    ("Similarly, MiB stands for 2^20 and GiB for 2^30 bytes.", "GiB", []),
    ('(An alternative term, when the node is not in focus, is "constrained device".)', "constrained device", []),
    ('This document distinguishes "M-group" (microcontroller) from "J-group" (general purpose) devices.',
     "J-group", []),
    ('[RFC6606] distinguishes "power-affluent" nodes (mains-powered) from "power-constrained nodes" that '
     "draw their power from batteries.", "power-constrained", []),
    ('The term "System on a Chip" (SoC) can be used where this hardware is specialized.', "SoC",
     ["System on a Chip"]),
    ('If needed, we distinguish "M-group" (microcontroller) from "J-group" (general purpose) devices.',
     "M-group", []),
    ('Where it is specialized, we may talk about "Systems on a Chip" (SoC).', "SoC", ["Systems on a Chip"]),
]


def test_a_quoted_phrase_before_a_parenthesis_defines_only_the_abbreviation_it_spells():
    sentences = ('See "Terminology for Constrained-Node Networks" (RFC 7228) and "the state" (Section 3). '
                 'It is "a low power radio" (LPR) or "a thing" (XYZ).')
    section = DocSection("2.1", "Terms", "terms", [Prose(sentences)])
    terms = extract(Document("draft-x-00", "X", None, "test", [section])).terms
    assert [(t.term, t.aliases) for t in terms if t.kind == "prose-term"] == []


@pytest.mark.parametrize("sentence, name, aliases", FORMS, ids=[name for _, name, _ in FORMS])
def test_each_prose_form_defines_its_term(sentence, name, aliases):
    section = DocSection("2.1", "Terms", "terms", [Prose(f"Some context first. {sentence} More text follows.")])
    terms = {t.term: t for t in extract(Document("draft-x-00", "X", None, "test", [section])).terms}
    term = terms[name]
    assert (term.kind, term.defined_in, term.aliases) == ("prose-term", "prose", aliases)
    assert term.section == Section("2.1", "Terms", "terms")
    assert term.definition == sentence


def test_a_prose_term_that_is_already_a_term_is_not_defined_again():
    table = Table(header=["Name", "Meaning"], rows=[["KiB", "1024 bytes"]])
    prose = Prose('Sizes are in "kibibyte", abbreviated "KiB", here.')
    section = DocSection("1", "Sizes", None, [table, prose])
    terms = extract(Document("draft-x-00", "X", None, "test", [section])).terms
    assert [t.kind for t in terms] == ["classification"]


def _notes_by_term(blocks, rows=(("S1", "small"), ("S2", "medium"), ("S10", "large"))):
    table = Table(header=["Name", "Meaning"], rows=[list(row) for row in rows], caption=None)
    section = DocSection("5", "Sizes", None, [table, *blocks])
    terms = extract(Document("d-00", "X", None, "test", [section])).terms
    return {t.term: [(n.kind, n.text) for n in t.notes] for t in terms}


def test_nothing_is_attached_by_guesswork():
    notes = _notes_by_term([
        Prose("With respect to S1 technologies, nothing is said here."),  # the name does not open it
        Prose("Unlike S1 technologies, these are not named."),  # set against S1: not about it
        Prose("S10 technologies are large. Over S1 technologies it is quiet."),  # no comma closes the phrase
        Prose("* S1 in a list item opens it\n* another item", "list"),
        Prose("S1 quoted from elsewhere opens a quotation.", "quote"),
    ])
    assert notes["S10"] == [("explanation", "S10 technologies are large. Over S1 technologies it is quiet.")]
    assert notes["S1"] == [("list", "S1 in a list item opens it")]
    assert notes["S2"] == []


def test_a_preposition_phrase_naming_terms_opens_a_text_as_the_names_do():
    notes = _notes_by_term([
        Prose("Over S1 technologies, frames are short. They are sent often."),
        Prose("Sizes vary. However, on S2 links, frames are longer."),
        Prose("* With S10 or higher technologies, frames are long\n* For S1 to S2 class devices, it fits", "list"),
    ])
    assert notes["S1"] == [
        ("explanation", "Over S1 technologies, frames are short. They are sent often."),
        ("list", "For S1 to S2 class devices, it fits"),
    ]
    assert notes["S2"] == [
        ("explanation", "However, on S2 links, frames are longer."),
        ("list", "For S1 to S2 class devices, it fits"),
    ]
    assert notes["S10"] == [("list", "With S10 or higher technologies, frames are long")]


# --- every corpus revision, by rule -------------------------------------------

def _paragraphs(document, with_list_items=False):
    kinds = ("paragraph", "list") if with_list_items else ("paragraph",)
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Prose) and block.kind in kinds:
                for paragraph in block.items():
                    yield section, paragraph


def opening_paragraphs_checked(name, document, version) -> int:
    """Every table row named at the opening of a paragraph ("Class 1 devices are ...") has that paragraph."""
    checked = 0
    rows = [t for t in version.terms if t.defined_in == "table"]
    for section, paragraph in _paragraphs(document):
        for row in rows:
            if re.match(rf"{re.escape(row.term)} [a-z]", paragraph):
                assert paragraph in [n.text for n in row.notes], (name, row.id, paragraph[:60])
                checked += 1
    return checked


PREPOSITION_PHRASE = r"(?:Over|On|With|For|In|At) {name} [a-z]+,"


def preposition_paragraphs_checked(name, document, version) -> int:
    """Every table row named in a preposition phrase opening a paragraph ("Over B3 technologies, ...") has it."""
    checked = 0
    rows = [t for t in version.terms if t.defined_in == "table"]
    for section, paragraph in _paragraphs(document):
        for row in rows:
            if re.match(PREPOSITION_PHRASE.format(name=re.escape(row.term)), paragraph):
                assert paragraph in [n.text for n in row.notes], (name, row.id, paragraph[:60])
                checked += 1
    return checked


def captions_checked(name, document, version) -> int:
    """Every row of a captioned table has the caption."""
    checked = 0
    for section in document.sections:
        for table in (b for b in section.blocks if isinstance(b, Table) and b.caption):
            column = table.header.index("Name") if "Name" in table.header else 0
            for cell in (row[column] for row in table.rows if row[column].strip()):
                row = version.find(cell.split(",")[0].strip())
                assert table.caption in [n.text for n in row.notes if n.kind == "caption"], (name, cell)
                checked += 1
    return checked


def notes_checked(name, document, version) -> int:
    """Every note is canonical text that stands in the section it names."""
    texts: dict[str | None, list[str]] = {}
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Prose):
                texts.setdefault(section.number, []).append(block.text)
            elif isinstance(block, Table) and block.caption:
                texts.setdefault(section.number, []).append(block.caption)
    checked = 0
    for term in version.terms:
        for note in term.notes:
            assert note.kind in NOTE_KINDS
            assert note.text == note.text.strip() and "  " not in note.text
            # a list note may join the paragraph that introduces the list to the list
            parts = note.text.split("\n\n")
            assert all(any(part in text for text in texts[note.section.number]) for part in parts), (
                name, term.id, note.text[:60])
            checked += 1
    return checked


PROSE_FORM_PHRASES = {
    # the phrase that marks the form in running text, and how the form names its term
    "is used as a shorthand for": r'"([^"]+)" is used as a shorthand for',
    "abbreviated": r'abbreviated "([^"]+)"',
    "alternative term": r'alternative term[^"]*is "([^"]+)"',
    "distinguish(es)": r'distinguish(?:es)? "([^"]+)"\S* \(',
    "can be used": r'[Tt]he term "[^"]+" \(([^)]+)\) can be used',
}


def prose_forms_checked(name, document, version, phrase) -> int:
    """Where the text has a prose form, its term is a prose term with the exact section."""
    checked = 0
    for section, paragraph in _paragraphs(document, with_list_items=True):
        for match in re.finditer(PROSE_FORM_PHRASES[phrase], paragraph):
            term = version.find(match.group(1))
            assert term is not None and term.kind == "prose-term", (name, match.group(1))
            assert (term.section.number, term.section.title) == (section.number, section.title)
            assert term.definition in paragraph
            checked += 1
    return checked


@pytest.fixture(scope="module")
def corpus_revisions(corpus, manifest):
    """(name, Document, Version) of every file of every corpus revision, in every format."""
    out = []
    for revision in manifest:
        for fmt in revision["files"]:
            path = corpus_file(corpus, revision, fmt)
            data = path.read_bytes()
            out.append((f"{revision['name']} ({fmt})", read_document(data, str(path)), read_version(data, str(path))))
    return out


def test_every_row_named_at_the_opening_of_a_paragraph_gets_that_paragraph(corpus_revisions):
    assert sum(opening_paragraphs_checked(*revision) for revision in corpus_revisions) >= 16 * 5 * 3


def test_every_row_named_by_a_preposition_phrase_opening_a_paragraph_gets_it(corpus_revisions):
    # "Over B3 technologies, ..." in every revision from bormann-01 on, in each of its formats
    assert sum(preposition_paragraphs_checked(*revision) for revision in corpus_revisions) >= 15 * 3


def test_every_row_of_a_captioned_table_has_its_caption(corpus_revisions):
    assert sum(captions_checked(*revision) for revision in corpus_revisions) > 16 * 20


def test_every_note_is_text_of_the_document_where_it_stands(corpus_revisions):
    assert sum(notes_checked(*revision) for revision in corpus_revisions) > 16 * 30


@pytest.mark.parametrize("phrase", PROSE_FORM_PHRASES)
def test_every_revision_with_a_prose_form_has_its_term_with_the_section(corpus_revisions, phrase):
    assert sum(prose_forms_checked(*revision, phrase) for revision in corpus_revisions) >= 3


# Documents outside the corpus: the RFC-era fixture, and any renders of revisions
# the project has not seen that are collected beside it.
LOCAL_DOCUMENTS = [RFC_ERA, *sorted(p for p in (FIXTURES / "unseen").glob("*") if p.suffix in (".txt", ".xml", ".html"))]


@pytest.mark.parametrize("path", LOCAL_DOCUMENTS, ids=[p.name for p in LOCAL_DOCUMENTS])
def test_the_rules_hold_on_documents_outside_the_corpus(path):
    data = path.read_bytes()
    revision = (path.name, read_document(data, str(path)), read_version(data, str(path)))
    assert opening_paragraphs_checked(*revision) + captions_checked(*revision) + notes_checked(*revision) > 0
    for phrase in PROSE_FORM_PHRASES:
        prose_forms_checked(*revision, phrase)


# --- the newest revision, as a reviewer checks it -------------------------------

@pytest.fixture(scope="module")
def newest_store(tmp_path_factory, revision_file) -> Path:
    store = tmp_path_factory.mktemp("notes") / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "import", str(revision_file(NEWEST))])
    assert result.exit_code == 0, result.output
    return store


def show(store: Path, *args) -> str:
    result = CliRunner().invoke(main, ["--store", str(store), "show", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("term, says", [
    ("class-0", "tiny sensor nodes or tags"),
    ("class-1", "frugal with state memory"),
    ("class-4", "devices are powerful"),
    ("b2", "header compression"),
])
def test_show_json_has_the_explanation(newest_store, term, says):
    record = json.loads(show(newest_store, term, "--json"))
    assert any(says in note["text"] for note in record["notes"])
    assert all(set(note) == {"text", "kind", "section"} for note in record["notes"])


@pytest.mark.parametrize("name, section", [
    ("M-group", "Section 3 (Classes of Constrained (and More Capable) Devices)"),
    ("SoC", "Section 3 (Classes of Constrained (and More Capable) Devices)"),
    ("KiB", "Section 1.1 (Conventions Used in this Document)"),
    ("power-affluent", "Section 2.1 (Constrained Nodes)"),
    ("J-group", "Section 3 (Classes of Constrained (and More Capable) Devices)"),
    ("Mains-powered", "Section 1.1 (Conventions Used in this Document)"),
    ("power-constrained", "Section 2.1 (Constrained Nodes)"),
    ("MiB", "Section 1.1 (Conventions Used in this Document)"),
    ("GiB", "Section 1.1 (Conventions Used in this Document)"),
])
def test_show_answers_for_a_prose_term_with_its_section(newest_store, name, section):
    printed = show(newest_store, name)
    assert "kind: prose-term" in printed
    assert f"defined in: {section}, {EDITORS_COPY_WITHOUT_COMMIT}" in printed


def test_show_prints_the_notes(newest_store):
    printed = show(newest_store, "Class 1")
    assert "Note 3 to entry (explanation, Section 3):\nClass 1 devices are quite constrained" in printed


def test_constrained_device_links_to_constrained_node(newest_store):
    record = json.loads(show(newest_store, "constrained device", "--json"))
    assert record["related"] == ["constrained-node"]
    assert "related: constrained-node" in show(newest_store, "constrained device")


def test_ranges_and_group_bullets_in_the_newest_revision(revision_file):
    version = read_version(revision_file(NEWEST).read_bytes(), NEWEST)

    def holders(opening: str) -> list[str]:
        return [t.id for t in version.terms if any(n.text.startswith(opening) for n in t.notes)]

    assert holders("S1 to S4 technologies") == ["s1", "s2", "s3", "s4"]
    assert holders("S10 or higher technologies") == ["s10", "s11", "s12", "s13", "s14", "s15", "s19"]
    assert holders("Class 3 and 4 devices") == ["class-3", "class-4"]
    assert holders("* if no link layer fragmentation") == [t.id for t in version.terms if t.kind == "mtu-class"]
    m_rows = [t.id for t in version.terms if t.attributes.get("Group") == "M"]
    assert holders("Microcontroller-class devices") == [*m_rows, "m-group"]
    assert holders("Constraints may include:") == ["constrained-network"]
    # later in the section, naming the entry's words: the facets of constraints on nodes
    assert holders("There are multiple facets to the constraints on nodes") == ["constrained-node"]
    lots = [t.id for t in version.terms if "(lots)" in t.attributes.values()]
    assert holders("Note that the classes from 10 upwards") == lots


def reviewer_checks(version) -> None:
    """What a reviewer relies on in any revision of the bis draft, whatever its wording."""
    for name, opening in (("Class 0", "Class 0 devices"), ("Class 1", "Class 1 devices"), ("B2", "B2 technologies")):
        assert any(n.kind == "explanation" and n.text.startswith(opening) for n in version.find(name).notes), name
    for name in ("M-group", "SoC", "KiB", "power-affluent"):
        term = version.find(name)
        assert term is not None and term.kind == "prose-term" and term.section.number, name
    assert version.find("constrained device").related == [version.find("Constrained Node").id]


UNSEEN_DRAFTS = [p for p in LOCAL_DOCUMENTS if "iotops-7228bis" in p.name]


def test_reviewer_checks_on_the_newest_and_on_unseen_revisions(revision_file):
    paths = [revision_file("draft-ietf-iotops-7228bis-07"), revision_file(NEWEST), *UNSEEN_DRAFTS]
    for path in paths:
        reviewer_checks(read_version(path.read_bytes(), str(path)))
