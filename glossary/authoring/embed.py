"""Ready-to-paste definitions of a term, with the exact section citation.

Pure functions over a Term and its Version. A definition (the canonical text
of the store: paragraphs separated by a blank line, "* item" lines for lists)
is cut into blocks of inline parts; ``CITE`` marks where the citation goes,
and each format renders the parts its own way:

- ``xml``: an RFCXML v3 ``<dt>``/``<dd>`` entry citing ``<xref target="RFC7228"
  section="3"/>`` (or the I-D), plus the ``<reference>`` for the references section;
- ``kramdown``: a kramdown-rfc definition list entry citing ``{{Section 3 of
  RFC7228}}``, plus the line to add under ``informative:`` in the front matter;
- ``markdown``: plain (CommonMark) Markdown with a link to the section;
- ``text``: the RFC text layout, "   Term:  definition" wrapped at 72 columns;
- ``html``: a ``<dl>`` fragment; the definition is quoted in a ``<blockquote>``.

Everything taken from the store is escaped for the format it goes into.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from dataclasses import dataclass

from ..ietf import section_url
from ..text import definition_blocks
from .citing import Reference, reference_for
from ..model import Term, Version

TEXT_WIDTH = 72

CITE = object()  # stands for the citation among the inline parts of a block
Inline = list  # of str and CITE


@dataclass
class Block:
    kind: str  # "paragraph" or "list"
    items: list[Inline]  # one for a paragraph, one per list item


@dataclass
class Snippet:
    format: str
    text: str
    reference: str | None  # for the citing document's references (xml, text) or front matter (kramdown)
    front_matter: str | None = None  # a setting the front matter needs besides (kramdown: "stand_alone: true")

    def to_dict(self) -> dict:
        return {"format": self.format, "snippet": self.text, "reference": self.reference,
                "front_matter": self.front_matter}


def embed(term: Term, version: Version, fmt: str) -> Snippet:
    """The snippet of ``term`` as ``version`` defines it, in ``fmt`` (one of FORMATS)."""
    renderer = renderer_for(fmt, version)
    return Snippet(fmt, renderer.entry(term, cited_blocks(term)), renderer.reference_block(),
                   renderer.front_matter())


def cited_blocks(term: Term) -> list[Block]:
    """The definition as paragraphs and lists, the citation in parentheses at its end."""
    blocks = [Block("list", [[item] for item in block.items]) if block.is_list else Block("paragraph", [[block.text]])
              for block in definition_blocks(term.definition)]
    if blocks and blocks[-1].kind == "paragraph":
        blocks[-1].items[0] += [" (", CITE, ")"]
    else:
        blocks.append(Block("paragraph", [["(", CITE, ")"]]))
    return blocks


def pointer_blocks(term: Term) -> list[Block]:
    """Instead of the definition, where to read it."""
    return [Block("paragraph", [["See ", CITE, "."]])]


def renderer_for(fmt: str, version: Version) -> "Renderer":
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](version)


class Renderer:
    """One format: escaping, the citation, a definition-list entry, the reference.

    ``name`` is the format's name in the CLI and the API, ``label`` how the pages name it.
    """

    name: str
    label: str

    def __init__(self, version: Version):
        self.version = version
        self.reference: Reference = reference_for(version)

    def escape(self, text: str) -> str:
        raise NotImplementedError

    def citation(self, term: Term) -> str:
        raise NotImplementedError

    def document_citation(self) -> str:
        """The citation of the whole document, for an introductory sentence."""
        raise NotImplementedError

    def entry(self, term: Term, blocks: list[Block]) -> str:
        raise NotImplementedError

    def reference_block(self) -> str | None:
        return None

    def front_matter(self) -> str | None:
        return None

    def inline(self, parts: Inline, term: Term) -> str:
        return "".join(self.citation(term) if part is CITE else self.escape(part) for part in parts)


class XmlRenderer(Renderer):
    name, label = "xml", "RFCXML"

    def escape(self, text: str) -> str:
        from xml.sax.saxutils import escape  # saxutils loads urllib.request: not for every command line

        return escape(text)

    def citation(self, term: Term) -> str:
        if term.section.number:
            return f"<xref{_attributes(target=self.reference.anchor, section=term.section.number)}/>"
        return f"{self.escape(term.section.citation())} of {self.document_citation()}"

    def document_citation(self) -> str:
        return f"<xref{_attributes(target=self.reference.anchor)}/>"

    def entry(self, term: Term, blocks: list[Block]) -> str:
        lines = [f"<dt>{self.escape(term.term)}:</dt>", "<dd>"]
        for block in blocks:
            if block.kind == "paragraph":
                lines.append(f"  <t>{self.inline(block.items[0], term)}</t>")
            else:
                lines += ["  <ul>", *(f"    <li>{self.inline(item, term)}</li>" for item in block.items), "  </ul>"]
        return "\n".join([*lines, "</dd>"])

    def reference_block(self) -> str:
        """The ``<reference>`` in the shape of the IETF's bibxml service."""
        ref = self.reference
        authors = []
        for a in ref.authors:
            organization = f"<organization>{self.escape(a.organization)}</organization>" if a.organization \
                else "<organization/>"
            authors += [f"    <author{_attributes(fullname=a.fullname, initials=a.initials, surname=a.surname)}>",
                        f"      {organization}", "    </author>"]
        return "\n".join([
            f"<reference{_attributes(anchor=ref.anchor, target=ref.target)}>",
            "  <front>",
            f"    <title>{self.escape(ref.title)}</title>",
            *(authors or ["    <author/>"]),  # the grammar wants one; unknown authors render as nothing
            f"    <date{_attributes(**ref.date_parts())}/>",
            "  </front>",
            *(f"  <seriesInfo{_attributes(name=name, value=value)}/>" for name, value in ref.series),
            *(["  <refcontent>editor's copy</refcontent>"] if ref.editors_copy else []),
            "</reference>",
        ])


def _yaml_string(text: str) -> str:
    """A YAML scalar in double quotes (JSON's escaping is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _attributes(**values: str) -> str:
    from xml.sax.saxutils import quoteattr

    return "".join(f" {name}={quoteattr(value)}" for name, value in values.items())


# What Markdown (CommonMark and kramdown) could read as markup, escapable with "\": single
# characters, and "~~" (strike-through, fences) and "$$" (kramdown's math) when doubled.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#]|([~$])(?=\2))")
_LIST_MARKER_AT_START = re.compile(r"^(\d+)([.)])(?=\s)|^([-+])(?=\s)")


# "&" would start an entity reference ("&amp;" reads as "&"): written as an entity itself, in both dialects.
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def markdown_escape(text: str) -> str:
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _ENTITY_LIKE.sub("&amp;", text))
    return _LIST_MARKER_AT_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}",
                                     escaped)


class MarkdownRenderer(Renderer):
    name, label = "markdown", "Markdown"

    def escape(self, text: str) -> str:
        return markdown_escape(text)

    def citation(self, term: Term) -> str:
        return f"[{self.escape(self.reference.cite(term.section))}]({section_url(self.version, term.section)})"

    def document_citation(self) -> str:
        return f"[{self.escape(self.reference.label)}]({self.reference.target})"

    def entry(self, term: Term, blocks: list[Block]) -> str:
        paragraphs = []
        for index, block in enumerate(blocks):
            if block.kind == "paragraph":
                lead = f"**{self.escape(term.term)}:** " if index == 0 else ""
                paragraphs.append(lead + self.inline(block.items[0], term))
            else:
                if index == 0:
                    paragraphs.append(f"**{self.escape(term.term)}:**")
                paragraphs.append("\n".join(f"* {self.inline(item, term)}" for item in block.items))
        return "\n\n".join(paragraphs)


class KramdownRenderer(MarkdownRenderer):
    """kramdown-rfc: a definition list entry; continuation blocks are indented under ": "."""

    name, label = "kramdown", "kramdown-rfc"

    def citation(self, term: Term) -> str:
        if term.section.number:
            return "{{" + f"{term.section.citation()} of {self.reference.anchor}" + "}}"
        return f"{self.escape(term.section.citation())} of {self.document_citation()}"

    def document_citation(self) -> str:
        return "{{" + self.reference.anchor + "}}"

    def entry(self, term: Term, blocks: list[Block]) -> str:
        rendered = []
        for block in blocks:
            if block.kind == "paragraph":
                rendered.append(self.inline(block.items[0], term))
            else:
                rendered.append("\n".join(f"* {self.inline(item, term)}" for item in block.items))
        body = "\n\n".join(rendered)
        return f"{self.escape(term.term)}:\n: " + body.replace("\n", "\n  ").replace("\n  \n", "\n\n")

    def front_matter(self) -> str | None:
        """kramdown-rfc (1.6, as Debian ships it) fetches a pinned revision under another anchor only in
        stand-alone mode; otherwise it says the output "will need manual editing"."""
        ref = self.reference
        return "stand_alone: true" if ref.bibxml_name not in (None, ref.anchor) else None

    def reference_block(self) -> str:
        """The entry for the ``informative:`` block: a published revision is fetched under the usual
        anchor; the editor's copy, which no bibliography holds, is written out."""
        ref = self.reference
        if ref.bibxml_name is not None:
            pinned = "" if ref.bibxml_name == ref.anchor else f" {ref.bibxml_name}"
            return f"  {ref.anchor}:{pinned}"
        lines = [f"  {ref.anchor}:", f"    title: {_yaml_string(ref.title)}", "    author:"]
        for author in ref.authors:
            lines += [f"    - ins: {_yaml_string(author.initials + ' ' + author.surname)}",
                      f"      name: {_yaml_string(author.fullname)}"]
            if author.organization:
                lines.append(f"      org: {_yaml_string(author.organization)}")
        if ref.date:
            lines.append(f"    date: {ref.date}")
        lines += [f"    target: {ref.target}", "    seriesinfo:",
                  *(f"      {name}: {_yaml_string(value)}" for name, value in ref.series),
                  "    refcontent: editor's copy"]
        return "\n".join(lines)


class TextRenderer(Renderer):
    """The layout of xml2rfc's text rendering of a definition list."""

    name, label = "text", "Plain text"

    def escape(self, text: str) -> str:
        return text

    def citation(self, term: Term) -> str:
        return self.reference.cite(term.section)

    def document_citation(self) -> str:
        return self.reference.label

    def reference_block(self) -> str:
        """The entry for the references section, laid out as the text rendering lays it out."""
        label, entry = self.reference.text_entry().split("  ", 1)
        lines = textwrap.wrap(entry, TEXT_WIDTH, initial_indent=" " * 14, subsequent_indent=" " * 14,
                              break_long_words=False, break_on_hyphens=False)
        first = f"   {label}"
        if len(first) < 13:
            lines[0] = first.ljust(14) + lines[0][14:]
        else:
            lines.insert(0, first)
        return "\n".join(lines)

    def entry(self, term: Term, blocks: list[Block]) -> str:
        lines: list[str] = []
        label = f"   {term.term}:  "
        for index, block in enumerate(blocks):
            if index:
                lines.append("")
            if block.kind == "paragraph":
                lines += _wrap(self.inline(block.items[0], term), label if index == 0 else "      ", "      ")
                continue
            if index == 0:
                lines.append(label.rstrip())
            for number, item in enumerate(block.items):
                lines += ([""] if number else []) + _wrap(self.inline(item, term), "      *  ", "         ")
        return "\n".join(lines)


def _wrap(text: str, first_indent: str, indent: str) -> list[str]:
    return textwrap.wrap(text, TEXT_WIDTH, initial_indent=first_indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


class HtmlRenderer(Renderer):
    name, label = "html", "HTML"

    def escape(self, text: str) -> str:
        return html.escape(text, quote=True)

    def citation(self, term: Term) -> str:
        url = self.escape(section_url(self.version, term.section))
        return f'<a href="{url}">{self.escape(self.reference.cite(term.section))}</a>'

    def document_citation(self) -> str:
        return f'<a href="{self.escape(self.reference.target)}">{self.escape(self.reference.label)}</a>'

    def entry(self, term: Term, blocks: list[Block]) -> str:
        """The definition, quoted from the document, then the citation outside the quotation."""
        *quoted, citation = _split_citation(blocks)
        parts = []
        for block in quoted:
            if block.kind == "paragraph":
                parts.append(f"<p>{self.inline(block.items[0], term)}</p>")
            else:
                parts.append("<ul>\n" + "\n".join(f"<li>{self.inline(i, term)}</li>" for i in block.items) + "\n</ul>")
        source = self.escape(section_url(self.version, term.section))
        quotation = [f'<blockquote cite="{source}">' + "\n\n".join(parts) + "</blockquote>"] if parts else []
        return "\n".join([
            '<dl class="rfc7228-term">',
            f"<dt>{self.escape(term.term)}</dt>",
            "<dd>",
            *quotation,
            f"<p>{self.inline(citation.items[0], term)}</p>",
            "</dd>",
            "</dl>",
        ])


def _split_citation(blocks: list[Block]) -> list[Block]:
    """The blocks with the citation taken out of the last paragraph into a paragraph of its own."""
    *rest, last = blocks
    parts = last.items[0]
    if last.kind == "paragraph" and parts[-3:] == [" (", CITE, ")"] and len(parts) > 3:
        return [*rest, Block("paragraph", [parts[:-3]]), Block("paragraph", [["(", CITE, ")"]])]
    return blocks


# The snippet formats, in the order they are offered. To add one, write its Renderer and add it here.
RENDERERS: dict[str, type[Renderer]] = {renderer.name: renderer for renderer in (
    XmlRenderer, KramdownRenderer, MarkdownRenderer, TextRenderer, HtmlRenderer,
)}
FORMATS = tuple(RENDERERS)
