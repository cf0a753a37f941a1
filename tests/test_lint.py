"""The usage lint, on drafts of our own (tests/fixtures/drafts) and on real drafts of the corpus.

Expectations come from the documents (which lines say what) and from the
stored versions and their diffs, never from the lint's own output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import FIXTURES, NEWEST
from glossary.catalog import Catalog
from glossary.cli import main
from glossary.authoring.lint import lint
from glossary.store import Store, embedded_store

DRAFTS = FIXTURES / "drafts"
KRAMDOWN_DRAFT = DRAFTS / "kramdown-citing-rfc7228.md"
OLDEST = "draft-bormann-lwig-7228bis-00"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


def glossary(*args):
    return CliRunner().invoke(main, ["--store", str(embedded_store()), *map(str, args)])


def lines_saying(path: Path, pattern: str) -> list[int]:
    return [number for number, line in enumerate(path.read_text().split("\n"), 1) if re.search(pattern, line)]


def removed_term(catalog: Catalog):
    """A term some stored version defines and the newest does not (not even under its name): (version, term)."""
    newest = catalog.version("latest")
    for entry in catalog.entries()[:-1]:
        old = catalog.version(entry["name"])
        for change in catalog.diff(old.name, newest.name).terms:
            named = old.find(change.term)
            if change.status == "removed" and newest.find(change.term) is None and named.id == change.id:
                return old, named
    pytest.fail("no stored version defines a term that the newest has removed")


@pytest.fixture
def removed_term_draft(catalog, tmp_path):
    version, term = removed_term(catalog)
    template = (DRAFTS / "text-using-removed-term.txt.in").read_text()
    draft = tmp_path / "draft-example-large-provisioning-00.txt"
    draft.write_text(template.format(term=term.term, cited_draft=version.name))
    return draft, version, term


# --- drafts of our own ----------------------------------------------------------


def test_kramdown_draft_citing_rfc7228(catalog):
    report = lint(KRAMDOWN_DRAFT.read_bytes(), catalog, source=str(KRAMDOWN_DRAFT))
    oldest = catalog.version("oldest")
    assert report.format == "kramdown-rfc"
    assert {c.document for c in report.citations} == {"rfc7228"}
    assert [c.line for c in report.citations] == lines_saying(KRAMDOWN_DRAFT, r"RFC ?7228")
    # RFC 7228 is not in the embedded store: the oldest version stands in for it, and the report says so.
    assert "rfc7228" not in [e["name"] for e in catalog.entries()]
    assert report.cited_version == oldest.name and "RFC 7228" in report.note
    assert report.against == catalog.version("latest").name

    uses = {use.id: use for use in report.uses}
    class_1, s2 = oldest.find("Class 1"), oldest.find("S2")
    # "KiB" is a term too: the conventions of Section 1.1 define it in their prose
    assert set(uses) == {class_1.id, s2.id, oldest.find("KiB").id}
    body_start = lines_saying(KRAMDOWN_DRAFT, r"^--- abstract")[0]
    expected_class_1 = [n for n in lines_saying(KRAMDOWN_DRAFT, r"(?i)\bclass 1 dev") if n > body_start]
    assert uses[class_1.id].lines == expected_class_1, "the front matter's title is not prose"
    assert set(uses[class_1.id].forms) == {"Class 1", "class 1"}
    assert uses[s2.id].lines == [n for n in lines_saying(KRAMDOWN_DRAFT, r"\bS2 (links|\.)|class S2") if n > body_start]
    traps = lines_saying(KRAMDOWN_DRAFT, r"S1-AP|E9\.5|not uses of")
    assert not {line for use in report.uses for line in use.lines} & set(traps)

    diff = {e.id: e for e in catalog.diff(oldest.name, "latest").terms}
    for term_id, use in uses.items():
        assert use.status == diff[term_id].status
        assert use.cited_section == oldest.cite(oldest.find(term_id))
    assert not report.failed


# Every way an author pins the revision cited: (draft, version meant, the line that pins it).
PINNED = DRAFTS / "pinned"
PINNING_FORMS = [
    ("kramdown-front-matter-value.md", "draft-ietf-iotops-7228bis-03", r"^  I-D\.ietf-iotops-7228bis: I-D\.draft-"),
    ("kramdown-front-matter-key.md", "draft-ietf-iotops-7228bis-03", r"^  I-D\.draft-ietf-iotops-7228bis-03:$"),
    ("kramdown-short-key.md", "draft-ietf-iotops-7228bis-03", r"^  I-D\.ietf-iotops-7228bis-03:$"),
    ("kramdown-custom-anchor.md", "draft-bormann-lwig-7228bis-04", r"^  RFC7228bis: I-D\.draft-bormann"),
    ("rfcxml-xinclude.xml", "draft-ietf-iotops-7228bis-03", r"<xi:include href=.*bibxml-ids/"),
    ("rfcxml-reference-custom-anchor.xml", "draft-ietf-iotops-7228bis-03", r'<reference anchor="TERMS"'),
    ("rfcxml-custom-anchor-rfc7228.xml", "oldest", r'<seriesInfo name="RFC" value="7228"/>'),
    ("text-reference.txt", "draft-ietf-iotops-7228bis-03", r"Internet-Draft, draft-ietf-iotops-7228bis-03,"),
]


@pytest.mark.parametrize("name, version, pinning_line", PINNING_FORMS, ids=[form[0] for form in PINNING_FORMS])
def test_every_way_of_pinning_a_revision(catalog, name, version, pinning_line):
    path = PINNED / name
    result = glossary("lint", path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    meant = catalog.version(version)
    assert report["cited_version"] == meant.name
    assert report["pinned_by"]["line"] == lines_saying(path, pinning_line)[0]
    assert report["missing_revision"] is None
    diff = {entry.id: entry.status for entry in catalog.diff(meant.name, "latest").terms}
    assert report["terms"] and {u["id"]: u["status"] for u in report["terms"]} == \
        {u["id"]: diff[u["id"]] for u in report["terms"]}


@pytest.mark.parametrize("name", ["kramdown-front-matter-value.md", "kramdown-front-matter-key.md",
                                  "rfcxml-xinclude.xml"])
def test_a_draft_pinned_to_03_is_told_sh9_and_normally_off_changed(name):
    result = glossary("lint", PINNED / name)
    assert result.exit_code == 0, result.output
    assert "meaning: draft-ietf-iotops-7228bis-03, pinned by line" in result.stdout
    assert "Sh9 (sh9): changed" in result.stdout and "Normally-off (normally-off): changed" in result.stdout


def test_text_draft_using_a_removed_term_fails(removed_term_draft):
    draft, version, term = removed_term_draft
    result = glossary("lint", draft, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "text" and report["cited_version"] == version.name and report["note"] is None
    [use] = [u for u in report["terms"] if u["id"] == term.id]
    assert use["status"] == "removed" and report["failed"] is True
    assert use["lines"] == lines_saying(draft, re.escape(term.term) + r" device")
    assert use["current_section"] is None

    human = glossary("lint", draft)
    assert human.exit_code == 1
    assert f"{term.term} ({term.id}): removed" in human.stdout


def test_the_same_draft_checked_against_the_version_it_cites_passes(removed_term_draft):
    draft, version, term = removed_term_draft
    result = glossary("lint", draft, "--against", version.name, "--json")
    assert result.exit_code == 0, result.output
    [use] = [u for u in json.loads(result.stdout)["terms"] if u["id"] == term.id]
    assert use["status"] == "unchanged"


def test_a_revision_not_in_the_store_is_named_with_the_closest_stored(catalog):
    stored = [e for e in catalog.entries() if e["document"] == "draft-ietf-iotops-7228bis"]
    numbers = [int(e["revision"]) for e in stored if e["revision"].isdigit()]
    missing = next(n for n in range(min(numbers), max(numbers)) if n not in numbers)
    before = max(e["name"] for e in stored if e["revision"].isdigit() and int(e["revision"]) < missing)
    draft = f"""<?xml version="1.0"?>
<rfc version="3" docName="draft-example-use-00"><front><title>Use</title></front><middle>
<section><name>Terms</name><t>Class&nbsp;2 devices and <em>constrained</em>
nodes, as in <xref target="I-D.ietf-iotops-7228bis"/>.</t></section></middle>
<back><references><name>Informative References</name>
<reference anchor="I-D.ietf-iotops-7228bis"><front><title>Terminology for Constrained-Node Networks</title></front>
<seriesInfo name="Internet-Draft" value="draft-ietf-iotops-7228bis-{missing:02d}"/></reference>
</references></back></rfc>
""".encode()
    report = lint(draft, catalog)
    assert report.format == "rfcxml"
    assert report.cited_version == before and f"-{missing:02d} is not in the store" in report.note
    after = min(e["name"] for e in stored if e["revision"].isdigit() and int(e["revision"]) > missing)
    assert report.to_dict()["missing_revision"] == {"name": f"draft-ietf-iotops-7228bis-{missing:02d}",
                                                    "closest": [before, after]}
    assert before in report.note and after in report.note
    seriesinfo_line = next(n for n, line in enumerate(draft.decode().split("\n"), 1) if "<seriesInfo" in line)
    assert report.to_dict()["pinned_by"]["line"] == seriesinfo_line
    uses = {use.id: use.lines for use in report.uses}
    cited = catalog.version(before)
    assert uses == {cited.find("Class 2").id: [3], cited.find("Constrained Node").id: [3]}, \
        "markup and entities are not words; the reference title is not a use"


def test_the_unversioned_draft_means_its_newest_version(catalog):
    report = lint(b"Internet-Draft\n\nClass 0 devices [I-D.ietf-iotops-7228bis].\n", catalog)
    assert report.cited_version == catalog.version("latest").name and report.note is None


def test_lint_refuses_what_is_not_a_draft(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"  \n")
    result = glossary("lint", empty)
    assert result.exit_code == 1 and result.stderr.startswith("error: ") and "empty" in result.stderr


# --- real drafts of the corpus as citing drafts --------------------------------------


@pytest.mark.corpus
def test_the_first_bis_draft_linted_against_the_newest(catalog, revision_file):
    path = revision_file(OLDEST, "xml")
    report = lint(path.read_bytes(), catalog, "latest", source=str(path))
    oldest = catalog.version(OLDEST)
    assert report.format == "rfcxml" and report.cited_version == oldest.name  # it cites RFC 7228
    assert all(c.document == "rfc7228" for c in report.citations), "its own name is not a citation"

    uses = {use.id: use for use in report.uses}
    for name in ("Class 0", "Class 1", "Class 2", "Normally-off"):
        assert oldest.find(name).id in uses, name
    # The energy classes stand alone in the cells of a table: no class-like phrase, no citation nearby.
    possible = {use["id"] for use in report.possible_uses}
    for name in ("E0", "E1", "E2", "E9"):
        assert oldest.find(name).id in uses or oldest.find(name).id in possible, name
    # by the id the cited version gives, as the lint looks terms up
    diff = {e.renamed_from or e.id: e for e in catalog.diff(OLDEST, NEWEST).terms if e.status != "added"}
    assert any(use.status == "changed" for use in report.uses)
    for use in report.uses:
        if use.id in diff:
            assert use.status == diff[use.id].status
            if use.status == "changed":
                assert use.changes.changes.to_dict() == diff[use.id].changes.to_dict()

    source_lines = path.read_text().split("\n")
    for use in report.uses:
        for line in use.lines:
            here = " ".join(source_lines[line - 1:line + 1]).lower()  # a name may run onto the next line
            assert any(form.lower().split()[0] in here for form in use.forms), (use.id, line)


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", ["txt", "xml-v2"])
def test_other_formats_of_a_corpus_draft(catalog, revision_file, manifest, fmt):
    name = next(r["name"] for r in manifest if fmt in r["files"] and r["name"] != OLDEST) if fmt == "xml-v2" \
        else "draft-ietf-iotops-7228bis-07"
    path = revision_file(name, fmt)
    result = glossary("lint", path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == ("text" if fmt == "txt" else "rfcxml")
    own_document = name.rsplit("-", 1)[0]
    assert all(c["document"] != own_document for c in report["citations"]), "its own name is not a citation"
    used = {use["id"] for use in report["terms"]}
    assert {"class-1", "e9"} <= used
    text_lines = path.read_text().split("\n")
    for use in report["terms"]:
        for line in use["lines"]:
            here = " ".join(text_lines[line - 1:line + 1]).lower()
            assert any(form.lower().split()[0] in here for form in use["forms"]), (use["id"], line)


def test_a_term_changed_only_editorially_is_reported_apart_not_as_changed(catalog):
    """I0 of iotops-02 is I0 of -03 but for its section's XML anchor: editorial, so the lint reports no change."""
    old, new = "draft-ietf-iotops-7228bis-02", "draft-ietf-iotops-7228bis-03"
    editorial = [e for e in catalog.diff(old, new).terms if e.status == "editorial"]
    changed = [e for e in catalog.diff(old, new).terms if e.status == "changed"]
    assert editorial and changed
    names = [editorial[0].term, changed[0].term]
    text = f"Internet-Draft\n\n{names[0]} and {names[1]} as in [I-D.ietf-iotops-7228bis] ({old}).\n"
    report = lint(text.encode(), catalog, new)
    assert report.cited_version == old
    statuses = {use.id: use.status for use in report.uses}
    assert statuses[editorial[0].id] == "editorial" and statuses[changed[0].id] == "changed"
    assert report.summary["editorial"] == 1 and report.summary["changed"] == 1


# --- what counts as a use ------------------------------------------------------------


def test_the_false_positive_draft_reports_no_use(catalog):
    path = DRAFTS / "false-positives.md"
    report = lint(path.read_bytes(), catalog, source=str(path))
    latest = catalog.version("latest")
    assert {use.id for use in report.uses} == {latest.find("Constrained Node").id}, "only the one real use"
    not_prose = lines_saying(path, r"^(~~~|62 56|68:D1|    encoded|A Class 2 device|<!--)")
    assert not {p["line"] for p in report.possible_uses} & set(not_prose), "code and comments are not read"
    labels = {p["form"] for p in report.possible_uses}
    assert {"T1", "E1", "S1", "F1", "B1", "S2"} <= labels  # at most possible uses
    assert "low-power" in labels


def test_a_quoted_title_of_another_document_is_no_use_but_a_quoted_term_name_is(catalog):
    draft = (b"This document cites RFC 7228.\n\n"
             b'See "Terms Used in Routing for Low-Power and Lossy Networks (LLNs)" [RFC7102].\n\n'
             b'Use the "Routing Protocol for Low Power and Lossy Networks (RPL)" registry.\n\n'
             b'The term "Low-Power and Lossy Networks (LLNs)" is used as RFC 7228 defines it.\n')
    report = lint(draft, catalog)
    lln = catalog.version("latest").find("LLN").id
    assert {use.id: use.lines for use in report.uses} == {lln: [7]}


# Each line of variants.md after its first paragraph, and the terms it names (as the newest version names them).
VARIANTS = {
    "Resource-constrained nodes are common.": ["Constrained Node"],
    "A constrained node network is one where nodes are constrained.": ["Constrained-Node Network"],
    "Low Power and Lossy Networks are routed by RPL.": ["LLN"],
    "Low-power wide-area networks reach far.": ["LPWAN"],
    "A constrained (6LoWPAN) network forwards packets.": ["Constrained Network"],
    "Class 1/2 devices run CoAP.": ["Class 1", "Class 2"],
    "A Class-2 device runs an OS.": ["Class 2"],
    "The protocol fits class 1 and 2 devices.": ["Class 1", "Class 2"],
    "Constrained nodes and networks are both covered.": ["Constrained Node", "Constrained Network"],
    "The IPv6 over Low-Power Wireless Personal Area Networks (6LoWPAN) adaptation layer.": ["6LoWPAN"],
    "The sensors are constrained wireless nodes.": ["Constrained Node"],
}


def test_variants_of_names_are_uses(catalog):
    path = DRAFTS / "variants.md"
    report = lint(path.read_bytes(), catalog, source=str(path))
    latest = catalog.version("latest")
    by_line: dict[int, set[str]] = {}
    for use in report.uses:
        for line in use.lines:
            by_line.setdefault(line, set()).add(use.id)
    source = path.read_text().split("\n")
    for sentence, names in VARIANTS.items():
        line = source.index(sentence) + 1
        assert by_line.get(line, set()) == {latest.find(name).id for name in names}, sentence


def test_ignore_option_and_marker_silence_uses(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text((DRAFTS / "variants.md").read_text().replace(
        "The sensors are constrained wireless nodes.",
        "The sensors are constrained wireless nodes. <!-- glossary: ignore -->\nClass 2 again."))
    report = json.loads(glossary("lint", draft, "--json", "--ignore", "lln", "--ignore", "low-power wide area network")
                        .stdout)
    used = {use["id"]: use["lines"] for use in report["terms"]}
    assert "lln" not in used and "lpwan" not in used
    marked = lines_saying(draft, "glossary: ignore")[0]
    assert marked not in used["constrained-node"] and marked + 1 in used["class-2"]


def test_a_draft_citing_rfc7228_and_the_bis_is_compared_per_citation(catalog):
    path = DRAFTS / "kramdown-citing-rfc7228-and-bis.md"
    report = lint(path.read_bytes(), catalog, source=str(path))
    oldest, latest = catalog.version("oldest"), catalog.version("latest")  # the oldest stands in for RFC 7228
    uses = {use.id: use for use in report.uses}
    node = uses[latest.find("Constrained Node").id]
    assert node.cited_version == oldest.name and node.lines == lines_saying(path, "as defined in")
    assert node.status == {e.id: e.status for e in catalog.diff(oldest.name, latest.name).terms}[node.id] == "changed"
    class_2 = uses[latest.find("Class 2").id]
    assert class_2.cited_version is None and report.cited_version == latest.name and class_2.status == "unchanged"


@pytest.mark.corpus
def test_v2_hang_text_entries_are_uses(catalog, manifest, revision_file):
    with_v2 = [revision for revision in manifest if "xml-v2" in revision["files"]]
    assert with_v2
    for revision in with_v2:
        path = revision_file(revision["name"], "xml-v2")
        report = lint(path.read_bytes(), catalog, source=str(path))
        version = catalog.version(revision["name"])
        lines = {use.id: use.lines for use in report.uses}
        entries = [(number, re.search(r'hangText="([^"]+?):?"', line).group(1))
                   for number, line in enumerate(path.read_text().split("\n"), 1) if 'hangText="' in line]
        defined = [(number, version.find(name)) for number, name in entries if version.find(name) is not None]
        assert defined, revision["name"]
        for number, term in defined:
            assert number in lines.get(term.id, []), (revision["name"], term.term, number)


# --- what authors do next ---------------------------------------------------------------


def test_a_removed_term_names_its_successor_and_a_stale_section_is_reported(catalog):
    path = DRAFTS / "kramdown-stale-section-and-removed-term.md"
    result = glossary("lint", path, "--json")
    assert result.exit_code == 1, result.output  # a term it uses was removed
    report = json.loads(result.stdout)
    cited, latest = catalog.version(report["cited_version"]), catalog.version("latest")
    assert cited.name == "draft-bormann-lwig-7228bis-01"
    uses = {use["id"]: use for use in report["terms"]}

    # Class 13 went in the next stored revision, and Class 15 there has the values Class 13 had.
    gone = cited.find("Class 13")
    went_in = next(catalog.version(e["name"]) for e in catalog.entries()[1:]
                   if catalog.version(e["name"]).find("Class 13") is None)
    assert went_in.find("Class 15").attributes == gone.attributes
    removed = uses[gone.id]
    assert removed["status"] == "removed"
    assert removed["successor"]["id"] == latest.find("Class 15").id and went_in.name in removed["successor"]["how"]

    normally_off = uses[latest.find("Normally-off").id]
    assert latest.find("Normally-off").section.number != "3"
    assert normally_off["section_citations"] == [{
        "line": lines_saying(path, "Section 3 of")[0], "cited": "3",
        "now": latest.find("Normally-off").section.number, "citation": latest.cite(latest.find("Normally-off"))}]
    human = glossary("lint", path).stdout
    assert "successor: Class 15 (class-15)" in human and "cites Section 3, which does not hold it" in human


def test_a_section_citation_that_holds_the_term_is_not_reported(catalog):
    path = PINNED / "kramdown-front-matter-value.md"  # cites Section 4.3 for Normally-off
    report = lint(path.read_bytes(), catalog)
    assert catalog.version("latest").find("Normally-off").section.number == "4.3"
    assert all(not use.section_citations for use in report.uses)
    assert [c.section for c in report.citations if c.section] == ["4.3"]


def test_in_rfcxml_a_short_class_name_counts_in_a_paragraph_citing_the_bis(catalog):
    draft = b"""<?xml version="1.0"?>
<rfc version="3" docName="draft-example-links-00"><front><title>Links</title></front><middle>
<section><name>Links</name>
<t>The radio is an S2 (<xref target="I-D.ietf-iotops-7228bis"/>).</t>
<t>The key is derived from S2 and a nonce.</t>
</section></middle>
<back><references><name>Informative References</name>
<reference anchor="I-D.ietf-iotops-7228bis"><front><title>Terminology for Constrained-Node Networks</title></front>
<seriesInfo name="Internet-Draft" value="draft-ietf-iotops-7228bis-07"/></reference>
</references></back></rfc>
"""
    report = lint(draft, catalog)
    assert {use.id: use.lines for use in report.uses} == {"s2": [4]}
    assert [(p["id"], p["line"]) for p in report.possible_uses] == [("s2", 5)]


def test_the_successor_trail_follows_a_rename_then_values_that_moved(tmp_path):
    """Foo Widget is renamed Bar Widget, which later goes while Baz Widget takes over its values."""
    from glossary.authoring.lint import successor
    from glossary.model import Section, Source, Term, Version

    def widget(name: str, ram: str) -> Term:
        return Term(id=name.lower().replace(" ", "-"), term=name, kind="device-class",
                    definition=f"data size: {ram}; code size: lots", section=Section("3", "Classes"),
                    defined_in="table", attributes={"data size": ram, "code size": "lots"})

    def revision(number: str, date: str, *terms: Term) -> Version:
        name = f"draft-example-widgets-{number}"
        return Version(name=name, document="draft-example-widgets", revision=number, date=date, title="Widgets",
                       source=Source(f"{name}.xml", "rfcxml-v3", "0" * 64), terms=list(terms))

    store = Store(tmp_path / "terms")
    store.save(revision("00", "2020-01-01", widget("Foo Widget", "1 GiB"), widget("Baz Widget", "2 GiB")))
    store.save(revision("01", "2021-01-01", widget("Bar Widget", "1 GiB"), widget("Baz Widget", "2 GiB")))
    store.save(revision("02", "2022-01-01", widget("Baz Widget", "1 GiB")))
    catalog = Catalog(store, tmp_path / "cache")
    first, last = catalog.version("draft-example-widgets-00"), catalog.version("draft-example-widgets-02")
    assert {e.id: e.status for e in catalog.diff(first.name, last.name).terms}["foo-widget"] == "removed"
    assert successor(catalog, "foo-widget", first, last) == {
        "id": "baz-widget", "term": "Baz Widget", "how": "its values moved to Baz Widget in draft-example-widgets-02"}
    assert successor(catalog, "foo-widget", first, catalog.version("draft-example-widgets-01")) == {
        "id": "bar-widget", "term": "Bar Widget", "how": "renamed in draft-example-widgets-01"}
    assert successor(catalog, "baz-widget", first, last) is None  # still there: no successor


def test_a_short_name_defined_in_passing_counts_only_near_a_citation(catalog):
    # SoC and KiB are prose terms of the bis, but everyday vocabulary of other drafts.
    draft = (b"This document follows RFC 7228: a Class 1 device with a SoC and 10 KiB of RAM.\n\n"
             b"The SoC boots the firmware image of 512 KiB.\n")
    report = lint(draft, catalog)
    latest = catalog.version("latest")
    soc, kib = latest.find("SoC").id, latest.find("KiB").id
    uses = {use.id: use.lines for use in report.uses}
    assert uses[soc] == [1] and uses[kib] == [1]
    assert {(p["id"], p["line"]) for p in report.possible_uses} >= {(soc, 3), (kib, 3)}
