"""The command line: ``glossary [--store DIR] COMMAND``.

Each command is a small function over the store, the lookups and the
importers. To add one, write ``@main.command()`` with ``@pass_store``; the
store's and the lookups' errors become one-line ``error: ...`` messages with
exit status 1 in one place (GlossaryGroup), so commands need not catch them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import textwrap
from pathlib import Path

import click

from importers import SourceError
from importers.manifest import manifest_sources

from .catalog import Catalog
from .diff import UnknownTerm
from .diff_text import format_diff, format_history
from .importing import ImportOutcome, import_source
from .lookup import UnknownName, close_term_names, find_term, terms_of_kind
from .model import Term, Version
from .store import Store, StoreError, locate_store

DEFAULT_VERSION = "latest"
TEXT_WIDTH = 78


class CliError(click.ClickException):
    """A failure shown as the one line "error: <message>", exit status 1."""

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class GlossaryGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (StoreError, UnknownName, UnknownTerm, SourceError) as error:
            raise CliError(str(error)) from error


@click.group(cls=GlossaryGroup)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory (default: $GLOSSARY_STORE, else the embedded data/terms/).",
)
@click.pass_context
def main(ctx: click.Context, store_dir: Path | None) -> None:
    """Terms of RFC 7228 and its bis drafts, version by version."""
    ctx.obj = Store(locate_store(store_dir))


pass_store = click.make_pass_decorator(Store)
version_option = click.option(
    "--version", "version_name", default=DEFAULT_VERSION, show_default=True,
    help='Version name, or "latest"/"oldest".',
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON records.")


@main.command("import")
@click.argument("sources", nargs=-1)
@click.option("--manifest", type=click.Path(dir_okay=False), help="Import every revision a corpus manifest.json lists.")
@click.option("--replace", is_flag=True, help="Overwrite stored versions whose content differs.")
@pass_store
def import_command(store: Store, sources: tuple[str, ...], manifest: str | None, replace: bool) -> None:
    """Import versions from SOURCES: paths, http(s) URLs or names (draft-...-NN, rfcNNNN)."""
    sources = [*sources, *(manifest_sources(manifest) if manifest else [])]
    if not sources:
        raise click.UsageError("give at least one SOURCE or --manifest")
    with store.batch(), _progress(sources, "importing") as items:  # one index update for the lot
        outcomes = [import_source(store, source, replace) for source in items]
    for outcome in outcomes:
        _report(outcome)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(1)


@main.command()
@json_option
@pass_store
def versions(store: Store, as_json: bool) -> None:
    """List the stored versions, oldest first."""
    entries = store.versions()
    if as_json:
        _echo_json(entries)
    elif not entries:
        click.echo(f"no versions in {store.directory}", err=True)
    else:
        _echo_table(["name", "date", "terms"], [[e["name"], e["date"] or "", str(e["terms"])] for e in entries])


@main.command()
@version_option
@click.option("--kind", help="Only terms of this kind (e.g. device-class).")
@json_option
@pass_store
def terms(store: Store, version_name: str, kind: str | None, as_json: bool) -> None:
    """List the terms of a version."""
    selected = terms_of_kind(store.load(version_name), kind)
    if as_json:
        _echo_json([term.to_dict() for term in selected])
    else:
        _echo_table(None, [[t.id, t.term, f"({t.kind}, {t.section.citation()})"] for t in selected])


@main.command()
@click.argument("term")
@version_option
@json_option
@pass_store
def show(store: Store, term: str, version_name: str, as_json: bool) -> None:
    """Show one TERM (its id, name or an alias) as a version defines it."""
    version = store.load(version_name)
    found = find_term(version, term)
    if as_json:
        _echo_json(found.to_dict())
    else:
        click.echo(format_term(found, version))


@main.command()
@click.argument("from_version", metavar="FROM")
@click.argument("to_version", metavar="TO")
@click.option("--term", "term_name", help="Only this term (id, name or alias).")
@click.option("--kind", help="Only terms of this kind.")
@json_option
@pass_store
def diff(store: Store, from_version: str, to_version: str, term_name: str | None, kind: str | None,
         as_json: bool) -> None:
    """What changed between two versions ("oldest", "latest" or names)."""
    changes = Catalog(store).diff(from_version, to_version).filter(kind=kind)
    if term_name:
        changes = _only_term(changes, term_name, store)
    if as_json:
        _echo_json(changes.to_dict())
    else:
        click.echo(format_diff(changes, color=_colour()))


@main.command()
@click.argument("term")
@json_option
@pass_store
def history(store: Store, term: str, as_json: bool) -> None:
    """A term across every version: where it appeared, changed, was renamed or removed."""
    found = Catalog(store).history(term)
    click.echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if as_json
               else format_history(found, color=_colour()))


@main.command()
@click.argument("query")
@click.option("--version", "version_name", default=None, help='Version name, "latest" (default) or "all".')
@click.option("--kind", help="Only terms of this kind.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@json_option
@pass_store
def search(store: Store, query: str, version_name: str | None, kind: str | None, limit: int,
           as_json: bool) -> None:
    """Full-text search over terms, aliases and definitions (typos tolerated, "quotes" for phrases)."""
    try:
        result = Catalog(store).search(query, version=version_name, kind=kind, limit=limit)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="QUERY") from None
    if as_json:
        _echo_json(result.to_dict())
        return
    if not result.hits:
        hint = f"; did you mean {result.suggestion!r}?" if result.suggestion else ""
        click.echo(f"no match for {query!r} in {result.version}{hint}")
        return
    click.echo(f"{result.total} match(es) in {result.version}")
    for hit in result.hits:
        where = hit.section.citation()
        if result.version == "all":
            span = hit.versions[0] if len(hit.versions) == 1 else f"{hit.versions[0]} .. {hit.versions[-1]}"
            where = f"in {len(hit.versions)} version(s): {span}"
        click.echo(f"{hit.id}  {hit.term}  ({hit.kind}; {where})")
        click.echo(f"    {hit.snippet}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_store
def serve(store: Store, host: str, port: int) -> None:
    """Run the web pages and the API on a development server (use gunicorn in production)."""
    from .api import create_app  # Flask only loads for this command

    create_app(store.directory).run(host=host, port=port)


def _only_term(changes, name: str, store: Store):
    """The diff restricted to one term, found in either version (by its id or the id it was renamed from)."""
    catalog = Catalog(store)
    wanted = None
    for version in (changes.to_version, changes.from_version):
        found = catalog.version(version).find(name)
        if found is not None:
            wanted = found.id
            break
    if wanted is None:
        versions = [catalog.version(changes.to_version), catalog.version(changes.from_version)]
        raise UnknownName("term", name, f"{changes.from_version} or {changes.to_version}",
                          close_term_names(name, versions))
    kept = [entry for entry in changes.terms if wanted in (entry.id, entry.renamed_from)]
    return type(changes)(changes.from_version, changes.to_version, kept)


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def format_term(term: Term, version: Version) -> str:
    section = term.section
    where = f"{section.citation()} ({section.title})" if section.number else section.citation()
    lines = [term.term]
    if term.aliases:
        lines.append(f"aliases: {', '.join(term.aliases)}")
    lines += [f"kind: {term.kind}", f"defined in: {where}, {version.name}", ""]
    lines += [_wrap(line) for line in term.definition.splitlines()]
    if term.attributes:
        lines += ["", "attributes:", *(f"  {key}: {value}" for key, value in term.attributes.items())]
    return "\n".join(lines)


def _report(outcome: ImportOutcome) -> None:
    version = outcome.version
    if outcome.status == "failed":
        click.echo(f"error: {outcome.error}", err=True)
    elif outcome.status == "unchanged":
        click.echo(f"unchanged {version.name}")
    else:
        click.echo(f"{outcome.status} {version.name} ({len(version.terms)} terms)")
        for warning in version.warnings:
            click.echo(f"warning: {version.name}: {warning}", err=True)


def _progress(items: list, label: str):
    """A progress bar on stderr when there is more than one item."""
    if len(items) < 2:
        return contextlib.nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)


def _echo_table(header: list[str] | None, rows: list[list[str]]) -> None:
    all_rows = [header, *rows] if header else rows
    if not all_rows:
        return
    widths = [max(len(row[column]) for row in all_rows) for column in range(len(all_rows[0]))]
    for row in all_rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _wrap(line: str) -> str:
    """Wrap one line of a definition; a "* item" keeps its continuation lines under the text."""
    indent = "  " if line.startswith("* ") else ""
    return textwrap.fill(line, TEXT_WIDTH, subsequent_indent=indent) if line else line


# embed, terminology, lint and export register themselves on main.
from . import cli_authoring  # noqa: E402,F401
