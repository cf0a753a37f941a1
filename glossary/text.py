"""The canonical definition text, as the store keeps every definition, and its one reader.

The importers write it (importers.text: they depend on nothing else of the
glossary): words on single spaces, paragraphs separated by one blank line, a
list as one ``* item`` line per item. Whatever shows a definition with its
structure (the pages, the snippets) reads it back with ``definition_blocks``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = "* "


@dataclass
class Block:
    """A paragraph (``text``) or a bulleted list (``items``) of a definition."""

    text: str = ""
    items: list[str] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def definition_blocks(definition: str) -> list[Block]:
    """The canonical definition text as blocks, in order; lines of a paragraph are joined by a space."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", definition.strip()):
        current = None
        for line in paragraph.split("\n"):
            bullet = line.startswith(BULLET)
            if current is None or current.is_list != bullet:
                current = Block()
                blocks.append(current)
            if bullet:
                current.items.append(line[len(BULLET):])
            else:
                current.text = f"{current.text} {line.strip()}".strip()
    return [block for block in blocks if block.text or block.items]
