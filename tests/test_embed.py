"""Snippets and Terminology sections, each format checked by reading it back.

RFCXML goes through the real xml2rfc (a subprocess, no network), HTML through
lxml.html, plain Markdown through a CommonMark parser, kramdown-rfc through a
regular expression of its citation and reference syntax. The expectations come
from the stored term records and from what the issue prescribes (anchors,
targets, series), never from the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from glossary.catalog import Catalog
from glossary.cli import main
from glossary.authoring.embed import FORMATS, embed
from glossary.model import Section, Term
from glossary.store import Store, embedded_store
from glossary.authoring.terminology import select_terms, terminology_section
from support import NEWEST

XML2RFC = Path(sys.executable).parent / "xml2rfc"
NUMBERED_DRAFT = "draft-ietf-iotops-7228bis-07"
BIS_ANCHOR = "I-D.ietf-iotops-7228bis"
# Where the editors publish the editor's copy: the GitHub Pages site of the source repository the draft names.
EDITORS_COPY = "https://lwig-wg.github.io/terminology/draft-ietf-iotops-7228bis.html"
# kramdown-rfc: {{Section N of X}} (or Appendix), and "  X:" or "  X: NAME" under informative:.
KRAMDOWN_CITATION = re.compile(r"\{\{(Section|Appendix) ([0-9A-Z][0-9.]*) of ([A-Za-z0-9._-]+)\}\}")
KRAMDOWN_REFERENCE_LINE = re.compile(r"^  ([A-Za-z0-9._-]+):(?: ([A-Za-z0-9._-]+))?$")
# As RFC 7228 prints them: initials, surname and organisation in its header, full names in its Authors' Addresses.
RFC_7228_AUTHORS = [("Carsten Bormann", "C.", "Bormann", "Universitaet Bremen TZI"),
                    ("Mehmet Ersue", "M.", "Ersue", "Nokia Solutions and Networks"),
                    ("Ari Keranen", "A.", "Keranen", "Ericsson")]
HOSTILE = 'Sends <script>alert("x")</script> & keeps ]]> and {{Section 1 of X}} as *text* [RFC1]'


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def rfc7228(catalog):
    """RFC 7228 is not in the embedded store: its text is the oldest revision's, under the RFC's name."""
    oldest = catalog.version("oldest")
    return dataclasses.replace(oldest, name="rfc7228", document="rfc7228", revision=None, date="2014-05", authors=[],
                               repository=None)


@pytest.fixture(scope="module", params=["rfc7228", NUMBERED_DRAFT, "latest"])
def version(request, catalog, rfc7228):
    return rfc7228 if request.param == "rfc7228" else catalog.version(request.param)


def expected_anchor(version) -> str:
    return "RFC7228" if version.name == "rfc7228" else BIS_ANCHOR


def cited_as(version, term) -> str:
    """How a reader is told where the term is: the editor's copy says so, with its date in words."""
    if version.name == NEWEST:
        day = datetime.date.fromisoformat(version.date)
        return f"{term.section.citation()} of {version.document}, editor's copy of {day.day} {day:%B %Y}"
    return version.cite(term)


def hostile_term() -> Term:
    return Term(id="hostile", term='A<B & "C"', kind="term", definition=HOSTILE + "\n\n* one <b>\n* two &amp;",
                section=Section("2.1", "Constrained <Nodes>"), defined_in="dl")


def flat(text: str) -> str:
    """Text without whitespace: compares what a renderer may wrap or indent differently."""
    return "".join(text.split())


def definition_words(term: Term) -> list[str]:
    """The words of a definition, list markers left out (HTML and RFCXML show bullets, not "* ")."""
    return re.sub(r"^\* ", "", term.definition, flags=re.MULTILINE).split()


def minimal_document(middle: str, references: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rfc version="3" ipr="trust200902" docName="draft-example-terms-00" category="info" submissionType="IETF">
  <front>
    <title>Terms borrowed from RFC 7228</title>
    <author fullname="A. Author" initials="A." surname="Author"/>
    <abstract><t>Uses terms of RFC 7228.</t></abstract>
  </front>
  <middle>
{middle}
  </middle>
  <back>
    <references><name>Informative References</name>
{references}
    </references>
  </back>
</rfc>
"""


def xml2rfc_text(document: str, directory: Path) -> str:
    """The text rendering of ``document``; fails on any error xml2rfc reports."""
    source = directory / "document.xml"
    source.write_text(document, encoding="utf-8")
    result = subprocess.run(
        [str(XML2RFC), "--v3", "--text", "--no-network", "--no-pagination", str(source), "-o",
         str(directory / "document.txt")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Warning" not in result.stderr, result.stderr
    return (directory / "document.txt").read_text(encoding="utf-8")


# --- RFCXML ------------------------------------------------------------------


def test_every_term_as_rfcxml_renders_with_xml2rfc_citing_its_section(version, tmp_path):
    snippets = [embed(term, version, "xml") for term in version.terms]
    middle = "<section><name>Terminology</name><dl>\n" + "\n".join(s.text for s in snippets) + "\n</dl></section>"
    rendered = xml2rfc_text(minimal_document(middle, snippets[0].reference), tmp_path)

    anchor = expected_anchor(version)
    without_bullets = flat(re.sub(r"^ +\*  ", "", rendered, flags=re.MULTILINE))
    for term in version.terms:
        assert flat(f"{term.term}: ") in without_bullets
        assert flat(" ".join(definition_words(term))) in without_bullets, term.id
    sections = {term.section.number for term in version.terms}
    for number in sections:
        assert flat(f"Section {number} of [{anchor}]") in flat(rendered)
    cited = re.findall(r"(?:Section|Appendix)[0-9A-Z.]+of\[" + re.escape(anchor) + r"\]", flat(rendered))
    assert len(cited) == len(version.terms), "one citation per term"


def test_the_reference_entry_names_the_document(version, tmp_path):
    snippet = embed(version.terms[0], version, "xml")
    reference = etree.fromstring(snippet.reference)
    assert reference.get("anchor") == expected_anchor(version)
    assert reference.findtext("front/title") == version.title
    series = {info.get("name"): info.get("value") for info in reference.iter("seriesInfo")}
    if version.name == "rfc7228":
        assert reference.get("target") == "https://www.rfc-editor.org/info/rfc7228"
        assert series == {"RFC": "7228", "DOI": "10.17487/RFC7228"}
        assert [(a.get("fullname"), a.get("initials"), a.get("surname"), a.findtext("organization"))
                for a in reference.iter("author")] == RFC_7228_AUTHORS
        assert reference.find("front/date").attrib == {"year": "2014", "month": "May"}
    else:
        cited_name = version.name if version.revision.isdigit() else version.document
        assert series == {"Internet-Draft": cited_name}
        assert reference.get("target") == (f"https://datatracker.ietf.org/doc/html/{cited_name}"
                                           if version.revision.isdigit() else EDITORS_COPY)
        assert reference.find("front/date").get("year") == version.date[:4]
        assert [(a.get("fullname"), a.get("initials"), a.get("surname"), a.findtext("organization") or None)
                for a in reference.iter("author")] == \
            [(a.fullname, a.initials, a.surname, a.organization) for a in version.authors]
        assert [a.get("surname") for a in reference.iter("author")] == ["Bormann", "Ersue", "Keränen", "Gomez"]

    middle = "<section><name>Terminology</name><dl>\n" + snippet.text + "\n</dl></section>"
    rendered = " ".join(xml2rfc_text(minimal_document(middle, snippet.reference), tmp_path).split())
    if version.name == "rfc7228":
        assert "RFC 7228, DOI 10.17487/RFC7228, May 2014" in rendered
        assert "Bormann, C., Ersue, M., and A. Keranen" in rendered
    else:
        assert flat(f"Internet-Draft, {series['Internet-Draft']}") in flat(rendered)
        assert "Bormann, C., Ersue, M., Keränen, A., and C. Gomez, \"Terminology for Constrained-Node Networks\"" \
            in rendered
        if not version.revision.isdigit():
            assert "editor's copy" in rendered and EDITORS_COPY in flat(rendered)


def test_rfcxml_escapes_what_it_quotes(catalog, tmp_path):
    version = catalog.version("latest")
    snippet = embed(hostile_term(), version, "xml")
    entry = etree.fromstring(f"<dl>{snippet.text}</dl>")
    assert entry.findtext("dt") == 'A<B & "C":'
    assert entry.find(".//script") is None
    paragraphs = entry.findall("dd/t")
    assert paragraphs[0].xpath("string()").startswith(HOSTILE)
    assert [li.text for li in entry.findall("dd/ul/li")] == ["one <b>", "two &amp;"]
    middle = "<section><name>Terminology</name><dl>\n" + snippet.text + "\n</dl></section>"
    assert "<script>" in xml2rfc_text(minimal_document(middle, snippet.reference), tmp_path)


# --- kramdown-rfc ----------------------------------------------------------------


def test_kramdown_cites_the_section_of_the_reference_it_declares(version):
    anchor = expected_anchor(version)
    for term in version.terms:
        snippet = embed(term, version, "kramdown")
        lines = snippet.text.split("\n")
        assert lines[0] == f"{term.term}:" and lines[1].startswith(": ")
        assert all(line == "" or line.startswith("  ") for line in lines[2:]), "continuations stay in the definition"
        citations = KRAMDOWN_CITATION.findall(snippet.text)
        assert citations == [("Appendix" if term.section.number[0].isalpha() else "Section",
                              term.section.number, anchor)]
    if version.name == NEWEST:  # no bibliography has the editor's copy: the reference is written out
        lines = snippet.reference.split("\n")
        assert lines[0] == f"  {anchor}:" and all(line.startswith("    ") for line in lines[1:])
        assert f"    target: {EDITORS_COPY}" in lines and "    refcontent: editor's copy" in lines
        assert [line.split('"')[1] for line in lines if line.startswith("      name: ")] == \
            [author.fullname for author in version.authors]
        return
    declared = KRAMDOWN_REFERENCE_LINE.fullmatch(snippet.reference)
    assert declared and declared.group(1) == anchor
    pinned = declared.group(2)
    if version.name == NUMBERED_DRAFT:
        assert pinned == f"I-D.{NUMBERED_DRAFT}"  # a published revision is pinned
    else:
        assert pinned is None


def test_kramdown_escapes_markup_and_keeps_lists_in_the_definition(catalog):
    version = catalog.version("latest")
    snippet = embed(hostile_term(), version, "kramdown")
    assert "<script>" not in snippet.text and r"\<script\>" in snippet.text
    assert KRAMDOWN_CITATION.findall(snippet.text) == [("Section", "2.1", BIS_ANCHOR)], "only the real citation"
    assert "\n\n  * one \\<b\\>\n  * two &amp;amp;\n\n" in snippet.text  # "&amp;" would read as "&"


# --- plain Markdown, text, HTML --------------------------------------------------


def test_markdown_parses_back_to_the_definition(version):
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark")
    for term in [*version.terms, hostile_term()]:
        rendered = lxml.html.fragment_fromstring(parser.render(embed(term, version, "markdown").text),
                                                 create_parent="div")
        assert rendered.find(".//script") is None
        strong = rendered.find(".//strong")
        assert strong.text_content() == f"{term.term}:"
        [link] = rendered.findall(".//a")
        assert link.text_content() == cited_as(version, term)
        assert link.get("href").endswith(f"#section-{term.section.number}")
        words = rendered.text_content().split()
        assert words == [*f"{term.term}:".split(), *definition_words(term), *f"({cited_as(version, term)})".split()]


def test_text_is_laid_out_as_the_rfc_text(version):
    for term in version.terms:
        lines = embed(term, version, "text").text.split("\n")
        assert all(len(line) <= 72 for line in lines if " " in line.strip()), term.id
        assert lines[0].startswith(f"   {term.term}:")
        assert all(line == "" or line.startswith("      ") for line in lines[1:])
        words = " ".join(lines).split()
        assert words == [*f"{term.term}:".split(), *term.definition.split(), *f"({cited_as(version, term)})".split()]


def test_the_text_reference_reads_as_xml2rfc_renders_the_rfcxml_reference(version, tmp_path):
    term = version.terms[0]
    xml = embed(term, version, "xml")
    middle = "<section><name>Terminology</name><dl>\n" + xml.text + "\n</dl></section>"
    rendered = xml2rfc_text(minimal_document(middle, xml.reference), tmp_path).split("\n")
    start = next(i for i, line in enumerate(rendered) if line.startswith(f"   [{expected_anchor(version)}]"))
    end = rendered.index("", start)
    text_reference = embed(term, version, "text").reference
    assert flat(text_reference) == flat("\n".join(rendered[start:end]))
    assert all(len(line) <= 72 for line in text_reference.split("\n") if " " in line.strip())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version_args", [[], ["--version", "latest"]])
def test_no_citation_names_the_editors_copy_as_a_revision(fmt, version_args):
    result = CliRunner().invoke(main, ["--store", str(embedded_store()), "embed", "c1", "--format", fmt,
                                       *version_args])
    assert result.exit_code == 0, result.output
    assert "-latest" not in result.stdout
    if version_args:
        assert "editor's copy" in html.unescape(result.stdout)
    else:
        assert NUMBERED_DRAFT in result.stdout or "I-D.ietf-iotops-7228bis" in result.stdout


def test_text_lists_hang_their_items(catalog):
    version = catalog.version("latest")
    listed = next(t for t in version.terms if "\n* " in t.definition)
    items = [line[2:] for line in listed.definition.split("\n") if line.startswith("* ")]
    lines = embed(listed, version, "text").text.split("\n")
    bullets = [index for index, line in enumerate(lines) if line.startswith("      *  ")]
    assert len(bullets) == len(items)
    for index, item in zip(bullets, items):
        continued = []
        for line in lines[index + 1:]:
            if not line.startswith("         "):
                break
            continued.append(line)
        assert " ".join([lines[index][9:], *continued]).split() == item.split()


def test_html_quotes_the_definition_as_text(version):
    for term in [*version.terms, hostile_term()]:
        fragment = lxml.html.fragment_fromstring(embed(term, version, "html").text)
        assert fragment.tag == "dl" and fragment.find(".//script") is None
        assert fragment.findtext("dt") == term.term
        quotation = fragment.find("dd/blockquote")
        assert quotation.text_content().split() == definition_words(term)
        assert len(quotation.findall(".//li")) == term.definition.count("\n* ") + term.definition.startswith("* ")
        [link] = fragment.findall("dd/p/a")
        assert link.text == cited_as(version, term)
        assert quotation.get("cite") == link.get("href")


# --- Terminology sections ------------------------------------------------------------


def test_terminology_keeps_the_order_given_and_each_term_once(catalog):
    terms, version = select_terms(catalog, ["normally-off", "c1", "Class 1", "CLASS-1", "e9"], "latest")
    assert [t.id for t in terms] == [version.find("Normally-off").id, version.find("C1").id, version.find("E9").id]


def test_terminology_section_in_rfcxml_renders_with_xml2rfc(catalog, rfc7228, tmp_path):
    names = ["Constrained Node", "C1", "class 1", "normally-off", "Challenged Network", "E9"]
    for version in (rfc7228, catalog.version(NUMBERED_DRAFT)):
        terms = list({version.find(n).id: version.find(n) for n in names}.values())
        for pointers in (False, True):
            section = terminology_section(terms, version, "xml", pointers=pointers)
            rendered = " ".join(xml2rfc_text(minimal_document(section.text, section.reference), tmp_path).split())
            anchor = expected_anchor(version)
            assert f"This document uses the following terms defined in [{anchor}]:" in rendered
            positions = [rendered.index(f"{term.term}: ") for term in terms]
            assert positions == sorted(positions)
            for term in terms:
                said = f"See Section {term.section.number} of [{anchor}]." if pointers else term.definition.split()[0]
                assert said in rendered


@pytest.mark.parametrize("fmt", ["kramdown", "markdown"])
def test_terminology_section_in_markdown(catalog, fmt):
    terms, version = select_terms(catalog, ["C2", "E0", "c2"], NUMBERED_DRAFT)
    section = terminology_section(terms, version, fmt)
    assert section.text.split("\n")[0].lstrip("#").strip() == "Terminology"
    for term in terms:
        assert section.text.count(embed(term, version, fmt).text) == 1
    if fmt == "kramdown":
        assert "defined in {{" + BIS_ANCHOR + "}}" in section.text
        assert {c[2] for c in KRAMDOWN_CITATION.findall(section.text)} == {BIS_ANCHOR}


# --- the command line ---------------------------------------------------------------


def glossary(*args):
    return CliRunner().invoke(main, ["--store", str(embedded_store()), *args])


def test_embed_command_prints_the_snippet_and_where_its_reference_goes():
    result = glossary("embed", "c2", "--format", "xml", "--version", NUMBERED_DRAFT)
    assert result.exit_code == 0, result.output
    entry, reference = result.stdout.split("<!-- for <back><references>: -->")
    assert etree.fromstring(f"<dl>{entry}</dl>").findtext("dt") == "Class 2:"
    assert etree.fromstring(reference).get("anchor") == BIS_ANCHOR

    as_json = json.loads(glossary("embed", "Class 2", "--format", "kramdown", "--json").stdout)
    assert as_json["term"] == "class-2" and as_json["format"] == "kramdown"
    assert "informative:" in glossary("embed", "Class 2", "--format", "kramdown").stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_embed_command_in_every_format(fmt):
    result = glossary("embed", "normally-off", "--format", fmt)
    assert result.exit_code == 0 and "Normally-off" in result.stdout


@pytest.mark.parametrize("fmt", ["xml", "kramdown", "markdown"])
def test_terminology_cites_the_newest_numbered_revision_by_default(fmt):
    result = glossary("terminology", "c1", "normally-off", "--format", fmt, "--json")
    assert json.loads(result.stdout)["version"] == NUMBERED_DRAFT
    assert "-latest" not in glossary("terminology", "c1", "normally-off", "--format", fmt).stdout


def test_terminology_command_refuses_unknown_terms_with_close_matches():
    result = glossary("terminology", "c1", "Clas 2", "--format", "kramdown")
    assert result.exit_code == 1
    assert "unknown term 'Clas 2'" in result.stderr and "Class 2" in result.stderr
    assert result.stdout == ""
