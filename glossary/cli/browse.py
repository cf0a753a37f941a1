"""The commands that fill and read the store: import, versions, terms, show, diff, history, search, serve.

Each is a thin function over the Catalog; what it prints is glossary.cli.output's.
Modules that take long to load (the importers, whoosh, Flask) are imported
by the commands that need them, so that the others start fast.
"""

from __future__ import annotations

import sys

import click

from ..catalog import Catalog
from ..lookup import contradicted_alias, term_id_in, terms_of_kind
from . import output
from .options import color_option, json_option, pass_catalog, version_option

# The port scripts/serve.sh serves on too (its PORT), as the README says.
DEFAULT_PORT = 8000


@click.command("import")
@click.argument("sources", nargs=-1)
@click.option("--manifest", type=click.Path(dir_okay=False), help="Import every revision a corpus manifest.json lists.")
@click.option("--replace", is_flag=True, help="Overwrite stored versions whose content differs.")
@click.option("--encoding", metavar="NAME",
              help="The encoding of plain-text sources (default: UTF-8, strictly); XML and HTML declare theirs.")
@pass_catalog
def import_command(catalog: Catalog, sources: tuple[str, ...], manifest: str | None, replace: bool,
                   encoding: str | None) -> None:
    """Import versions from SOURCES: paths, http(s) URLs or names (draft-...-NN, rfcNNNN)."""
    from ..importing import SourceError, import_sources, manifest_revisions

    try:
        listed = manifest_revisions(manifest) if manifest else []
    except SourceError as error:
        raise output.CliError(str(error)) from None
    sources = [*((source, None) for source in sources), *listed]
    if not sources:
        raise click.UsageError("give at least one SOURCE or --manifest")
    with catalog.store.batch(), output.progress(sources, "importing") as items:  # one index update for the lot
        outcomes = list(import_sources(catalog.store, items, len(sources), replace, encoding))
    for outcome in outcomes:
        output.report_import(outcome)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(1)


@click.command()
@json_option
@pass_catalog
def versions(catalog: Catalog, as_json: bool) -> None:
    """List the stored versions, oldest first."""
    entries = catalog.entries()
    if as_json:
        output.echo_json(entries)
    elif not entries:
        click.echo(f"no versions in {catalog.store.directory}", err=True)
    else:
        output.echo_table(["name", "date", "terms"], [[e["name"], e["date"] or "", str(e["terms"])] for e in entries])


@click.command()
@version_option
@click.option("--kind", help="Only terms of this kind (e.g. device-class).")
@json_option
@pass_catalog
def terms(catalog: Catalog, version_name: str, kind: str | None, as_json: bool) -> None:
    """List the terms of a version."""
    selected = terms_of_kind(catalog.version(version_name), kind, catalog.kinds())
    if as_json:
        output.echo_json([term.to_dict() for term in selected])
    else:
        output.echo_table(None, [[t.id, t.term, f"({t.kind}, {t.section.citation()})"] for t in selected])


@click.command()
@click.argument("term")
@version_option
@json_option
@pass_catalog
def show(catalog: Catalog, term: str, version_name: str, as_json: bool) -> None:
    """Show one TERM (its id, name or an alias) as a version defines it."""
    from ..diff import same_name_terms

    found, version = catalog.term(term, version_name)
    warning = contradicted_alias(version, found, term)
    if warning:
        output.warn(warning)
    if as_json:
        output.echo_json(found.to_dict())
    else:
        click.echo(output.format_term(found, version, same_name_terms(version, found)))


@click.command()
@click.argument("from_version", metavar="FROM")
@click.argument("to_version", metavar="TO")
@click.option("--term", "term_name", help="Only this term (id, name or alias).")
@click.option("--kind", help="Only terms of this kind.")
@color_option
@json_option
@pass_catalog
def diff(catalog: Catalog, from_version: str, to_version: str, term_name: str | None, kind: str | None,
         color: str, as_json: bool) -> None:
    """What changed between two versions ("oldest", "latest", "newest-revision" or names)."""
    changes = catalog.diff(from_version, to_version).filter(kind=catalog.kind(kind))
    if term_name:
        wanted = term_id_in(term_name, catalog.version(changes.to_version), catalog.version(changes.from_version))
        kept = [entry for entry in changes.terms if wanted in (entry.id, entry.renamed_from)]
        changes = changes.with_terms(kept)
    if as_json:
        output.echo_json(changes.to_dict())
    else:
        output.echo_rendered(output.format_diff, changes, color)


@click.command()
@click.argument("term")
@color_option
@json_option
@pass_catalog
def history(catalog: Catalog, term: str, color: str, as_json: bool) -> None:
    """A term across every version: where it appeared, changed, was renamed or removed."""
    found = catalog.history(term)
    if as_json:
        output.echo_json(found.to_dict())
    else:
        output.echo_rendered(output.format_history, found, color)


@click.command()
@click.argument("query")
@click.option("--version", "version_name", default=None, help='Version name, "latest" (default) or "all".')
@click.option("--kind", help="Only terms of this kind.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@json_option
@pass_catalog
def search(catalog: Catalog, query: str, version_name: str | None, kind: str | None, limit: int,
           as_json: bool) -> None:
    """Full-text search over terms, aliases and definitions (typos tolerated, "quotes" for phrases)."""
    from ..search import EmptyQueryError

    try:
        result = catalog.search(query, version=version_name, kind=kind, limit=limit)
    except EmptyQueryError as error:
        raise click.BadParameter(str(error), param_hint="QUERY") from None
    if as_json:
        output.echo_json(result.to_dict())
    else:
        output.echo_search_result(result, query)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@pass_catalog
def serve(catalog: Catalog, host: str, port: int) -> None:
    """Run the web pages and the API on a development server (use gunicorn in production)."""
    from ..app import create_app

    create_app(catalog.store.directory).run(host=host, port=port)

