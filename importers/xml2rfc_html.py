"""The HTML that xml2rfc v3 renders (``xml2rfc --html``).

The page keeps the structure of its RFCXML source: every body section is a
``<section id="section-2.1">`` wrapped in a ``<div>`` that carries the XML
anchor, headings hold a section-number link and a section-name link,
paragraphs end in a pilcrow link, and cross-references show the text the
text rendering shows ("[RFC7102]", "Section 3", "Table 1"). This reader
undoes that decoration so that the result equals what ``rfcxml`` reads from
the XML.
"""

from __future__ import annotations

import re

from lxml import etree

from .dates import iso_date
from .document import Definition, DocSection, Document, Prose, Table, source_repository
from glossary.model import Author
from .errors import SourceError
from .safexml import parse_html
from .text import bullet_list, paragraphs, superscript, words

FORMAT = "xml2rfc-html"

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype html|<html)", re.IGNORECASE)
_BODY_SECTION_ID = re.compile(r"^section-(\d+(?:\.\d+)*)$")
_TABLE_ID = re.compile(r"^table-(\d+)$")
_CAPTION_PREFIX = re.compile(r"^Table \d+:?\s*")
# Elements that hold no document text.
_SKIPPED_TAGS = {"script", "style", "template", "noscript"}
# xml2rfc's decorations around the text: pilcrows, comments (cref) and index entries (iref).
_SKIPPED_CLASSES = {"pilcrow", "cref", "iref"}
_BLOCK_TAGS = {"p", "ul", "ol", "dl", "blockquote", "table", "figure", "aside", "div", "pre", "section"}


def looks_like(data: bytes) -> bool:
    """An HTML page that says xml2rfc made it (its generator, or its body's class), in its first 64 KiB.

    The start of the page is parsed, not searched with a pattern: parsing
    takes linear time whatever the page holds.
    """
    head = data[:65536]
    if _HTML_START.match(head) is None:
        return False
    try:
        root = parse_html(head, "", whole=False)
    except SourceError:
        return False
    generators = [meta.get("content") or "" for meta in root.iter("meta")
                  if (meta.get("name") or "").lower() == "generator"]
    body = root.find("body")
    return any(g.lower().startswith("xml2rfc") for g in generators) or (
        body is not None and "xml2rfc" in (body.get("class") or "").split()
    )


def read(data: bytes, source: str) -> Document:
    root = parse_html(data, source)
    body = root.find("body")
    if body is None or "xml2rfc" not in _meta(root, "generator") + " " + body.get("class", ""):
        raise SourceError(source, "not an HTML page rendered by xml2rfc")
    sections: list[DocSection] = []
    for top in _top_sections(body):
        _collect(top, sections)
    if not sections:
        raise SourceError(source, "an xml2rfc HTML page without numbered body sections")
    return Document(
        name=_doc_name(root, source),
        title=_text(root.find(".//h1[@id='title']")) or words(root.findtext("head/title") or ""),
        date=_date(root),
        format=FORMAT,
        sections=sections,
        authors=_authors(root),
        repository=_repository(root),
    )


# --- metadata -------------------------------------------------------------

def _meta(root, name: str) -> str:
    for meta in root.iterfind("head/meta"):
        if meta.get("name") == name:
            return (meta.get("content") or "").strip()
    return ""


def _doc_name(root, source: str) -> str:
    if _meta(root, "rfc.number"):
        return "rfc" + _meta(root, "rfc.number")
    if _meta(root, "ietf.draft"):
        return _meta(root, "ietf.draft")
    # The header table ("Internet-Draft: draft-...", "Request for Comments: 7228").
    for cls, prefix in (("rfc", "rfc"), ("internet-draft", "")):
        dd = root.find(f".//dl[@id='identifiers']/dd[@class='{cls}']")
        if dd is not None and _text(dd):
            return prefix + _text(dd)
    raise SourceError(source, "xml2rfc HTML without a document name (no ietf.draft or rfc.number)")


def _authors(root) -> list[Author]:
    """The header's authors ("C. Bormann" and the organisation), with the full names
    the page's author metadata gives in the same order (else the address cards)."""
    fullnames = [meta.get("content", "").strip() for meta in root.iterfind("head/meta") if meta.get("name") == "author"]
    if not fullnames:
        fullnames = [_text(fn) for fn in root.iterfind(".//address[@class='vcard']//span[@class='fn nameRole']")]
    found = []
    for index, div in enumerate(root.iterfind(".//dd[@class='authors']/div[@class='author']")):
        shown = re.sub(r",\s*Ed\.$", "", _text(div.find("div[@class='author-name']")))
        initials, _, surname = shown.rpartition(" ")
        fullname = next((name for name in fullnames if name.endswith(" " + surname)), None) \
            or (fullnames[index] if index < len(fullnames) else shown)
        found.append(Author(fullname, initials, surname, _text(div.find("div[@class='org']")) or None))
    return found


def _repository(root) -> str | None:
    note = next((section for section in root.iter("section") if (section.get("id") or "").startswith("section-note")
                 and "Source for this draft" in "".join(section.itertext())), None)
    return source_repository(etree.tostring(note, encoding=str)) if note is not None else None


def _date(root) -> str | None:
    time = root.find(".//dl[@id='identifiers']//time")  # the "Published:" date ("2026-06-30" or "2026-06")
    if time is None or not time.get("datetime"):
        return None
    year, month, day = (time.get("datetime").split("-") + [None, None])[:3]
    return iso_date(year, month, day)


# --- sections --------------------------------------------------------------

def _top_sections(body):
    """The numbered top-level sections before the references: what <middle> holds."""
    for sec in body.iter("section"):
        if next(sec.iterancestors("section"), None) is not None:
            continue
        if not _BODY_SECTION_ID.match(sec.get("id", "")):
            continue  # abstract, notes, boilerplate, table of contents, appendices
        if sec.find(".//dl[@class='references']") is not None:
            return  # the references come after the last body section
        yield sec


def _anchor(el) -> str | None:
    """The XML anchor: xml2rfc puts it on a ``<div>`` that wraps the element."""
    parent = el.getparent()
    if parent is not None and parent.tag == "div" and parent.get("id") and not parent.get("class") and len(parent) == 1:
        return parent.get("id")
    return None


def _collect(sec, out: list[DocSection]) -> None:
    heading = next((c for c in sec if c.tag in ("h1", "h2", "h3", "h4", "h5", "h6")), None)
    doc_section = DocSection(number=_number(heading), title=_title(heading), anchor=_anchor(sec))
    out.append(doc_section)
    for child in _unwrapped(sec):
        if child.tag == "section":
            _collect(child, out)
        elif child is not heading:
            doc_section.blocks.extend(_section_blocks(child))


def _unwrapped(el):
    """The children of ``el``, with the anchor-carrying ``<div>`` wrappers opened."""
    for child in el:
        if child.tag == "div" and len(child) == 1 and _anchor(child[0]):
            yield child[0]
        elif isinstance(child.tag, str):
            yield child


def _number(heading) -> str | None:
    """"2.3.1" from the heading's "2.3.1. " link; unnumbered sections have none."""
    link = heading.find("a[@class='section-number selfRef']") if heading is not None else None
    return _text(link).rstrip(".") or None


def _title(heading) -> str:
    if heading is None:
        return ""
    name = heading.find("a[@class='section-name selfRef']")
    if name is not None:
        return _text(name)
    return _text(heading, skip_classes={"section-number selfRef"})


# --- blocks ----------------------------------------------------------------

def _section_blocks(el) -> list:
    if el.tag == "dl":
        return [Definition(term=_strip_colon(_text(dt)), text=paragraphs(_blocks(dd))) for dt, dd in _pairs(el)]
    if el.tag == "table":
        return [_table(el)]
    return [Prose(text, _prose_kind(el)) for text in _blocks(el)]


def _prose_kind(el) -> str:
    """Whether a block element renders as a bulleted list, a quotation or paragraphs."""
    if el.tag in ("ul", "ol"):
        return "paragraph" if {"ulEmpty", "empty"} & set(el.get("class", "").split()) else "list"
    return "quote" if el.tag == "blockquote" else "paragraph"


def _blocks(el) -> list[str]:
    """The canonical text blocks of a container (p, li, dd, blockquote...), as rfcxml makes them."""
    if el.tag in _SKIPPED_TAGS or el.get("class") in _SKIPPED_CLASSES:
        return []
    if el.tag in ("ul", "ol"):
        items = el.findall("li")
        if {"ulEmpty", "empty"} & set(el.get("class", "").split()):
            return [text for li in items for text in _blocks(li)]
        return [bullet_list([" ".join(_blocks(li)) for li in items])]
    if el.tag == "dl":
        return [f"{_text(dt)} {paragraphs(_blocks(dd))}" for dt, dd in _pairs(el)]
    if el.tag == "pre":
        return ["\n".join(line.rstrip() for line in "".join(el.itertext()).strip("\n").splitlines())]
    if el.tag in ("table", "figure"):
        return []
    out: list[str] = []
    run: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
            out.append(words("".join(run)))
            out.extend(_blocks(child))
            run = []
        else:
            run.append(_inline(child))
        run.append(child.tail or "")
    out.append(words("".join(run)))
    return [b for b in out if b]


def _table(el) -> Table:
    header = [_text(cell) for cell in el.iterfind("thead/tr/*") if cell.tag in ("th", "td")]
    rows = [[_text(cell) for cell in tr if cell.tag in ("td", "th")] for tr in el.iterfind("tbody/tr")]
    if not header and rows:
        header, rows = rows[0], rows[1:]
    number = _TABLE_ID.match(el.get("id", ""))
    # "Table 3: Classes of Energy Limitation", or just "Table 3" for a table without a name
    caption = _CAPTION_PREFIX.sub("", _text(el.find("caption")))
    return Table(
        header=header,
        rows=rows,
        number=int(number.group(1)) if number else None,
        caption=caption or None,
        anchor=_anchor(el),
    )


def _pairs(dl):
    dt = None
    for child in dl:
        if child.tag == "dt":
            dt = child
        elif child.tag == "dd" and dt is not None:  # skips xml2rfc's <dd class="break">
            yield dt, child
            dt = None


def _strip_colon(term: str) -> str:
    return term[:-1].rstrip() if term.endswith(":") else term


# --- inline text -----------------------------------------------------------

def _text(el, skip_classes=frozenset()) -> str:
    """The inline content of ``el`` on one line, as the text rendering shows it."""
    if el is None:
        return ""
    return words(_inline_content(el, skip_classes))


def _inline_content(el, skip_classes=frozenset()) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.get("class") not in skip_classes:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inline(el) -> str:
    if not isinstance(el.tag, str) or el.tag in _SKIPPED_TAGS or el.get("class") in _SKIPPED_CLASSES:
        return ""
    content = _inline_content(el)
    if el.tag == "sup":
        return superscript(words(content))
    if el.tag == "sub":
        return "_" + words(content)
    if el.tag == "em":
        return f"_{words(content)}_"
    if el.tag == "strong":
        return f"*{words(content)}*"
    if el.tag == "br":
        return " "
    href = el.get("href") or ""
    if el.tag == "a" and not el.get("class") and href and not href.startswith("#") and words(content) != href:
        return f"{content} ({href})"  # an <eref> with text: the text rendering adds the URL
    return content
