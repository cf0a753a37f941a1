"""Small hostile inputs, built from a real revision: shared by tests/test_hostile.py and bench/hostile.py.

Each builder takes the plain text of a corpus revision and returns it with one
hostile piece inserted where the text reader must look at it; the rest of the
document stays as it was, so a reader that copes gives the terms it gave before.
"""

from __future__ import annotations

TEXT_WIDTH = 72


def insert_before_line(text: str, line_start: str, lines: list[str]) -> str:
    """``text`` with ``lines`` as a block of their own (blank lines around) before the first line starting so."""
    all_lines = text.split("\n")
    at = next(i for i, line in enumerate(all_lines) if line.startswith(line_start))
    return "\n".join([*all_lines[:at], *lines, "", *all_lines[at:]])


def long_paragraph(text: str, before: str, size: int) -> str:
    """A paragraph of about ``size`` characters, filled to the text width, in the section ending before ``before``."""
    line = "   " + ("lorem ipsum dolor sit amet " * 3)[: TEXT_WIDTH - 3].rstrip()
    return insert_before_line(text, before, [line] * (size // (len(line) + 1)))


def contents_line_of_dots(text: str, before: str, dots: int = 100_000) -> str:
    """A numbered line at the left margin, then only dots: a contents line, but for its page number."""
    return insert_before_line(text, before, ["9.9.  " + "." * dots])


def acronym_prose(acronym: str, expansion: str, size: int) -> str:
    """About ``size`` characters of prose expanding ``acronym`` again and again, in both ways a draft does."""
    sentence = f'A {expansion} ({acronym}) is also called "{expansion}". '
    return sentence * (size // len(sentence))


def nested_in_first_definition(html: bytes, depth: int = 5_000) -> bytes:
    """xml2rfc HTML whose first definition in section 2 holds elements nested ``depth`` deep."""
    definition = html.index(b">", html.index(b"<dd", html.index(b'id="section-2'))) + 1
    return html[:definition] + b"<span>" * depth + b"deep" + b"</span>" * depth + html[definition:]


def renamed(xml: bytes, old_name: str, new_name: bytes) -> bytes:
    """RFCXML whose document calls itself ``new_name`` (its docName and seriesInfo)."""
    return xml.replace(f'"{old_name}"'.encode(), b'"' + new_name + b'"')


def with_definitions(xml: bytes, entries: list[tuple[str, str]], dt_attributes: str = "") -> bytes:
    """RFCXML with more definition-list entries (term, definition) at the start of its first list."""
    added = "".join(f"<dt{dt_attributes}>{term}:</dt><dd>{definition}</dd>" for term, definition in entries).encode()
    at = xml.index(b"<dl>") + len(b"<dl>")
    return xml[:at] + added + xml[at:]
