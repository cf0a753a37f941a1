"""Reading a citing draft for the usage lint: its format, its prose line by line, what it cites.

A draft is RFCXML (v2 or v3), kramdown-rfc Markdown or plain text, told apart
by its content. Its *prose* is its text with the line structure of the source
kept, so that a match in the prose is on the same line number as in the file:
markup, kramdown-rfc's YAML front matter and the reference lists are blanked
out (a reference title such as "Terminology for Constrained-Node Networks" is
not a use of a term). The XML is never given to an XML parser here: its tags
are blanked by a tokenizer, so no entity or DTD is ever resolved.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

from importers import SourceError
from importers import rfcxml
from importers.registry import MAX_SOURCE_BYTES, split_revision

XML, KRAMDOWN, TEXT = "rfcxml", "kramdown-rfc", "text"

# Elements whose content is not prose: the bibliography, and code and figures.
_SKIPPED_XML_ELEMENTS = {"references", "referencegroup", "artwork", "sourcecode"}
_XML_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[(?P<cdata>.*?)\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|<(?P<close>/?)(?P<name>[A-Za-z_][\w.:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL,
)
# The entities RFCXML declares for itself, as the text rendering shows them.
_RFCXML_ENTITIES = {"&nbsp;": " ", "&nbhy;": "-", "&zwsp;": "", "&wj;": ""}
_SECTION_BEFORE = re.compile(r"(?:Section|Appendix)\s+([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\s+of\s+(?:\{\{|\[)?[-?!]?\s*\Z")
_SECTION_WITHIN = re.compile(r"(?:Section|Appendix)\s+([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\s+of\b")
# Where a paragraph-like RFCXML element starts or ends: the bounds of a paragraph in an XML draft.
_XML_BLOCKS = r"(?:t|li|dd|dt|name|section|blockquote|aside|td|th|figure|artwork|sourcecode|references?)"
_XML_BLOCK_START = re.compile(rf"<{_XML_BLOCKS}\b")
_XML_BLOCK_END = re.compile(rf"</{_XML_BLOCKS}>|<{_XML_BLOCKS}\b[^>]*/>")
_HANG_TEXT = re.compile(r"<t\b[^>]*?\bhangText\s*=\s*([\"'])(.*?)\1", re.DOTALL)
_KRAMDOWN_NOT_PROSE = re.compile(
    r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\2[`~]*[ \t]*$"  # fenced code
    r"|\{::comment\}.*?\{:/(?:comment)?\}"
    r"|<!--.*?-->",
    re.DOTALL | re.MULTILINE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.|:)\s")
_KRAMDOWN_START = re.compile(r"\A\s*---[ \t]*\n")
_KRAMDOWN_FRONT_END = re.compile(r"^---(?:[ \t]+(?:abstract|middle|note_.*|back))?[ \t]*$", re.MULTILINE)
_TEXT_REFERENCES_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d*)?\s*(?:Normative |Informative )?References\s*$")
_TEXT_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.|Appendix [A-Z]|[A-Z]\.\d*\s|Acknowledge?ments|Authors?'? Address|"
                           r"Contributors|Index)")
_DRAFT_NAME = r"draft-[a-z0-9]+(?:-[a-z0-9]+)+"

# What a citation of RFC 7228 or of its bis looks like in any of the formats. A draft
# revision is pinned by its name with the revision ("draft-NAME-NN": a text or
# seriesInfo reference, a URL, kramdown-rfc's "I-D.draft-NAME-NN" as key or value,
# RFCXML's xi:include of bibxml-ids' "reference.I-D.draft-NAME-NN.xml") or by
# kramdown-rfc's short form "I-D.NAME-NN"; "I-D.NAME" alone names the draft. RFC 7228
# is "RFC 7228", "RFC7228", bibxml's "reference.RFC.7228.xml" or a seriesInfo.
_CITES_RFC = re.compile(r"(?<![\w/-])RFC[ .-]?0*7228(?![\w-])", re.IGNORECASE)
_CITES_RFC_SERIES = re.compile(
    r"<seriesInfo\b(?=[^>]*\bname\s*=\s*[\"']RFC[\"'])[^>]*\bvalue\s*=\s*[\"']0*7228[\"']", re.IGNORECASE)
_CITES_DRAFT = re.compile(r"(?<![\w-])(?:I-D\.)?draft-((?:[a-z0-9]+-)+?7228bis)(?:-(\d\d|latest))?(?![\w-])")
_CITES_BIS = re.compile(r"(?<![\w/.-])RFC[ -]?7228bis(?![\w-])", re.IGNORECASE)
BIS = "rfc7228bis"  # the bis named without a draft name: its newest version
# Anchors a draft defines for its references, and how it cites by them, per format;
# ANCHOR_SPAN: how many lines from the anchor the reference may name the document.
_DEFINED_ANCHOR = {
    "kramdown-rfc": re.compile(r"^[ \t]+([\w.-]+):[ \t]*(?P<value>[\w.-]+)?[ \t]*$", re.MULTILINE),
    "rfcxml": re.compile(r"<reference\b[^>]*?\banchor\s*=\s*[\"']([^\"']+)[\"']"),
    "text": re.compile(r"^ {2,6}\[([^\]\s]+)\] ", re.MULTILINE),
}
_ANCHOR_SPAN = {"kramdown-rfc": 1, "rfcxml": 12, "text": 6}
_ANCHOR_USE = {
    "kramdown-rfc": r"\{{\{{(?:[^{{}}\n]*?\bof\s+)?{dash}{anchor}\}}\}}|\[[^\]\n]*\]\{{\{{{dash}{anchor}\}}\}}",
    "rfcxml": r"<xref\b[^>]*?\btarget\s*=\s*[\"']{anchor}[\"']",
    "text": r"\[{anchor}\]",
}
_CITES_ANCHOR = re.compile(r"(?<![\w-])I-D\.(?!draft-)((?:[a-z0-9]+-)+?7228bis)(?:-(\d\d))?(?![\w-])")


@dataclass
class Citation:
    """One place where the draft cites RFC 7228 (document "rfc7228") or a bis draft."""

    text: str
    line: int
    document: str  # "rfc7228" or the draft name without revision
    revision: str | None = None  # "07", "latest", or None when no revision is named
    via: str | None = None  # the draft's own anchor or abbreviation for the reference, when cited by it
    section: str | None = None  # the section cited ("Section 4.3 of RFC7228", <xref section="4.3">)

    def to_dict(self) -> dict:
        return {"text": self.text, "line": self.line, "document": self.document, "revision": self.revision,
                "via": self.via, "section": self.section}


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
        self._lines = self.text.split("\n")
        self._paragraphs = self._paragraph_ranges()

    def prose_line(self, offset: int) -> int:
        """The 1-based line of an offset in the prose, which is its line in the source."""
        return bisect_right(self._prose_lines, offset)

    def text_line(self, offset: int) -> int:
        return bisect_right(self._text_lines, offset)

    def paragraph(self, line: int) -> tuple[int, int]:
        """The first and last line of the source paragraph holding ``line``: lines between blank
        lines, and in RFCXML between where a paragraph-like element (``<t>``, ``<li>``…) starts and ends."""
        return self._paragraphs[line - 1]

    def _paragraph_ranges(self) -> list[tuple[int, int]]:
        numbers, current, start_new = [], 0, True
        for text in self._lines:
            if not text.strip():
                current, start_new = current + 1, True
            elif start_new or (self.format == XML and _XML_BLOCK_START.search(text)):
                current, start_new = current + 1, False
            numbers.append(current)
            if self.format == XML and _XML_BLOCK_END.search(text):
                start_new = True
        first, last = {}, {}
        for index, number in enumerate(numbers, 1):
            first.setdefault(number, index)
            last[number] = index
        return [(first[number], last[number]) for number in numbers]

    def citations(self) -> list[Citation]:
        """Every citation of RFC 7228 or a bis draft, in document order; the draft's own name is not one."""
        own_document = split_revision(self.name)[0] if self.name else None
        found = [self._cite(m, "rfc7228") for m in _CITES_RFC.finditer(self.text)]
        found += [self._cite(m, "rfc7228") for m in _CITES_RFC_SERIES.finditer(self.text)]
        for pattern in (_CITES_DRAFT, _CITES_ANCHOR):
            for match in pattern.finditer(self.text):
                found.append(self._cite(match, "draft-" + match.group(1), match.group(2)))
        found += [self._cite(m, BIS) for m in _CITES_BIS.finditer(self.text)]
        found += self._anchor_citations([c for c in found if c.document != own_document])
        unique = {(c.line, c.text): c for c in found if c.document != own_document}
        return [unique[key] for key in sorted(unique)]

    def _cite(self, match: re.Match, document: str, revision: str | None = None, via: str | None = None) -> Citation:
        within = _SECTION_WITHIN.search(match.group(0))
        section = within.group(1) if within else self._section_at(match.start())
        return Citation(match.group(0), self.text_line(match.start()), document, revision, via, section)

    def _section_at(self, start: int) -> str | None:
        """The section a citation starting at ``start`` names: "Section 4.3 of X", "{{Section 4.3 of X}}",
        "Section 4.3 of [X]", or the ``section`` attribute of the ``<xref>`` it sits in."""
        before = _SECTION_BEFORE.search(self.text, max(0, start - 60), start)
        if before:
            return before.group(1)
        tag_start = self.text.rfind("<", max(0, start - 200), start)
        if tag_start >= 0 and self.text.startswith("<xref", tag_start) and ">" not in self.text[tag_start:start]:
            tag = self.text[tag_start:self.text.find(">", start) + 1]
            attribute = re.search(r"\bsection\s*=\s*[\"']([^\"']+)[\"']", tag)
            return attribute.group(1) if attribute else None
        return None

    def _anchor_citations(self, found: list[Citation]) -> list[Citation]:
        """Where the draft cites a reference by a name of its own: a custom anchor (kramdown-rfc
        ``TERMS: I-D.draft-…-07`` with ``{{TERMS}}``, RFCXML ``<reference anchor="TERMS">`` with
        ``<xref target="TERMS"/>``, a text reference list's ``[TERMS]``) or a kramdown-rfc
        abbreviation (``RFC7228: terms`` with ``{{-terms}}``): each is a citation of what the reference names."""
        by_line: dict[int, list[Citation]] = {}
        for citation in found:
            by_line.setdefault(citation.line, []).append(citation)
        names: dict[str, Citation] = {}
        for match in _DEFINED_ANCHOR[self.format].finditer(self.text):
            line = self.text_line(match.start(1))
            named = [c for n in range(line, line + _ANCHOR_SPAN[self.format]) for c in by_line.get(n, [])]
            named = [c for c in named if c.revision] or named
            key, value = match.group(1), match.groupdict().get("value")
            if not named:
                continue
            if not _is_citation_name(key):
                names.setdefault(key, named[0])
            elif value and not _is_citation_name(value):
                names.setdefault("-" + value, named[0])  # a kramdown-rfc abbreviation, cited as {{-value}}
        cited = []
        for name, meant in names.items():
            pattern = _ANCHOR_USE[self.format].format(anchor=re.escape(name.removeprefix("-")),
                                                      dash="-" if name.startswith("-") else "[?!]?")
            for match in re.finditer(pattern, self.text):
                cited.append(self._cite(match, meant.document, meant.revision, via=name.removeprefix("-")))
        return cited


def _is_citation_name(name: str) -> bool:
    return bool(_CITES_RFC.fullmatch(name) or name.startswith(("I-D.", "RFC", "draft-")))


def read_draft(data: bytes, source: str) -> Draft:
    if not data.strip():
        raise SourceError(source, "empty file")
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(source, f"too large for a draft (the limit is {MAX_SOURCE_BYTES // (1024 * 1024)} MiB)")
    if b"\x00" in data[:4096]:
        raise SourceError(source, "binary data, not a draft")
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if rfcxml.looks_like(data):
        return Draft(source, XML, text, _with_hang_text(text, _xml_prose(text)), _xml_name(text))
    if _KRAMDOWN_START.match(text) and _KRAMDOWN_FRONT_END.search(text, _KRAMDOWN_START.match(text).end()):
        return Draft(source, KRAMDOWN, text, _kramdown_prose(text), _kramdown_name(text))
    return Draft(source, TEXT, text, _text_prose(text), _text_name(text))


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _keep_lines(text: str) -> str:
    """Blank ``text`` out but for its line breaks."""
    return "\n" * text.count("\n")


def _xml_prose(text: str) -> str:
    pieces, position, skipping = [], 0, 0
    for match in _XML_MARKUP.finditer(text):
        between = text[position:match.start()]
        pieces.append(_keep_lines(between) if skipping else _xml_text(between))
        if match.group("cdata") is not None and not skipping:
            pieces.append(match.group("cdata"))
        else:
            pieces.append(" " + _keep_lines(match.group(0)))
        if match.group("name") in _SKIPPED_XML_ELEMENTS and not match.group(0).endswith("/>"):
            skipping = max(0, skipping + (-1 if match.group("close") else 1))
        position = match.end()
    pieces.append(_xml_text(text[position:]))
    return "".join(pieces)


def _xml_text(text: str) -> str:
    for entity, replacement in _RFCXML_ENTITIES.items():
        text = text.replace(entity, replacement)
    return html.unescape(text).replace("\u00a0", " ").replace("\u2011", "-")


def _xml_name(text: str) -> str | None:
    match = re.search(r"<rfc\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\bdocName\s*=\s*[\"']([^\"']+)", text)
    return match.group(1).strip() if match else None


def _with_hang_text(text: str, prose: str) -> str:
    """RFCXML v2 puts a hanging list's term in an attribute, ``<t hangText="Constrained Node:">``:
    the prose gets it at the end of its line."""
    lines = prose.split("\n")
    for match in _HANG_TEXT.finditer(text):
        number = text.count("\n", 0, match.start())
        lines[number] += "  " + _xml_text(match.group(2)) + "  "
    return "\n".join(lines)


def _kramdown_prose(text: str) -> str:
    """The Markdown after the front matter, without code: fenced blocks, indented code blocks,
    ``{::comment}`` blocks and HTML comments."""
    front_end = _KRAMDOWN_FRONT_END.search(text, _KRAMDOWN_START.match(text).end()).end()
    body = _KRAMDOWN_NOT_PROSE.sub(lambda m: _keep_lines(m.group(0)), text[front_end:])
    return _keep_lines(text[:front_end]) + _without_indented_code(body)


def _without_indented_code(markdown: str) -> str:
    """Blocks indented by four spaces or a tab after a blank line, unless they continue a list item."""
    lines = markdown.split("\n")
    in_code, in_list = False, False
    for index, line in enumerate(lines):
        blank_before = index == 0 or not lines[index - 1].strip()
        if not line.strip():
            continue
        indented = line.startswith(("    ", "\t"))
        if not indented:
            in_code = False
            in_list = bool(_LIST_ITEM.match(line))
        elif blank_before and not in_code and not in_list:
            in_code = True
        if in_code:
            lines[index] = ""
    return "\n".join(lines)


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
