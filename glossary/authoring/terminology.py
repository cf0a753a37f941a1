"""A whole Terminology section for a citing document.

An introductory sentence citing the version ("This document uses the following
terms defined in [RFC7228]:"), then one definition-list entry per term, as
glossary.authoring.embed renders them: the definition with its section citation, or
with ``pointers`` only the citation of the section that defines it.
"""

from __future__ import annotations

from ..catalog import Catalog
from ..model import Term, Version
from .citing import citable_version
from .embed import Snippet, cited_blocks, pointer_blocks, renderer_for

TITLE = "Terminology"
INTRODUCTION = "This document uses the following terms defined in {document}:"


def select_terms(catalog: Catalog, names: list[str], version: str | None = None) -> tuple[list[Term], Version]:
    """The named terms of ``version`` in the order given, each once: "c1" and "Class 1" are one term.

    An unknown name raises NotFound with the close matches. By default the
    newest numbered revision is cited (see glossary.authoring.citing.citable_version).
    """
    found_in = citable_version(catalog, version)
    selected: dict[str, Term] = {}
    for name in names:
        term, _ = catalog.term(name, found_in.name)
        selected.setdefault(term.id, term)
    return list(selected.values()), found_in


def terminology_section(terms: list[Term], version: Version, fmt: str, pointers: bool = False) -> Snippet:
    if fmt not in SECTION_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(SECTION_FORMATS)}")
    renderer = renderer_for(fmt, version)
    blocks = pointer_blocks if pointers else cited_blocks
    entries = [renderer.entry(term, blocks(term)) for term in terms]
    introduction = INTRODUCTION.format(document=renderer.document_citation())
    return Snippet(fmt, LAYOUTS[fmt](introduction, entries), renderer.reference_block(), renderer.front_matter())


def _xml_section(introduction: str, entries: list[str]) -> str:
    body = "\n".join(entries).replace("\n", "\n    ")
    return "\n".join([
        '<section anchor="terminology">',
        f"  <name>{TITLE}</name>",
        f"  <t>{introduction}</t>",
        "  <dl>",
        f"    {body}",
        "  </dl>",
        "</section>",
    ])


def _markdown_section(heading: str):
    def layout(introduction: str, entries: list[str]) -> str:
        return "\n\n".join([f"{heading} {TITLE}", introduction, *entries])
    return layout


LAYOUTS = {
    "xml": _xml_section,
    "kramdown": _markdown_section("#"),  # kramdown-rfc: a top-level section of the middle
    "markdown": _markdown_section("##"),
}
SECTION_FORMATS = tuple(LAYOUTS)
