"""The xml2rfc HTML importer: the same glossary as the XML it was rendered from."""

from __future__ import annotations

import pytest

from support import corpus_file, name_read_from_file
from importers import SourceError, read_version
from importers import xml2rfc_html

# A small page shaped the way xml2rfc v3 renders one: anchor <div>s around
# sections and tables, section-number/section-name links, pilcrows, <dd class="break">.
XML2RFC_PAGE = """<!DOCTYPE html>
<html lang="en" class="Internet-Draft">
<head>
<meta charset="utf-8">
<title>Example Terms</title>
<meta content="xml2rfc 3.34.1" name="generator">
<meta content="draft-example-terms-03" name="ietf.draft">
</head>
<body class="xml2rfc">
<div id="internal-metadata" class="document-information">
<dl id="identifiers">
<dt class="label-internet-draft">Internet-Draft:</dt>
<dd class="internet-draft">draft-example-terms-03</dd>
<dt class="label-published">Published:</dt>
<dd class="published"><time datetime="2025-03-07" class="published">7 March 2025</time></dd>
</dl>
</div>
<h1 id="title">Example Terms</h1>
<section id="section-abstract"><h2 id="abstract"><a href="#abstract" class="selfRef">Abstract</a></h2>
<p id="section-abstract-1">Terms.<a href="#section-abstract-1" class="pilcrow">¶</a></p>
</section>
<section id="section-boilerplate.1"><h2 id="name-status-of-this-memo">
<a href="#name-status-of-this-memo" class="section-name selfRef">Status of This Memo</a></h2>
<dl><dt>Not a term:</dt><dd>boilerplate</dd></dl>
</section>
<div id="definitions">
<section id="section-1">
<h2 id="name-definitions">
<a href="#section-1" class="section-number selfRef">1. </a><a href="#name-definitions" class="section-name selfRef">Definitions</a>
</h2>
<span class="break"></span><dl class="dlParallel" id="section-1-1">
<dt id="section-1-1.1">Sleepy Node:</dt>
<dd id="section-1-1.2">
<p id="section-1-1.2.1">A node that sleeps <span>[<a href="#RFC7102" class="cite xref">RFC7102</a>]</span>,
about 10<sup>3</sup> times a day; see <a href="#sizes" class="auto internal xref">Table 1</a>.<a href="#section-1-1.2.1" class="pilcrow">¶</a></p>
<ul class="normal">
<li class="normal"><p>first item<a href="#x" class="pilcrow">¶</a></p></li>
<li class="normal"><p>second <em>item</em><a href="#x" class="pilcrow">¶</a></p></li>
</ul>
</dd>
<dd class="break"></dd>
<dt id="section-1-1.3">Script Node:</dt>
<dd id="section-1-1.4">
<p id="section-1-1.4.1">Runs &lt;script&gt;alert(1)&lt;/script&gt; as text.<script>alert(2)</script><a href="#section-1-1.4.1" class="pilcrow">¶</a></p>
</dd>
<dd class="break"></dd>
</dl>
<span id="name-sizes"></span><div id="sizes">
<table class="center" id="table-1">
<caption><a href="#table-1" class="selfRef">Table 1</a>:
<a href="#name-sizes" class="selfRef">Sizes</a></caption>
<thead><tr><th class="text-left">Name</th><th class="text-left">RAM</th></tr></thead>
<tbody><tr><td class="text-left">Size 1, Z1</td><td class="text-left">10<sup>3</sup> bytes</td></tr></tbody>
</table>
</div>
</section>
</div>
<section id="section-2">
<h2 id="name-references"><a href="#section-2" class="section-number selfRef">2. </a><a href="#name-references" class="section-name selfRef">References</a></h2>
<dl class="references"><dt id="RFC7102">[RFC7102]</dt><dd>A reference.</dd></dl>
</section>
<div id="app">
<section id="appendix-A">
<h2 id="name-more"><a href="#appendix-A" class="section-number selfRef">Appendix A. </a><a href="#name-more" class="section-name selfRef">More</a></h2>
<dl><dt>Appendix Term:</dt><dd>not in the body</dd></dl>
</section>
</div>
</body>
</html>
"""


def _summary(version):
    return {
        t.id: (t.term, t.kind, t.definition, t.aliases, t.attributes, t.defined_in, t.section, t.notes, t.related)
        for t in version.terms
    }


def test_every_html_revision_matches_its_xml(corpus, manifest):
    compared = 0
    for revision in manifest:
        if "html" not in revision["files"] or "xml" not in revision["files"]:
            continue
        html_path, xml_path = corpus_file(corpus, revision, "html"), corpus_file(corpus, revision, "xml")
        html = read_version(html_path.read_bytes(), str(html_path))
        xml = read_version(xml_path.read_bytes(), str(xml_path))
        assert html.source.format == "xml2rfc-html"
        assert (html.name, html.title, html.date) == (xml.name, xml.title, xml.date) == (
            name_read_from_file(revision),
            xml.title,
            revision["date"],
        )
        assert [t.id for t in html.terms] == [t.id for t in xml.terms], revision["name"]
        assert _summary(html) == _summary(xml), revision["name"]
        assert html.warnings == xml.warnings, revision["name"]
        compared += 1
    assert compared == 16


def test_xml2rfc_page_reads_body_sections_only():
    version = read_version(XML2RFC_PAGE.encode(), "example.html")
    assert (version.name, version.revision, version.date, version.title) == (
        "draft-example-terms-03",
        "03",
        "2025-03-07",
        "Example Terms",
    )
    terms = {t.id: t for t in version.terms}
    assert set(terms) == {"sleepy-node", "script-node", "size-1"}
    sleepy = terms["sleepy-node"]
    assert sleepy.definition == (
        "A node that sleeps [RFC7102], about 10^3 times a day; see Table 1.\n\n* first item\n* second _item_"
    )
    assert (sleepy.section.number, sleepy.section.title, sleepy.section.anchor) == ("1", "Definitions", "definitions")
    assert terms["size-1"].aliases == ["Z1"]
    assert terms["size-1"].attributes == {"RAM": "10^3 bytes"}


def test_table_number_caption_and_anchor():
    document = xml2rfc_html.read(XML2RFC_PAGE.encode(), "example.html")
    table = document.sections[0].blocks[-1]
    assert (table.number, table.caption, table.anchor, table.header) == (1, "Sizes", "sizes", ["Name", "RAM"])


def test_markup_in_a_definition_is_inert_text():
    terms = {t.id: t for t in read_version(XML2RFC_PAGE.encode(), "example.html").terms}
    definition = terms["script-node"].definition
    # Escaped markup is the document's text, kept verbatim; a real <script> element is not document text.
    assert definition == "Runs <script>alert(1)</script> as text."
    assert "alert(2)" not in definition and "¶" not in definition


def test_plain_html_page_is_refused():
    page = b"<!DOCTYPE html><html><head><title>Blog</title><meta name='generator' content='Hugo'></head>" \
        b"<body><h1>Terms</h1><dl><dt>Node:</dt><dd>a thing</dd></dl></body></html>"
    with pytest.raises(SourceError) as caught:
        read_version(page, "blog.html")
    assert caught.value.source == "blog.html"
    assert "HTML page that xml2rfc did not render" in caught.value.problem


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rfc version="3"><!-- xml2rfc --></rfc>',
        b"Internet-Draft  draft-example-00  xml2rfc\n",
        b"\x89PNG\r\n\x1a\n",
        b"<!DOCTYPE html><html><head><meta name='generator' content='Hugo'></head><body>xml2rfc</body></html>",
    ],
)
def test_looks_like_only_accepts_xml2rfc_html(data):
    assert not xml2rfc_html.looks_like(data)
    assert xml2rfc_html.looks_like(XML2RFC_PAGE.encode())


def test_xml2rfc_page_without_body_sections_is_refused():
    page = XML2RFC_PAGE.encode().split(b'<div id="definitions">')[0] + b"</body></html>"
    with pytest.raises(SourceError) as caught:
        read_version(page, "empty.html")
    assert "without numbered body sections" in caught.value.problem
