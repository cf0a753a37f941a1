"""Exports read back: every format gives the version's ids, terms, aliases and definitions again.

JSON and CSV through the standard library, TBX through lxml (no TBX schema is
available offline: the structure is checked element by element), SKOS through
rdflib's Turtle parser.
"""

from __future__ import annotations

import csv
import io
import json

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from glossary.authoring.export import EXPORTERS, export
from glossary.cli import main
from glossary.store import Store, embedded_store

TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NUMBERED_DRAFT = "draft-ietf-iotops-7228bis-07"


@pytest.fixture(scope="module", params=["oldest", NUMBERED_DRAFT, "latest"])
def version(request):
    return Store(embedded_store()).load(request.param)


def records(version) -> list[dict]:
    return [{"id": t.id, "term": t.term, "aliases": t.aliases, "definition": t.definition} for t in version.terms]


def from_json(text: str) -> list[dict]:
    return [{key: t[key] for key in ("id", "term", "aliases", "definition")} for t in json.loads(text)["terms"]]


def from_csv(text: str) -> list[dict]:
    return [{"id": row["id"], "term": row["term"], "aliases": row["aliases"].split("; ") if row["aliases"] else [],
             "definition": row["definition"]} for row in csv.DictReader(io.StringIO(text))]


def from_tbx(text: str) -> list[dict]:
    body = etree.fromstring(text.encode()).find(f"{TBX}text/{TBX}body")
    found = []
    for entry in body.iterchildren(f"{TBX}conceptEntry"):
        names = [term.text for term in entry.iterfind(f"{TBX}langSec/{TBX}termSec/{TBX}term")]
        definition = entry.findtext(f"{TBX}langSec/{TBX}descripGrp/{TBX}descrip[@type='definition']")
        found.append({"id": entry.get("id").removeprefix("term-"), "term": names[0], "aliases": names[1:],
                      "definition": definition})
    return found


def from_skos(text: str) -> list[dict]:
    graph = Graph().parse(data=text, format="turtle")
    found = []
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        found.append({"id": str(graph.value(concept, SKOS.notation)), "term": str(graph.value(concept, SKOS.prefLabel)),
                      "aliases": sorted(str(label) for label in graph.objects(concept, SKOS.altLabel)),
                      "definition": str(graph.value(concept, SKOS.definition))})
    return found


READERS = {"json": from_json, "csv": from_csv, "tbx": from_tbx, "skos": from_skos}


@pytest.mark.parametrize("fmt", READERS)
def test_every_export_reads_back_as_the_version(version, fmt):
    read = READERS[fmt](export(version, fmt))
    expected = records(version)
    if fmt == "skos":  # a graph has no order, and labels are a set
        expected = sorted(({**r, "aliases": sorted(r["aliases"])} for r in expected), key=lambda r: r["id"])
        read = sorted(read, key=lambda r: r["id"])
    assert read == expected


def test_csv_columns_carry_the_section_and_attributes(version):
    rows = list(csv.DictReader(io.StringIO(export(version, "csv"))))
    for row, term in zip(rows, version.terms, strict=True):
        assert row["kind"] == term.kind
        assert row["section_number"] == (term.section.number or "") and row["section_title"] == term.section.title
        assert list(json.loads(row["attributes"]).items()) == list(term.attributes.items())  # the table's order


def test_tbx_has_the_tbx_basic_structure(version):
    tbx = etree.fromstring(export(version, "tbx").encode())
    assert tbx.tag == f"{TBX}tbx"
    assert (tbx.get("type"), tbx.get("style"), tbx.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert [child.tag for child in tbx] == [f"{TBX}tbxHeader", f"{TBX}text"]
    assert tbx.find(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc") is not None
    entries = tbx.findall(f"{TBX}text/{TBX}body/{TBX}conceptEntry")
    assert len(entries) == len(version.terms)
    assert len({entry.get("id") for entry in entries}) == len(entries)
    for entry, term in zip(entries, version.terms):
        [language] = entry.findall(f"{TBX}langSec")
        assert language.get(XML_LANG) == "en"
        assert len(language.findall(f"{TBX}termSec")) == 1 + len(term.aliases)
        assert language.findtext(f"{TBX}descripGrp/{TBX}admin[@type='source']") == version.cite(term)


def test_skos_scheme_collections_and_iris(version):
    graph = Graph().parse(data=export(version, "skos"), format="turtle")
    [scheme] = graph.subjects(RDF.type, SKOS.ConceptScheme)
    assert graph.value(scheme, OWL.versionInfo) == Literal(version.name)
    assert str(graph.value(scheme, DCTERMS.issued)) == version.date
    assert str(graph.value(scheme, DCTERMS.title)) == version.title
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(version.terms)
    assert all(graph.value(concept, SKOS.inScheme) == scheme for concept in concepts)
    # The editor's copy: where the editors publish it, from the source repository its front matter names.
    document = (f"https://datatracker.ietf.org/doc/html/{version.name}" if version.revision.isdigit()
                else f"https://lwig-wg.github.io/terminology/{version.document}.html")
    assert {str(c) for c in concepts} == {f"{document}#term-{t.id}" for t in version.terms}

    collections = {str(graph.value(c, SKOS.prefLabel)): c for c in graph.subjects(RDF.type, SKOS.Collection)}
    assert set(collections) == {t.kind for t in version.terms}
    for kind, collection in collections.items():
        members = {str(graph.value(m, SKOS.notation)) for m in graph.objects(collection, SKOS.member)}
        assert members == {t.id for t in version.terms if t.kind == kind}


def test_skos_takes_another_base_iri(version):
    graph = Graph().parse(data=export(version, "skos", base_iri="urn:rfc7228bis-glossary:"), format="turtle")
    assert (URIRef(f"urn:rfc7228bis-glossary:term-{version.terms[0].id}"), RDF.type, SKOS.Concept) in graph


@pytest.mark.parametrize("fmt", READERS)
def test_export_command_writes_a_file_or_standard_output(tmp_path, fmt):
    store = Store(embedded_store())
    runner = CliRunner()
    to_stdout = runner.invoke(main, ["--store", str(store.directory), "export", "--format", fmt,
                                     "--version", NUMBERED_DRAFT])
    assert to_stdout.exit_code == 0, to_stdout.output
    output = tmp_path / f"terms.{fmt}"
    to_file = runner.invoke(main, ["--store", str(store.directory), "export", "--format", fmt,
                                   "--version", NUMBERED_DRAFT, "--output", str(output)])
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert output.read_text(encoding="utf-8") == to_stdout.stdout
    read = READERS[fmt](output.read_text(encoding="utf-8"))
    assert {r["id"] for r in read} == {t.id for t in store.load(NUMBERED_DRAFT).terms}


def test_export_command_refuses_an_unknown_version():
    result = CliRunner().invoke(main, ["--store", str(embedded_store()), "export", "--format", "csv",
                                       "--version", "draft-ietf-iotops-7228bis-99"])
    assert result.exit_code == 1 and result.stderr.startswith("error: unknown version")


def test_every_export_format_is_read_back_by_these_tests():
    assert set(READERS) == set(EXPORTERS)


@pytest.mark.parametrize("fmt", READERS)
def test_the_api_answers_each_export_as_the_command_line_writes_it(client, fmt):
    response = client.get(f"/api/v1/versions/{NUMBERED_DRAFT}/export?format={fmt}")
    assert response.status_code == 200 and response.mimetype == EXPORTERS[fmt].media_type
    assert NUMBERED_DRAFT in response.headers["Content-Disposition"]
    written = CliRunner().invoke(main, ["export", "--format", fmt, "--version", NUMBERED_DRAFT])
    assert written.exit_code == 0 and response.get_data(as_text=True) == written.stdout
    assert READERS[fmt](response.get_data(as_text=True))  # a document of the format, not an error page


def test_the_export_endpoint_refuses_unknown_formats_and_versions(client):
    bad = client.get(f"/api/v1/versions/{NUMBERED_DRAFT}/export?format=pdf")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "format"
    missing = client.get(f"/api/v1/versions/{NUMBERED_DRAFT}/export")
    assert missing.status_code == 400 and missing.get_json()["parameter"] == "format"
    unknown = client.get("/api/v1/versions/draft-ietf-iotops-7228bis-7/export?format=csv")
    assert unknown.status_code == 404 and unknown.get_json()["close_matches"][0] == NUMBERED_DRAFT


def test_a_version_page_links_every_export_format(client):
    page = lxml.html.fromstring(client.get(f"/versions/{NUMBERED_DRAFT}").get_data(as_text=True))
    links = {a.text_content(): a.get("href") for a in page.cssselect(".exports a")}
    assert list(links) == [fmt.label for fmt in EXPORTERS.values()]
    for fmt, href in zip(EXPORTERS, links.values()):
        assert client.get(href).mimetype == EXPORTERS[fmt].media_type
