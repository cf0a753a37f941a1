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

from support import FIXTURES
from glossary.catalog import Catalog
from glossary.cli import main
from glossary.authoring.lint import lint
from glossary.store import Store, embedded_store

DRAFTS = FIXTURES / "drafts"
KRAMDOWN_DRAFT = DRAFTS / "kramdown-citing-rfc7228.md"
OLDEST = "draft-bormann-lwig-7228bis-00"
NEWEST = "draft-ietf-iotops-7228bis-latest"


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


def test_a_revision_not_in_the_store_stands_in_by_the_one_before(catalog):
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
    for name in ("Class 0", "Class 1", "Class 2", "E0", "E1", "E2", "E9", "Normally-off"):
        assert oldest.find(name).id in uses, name
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
