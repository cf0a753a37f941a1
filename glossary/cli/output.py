"""Everything the command line prints: tables, JSON, terms, snippets, import outcomes, errors."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import textwrap

import click

from ..model import Term, Version

TEXT_WIDTH = 78
# How each snippet format says where its reference goes, on the line before it.
REFERENCE_HEADERS = {
    "xml": "<!-- for <back><references>: -->",
    "kramdown": "# for the front matter:\ninformative:",
}


class CliError(click.ClickException):
    """A failure shown as the one line "error: <message>", exit status 1."""

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


COLOR_MODES = ("auto", "always", "never")


def colour(mode: str = "auto") -> bool:
    """Whether to colour: "always", "never", or "auto" (a terminal, unless NO_COLOR is set)."""
    if mode != "auto":
        return mode == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def echo_table(header: list[str] | None, rows: list[list[str]]) -> None:
    all_rows = [header, *rows] if header else rows
    if not all_rows:
        return
    widths = [max(len(row[column]) for row in all_rows) for column in range(len(all_rows[0]))]
    for row in all_rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def format_term(term: Term, version: Version, twins: list[str] = ()) -> str:
    """A term as ``show`` prints it; ``twins``: the other terms of the version with its name."""
    section = term.section
    where = f"{section.citation()} ({section.title})" if section.number else section.citation()
    lines = [term.term]
    if twins:
        lines.append(f"defined twice in this version: also as {', '.join(twins)}")
    if term.aliases:
        lines.append(f"aliases: {', '.join(term.aliases)}")
    lines += [f"kind: {term.kind}", f"defined in: {where}, {version.name}", ""]
    lines += [_wrap(line) for line in term.definition.splitlines()]
    if term.attributes:
        lines += ["", "attributes:", *(f"  {key}: {value}" for key, value in term.attributes.items())]
    if term.related:
        lines += ["", f"related: {', '.join(term.related)}"]
    for number, note in enumerate(term.notes, start=1):
        lines += ["", f"Note {number} to entry ({note.kind}, {note.section.citation()}):"]
        lines += [_wrap(line) for line in note.text.splitlines()]
    return "\n".join(lines)


def _wrap(line: str) -> str:
    """Wrap one line of a definition; a "* item" keeps its continuation lines under the text."""
    indent = "  " if line.startswith("* ") else ""
    return textwrap.fill(line, TEXT_WIDTH, subsequent_indent=indent) if line else line


def echo_search_result(result, query: str) -> None:
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


def echo_snippet(snippet, as_json: bool, **about) -> None:
    if as_json:
        echo_json({**about, **snippet.to_dict()})
        return
    click.echo(snippet.text)
    if snippet.reference:
        click.echo(f"\n{REFERENCE_HEADERS[snippet.format]}\n{snippet.reference}")


def report_import(outcome) -> None:
    version = outcome.version
    if outcome.status == "failed":
        click.echo(f"error: {outcome.error}", err=True)
    elif outcome.status == "unchanged":
        click.echo(f"unchanged {version.name}")
    else:
        click.echo(f"{outcome.status} {version.name} ({len(version.terms)} terms)")
        for warning in version.warnings:
            click.echo(f"warning: {version.name}: {warning}", err=True)


def progress(items: list, label: str):
    """A progress bar on stderr when there is more than one item."""
    if len(items) < 2:
        return contextlib.nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)
