"""The commands for draft authors: embed, terminology, lint, export.

Thin functions over the Catalog and the authoring modules (embed,
terminology, lint, export); the lint and the exports load what they need
(the draft readers, lxml, rdflib) when they run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..authoring.citing import citable_version
from ..authoring.embed import FORMATS, embed
from ..authoring.export import EXPORTERS, export
from ..authoring.terminology import SECTION_FORMATS, select_terms, terminology_section
from ..catalog import Catalog
from ..model import NEWEST
from . import output
from .options import citing_version_option, json_option, pass_catalog, version_option


@click.command("embed")
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xml", show_default=True)
@citing_version_option
@json_option
@pass_catalog
def embed_command(catalog: Catalog, term: str, fmt: str, version_name: str | None, as_json: bool) -> None:
    """A ready-to-paste definition of TERM citing its section, and the reference to add."""
    found, version = catalog.term(term, citable_version(catalog, version_name).name)
    output.echo_snippet(embed(found, version, fmt), as_json, term=found.id, version=version.name)


@click.command()
@click.argument("terms", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(SECTION_FORMATS), default="xml", show_default=True)
@click.option("--pointers", is_flag=True, help="Point to each term's section instead of quoting its definition.")
@citing_version_option
@json_option
@pass_catalog
def terminology(catalog: Catalog, terms: tuple[str, ...], fmt: str, pointers: bool, version_name: str | None,
                as_json: bool) -> None:
    """A Terminology section defining TERMS (in the order given, each once) by citing a version."""
    selected, version = select_terms(catalog, list(terms), version_name)
    output.echo_snippet(terminology_section(selected, version, fmt, pointers), as_json,
                        terms=[term.id for term in selected], version=version.name)


@click.command("lint")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--against", default=NEWEST, show_default=True, help="The version to compare the cited one with.")
@click.option("--ignore", "ignore", multiple=True, metavar="NAME",
              help='A term not to report (repeatable); a line saying "glossary: ignore" is skipped too.')
@click.option("--format", "output_format", type=click.Choice(output.LINT_FORMATS), default="text", show_default=True,
              help="github: GitHub Actions annotations; sarif: SARIF 2.1.0 for code scanning.")
@json_option
@pass_catalog
def lint_command(catalog: Catalog, draft: Path, against: str, ignore: tuple[str, ...], output_format: str,
                 as_json: bool) -> None:
    """Which glossary terms DRAFT uses, what it cites, and what changed since (exit 1 if a term was removed)."""
    from ..authoring.lint import lint
    from ..importing import SourceError

    try:
        report = lint(draft.read_bytes(), catalog, against, source=str(draft), ignore=ignore)
    except SourceError as error:
        raise output.CliError(str(error)) from error
    output_format = "json" if as_json else output_format
    if output_format == "json":
        output.echo_json(report.to_dict())
    elif output_format == "sarif":
        output.echo_json(output.lint_sarif(report))
    elif output_format == "github":
        click.echo(output.format_lint_github(report), nl=False)
    else:
        click.echo(output.format_lint_report(report, color=output.colour()), nl=False)
    if report.failed:
        sys.exit(1)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), required=True)
@version_option
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--base-iri", help="skos: the IRI prefix of concepts (default: the document's URL + '#').")
@pass_catalog
def export_command(catalog: Catalog, fmt: str, version_name: str, output_path: Path | None,
                   base_iri: str | None) -> None:
    """Every term of a version in one of the export formats (JSON, CSV, TBX-Basic, SKOS as Turtle)."""
    text = export(catalog.version(version_name), fmt, base_iri)
    if output_path is None:
        click.echo(text, nl=False)
    else:
        output_path.write_text(text, encoding="utf-8")

