"""The command line: ``glossary [--store DIR] COMMAND``.

Each command is a small function over the store, the lookups and the
importers. To add one, write ``@main.command()`` with ``@pass_store``; the
store's and the lookups' errors become one-line ``error: ...`` messages with
exit status 1 in one place (GlossaryGroup), so commands need not catch them.
"""

from __future__ import annotations

import contextlib
import json
import sys
import textwrap
from pathlib import Path

import click

from importers import SourceError
from importers.manifest import manifest_sources

from .importing import ImportOutcome, import_source
from .lookup import UnknownName, find_term, terms_of_kind
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
        except (StoreError, UnknownName, SourceError) as error:
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
    with _progress(sources, "importing") as items:
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
