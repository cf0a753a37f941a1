"""Parsing untrusted XML: no file or network access, no entity amplification.

RFCXML declares internal entities (``&nbsp;`` and friends), which expand.
External entities (RFCXML v2 references often point at bibxml URLs) and DTDs
are never loaded: such references are left unresolved.

libxml2 is told to resolve no entity at all; the internal ones are expanded
here from the document's own declarations, under a budget, so that entity
amplification ("billion laughs") is refused with a clear error.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import SourceError

MAX_ENTITY_DEPTH = 8
MAX_EXPANSION_CHARS = 1_000_000
_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")


_SETTINGS = dict(
    resolve_entities=False,
    load_dtd=False,
    no_network=True,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
_FEED_BYTES = 16 * 1024


def _parser(**extra) -> etree.XMLParser:
    return etree.XMLParser(**_SETTINGS, **extra)


def parse_xml(data: bytes, source: str) -> etree._Element:
    """The root element of ``data``; a SourceError naming ``source`` otherwise."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc) or "not well-formed XML"
        if "amplification" in message or "loop" in message:
            message = f"entity expansion refused ({message})"
        raise SourceError(source, f"malformed XML: {message}") from None
    _expand_internal_entities(root, source)
    return root


def root_attributes(data: bytes) -> dict[str, str] | None:
    """The attributes of the document element, read without parsing the rest of ``data``.

    None when the document does not get as far as a well-formed start tag.
    """
    parser = etree.XMLPullParser(events=("start",), **_SETTINGS)
    for offset in range(0, len(data), _FEED_BYTES):
        try:
            parser.feed(data[offset:offset + _FEED_BYTES])
        except etree.XMLSyntaxError:  # past the start tag, perhaps: its event is still there
            return next((dict(element.attrib) for _event, element in parser.read_events()), None)
        for _event, element in parser.read_events():
            return dict(element.attrib)
    return None


def _expand_internal_entities(root, source: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    declared = {e.name: e.content for e in dtd.iterentities()} if dtd is not None else {}
    budget = [MAX_EXPANSION_CHARS]

    def expand(name: str, depth: int) -> str:
        content = declared.get(name)
        if content is None:  # external or undeclared: left unresolved
            return ""
        if depth > MAX_ENTITY_DEPTH:
            raise SourceError(source, f"entity expansion refused: &{name}; nests deeper than {MAX_ENTITY_DEPTH}")
        text = _REFERENCE.sub(lambda m: expand(m.group(1), depth + 1), content)
        budget[0] -= len(text)
        if budget[0] < 0:
            raise SourceError(source, "entity expansion refused: entities expand beyond 1,000,000 characters")
        return text

    for entity in list(root.iter(etree.Entity)):
        text = expand(entity.name, 1) + (entity.tail or "")
        previous, parent = entity.getprevious(), entity.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(entity)


def parse_html(data: bytes, source: str, whole: bool = True) -> etree._Element:
    """An HTML page (or, not ``whole``, the start of one), parsed with the same restrictions as XML."""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(source, f"unreadable HTML: {exc}") from None
    if root is None:
        raise SourceError(source, "unreadable HTML: no document element")
    # The HTML parser recovers from every error but this one by dropping the rest of the page.
    fatal = next((error for error in parser.error_log if error.level_name == "FATAL"), None)
    if fatal is not None and whole:
        message = fatal.message.split(", use ")[0]  # not libxml2's advice on its own options
        raise SourceError(source, f"unreadable HTML: {message} (line {fatal.line})")
    return root
