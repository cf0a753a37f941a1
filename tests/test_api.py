"""The HTTP API over the 16 revisions: every endpoint, in-process and through a real gunicorn.

The store is a copy of the committed one (``served_store`` in conftest.py;
test_store_build proves it is what importing the corpus gives), so these
tests need no corpus. The in-process tests use Flask's test client; the last
ones start gunicorn on a free loopback port and talk HTTP to it with urllib,
which is what a browser, a proxy or another tool would see.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

import support
from glossary.api import create_app
from glossary.store import Store
from support import LINEAGE, NEWEST, OLDEST, PROBLEM, ROOT, SEVEN, fetch, stored_name

CLASS_COLUMNS = ["Group", "data size (e.g., RAM)", "code size (e.g., Flash)", "Examples"]


def get_json(client, url: str, status: int = 200, content_type: str = "application/json"):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == content_type
    return response.get_json()


def rebuilt(ops: list[list[str]]) -> tuple[str, str]:
    """The old and the new text that word-level operations describe."""
    old = "".join(text for op, text in ops if op in ("equal", "delete"))
    new = "".join(text for op, text in ops if op in ("equal", "insert"))
    return old, new


# --- versions ----------------------------------------------------------------


def test_versions_are_listed_in_lineage_order(client):
    versions = get_json(client, "/api/v1/versions")["versions"]
    assert [v["name"] for v in versions] == LINEAGE
    assert all(v["terms"] > 0 and len(v["sha256"]) == 64 for v in versions)


def test_versions_carry_the_source_hash_and_date_of_the_corpus(client, manifest):
    versions = get_json(client, "/api/v1/versions")["versions"]
    by_name = {stored_name(revision): revision for revision in manifest}
    assert all(v["sha256"] == by_name[v["name"]]["files"]["xml"]["sha256"] for v in versions)
    assert all(v["date"] == by_name[v["name"]]["date"] for v in versions)


def test_one_version_with_its_source_and_kinds(client):
    detail = get_json(client, "/api/v1/versions/draft-ietf-iotops-7228bis-07")
    assert detail["name"] == "draft-ietf-iotops-7228bis-07"
    assert detail["document"] == "draft-ietf-iotops-7228bis" and detail["revision"] == "07"
    assert detail["source"]["format"] and len(detail["source"]["sha256"]) == 64
    assert sum(detail["kinds"].values()) == detail["terms"]
    assert detail["kinds"]["device-class"] >= 5
    assert isinstance(detail["warnings"], list)


@pytest.mark.parametrize("alias", ["latest", "LATEST", "newest"])
def test_version_aliases(client, alias):
    assert get_json(client, f"/api/v1/versions/{alias}")["name"] == NEWEST


def test_oldest_version(client):
    assert get_json(client, "/api/v1/versions/oldest")["name"] == OLDEST


def test_an_unknown_version_is_a_404_with_close_matches(client):
    problem = get_json(client, "/api/v1/versions/draft-ietf-iotops-7228bis-7", 404, PROBLEM)
    assert problem["status"] == 404 and problem["title"] == "Unknown version"
    assert problem["close_matches"][0] == "draft-ietf-iotops-7228bis-07"
    assert "draft-ietf-iotops-7228bis-7" in problem["detail"]
    assert problem["instance"] == "/api/v1/versions/draft-ietf-iotops-7228bis-7"


def test_the_terms_of_a_version(client):
    listing = get_json(client, f"/api/v1/versions/{OLDEST}/terms")
    assert listing["version"] == OLDEST and listing["kind"] is None
    summary = get_json(client, f"/api/v1/versions/{OLDEST}")
    assert listing["count"] == len(listing["terms"]) == summary["terms"] > 0
    assert {"class-0", "class-1", "class-2", "constrained-node"} <= {t["id"] for t in listing["terms"]}


@pytest.mark.parametrize("kind", ["device-class", "Device Class", "DEVICE_CLASS"])
def test_the_terms_of_a_version_of_one_kind(client, kind):
    listing = get_json(client, f"/api/v1/versions/latest/terms?kind={kind}")
    assert listing["kind"] == "device-class"
    assert listing["count"] == len(listing["terms"]) > 0
    assert {t["kind"] for t in listing["terms"]} == {"device-class"}
    assert "class-10" in {t["id"] for t in listing["terms"]}


@pytest.mark.parametrize("url", ["/api/v1/versions/latest/terms?kind=device-clas",
                                 "/api/v1/diff?kind=device-clas", "/api/v1/search?q=class&kind=device-clas"])
def test_an_unknown_kind_is_a_400_listing_the_kinds(client, url):
    problem = get_json(client, url, 400, PROBLEM)
    assert problem["title"] == "Bad parameter" and problem["parameter"] == "kind"
    assert problem["allowed"][0] == "device-class"  # the closest first
    assert {"acronym", "energy-class", "device-class"} <= set(problem["allowed"])
    assert "valid values: device-class" in problem["detail"]


def test_a_kind_another_version_has_is_an_empty_list_not_an_error(client):
    listing = get_json(client, f"/api/v1/versions/{OLDEST}/terms?kind=firmware-class")
    assert (listing["kind"], listing["count"], listing["terms"]) == ("firmware-class", 0, [])


# --- terms -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["c1", "C1", "Class%201", "class-1", "CLASS_1", "class%20%201", "%EF%BC%A3%EF%BC%91"])
def test_a_term_by_id_term_or_alias(client, name):
    record = get_json(client, f"/api/v1/terms/{name}")
    assert record["id"] == "class-1" and record["term"] == "Class 1"
    assert record["aliases"] == ["C1"] and record["kind"] == "device-class"
    assert record["version"] == NEWEST
    assert record["citation"] == f"Section 3 of {NEWEST}"
    assert record["defined_in"] == "table"
    assert record["section"]["number"] == "3"


def test_table_attributes_keep_the_document_column_order(client):
    response = client.get("/api/v1/terms/c1")
    # Parsed from the raw bytes: json.loads keeps the order the server wrote.
    attributes = json.loads(response.get_data())["attributes"]
    assert list(attributes) == CLASS_COLUMNS
    assert attributes == {"Group": "M", "data size (e.g., RAM)": "~ 10 KiB",
                          "code size (e.g., Flash)": "~ 100 KiB", "Examples": "STM32F103CB"}
    raw = response.get_data(as_text=True)
    positions = [raw.index(json.dumps(column)) for column in CLASS_COLUMNS]
    assert positions == sorted(positions)


def test_a_term_carries_its_notes_and_a_prose_term_its_link(client):
    notes = get_json(client, "/api/v1/terms/c1")["notes"]
    explanation = next(n for n in notes if n["kind"] == "explanation")
    assert explanation["text"].startswith("Class 1 devices are quite constrained")
    assert explanation["section"]["number"] == "3" and "frugal with state memory" in explanation["text"]
    device = get_json(client, "/api/v1/terms/constrained-device")
    assert (device["kind"], device["defined_in"], device["related"]) == ("prose-term", "prose", ["constrained-node"])
    assert device["section"]["number"] == "2.1" and device["notes"] == []


def test_a_term_in_an_older_version_has_its_old_attributes(client):
    record = get_json(client, f"/api/v1/terms/c1?version={OLDEST}")
    assert record["version"] == OLDEST
    assert record["citation"] == f"Section 3 of {OLDEST}"
    assert record["attributes"] == {"data size (e.g., RAM)": "~ 10 KiB", "code size (e.g., Flash)": "~ 100 KiB"}
    assert record["section"]["title"] == "Classes of Constrained Devices"


def test_a_term_the_version_does_not_define_is_a_404_saying_where_it_appears(client):
    problem = get_json(client, f"/api/v1/terms/c3?version={OLDEST}", 404, PROBLEM)
    assert problem["title"] == "Not in this version"
    assert problem["detail"] == f"term 'c3' is not in {OLDEST}; first appears in draft-bormann-lwig-7228bis-04"
    assert problem["present_in"][0] == "draft-bormann-lwig-7228bis-04" and problem["close_matches"] == ["Class 3"]


@pytest.mark.parametrize("shorthand", ["07", "-07"])
def test_an_ambiguous_revision_shorthand_is_a_404_naming_the_candidates(client, shorthand):
    problem = get_json(client, f"/api/v1/terms/c1?version={shorthand}", 404, PROBLEM)
    assert problem["close_matches"] == ["draft-bormann-lwig-7228bis-07", "draft-ietf-iotops-7228bis-07"]


@pytest.mark.parametrize("shorthand", ["iotops-07", "-iotops-07", "bormann-lwig-04", "ietf-lwig-01"])
def test_an_unambiguous_revision_shorthand_names_its_version(client, shorthand):
    wanted = next(name for name in LINEAGE if name.endswith(shorthand.lstrip("-").split("-")[-1])
                  and all(word in name for word in shorthand.strip("-").split("-")))
    assert get_json(client, f"/api/v1/terms/c1?version={shorthand}")["version"] == wanted


def test_a_lookup_by_an_alias_the_document_contradicts_says_so(client):
    record = get_json(client, "/api/v1/terms/C15?version=bormann-04")
    assert record["term"] == "Class 16"  # the document gives C15 to this row
    assert record["lookup_warnings"] == [
        "draft-bormann-lwig-7228bis-04 gives C15 as another name of Class 16, but the numbers disagree "
        "(15 and 16); Class 15 is defined too"]
    assert get_json(client, "/api/v1/terms/C1?version=bormann-04")["lookup_warnings"] == []
    assert get_json(client, "/api/v1/terms/Class%2016?version=bormann-04")["lookup_warnings"] == []


def test_an_unknown_term_is_a_404_problem_with_close_matches(client):
    response = client.get("/api/v1/terms/clas%202")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"] == "about:blank"
    assert problem["status"] == 404 and problem["title"] == "Unknown term"
    assert problem["close_matches"][0] == "Class 2"
    assert problem["detail"] == "unknown term 'clas 2'; close matches: Class 2, Class 4, Class 3, Class 1, Class 0"
    assert problem["instance"] == "/api/v1/terms/clas%202"


def test_a_term_in_an_unknown_version_is_a_404_naming_the_version(client):
    problem = get_json(client, "/api/v1/terms/c1?version=draft-bormann-lwig-7228bis-0", 404, PROBLEM)
    assert problem["title"] == "Unknown version"
    assert problem["close_matches"] and all(name.startswith("draft-bormann-lwig-7228bis-0")
                                            for name in problem["close_matches"])


def test_the_history_of_a_term(client):
    history = get_json(client, "/api/v1/terms/class-2/history")
    assert history["id"] == "class-2" and history["term"] == "Class 2"
    assert history["present_in"][0] == OLDEST and history["present_in"][-1] == NEWEST
    first = history["events"][0]
    assert (first["version"], first["event"], first["id"]) == (OLDEST, "added", "class-2")
    versions = [event["version"] for event in history["events"]]
    assert versions == sorted(versions, key=LINEAGE.index)
    changed = [event for event in history["events"] if event["event"] == "changed"]
    assert changed and all(event["changes"] for event in changed)
    assert any("Group" in event["changes"].get("attributes", {}) for event in changed)
    # each change names the version it is measured against and links both whole documents
    for event in history["events"][1:]:
        assert LINEAGE.index(event["compared_with"]) < LINEAGE.index(event["version"])
        assert event["document_diff"], event["version"]
    [seven] = [event for event in history["events"] if event["version"] == "draft-ietf-iotops-7228bis-07"]
    assert seven["missing_revisions"] == [f"draft-ietf-iotops-7228bis-0{n}" for n in (4, 5, 6)]


def test_the_history_by_alias_is_the_same(client):
    assert get_json(client, "/api/v1/terms/C2/history")["events"] == \
        get_json(client, "/api/v1/terms/class-2/history")["events"]


def test_the_history_of_an_unknown_term_is_a_404_with_close_matches(client):
    problem = get_json(client, "/api/v1/terms/clas%202/history", 404, PROBLEM)
    assert problem["close_matches"][0] == "Class 2"
    assert problem["detail"].startswith("unknown term 'clas 2'; close matches: Class 2")


def test_how_one_term_changed(client):
    change = get_json(client, f"/api/v1/terms/c2/diff?from={OLDEST}&to={NEWEST}")
    assert (change["id"], change["status"], change["from"], change["to"]) == ("class-2", "changed", OLDEST, NEWEST)
    assert change["changes"]["attributes"]["Group"] == {"from": None, "to": "M", "ops": [["insert", "M"]], "editorial": False}
    assert rebuilt(change["changes"]["definition"]) == (change["old"]["definition"], change["new"]["definition"])


def test_how_one_term_changed_defaults_to_oldest_and_latest(client):
    change = get_json(client, "/api/v1/terms/class-2/diff")
    assert (change["from"], change["to"]) == (OLDEST, NEWEST)


def test_a_term_added_since(client):
    change = get_json(client, f"/api/v1/terms/class-10/diff?from={OLDEST}")
    assert change["status"] == "added" and change["old"] is None and change["new"]["id"] == "class-10"


def test_a_term_diff_backwards_shows_a_removal(client):
    change = get_json(client, f"/api/v1/terms/class-10/diff?from={NEWEST}&to={OLDEST}")
    assert change["status"] == "removed" and change["new"] is None and change["old"]["id"] == "class-10"


# --- diff and search -----------------------------------------------------------


@pytest.fixture(scope="module")
def full_diff(app):
    response = app.test_client().get(f"/api/v1/diff?from={OLDEST}&to={NEWEST}")
    assert response.status_code == 200
    return response.get_json()


def test_a_diff_answers_editorial_changes_apart_and_filters_them(client):
    old, new = "draft-ietf-iotops-7228bis-02", "draft-ietf-iotops-7228bis-03"
    diff = get_json(client, f"/api/v1/diff?from={old}&to={new}&status=editorial")
    assert {entry["id"] for entry in diff["terms"]} >= {"i0", "i1", "i9"}
    assert all(entry["status"] == "editorial" for entry in diff["terms"])
    assert diff["document_diff"]["iddiff"].endswith(f"url1={old}&url2={new}")
    one = get_json(client, f"/api/v1/terms/i0/diff?from={old}&to={new}")
    assert one["status"] == "editorial" and one["document_diff"] == diff["document_diff"]


def test_the_diff_of_two_versions(full_diff):
    assert (full_diff["from"], full_diff["to"]) == (OLDEST, NEWEST)
    by_id = {entry["id"]: entry for entry in full_diff["terms"]}
    assert by_id["class-10"]["status"] == "added"
    assert by_id["class-2"]["status"] == "changed"
    counted = {status: sum(e["status"] == status for e in full_diff["terms"]) for status in full_diff["summary"]}
    assert counted == full_diff["summary"]
    assert set(full_diff["summary"]) == {"added", "removed", "changed", "editorial", "renamed", "unchanged"}


def test_a_changed_term_has_attribute_changes_and_word_ops_giving_both_definitions(client, full_diff):
    class_2 = next(entry for entry in full_diff["terms"] if entry["id"] == "class-2")
    assert class_2["changes"]["attributes"]["Examples"] == {
        "from": None, "to": "STM32F103RC", "ops": [["insert", "STM32F103RC"]], "editorial": False}
    old = get_json(client, f"/api/v1/terms/class-2?version={OLDEST}")["definition"]
    new = get_json(client, f"/api/v1/terms/class-2?version={NEWEST}")["definition"]
    ops = class_2["changes"]["definition"]
    assert {op for op, _ in ops} <= {"equal", "delete", "insert"}
    assert rebuilt(ops) == (old, new)


def test_every_word_diff_of_the_full_diff_rebuilds_both_definitions(client, full_diff):
    for entry in full_diff["terms"]:
        ops = entry.get("changes", {}).get("definition")
        if ops is None:
            continue
        old = get_json(client, f"/api/v1/terms/{entry.get('renamed_from', entry['id'])}?version={OLDEST}")
        new = get_json(client, f"/api/v1/terms/{entry['id']}?version={NEWEST}")
        assert rebuilt(ops) == (old["definition"], new["definition"]), entry["id"]


def test_the_default_diff_is_oldest_to_latest(client, full_diff):
    assert get_json(client, "/api/v1/diff") == full_diff


@pytest.mark.parametrize("status", ["added", "changed", "unchanged", "removed", "renamed"])
def test_the_diff_filtered_by_status(client, full_diff, status):
    filtered = get_json(client, f"/api/v1/diff?from={OLDEST}&to={NEWEST}&status={status}")
    assert {entry["status"] for entry in filtered["terms"]} <= {status}
    assert len(filtered["terms"]) == full_diff["summary"][status] == filtered["summary"][status]
    assert sum(filtered["summary"].values()) == len(filtered["terms"])


def test_the_diff_filtered_by_kind_and_status(client):
    filtered = get_json(client, f"/api/v1/diff?from={OLDEST}&to={NEWEST}&kind=device-class&status=added")
    assert filtered["terms"] and {(e["kind"], e["status"]) for e in filtered["terms"]} == {("device-class", "added")}
    assert "class-10" in {entry["id"] for entry in filtered["terms"]}
    assert "class-2" not in {entry["id"] for entry in filtered["terms"]}


def test_a_bad_status_is_a_400_naming_it(client):
    problem = get_json(client, "/api/v1/diff?status=moved", 400, PROBLEM)
    assert problem["parameter"] == "status" and problem["status"] == 400
    assert "status" in problem["detail"]


def test_a_note_change_several_terms_share_names_them_in_every_diff_answer(client):
    """The legend under the MTU table, reworded after -07: every row keeps it and names the others."""
    whole = get_json(client, f"/api/v1/diff?from={SEVEN}&to={NEWEST}")
    rows = [e for e in whole["terms"] if e["kind"] == "mtu-class" and e["status"] == "changed"]
    legends = {e["id"]: next(n for n in e["changes"]["notes"] if n["kind"] == "legend") for e in rows}
    assert len(legends) > 3
    for row_id, legend in legends.items():
        assert legend["shared_with"] == [other for other in legends if other != row_id]
    filtered = get_json(client, f"/api/v1/diff?from={SEVEN}&to={NEWEST}&kind=mtu-class&status=changed")
    assert {e["id"]: next(n for n in e["changes"]["notes"] if n["kind"] == "legend")
            for e in filtered["terms"]} == legends
    one = get_json(client, f"/api/v1/terms/s1/diff?from={SEVEN}&to={NEWEST}")
    assert next(n for n in one["changes"]["notes"] if n["kind"] == "legend") == legends["s1"]


def test_a_diff_with_an_unknown_version_is_a_404(client):
    problem = get_json(client, "/api/v1/diff?from=draft-nobody-00", 404, PROBLEM)
    assert problem["title"] == "Unknown version"


def test_search_with_a_typo(client):
    result = get_json(client, "/api/v1/search?q=constraned+nodes")
    assert result["version"] == NEWEST and result["total"] >= 1
    assert result["hits"][0]["id"] == "constrained-node"
    assert any(fragment["is_match"] for fragment in result["hits"][0]["fragments"])
    assert "«" in result["hits"][0]["snippet"]


def test_search_a_named_version(client):
    result = get_json(client, f"/api/v1/search?q=class+1&version={OLDEST}")
    assert result["version"] == OLDEST
    assert result["hits"][0]["id"] == "class-1"
    assert {hit["version"] for hit in result["hits"]} == {OLDEST}


def test_search_every_version(client):
    result = get_json(client, "/api/v1/search?q=class+2&version=all")
    assert result["version"] == "all"
    ids = [hit["id"] for hit in result["hits"]]
    assert ids[0] == "class-2" and len(ids) == len(set(ids))
    assert result["hits"][0]["versions"] == LINEAGE


def test_search_by_kind(client):
    result = get_json(client, "/api/v1/search?q=class&kind=Device+Class&limit=100")
    assert result["kind"] == "device-class"
    assert result["hits"] and {hit["kind"] for hit in result["hits"]} == {"device-class"}


def test_search_pages_with_limit_and_offset(client):
    everything = get_json(client, "/api/v1/search?q=node&limit=100")
    page = get_json(client, "/api/v1/search?q=node&limit=2&offset=1")
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, everything["total"])
    assert [hit["id"] for hit in page["hits"]] == [hit["id"] for hit in everything["hits"][1:3]]
    beyond = get_json(client, "/api/v1/search?q=node&offset=100000")
    assert beyond["hits"] == [] and beyond["total"] == everything["total"]


def test_search_suggests_when_nothing_matches(client):
    result = get_json(client, "/api/v1/search?q=xqzvw")
    assert result["total"] == 0 and result["hits"] == []


@pytest.mark.parametrize("query, parameter", [
    ("q=node&limit=0", "limit"),
    ("q=node&limit=101", "limit"),
    ("q=node&limit=ten", "limit"),
    ("q=node&offset=-1", "offset"),
    ("q=node&offset=1.5", "offset"),
    ("", "q"),
    ("q=", "q"),
    ("q=%20%0A", "q"),
])
def test_bad_search_parameters_are_a_400_naming_the_parameter(client, query, parameter):
    problem = get_json(client, f"/api/v1/search?{query}", 400, PROBLEM)
    assert problem["parameter"] == parameter and problem["title"] == "Bad parameter"
    assert problem["detail"].startswith(f"{parameter}:")


def test_search_in_an_unknown_version_is_a_404(client):
    problem = get_json(client, "/api/v1/search?q=node&version=draft-nobody-00", 404, PROBLEM)
    assert problem["title"] == "Unknown version"


# --- the document and the page -------------------------------------------------


def test_the_openapi_document(client):
    document = get_json(client, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.")
    assert "/api/v1/terms/{term}" in document["paths"]
    assert "/api/v1/_ping" not in document["paths"]


def test_the_browsable_documentation_is_swagger_ui_served_from_here(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/api/v1/openapi.json" in page and 'href="/">' in page  # the document, and the way back
    assert "/api/v1/terms/{term}" in page  # the plain list, for readers without JavaScript
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert not [url for url in loaded if "//" in url], "the page loads nothing from elsewhere"
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/api/v1/docs/viewer/swagger-ui-bundle.js", "/assets/api-docs.js"]
    assert "<script>" not in page and "<style" not in page, "nothing inline: the pages' CSP would block it"
    for asset in [scripts[0], "/api/v1/docs/viewer/swagger-ui.css"]:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.data) > 10_000
    assert b"SwaggerUIBundle" in client.get(scripts[0]).data
    assert b"SwaggerUIBundle(" in client.get(scripts[1]).data  # the script that starts the viewer
    assert client.get("/api/v1/docs/viewer/index.html").status_code == 404


def test_the_document_gives_examples_from_the_schemas(client):
    document = get_json(client, "/api/v1/openapi.json")
    term = document["components"]["schemas"]["TermRecord"]["properties"]
    assert term["aliases"]["example"] == ["C1"] and term["id"]["example"] == "class-1"


def test_the_home_page_links_the_api_documentation(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'href="/api/v1/docs"' in response.get_data(as_text=True)
    assert client.get("/api/v1/docs").status_code == 200


# --- transfer: compression, sources, redirects ------------------------------------


def test_answers_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/api/v1/versions/latest/terms")
    zipped = client.get("/api/v1/versions/latest/terms", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) * 4 < len(plain.data)
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # another representation, another tag
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"


def test_a_version_source_is_the_public_url_of_the_document_read(client, served_store):
    for entry in served_store.versions():
        source = get_json(client, f"/api/v1/versions/{entry['name']}")["source"]
        assert source["uri"].startswith("https://"), source
        if entry["name"] != NEWEST:
            assert source["uri"] == f"https://www.ietf.org/archive/id/{entry['name']}.xml"
        else:  # the editor's copy is published nowhere the store records: the draft's page
            assert source["uri"] == f"https://datatracker.ietf.org/doc/{entry['document']}/"


def test_the_source_fragment_comes_only_when_asked_for(client):
    assert "source_fragment" not in get_json(client, "/api/v1/terms/c1")
    assert "source_fragment" not in get_json(client, "/api/v1/versions/latest/terms")["terms"][0]
    record = get_json(client, "/api/v1/terms/c1?include=source")
    assert record["source_fragment"].startswith("<")
    listing = get_json(client, "/api/v1/versions/latest/terms?include=source")
    assert all("source_fragment" in term for term in listing["terms"])
    changed = get_json(client, f"/api/v1/terms/c1/diff?from={OLDEST}&include=source")
    assert changed["old"]["source_fragment"] and changed["new"]["source_fragment"]
    problem = get_json(client, "/api/v1/terms/c1?include=everything", 400, PROBLEM)
    assert problem["parameter"] == "include"


@pytest.mark.parametrize("url, target", [
    ("/api/v1/versions/", "/api/v1/versions"),
    ("/api/v1/terms/c1/?version=oldest", "/api/v1/terms/c1?version=oldest"),
    ("/api/v1/terms/c1/history/", "/api/v1/terms/c1/history"),
    ("/search/?q=class", "/search?q=class"),
])
def test_a_trailing_slash_redirects_to_the_url_without(client, url, target):
    response = client.get(url)
    assert response.status_code == 308 and response.headers["Location"] == target
    assert client.get(target).status_code == 200


def test_a_trailing_slash_on_an_unknown_url_is_still_unknown(client):
    assert client.get("/api/v1/nothing/").status_code == 404


def test_unknown_urls_are_problems_under_the_api_and_pages_elsewhere(client):
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
    page = client.get("/nothing-here")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_only_the_benchmark_app_has_the_benchmark_route(served_store, tmp_path):
    assert create_app(served_store.directory, tmp_path).test_client().get("/api/v1/_ping").status_code == 404
    spec = importlib.util.spec_from_file_location("bench_serving", ROOT / "bench" / "serving.py")
    serving = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serving)
    app = serving.create_app(served_store.directory, tmp_path)
    assert app.test_client().get("/api/v1/_ping").get_json() == {"ok": True}
    assert "/api/v1/_ping" not in app.test_client().get("/api/v1/openapi.json").get_json()["paths"]


# --- HTTP caching and cross-origin reads ----------------------------------------


def max_age(response) -> int:
    directives = dict(
        (part.strip().split("=", 1) + [""])[:2] for part in response.headers["Cache-Control"].split(",")
    )
    assert "public" in directives
    return int(directives["max-age"])


@pytest.mark.parametrize("url", [
    "/api/v1/versions", f"/api/v1/versions/{OLDEST}", "/api/v1/terms/c1", "/api/v1/terms/c2/history",
    "/api/v1/diff", "/api/v1/search?q=node", "/api/v1/openapi.json",
])
def test_etag_and_if_none_match(client, url):
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.get(url).headers["ETag"] == etag  # the same answer, remembered, has the same tag


@pytest.mark.parametrize("url", [
    f"/api/v1/terms/c1?version={OLDEST}",
    f"/api/v1/versions/{OLDEST}",
    f"/api/v1/versions/{OLDEST}/terms",
    f"/api/v1/diff?from={OLDEST}&to=draft-ietf-iotops-7228bis-07",
    f"/api/v1/terms/c2/diff?from={OLDEST}&to=draft-ietf-iotops-7228bis-07",
    f"/api/v1/search?q=node&version={OLDEST}",
])
def test_an_answer_about_named_versions_is_cached_long(client, url):
    for _ in range(2):  # computed, then remembered: the same headers
        assert max_age(client.get(url)) == 86400


@pytest.mark.parametrize("url", [
    "/api/v1/versions", "/api/v1/versions/latest", "/api/v1/terms/c1", "/api/v1/terms/c1?version=latest",
    "/api/v1/terms/c2/history", "/api/v1/diff", f"/api/v1/diff?from={OLDEST}", "/api/v1/search?q=node",
    "/api/v1/search?q=node&version=all",
])
def test_an_answer_about_the_latest_version_is_cached_briefly(client, url):
    for _ in range(2):
        assert 0 < max_age(client.get(url)) <= 300


def test_errors_are_not_cached(client):
    assert "Cache-Control" not in client.get("/api/v1/terms/nothing-at-all").headers


@pytest.mark.parametrize("url", ["/api/v1/versions", "/api/v1/terms/c1", "/api/v1/terms/nothing-at-all",
                                 "/api/v1/search?q=node", "/api/v1/openapi.json"])
def test_every_get_may_be_read_cross_origin(client, url):
    response = client.get(url, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers.get("Access-Control-Expose-Headers", "")


def test_a_cors_preflight_for_a_conditional_get_is_allowed(client):
    response = client.options("/api/v1/terms/c1", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match",
    })
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in response.headers["Access-Control-Allow-Headers"].lower()


# --- never a server error --------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/api/v1/terms/%00", "/api/v1/terms/%ED%A0%80", "/api/v1/terms/%FF%FE", "/api/v1/terms/" + "x" * 5000,
    "/api/v1/terms/%20", "/api/v1/terms/..", "/api/v1/terms/%E2%80%AE%F0%9F%98%80/history",
    "/api/v1/terms/c2/diff?from=%00&to=%FF", "/api/v1/terms/c2?version=all", "/api/v1/terms/c2?version=",
    "/api/v1/versions/..", "/api/v1/versions/index", "/api/v1/versions/%00/terms?kind=%00",
    "/api/v1/versions/latest/terms?kind=", "/api/v1/diff?from=latest&to=oldest", "/api/v1/diff?kind=%F0%9F%98%80",
    "/api/v1/search?q=%00", "/api/v1/search?q=AND", "/api/v1/search?q=%22", "/api/v1/search?q=(((",
    "/api/v1/search?q=*&version=ALL", "/api/v1/search?q=" + "node%20" * 160,
    "/api/v1/search?q=node&limit=99999999999999999999999", "/api/v1/search?q=node&offset=100001",
    "/api/v1/search?q=a&q=b&limit=1&limit=2", "/api/v1/nothing", "/api/v1/terms/c1/nothing",
])
def test_odd_requests_never_make_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == PROBLEM
        assert response.get_json()["status"] == response.status_code


def test_other_methods_are_a_405_problem(client):
    response = client.post("/api/v1/terms/c1")
    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert "GET" in response.headers["Allow"]


# --- a real server ---------------------------------------------------------------


@contextmanager
def gunicorn(store_dir: Path, cache_dir: Path, workers: int = 2):
    try:
        with support.gunicorn(store_dir, cache_dir, workers=workers) as base:
            yield base
    except support.ServerFailed as failure:
        pytest.fail(str(failure))


@pytest.fixture(scope="module")
def server(served_store, tmp_path_factory):
    with gunicorn(served_store.directory, tmp_path_factory.mktemp("server-cache")) as base:
        yield base


def test_server_answers_json(server):
    status, headers, body = fetch(f"{server}/api/v1/terms/Class%201")
    assert status == 200
    assert headers.get_content_type() == "application/json"
    record = json.loads(body)
    assert record["id"] == "class-1" and record["citation"] == f"Section 3 of {NEWEST}"
    assert list(record["attributes"]) == CLASS_COLUMNS
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_server_etag_and_304(server):
    url = f"{server}/api/v1/terms/c1?version={OLDEST}"
    status, headers, _ = fetch(url)
    assert status == 200 and "max-age=86400" in headers["Cache-Control"]
    status, again, body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]


def test_server_404_problem(server):
    status, headers, body = fetch(f"{server}/api/v1/terms/clas%202")
    assert status == 404
    assert headers.get_content_type() == PROBLEM
    assert json.loads(body)["close_matches"][0] == "Class 2"


def test_server_400_problem(server):
    status, headers, body = fetch(f"{server}/api/v1/search?q=node&limit=1000")
    assert status == 400 and headers.get_content_type() == PROBLEM
    assert json.loads(body)["parameter"] == "limit"


def test_server_search_diff_and_docs(server):
    status, _, body = fetch(f"{server}/api/v1/search?q=constraned+node")
    assert status == 200 and json.loads(body)["hits"][0]["id"] == "constrained-node"
    status, _, body = fetch(f"{server}/api/v1/diff?status=added")
    assert status == 200 and "class-10" in {entry["id"] for entry in json.loads(body)["terms"]}
    status, headers, body = fetch(f"{server}/api/v1/docs")
    assert status == 200 and headers.get_content_type() == "text/html" and b"/api/v1/search" in body
    status, headers, body = fetch(f"{server}/api/v1/openapi.json")
    assert status == 200 and json.loads(body)["openapi"].startswith("3.")


def test_a_version_imported_while_the_server_runs_becomes_visible(served_store, tmp_path):
    lineage = served_store.load_versions()
    store = support.store_of(lineage[:-1], tmp_path / "terms")
    before_newest = LINEAGE[-2]
    with gunicorn(store.directory, tmp_path / "cache") as base:
        # Several requests, so that both workers have read (and cached) the store before the import.
        for _ in range(6):
            assert json.loads(fetch(f"{base}/api/v1/terms/c1")[2])["version"] == before_newest
            assert json.loads(fetch(f"{base}/api/v1/search?q=class+1")[2])["version"] == before_newest
        _, old_headers, listing = fetch(f"{base}/api/v1/versions")
        assert len(json.loads(listing)["versions"]) == len(LINEAGE) - 1

        assert Store(store.directory).save(lineage[-1]) == "imported"

        for _ in range(6):  # whichever worker answers
            status, headers, listing = fetch(f"{base}/api/v1/versions", {"If-None-Match": old_headers["ETag"]})
            assert status == 200 and headers["ETag"] != old_headers["ETag"]
            assert json.loads(listing)["versions"][-1]["name"] == NEWEST
            record = json.loads(fetch(f"{base}/api/v1/terms/c1")[2])
            assert record["version"] == NEWEST and record["citation"] == f"Section 3 of {NEWEST}"
            assert json.loads(fetch(f"{base}/api/v1/search?q=class+1")[2])["version"] == NEWEST
            assert fetch(f"{base}/api/v1/versions/{NEWEST}")[0] == 200
