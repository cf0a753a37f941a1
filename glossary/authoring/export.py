"""A version's terms for other tools: JSON, CSV, TBX and SKOS.

- ``json``: ``{"version": {name, document, revision, date, title}, "terms": [term records]}``,
  the records as the store keeps them.
- ``csv``: one row per term. Columns: id, term, aliases (joined by "; "), kind,
  definition (paragraphs keep their blank lines), section_number, section_title,
  citation ("Section 3 of RFC 7228") and attributes, a JSON object in the
  table's column order ("{}" for prose terms). One column per attribute name
  would give dozens of mostly empty columns, the tables differ so much.
- ``tbx``: TBX-Basic in the TBX v3 core structure (ISO 30042:2019, DCA style):
  one ``<conceptEntry>`` per term (TBX v2's ``termEntry``), a ``<langSec
  xml:lang="en">`` with the definition and its source, the term as the first
  ``<termSec>`` and each alias as one more. No TBX schema is available offline,
  so the tests check the structure by parsing it back, not by validation.
- ``skos``: Turtle. The version is a ``skos:ConceptScheme`` (dcterms:title,
  dcterms:issued, owl:versionInfo, dcterms:source), each term a ``skos:Concept``
  (prefLabel, altLabel per alias, definition, notation = the term id,
  inScheme), each kind a ``skos:Collection`` of its terms. IRIs are
  ``<base>term-<id>``, ``<base>kind-<kind>`` and ``<base>scheme``; the base
  defaults to the cited document's page + "#" (see glossary.authoring.citing: the
  revision's page, the editors' published copy for the editor's copy), so the IRI
  of a term as a given revision defines it never changes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from .citing import reference_for
from ..model import Term, Version

CSV_COLUMNS = ("id", "term", "aliases", "kind", "definition", "section_number", "section_title", "citation",
               "attributes")
ALIAS_SEPARATOR = "; "
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE = "en"


@dataclass(frozen=True)
class ExportFormat:
    """One export format: what the CLI, the API and the pages offer, and the function that writes it."""

    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[..., str]  # (version, base_iri=None) -> text


def export(version: Version, fmt: str, base_iri: str | None = None) -> str:
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(EXPORTERS)}")
    return EXPORTERS[fmt].write(version, base_iri)


def to_json(version: Version, base_iri: str | None = None) -> str:
    about = {key: getattr(version, key) for key in ("name", "document", "revision", "date", "title")}
    records = {"version": about, "terms": [term.to_dict() for term in version.terms]}
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def to_csv(version: Version, base_iri: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for term in version.terms:
        writer.writerow([
            term.id, term.term, ALIAS_SEPARATOR.join(term.aliases), term.kind, term.definition,
            term.section.number or "", term.section.title, version.cite(term),
            json.dumps(term.attributes, ensure_ascii=False),
        ])
    return out.getvalue()


def to_tbx(version: Version, base_iri: str | None = None) -> str:
    from lxml import etree  # loaded by the formats that need it, not by every command line

    tbx = etree.Element(f"{{{TBX_NAMESPACE}}}tbx", nsmap={None: TBX_NAMESPACE},
                        attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: LANGUAGE})
    file_description = _child(_child(tbx, "tbxHeader"), "fileDesc")
    _child(_child(file_description, "titleStmt"), "title", f"{version.title} ({version.label})")
    reference = reference_for(version)
    _child(_child(file_description, "sourceDesc"), "p", f"{version.label}: {reference.target}")
    body = _child(_child(tbx, "text"), "body")
    for term in version.terms:
        _concept_entry(body, term, version)
    return etree.tostring(tbx, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def _concept_entry(body, term: Term, version: Version) -> None:
    entry = _child(body, "conceptEntry", id=f"term-{term.id}")
    language = _child(entry, "langSec", **{XML_LANG: LANGUAGE})
    definition = _child(language, "descripGrp")
    _child(definition, "descrip", term.definition, type="definition")
    _child(definition, "admin", version.cite(term), type="source")
    for name in [term.term, *term.aliases]:
        _child(_child(language, "termSec"), "term", name)


def _child(parent, tag: str, text: str | None = None, **attributes):
    from lxml import etree

    element = etree.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attrib=attributes)
    element.text = text
    return element


def default_base_iri(version: Version) -> str:
    return reference_for(version).target + "#"


def to_skos(version: Version, base_iri: str | None = None) -> str:
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

    date_types = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}  # by the length of an ISO date
    base = Namespace(base_iri or default_base_iri(version))
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    graph.bind("owl", OWL)
    scheme = base["scheme"]
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(version.title, lang=LANGUAGE)))
    graph.add((scheme, OWL.versionInfo, Literal(version.name)))
    graph.add((scheme, DCTERMS.source, URIRef(reference_for(version).target)))
    if version.date:
        graph.add((scheme, DCTERMS.issued, Literal(version.date, datatype=date_types[len(version.date)])))
    for term in version.terms:
        concept = base[f"term-{quote(term.id)}"]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(term.id)))
        graph.add((concept, SKOS.prefLabel, Literal(term.term, lang=LANGUAGE)))
        for alias in term.aliases:
            graph.add((concept, SKOS.altLabel, Literal(alias, lang=LANGUAGE)))
        graph.add((concept, SKOS.definition, Literal(term.definition, lang=LANGUAGE)))
        graph.add((concept, DCTERMS.source, Literal(version.cite(term))))
        kind = base[f"kind-{quote(term.kind)}"]
        graph.add((kind, RDF.type, SKOS.Collection))
        graph.add((kind, SKOS.prefLabel, Literal(term.kind, lang=LANGUAGE)))
        graph.add((kind, SKOS.member, concept))
    return graph.serialize(format="turtle")


# The export formats, in the order they are offered. To add one, write its function and add it here.
EXPORTERS: dict[str, ExportFormat] = {fmt.name: fmt for fmt in (
    ExportFormat("json", "JSON", "application/json", "json", to_json),
    ExportFormat("csv", "CSV", "text/csv", "csv", to_csv),
    ExportFormat("tbx", "TBX-Basic", "application/xml", "tbx", to_tbx),
    ExportFormat("skos", "SKOS (Turtle)", "text/turtle", "ttl", to_skos),
)}
