"""The glossary command line, on stores imported from the real corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.store import Store, embedded_store
from importers import read_version
from importers.manifest import manifest_sources
from support import EDITORS_COPY_WITHOUT_COMMIT, NEWEST, OLDEST, SEVEN, snapshot, stored_name
from support import glossary_cli as glossary

EDITORS_COPY = EDITORS_COPY_WITHOUT_COMMIT  # the editor's copy as imported from its file: the newest version here


@pytest.fixture(scope="module")
def imported_store(tmp_path_factory, revision_file) -> Path:
    """A store of three revisions, oldest to newest; tests must not change it (copy it first)."""
    store = tmp_path_factory.mktemp("imported") / "store"
    result = glossary(store, "import", revision_file(OLDEST), revision_file(SEVEN), revision_file(NEWEST))
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def store_copy(imported_store, tmp_path) -> Path:
    return Path(shutil.copytree(imported_store, tmp_path / "store"))


def test_import_reports_each_source_and_its_warnings(tmp_path, revision_file):
    sources = [revision_file(OLDEST), revision_file(SEVEN)]
    expected = [read_version(path.read_bytes(), str(path)) for path in sources]

    first = glossary(tmp_path / "store", "import", *sources)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [f"imported {v.name} ({len(v.terms)} terms)" for v in expected]
    warnings = [f"warning: {v.name}: {w}" for v in expected for w in v.warnings]
    assert warnings, "the oldest revision has editorial slips to warn about"
    assert [line for line in first.stderr.splitlines() if line.startswith("warning:")] == warnings
    assert "importing" in first.stderr  # the progress bar, on stderr

    again = glossary(tmp_path / "store", "import", *sources)
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [f"unchanged {v.name}" for v in expected]
    assert "warning:" not in again.stderr


def test_import_manifest_imports_every_revision_in_lineage_order(tmp_path, corpus, manifest):
    sources = manifest_sources(str(corpus / "manifest.json"))
    assert sources == [str(corpus / revision["files"]["xml"]["path"]) for revision in manifest]

    result = glossary(tmp_path / "store", "import", "--manifest", corpus / "manifest.json")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(manifest)
    listed = json.loads(glossary(tmp_path / "store", "versions", "--json").stdout)
    assert [v["name"] for v in listed] == [stored_name(revision) for revision in manifest]
    assert [v["date"] for v in listed] == [revision["date"] for revision in manifest]
    # each version records the source commit the manifest gives it
    stored = {v["name"]: json.loads((tmp_path / "store" / f"{v['name']}.json").read_text())["source"] for v in listed}
    assert [stored[stored_name(revision)].get("commit") for revision in manifest] == [
        revision["source_commit"] for revision in manifest]


def test_a_manifest_with_a_malformed_source_commit_is_refused_whole(tmp_path, corpus, manifest):
    documents = [dict(revision, files={"xml": {**revision["files"]["xml"],
                                               "path": str(corpus / revision["files"]["xml"]["path"])}})
                 for revision in manifest[:2]]
    documents[1]["source_commit"] = "not a commit; rm -rf"
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps({"documents": documents}))
    result = glossary(tmp_path / "store", "import", "--manifest", bad)
    assert result.exit_code != 0
    assert "source_commit" in result.stderr and str(bad) in result.stderr
    assert not (tmp_path / "store" / "index.json").exists()


def test_import_needs_a_source(tmp_path):
    result = glossary(tmp_path / "store", "import")
    assert result.exit_code == 2
    assert "give at least one SOURCE or --manifest" in result.stderr


def test_versions_table(imported_store):
    result = glossary(imported_store, "versions")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "date", "terms"]
    assert [line.split()[0] for line in lines[1:]] == [OLDEST, SEVEN, EDITORS_COPY]
    assert lines[2].split()[1] == "2026-04-23"


def test_versions_of_an_empty_store(tmp_path):
    result = glossary(tmp_path / "empty", "versions")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no versions" in result.stderr


def test_terms_of_the_newest_version(imported_store):
    result = glossary(imported_store, "terms")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    class_1 = next(line for line in lines if line.startswith("class-1 "))
    assert class_1.split("  ")[0] == "class-1"
    assert " ".join(class_1.split()) == "class-1 Class 1 (device-class, Section 3)"
    assert len(lines) == len(json.loads(glossary(imported_store, "terms", "--json").stdout))


def test_terms_of_a_kind_of_an_older_version_as_json(imported_store):
    result = glossary(imported_store, "terms", "--version", OLDEST, "--kind", "device-class", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert records and {record["kind"] for record in records} == {"device-class"}
    assert set(records[0]) == {"id", "term", "aliases", "kind", "definition", "attributes", "section",
                               "defined_in", "source_fragment", "notes", "related"}


@pytest.mark.parametrize("command", [["terms"], ["diff", "oldest", "latest"], ["search", "class"]])
def test_an_unknown_kind_is_a_usage_error_listing_the_kinds(imported_store, command):
    result = glossary(imported_store, *command, "--kind", "device-clas")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: kind: 'device-clas' is not a valid value; valid values: device-class, ")
    assert "energy-class" in result.stderr and len(result.stderr.splitlines()) == 1


# The error contract on the committed store, whose 16 revisions have the gaps and slips to show it.

def test_history_of_an_unknown_term_has_close_matches():
    result = glossary(embedded_store(), "history", "clas2")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown term 'clas2'; close matches: Class 2, Class 4, Class 3, Class 1, Class 0\n"


@pytest.mark.parametrize("shorthand", ["iotops-07", "-iotops-07", "ietf-iotops-07"])
def test_an_unambiguous_revision_shorthand_names_its_version(shorthand):
    record = json.loads(glossary(embedded_store(), "show", "c1", "--version", shorthand, "--json").stdout)
    assert record["id"] == "class-1"
    shown = glossary(embedded_store(), "show", "c1", "--version", shorthand).stdout
    assert ", draft-ietf-iotops-7228bis-07\n" in shown


@pytest.mark.parametrize("shorthand", ["07", "-07"])
def test_an_ambiguous_revision_shorthand_names_the_candidates(shorthand):
    result = glossary(embedded_store(), "show", "c1", "--version", shorthand)
    assert result.exit_code == 1
    assert result.stderr == (f"error: unknown version '{shorthand}'; close matches: "
                             "draft-bormann-lwig-7228bis-07, draft-ietf-iotops-7228bis-07\n")


@pytest.mark.parametrize("term, version, missing_from, where", [
    ("c3", "oldest", "draft-bormann-lwig-7228bis-00", "first appears in draft-bormann-lwig-7228bis-04"),
    ("Class 13", "latest", NEWEST, "last appears in draft-bormann-lwig-7228bis-02"),
    ("Class 13", "newest-revision", SEVEN, "last appears in draft-bormann-lwig-7228bis-02"),
])
def test_a_term_missing_from_the_version_says_where_it_appears(term, version, missing_from, where):
    result = glossary(embedded_store(), "show", term, "--version", version)
    assert result.exit_code == 1
    assert result.stderr == f"error: term {term!r} is not in {missing_from}; {where}\n"


def test_a_term_no_version_defines_is_unknown_with_close_matches():
    result = glossary(embedded_store(), "show", "frobnicator", "--version", "oldest")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown term 'frobnicator' in draft-bormann-lwig-7228bis-00; ")


def test_a_lookup_by_an_alias_the_document_contradicts_warns():
    result = glossary(embedded_store(), "show", "C15", "--version", "bormann-04")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["Class 16", "aliases: C15"]
    assert result.stderr == ("warning: draft-bormann-lwig-7228bis-04 gives C15 as another name of Class 16, "
                             "but the numbers disagree (15 and 16); Class 15 is defined too\n")
    assert glossary(embedded_store(), "show", "Class 16", "--version", "bormann-04").stderr == ""


@pytest.mark.parametrize("name", ["c1", "Class 1", "class-1", "CLASS_1"])
def test_show_finds_a_term_by_any_of_its_names(imported_store, name):
    record = json.loads(glossary(imported_store, "show", name, "--json").stdout)
    assert (record["id"], record["term"], record["aliases"]) == ("class-1", "Class 1", ["C1"])

    result = glossary(imported_store, "show", name)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Class 1",
        "aliases: C1",
        "kind: device-class",
        f"defined in: Section 3 (Classes of Constrained (and More Capable) Devices), {EDITORS_COPY}",
    ]
    assert "attributes:" in lines and "  Group: M" in lines


def test_show_in_an_older_version(imported_store):
    result = glossary(imported_store, "show", "c1", "--version", "oldest")
    assert result.exit_code == 0
    assert f"), {OLDEST}" in result.stdout


def test_unknown_term_names_close_matches(imported_store):
    result = glossary(imported_store, "show", "class 9")
    assert result.exit_code == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith(f"error: unknown term 'class 9' in {EDITORS_COPY}; close matches: Class ")


def test_unknown_version_names_close_matches(imported_store):
    result = glossary(imported_store, "show", "c1", "--version", "draft-ietf-iotops-7228bis-7")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        f"error: unknown version 'draft-ietf-iotops-7228bis-7'; close matches: {SEVEN}"
    )


def test_showing_from_an_empty_store_says_it_is_empty(tmp_path):
    result = glossary(tmp_path / "empty", "show", "c1")
    assert result.exit_code == 1
    assert "has no versions yet" in result.stderr


def _truncated_xml(revision_file) -> bytes:
    data = revision_file(SEVEN).read_bytes()
    return data[: len(data) // 2]


def _truncated_text(revision_file) -> bytes:
    data = revision_file(SEVEN, "txt").read_bytes()
    return data[: len(data) * 2 // 5]


def _entity_bomb(_) -> bytes:
    levels = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE rfc [{"".join(levels)}]>'
            '<rfc version="3"><front><title>x</title></front><middle><section><name>A</name>'
            "<dl><dt>T:</dt><dd><t>&l9;</t></dd></dl></section></middle></rfc>").encode()


def _fifty_megabytes(revision_file) -> bytes:
    data = revision_file(SEVEN).read_bytes()
    return data + b"<!-- padding -->" * (50 * 1024 * 1024 // 16)


BAD_INPUTS = {
    "image.png": lambda _: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
    "empty.xml": lambda _: b"",
    "malformed.xml": _truncated_xml,
    "letter.txt": lambda _: b"Dear Carsten,\n\nthank you for the new terminology draft.\n\nBest regards,\nAri\n",
    "page.html": lambda _: b"<!doctype html><html><head><title>Hello</title></head><body><p>Hi</p></body></html>",
    "truncated.txt": _truncated_text,
    "laughs.xml": _entity_bomb,
    "huge.xml": _fifty_megabytes,
}


@pytest.mark.parametrize("file_name", BAD_INPUTS)
def test_bad_input_is_one_line_error_and_changes_nothing(store_copy, tmp_path, revision_file, file_name):
    bad = tmp_path / file_name
    bad.write_bytes(BAD_INPUTS[file_name](revision_file))
    before = snapshot(store_copy)
    started = time.monotonic()
    result = glossary(store_copy, "import", bad)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"error: {bad}: ")
    assert snapshot(store_copy) == before


def test_a_failing_source_does_not_stop_the_others(tmp_path, revision_file):
    missing = tmp_path / "missing.xml"
    result = glossary(tmp_path / "store", "import", missing, revision_file(SEVEN))
    assert result.exit_code == 1
    assert f"error: {missing}: no such file" in result.stderr
    assert result.stdout.startswith(f"imported {SEVEN} (")


def test_a_large_batch_is_reported_in_order_and_a_bad_source_fails_alone(tmp_path, manifest, revision_file):
    """Many sources are read side by side (glossary.importing.import_sources): the outcome is the one of
    reading them one after the other."""
    good = [revision_file(revision["name"]) for revision in manifest[:6]]
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<rfc><front><title>unclosed")
    missing = tmp_path / "missing.xml"
    sources = [*good[:3], broken, *good[3:5], missing, good[5]]
    # In a process of its own, as a user runs it: this one runs other threads, and would read in-process.
    result = subprocess.run([sys.executable, "-m", "glossary", "--store", str(tmp_path / "store"), "import",
                             *map(str, sources)], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1
    expected = [read_version(path.read_bytes(), str(path)) for path in good]
    assert result.stdout.splitlines() == [f"imported {v.name} ({len(v.terms)} terms)" for v in expected]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(":")[1].strip() for line in errors] == [str(broken), str(missing)]
    stored = {v.name: v.to_dict() for v in Store(tmp_path / "store").load_versions()}
    assert stored == {v.name: v.to_dict() for v in expected}


def test_changed_content_under_a_stored_name_needs_replace(store_copy, tmp_path, revision_file):
    edited = tmp_path / f"{SEVEN}.xml"
    edited.write_bytes(revision_file(SEVEN).read_bytes() + b"<!-- edited after submission -->\n")
    before = snapshot(store_copy)

    refused = glossary(store_copy, "import", edited)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"error: {edited}: version {SEVEN} is already stored with different content")
    assert snapshot(store_copy) == before

    replaced = glossary(store_copy, "import", edited, "--replace")
    assert replaced.exit_code == 0
    assert replaced.stdout.startswith(f"replaced {SEVEN} (")


def test_store_from_the_environment(imported_store):
    result = CliRunner(env={"GLOSSARY_STORE": str(imported_store)}).invoke(main, ["versions", "--json"])
    assert [v["name"] for v in json.loads(result.stdout)] == [OLDEST, SEVEN, EDITORS_COPY]


def test_the_installed_console_script(store_copy, revision_file):
    script = Path(sys.executable).parent / "glossary"
    assert script.exists(), "install the project (pip install -e .) to get the glossary command"
    env = {**os.environ, "GLOSSARY_STORE": str(store_copy)}

    def run(*args):
        return subprocess.run([script, *map(str, args)], env=env, capture_output=True, text=True, timeout=60)

    shown = run("show", "Class 1")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == "Class 1"
    assert run("import", revision_file(SEVEN)).stdout == f"unchanged {SEVEN}\n"
    unknown = run("show", "no such term")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith(f"error: unknown term 'no such term' in {EDITORS_COPY}")


def test_version_option_names_the_installed_release(tmp_path):
    from importlib.metadata import version

    result = glossary(tmp_path / "store", "--version")
    assert result.exit_code == 0
    assert result.stdout == f"glossary {version('rfc7228bis-glossary')}\n"
