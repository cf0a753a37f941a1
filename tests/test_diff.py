"""The diff engine: term statuses, word-level definition diffs, renames, history, rendering."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from glossary.diff import (
    diff_versions,
    find_renames,
    term_history,
    word_diff,
)
from glossary.errors import NotFound
from glossary.cli.output import format_diff, format_history
from glossary.model import Section, Term, Version
from support import make_version

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
    """A table row: its definition renders its attributes, as the importers do."""
    definition = "; ".join(f"{column}: {value}" for column, value in attributes.items())
    return term(term_id, definition, kind="device-class", defined_in="table", attributes=attributes)


def statuses(diff) -> dict[str, str]:
    return {entry.id: entry.status for entry in diff.terms}


def entry(diff, term_id: str):
    return next(e for e in diff.terms if e.id == term_id)


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
    assert diff.summary == {"added": 1, "removed": 1, "changed": 0, "renamed": 0, "unchanged": 1}
    assert entry(diff, "kept").changes is None


def test_entries_in_new_order_then_removed_in_old_order():
    old = make_version("v1", term("r1", "x"), term("b"), term("r2", "y"), term("a"))
    new = make_version("v2", term("a"), term("n", "z"), term("b"))
    assert [e.id for e in diff_versions(old, new).terms] == ["a", "n", "b", "r1", "r2"]


def test_source_fragment_defined_in_and_section_anchor_are_not_compared():
    old = term("t", source_fragment="<dt>t</dt>", defined_in="dl")
    new = term("t", source_fragment="<t>t</t>", defined_in="section", section=Section("2.1", SECTION.title, "other"))
    assert statuses(diff_versions(make_version("v1", old), make_version("v2", new))) == {"t": "unchanged"}


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
    assert change.attributes == {
        "Group": {"from": None, "to": "M"},
        "code size (e.g., Flash)": {"from": "~ 250 KiB", "to": "~ 256 KiB"},
    }


def test_a_column_dropped_goes_to_null():
    old = row("s1", Size="13 - 127", Comment="yes")
    new = row("s1", Size="13 - 127")
    change = entry(diff_versions(make_version("v1", old), make_version("v2", new)), "s1").changes
    assert change.attributes == {"Comment": {"from": "yes", "to": None}}


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
    assert set(data) == {"from", "to", "summary", "terms"}
    assert (data["from"], data["to"]) == ("v1", "v2")
    assert data["terms"][1]["changes"]["attributes"] == {
        "RAM": {"from": "10", "to": "12"},
        "Group": {"from": None, "to": "M"},
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
    assert text.splitlines()[0] == "v1 -> v2: 1 added, 0 removed, 2 changed, 0 renamed, 1 unchanged"
    assert "Node (node): changed" in text
    assert "  definition: some [-layer-2-]{+Layer 2+} services may be lacking" in text
    assert "  aliases: +C-Node" in text
    assert '  section: Section 2.1 "Constrained Nodes" -> Section 2.2 "Nodes"' in text
    assert "  RAM: ~ 50 KiB -> ~ 64 KiB" in text
    assert "  Group: (none) -> M" in text
    assert "Gateway (gateway): added" in text
    assert "(same)" not in text
    assert "\x1b[" not in text


def test_format_diff_with_colour_uses_red_and_green():
    diff = diff_versions(make_version("v1", term("node", "old words")), make_version("v2", term("node", "new words")))
    text = format_diff(diff, color=True)
    assert "\x1b[31mold\x1b[0m" in text and "\x1b[32mnew\x1b[0m" in text
    assert "[-" not in text and "{+" not in text


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

    old, new = read("draft-bormann-lwig-7228bis-00"), read("draft-ietf-iotops-7228bis-latest")
    diff = diff_versions(old, new)

    class_2 = entry(diff, "class-2")
    assert class_2.status == "changed"
    assert class_2.changes.attributes["Group"] == {"from": None, "to": "M"}
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
