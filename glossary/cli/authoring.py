"""The commands for draft authors: embed, terminology, lint, export.

They register themselves on ``glossary.cli.main`` when glossary.cli imports
this module, and follow its conventions: thin functions over the Catalog and
the pure modules (embed, terminology, lint, export), errors left to GlossaryGroup.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..catalog import Catalog
from . import _colour, _echo_json, json_option, main, pass_store, version_option
from ..authoring.embed import FORMATS, Snippet, embed
from ..authoring.export import EXPORT_FORMATS, export
from ..authoring.lint import format_report, lint
from ..store import Store
from ..authoring.terminology import SECTION_FORMATS, select_terms, terminology_section

# How each format says where its reference goes, on the line before it.
REFERENCE_HEADERS = {
    "xml": "<!-- for <back><references>: -->",
    "kramdown": "# for the front matter:\ninformative:",
}


def _echo_snippet(snippet: Snippet, as_json: bool, **about) -> None:
    if as_json:
        _echo_json({**about, **snippet.to_dict()})
        return
    click.echo(snippet.text)
    if snippet.reference:
        click.echo(f"\n{REFERENCE_HEADERS[snippet.format]}\n{snippet.reference}")


@main.command("embed")
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xml", show_default=True)
@version_option
@json_option
@pass_store
def embed_command(store: Store, term: str, fmt: str, version_name: str, as_json: bool) -> None:
    """A ready-to-paste definition of TERM citing its section, and the reference to add."""
    found, version = Catalog(store).term(term, version_name)
    _echo_snippet(embed(found, version, fmt), as_json, term=found.id, version=version.name)


@main.command()
@click.argument("terms", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(SECTION_FORMATS), default="xml", show_default=True)
@click.option("--pointers", is_flag=True, help="Point to each term's section instead of quoting its definition.")
@version_option
@json_option
@pass_store
def terminology(store: Store, terms: tuple[str, ...], fmt: str, pointers: bool, version_name: str,
                as_json: bool) -> None:
    """A Terminology section defining TERMS (in the order given, each once) by citing a version."""
    selected, version = select_terms(Catalog(store), list(terms), version_name)
    _echo_snippet(terminology_section(selected, version, fmt, pointers), as_json,
                  terms=[term.id for term in selected], version=version.name)


@main.command("lint")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--against", default="latest", show_default=True, help="The version to compare the cited one with.")
@json_option
@pass_store
def lint_command(store: Store, draft: Path, against: str, as_json: bool) -> None:
    """Which glossary terms DRAFT uses, what it cites, and what changed since (exit 1 if a term was removed)."""
    report = lint(draft.read_bytes(), Catalog(store), against, source=str(draft))
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(format_report(report, color=_colour()), nl=False)
    if report.failed:
        sys.exit(1)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@version_option
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--base-iri", help="skos: the IRI prefix of concepts (default: the document's URL + '#').")
@pass_store
def export_command(store: Store, fmt: str, version_name: str, output: Path | None, base_iri: str | None) -> None:
    """Every term of a version as JSON, CSV, TBX (TBX-Basic) or SKOS (Turtle)."""
    text = export(Catalog(store).version(version_name), fmt, base_iri)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
