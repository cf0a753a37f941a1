"""The plain-text importer: RFC Editor and xml2rfc text renderings, page furniture and all."""

from __future__ import annotations

import pytest

from support import FIXTURES, corpus_file
from importers import SourceError, read_version, rfctext
from importers.document import Definition, Prose

RFC_STYLE = FIXTURES / "rfc-style.txt"
FURNITURE = ("[Page", "Informational", "Writer & Coder", "RFC 9999", "March 2015", "\f")


@pytest.fixture(scope="module")
def rfc():
    return read_version(RFC_STYLE.read_bytes(), str(RFC_STYLE))


@pytest.fixture(scope="module")
def rfc_document():
    return rfctext.read(RFC_STYLE.read_bytes(), str(RFC_STYLE))


def test_rfc_metadata(rfc):
    assert (rfc.name, rfc.document, rfc.revision, rfc.date) == ("rfc9999", "rfc9999", None, "2015-03")
    assert rfc.title == "Terminology for Battery-Free Gadgets"
    assert rfc.source.format == "rfc-text"
    assert rfc.warnings == []


def test_body_sections_only(rfc_document):
    # no front matter, table of contents, references, appendix or addresses
    assert [(s.number, s.title) for s in rfc_document.sections] == [
        ("1", "Introduction"),
        ("2", "Gadget Terminology"),
        ("2.1", "Harvesting Gadgets"),
        ("2.2", "WSN"),
        ("3", "Classes of Harvesters"),
        ("4", "Security Considerations"),
    ]


def test_rfc_terms(rfc):
    assert [t.id for t in rfc.terms] == ["cold-start", "harvesting-gadget", "wsn", "harvester-0", "harvester-1", "harvester-2"]
    cold = rfc.find("Cold Start")
    assert (cold.kind, cold.defined_in, cold.section.number) == ("term", "dl", "2.1")
    # a word broken after its own hyphen is joined with the hyphen kept
    assert cold.definition == (
        "The first activation of a gadget whose energy store is empty, so that it starts "
        "without any state kept in its non-volatile memory."
    )
    wsn = rfc.find("WSN")
    assert (wsn.kind, wsn.aliases, wsn.section.title) == ("acronym", ["Wireless Sensor Network"], "WSN")


def test_definition_split_by_a_page_break_is_rejoined(rfc):
    gadget = rfc.find("Harvesting Gadget")
    assert gadget.definition == (
        "A gadget that draws all of its operating energy from its environment, storing it in a "
        "capacitor between bursts of activity. A harvesting gadget has no battery to replace, so its "
        "useful life is bounded by the wear of its store and of its radio rather than by the capacity "
        "of a cell.\n\n"
        "Such gadgets often run for many years while performing a handful of operations per hour."
    )


def test_old_style_table_split_by_a_page_break(rfc, rfc_document):
    h0 = rfc.find("H0")
    assert (h0.id, h0.term, h0.aliases, h0.kind, h0.defined_in) == (
        "harvester-0", "Harvester 0", ["H0"], "classification", "table"
    )
    # the row's continuation lines, part of them on the next page, belong to it
    assert h0.attributes == {
        "Energy per burst": "below 1 microjoule",
        "Example": "a push button that powers a single radio frame",
    }
    assert rfc.find("H1").attributes["Energy per burst"] == "1 microjoule to 1 millijoule"
    table = rfc_document.sections[4].blocks[3]
    assert (table.number, table.caption) == (1, "Classes of Harvesting Gadgets by the Energy of One Burst")


def test_page_furniture_never_leaks(rfc, rfc_document):
    texts = [t.definition for t in rfc.terms] + [v for t in rfc.terms for v in t.attributes.values()]
    for section in rfc_document.sections:
        texts += [b.text for b in section.blocks if isinstance(b, (Prose, Definition))]
    for text in texts:
        assert not any(mark in text for mark in FURNITURE), text


def test_paragraph_ending_at_the_foot_of_a_page_stays_a_paragraph(rfc_document):
    prose = [b.text for b in rfc_document.sections[4].blocks if isinstance(b, Prose)]
    assert "A class describes one gadget at one time." in prose
    assert prose[-1].startswith("Classes H3 and above")


def test_bullet_list_is_one_prose_block(rfc_document):
    lists = [b.text for b in rfc_document.sections[2].blocks if isinstance(b, Prose) and b.text.startswith("* ")]
    assert lists == [
        "* ambient light, including the dim light of office corridors, which most indoor gadgets rely on;\n"
        "* vibration of machinery and the movement of doors, which makes a self-powered sensor on a door "
        "handle possible; and\n"
        "* temperature differences between pipes and the air around them."
    ]


def test_content_sniffing():
    assert rfctext.looks_like(RFC_STYLE.read_bytes())
    assert not rfctext.looks_like(b'<?xml version="1.0"?>\n<rfc version="3"><front/></rfc>')
    assert not rfctext.looks_like(b"<!DOCTYPE html>\n<html><body>Internet-Draft</body></html>")
    assert not rfctext.looks_like(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not rfctext.looks_like(b"qwertzuiop asdfghjkl\nyxcvbnm\n" * 200)


@pytest.mark.parametrize("fraction", [0.1, 0.4, 0.7, 0.95])
def test_truncated_fixture_is_a_clear_error(fraction):
    data = RFC_STYLE.read_bytes()
    with pytest.raises(SourceError, match="truncated"):
        read_version(data[: int(len(data) * fraction)], "cut.txt")


def test_text_without_a_name_is_refused():
    data = RFC_STYLE.read_bytes().replace(b"Request for Comments: 9999", b"Request for Remarks: 9999 ")
    with pytest.raises(SourceError, match="no document name"):
        rfctext.read(data, "nameless.txt")


# --- a full page that ends a sentence, and a page that opens one -------------

def _draft_text(pages: list[list[str]]) -> bytes:
    """A draft in xml2rfc's text layout: 48 body lines to a full page, then 3 blank lines and the
    footer; every later page opens with a form feed, the running header and 2 blank lines."""
    out: list[str] = []
    for number, body in enumerate(pages, 1):
        if number > 1:
            out += ["\f", "Internet-Draft               Paged Widgets                    March 2020", "", ""]
        assert len(body) <= 48
        out += body + [""] * (48 - len(body) + 3)
        out.append(f"Writer                  Expires 2 September 2020                [Page {number}]")
    return ("\n".join(out) + "\n").encode()


def _filler(lines: int) -> list[str]:
    """``lines`` lines of a paragraph that names no term."""
    return ["   Widgets are counted in many ways, and this line only fills the page"] * lines


# The last line of a full page: a sentence ends where no next word would have fit (72 columns).
FULL_LAST_LINE = "   which is why the widgets are counted in this document by memory size."


def _paged_draft() -> bytes:
    front = [
        "", "", "", "",
        "Network Working Group                                          A. Writer",
        "Internet-Draft                                              Example Corp.",
        "Intended status: Informational                              1 March 2020",
        "Expires: 2 September 2020", "", "",
        "                             Paged Widgets",
        "                      draft-writer-paged-widgets-00", "",
        "Abstract", "",
        "   This document classifies widgets.  It is a test text.", "",
        "1.  Classes of Widgets", "",
        "   +======+========+",
        "   | Name | Memory |",
        "   +======+========+",
        "   | W1   | small  |",
        "   +------+--------+",
        "   | W2   | large  |",
        "   +------+--------+", "",
        "                      Table 1: Classes of Widgets",
    ]
    # page 2 ends a paragraph that names no term; page 3 opens one that names W1
    page2 = _filler(20) + [""] + _filler(26) + [FULL_LAST_LINE]
    page3 = ["   W1 widgets are small.  They keep little state.", ""] + _filler(43) + ["",
        "   W2 widgets are large.  They keep their state across restarts, and",
        FULL_LAST_LINE,
    ]
    # page 4 opens with a sentence that names no term: it goes on with the paragraph about W2
    page4 = ["   Their memory is counted in KiB.", "", "2.  References", "", "   None."]
    return _draft_text([front, page2, page3, page4])


def test_a_page_break_between_sentences_is_kept_where_it_may_end_a_paragraph():
    document = rfctext.read(_paged_draft(), "paged.txt")
    paragraphs = [b for b in document.sections[0].blocks if isinstance(b, Prose) and b.page_breaks]
    assert [p.text[p.page_breaks[0] + 1 :][:30] for p in paragraphs] == [
        "W1 widgets are small. They kee", "Their memory is counted in KiB",
    ]
    # the reader still reads one paragraph: the text cannot show which break is a paragraph break
    assert all(p.text[p.page_breaks[0]] == " " for p in paragraphs)


def test_a_page_that_opens_with_a_name_after_a_full_page_opens_a_note_whole():
    version = read_version(_paged_draft(), "paged.txt")
    def explanations(name):
        return [n.text for n in version.find(name).notes if n.kind == "explanation"]

    assert explanations("W1") == ["W1 widgets are small. They keep little state."]
    assert explanations("W2") == [
        "W2 widgets are large. They keep their state across restarts, and which is why the widgets are counted "
        "in this document by memory size. Their memory is counted in KiB."
    ]


# --- the real corpus ----------------------------------------------------------

@pytest.mark.corpus
def test_every_text_revision_gives_the_terms_of_its_xml(corpus, manifest):
    pairs = [r for r in manifest if "txt" in r["files"] and "xml" in r["files"]]
    assert pairs
    for revision in pairs:
        txt_path, xml_path = corpus_file(corpus, revision, "txt"), corpus_file(corpus, revision, "xml")
        txt = read_version(txt_path.read_bytes(), str(txt_path))
        xml = read_version(xml_path.read_bytes(), str(xml_path))
        assert txt.source.format == "rfc-text"
        assert (txt.name, txt.date, txt.title) == (xml.name, xml.date, xml.title)
        assert [t.id for t in txt.terms] == [t.id for t in xml.terms], revision["name"]
        assert [_comparable(t) for t in txt.terms] == [_comparable(t) for t in xml.terms], revision["name"]
        assert txt.warnings == xml.warnings


@pytest.mark.corpus
def test_truncated_real_draft_is_refused_or_partial(corpus, manifest):
    for revision in manifest:
        data = corpus_file(corpus, revision, "txt").read_bytes()
        cut = data[: int(len(data) * 0.4)]
        try:
            version = read_version(cut, "cut.txt")
        except SourceError as error:
            assert "truncated" in error.problem, error.problem
        else:  # what is there, never anything else
            assert all(not any(mark in t.definition for mark in ("[Page", "\f")) for t in version.terms)


def _comparable(term):
    record = term.to_dict()
    record.pop("source_fragment")
    for section in [record["section"], *(note["section"] for note in record["notes"])]:
        section.pop("anchor")  # the text shows no anchors
    return record
