"""Authors from the front matter, in every reader, on every corpus revision and format.

The expectation is what the XML's <front><author> elements say, read here with
lxml; the text and HTML renderings must give the same authors.
"""

from __future__ import annotations

import pytest
from lxml import etree

from support import corpus_file
from importers.registry import read_document


def authors_in_xml(path) -> list[tuple]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    found = []
    for author in root.iterfind("front/author"):
        organization = " ".join("".join(author.find("organization").itertext()).split()) \
            if author.find("organization") is not None else ""
        found.append((author.get("fullname"), author.get("initials"), author.get("surname"), organization or None))
    return found


@pytest.mark.corpus
def test_every_reader_gives_the_authors_of_the_front_matter(corpus, manifest):
    for revision in manifest:
        expected = authors_in_xml(corpus_file(corpus, revision, "xml"))
        assert len(expected) == 4 and expected[0][:3] == ("Carsten Bormann", "C.", "Bormann")
        for fmt in revision["files"]:
            path = corpus_file(corpus, revision, fmt)
            document = read_document(path.read_bytes(), str(path))
            got = [(a.fullname, a.initials, a.surname, a.organization) for a in document.authors]
            assert got == expected, (revision["name"], fmt)


def test_text_header_authors_with_an_editor_and_a_two_line_organisation():
    draft = """



Example Working Group                                    J.-L. Dupont, Ed.
Internet-Draft                                         Example University
Intended status: Informational                                      B. Lee
Expires: 3 December 2026                                Example Networks
                                                                 Ltd. Corp.
                                                                1 June 2026


                          A Test of Front Matter
                         draft-example-front-00

Abstract

   Nothing.

1.  Introduction

   Nothing either.

Authors' Addresses

   Jean-Luc Dupont (editor)
   Example University
   Email: jl@example.org


   Bo Lee
   Example Networks Ltd. Corp.
""".encode()
    document = read_document(draft, "draft-example-front-00.txt")
    assert [(a.fullname, a.initials, a.surname, a.organization) for a in document.authors] == [
        ("Jean-Luc Dupont", "J.-L.", "Dupont", "Example University"),
        ("Bo Lee", "B.", "Lee", "Example Networks Ltd. Corp."),
    ]


def test_rfc_text_header_authors_with_full_names_from_the_addresses():
    """An RFC's plain text (RFCs before RFCXML v3 exist only so): the header gives initials, surname and
    organisation, each address its full name on its first line, before the phone and email lines."""
    rfc = """



Internet Engineering Task Force (IETF)                          K. Ode
Request for Comments: 9999                            Example University
Category: Informational                                       P. Sample
ISSN: 2070-1721                                     Example Networks Ltd
                                                                May 2014


                       A Test of an RFC's Front Matter

Abstract

   Nothing.

1.  Introduction

   Nothing either.

Authors' Addresses

   Kari Ode
   Example University
   Postfach 1
   Example Town

   Phone: +1-555-0100
   EMail: kari@example.org


   Pia Sample
   Example Networks Ltd
   Example Street 2

   EMail: pia@example.net
""".encode()
    document = read_document(rfc, "rfc9999.txt")
    assert document.name == "rfc9999"
    assert [(a.fullname, a.initials, a.surname, a.organization) for a in document.authors] == [
        ("Kari Ode", "K.", "Ode", "Example University"),
        ("Pia Sample", "P.", "Sample", "Example Networks Ltd"),
    ]
