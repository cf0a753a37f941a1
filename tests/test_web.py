"""The reviewer pages, through Flask's test client: statuses, content, escaping, errors, links.

Most tests read the embedded store (data/terms/, 16 revisions); the escaping
tests read a hand-made store whose document text is hostile markup.
"""

from __future__ import annotations

import re
import subprocess
import sys
import shutil
import zipfile
from urllib.parse import parse_qs, urlsplit

import lxml.html
import feedparser
import pytest

from glossary.authoring.embed import FORMATS, embed
from glossary.model import Section, Source, Term, Version
from glossary.store import Store, embedded_store
from glossary.web.links import section_links
from glossary.api import create_app
from support import HOSTILE, NEWEST, OLDEST, ROOT, SEVEN, hostile_version, legend_versions

CLASS_COLUMNS = ["Group", "data size (e.g., RAM)", "code size (e.g., Flash)", "Examples"]


def get_page(client, url: str, status: int = 200):
    """The page parsed with lxml, after checking its status and that it is HTML."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html", url
    return lxml.html.document_fromstring(response.get_data(as_text=True))


def texts(elements) -> list[str]:
    return [" ".join(element.text_content().split()) for element in elements]


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# --- the home page ---------------------------------------------------------------------


def test_home_lists_the_lineage_with_dates_and_term_counts(client):
    page = get_page(client, "/")
    rows = page.cssselect("table.lineage tbody tr")
    assert len(rows) == 16
    first_cells = texts(rows[-1].cssselect("th, td"))
    assert texts(rows[-1].cssselect("th .vname-full")) == [OLDEST]  # on a phone: the short name, see below
    assert texts(rows[-1].cssselect("th abbr.vname-short")) == ["bormann-lwig-00"]
    assert rows[-1].cssselect("th abbr.vname-short")[0].get("title") == OLDEST
    assert first_cells[1:3] == ["2016-10-30", "34"]
    assert "first version" in first_cells[3]
    newest = rows[0]
    assert newest.cssselect("th a")[0].get("href") == f"/versions/{NEWEST}"
    assert "editor's copy" in newest.text_content()
    assert texts(newest.cssselect("td"))[:2] == ["2026-06-30", "87"]
    # each line compares with the version before it
    delta = rows[1].cssselect("a.delta")[0]
    assert query_of(delta.get("href")) == {"from": "draft-ietf-iotops-7228bis-03", "to": SEVEN}
    assert "12 added" in delta.text_content() and "30 changed" in delta.text_content()
    # iotops-04 to -06 were never published to the store: a change "in -07" may be in any of them
    assert "revisions not in the store: -04, -05, -06" in rows[1].text_content()
    # editorial changes are counted apart, with their own link
    editorial_row = next(r for r in rows if r.cssselect("a.delta-editorial"))
    assert query_of(editorial_row.cssselect("a.delta-editorial")[0].get("href"))["status"] == "editorial"
    assert "editorial" not in editorial_row.cssselect("a.delta")[0].text_content()


def test_home_has_a_search_box_and_the_latest_changes(client):
    page = get_page(client, "/")
    [form] = page.cssselect("form.search-big")
    assert form.get("action") == "/search" and form.get("method") == "get"
    assert page.cssselect("label[for=q]") and page.cssselect("input#q[name=q]")
    [recent] = [card for card in page.cssselect("section.card") if "Latest changes" in card.text_content()]
    assert "29 changed" in texts(recent.cssselect(".chip"))
    changed = {link.text_content(): link.get("href") for link in recent.cssselect(".recent-list a")}
    assert len(changed) == 12 and "Sh9" in changed
    assert query_of(changed["Sh9"]) == {"from": SEVEN, "to": NEWEST, "term": "sh9"}


def test_home_reaches_class_2_and_the_whole_diff_in_one_click(client):
    page = get_page(client, "/")
    links = {" ".join(a.text_content().split()): a.get("href") for a in page.cssselect("a")}
    assert links["Class 2"] == "/terms/class-2"
    assert query_of(links["Compare oldest → latest"]) == {"from": OLDEST, "to": NEWEST}


# --- a version ----------------------------------------------------------------------------


def test_a_version_groups_its_terms_by_kind_with_tables_as_tables(client):
    page = get_page(client, f"/versions/{SEVEN}")
    assert texts(page.cssselect("h1")) == [SEVEN]
    kinds = [section.get("id") for section in page.cssselect("section.kind-group")]
    assert kinds[:3] == ["kind-term", "kind-acronym", "kind-device-class"]
    assert "kind-mtu-class" in kinds
    [devices] = page.cssselect("#kind-device-class table")
    assert texts(devices.cssselect("thead th")) == ["Term", *CLASS_COLUMNS]
    rows = {texts(row.cssselect("th"))[0]: texts(row.cssselect("td")) for row in devices.cssselect("tbody tr")}
    assert rows["Class 2 (C2)"] == ["M", "~ 50 KiB", "~ 250 KiB", "STM32F103RC"]
    assert devices.cssselect("tbody tr th a")[0].get("href") == f"/terms/class-0?version={SEVEN}"
    mtu_columns = texts(page.cssselect("#kind-mtu-class thead th"))
    assert mtu_columns[0] == "Term" and len(mtu_columns) == 4
    # prose terms are definitions, not table rows
    assert "Constrained Node" in texts(page.cssselect("#kind-term dt a"))


def test_the_newest_version_links_terms_without_a_version(client):
    page = get_page(client, "/versions/latest")
    assert page.cssselect("#kind-device-class tbody tr th a")[2].get("href") == "/terms/class-2"


def test_the_version_menu_works_without_javascript(client):
    page = get_page(client, f"/versions/{SEVEN}")
    [form] = [form for form in page.cssselect("form") if form.cssselect("select[name=version]")]
    assert form.get("action") == "/versions" and form.get("method") == "get"
    response = client.get(f"/versions?version={OLDEST}")
    assert response.status_code == 302 and response.headers["Location"] == f"/versions/{OLDEST}"


# --- a term ---------------------------------------------------------------------------------


def test_a_term_shows_its_definition_attributes_and_citation(client):
    page = get_page(client, "/terms/class-2")
    assert texts(page.cssselect("h1")) == ["Class 2"]
    assert texts(page.cssselect(".alias")) == ["C2"]
    definition = texts(page.cssselect(".definition-card .definition"))[0]
    assert definition.startswith("Group: M; data size (e.g., RAM): ~ 50 KiB")
    attributes = dict(zip(texts(page.cssselect(".attributes th")), texts(page.cssselect(".attributes td"))))
    assert list(attributes) == CLASS_COLUMNS and attributes["Examples"] == "STM32F103RC"
    assert f"Defined in Section 3 of {NEWEST}" in texts(page.cssselect(".citation"))[0]


def test_a_term_offers_its_citing_snippets_to_copy(client):
    page = get_page(client, f"/terms/c1?version={SEVEN}")
    version = Store(embedded_store()).load(SEVEN)
    term = version.find("class-1")
    shown = {pre.get("id"): pre.text_content() for pre in page.cssselect(".cite pre")}
    for fmt in FORMATS:
        assert shown[f"snippet-{fmt}"] == embed(term, version, fmt).text  # as text, not as markup
    assert '<xref target="I-D.ietf-iotops-7228bis" section="3"/>' in shown["snippet-xml"]
    assert shown["reference-xml"].startswith("<reference ")
    copy_buttons = page.cssselect(".cite button[data-copy]")
    assert {button.get("data-copy") for button in copy_buttons} <= set(shown)
    assert len(copy_buttons) == len(shown)


def test_by_default_the_term_page_cites_the_newest_numbered_revision(client):
    page = get_page(client, "/terms/c1")  # shows the newest version, the editor's copy
    shown = {pre.get("id"): pre.text_content() for pre in page.cssselect(".cite pre")}
    assert "Section 3 of draft-ietf-iotops-7228bis-07" in " ".join(shown["snippet-text"].split())
    assert "I-D.draft-ietf-iotops-7228bis-07" in shown["reference-kramdown"]
    assert all("-latest" not in text for text in shown.values())
    assert "stand_alone: true" in page.cssselect(".cite")[0].text_content()


def test_a_term_links_to_its_section_in_the_ietf_html(client):
    seven = get_page(client, f"/terms/class-2?version={SEVEN}")
    assert [a.get("href") for a in seven.cssselect(".source-links a")] == [
        f"https://www.ietf.org/archive/id/{SEVEN}.html#section-3"]
    # the editor's copy is not in the archive: the datatracker, then the newest numbered revision
    latest = get_page(client, "/terms/class-2")
    assert [a.get("href") for a in latest.cssselect(".source-links a")] == [
        "https://datatracker.ietf.org/doc/draft-ietf-iotops-7228bis/",
        f"https://www.ietf.org/archive/id/{SEVEN}.html#section-3",
    ]


def test_the_page_and_the_html_snippet_link_a_term_to_the_same_section(client):
    """One rule for a term's section link: the page's source link is the link the HTML snippet cites."""
    page = get_page(client, f"/terms/c2?version={SEVEN}")
    [source_link] = [a.get("href") for a in page.cssselect(".source-links a")]
    version = Store(embedded_store()).load(SEVEN)
    snippet = embed(version.find("c2"), version, "html").text
    assert f'<a href="{source_link}">Section 3 of {SEVEN}</a>' in snippet


def test_section_links_of_an_rfc_and_of_an_unanchored_section():
    source = Source("rfc7228.txt", "rfc-text", "0" * 64)
    term = Term("class-2", "Class 2", "device-class", "", Section("3", "Classes of Constrained Devices"), "table")
    rfc = Version("rfc7228", "rfc7228", None, "2014-05-01", "Terminology", source, [term])
    [link] = section_links(rfc, term, [rfc])
    assert link.url == "https://www.rfc-editor.org/rfc/rfc7228.html#section-3"
    draft = Version("draft-x-00", "draft-x", "00", None, "T", source, [term])
    assert section_links(draft, term, [draft])[0].url == "https://www.ietf.org/archive/id/draft-x-00.html#section-3"


def test_the_section_anchors_exist_in_the_ietf_html(corpus):
    """Every link to a section lands on an id of the xml2rfc HTML of that revision (the corpus has it)."""
    store = Store(embedded_store())
    lineage = store.load_versions()
    for version in lineage:
        for term in version.terms:
            for link in section_links(version, term, lineage):
                if "#" not in link.url:
                    continue
                page, fragment = link.url.rsplit("/", 1)[1].split("#")
                html = (corpus / "html" / page).read_text(encoding="utf-8")
                assert f'id="{fragment}"' in html, (version.name, term.id, link.url)


def test_the_version_switcher_lists_the_versions_that_define_the_term(client):
    page = get_page(client, "/terms/class-2")
    [form] = [form for form in page.cssselect("form") if form.cssselect("select#version")]
    assert form.get("action") == "/terms/class-2" and form.get("method") == "get"
    options = form.cssselect("option")
    assert len(options) == 16 and options[0].get("value") == NEWEST and options[0].get("selected") is not None
    older = get_page(client, f"/terms/class-2?version={OLDEST}")
    assert "data size (e.g., RAM): ~ 50 KiB; code size (e.g., Flash): ~ 250 KiB" == texts(
        older.cssselect(".definition-card .definition"))[0]
    assert [o.get("value") for o in older.cssselect("select#version option[selected]")] == [OLDEST]
    assert older.cssselect("a[rel=next]")[0].get("href") == "/terms/class-2?version=draft-bormann-lwig-7228bis-01"


def test_the_history_timeline_links_each_change_to_its_diff(client):
    page = get_page(client, "/terms/class-2")
    events = page.cssselect("ol.timeline li")
    assert [texts(e.cssselect(".badge"))[0] for e in events] == ["added"] + ["changed"] * 5
    assert "draft-bormann-lwig-7228bis-04" in events[2].text_content()
    assert "Changed: Examples" in events[2].text_content(), "a row's cells, not its definition again"
    assert "revisions not in the store: -03" in events[2].text_content()
    [change] = [a for a in events[2].cssselect("a") if a.text_content().startswith("Show the changes")]
    assert query_of(change.get("href")) == {
        "from": "draft-bormann-lwig-7228bis-02", "to": "draft-bormann-lwig-7228bis-04", "term": "class-2"}
    assert not [a for a in events[0].cssselect("a") if a.text_content().startswith("Show the changes")]
    [first] = [a for a in page.cssselect("a") if a.text_content().strip() == "Compare with first version"]
    assert query_of(first.get("href")) == {"from": OLDEST, "to": NEWEST, "term": "class-2"}


def test_a_removed_term_shows_its_last_appearance_and_its_removal(client):
    page = get_page(client, "/terms/class-13")
    assert "draft-bormann-lwig-7228bis-02" in texts(page.cssselect(".definition-card h2"))[0]
    assert "not in the newest version" in page.text_content()
    removal = page.cssselect("ol.timeline li.event-removed")[0]
    [link] = [a for a in removal.cssselect("a") if a.text_content().startswith("Show the changes")]
    assert query_of(link.get("href")) == {
        "from": "draft-bormann-lwig-7228bis-02", "to": "draft-bormann-lwig-7228bis-04", "term": "class-13"}
    diff = get_page(client, link.get("href"))
    assert texts(diff.cssselect("#removed-heading")) == ["Removed 1"]


def test_a_former_name_finds_the_renamed_term(client):
    page = get_page(client, "/terms/s2-2")
    assert texts(page.cssselect("h1")) == ["S3"]
    assert "former name" in page.text_content()
    assert any(e.get("class").startswith("event-renamed") for e in page.cssselect("ol.timeline li"))


def test_aliases_and_case_find_a_term(client):
    for name in ("C2", "class%202", "CLASS-2"):
        assert texts(get_page(client, f"/terms/{name}").cssselect("h1")) == ["Class 2"]


# --- the diff ----------------------------------------------------------------------------------


def test_the_diff_defaults_to_oldest_and_newest_with_counts(client):
    page = get_page(client, "/diff")
    assert OLDEST in texts(page.cssselect("h1"))[0] and NEWEST in texts(page.cssselect("h1"))[0]
    chips = texts(page.cssselect(".summary .chip"))
    # S2's second row of bormann-00 is S3 now, as its history says: renamed, not removed and added
    assert chips == ["all 87", "53 added", "0 removed", "20 changed", "0 editorial", "1 renamed", "13 unchanged"]
    assert "Class 10" in texts(page.cssselect("#added-heading ~ ul a.term-name"))
    assert [o.get("value") for o in page.cssselect("select#from option[selected]")] == [OLDEST]
    assert [o.get("value") for o in page.cssselect("select#to option[selected]")] == [NEWEST]


def test_a_changed_definition_is_shown_side_by_side_with_word_highlights(client):
    page = get_page(client, "/diff")
    [row] = page.cssselect("article#term-constrained-network")
    old, new = row.cssselect(".side-old .diff-text")[0], row.cssselect(".side-new .diff-text")[0]
    assert old.cssselect("del") and new.cssselect("ins")
    assert not old.cssselect("ins") and not new.cssselect("del")


def test_a_table_row_change_is_shown_once_as_its_cells(client):
    page = get_page(client, "/diff")
    [row] = page.cssselect("article#term-class-2")
    changes = {texts(tr.cssselect("th"))[0]: texts(tr.cssselect("td")) for tr in row.cssselect(".attr-changes tbody tr")}
    assert changes == {"Group": ["(none)", "M"], "Examples": ["(none)", "STM32F103RC"]}
    # the definition only writes the cells out: no second copy of the same change
    assert not [side for side in row.cssselect(".side-by-side") if "Group: M" in side.text_content()]
    assert "Classes of Constrained Devices" in texts(row.cssselect(".other-changes del"))[0]


def test_the_inline_view_is_a_link_and_keeps_the_filters(client):
    page = get_page(client, "/diff?kind=device-class")
    [toggle] = [a for a in page.cssselect(".view-toggle a") if a.text_content() == "inline"]
    assert query_of(toggle.get("href")) == {"kind": "device-class", "view": "inline"}
    inline = get_page(client, toggle.get("href"))
    [row] = inline.cssselect("article#term-class-2")
    assert not row.cssselect(".side-by-side")
    assert row.cssselect(".attr-changes")
    back = [a for a in inline.cssselect(".view-toggle a") if a.text_content() == "side by side"][0]
    assert query_of(back.get("href")) == {"kind": "device-class"}


def test_filters_live_in_the_url(client):
    page = get_page(client, f"/diff?from={OLDEST}&to={NEWEST}&kind=device-class&status=added")
    assert texts(page.cssselect(".summary .chip"))[:3] == ["all 10", "7 added", "0 removed"]
    assert texts(page.cssselect("#added-heading ~ ul a.term-name")) == [
        "Class 3", "Class 4", "Class 10", "Class 15", "Class 16", "Class 17", "Class 19"]
    assert not page.cssselect("article.change")
    # the form sends blank fields too: they are dropped by a redirect, so the URL stays short to share
    response = client.get(f"/diff?from={OLDEST}&to={NEWEST}&kind=&status=changed")
    assert response.status_code == 302
    assert query_of(response.headers["Location"]) == {"from": OLDEST, "to": NEWEST, "status": "changed"}


def test_one_term_between_two_versions(client):
    page = get_page(client, f"/diff?from={OLDEST}&to=latest&term=C2")
    assert [a.get("id") for a in page.cssselect("article.change")] == ["term-class-2"]
    assert "Only Class 2 is shown" in " ".join(texts(page.cssselect(".notice")))
    assert page.cssselect("input[type=hidden][name=term][value=class-2]")


def test_a_rename_reads_as_a_rename(client):
    page = get_page(client, "/diff?from=draft-bormann-lwig-7228bis-05&to=draft-bormann-lwig-7228bis-06")
    assert "S2 → S3" in texts(page.cssselect("article#term-s3 h3"))


def test_bad_diff_parameters_are_html_400s_naming_the_allowed_values(client):
    page = get_page(client, "/diff?status=gone", status=400)
    assert "status" in texts(page.cssselect("h1, .lede"))[1]
    assert "changed" in texts(page.cssselect(".suggestions a"))
    assert query_of(page.cssselect(".suggestions a")[0].get("href")) == {"status": "added"}
    get_page(client, "/diff?kind=planet", status=400)
    get_page(client, "/diff?view=sideways", status=400)


# --- search ------------------------------------------------------------------------------------


def test_search_tolerates_typos_and_marks_the_matches(client):
    page = get_page(client, "/search?q=constraned+node")
    first = page.cssselect("ol.results li")[0]
    assert texts(first.cssselect("h2 a")) == ["Constrained Node"]
    assert first.cssselect("h2 a")[0].get("href") == "/terms/constrained-node"
    assert {"node", "nodes"} <= set(texts(first.cssselect(".snippet mark")))
    assert page.cssselect("input#q")[0].get("value") == "constraned node"


def test_search_filters_by_kind_and_version(client):
    page = get_page(client, "/search?q=class&kind=device-class&version=all")
    assert page.cssselect("ol.results li")
    assert all("Device class" in meta for meta in texts(page.cssselect(".result-meta")))
    assert "in any version" in texts(page.cssselect(".result-count"))[0]
    removed = get_page(client, "/search?q=class+13&version=all")
    [link] = [a for a in removed.cssselect("ol.results h2 a") if a.text_content() == "Class 13"]
    assert link.get("href") == "/terms/class-13?version=draft-bormann-lwig-7228bis-02"
    older = get_page(client, f"/search?q=class&version={OLDEST}")
    assert OLDEST in texts(older.cssselect(".result-count"))[0]


def test_search_offers_did_you_mean(client):
    page = get_page(client, "/search?q=clsas+22")
    [suggestion] = page.cssselect(".did-you-mean a")
    assert query_of(suggestion.get("href"))["q"] == suggestion.text_content()


def test_an_empty_search_shows_the_form(client):
    page = get_page(client, "/search")
    assert page.cssselect("input#q") and not page.cssselect("ol.results")
    assert client.get("/search?q=").status_code == 302
    get_page(client, "/search?q=x&page=zero", status=400)
    get_page(client, "/search?q=x&kind=planet", status=400)


# --- errors ----------------------------------------------------------------------------------


def test_an_unknown_term_is_an_html_404_with_close_matches(client):
    page = get_page(client, "/terms/clas2", status=404)
    links = {a.text_content(): a.get("href") for a in page.cssselect(".suggestions a")}
    assert "Class 2" in links
    assert texts(get_page(client, links["Class 2"]).cssselect("h1")) == ["Class 2"]
    nowhere = get_page(client, "/terms/frobnicator", status=404)
    assert "No version defines" in nowhere.text_content()


def test_an_unknown_version_is_an_html_404_with_close_matches(client):
    page = get_page(client, "/versions/draft-ietf-iotops-7228bis-7", status=404)
    assert SEVEN in texts(page.cssselect(".suggestions a"))
    diff = get_page(client, f"/diff?from=draft-borman-lwig-7228bis-00&to={NEWEST}", status=404)
    hrefs = [query_of(a.get("href")) for a in diff.cssselect(".suggestions a")]
    assert {"from": OLDEST, "to": NEWEST} in hrefs
    term = get_page(client, "/terms/class-2?version=draft-nope", status=404)
    assert term.cssselect(".suggestions a")
    search = get_page(client, "/search?q=node&version=draft-nope", status=404)
    assert search.cssselect(".suggestions a")


def test_a_term_missing_from_the_version_asked_for_links_where_it_is(client):
    page = get_page(client, f"/terms/class-10?version={OLDEST}", status=404)
    links = {a.text_content(): a.get("href") for a in page.cssselect(".suggestions a")}
    assert links[NEWEST] == "/terms/class-10" and f"/terms/class-10?version={SEVEN}" in links.values()
    get_page(client, "/diff?term=nothing-like-it", status=404)


ODD_URLS = [
    "/terms/%00", "/terms/%E2%80%8B", "/terms/" + "x" * 3000, "/versions/..%2F..%2Fetc",
    "/diff?from=%00&to=latest", "/diff?term=%22%3E%3Cscript%3E", "/diff?status=%3Cb%3E",
    "/search?q=%22", "/search?q=AND", "/search?q=*&page=999", "/search?q=%00%01",
    "/search?q=" + "a" * 5000, "/search?q=x&page=99999999999999999999", "/?x=%00",
]


@pytest.mark.parametrize("url", ODD_URLS)
def test_odd_input_is_never_a_server_error(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code < 500, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "text/html"


# --- every page ---------------------------------------------------------------------------------

PAGES = [
    "/", f"/versions/{SEVEN}", "/versions/latest", "/terms/class-2", f"/terms/lln?version={OLDEST}",
    "/diff", f"/diff?from={OLDEST}&to=latest&term=class-2&view=inline", "/diff?status=unchanged",
    "/search", "/search?q=constraned+node", "/search?q=class&version=all", "/search?q=zzzzqqqq",
    "/terms/clas2", "/diff?status=gone",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_sound_html(client, url):
    response = client.get(url)
    assert response.status_code < 500
    html = response.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    page = lxml.html.document_fromstring(html)
    assert page.get("lang") == "en"
    assert page.findtext(".//title").strip()
    assert len(page.cssselect("h1")) == 1 and len(page.cssselect("main")) == 1
    assert page.cssselect('meta[name="viewport"]')
    ids = [element.get("id") for element in page.iter() if isinstance(element.tag, str) and element.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    labelled = {label.get("for") for label in page.cssselect("label")}
    for field in page.cssselect("input:not([type=hidden]), select"):
        assert field.get("id") in labelled or field.get("aria-label"), (url, field.get("name"))
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"heading levels skip: {levels}"


JSON_TWINS = {
    "/": ["/api/v1/versions"],
    f"/versions/{SEVEN}": [f"/api/v1/versions/{SEVEN}/terms"],
    f"/terms/class-2?version={OLDEST}": [f"/api/v1/terms/class-2?version={OLDEST}", "/api/v1/terms/class-2/history"],
    "/diff?kind=device-class&status=changed": [
        f"/api/v1/diff?from={OLDEST}&to={NEWEST}&kind=device-class&status=changed"],
    "/diff?term=class-2": [f"/api/v1/terms/class-2/diff?from={OLDEST}&to={NEWEST}"],
    "/search?q=duty+cycle&version=all": ["/api/v1/search?q=duty+cycle&version=all"],
}


@pytest.mark.parametrize("url", list(JSON_TWINS))
def test_every_page_links_its_json_twin(client, url):
    page = get_page(client, url)
    twins = [a.get("href") for a in page.cssselect("footer a.json-link")]
    assert twins == JSON_TWINS[url]
    assert page.cssselect('link[rel=alternate][type="application/json"]')[0].get("href") == twins[0]
    for twin in twins:
        response = client.get(twin)
        assert response.status_code == 200 and response.mimetype == "application/json", twin


def test_every_link_of_the_main_pages_leads_somewhere(client):
    seen = set()
    for url in ("/", "/diff", "/terms/class-2", f"/versions/{SEVEN}"):
        for link in get_page(client, url).cssselect("a[href]"):
            href = link.get("href").split("#")[0]
            if not href.startswith("/") or href in seen:
                continue
            seen.add(href)
            response = client.get(href)
            assert response.status_code in (200, 302), (url, href, response.status_code)
    assert len(seen) > 100


def test_pages_render_from_memory_once_the_store_is_read(app, client, monkeypatch):
    """After the first page has read the versions, no page goes back to the store's files."""
    get_page(client, "/")
    calls = []
    # (Catalog.resolve still reads index.json, a few hundred bytes; no version file is read again)
    for method in ("load", "load_versions", "content_hash"):
        monkeypatch.setattr(Store, method, lambda *args, _m=method, **kwargs: calls.append(_m))
    for url in (f"/versions/{OLDEST}", "/terms/lln?version=draft-bormann-lwig-7228bis-05", "/terms/class-13",
                "/diff?from=draft-bormann-lwig-7228bis-02&to=draft-ietf-lwig-7228bis-00&view=inline",
                "/terms/nothing-like-this"):
        assert client.get(url).status_code in (200, 404), url
    assert calls == []


def test_static_files_are_served(client):
    css = client.get("/assets/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"@media (max-width" in css.data
    assert client.get("/assets/enhance.js").status_code == 200


# --- escaping -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("hostile") / "terms")
    store.save(hostile_version("00", HOSTILE, "<script>alert(3)</script>"))
    store.save(hostile_version("01", HOSTILE.replace("bold", "bolder") + ' <a href="javascript:alert(4)">x</a>',
                               "<script>alert(5)</script>"))
    return create_app(store.directory, tmp_path_factory.mktemp("hostile-cache")).test_client()


HOSTILE_PAGES = [
    "/", "/versions/draft-test-hostile-00", "/versions/latest", "/terms/hostile",
    "/terms/hostile?version=draft-test-hostile-00", "/terms/class-x", "/diff", "/diff?view=inline",
    "/diff?term=hostile", "/search?q=alert", "/search?q=bold&version=all", "/search?q=boldd",
    "/terms/%3Cscript%3Ealert(6)%3C%2Fscript%3E", "/diff?status=%3Cscript%3Ealert(7)%3C%2Fscript%3E",
    "/versions/%3Cb%3Ex%3C%2Fb%3E",
]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_document_text_is_shown_as_text_and_never_runs(hostile_client, url):
    response = hostile_client.get(url)
    assert response.status_code in (200, 400, 404), url
    html = response.get_data(as_text=True)
    page = lxml.html.document_fromstring(html)
    scripts = page.cssselect("script")
    assert all(script.get("src", "").endswith("/assets/enhance.js") and not script.text for script in scripts)
    assert not page.cssselect("b, i, u, s, em, img") and len(page.cssselect("title")) == 1
    assert not [a for a in page.cssselect("a[href]") if a.get("href").lower().startswith("javascript:")]
    assert not [el for el in page.iter() if isinstance(el.tag, str) and any(k.startswith("on") for k in el.attrib)]
    assert "<script>alert" not in html


def test_hostile_text_reads_as_written(hostile_client):
    html = hostile_client.get("/terms/hostile").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bolder&lt;/b&gt;" in html
    page = lxml.html.document_fromstring(html)
    assert texts(page.cssselect("h1")) == ["Hostile <i>Term</i>"]
    assert HOSTILE.replace("bold", "bolder") in page.cssselect(".definition-card .definition")[0].text_content()
    assert texts(page.cssselect(".alias")) == ['<img src=x onerror="alert(2)">']
    diff = lxml.html.document_fromstring(hostile_client.get("/diff").get_data(as_text=True))
    assert "bolder" in "".join(texts(diff.cssselect("article#term-hostile .side-new ins")))
    assert "<script>alert(5)</script>" in texts(diff.cssselect("article#term-class-x .attr-changes td"))
    search = lxml.html.document_fromstring(hostile_client.get("/search?q=alert").get_data(as_text=True))
    assert "alert" in texts(search.cssselect(".snippet mark"))


# --- packaging --------------------------------------------------------------------------------------


def test_the_wheel_carries_the_templates_and_static_files(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, project / name)
    for package in ("glossary", "importers"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "dist"), str(project)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {f"glossary/web/templates/{p.name}" for p in (ROOT / "glossary/web/templates").glob("*.html")}
    static = {f"glossary/web/static/{p.name}" for p in (ROOT / "glossary/web/static").iterdir()}
    assert templates and static and templates | static <= names
    assert not [name for name in names if re.search(r"tests/|artifacts", name)]


# --- the error contract, as pages ---------------------------------------------------


def test_an_unknown_kind_is_a_400_linking_the_valid_kinds(client):
    page = get_page(client, "/diff?kind=device-clas", status=400)
    links = {a.text_content(): a.get("href") for a in page.cssselect(".suggestions a")}
    assert list(links)[0] == "device-class" and "energy-class" in links
    assert get_page(client, links["device-class"]).cssselect("h1")


def test_a_term_missing_from_the_version_asked_says_where_it_first_appears(client):
    page = get_page(client, "/terms/c3?version=oldest", status=404)
    assert "first appears in draft-bormann-lwig-7228bis-04" in page.text_content()
    assert "draft-bormann-lwig-7228bis-04" in texts(page.cssselect(".suggestions a"))


def test_a_revision_shorthand_opens_its_version(client):
    page = get_page(client, "/terms/c1?version=iotops-07")
    assert "draft-ietf-iotops-7228bis-07" in page.text_content()


def test_a_lookup_by_an_alias_the_document_contradicts_says_so(client):
    page = get_page(client, "/terms/C15?version=bormann-04")
    assert texts(page.cssselect("h1")) == ["Class 16"]
    assert "gives C15 as another name of Class 16, but the numbers disagree" in \
        " ".join(texts(page.cssselect(".notice")))
    assert not get_page(client, "/terms/C1?version=bormann-04").cssselect(".notice.warning")


# --- feeds of definition changes -------------------------------------------------------

SUBSTANTIVE = {"added", "removed", "changed", "renamed"}


def parsed_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_the_changes_feed_has_one_entry_per_substantive_change_between_consecutive_versions(client):
    feed = parsed_feed(client, "/feeds/changes.atom")
    names = [v["name"] for v in client.get("/api/v1/versions").get_json()["versions"]]
    expected = []
    for old, new in zip(names, names[1:]):
        diff = client.get(f"/api/v1/diff?from={old}&to={new}").get_json()
        expected += [(entry["term"], entry["status"], new) for entry in diff["terms"] if entry["status"] in SUBSTANTIVE]
    assert expected and len(feed.entries) == len(expected)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    for entry, (term, status, new) in zip(feed.entries, expected):
        assert entry.title.startswith(f"{term}: {status}") and entry.title.endswith(new)
        assert entry.updated_parsed and entry.content[0].value
    first = feed.entries[0]
    assert client.get(first.link.replace("http://localhost", "")).status_code == 200
    assert feed.feed.title and feed.feed.updated


def test_a_term_feed_follows_its_history(client):
    feed = parsed_feed(client, "/terms/C1/feed.atom")
    history = client.get("/api/v1/terms/class-1/history").get_json()
    events = [e for e in history["events"] if e["event"] in SUBSTANTIVE | {"re-added"}]
    assert len(events) >= 3
    assert [entry.title for entry in feed.entries] == [f"{e['term']}: {e['event']} in {e['version']}" for e in events]
    changed = next(entry for entry in feed.entries if ": changed in " in entry.title)
    assert "In draft-" in changed.content[0].value  # both definitions, named by version
    assert client.get("/terms/frobnicator/feed.atom").status_code == 404


def test_pages_link_their_feeds(client):
    home = get_page(client, "/")
    feeds = [link.get("href") for link in home.cssselect('link[rel="alternate"][type="application/atom+xml"]')]
    assert feeds == ["/feeds/changes.atom"]
    term = get_page(client, "/terms/c1")
    feeds = [link.get("href") for link in term.cssselect('link[rel="alternate"][type="application/atom+xml"]')]
    assert feeds == ["/feeds/changes.atom", "/terms/class-1/feed.atom"]
    parsed_feed(client, feeds[1])


def test_the_home_caption_says_the_order_the_lineage_is_listed_in(client):
    page = get_page(client, "/")
    caption = page.cssselect(".lineage-caption")[0].text_content()
    assert caption.startswith("Newest first")
    rows = page.cssselect("table.lineage tbody tr")
    dates = [row.cssselect("time")[0].get("datetime") for row in rows]
    assert dates == sorted(dates, reverse=True)  # what the caption says


def test_the_home_page_shows_the_revisions_missing_from_the_store(client):
    page = get_page(client, "/")
    gaps = {texts(row.cssselect(".vname-full"))[0]: texts(row.cssselect(".lineage-gap"))
            for row in page.cssselect("table.lineage tbody tr")}
    assert gaps[SEVEN] == ["revisions not in the store: -04, -05, -06"]
    assert gaps["draft-bormann-lwig-7228bis-04"] == ["revisions not in the store: -03"]
    assert sum(1 for found in gaps.values() if found) == 2  # the other revisions follow one another


def test_the_inline_view_keeps_a_space_between_the_old_words_and_the_new(client):
    page = get_page(client, f"/diff?from={SEVEN}&to={NEWEST}&term=challenged-network&view=inline")
    [text] = page.cssselect("article#term-challenged-network .inline-diff")
    assert "(MSL) assumed defined by TCP" in text.text_content()
    assert "assumeddefined" not in text.text_content()


def test_the_diff_page_sets_editorial_changes_apart_collapsed_and_filterable(client):
    old, new = "draft-ietf-iotops-7228bis-02", "draft-ietf-iotops-7228bis-03"
    page = get_page(client, f"/diff?from={old}&to={new}")
    [details] = page.cssselect("section.editorial details")
    assert details.get("open") is None, "collapsed"
    editorial = [a.get("id") for a in details.cssselect("article")]
    assert {"term-i0", "term-i1", "term-i9"} <= set(editorial)
    changed = [a.get("id") for a in page.cssselect("#changed-heading ~ article")]
    assert not set(editorial) & set(changed)
    [chip] = [a for a in page.cssselect(".summary .chip") if a.text_content().endswith("editorial")]
    only = get_page(client, chip.get("href"))
    assert only.cssselect("section.editorial details")[0].get("open") is not None
    assert not only.cssselect("#changed-heading")


def test_the_diff_page_links_the_whole_document_diffs_and_names_the_missing_revisions(client):
    page = get_page(client, f"/diff?from=draft-ietf-iotops-7228bis-03&to={SEVEN}")
    links = {a.text_content(): a.get("href") for a in page.cssselect(".document-context a")}
    assert links["Whole-document diff"] == (
        "https://author-tools.ietf.org/iddiff?url1=draft-ietf-iotops-7228bis-03&url2=draft-ietf-iotops-7228bis-07")
    assert links["Source commits compared"].startswith("https://github.com/lwig-wg/terminology/compare/")
    assert "revisions not in the store: -04, -05, -06" in page.cssselect(".document-context")[0].text_content()
    latest = get_page(client, f"/diff?from={SEVEN}&to={NEWEST}")
    links = {a.text_content() for a in latest.cssselect(".document-context a")}
    assert links == {"Source commits compared"}, "the editor's copy is not published: no iddiff"


def test_a_note_change_is_on_the_diff_page(client):
    page = get_page(client, f"/diff?from={SEVEN}&to={NEWEST}&term=class-1")
    notes = page.cssselect("article#term-class-1 .note-change")
    assert notes and any("explanation" in n.text_content() for n in notes)
    assert any("parsimonious" in "".join(texts(n.cssselect(".side-new ins"))) for n in notes)


@pytest.fixture(scope="module")
def legend_client(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("legend") / "terms")
    for version in legend_versions():
        store.save(version)
    return create_app(store.directory, tmp_path_factory.mktemp("legend-cache")).test_client()


@pytest.mark.parametrize("view", ["side", "inline"])
def test_a_legend_shared_by_three_rows_is_shown_once_on_the_diff_page(legend_client, view):
    page = get_page(legend_client, "/diff?from=draft-test-legend-00&to=draft-test-legend-01"
                                   + ("&view=inline" if view == "inline" else ""))
    [legend] = page.cssselect(".note-change")
    assert texts(legend.cssselect("del")) == ["stands"] and texts(legend.cssselect("ins")) == ["is short"]
    assert "1 distinct note edit, 1 shared by several terms" in page.cssselect("p.meta")[0].text_content()
    # every row is named, and each name leads to where its change is read
    for row_id, name in (("s0", "S0"), ("s1", "S1"), ("s2", "S2")):
        [named] = page.cssselect(f"#term-{row_id}")
        assert name in named.text_content(), row_id
    assert [a.get("href") for a in legend.cssselect(".note-also-in a")] == ["#term-s1", "#term-s2"]
    # S1 changed its cell too: shown with it, its legend pointing to S0's
    [s1] = page.cssselect("article#term-s1")
    assert texts(s1.cssselect(".attr-changes ins")) == ["255"]
    [pointer] = s1.cssselect(".note-shown-above")
    assert [a.get("href") for a in pointer.cssselect("a")] == ["#term-s0"]
    # S2 changed by the legend alone: named under it, not shown again
    assert not page.cssselect("article#term-s2")
    assert "S2" in page.cssselect("article#term-s0 .changed-by-notes-above")[0].text_content()
    assert page.cssselect("#changed-heading .count")[0].text_content() == "3"


def test_one_row_of_the_shared_legend_shows_the_legend_and_links_the_rows_left_out(legend_client):
    page = get_page(legend_client, "/diff?from=draft-test-legend-00&to=draft-test-legend-01&term=s2")
    [legend] = page.cssselect("article#term-s2 .note-change")
    assert texts(legend.cssselect("ins")) == ["is short"]
    links = legend.cssselect(".note-also-in a")
    assert [(a.text_content(), urlsplit(a.get("href")).path) for a in links] == [("s0", "/terms/s0"),
                                                                                ("s1", "/terms/s1")]
    assert "not listed here" in legend.cssselect(".note-also-in")[0].text_content()


def _note_edits(diff: dict) -> dict[tuple, list[str]]:
    """The distinct note changes of a diff's JSON (all but shared_with alike), each with the terms that have it."""
    edits: dict[tuple, list[str]] = {}
    for entry in diff["terms"]:
        for note in entry.get("changes", {}).get("notes", []):
            deleted, inserted = ([" ".join(text.split()) for op, text in note["text"] if op == wanted]
                                 for wanted in ("delete", "insert"))
            key = (note["status"], note["kind"], note["section"]["number"], tuple(deleted), tuple(inserted))
            edits.setdefault(key, []).append(entry["id"])
    return edits


def test_each_note_edit_after_07_is_on_the_diff_page_once_and_every_changed_term_is_named(client):
    diff = client.get(f"/api/v1/diff?from={SEVEN}&to={NEWEST}").get_json()
    edits = _note_edits(diff)
    page = get_page(client, f"/diff?from={SEVEN}&to={NEWEST}")
    shown = []
    for block in page.cssselect(".note-change"):
        label = texts(block.cssselect(".side-label"))[0]
        kind, number, status = re.match(r"Note \((\w+), Section ([\d.]+)\) (\w+)", label).groups()
        shown.append((status, kind, number, tuple(texts(block.cssselect(".side-old del"))),
                      tuple(texts(block.cssselect(".side-new ins")))))
    assert sorted(shown) == sorted(edits), "each note edit once"
    assert len(edits) == 13 and sum(len(ids) > 1 for ids in edits.values()) == 5
    assert "13 distinct note edits, 5 shared by several terms" in page.cssselect("p.meta")[0].text_content()
    for entry in diff["terms"]:
        if entry["status"] != "unchanged":
            [named] = page.cssselect(f"#term-{entry['id']}")
            assert entry["term"] in named.text_content(), entry["id"]
    assert diff["summary"]["changed"] == 29, "the counts stay per term"


def test_a_term_page_says_when_its_name_is_defined_twice_in_the_version(client):
    page = get_page(client, f"/terms/s2?version={OLDEST}")
    [notice] = [p for p in page.cssselect("p.notice") if "defined twice" in p.text_content()]
    [link] = notice.cssselect("a")
    assert link.text_content() == "s2-2" and query_of(link.get("href")) == {"version": OLDEST}
    assert not [p for p in get_page(client, "/terms/s2").cssselect("p.notice") if "defined twice" in p.text_content()]
