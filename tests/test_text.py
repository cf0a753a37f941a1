"""The canonical definition text: what the importers write, the one reader gives back block by block."""

from __future__ import annotations

from glossary.store import Store, embedded_store
from glossary.text import Block, definition_blocks


def written(blocks: list[Block]) -> str:
    """The canonical text of ``blocks``, as importers.text writes it."""
    return "\n\n".join("\n".join(f"* {item}" for item in block.items) if block.is_list else block.text
                       for block in blocks)


def test_every_stored_definition_reads_back_as_it_was_written():
    forms = set()
    for version in Store(embedded_store()).load_versions():
        for term in version.terms:
            blocks = definition_blocks(term.definition)
            forms.update("list" if block.is_list else "paragraph" for block in blocks)
            assert written(blocks) == term.definition, (version.name, term.id)
    assert forms == {"list", "paragraph"}  # the store has both forms, so both are read back


def test_paragraphs_and_lists_are_blocks_in_order():
    text = "A node that sleeps.\n\n* first item\n* second item\n\nAfter the list."
    assert definition_blocks(text) == [
        Block(text="A node that sleeps."), Block(items=["first item", "second item"]), Block(text="After the list."),
    ]
