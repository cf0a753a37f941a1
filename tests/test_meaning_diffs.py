"""What a term means, whole: the diffs a reviewer reads between real revisions.

On the committed store (which test_store_build proves is the corpus
imported) and on the unseen revisions of the draft (tests/fixtures/unseen),
which the rules were not written against. The expectations come from reading
the documents: the paragraphs and lists the issue names, the edits made
between the revisions.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from glossary.catalog import Catalog
from glossary.cli import main
from glossary.diff import compare_terms, diff_versions, editorial_form
from glossary.store import Store, embedded_store
from importers import read_version
from support import FIXTURES, OLDEST, SEVEN

UNSEEN = FIXTURES / "unseen"
IOTOPS_02, IOTOPS_03 = "draft-ietf-iotops-7228bis-02", "draft-ietf-iotops-7228bis-03"
LWIG_00, LWIG_01 = "draft-ietf-lwig-7228bis-00", "draft-ietf-lwig-7228bis-01"


def glossary(*args: str) -> CliRunner:
    return CliRunner().invoke(main, ["--store", str(embedded_store()), *args])


def diff_json(old: str, new: str) -> dict:
    result = glossary("diff", old, new, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def entries(diff: dict) -> dict[str, dict]:
    return {entry["id"]: entry for entry in diff["terms"]}


def inserted(note_change: dict) -> str:
    return " ".join(text for op, text in note_change["text"] if op == "insert")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


# --- the done-when checks on the corpus ---------------------------------------------


def test_the_notes_edited_after_07_make_their_terms_changed():
    terms = entries(diff_json(SEVEN, "latest"))
    for term_id in ("class-1", "constrained-network", "b2", "s10"):
        assert terms[term_id]["status"] == "changed", term_id
        assert terms[term_id]["changes"]["notes"], term_id
    notes = {term_id: terms[term_id]["changes"].get("notes", []) for term_id in terms if "changes" in terms[term_id]}
    # the new item of the list of constraints under Constrained Network
    assert "unusually high latency" in " ".join(inserted(n) for n in notes["constrained-network"])
    # the Class 1 paragraph: the protocol-stack wording
    assert "parsimonious use of resources" in " ".join(inserted(n) for n in notes["class-1"])
    # a note changed is shown by its words, not as the whole paragraph replaced
    [class_1] = [n for n in notes["class-1"] if n["kind"] == "explanation"]
    op, text = class_1["text"][0]
    assert op == "equal" and text.startswith("Class 1 devices are quite constrained in code space")


def first_change(ops: list) -> str:
    """A note change's first run of changed words as the CLI marks them, with up to 30 characters either side
    (on their own lines)."""
    start = next(index for index, (op, _) in enumerate(ops) if op != "equal")
    end = next((index for index in range(start, len(ops)) if ops[index][0] == "equal"), len(ops))
    before = ops[start - 1][1].split("\n")[-1][-30:] if start else ""
    marked = "".join(f"[-{text}-]" if op == "delete" else f"{{+{text}+}}" for op, text in ops[start:end])
    after = ops[end][1].split("\n")[0][:30] if end < len(ops) else ""
    return before + marked + after


def test_a_note_edit_after_07_is_printed_once_and_every_changed_term_is_still_named(catalog):
    diff = diff_json(SEVEN, "latest")
    edits: dict[str, list[str]] = {}  # the note change without shared_with -> the terms that have it
    for entry in diff["terms"]:
        for note in entry.get("changes", {}).get("notes", []):
            alike = {aspect: value for aspect, value in note.items() if aspect != "shared_with"}
            edits.setdefault(json.dumps(alike, sort_keys=True), []).append(entry["id"])
    shared = {key: ids for key, ids in edits.items() if len(ids) > 1}
    # the legend under the MTU table belongs to every row; the M-group bullet to every M row and to M-group
    rows = [term.id for term in catalog.version("latest").terms if term.kind == "mtu-class"]
    legends = [ids for key, ids in shared.items() if json.loads(key)["kind"] == "legend"]
    assert legends == [rows]
    [m_bullet] = [ids for key, ids in shared.items() if "Microcontroller-class devices" in key]
    assert m_bullet == ["class-0", "class-1", "class-2", "class-3", "class-4", "m-group"]
    # the JSON of every term carries each of its note changes, naming the other terms that have it
    for key, ids in edits.items():
        for term_id in ids:
            [entry] = [e for e in diff["terms"] if e["id"] == term_id]
            [note] = [n for n in entry["changes"]["notes"] if json.dumps(
                {a: v for a, v in n.items() if a != "shared_with"}, sort_keys=True) == key]
            assert note.get("shared_with", []) == [other for other in ids if other != term_id]

    text = glossary("diff", SEVEN, "latest").stdout
    printed = re.sub(r"\n +", "\n", text)
    marks = {key: re.sub(r"\n +", "\n", first_change(json.loads(key)["text"])) for key in edits}
    assert len(set(marks.values())) == len(edits), "each edit told apart by its first change"
    for key, mark in marks.items():
        assert printed.count(mark) == 1, (edits[key], mark)
    assert f"  {len(edits)} distinct note edits, {len(shared)} shared by several terms and shown once" in text
    # every term not unchanged is named: shown with its changes, or under the notes that are its only change
    lines = text.splitlines()
    headed = {line.split(" (")[0] for line in lines if not line.startswith(" ") and ": " in line}
    listed = {name for line in lines if line.startswith("  changed only by the notes above: ")
              for name in line.split(": ", 1)[1].split(", ")}
    assert headed | listed >= {e["term"] for e in diff["terms"] if e["status"] != "unchanged"}
    assert diff["summary"]["changed"] == 29, "each term it belongs to is still changed"


def test_the_history_of_a_row_sharing_the_legend_reports_its_own_change_alone(catalog):
    """What a history says of S1's change after -07 is the diff's, without the terms it shares it with."""
    [event] = [e for e in catalog.history("s1").to_dict()["events"] if e.get("compared_with") == SEVEN]
    in_diff = next(e for e in diff_json(SEVEN, "latest")["terms"] if e["id"] == "s1")["changes"]["notes"]
    assert event["changes"]["notes"] == [{a: v for a, v in n.items() if a != "shared_with"} for n in in_diff]
    assert all("shared_with" in n for n in in_diff)
    assert "as under" not in glossary("history", "s1").stdout


def test_section_title_case_and_an_anchor_alone_are_editorial_not_changed():
    diff = diff_json(IOTOPS_02, IOTOPS_03)
    terms = entries(diff)
    for term_id in ("i0", "i1", "i9", "is0", "sh0", "s1"):
        assert terms[term_id]["status"] == "editorial", term_id
    assert diff["summary"]["editorial"] >= 6
    # what is counted as changed has a change in substance: none of them is only section case
    for entry in diff["terms"]:
        if entry["status"] == "changed":
            assert set(entry["changes"]) != {"section"} or (
                editorial_form(entry["changes"]["section"]["from"]["title"])
                != editorial_form(entry["changes"]["section"]["to"]["title"])), entry["id"]


def test_a_hyphen_becoming_an_en_dash_is_editorial(catalog):
    """In ietf-lwig-01 the ranges of Tables 9 and 12 ("3 - 12", "10 -- 10^3") take an en dash."""
    old, new = catalog.version(LWIG_00), catalog.version(LWIG_01)
    dashed = []
    for term in new.terms:
        before = old.by_id(term.id)
        if before is None or before.attributes == term.attributes:
            continue
        change = compare_terms(before, term)
        if any("–" in values["to"] and "–" not in values["from"] for values in change.attributes.values()
               if values["from"] and values["to"]):
            dashed.append(term.id)
            assert all(values["editorial"] for values in change.to_dict()["attributes"].values()), term.id
            # without the notes (the table gained a caption in -01), the term's change is editorial
            assert compare_terms(replace(before, notes=[]), replace(term, notes=[])).editorial, term.id
    assert {"s0", "s1", "s2", "b1", "b2"} <= set(dashed)


def test_the_second_s2_of_bormann_00_is_s3_in_the_diff_and_in_the_history():
    terms = entries(diff_json(OLDEST, "latest"))
    assert "s2-2" not in terms, "not removed"
    assert terms["s3"]["status"] == "renamed" and terms["s3"]["renamed_from"] == "s2-2"
    history = json.loads(glossary("history", "s3", "--json").stdout)
    assert history["events"][0]["id"] == "s2-2" and history["events"][0]["version"] == OLDEST
    assert [e["renamed_from"] for e in history["events"] if e["event"] == "renamed"] == ["s2-2"]


def test_s2_is_defined_twice_in_bormann_00_to_05():
    shown = glossary("show", "S2", "--version", OLDEST)
    assert "defined twice in this version: also as s2-2" in shown.stdout
    assert "defined twice" not in glossary("show", "S2").stdout
    history = json.loads(glossary("history", "S2", "--json").stdout)
    twice = [name for name, names in history["defined_twice"].items() if names == ["s2-2"]]
    assert twice == [f"draft-bormann-lwig-7228bis-0{n}" for n in (0, 1, 2, 4, 5)]
    text = glossary("history", "S2").stdout
    assert f"{OLDEST}: defined twice in this version (also as s2-2)" in text


# --- every change links to the whole documents -------------------------------------


def test_a_diff_links_the_whole_document_diffs_of_its_two_revisions():
    published = diff_json(IOTOPS_03, SEVEN)
    assert published["document_diff"]["iddiff"] == (
        f"https://author-tools.ietf.org/iddiff?url1={IOTOPS_03}&url2={SEVEN}")
    manifest_commits = {v.name: v.source.commit for v in Store(embedded_store()).load_versions()}
    assert published["document_diff"]["source"] == (
        "https://github.com/lwig-wg/terminology/compare/"
        f"{manifest_commits[IOTOPS_03]}...{manifest_commits[SEVEN]}")
    assert published["missing_revisions"] == [f"draft-ietf-iotops-7228bis-0{n}" for n in (4, 5, 6)]
    editors_copy = diff_json(SEVEN, "latest")
    assert set(editors_copy["document_diff"]) == {"source"}, "the editor's copy is in no archive"
    assert editors_copy["missing_revisions"] == []

    text = glossary("diff", IOTOPS_03, SEVEN, "--term", "s10").stdout
    assert "revisions not in the store: -04, -05, -06" in text
    assert f"whole-document diff: https://author-tools.ietf.org/iddiff?url1={IOTOPS_03}&url2={SEVEN}" in text


def test_every_store_version_of_the_corpus_records_its_source_commit(catalog):
    assert all(version.source.commit for version in catalog.lineage())


def test_each_history_event_links_the_diff_of_the_revisions_it_compares():
    history = json.loads(glossary("history", "sh9", "--json").stdout)
    for event in history["events"][1:]:
        assert event["compared_with"] and event["document_diff"]["source"].startswith(
            "https://github.com/lwig-wg/terminology/compare/"), event
    [seven] = [e for e in history["events"] if e["version"] == SEVEN]
    assert seven["missing_revisions"] == [f"draft-ietf-iotops-7228bis-0{n}" for n in (4, 5, 6)]


# --- the same checks on revisions never seen --------------------------------------


def unseen(name: str):
    [path] = UNSEEN.glob(f"*{name}*.txt")
    return read_version(path.read_bytes(), str(path))


@pytest.mark.parametrize("name", ["collecting-post08-nits", "post-09"])
def test_unseen_revisions_after_07_show_the_edited_notes_as_changes(catalog, name):
    """Both were made after -07 (19 June, 6 July 2026) and carry the edits of the notes the issue names."""
    diff = diff_versions(catalog.version(SEVEN), unseen(name))
    terms = {entry.id: entry for entry in diff.terms}
    for term_id in ("class-1", "constrained-network", "b2", "s10"):
        assert terms[term_id].status == "changed", term_id
        assert terms[term_id].changes.notes, term_id
    # I0/I1/I9 did not change after -07: read from text, only their section's XML anchor is gone
    for term_id in ("i0", "i1", "i9"):
        assert terms[term_id].status == "editorial", term_id


def test_an_unseen_revision_s_section_title_case_is_editorial(catalog):
    """more-mtu (13 March 2026) titles Section 5.3 "Classes of physical layer bit rate"; -07 capitalises it
    and, of that section's notes, rewords only the B0 paragraph (the reference to [STD7])."""
    more_mtu = unseen("more-mtu")
    assert more_mtu.find("B1").section.title == "Classes of physical layer bit rate"
    terms = {entry.id: entry for entry in diff_versions(more_mtu, catalog.version(SEVEN)).terms}
    assert [terms[b].status for b in ("b0", "b1", "b2", "b3")] == ["changed", "editorial", "editorial", "editorial"]
    [note] = terms["b0"].changes.notes
    assert ("insert", "Sections 3.4 and 4") in note.text


# --- the command line's colour ------------------------------------------------------


@pytest.mark.parametrize("command", [["diff", SEVEN, "latest", "--term", "sh9"], ["history", "sh9"]])
def test_colour_keeps_the_marks_and_is_chosen_with_color(command):
    always = glossary(*command, "--color=always").stdout
    assert "\x1b[31m[-perfect-]\x1b[0m" in always and "\x1b[32m{+comprehensive+}\x1b[0m" in always
    for plain in (glossary(*command, "--color=never").stdout, glossary(*command).stdout):  # auto: not a terminal
        assert "\x1b[" not in plain and "[-perfect-]{+comprehensive+}" in plain
    assert glossary(*command, "--color=sometimes").exit_code == 2


# --- search covers notes and prose terms --------------------------------------------


def test_search_finds_a_term_by_its_note_and_a_prose_term_by_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE", str(tmp_path))
    frugal = json.loads(glossary("search", "frugal", "--json").stdout)
    [hit] = [h for h in frugal["hits"] if h["id"] == "class-1"]
    assert hit["snippet_from"] == "note" and "«frugal»" in hit["snippet"]
    tags = json.loads(glossary("search", '"tiny sensor nodes or tags"', "--json").stdout)
    assert [h["id"] for h in tags["hits"]] == ["class-0"]
    # a word of both a definition and a note: the terms defined by it come first
    mixed = json.loads(glossary("search", "sleep", "--json").stdout)["hits"]
    tiers = [h["snippet_from"] == "note" for h in mixed]
    assert tiers == sorted(tiers) and False in tiers and True in tiers
    assert json.loads(glossary("search", "SoC", "--json").stdout)["hits"][0]["id"] == "soc"
