"""Small hostile inputs: each is answered (read, or refused with one clear line), never stalls.

These tests assert the answer; how long each case takes beside a normal
import is what bench/hostile.py prints.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import hostile_inputs
from support import gunicorn, make_version, snapshot
from support import glossary_cli as glossary
from glossary.catalog import Catalog
from glossary.authoring.drafts import XML, read_draft
from glossary.authoring.lint import lint
from glossary.store import Store, embedded_store
from importers import read_version
from importers.terms import expansions

NEWEST = "draft-ietf-iotops-7228bis-07"  # the newest numbered revision, in every format


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


# --- drafts given to the usage lint --------------------------------------------------


def test_a_doctype_of_empty_brackets_after_the_rfc_element_is_markup():
    draft = read_draft(b'<rfc docName="x"><!DOCTYPE' + b"[]" * 34, "draft.xml")
    assert (draft.format, draft.name) == (XML, "x")
    assert not draft.prose.strip()


def test_an_rfc_start_tag_repeated_without_end_has_no_name_and_no_prose():
    draft = read_draft(b"<rfc " * 40_000, "draft.xml")
    assert (draft.format, draft.name) == (XML, None)
    assert not draft.prose.strip()


@pytest.mark.parametrize("opening", ["<!--", "<?pi ", "<!DOCTYPE x [", "<t a='"])
def test_markup_never_closed_runs_to_the_end_and_the_prose_before_it_is_read(catalog, opening):
    data = f'<rfc docName="draft-example-hostile-00"><t>Class 2 devices</t>{opening}<t>E9 devices</t>'.encode()
    draft = read_draft(data + opening.encode() * 50_000, "draft.xml")
    assert draft.name == "draft-example-hostile-00"
    used = {use.id: use.lines for use in lint(draft.text.encode(), catalog).uses}
    assert used == {catalog.version("latest").find("Class 2").id: [1]}


def test_a_name_repeated_on_every_line_is_reported_with_every_line(catalog):
    lines = 50_000  # 100,000 uses: as many as the lint's work budget allows
    report = lint(b"Terms of RFC 7228.\n" + b"C2 and C2\n" * lines, catalog)
    [use] = report.uses
    assert use.term == "Class 2" and use.forms == ["C2"]
    assert use.lines == list(range(2, lines + 2))


def test_a_draft_beyond_the_lint_work_budget_is_refused(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"Terms of RFC 7228.\n" + b"C2 and C2\n" * 50_000 + b"E9\n")
    result = glossary(embedded_store(), "lint", draft)
    assert result.exit_code == 1
    assert result.stderr == f"error: {draft}: names terms more than 100,000 times: beyond the lint's work budget\n"


def test_names_in_every_letter_case_are_each_one_form(catalog):
    forms = ["constrained node", "Constrained Node", "CONSTRAINED NODE", "cOnStRaInEd NoDe"]
    report = lint(("Terms of RFC 7228.\n" + "\n".join(forms * 20_000)).encode(), catalog)
    [use] = report.uses
    assert use.forms == forms and len(use.lines) == 80_000


# --- the text reader -----------------------------------------------------------------


@pytest.fixture(scope="module")
def newest_text(revision_file) -> str:
    return revision_file(NEWEST, "txt").read_text()


def terms_of(text: str) -> list[dict]:
    return [term.to_dict() for term in read_version(text.encode(), "draft.txt").terms]


@pytest.mark.corpus
@pytest.mark.parametrize("size", [214_000, 1_500_000])
def test_a_long_paragraph_is_joined_and_the_terms_are_those_of_the_document(newest_text, size):
    hostile = hostile_inputs.long_paragraph(newest_text, "2.  Core Terminology", size)
    assert len(hostile) > len(newest_text) + size * 0.9
    assert terms_of(hostile) == terms_of(newest_text)


@pytest.mark.corpus
def test_a_line_of_dots_without_page_number_is_a_heading_not_a_contents_entry(newest_text):
    hostile = hostile_inputs.contents_line_of_dots(newest_text, "3.  Classes of Constrained")
    document = read_version(hostile.encode(), "draft.txt")
    assert document.terms and [t.to_dict() for t in document.terms] == terms_of(newest_text)


@pytest.mark.parametrize("head", [b"<meta " * 13_000, b'<meta name="generator"' * 3_000, b"<body " * 13_000])
def test_an_html_page_of_unclosed_tags_is_not_taken_for_xml2rfc(tmp_path, head):
    page = tmp_path / "page.html"
    page.write_bytes(b"<!doctype html><html>" + head)
    result = glossary(tmp_path / "store", "import", page)
    assert result.exit_code == 1
    assert result.stderr == f"error: {page}: not an RFC or Internet-Draft (an HTML page that xml2rfc did not render)\n"


@pytest.mark.parametrize("prose, expected", [
    (hostile_inputs.acronym_prose("LLN", "Low-Power and Lossy Network", 320_000), ["Low-Power and Lossy Network"]),
    (hostile_inputs.acronym_prose("LLN", "Lossy Link Network", 320_000), ["Lossy Link Network"]),
    ("(LLN)" * 64_000, []),
    ("Low " * 80_000 + "(LLN)", []),
    ("x" * 320_000 + " Network (LLN)", []),
    ('"Low Lossy Net" ' * 20_000 + "Lossy Link Network (LLNs)", ["Lossy Link Network", "Low Lossy Net"]),
])
def test_acronym_expansions_in_long_prose(prose, expected):
    assert expansions("LLN", prose) == expected


# --- sources, names and limits, through `glossary import` -------------------------------


@pytest.fixture(scope="module")
def one_version_store(tmp_path_factory, revision_file) -> Path:
    store = tmp_path_factory.mktemp("hostile") / "store"
    result = glossary(store, "import", revision_file(NEWEST))
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def store(one_version_store, tmp_path) -> Path:
    return Path(shutil.copytree(one_version_store, tmp_path / "store"))


def refused(store: Path, *args) -> str:
    """The one line `glossary import` refuses with, having checked that it changed nothing."""
    before = snapshot(store)
    result = glossary(store, "import", *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert snapshot(store) == before
    return line


@pytest.mark.parametrize("kind", ["a character device", "a directory", "a pipe"])
def test_only_regular_files_are_read(store, tmp_path, kind):
    path = {"a character device": "/dev/zero", "a directory": str(tmp_path)}.get(kind)
    if kind == "a pipe":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)  # and no writer: opening it for reading would wait forever
    assert refused(store, path) == f"error: {path}: is {kind}, not a regular file: only files are read"


def test_an_anonymous_pipe_is_refused(store):
    reading, writing = os.pipe()
    try:
        os.write(writing, b"y\n" * 1000)  # as `<(yes)` would: a pipe that never ends
        path = f"/dev/fd/{reading}"
        assert refused(store, path) == f"error: {path}: is a pipe, not a regular file: only files are read"
    finally:
        os.close(reading)
        os.close(writing)


def test_an_over_long_path_is_refused_in_a_short_line(store):
    line = refused(store, "x" * 5000)
    assert "File name too long" in line and len(line) < 400


@pytest.fixture
def latin1_byte_text(revision_file, tmp_path) -> tuple[Path, int]:
    """The newest text with one word of a definition spelt with a Latin-1 byte, and that line's number."""
    lines = revision_file(NEWEST, "txt").read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(b"   Constrained Node:"))
    lines[number - 1] = lines[number - 1].replace(b"Node:", b"N\xf6de:")
    path = tmp_path / "draft.txt"
    path.write_bytes(b"\n".join(lines))
    return path, number


@pytest.mark.corpus
def test_a_byte_that_is_not_utf8_is_refused_with_its_line(store, latin1_byte_text):
    path, number = latin1_byte_text
    assert refused(store, path).startswith(f"error: {path}: not UTF-8: byte 0xf6 on line {number} does not decode")


@pytest.mark.corpus
def test_encoding_decodes_as_told(tmp_path, latin1_byte_text):
    path, _ = latin1_byte_text
    result = glossary(tmp_path / "store", "import", "--encoding", "latin-1", path)
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "store").load().find("Constrained Nöde") is not None
    assert "unknown encoding 'klingon'" in refused(tmp_path / "store", "--encoding", "klingon", path)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["latest", "newest", "oldest", "all", "Latest", "newest-revision", "Newest-Revision",
                                  "rfc0", "rfc-1", "rfc99999999"])
def test_reserved_and_impossible_names_are_refused_for_documents(store, tmp_path, revision_file, name):
    document = tmp_path / "renamed.xml"
    document.write_bytes(hostile_inputs.renamed(revision_file(NEWEST).read_bytes(), NEWEST, name.encode()))
    line = refused(store, document)
    assert line.startswith(f"error: {document}: {name!r} cannot be a version name in the store: ")
    result = glossary(store, "show", "Class 2")
    assert result.exit_code == 0 and result.stdout.startswith("Class 2\n")


@pytest.mark.corpus
def test_an_over_long_document_name_is_refused_in_a_short_line(store, tmp_path, revision_file):
    document = tmp_path / "long-name.xml"
    long_name = b"draft-" + b"x" * 2_000_000
    document.write_bytes(hostile_inputs.renamed(revision_file(NEWEST).read_bytes(), NEWEST, long_name))
    line = refused(store, document)
    assert "cannot be a version name in the store: longer than 120 characters" in line and len(line) < 400


@pytest.mark.parametrize("args", [["show", "x" * 100_000], ["show", "c2", "--version", "x" * 100_000]])
def test_an_over_long_name_looked_up_gets_a_short_line(store, args):
    result = glossary(store, *args)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: unknown ") and "(100,000 characters)" in line and len(line) < 300


@pytest.mark.corpus
@pytest.mark.parametrize("entries, problem", [
    ([(f"Hostile {i}", "A term.") for i in range(1_000)],  # beside the document's own
     "more than 1,000 terms: beyond the limit of terms per version"),
    ([("Long", "word " * 5_000)], "the definition of 'Long' has 24,999 characters; the limit is 20,000"),
    ([("N" * 300, "A term.")], f"the term name {'N' * 80!r}... (300 characters) is longer than 200 characters"),
])
def test_versions_beyond_the_limits_are_refused(store, tmp_path, revision_file, entries, problem):
    document = tmp_path / "big.xml"
    document.write_bytes(hostile_inputs.with_definitions(revision_file(NEWEST).read_bytes(), entries))
    assert refused(store, document) == f"error: {document}: {problem}"


@pytest.mark.corpus
def test_html_nested_beyond_the_parser_depth_is_refused_not_cut_short(store, tmp_path, revision_file):
    page = tmp_path / "deep.html"
    page.write_bytes(hostile_inputs.nested_in_first_definition(revision_file(NEWEST, "html").read_bytes()))
    line = refused(store, page)
    assert line.startswith(f"error: {page}: unreadable HTML: Excessive depth in document: 256 (line ")


@pytest.mark.corpus
def test_a_long_run_of_spaces_in_an_attribute_is_kept_in_the_fragment(tmp_path, revision_file):
    spaces = " " * 300_000
    xml = hostile_inputs.with_definitions(revision_file(NEWEST).read_bytes(), [("Spacious", "A term.")],
                                          dt_attributes=f' title="{spaces}"')
    version = read_version(xml, "draft.xml")
    assert len(version.terms) == len(read_version(revision_file(NEWEST).read_bytes(), "draft.xml").terms) + 1
    assert version.find("Spacious").source_fragment.startswith(f'<dt title="{spaces}">Spacious:</dt>')


@pytest.mark.corpus
def test_acronym_prose_beyond_the_definition_limit_is_refused(store, tmp_path, newest_text):
    prose = hostile_inputs.acronym_prose("LLN", "Low-Power and Lossy Network", 320_000)
    lines = ["   " + prose[i:i + 66] for i in range(0, len(prose), 66)]
    document = tmp_path / "acronyms.txt"
    document.write_text(hostile_inputs.insert_before_line(newest_text, "2.3.2.  LoWPAN", lines))
    assert "the definition of 'LLN' has " in refused(store, document)


def test_temporary_files_of_a_killed_writer_go_at_the_next_write(tmp_path):
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    left = [store_dir / ".index.json.k1ll3d.tmp", store_dir / ".draft-x-00.json.abc123.tmp"]
    for path in left:
        path.write_bytes(b"half a file")
    kept = store_dir / "notes.tmp"
    kept.write_bytes(b"not ours")
    Store(store_dir).save(make_version("draft-example-00"))
    assert not any(path.exists() for path in left) and kept.exists()
    assert sorted(p.name for p in store_dir.iterdir()) == [".index", ".lock", "draft-example-00.json", "index.json",
                                                           "notes.tmp"]


# --- the lint endpoint of a real server ---------------------------------------------------

HOSTILE_LINT_BODIES = [b'<rfc docName="x"><!DOCTYPE' + b"[]" * 34, b"<rfc " * 40_000]


def test_hostile_lint_bodies_leave_a_real_server_answering(tmp_path):
    """Each hostile body POSTed to gunicorn, twice at once, while lookups probe: every request answers."""
    def post_lint(body: bytes) -> tuple[int, str]:
        request = urllib.request.Request(server + "/api/v1/lint", data=body,
                                         headers={"Content-Type": "application/xml"})
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())["format"]

    def probe(_) -> int:
        with urllib.request.urlopen(server + "/api/v1/terms/c2", timeout=5) as response:
            return response.status

    with gunicorn(embedded_store(), tmp_path / "cache") as server:
        with ThreadPoolExecutor(max_workers=6) as pool:
            lints = [pool.submit(post_lint, body) for body in HOSTILE_LINT_BODIES * 2]
            probes = list(pool.map(probe, range(40)))
            answers = [lint.result() for lint in lints]
    assert answers == [(200, "rfcxml")] * len(lints)
    assert probes == [200] * 40
