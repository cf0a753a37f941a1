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
from ..model import EDITORS_COPY_DOCNAME, split_revision

XML, KRAMDOWN, TEXT = "rfcxml", "kramdown-rfc", "text"

# Elements whose content is not prose: the bibliography, and code and figures.
_SKIPPED_XML_ELEMENTS = {"references", "referencegroup", "artwork", "sourcecode"}
# The entities RFCXML declares for itself, as the text rendering shows them.
_RFCXML_ENTITIES = {"&nbsp;": " ", "&nbhy;": "-", "&zwsp;": "", "&wj;": ""}
_SECTION_BEFORE = re.compile(r"(?:Section|Appendix)\s+([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\s+of\s+(?:(?:\{\{|\[)[-?!]?|[-?!])?\Z")
_SECTION_WITHIN = re.compile(r"(?:Section|Appendix)\s+([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\s+of\b")
# Where a paragraph-like RFCXML element starts or ends: the bounds of a paragraph in an XML draft.
_XML_BLOCKS = r"(?:t|li|dd|dt|name|section|blockquote|aside|td|th|figure|artwork|sourcecode|references?)"
_XML_BLOCK_START = re.compile(rf"<{_XML_BLOCKS}\b")
_XML_BLOCK_END = re.compile(rf"</{_XML_BLOCKS}>|<{_XML_BLOCKS}\b[^<>]*/>")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# Comments of kramdown-rfc's Markdown, by how they start and how they end.
_KRAMDOWN_COMMENTS = {"{::comment}": "{:/", "<!--": "-->"}
_KRAMDOWN_COMMENT_START = re.compile(r"\{::comment\}|<!--")
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
# (The look-behinds follow the letters they guard, so that the search skips ahead to those.)
_CITES_RFC = re.compile(r"[Rr][Ff][Cc](?<![\w/-][Rr][Ff][Cc])[ .-]?0*7228(?![\w-])")
_CITES_DRAFT = re.compile(
    r"draft-(?<![\w-]draft-)((?:[a-z0-9]+-)+?7228bis)(?:-(\d\d|" + EDITORS_COPY_DOCNAME + r"))?(?![\w-])")
_CITES_ANCHOR = re.compile(r"I-D\.(?<![\w-]I-D\.)(?!draft-)((?:[a-z0-9]+-)+?7228bis)(?:-(\d\d))?(?![\w-])")
_CITES_BIS = re.compile(r"[Rr][Ff][Cc](?<![\w/.-][Rr][Ff][Cc])[ -]?7228[Bb][Ii][Ss](?![\w-])")
_I_D_PREFIX = "I-D."  # kramdown-rfc's and bibxml's prefix of a draft name: "I-D.draft-NAME-NN"
BIS = "rfc7228bis"  # the bis named without a draft name: its newest version
# Anchors a draft defines for its references (RFCXML: <reference anchor="…">), per format;
# ANCHOR_SPAN: how many lines from the anchor the reference may name the document.
_DEFINED_ANCHOR = {
    "kramdown-rfc": re.compile(r"^[ \t]+([\w.-]+):[ \t]*(?:(?P<value>[\w.-]+)[ \t]*)?$", re.MULTILINE),
    "text": re.compile(r"^ {2,6}\[([^\]\s]+)\] ", re.MULTILINE),
}
_ANCHOR_SPAN = {"kramdown-rfc": 1, "rfcxml": 12, "text": 6}
# How a draft cites by an anchor: kramdown-rfc "{{X}}", "{{?X}}", "{{Section 3 of X}}",
# "{{-abbreviation}}"; a text reference "[X]"; RFCXML <xref target="X">.
_KRAMDOWN_REFERENCE_USE = re.compile(r"\{\{([^{}\n]*)\}\}")
_OF = re.compile(r"\s+of\s+")
_TEXT_REFERENCE_USE = re.compile(r"\[([^\[\]\s]+)\]")


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
        found += [self._cite_at(start, end, "rfc7228") for start, end in self._rfc_series_infos()]
        for match in _CITES_DRAFT.finditer(self.text):
            start = match.start()
            if self.text.startswith(_I_D_PREFIX, start - len(_I_D_PREFIX)):
                start -= len(_I_D_PREFIX)
            found.append(self._cite_at(start, match.end(), "draft-" + match.group(1), match.group(2)))
        for match in _CITES_ANCHOR.finditer(self.text):
            found.append(self._cite(match, "draft-" + match.group(1), match.group(2)))
        found += [self._cite(m, BIS) for m in _CITES_BIS.finditer(self.text)]
        found += self._anchor_citations([c for c in found if c.document != own_document])
        unique = {(c.line, c.text): c for c in found if c.document != own_document}
        return [unique[key] for key in sorted(unique)]

    def _cite(self, match: re.Match, document: str, revision: str | None = None, via: str | None = None) -> Citation:
        return self._cite_at(match.start(), match.end(), document, revision, via)

    def _cite_at(self, start: int, end: int, document: str, revision: str | None = None,
                 via: str | None = None) -> Citation:
        text = self.text[start:end]
        within = _SECTION_WITHIN.search(text)
        section = within.group(1) if within else self._section_at(start)
        return Citation(text, self.text_line(start), document, revision, via, section)

    def _tags(self, *names: str):
        """The tags of an RFCXML draft with one of these element names (any case): (start, end, source)."""
        if self.format != XML:
            return
        wanted = {name.lower() for name in names}
        for markup in _xml_markup(self.text):
            if markup.name is not None and not markup.closing and markup.name.lower() in wanted:
                yield markup.start, markup.end, markup.source(self.text)

    def _rfc_series_infos(self) -> list[tuple[int, int]]:
        """Where an RFCXML ``<seriesInfo name="RFC" value="7228"/>`` is."""
        return [(start, end) for start, end, tag in self._tags("seriesInfo")
                if (_attribute(tag, "name") or "").upper() == "RFC" and (_attribute(tag, "value") or "").lstrip("0") == "7228"]

    def _section_at(self, start: int) -> str | None:
        """The section a citation starting at ``start`` names: "Section 4.3 of X", "{{Section 4.3 of X}}",
        "Section 4.3 of [X]", or the ``section`` attribute of the ``<xref>`` it sits in."""
        before = _SECTION_BEFORE.search(self.text, max(0, start - 60), start)
        if before:
            return before.group(1)
        tag_start = self.text.rfind("<", max(0, start - 200), start)
        if tag_start >= 0 and self.text.startswith("<xref", tag_start) and ">" not in self.text[tag_start:start]:
            tag_end = self.text.find(">", start, start + _MAX_TAG)
            return _attribute(self.text[tag_start:tag_end + 1], "section") if tag_end >= 0 else None
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
        for line, key, value in self._defined_anchors():
            named = [c for n in range(line, line + _ANCHOR_SPAN[self.format]) for c in by_line.get(n, [])]
            named = [c for c in named if c.revision] or named
            if not named:
                continue
            if not _is_citation_name(key):
                names.setdefault(key, named[0])
            elif value and not _is_citation_name(value):
                names.setdefault("-" + value, named[0])  # a kramdown-rfc abbreviation, cited as {{-value}}
        cited = []
        for start, end, name in self._anchor_uses() if names else ():
            meant = names.get(name)
            if meant is not None:
                cited.append(self._cite_at(start, end, meant.document, meant.revision, via=name.removeprefix("-")))
        return cited

    def _defined_anchors(self):
        """(line, anchor, kramdown-rfc value) of every reference the draft names."""
        if self.format == XML:
            for start, _, tag in self._tags("reference"):
                anchor = _attribute(tag, "anchor")
                if anchor:
                    yield self.text_line(start), anchor, None
            return
        for match in _DEFINED_ANCHOR[self.format].finditer(self.text):
            yield self.text_line(match.start(1)), match.group(1), match.groupdict().get("value")

    def _anchor_uses(self):
        """(start, end, anchor) of every place the draft cites by an anchor; a kramdown-rfc
        abbreviation's anchor is "-" and its name."""
        if self.format == XML:
            for start, end, tag in self._tags("xref"):
                target = _attribute(tag, "target")
                if target:
                    yield start, end, target
        elif self.format == KRAMDOWN:
            for match in _KRAMDOWN_REFERENCE_USE.finditer(self.text):
                cited = _OF.split(match.group(1).strip())[-1]
                yield match.start(), match.end(), cited if cited.startswith("-") else cited.lstrip("?!")
        else:
            for match in _TEXT_REFERENCE_USE.finditer(self.text):
                yield match.start(), match.end(), match.group(1)


# A tag longer than this is not one the lint reads an attribute of.
_MAX_TAG = 1000
_ATTRIBUTES = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attribute(tag: str, name: str) -> str | None:
    """The value of attribute ``name`` in the source of one tag."""
    for match in _ATTRIBUTES.finditer(tag):
        if match.group(1) == name:
            return match.group(2) if match.group(2) is not None else match.group(3)
    return None


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
        return Draft(source, XML, text, _with_hang_text(text, _xml_prose(text)), _xml_name(data))
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


def _with_hang_text(text: str, prose: str) -> str:
    """RFCXML v2 puts a hanging list's term in an attribute, ``<t hangText="Constrained Node:">``:
    the prose gets it at the end of its line."""
    lines = prose.split("\n")
    line_starts = None
    for markup in _xml_markup(text):
        if markup.name != "t" or markup.closing:
            continue
        hang_text = _attribute(markup.source(text), "hangText")
        if hang_text:
            line_starts = line_starts or _line_starts(text)
            lines[bisect_right(line_starts, markup.start) - 1] += "  " + _xml_text(hang_text) + "  "
    return "\n".join(lines)


def _kramdown_prose(text: str) -> str:
    """The Markdown after the front matter, without code: fenced blocks, indented code blocks,
    ``{::comment}`` blocks and HTML comments."""
    front_end = _KRAMDOWN_FRONT_END.search(text, _KRAMDOWN_START.match(text).end()).end()
    body = _without_fences_and_comments(text[front_end:])
    return _keep_lines(text[:front_end]) + _without_indented_code(body)


def _without_fences_and_comments(markdown: str) -> str:
    """Fenced code blocks blanked line by line (one never closed runs to the end, as in CommonMark),
    and comments removed but for their line breaks: one pass over the lines."""
    lines = markdown.split("\n")
    fence, comment_end = None, None
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip("`~"):
                fence = None
            lines[index] = ""
            continue
        if comment_end is None:
            opening = _FENCE.match(line)
            if opening:
                fence, lines[index] = opening.group(1), ""
                continue
        lines[index], comment_end = _without_comments(line, comment_end)
    return "\n".join(lines)


def _without_comments(line: str, comment_end: str | None) -> tuple[str, str | None]:
    """``line`` without its comments; ``comment_end``: the end of a comment open before the line, and after it."""
    kept, position = [], 0
    while True:
        if comment_end is not None:
            end = line.find(comment_end, position)
            if end == -1:
                return "".join(kept), comment_end
            position = line.find("}", end) + 1 if comment_end == "{:/" else end + len(comment_end)
            if position == 0:
                return "".join(kept), None
            comment_end = None
        start = _KRAMDOWN_COMMENT_START.search(line, position)
        if start is None:
            kept.append(line[position:])
            return "".join(kept), None
        kept.append(line[position:start.start()])
        comment_end, position = _KRAMDOWN_COMMENTS[start.group()], start.end()


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
