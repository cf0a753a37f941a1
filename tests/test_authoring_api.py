"""The authoring endpoints: snippets, Terminology sections and the lint, over the embedded store."""

from __future__ import annotations

import pytest
from lxml import etree

from glossary.api.authoring import MAX_DRAFT_BYTES
from glossary.authoring.embed import FORMATS
from glossary.store import Store
from support import FIXTURES, PROBLEM
from support import SEVEN as NUMBERED_DRAFT


@pytest.fixture(scope="module")
def store(served_store) -> Store:
    return served_store


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.get_json()


@pytest.mark.parametrize("fmt", FORMATS)
def test_embed_answers_the_snippet_as_json(client, store, fmt):
    response = client.get(f"/api/v1/terms/C2/embed?format={fmt}&version={NUMBERED_DRAFT}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    term = store.load(NUMBERED_DRAFT).find("C2")
    assert (body["format"], body["version"], body["term"]) == (fmt, NUMBERED_DRAFT, term.id)
    assert term.term in body["snippet"] and term.section.number in body["snippet"]
    assert (body["reference"] is not None) == (fmt in ("xml", "kramdown", "text"))
    assert response.headers["Cache-Control"] == "public, max-age=86400"  # a named version never changes


def test_embed_in_rfcxml_with_its_reference(client, store):
    body = client.get("/api/v1/terms/normally-off/embed?format=xml").get_json()
    entry = etree.fromstring(f"<dl>{body['snippet']}</dl>")
    assert entry.findtext("dt") == "Normally-off:"
    assert entry.find(".//xref").get("target") == etree.fromstring(body["reference"]).get("anchor")
    # By default the newest revision a reader can retrieve is cited, never the editor's copy.
    assert body["version"] == [e["name"] for e in store.versions() if e["revision"].isdigit()][-1]


def test_embed_refuses_a_bad_format_and_unknown_names(client):
    assert problem(client.get("/api/v1/terms/c1/embed?format=pdf"), 400)["parameter"] == "format"
    unknown = problem(client.get("/api/v1/terms/clas2/embed"), 404)
    assert "Class 2" in unknown["close_matches"]
    assert problem(client.get("/api/v1/terms/c1/embed?version=draft-ietf-iotops-7228bis-99"), 404)["title"] \
        == "Unknown version"


def test_terminology_section(client, store):
    response = client.get(f"/api/v1/terminology?terms=c1,Class%201,normally-off&format=kramdown&version={NUMBERED_DRAFT}")
    assert response.status_code == 200
    body = response.get_json()
    version = store.load(NUMBERED_DRAFT)
    assert body["terms"] == [version.find("c1").id, version.find("normally-off").id]
    assert body["snippet"].index("Class 1:") < body["snippet"].index("Normally-off:")
    assert body["reference"].strip().startswith("I-D.ietf-iotops-7228bis:")


def test_terminology_refuses_bad_parameters(client):
    assert problem(client.get("/api/v1/terminology?format=xml"), 400)["parameter"] == "terms"
    assert problem(client.get("/api/v1/terminology?terms=,"), 400)["parameter"] == "terms"
    assert problem(client.get("/api/v1/terminology?terms=c1&format=html"), 400)["parameter"] == "format"
    assert "Class 1" in problem(client.get("/api/v1/terminology?terms=c1,clas1"), 404)["close_matches"]


def test_lint_reads_the_draft_from_the_body(client, store):
    draft = (FIXTURES / "drafts" / "kramdown-citing-rfc7228.md").read_bytes()
    response = client.post("/api/v1/lint", data=draft, content_type="text/markdown")
    assert response.status_code == 200 and response.mimetype == "application/json"
    report = response.get_json()
    oldest = store.load("oldest")
    assert report["format"] == "kramdown-rfc" and report["cited_version"] == oldest.name
    # "KiB" is a term too: the conventions of Section 1.1 define it in their prose
    assert {use["id"] for use in report["terms"]} == {oldest.find(n).id for n in ("Class 1", "S2", "KiB")}
    assert report["failed"] is False

    against_oldest = client.post(f"/api/v1/lint?against={oldest.name}", data=draft).get_json()
    assert {use["status"] for use in against_oldest["terms"]} == {"unchanged"}


def test_lint_over_http_reads_the_pinned_revision(client):
    draft = (FIXTURES / "drafts" / "pinned" / "kramdown-front-matter-value.md").read_bytes()
    report = client.post("/api/v1/lint", data=draft, content_type="text/markdown").get_json()
    assert report["cited_version"] == "draft-ietf-iotops-7228bis-03"
    pinning_line = draft.decode().split("\n").index("  I-D.ietf-iotops-7228bis: I-D.draft-ietf-iotops-7228bis-03") + 1
    assert report["pinned_by"]["line"] == pinning_line
    assert {u["id"]: u["status"] for u in report["terms"]} == {"normally-off": "changed", "sh9": "changed"}


def test_lint_refuses_empty_large_and_unknown(client):
    assert problem(client.post("/api/v1/lint", data=b""), 400)["parameter"] == "body"
    assert problem(client.post("/api/v1/lint", data=b"\x00\x01binary"), 400)["parameter"] == "body"
    assert problem(client.post("/api/v1/lint", data=b"x" * (MAX_DRAFT_BYTES + 1)), 413)["status"] == 413
    assert problem(client.post("/api/v1/lint?against=nope", data=b"Class 1 devices"), 404)["title"] \
        == "Unknown version"
    assert client.get("/api/v1/lint").status_code == 405
