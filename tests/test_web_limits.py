"""Pages over a store that holds more than any import would accept (written directly through
glossary.store): every page answers, lists and texts are cut to the page limits, saying so, and
the JSON twins keep everything."""

from __future__ import annotations

import lxml.html
import pytest

from glossary.api import create_app
from glossary.limits import MAX_DEFINITION_CHARS, MAX_TERMS_PER_VERSION
from glossary.model import Section, Term
from glossary.store import Store
from support import copy_of_embedded_store, make_version

MANY = MAX_TERMS_PER_VERSION + 500
LONG = 2_000_000  # characters of one definition, a hundred times the limit
OLD, NEW = "draft-test-huge-00", "draft-test-huge-01"


def many_terms(prefix: str, long_word: str) -> list[Term]:
    section = Section("2", "Terms", "terms")
    terms = [Term(f"{prefix}-{i}", f"{prefix.title()} {i}", "term", f"Definition {i} of a constrained node.",
                  section, "dl") for i in range(MANY)]
    long_definition = " ".join([long_word] * (LONG // (len(long_word) + 1)))
    return [Term("huge", "Huge", "term", long_definition, Section("3", "Huge", "huge"), "dl"), *terms]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    work = tmp_path_factory.mktemp("huge")
    store = Store(copy_of_embedded_store(work / "terms").directory)
    # the new version renames every term (MANY x MANY rename pairs) and changes the long definition
    store.save(make_version(OLD, *many_terms("old", "alpha"), date="2030-01-01"))
    store.save(make_version(NEW, *many_terms("new", "beta"), date="2030-02-01"))
    return create_app(store.directory, work / "cache").test_client()


def page_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, lxml.html.document_fromstring(response.get_data(as_text=True))


def test_a_version_page_lists_the_first_terms_and_says_how_many_more(client):
    response, page = page_of(client, f"/versions/{NEW}")
    assert len(page.cssselect(".definition-item")) == MAX_TERMS_PER_VERSION
    assert f"And {MANY + 1 - MAX_TERMS_PER_VERSION:,} more" in page.text_content()
    assert len(response.data) < 2_000_000
    assert len(client.get(f"/api/v1/versions/{NEW}/terms").get_json()["terms"]) == MANY + 1


def test_a_long_definition_is_shown_cut_and_the_json_has_it_whole(client):
    response, page = page_of(client, f"/terms/huge?version={NEW}")
    whole = client.get(f"/api/v1/terms/huge?version={NEW}").get_json()["definition"]
    shown = page.cssselect(".definition-card .definition")[0].text_content()
    assert f"it has {len(whole):,} characters, this page shows the first {MAX_DEFINITION_CHARS:,}" in shown
    assert len(response.data) < 10 * MAX_DEFINITION_CHARS
    assert not page.cssselect("pre[id^=snippet-]")  # no snippet to paste that would be cut
    assert len(whole) > LONG - 10


@pytest.mark.parametrize("view", ["side", "inline"])
def test_the_diff_of_huge_versions_answers_with_cut_lists(client, view):
    response, page = page_of(client, f"/diff?from={OLD}&to={NEW}&view={view}")
    text = page.text_content()
    assert len(page.cssselect("ul.status-list-added li")) == MAX_TERMS_PER_VERSION
    assert f"And {MANY - MAX_TERMS_PER_VERSION:,} more" in text  # of the added, and of the removed
    huge = page.cssselect("article#term-huge")[0]  # the long definition changed: shown, cut
    assert "beta" in huge.text_content() and len(huge.text_content()) < 5 * MAX_DEFINITION_CHARS
    assert len(response.data) < 3_000_000


def test_search_over_huge_versions_answers(client):
    found = client.get(f"/api/v1/search?q=beta&version={NEW}").get_json()
    assert [hit["id"] for hit in found["hits"]] == ["huge"]
    assert len(found["hits"][0]["snippet"]) < 1000
    many = client.get(f"/api/v1/search?q=constrained+node&version={NEW}&limit=5").get_json()
    assert many["total"] >= 5 and len(many["hits"]) == 5
    response, page = page_of(client, f"/search?q=constrained+node&version={NEW}")
    assert len(page.cssselect("ol.results li")) == 20


def test_every_other_page_answers(client):
    for url in ("/", f"/terms/new-7?version={NEW}", "/terms/huge", f"/versions/{OLD}"):
        assert client.get(url, follow_redirects=True).status_code in (200, 404), url
    summary = client.get(f"/api/v1/diff?from={OLD}&to={NEW}").get_json()["summary"]
    assert summary["added"] == MANY and summary["removed"] == MANY and summary["changed"] == 1
