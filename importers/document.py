"""The parsed shape of an RFC or draft that every format reader produces.

Format readers (RFCXML, plain text, HTML) only turn their input into a
``Document``: metadata plus a flat list of sections, each with its blocks of
prose, definition-list entries and tables, all text already in the canonical
form (see ``importers.text``). ``importers.terms`` then decides what counts as
a term, so that rule exists once for every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from glossary.model import Author


class Prose:
    """A paragraph, a list or a quotation, as canonical text.

    ``kind`` tells them apart: ``paragraph`` (one or more paragraphs),
    ``list`` (``* item`` lines, one per item) or ``quote`` (text quoted from
    another document). A reader may give a function that renders the text
    instead of the text: most prose never becomes a definition, so it is
    rendered only when asked for.
    """

    KINDS = ("paragraph", "list", "quote")

    def __init__(self, text: str | Callable[[], str], kind: str = "paragraph", page_breaks: tuple[int, ...] = ()):
        self._text = text
        self.kind = kind
        # Where a text rendering joined two pages between sentences without showing whether a paragraph
        # break fell there: the offsets in ``text`` of the spaces that stand for those page breaks.
        self.page_breaks = page_breaks

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = self._text()
        return self._text

    def items(self) -> list[str]:
        """A list's items, a paragraph's paragraphs."""
        if self.kind == "list":
            return [line[2:] for line in self.text.splitlines() if line.startswith("* ")]
        return [part for part in self.text.split("\n\n") if part.strip()]

    def __repr__(self) -> str:
        return f"Prose({self.text!r}, {self.kind!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Prose) and (self.text, self.kind) == (other.text, other.kind)


@dataclass
class Definition:
    """One entry of a definition list (v3 dl/dt/dd, v2 hanging list, text hanging paragraph)."""

    term: str
    text: str
    fragment: str | None = None


@dataclass
class Table:
    """A table: header labels and body rows of canonical cell text.

    ``number`` is the table's number as the rendered document shows it
    ("Table 3"); ``caption`` and ``anchor`` may be missing.
    """

    header: list[str]
    rows: list[list[str]]
    number: int | None = None
    caption: str | None = None
    anchor: str | None = None
    row_fragments: list[str] | None = None


@dataclass
class DocSection:
    number: str | None
    title: str
    anchor: str | None = None
    blocks: list = field(default_factory=list)


@dataclass
class Document:
    """An RFC or Internet-Draft as read from one file.

    ``name`` is the draft name with revision or ``rfcNNNN``; ``date`` is ISO
    (YYYY-MM-DD, or YYYY-MM when the day is not given).
    """

    name: str
    title: str
    date: str | None
    format: str
    sections: list[DocSection]
    authors: list[Author] = field(default_factory=list)  # as the front matter lists them
    repository: str | None = None  # "Source for this draft ... can be found at <URL>"


# The front matter's note on where the draft's source is kept (the IETF's draft template writes it).
_SOURCE_REPOSITORY = re.compile(r"Source for this draft\b.{0,300}?(https://github\.com/[\w.-]+/[\w.-]+?)"
                                r"(?=[/\"'<>\s]|\.(?:\s|$|<))", re.DOTALL)


def source_repository(front_text: str) -> str | None:
    """The GitHub repository the front matter names as the draft's source, from XML, HTML or text alike."""
    match = _SOURCE_REPOSITORY.search(front_text)
    return match.group(1) if match else None


def initials_of(fullname: str) -> str:
    """The initials of the given names, as the IETF writes them: "Carsten Bormann" -> "C.", "Jean-Luc X" -> "J.-L."."""
    given = fullname.split()[:-1]
    return " ".join("-".join(part[:1] + "." for part in name.split("-") if part) for name in given)
