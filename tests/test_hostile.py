"""Small hostile inputs: each is answered (read, or refused with one clear line), never stalls.

These tests assert the answer; how long each case takes beside a normal
import is what bench/hostile.py prints.
"""

from __future__ import annotations

import pytest

import hostile_inputs
from glossary.catalog import Catalog
from glossary.drafts import XML, read_draft
from glossary.lint import lint
from glossary.store import Store, embedded_store
from importers import read_version
from importers.terms import expansions

NEWEST = "draft-ietf-iotops-7228bis-07"


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
    lines = 200_000
    report = lint(b"Terms of RFC 7228.\n" + b"C2 and C2\n" * lines, catalog)
    [use] = report.uses
    assert use.term == "Class 2" and use.forms == ["C2"]
    assert use.lines == list(range(2, lines + 2))


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
