"""The RFCXML importer: what a reviewer relies on from a v3 or v2 source."""

from __future__ import annotations

import http.server
import threading

import pytest

from support import corpus_file, name_read_from_file
from importers import SourceError, read_version

V3_DOC = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rfc [
  <!ENTITY nbsp "&#160;">
  <!ENTITY nbhy "&#8209;">
]>
<rfc version="3" docName="draft-example-terms-03" category="info">
  <front>
    <title>Example Terms</title>
    <seriesInfo name="Internet-Draft" value="draft-example-terms-03"/>
    <date year="2025" month="March" day="7"/>
  </front>
  <middle>
    <section anchor="intro"><name>Introduction</name>
      <t>See <xref target="defs"/>.</t>
    </section>
    <section anchor="defs"><name>Definitions</name>
      <dl>
        <dt>Sleepy&nbsp;Node:</dt>
        <dd><t>A node that sleeps (<xref target="RFC7102"/>); see
          <xref target="tcp" section="3.4" sectionFormat="of"/> and <xref target="classes"/>.</t>
          <ul><li><t>first&nbhy;item</t></li><li><t>second <em>item</em></t></li></ul>
        </dd>
      </dl>
      <section anchor="sub"><name>Sizes</name>
        <table anchor="classes">
          <name>Sizes of Things</name>
          <thead><tr><th>Group</th><th>Name</th><th>RAM</th></tr></thead>
          <tbody>
            <tr><td>M</td><td>Size 1, Z1</td><td>10<sup>3</sup> bytes</td></tr>
            <tr><td></td><td></td><td>or more</td></tr>
            <tr><td>J</td><td></td><td>to be filled in</td></tr>
            <tr><td>J</td><td>Size 1, Z1</td><td>a slip: the name again</td></tr>
          </tbody>
        </table>
        <table>
          <thead><tr><th>Name</th><th>Meaning</th></tr></thead>
          <tbody><tr><td>E0</td><td>event energy-limited</td></tr></tbody>
        </table>
      </section>
      <section anchor="acr"><name>LPWAN</name>
        <t>An overview over Low-Power Wide Area Network (LPWAN) technologies.</t>
      </section>
    </section>
  </middle>
  <back>
    <references anchor="refs"><name>References</name>
      <reference anchor="RFC7102" target="https://www.rfc-editor.org/rfc/rfc7102"><front><title/></front></reference>
      <reference anchor="tcp" target="https://www.rfc-editor.org/info/std7"><front><title/></front></reference>
    </references>
  </back>
</rfc>
"""


@pytest.fixture(scope="module")
def v3():
    return read_version(V3_DOC.encode(), "example.xml")


def test_v3_metadata(v3):
    assert (v3.name, v3.document, v3.revision, v3.date) == (
        "draft-example-terms-03",
        "draft-example-terms",
        "03",
        "2025-03-07",
    )
    assert v3.source.format == "rfcxml-v3"
    assert v3.source.uri == "example.xml"


def test_definition_list_entry_in_canonical_text(v3):
    node = v3.find("sleepy node")
    assert node.term == "Sleepy Node"
    assert node.defined_in == "dl"
    assert node.section.number == "2" and node.section.anchor == "defs"
    assert node.definition == (
        "A node that sleeps ([RFC7102]); see Section 3.4 of [tcp] and Table 1.\n\n"
        "* first-item\n* second _item_"
    )
    assert node.source_fragment.startswith("<dt>")


def test_table_rows_become_terms_with_columns_as_attributes(v3):
    size = v3.find("Z1")
    assert size.id == "size-1" and size.aliases == ["Z1"]
    assert size.section.number == "2.1" and size.section.title == "Sizes"
    # the nameless row with an empty group continues the row above it
    assert size.attributes == {"Group": "M", "RAM": "10^3 bytes or more"}
    assert v3.find("E0").attributes == {"Meaning": "event energy-limited"}
    assert v3.find("E0").kind == "energy-class"


def test_nothing_is_dropped_silently(v3):
    ids = [t.id for t in v3.terms if t.term == "Size 1"]
    assert ids == ["size-1", "size-1-2"]
    assert v3.find("size-1-2").attributes["RAM"] == "a slip: the name again"
    warnings = "\n".join(v3.warnings)
    assert "'Size 1' is defined more than once" in warnings
    assert "to be filled in" in warnings  # the placeholder row is reported, not lost
    assert "merged into the row above" in warnings


def test_acronym_section(v3):
    lpwan = v3.find("low power wide area network")
    assert lpwan.id == "lpwan" and lpwan.kind == "acronym" and lpwan.defined_in == "section"
    assert lpwan.definition == "An overview over Low-Power Wide Area Network (LPWAN) technologies."


V2_DOC = """<?xml version="1.0"?>
<!DOCTYPE rfc SYSTEM "rfc2629.dtd" [
<!ENTITY RFC7102 SYSTEM "https://bibxml.invalid/reference.RFC.7102.xml">
]>
<rfc docName="draft-example-old-01" category="info">
  <front><title>Old Style</title><date year="2019" month="September" day="2"/></front>
  <middle>
    <section title="Terms" anchor="sect-1">
      <t><list style="hanging" hangIndent="3">
        <t hangText="Always-on:">The device stays on<vspace blankLines="1"/>all the time.</t>
        <t hangText="A sentence that a converter took for a label."/>
      </list></t>
      <texttable anchor="t1" title="Levels">
        <ttcol>Name</ttcol><ttcol>Meaning</ttcol>
        <c>P9</c><c>Always connected</c>
      </texttable>
    </section>
  </middle>
  <back><references title="Informative References">&RFC7102;</references></back>
</rfc>
"""


def test_v2_hanging_lists_and_texttables():
    version = read_version(V2_DOC.encode(), "old.xml")
    assert version.source.format == "rfcxml-v2"
    assert [t.id for t in version.terms] == ["always-on", "p9"]
    assert version.find("always-on").definition == "The device stays on\n\nall the time."
    assert version.find("p9").attributes == {"Meaning": "Always connected"}
    assert version.find("p9").section.number == "1"


# --- hostile XML ------------------------------------------------------------

def test_external_entities_never_read_local_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = V2_DOC.replace("https://bibxml.invalid/reference.RFC.7102.xml", secret.as_uri()).replace(
        "The device stays on", "The device stays on &RFC7102;"
    )
    version = read_version(doc.encode(), "xxe.xml")
    assert "TOP-SECRET" not in repr(version.to_dict())


def test_external_entities_and_dtds_never_touch_the_network():
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY x "pwned">')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        doc = (
            V2_DOC.replace('SYSTEM "rfc2629.dtd"', f'SYSTEM "{base}/rfc2629.dtd"')
            .replace("https://bibxml.invalid/reference.RFC.7102.xml", f"{base}/ref.xml")
            .replace("The device stays on", "The device stays on &RFC7102;")
        )
        version = read_version(doc.encode(), "net.xml")
    finally:
        server.shutdown()
    assert hits == []
    assert "pwned" not in repr(version.to_dict())


def test_entity_amplification_is_refused():
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    doc = V3_DOC.replace('<!ENTITY nbsp "&#160;">', "\n".join(levels) + '\n<!ENTITY nbsp "&#160;">').replace(
        "A node that sleeps", "A node that sleeps &l9;"
    )
    with pytest.raises(SourceError) as error:
        read_version(doc.encode(), "laughs.xml")
    assert "laughs.xml" in str(error.value) and "entity expansion refused" in str(error.value)


@pytest.mark.parametrize(
    "cut",
    [V3_DOC[: len(V3_DOC) // 2], V3_DOC.replace("</dd>", "", 1)],
    ids=["truncated", "unclosed-element"],
)
def test_malformed_xml_is_a_clear_error(cut):
    with pytest.raises(SourceError) as error:
        read_version(cut.encode(), "broken.xml")
    assert str(error.value).startswith("broken.xml: malformed XML")


def test_xml_that_is_not_rfcxml_is_refused():
    with pytest.raises(SourceError, match="svg.xml: .*not <rfc>"):
        read_version(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "svg.xml")


# --- the real corpus ----------------------------------------------------------

def test_every_xml_revision_imports_with_its_classification_tables(corpus, manifest):
    for revision in manifest:
        path = corpus_file(corpus, revision, "xml")
        version = read_version(path.read_bytes(), str(path))
        assert version.name == name_read_from_file(revision)
        assert version.date == revision["date"]
        kinds = {t.kind for t in version.terms}
        assert {"term", "acronym", "device-class", "energy-class", "power-strategy", "mtu-class"} <= kinds
        assert "classification" not in kinds, f"{revision['name']}: a table of unknown kind"
        assert len({t.id for t in version.terms}) == len(version.terms)


def test_newest_revision_has_all_twelve_tables(corpus):
    path = corpus / "xml" / "draft-ietf-iotops-7228bis-latest.xml"
    version = read_version(path.read_bytes(), str(path))
    table_kinds = {t.kind for t in version.terms if t.defined_in == "table"}
    assert table_kinds == {
        "device-class", "firmware-class", "isolation-class", "shielding-class", "power-quantity",
        "energy-class", "power-strategy", "time-class", "time-permanency-class", "mtu-class",
        "integration-class", "bitrate-class",
    }
    class2 = version.find("C2")
    # as Table 1 of the document shows it
    assert class2.attributes == {
        "Group": "M",
        "data size (e.g., RAM)": "~ 50 KiB",
        "code size (e.g., Flash)": "~ 250 KiB",
        "Examples": "STM32F103RC",
    }
    assert (class2.section.number, class2.section.anchor) == ("3", "devclass")
    assert version.find("T3").attributes["Uncertainty (roughly)"] == "10^-4 or better"
    challenged = version.find("Challenged Network").definition
    assert "(Sections 3.4 and 4 of [STD7]; see also Section 5.3)" in challenged
    assert version.find("LLN").aliases == ["Low-Power and Lossy Network"]


def test_the_duplicate_mtu_class_of_the_first_draft_survives(corpus):
    path = corpus / "xml" / "draft-bormann-lwig-7228bis-00.xml"
    version = read_version(path.read_bytes(), str(path))
    s2 = [t for t in version.terms if t.term == "S2"]
    assert [t.attributes["L2 MTU size (bytes)"] for t in s2] == ["128 - 1279", ">= 1280"]
    assert any("'S2' is defined more than once" in w for w in version.warnings)


def test_v2_and_v3_of_one_revision_give_the_same_terms(corpus, manifest):
    pairs = [r for r in manifest if "xml-v2" in r["files"]]
    assert pairs
    for revision in pairs:
        v2_path, v3_path = corpus_file(corpus, revision, "xml-v2"), corpus_file(corpus, revision, "xml")
        v2 = read_version(v2_path.read_bytes(), str(v2_path))
        v3 = read_version(v3_path.read_bytes(), str(v3_path))
        assert v2.source.format == "rfcxml-v2"
        assert [_comparable(t) for t in v2.terms] == [_comparable(t) for t in v3.terms]


def _comparable(term):
    record = term.to_dict()
    record.pop("source_fragment")
    # v2 converted from text has invented anchors
    for section in [record["section"], *(note["section"] for note in record["notes"])]:
        section.pop("anchor")
    return record


def test_v2_page_break_inside_a_definition_is_not_a_paragraph_break(corpus):
    # A converter from text leaves <vspace blankLines="1"/> where a page broke a
    # paragraph, the line after it starting with a tab: the sentence goes on.
    revision = "draft-bormann-lwig-7228bis-00"
    v2_text = (corpus / "xml-v2" / f"{revision}.xml").read_text()
    lines = "resources lead to hard upper bounds\n      on state, code space"
    assert v2_text.count(lines) == 1
    broken = v2_text.replace(lines, lines.replace("\n      ", '\n\t<vspace blankLines="1"/>\n\t'))
    v2 = read_version(broken.encode(), f"{revision}.xml")
    v3_path = corpus / "xml" / f"{revision}.xml"
    v3 = read_version(v3_path.read_bytes(), str(v3_path))
    assert "hard upper bounds on state, code space" in v2.find("Constrained Node").definition
    assert [_comparable(t) for t in v2.terms] == [_comparable(t) for t in v3.terms]


def test_v2_blank_line_after_a_sentence_stays_a_paragraph_break():
    # the same element between two paragraphs of one hanging entry
    v2 = read_version(V2_LAID_OUT.encode(), "laid-out.xml")
    assert v2.find("Normally-off").definition == (
        "Under this strategy, the device sleeps such long periods at a time that once it wakes up, "
        "it makes sense for it to not pretend that it has been connected to the network during "
        "sleep, and it reattaches to the network whenever it is woken up.\n\nIf the device sleeps for long periods of time and needs to communicate "
        "infrequently, it reattaches."
    )


V2_LAID_OUT = """<?xml version="1.0" encoding="US-ASCII"?>
<!-- Generated by id2xml 1.5.2 on 2026-01-01T00:00:00Z -->
<rfc docName="draft-example-laid-out-00" category="info">
<front><title>Laid Out</title><date year="2026" month="January"/></front>
<middle>
<section title="Strategies" anchor="sect-1">
\t<t><list style="hanging" hangIndent="3"><t hangText="Normally-off:">
\tUnder this strategy, the device sleeps such long
\t<vspace blankLines="0"/>
\tperiods at a time that once it wakes up, it makes sense for it to
      not pretend that it has been connected to the network during
      sleep, and it reattaches to the network whenever it is woken up.
\t<vspace blankLines="1"/>
\tIf the device sleeps for long periods of time and needs to
      communicate infrequently, it reattaches.
\t</t>
\t</list>
\t</t>
</section>
</middle>
</rfc>
"""
