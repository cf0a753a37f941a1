"""Small hostile inputs: each is answered (read, or refused with one clear line), never stalls.

These tests assert the answer; how long each case takes beside a normal
import is what bench/hostile.py prints.
"""

from __future__ import annotations

import pytest

from glossary.catalog import Catalog
from glossary.drafts import XML, read_draft
from glossary.lint import lint
from glossary.store import Store, embedded_store


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
