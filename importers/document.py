"""The parsed shape of an RFC or draft that every format reader produces.

Format readers (RFCXML, plain text, HTML) only turn their input into a
``Document``: metadata plus a flat list of sections, each with its blocks of
prose, definition-list entries and tables, all text already in the canonical
form (see ``importers.text``). ``importers.terms`` then decides what counts as
a term, so that rule exists once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


class Prose:
    """A paragraph, a list or a quotation, as canonical text.

    ``kind`` tells them apart: ``paragraph`` (one or more paragraphs),
    ``list`` (``* item`` lines, one per item) or ``quote`` (text quoted from
    another document). A reader may give a function that renders the text
    instead of the text: most prose never becomes a definition, so it is
    rendered only when asked for.
    """

    KINDS = ("paragraph", "list", "quote")

    def __init__(self, text: str | Callable[[], str], kind: str = "paragraph"):
        self._text = text
        self.kind = kind

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
