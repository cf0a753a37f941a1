"""The diff engine: term statuses, word-level definition diffs, renames, history, rendering."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from glossary.diff import (
    diff_versions,
    find_renames,
    span_of,
    term_history,
    word_diff,
)
from glossary.errors import NotFound
from glossary.cli.output import format_diff, format_history
from glossary.model import Section, Term, Version
from support import CORPUS_EDITORS_COPY, LEGEND_AFTER, LEGEND_BEFORE, legend_versions, make_version

TEN_WORDS = "a node that lacks power memory and processing of servers"
NINE_WORDS = "one two three four five six seven eight nine"
SECTION = Section("2.1", "Constrained Nodes", "constrained-nodes")


def term(term_id: str, definition: str = TEN_WORDS, **fields) -> Term:
    values = {
        "term": term_id.replace("-", " ").title(),
        "kind": "term",
        "section": SECTION,
        "defined_in": "dl",
    }
    values.update(fields)
    return Term(id=term_id, definition=definition, **values)


def row(term_id: str, **attributes: str) -> Term:
    """A table row: its definition renders its attributes, as the importers do (one cell: its value alone)."""
    filled = {column: value for column, value in attributes.items() if value}
    definition = next(iter(filled.values())) if len(filled) == 1 else "; ".join(
        f"{column}: {value}" for column, value in filled.items())
    return term(term_id, definition, kind="device-class", defined_in="table", attributes=attributes)


def statuses(diff) -> dict[str, str]:
    return {entry.id: entry.status for entry in diff.terms}


def entry(diff, term_id: str):
    return next(e for e in diff.terms if e.id == term_id)


def values(attributes: dict) -> dict:
    """Attribute changes without their word operations: {column: {"from", "to"}}."""
    return {column: {"from": change["from"], "to": change["to"]} for column, change in attributes.items()}


def old_side(ops) -> str:
    return "".join(text for op, text in ops if op in ("equal", "delete"))


def new_side(ops) -> str:
    return "".join(text for op, text in ops if op in ("equal", "insert"))


# ------------------------------------------------------------------ statuses


def test_added_removed_unchanged():
    old = make_version("v1", term("kept"), term("dropped", "gone for good now"))
    new = make_version("v2", term("kept"), term("fresh", "brand new concept here"))
    diff = diff_versions(old, new)
    assert statuses(diff) == {"kept": "unchanged", "fresh": "added", "dropped": "removed"}
    assert diff.summary == {"added": 1, "removed": 1, "changed": 0, "editorial": 0, "renamed": 0, "unchanged": 1}
    assert entry(diff, "kept").changes is None


def test_entries_in_new_order_then_removed_in_old_order():
    old = make_version("v1", term("r1", "x"), term("b"), term("r2", "y"), term("a"))
    new = make_version("v2", term("a"), term("n", "z"), term("b"))
    assert [e.id for e in diff_versions(old, new).terms] == ["a", "n", "b", "r1", "r2"]


def test_source_fragment_and_defined_in_are_not_compared_and_an_anchor_alone_is_editorial():
    old = term("t", source_fragment="<dt>t</dt>", defined_in="dl")
    new = term("t", source_fragment="<t>t</t>", defined_in="section", section=Section("2.1", SECTION.title, "other"))
    # the anchor is markup no reader sees: its change alone is editorial
    assert statuses(diff_versions(make_version("v1", old), make_version("v2", new))) == {"t": "editorial"}


# ---------------------------------------------------------- word-level diff


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a node with limited power", "a node with severely limited power and memory"),
        ("layer-2 services may be lacking.", "Layer 2 (L2) services may be lacking."),
        ("paragraph.\n\n* item one\n* item two", "paragraph, longer.\n\n* item one\n* item 2\n* item three"),
        ("  leading and trailing  ", "leading, trailing"),
        ("", "now defined"),
        ("completely different words", "nothing in common at all"),
    ],
)
def test_word_ops_reconstruct_both_definitions_exactly(old, new):
    ops = word_diff(old, new)
    assert old_side(ops) == old
    assert new_side(ops) == new
    assert all(op in ("equal", "delete", "insert") and text for op, text in ops)
    assert all(ops[i][0] != ops[i + 1][0] for i in range(len(ops) - 1)), "adjacent ops of one type are merged"


def test_replace_is_a_delete_then_an_insert_spanning_the_words_between():
    assert word_diff("a b c", "a x y c") == [("equal", "a "), ("delete", "b"), ("insert", "x y"), ("equal", " c")]


def test_changed_definition_is_reported_as_word_ops():
    old = make_version("v1", term("node", "some layer-2 services may be lacking"))
    new = make_version("v2", term("node", "some Layer 2 services may be lacking"))
    diff = diff_versions(old, new)
    assert statuses(diff) == {"node": "changed"}
    assert diff.to_dict()["terms"][0]["changes"] == {
        "definition": [
            ["equal", "some "],
            ["delete", "layer-2"],
            ["insert", "Layer 2"],
            ["equal", " services may be lacking"],
        ]
    }


# ----------------------------------------------------- other kinds of change


def test_attribute_change_in_one_column_and_a_column_added():
    old = row("class-2", **{"data size (e.g., RAM)": "~ 50 KiB", "code size (e.g., Flash)": "~ 250 KiB"})
    new = row(
        "class-2",
        Group="M",
        **{"data size (e.g., RAM)": "~ 50 KiB", "code size (e.g., Flash)": "~ 256 KiB"},
    )
    change = entry(diff_versions(make_version("v1", old), make_version("v2", new)), "class-2").changes
    assert values(change.attributes) == {
        "Group": {"from": None, "to": "M"},
        "code size (e.g., Flash)": {"from": "~ 250 KiB", "to": "~ 256 KiB"},
    }
    assert change.attributes["code size (e.g., Flash)"]["ops"] == [
        ("equal", "~ "), ("delete", "250"), ("insert", "256"), ("equal", " KiB")]


def test_a_column_dropped_goes_to_null():
    old = row("s1", Size="13 - 127", Comment="yes")
    new = row("s1", Size="13 - 127")
    change = entry(diff_versions(make_version("v1", old), make_version("v2", new)), "s1").changes
    assert values(change.attributes) == {"Comment": {"from": "yes", "to": None}}


def test_alias_added_and_removed():
    old = make_version("v1", term("class-1", aliases=["C1", "Class-1 device"]))
    new = make_version("v2", term("class-1", aliases=["C1", "M1"]))
    diff = diff_versions(old, new)
    assert statuses(diff) == {"class-1": "changed"}
    assert entry(diff, "class-1").changes.to_dict() == {"aliases": {"added": ["M1"], "removed": ["Class-1 device"]}}


def test_section_renumbered():
    moved = Section("2.2", "Constrained Nodes", "constrained-nodes")
    diff = diff_versions(make_version("v1", term("node")), make_version("v2", term("node", section=moved)))
    assert entry(diff, "node").changes.to_dict() == {"section": {"from": SECTION.to_dict(), "to": moved.to_dict()}}


def test_term_text_and_kind_changes():
    old = make_version("v1", term("always-on", term="Always-On", kind="term"))
    new = make_version("v2", term("always-on", term="Always-on", kind="power-strategy"))
    changes = entry(diff_versions(old, new), "always-on").changes.to_dict()
    assert changes == {
        "term": {"from": "Always-On", "to": "Always-on"},
        "kind": {"from": "term", "to": "power-strategy"},
    }


# ------------------------------------------------------------------ renames


def test_near_identical_definition_under_a_new_id_is_a_rename():
    old = make_version("v1", term("node", TEN_WORDS))
    new = make_version("v2", term("device", TEN_WORDS.replace("servers", "hosts")))  # ratio 0.9
    diff = diff_versions(old, new)
    assert [(e.id, e.status, e.renamed_from) for e in diff.terms] == [("device", "renamed", "node")]
    assert diff.summary["renamed"] == 1
    ops = entry(diff, "device").changes.definition
    assert ("delete", "servers") in ops and ("insert", "hosts") in ops
    assert entry(diff, "device").to_dict()["changes"]["term"] == {"from": "Node", "to": "Device"}


def test_identical_rename_has_no_changes_but_the_term_text():
    old = make_version("v1", term("node", term="Thing"))
    new = make_version("v2", term("device", term="Thing"))
    assert diff_versions(old, new).to_dict()["terms"] == [
        {"id": "device", "term": "Thing", "kind": "term", "status": "renamed", "renamed_from": "node"}
    ]


def test_below_the_threshold_is_added_and_removed_not_renamed():
    old = make_version("v1", term("old", NINE_WORDS))
    new = make_version("v2", term("new", NINE_WORDS.replace("nine", "ten")))  # ratio 16/18 = 0.889
    assert statuses(diff_versions(old, new)) == {"new": "added", "old": "removed"}


def test_different_definition_with_a_new_id_is_added_and_removed():
    old = make_version("v1", term("node", "a node that lacks the power of servers"))
    new = make_version("v2", term("gateway", "a device that connects a constrained network to the Internet"))
    assert statuses(diff_versions(old, new)) == {"gateway": "added", "node": "removed"}


def test_rename_needs_the_same_kind():
    old = make_version("v1", term("node", kind="term"))
    new = make_version("v2", term("device", kind="acronym"))
    assert find_renames(old, new) == {}


def test_table_rows_need_identical_attributes():
    old = make_version("v1", row("s2-2", Size=">= 1280", Fragmentation="not needed"))
    same = make_version("v2", row("s10", Size=">= 1280", Fragmentation="not needed"))
    edited = make_version("v2", row("s10", Size="≥ 1280", Fragmentation="not needed"))
    assert find_renames(old, same) == {"s2-2": "s10"}
    assert find_renames(old, edited) == {}


def test_empty_definitions_never_pair():
    assert find_renames(make_version("v1", term("a", "")), make_version("v2", term("b", ""))) == {}


def test_of_two_candidates_the_most_similar_wins_and_the_other_is_added():
    close = TEN_WORDS.replace("servers", "hosts")  # ratio 0.9
    closer = TEN_WORDS + " today"  # ratio 20/21 = 0.95
    old = make_version("v1", term("node", TEN_WORDS))
    new = make_version("v2", term("device", close), term("host", closer))
    assert statuses(diff_versions(old, new)) == {"device": "added", "host": "renamed"}


def test_pairing_is_one_to_one():
    old = make_version("v1", term("a1"), term("a2"))
    new = make_version("v2", term("b"))
    diff = diff_versions(old, new)
    assert [(e.id, e.status, e.renamed_from) for e in diff.terms] == [("b", "renamed", "a1"), ("a2", "removed", None)]


# -------------------------------------------------- filtering and to_dict


def test_filter_by_kind_and_status():
    old = make_version("v1", term("node"), row("c1", RAM="10"), row("c2", RAM="50"))
    new = make_version("v2", term("node", "changed text"), row("c1", RAM="10"), row("c2", RAM="64"), row("c3", RAM="1"))
    diff = diff_versions(old, new)
    assert [e.id for e in diff.filter(kind="device-class").terms] == ["c1", "c2", "c3"]
    assert [e.id for e in diff.filter(status="changed").terms] == ["node", "c2"]
    only = diff.filter(kind="device-class", status="changed")
    assert [e.id for e in only.terms] == ["c2"] and only.summary["changed"] == 1
    with pytest.raises(ValueError):
        diff.filter(status="modified")


def test_to_dict_is_plain_json():
    old = make_version("v1", term("node", aliases=["N"]), row("c1", RAM="10"))
    new = make_version("v2", term("device", aliases=["N", "D"]), row("c1", RAM="12", Group="M"))
    data = diff_versions(old, new).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"from", "to", "summary", "document_diff", "missing_revisions", "terms"}
    assert (data["from"], data["to"]) == ("v1", "v2")
    assert data["terms"][1]["changes"]["attributes"] == {
        "RAM": {"from": "10", "to": "12", "ops": [["delete", "10"], ["insert", "12"]], "editorial": False},
        "Group": {"from": None, "to": "M", "ops": [["insert", "M"]], "editorial": False},
    }


# ------------------------------------------------------------------ history


def test_history_appears_changes_is_removed_and_readded():
    versions = [
        make_version("v0", term("other", "unrelated words entirely here")),
        make_version("v1", term("lln", "a lossy network", aliases=["Low-Power and Lossy Network"])),
        make_version("v2", term("lln", "a lossy network of constrained nodes", aliases=["Low-Power and Lossy Network"])),
        make_version("v3", term("other", "unrelated words entirely here")),
        make_version("v4", term("lln", "a lossy network of nodes", aliases=["Low-Power and Lossy Network"])),
    ]
    history = term_history(versions, "Low-Power and Lossy Network")
    assert history.id == "lln"
    assert history.present_in == ["v1", "v2", "v4"]
    assert [(e.version, e.event) for e in history.events] == [
        ("v1", "added"),
        ("v2", "changed"),
        ("v3", "removed"),
        ("v4", "re-added"),
    ]
    changed, readded = history.events[1], history.events[3]
    assert new_side(changed.changes.definition) == "a lossy network of constrained nodes"
    assert old_side(readded.changes.definition) == "a lossy network of constrained nodes"  # versus v2, not v1
    assert json.loads(json.dumps(history.to_dict())) == history.to_dict()


def test_history_follows_a_rename_from_either_name():
    versions = [
        make_version("v1", term("node", TEN_WORDS)),
        make_version("v2", term("device", TEN_WORDS + " today")),
        make_version("v3", term("device", TEN_WORDS + " today", aliases=["D"])),
        make_version("v4", term("device", TEN_WORDS + " today", aliases=["D"])),
    ]
    for name in ("node", "device", "D"):
        history = term_history(versions, name)
        assert (history.id, history.present_in) == ("device", ["v1", "v2", "v3", "v4"])
        assert [(e.version, e.event, e.id, e.renamed_from) for e in history.events] == [
            ("v1", "added", "node", None),
            ("v2", "renamed", "device", "node"),
            ("v3", "changed", "device", None),
        ]
    assert history.events[2].changes.aliases_added == ["D"]


def test_history_of_an_unknown_term():
    with pytest.raises(NotFound):
        term_history([make_version("v1", term("node"))], "gateway")


# ---------------------------------------------------------------- rendering


def test_format_diff_without_colour():
    old = make_version(
        "v1",
        term("node", "some layer-2 services may be lacking", aliases=["CN"]),
        row("c2", RAM="~ 50 KiB"),
        term("same"),
    )
    new = make_version(
        "v2",
        term("node", "some Layer 2 services may be lacking", aliases=["CN", "C-Node"], section=Section("2.2", "Nodes")),
        row("c2", RAM="~ 64 KiB", Group="M"),
        term("same"),
        term("gateway", "connects things"),
    )
    text = format_diff(diff_versions(old, new), color=False)
    assert text.splitlines()[0] == "v1 -> v2: 1 added, 0 removed, 2 changed, 0 editorial, 0 renamed, 1 unchanged"
    assert "Node (node): changed" in text
    assert "  definition: some [-layer-2-]{+Layer 2+} services may be lacking" in text
    assert "  aliases: +C-Node" in text
    assert '  section: Section 2.1 "Constrained Nodes" -> Section 2.2 "Nodes"' in text
    # a table row's change is shown once, as its cells with word-level marks
    assert "  RAM: ~ [-50-]{+64+} KiB" in text
    assert "  Group: {+M+}" in text
    assert "definition: Group" not in text and "definition: RAM" not in text
    assert "Gateway (gateway): added" in text
    assert "(same)" not in text
    assert "\x1b[" not in text


def test_format_diff_with_colour_keeps_the_marks_in_red_and_green():
    diff = diff_versions(make_version("v1", term("node", "old words")), make_version("v2", term("node", "new words")))
    text = format_diff(diff, color=True)
    # colour adds to the marks, never replaces them
    assert "\x1b[31m[-old-]\x1b[0m" in text and "\x1b[32m{+new+}\x1b[0m" in text


def test_format_history():
    versions = [make_version("v1", term("node", TEN_WORDS)), make_version("v2", term("device", TEN_WORDS + " today"))]
    text = format_history(term_history(versions, "node"))
    assert text.splitlines() == [
        "Device (device): in 2 version(s)",
        "  v1: added (node)",
        "  v2: renamed from node (device)",
        "    term: Node -> Device",
        f"    definition: {TEN_WORDS}{{+ today+}}",
    ]


# -------------------------------------------------------- the real corpus

CORPUS = os.environ.get("GLOSSARY_CORPUS")


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS, reason="GLOSSARY_CORPUS is not set")
def test_real_revisions_rfc7228_edits_to_the_latest_bis():
    from importers import read_version

    def read(name: str) -> Version:
        path = Path(CORPUS) / "xml" / f"{name}.xml"
        return read_version(path.read_bytes(), str(path))

    old, new = read("draft-bormann-lwig-7228bis-00"), read(CORPUS_EDITORS_COPY)
    diff = diff_versions(old, new)

    class_2 = entry(diff, "class-2")
    assert class_2.status == "changed"
    assert values(class_2.changes.attributes)["Group"] == {"from": None, "to": "M"}
    assert class_2.changes.attributes["Examples"]["from"] is None

    j_group_added = [e.id for e in diff.filter(kind="device-class", status="added").terms]
    assert "class-10" in j_group_added

    every_id = {t.id for t in old.terms} | {t.id for t in new.terms}
    covered = [e.id for e in diff.terms] + [e.renamed_from for e in diff.terms if e.renamed_from]
    assert sorted(covered) == sorted(every_id), "each id is accounted for exactly once"
    assert sum(diff.summary.values()) == len(diff.terms) == len(every_id) - diff.summary["renamed"]


def test_punctuation_next_to_a_word_does_not_hide_that_the_word_is_unchanged():
    ops = word_diff("code size: ~ 250 KiB", "code size: ~ 250 KiB; Examples: STM32F103RC")
    assert ops == [("equal", "code size: ~ 250 KiB"), ("insert", "; Examples: STM32F103RC")]


# ------------------------------------------------- editorial, notes, columns

from glossary.diff import compare_terms, editorial_form, pair_notes  # noqa: E402
from glossary.model import Note  # noqa: E402


@pytest.mark.parametrize("before, after", [
    ("a low-power node", "a Low-Power node"),                  # case
    ("3 - 12 bytes", "3 – 12 bytes"),                          # hyphen to en dash
    ("10 -- 10^3", "10 – 10^3"),                               # "--" to en dash
    ('the term "Sx"', "the term ‘Sx’"),                        # quotes
    ("two  words\nwrapped", "two words wrapped"),             # white space
])
def test_a_definition_changed_only_editorially_is_editorial(before, after):
    diff = diff_versions(make_version("v1", term("t", before)), make_version("v2", term("t", after)))
    assert statuses(diff) == {"t": "editorial"}
    assert entry(diff, "t").changes.definition is not None, "the change is still shown"
    assert diff.summary["editorial"] == 1 and diff.substantive_count == 0


@pytest.mark.parametrize("before, after", [
    ("a low-power node", "a low power node"),   # a dash removed is a word change
    ("3 - 12 bytes", "3 - 13 bytes"),
    ("may be used", "must be used"),
])
def test_a_change_of_words_is_changed(before, after):
    assert statuses(diff_versions(make_version("v1", term("t", before)), make_version("v2", term("t", after)))) == {"t": "changed"}


def test_a_section_renumbered_or_retitled_by_case_is_editorial_retitled_in_words_is_changed():
    old = term("t", section=Section("3.2", "Isolation functionality", "iso"))
    for section, status in ((Section("3.3", "Isolation functionality", "iso"), "editorial"),
                            (Section("3.2", "Isolation Functionality", "iso"), "editorial"),
                            (Section("3.2", "Isolation Capabilities", "iso"), "changed")):
        assert statuses(diff_versions(make_version("v1", old), make_version("v2", term("t", section=section)))) == {"t": status}


def test_a_column_heading_renamed_at_the_same_position_is_one_column_renamed():
    old = row("s0", **{"L2 MTU size (bytes)": "3 - 12", "upgradeability": "none"})
    new = row("s0", **{"L2 MTU Size (bytes)": "3 - 12", "upgradability": "none"})
    change = compare_terms(old, new)
    assert change.renamed_attributes == {"L2 MTU size (bytes)": "L2 MTU Size (bytes)",
                                         "upgradeability": "upgradability"}
    assert change.attributes == {}, "same values: nothing removed, nothing added"
    assert not change.editorial, "upgradeability -> upgradability is more than case"

    by_case = compare_terms(row("s0", **{"L2 MTU size (bytes)": "3 - 12"}), row("s0", **{"L2 MTU Size": "3 - 12"}))
    assert by_case.renamed_attributes == {"L2 MTU size (bytes)": "L2 MTU Size"}
    shortened = compare_terms(row("s0", **{"L2 MTU size": "3 - 12", "Comment": "x"}),
                              row("s0", **{"Size": "3 – 12", "Comment": "x"}))
    assert shortened.renamed_attributes == {"L2 MTU size": "Size"}
    assert values(shortened.attributes) == {"Size": {"from": "3 - 12", "to": "3 – 12"}}


def test_a_heading_case_change_alone_is_editorial():
    old, new = row("s0", **{"L2 MTU size (bytes)": "3 - 12"}), row("s0", **{"L2 MTU Size (bytes)": "3 - 12"})
    assert statuses(diff_versions(make_version("v1", old), make_version("v2", new))) == {"s0": "editorial"}


def test_unlike_columns_or_columns_at_other_positions_are_not_renamed():
    change = compare_terms(row("b3", Comment="x", Rate="1"), row("b3", Rate="1", **{"Header compression": "x"}))
    assert change.renamed_attributes == {}
    assert set(change.attributes) == {"Header compression", "Comment"}


def test_an_empty_cell_and_a_missing_cell_are_the_same():
    old = term("e0", "x", kind="energy-class", defined_in="table", attributes={"Type": "x", "Examples": ""})
    new = term("e0", "x", kind="energy-class", defined_in="table", attributes={"Type": "x"})
    assert statuses(diff_versions(make_version("v1", old), make_version("v2", new))) == {"e0": "unchanged"}


def note(text: str, kind: str = "explanation", section: Section = SECTION) -> Note:
    return Note(text, kind, section)


def test_a_note_changed_added_or_removed_changes_the_term():
    old = term("c1", notes=[note("Class 1 devices need to be parsimonious with state memory."),
                            note("A caption", "caption")])
    new = term("c1", notes=[note("Class 1 devices need to be frugal with state memory."),
                            note("Sx stands for Size x", "legend")])
    diff = diff_versions(make_version("v1", old), make_version("v2", new))
    assert statuses(diff) == {"c1": "changed"}
    notes = entry(diff, "c1").changes.to_dict()["notes"]
    assert [(n["status"], n["kind"]) for n in notes] == [("changed", "explanation"), ("added", "legend"),
                                                         ("removed", "caption")]
    assert ["delete", "parsimonious"] in notes[0]["text"] and ["insert", "frugal"] in notes[0]["text"]
    assert notes[1]["text"] == [["insert", "Sx stands for Size x"]]
    assert notes[2]["text"] == [["delete", "A caption"]]


def test_notes_pair_by_kind_and_similarity_not_by_order():
    old = [note("S0 technologies require fragmentation."), note("S10 or higher need none at all.")]
    new = [note("S10 or higher technologies need no fragmentation at all."), note("S0 technologies require fragmentation.")]
    pairs = pair_notes(old, new)
    assert (old[1], new[0]) in pairs and (old[0], new[1]) in pairs


def test_a_rewritten_note_alone_of_its_kind_is_paired_unlike_ones_among_many_are_not():
    alone = pair_notes([note("Constraints may include: x", "list")], [note("Quite other words now", "list")])
    assert alone == [(alone[0][0], alone[0][1])] and None not in alone[0]
    many = pair_notes([note("alpha beta gamma"), note("delta epsilon zeta")],
                      [note("one two three"), note("four five six")])
    assert all(None in pair for pair in many)


def test_a_note_changed_only_editorially_keeps_the_term_editorial():
    old = term("b2", notes=[note("B2 technologies - header compression")])
    new = term("b2", notes=[note("B2 Technologies – header compression")])
    assert statuses(diff_versions(make_version("v1", old), make_version("v2", new))) == {"b2": "editorial"}


def test_editorial_form_sets_aside_case_dashes_quotes_and_space_only():
    assert editorial_form("A “Low-Power”\n node") == editorial_form('a "low–power" node')
    assert editorial_form("low-power") != editorial_form("low power")


def test_terms_sharing_a_definition_and_its_change_name_each_other_and_are_shown_once():
    old = make_version("v1", term("lowpan", "a low-power network"), term("6lowpan", "a low-power network"))
    new = make_version("v2", term("lowpan", "a lossy low-power network"), term("6lowpan", "a lossy low-power network"))
    diff = diff_versions(old, new)
    assert entry(diff, "lowpan").same_change_as == ["6lowpan"] and entry(diff, "6lowpan").same_change_as == ["lowpan"]
    text = format_diff(diff)
    assert text.count("lossy") == 1 and "{+" in text
    assert "Lowpan (lowpan) and 6Lowpan (6lowpan): changed" in text


def test_a_diff_over_a_lineage_follows_renames_step_by_step_as_the_history_does():
    v1 = make_version("v1", row("s2", Size="128 - 1279"), row("s2-2", Size=">= 1280"))
    v2 = make_version("v2", row("s2", Size="128 - 1279"), row("s3", Size=">= 1280"))
    v3 = make_version("v3", row("s2", Size="128 - 1279"), row("s3", Size="≥ 1280", Example="Ethernet"))
    across = diff_versions(v1, v3, span_of([v1, v2, v3]))
    assert entry(across, "s3").status == "renamed" and entry(across, "s3").renamed_from == "s2-2"
    history = term_history([v1, v2, v3], "s3")
    assert [(e.version, e.event, e.id) for e in history.events] == [
        ("v1", "added", "s2-2"), ("v2", "renamed", "s3"), ("v3", "changed", "s3")]
    assert statuses(diff_versions(v1, v3)) == {"s2": "unchanged", "s3": "added", "s2-2": "removed"}


def test_a_history_says_where_a_name_is_defined_twice():
    v1 = make_version("v1", row("s2", Size="128 - 1279"), term("s2-2", ">= 1280", term="S2"))
    v2 = make_version("v2", row("s2", Size="128 - 1279"))
    history = term_history([v1, v2], "S2")
    assert history.defined_twice == {"v1": ["s2-2"]}
    assert "v1: defined twice in this version (also as s2-2)" in format_history(history)


def test_white_space_next_to_a_mark_is_editorial_between_words_it_is_not():
    assert editorial_form("*if no fragmentation") == editorial_form("* if no fragmentation")
    assert editorial_form("3 - 12") == editorial_form("3–12")
    assert editorial_form("not able") != editorial_form("notable")


def test_terms_sharing_a_definition_but_not_all_changes_are_shown_apart():
    old = make_version("v1", term("lowpan", "a low-power network"), term("6lowpan", "a low-power network"))
    new = make_version("v2", term("lowpan", "a lossy low-power network"),
                       term("6lowpan", "a lossy low-power network", notes=[Note("For IPv6.", "explanation", SECTION)]))
    diff = diff_versions(old, new)
    assert entry(diff, "lowpan").same_change_as == [] and entry(diff, "6lowpan").same_change_as == []
    assert "For IPv6." in format_diff(diff)


def test_a_legend_shared_by_three_rows_is_one_note_change_that_each_row_keeps():
    old, new = legend_versions()
    diff = diff_versions(old, new)
    assert statuses(diff) == {"s0": "changed", "s1": "changed", "s2": "changed"}, "a note is part of each term"
    assert diff.summary["changed"] == 3
    rows = {e["id"]: e for e in diff.to_dict()["terms"]}
    for row_id, others in (("s0", ["s1", "s2"]), ("s1", ["s0", "s2"]), ("s2", ["s0", "s1"])):
        [legend] = rows[row_id]["changes"]["notes"]
        assert (old_side(legend["text"]), new_side(legend["text"])) == (LEGEND_BEFORE, LEGEND_AFTER)
        assert legend["shared_with"] == others
    assert rows["s1"]["changes"]["attributes"]["Size"]["to"] == "11 - 255"


def test_a_shared_note_change_is_printed_once_naming_every_row_it_changes():
    diff = diff_versions(*legend_versions())
    text = format_diff(diff)
    lines = text.splitlines()
    assert text.count("[-stands-]{+is short+}") == 1
    assert "  1 distinct note edit, 1 shared by several terms and shown once" in lines
    assert "S0 (s0): changed" in lines and "    also in: S1, S2" in lines
    # S1 changed its cell too: it is shown, and its legend points to where the change is read
    assert "S1 (s1): changed" in lines and "  Size: 11 - [-127-]{+255+}" in lines
    assert "  note (legend, Section 5.1) changed: as under S0 (s0)" in lines
    # S2 changed by the legend alone: named, not shown again
    assert "S2 (s2): changed" not in lines and "  changed only by the notes above: S2" in lines


def test_a_shared_note_change_of_one_term_shown_alone_names_the_terms_left_out():
    diff = diff_versions(*legend_versions())
    text = format_diff(diff.with_terms([entry(diff, "s1")]))
    assert text.count("[-stands-]{+is short+}") == 1
    assert "    also in, not listed here: s0, s2" in text.splitlines()


def test_note_changes_alike_in_words_but_not_in_section_or_kind_are_not_shared():
    other = Section("5.2", "Classes of Bit Rate", "bit-rate")
    before, after = "These classes are rough.", "These classes are very rough."
    old = make_version("v1", term("a", notes=[note(before)]), term("b", "one two", notes=[note(before, section=other)]),
                       term("c", "three four", notes=[note(before, kind="legend")]))
    new = make_version("v2", term("a", notes=[note(after)]), term("b", "one two", notes=[note(after, section=other)]),
                       term("c", "three four", notes=[note(after, kind="legend")]))
    diff = diff_versions(old, new)
    assert all(not n.shared_with for e in diff.terms for n in e.changes.notes)
    assert format_diff(diff).count("{+very +}") == 3


def test_terms_sharing_a_definition_show_the_note_they_share_once_with_no_other_terms_named():
    notes = {"old": [note("For IPv6 over LoWPANs.")], "new": [note("For IPv6 over lossy LoWPANs.")]}
    old = make_version("v1", term("lowpan", "a low-power network", notes=notes["old"]),
                       term("6lowpan", "a low-power network", notes=notes["old"]))
    new = make_version("v2", term("lowpan", "a lossy low-power network", notes=notes["new"]),
                       term("6lowpan", "a lossy low-power network", notes=notes["new"]))
    diff = diff_versions(old, new)
    assert entry(diff, "lowpan").same_change_as == ["6lowpan"]
    assert entry(diff, "lowpan").changes.notes[0].shared_with == ["6lowpan"]
    text = format_diff(diff)
    assert text.count("{+lossy +}LoWPANs") == 1 and "also in" not in text


def test_the_history_of_one_term_carries_no_shared_note_marks():
    old, new = legend_versions()
    diff_versions(old, new)  # a diff made first does not change what a history is given
    history = term_history([old, new], "S2")
    [changed] = [event for event in history.events if event.event == "changed"]
    assert [set(n) for n in changed.to_dict()["changes"]["notes"]] == [{"status", "kind", "text", "section",
                                                                        "editorial"}]
    assert "as under" not in format_history(history) and format_history(history).count("{+is short+}") == 1


def test_remembered_word_diffs_equal_fresh_ones_for_every_pair_of_corpus_versions(corpus_store):
    """Word diffs are kept by the content hashes of the two texts: asking again answers the same."""
    from glossary.diff import compute_word_diff

    versions = corpus_store.load_versions()
    definitions = {term.id: [] for v in versions for term in v.terms}
    for v in versions:
        for t in v.terms:
            definitions[t.id].append(t.definition)
    pairs = {(old, new) for texts in definitions.values() for old in texts for new in texts if old != new}
    assert len(pairs) > 100
    for old, new in sorted(pairs):
        first = word_diff(old, new)
        assert first == compute_word_diff(old, new)
        first.append(("insert", "changed by the caller"))  # an answer given away is the caller's to change
        assert word_diff(old, new) == compute_word_diff(old, new)


def test_remembered_term_comparisons_equal_fresh_ones_for_every_pair_of_corpus_appearances(corpus_store):
    """Comparisons are kept by the content digests of the two appearances: asking again answers the same."""
    from glossary.diff import compare_terms, compute_term_change

    appearances: dict[str, list[Term]] = {}
    for version in corpus_store.load_versions():
        for found in version.terms:
            appearances.setdefault(found.id, []).append(found)
    compared = 0
    for found in appearances.values():
        for old in found:
            for new in found:
                assert compare_terms(old, new) == compute_term_change(old, new), (old.id, old.term, new.term)
                compared += 1
    assert compared > 1000


def test_a_comparison_is_remembered_for_what_it_reads_and_nothing_else():
    """Two appearances differing only in id or source read alike; any aspect a diff compares tells them apart."""
    base = term("c1", "a device", attributes={"RAM": "~ 10 KiB"}, notes=[note("Class 1 devices are small.")])
    same = replace(base, id="class-1", source_fragment="<dt>Class 1</dt>")
    assert same.content_digest == base.content_digest
    changed = [
        {"term": "Class 1 device"}, {"kind": "energy-class"}, {"definition": "a small device"},
        {"section": Section("3.1", "Classes of Constrained Devices")}, {"aliases": ["C1"]},
        {"attributes": {"RAM": "~ 10 KiB", "Flash": "~ 100 KiB"}},
        {"notes": [note("Class 1 devices are quite small.")]},
    ]
    for aspect in changed:
        assert replace(base, **aspect).content_digest != base.content_digest, aspect


def test_remembered_diffs_of_definitions_near_the_size_limit_stay_within_their_byte_budgets():
    """The largest definitions an import takes, in the widest characters (one character outside the BMP
    makes a text 4 bytes a character). What a comparison is counted covers the memory it holds; however
    many pairs are compared, each memo holds at most its budget, and its answers equal fresh ones."""
    import gc
    import tracemalloc

    from glossary import diff
    from glossary.diff import compute_term_change, compute_word_diff
    from glossary.limits import MAX_DEFINITION_CHARS
    from glossary.store import Store, embedded_store

    longest = max((t for v in Store(embedded_store()).load_versions() for t in v.terms),
                  key=lambda t: len(t.definition))
    body = "\U0001d43e " + "\n\n".join([longest.definition] * (MAX_DEFINITION_CHARS // len(longest.definition) + 1))
    body = body[:MAX_DEFINITION_CHARS - 40]

    def pair(number: int) -> tuple[Term, Term]:
        """Revision ``number`` of the definition and the next one: a word changed near its start."""
        old, new = (replace(longest, definition=f"Revision {n} of the text. {body}") for n in (number, number + 1))
        assert len(new.definition) <= MAX_DEFINITION_CHARS
        return old, new

    memos = {"word diffs": (diff._word_diffs, diff.WORD_DIFFS_BYTES),
             "comparisons": (diff._term_changes, diff.TERM_CHANGES_BYTES)}
    for memo, _ in memos.values():
        memo.clear()  # what other tests left there would be given up for the first values
    # One comparison, traced: the memory it leaves held is no more than what the memos count for it.
    old, new = pair(-1)
    used_before = {name: memo.used for name, (memo, _) in memos.items()}
    tracemalloc.start()
    try:
        traced_before = tracemalloc.get_traced_memory()[0]
        diff.compare_terms(old, new)
        del old, new
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - traced_before
    finally:
        tracemalloc.stop()
    counted = {name: memo.used - used_before[name] for name, (memo, _) in memos.items()}
    assert min(counted.values()) > len(body) * 4, counted  # both kept, at 4 bytes a character
    assert held <= sum(counted.values()), (held, counted)

    count = 2 * max(budget // counted[name] for name, (_, budget) in memos.items())  # each memo filled twice over
    for number in range(count):
        diff.compare_terms(*pair(number))
        for name, (memo, budget) in memos.items():
            assert memo.used <= budget, name
    for name, (memo, budget) in memos.items():
        assert memo.used > budget - 2 * counted[name], name  # full of these large values, not refusing them
    for number in (0, count // 2, count - 1):  # long forgotten, and just kept
        old, new = pair(number)
        assert diff.compare_terms(old, new) == compute_term_change(old, new)
        assert diff.word_diff(old.definition, new.definition) == compute_word_diff(old.definition, new.definition)


def test_remembered_diffs_of_short_texts_are_counted_at_least_the_memory_they_hold():
    """Many small values: the memo's own bookkeeping of each is counted too."""
    import gc
    import tracemalloc

    from glossary import diff

    pairs = [(f"a node of class {n}", f"a device of class {n + 1}") for n in range(3000)]
    diff._word_diffs.clear()  # else a memo already full would give up values for these
    used_before = diff._word_diffs.used
    tracemalloc.start()
    try:
        traced_before = tracemalloc.get_traced_memory()[0]
        for old, new in pairs:
            diff.word_diff(old, new)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - traced_before
    finally:
        tracemalloc.stop()
    counted = diff._word_diffs.used - used_before
    assert 0 < held <= counted, (held, counted)


def test_editorial_forms_of_long_texts_are_kept_within_their_byte_budget():
    """Texts as long as an import takes, in the widest characters: however many, what is kept stays
    within the budget, and the forms equal fresh ones."""
    from glossary import diff
    from glossary.limits import MAX_DEFINITION_CHARS

    diff._long_forms.clear()
    text = ("\U0001d43e Low\u2013Power  “Node” " * MAX_DEFINITION_CHARS)[:MAX_DEFINITION_CHARS - 20]
    texts = [f"{number} {text}" for number in range(2 * diff.LONG_FORMS_BYTES // (8 * len(text)) + 2)]
    for kept in texts:
        assert diff.editorial_form(kept) == diff.compute_editorial_form(kept)
        assert diff._long_forms.used <= diff.LONG_FORMS_BYTES
    assert diff._long_forms.used > diff.LONG_FORMS_BYTES // 2  # kept while there is room, not refused
    assert diff.editorial_form(texts[0]) == diff.compute_editorial_form(texts[0])
