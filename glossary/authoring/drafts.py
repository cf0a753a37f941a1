"""Reading a citing draft for the usage lint: its format, its prose line by line, what it cites.

A draft is RFCXML (v2 or v3), kramdown-rfc Markdown or plain text, told apart
by its content. Its *prose* is its text with the line structure of the source
kept, so that a match in the prose is on the same line number as in the file:
markup, kramdown-rfc's YAML front matter and the reference lists are blanked
out (a reference title such as "Terminology for Constrained-Node Networks" is
not a use of a term). The XML is never given to an XML parser here: its tags
are blanked by a tokenizer, so no entity or DTD is ever resolved; only the
document element's attributes (its docName) are read with lxml, with the
restrictions of ``importers.safexml``.

Drafts come from anyone (the lint is an API endpoint), so everything here
reads its input in linear time: markup is found by a scanner that never looks
at a character twice, and no pattern has quantifiers that overlap.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

from ..importing import MAX_SOURCE_BYTES, SourceError, rfcxml, safexml
from ..model import EDITORS_COPY, split_revision

XML, KRAMDOWN, TEXT = "rfcxml", "kramdown-rfc", "text"

# Elements whose content is not prose: the bibliography.
_SKIPPED_XML_ELEMENTS = {"references", "referencegroup"}
# The entities RFCXML declares for itself, as the text rendering shows them.
_RFCXML_ENTITIES = {"&nbsp;": " ", "&nbhy;": "-", "&zwsp;": "", "&wj;": ""}
_KRAMDOWN_START = re.compile(r"\A\s*---[ \t]*\n")
_KRAMDOWN_FRONT_END = re.compile(r"^---(?:[ \t]+(?:abstract|middle|note_.*|back))?[ \t]*$", re.MULTILINE)
_TEXT_REFERENCES_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d*)?\s*(?:Normative |Informative )?References\s*$")
_TEXT_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.|Appendix [A-Z]|[A-Z]\.\d*\s|Acknowledge?ments|Authors?'? Address|"
                           r"Contributors|Index)")
_DRAFT_NAME = r"draft-[a-z0-9]+(?:-[a-z0-9]+)+"

# What a citation of RFC 7228 or of its bis looks like in any of the formats.
# (The look-behinds follow the letters they guard, so that the search skips ahead to those.)
_CITES_RFC = re.compile(r"[Rr][Ff][Cc](?<![\w/.-][Rr][Ff][Cc])[ -]?0*7228(?![\w-])")
_CITES_DRAFT = re.compile(r"draft-(?<![\w.-]draft-)((?:[a-z0-9]+-)+?7228bis)(?:-(\d\d|" + EDITORS_COPY + r"))?(?![\w])")
_CITES_ANCHOR = re.compile(r"I-D\.(?<![\w-]I-D\.)(?!draft-)((?:[a-z0-9]+-)+?7228bis)(?![\w-])")


@dataclass
class Citation:
    """One place where the draft cites RFC 7228 (document "rfc7228") or a bis draft."""

    text: str
    line: int
    document: str  # "rfc7228" or the draft name without revision
    revision: str | None = None  # "07", "latest", or None when no revision is named

    def to_dict(self) -> dict:
        return {"text": self.text, "line": self.line, "document": self.document, "revision": self.revision}


@dataclass
class Draft:
    source: str
    format: str
    text: str  # the whole source, decoded
    prose: str  # the text to look for terms in, with the source's line structure
    name: str | None  # the draft's own name, when it says it

    def __post_init__(self) -> None:
        self._text_lines = _line_starts(self.text)
        self._prose_lines = _line_starts(self.prose)

    def prose_line(self, offset: int) -> int:
        """The 1-based line of an offset in the prose, which is its line in the source."""
        return bisect_right(self._prose_lines, offset)

    def text_line(self, offset: int) -> int:
        return bisect_right(self._text_lines, offset)

    def citations(self) -> list[Citation]:
        """Every citation of RFC 7228 or a bis draft, in document order; the draft's own name is not one."""
        own_document = split_revision(self.name)[0] if self.name else None
        found = [Citation(m.group(0), self.text_line(m.start()), "rfc7228") for m in _CITES_RFC.finditer(self.text)]
        for match in _CITES_DRAFT.finditer(self.text):
            found.append(Citation(match.group(0), self.text_line(match.start()), "draft-" + match.group(1),
                                  match.group(2)))
        for match in _CITES_ANCHOR.finditer(self.text):
            found.append(Citation(match.group(0), self.text_line(match.start()), "draft-" + match.group(1)))
        unique = {(c.line, c.text): c for c in found if c.document != own_document}
        return [unique[key] for key in sorted(unique)]


def read_draft(data: bytes, source: str) -> Draft:
    if not data.strip():
        raise SourceError(source, "empty file")
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(source, f"too large for a draft (the limit is {MAX_SOURCE_BYTES // (1024 * 1024)} MiB)")
    if b"\x00" in data[:4096]:
        raise SourceError(source, "binary data, not a draft")
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if rfcxml.looks_like(data):
        return Draft(source, XML, text, _xml_prose(text), _xml_name(data))
    if _KRAMDOWN_START.match(text) and _KRAMDOWN_FRONT_END.search(text, _KRAMDOWN_START.match(text).end()):
        return Draft(source, KRAMDOWN, text, _kramdown_prose(text), _kramdown_name(text))
    return Draft(source, TEXT, text, _text_prose(text), _text_name(text))


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _keep_lines(text: str) -> str:
    """Blank ``text`` out but for its line breaks."""
    return "\n" * text.count("\n")


@dataclass
class _Markup:
    """One piece of XML markup: a tag, comment, CDATA section, processing instruction or DOCTYPE."""

    start: int
    end: int
    name: str | None = None  # a tag's element name
    closing: bool = False
    cdata: str | None = None  # a CDATA section's content

    def source(self, text: str) -> str:
        return text[self.start:self.end]


_TAG_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_TAG_END_OR_QUOTE = re.compile(r"[>\"']")
_DOCTYPE_STOP = re.compile(r"[\[>]")


def _xml_markup(text: str):
    """The markup of ``text``, in order, found in one pass.

    A construct that is never closed (a comment without ``-->``, a tag without
    ``>``) runs to the end of the text: the scan never goes back to look for
    markup inside it, which is what keeps it linear.
    """
    position = text.find("<")
    while position != -1:
        markup = _markup_at(text, position)
        if markup is None:
            position = text.find("<", position + 1)
            continue
        yield markup
        position = text.find("<", markup.end)


def _markup_at(text: str, start: int) -> _Markup | None:
    if text.startswith("<!--", start):
        return _Markup(start, _end_of(text, "-->", start + 4))
    if text.startswith("<![CDATA[", start):
        end = _end_of(text, "]]>", start + 9)
        return _Markup(start, end, cdata=text[start + 9:max(start + 9, end - 3)])
    if text.startswith("<?", start):
        return _Markup(start, _end_of(text, "?>", start + 2))
    if text.startswith("<!DOCTYPE", start):
        return _Markup(start, _doctype_end(text, start + 9))
    closing = text.startswith("</", start)
    name = _TAG_NAME.match(text, start + 1 + closing)
    if not name:
        return None
    return _Markup(start, _tag_end(text, name.end()), name=name.group(), closing=closing)


def _end_of(text: str, terminator: str, position: int) -> int:
    found = text.find(terminator, position)
    return len(text) if found == -1 else found + len(terminator)


def _tag_end(text: str, position: int) -> int:
    """Just after the ``>`` that ends a tag, skipping quoted attribute values."""
    while True:
        stop = _TAG_END_OR_QUOTE.search(text, position)
        if not stop:
            return len(text)
        if stop.group() == ">":
            return stop.end()
        position = _end_of(text, stop.group(), stop.end())


def _doctype_end(text: str, position: int) -> int:
    """Just after a DOCTYPE's ``>``, skipping its internal subset ``[...]``."""
    while True:
        stop = _DOCTYPE_STOP.search(text, position)
        if not stop:
            return len(text)
        if stop.group() == ">":
            return stop.end()
        position = _end_of(text, "]", stop.end())


def _xml_prose(text: str) -> str:
    pieces, position, skipping = [], 0, 0
    for markup in _xml_markup(text):
        between = text[position:markup.start]
        pieces.append(_keep_lines(between) if skipping else _xml_text(between))
        if markup.cdata is not None and not skipping:
            pieces.append(markup.cdata)
        else:
            pieces.append(" " + _keep_lines(markup.source(text)))
        if markup.name in _SKIPPED_XML_ELEMENTS and not text.endswith("/>", markup.start, markup.end):
            skipping = max(0, skipping + (-1 if markup.closing else 1))
        position = markup.end
    pieces.append(_xml_text(text[position:]))
    return "".join(pieces)


def _xml_text(text: str) -> str:
    for entity, replacement in _RFCXML_ENTITIES.items():
        text = text.replace(entity, replacement)
    return html.unescape(text).replace("\u00a0", " ").replace("\u2011", "-")


def _xml_name(data: bytes) -> str | None:
    attributes = safexml.root_attributes(data)
    name = attributes.get("docName", "").strip() if attributes is not None else ""
    return name or None


def _kramdown_prose(text: str) -> str:
    front_end = _KRAMDOWN_FRONT_END.search(text, _KRAMDOWN_START.match(text).end()).end()
    return _keep_lines(text[:front_end]) + text[front_end:]


def _kramdown_name(text: str) -> str | None:
    match = re.search(r"^docname:\s*[\"']?([\w.-]+)", text, re.MULTILINE)
    return match.group(1) if match else None


def _text_prose(text: str) -> str:
    """The text without its reference lists (from a References heading to the next heading)."""
    lines, in_references = [], False
    for line in text.split("\n"):
        if _TEXT_REFERENCES_HEADING.match(line):
            in_references = True
        elif in_references and _TEXT_HEADING.match(line):
            in_references = False
        lines.append("" if in_references else line)
    return "\n".join(lines)


def _text_name(text: str) -> str | None:
    """The draft name standing alone on a line of the first page, under the title."""
    for line in text.split("\n")[:80]:
        if re.fullmatch(_DRAFT_NAME, line.strip()):
            return line.strip()
    return None
