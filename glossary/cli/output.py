"""Everything the command line prints: tables, JSON, terms, snippets, diffs, histories, lint reports,
import outcomes, errors. Diffs show [-deleted-] {+inserted+} words, or red and green on a terminal."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import textwrap

import click

from ..diff import TermChange, TermHistory, VersionDiff
from ..model import Section, Term, Version

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


def colour() -> bool:
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


# --- diffs, histories and the lint -----------------------------------------------------


def format_diff(diff: VersionDiff, color: bool = False) -> str:
    """A terminal rendering: the counts, then every term that is not unchanged."""
    counts = ", ".join(f"{count} {status}" for status, count in diff.summary.items())
    lines = [f"{diff.from_version} -> {diff.to_version}: {counts}"]
    for entry in diff.terms:
        if entry.status == "unchanged":
            continue
        status = f"renamed from {entry.renamed_from}" if entry.renamed_from else entry.status
        lines.append(f"{_bold(entry.term, color)} ({entry.id}): {status}")
        if entry.changes:
            lines += change_lines(entry.changes, color)
    return "\n".join(lines) + "\n"


def format_history(history: TermHistory, color: bool = False) -> str:
    """A terminal rendering of one term's history, one event per version."""
    lines = [f"{_bold(history.term, color)} ({history.id}): in {len(history.present_in)} version(s)"]
    for event in history.events:
        what = f"renamed from {event.renamed_from}" if event.event == "renamed" else event.event
        lines.append(f"  {event.version}: {what} ({event.id})")
        if event.changes:
            lines += ["  " + line for line in change_lines(event.changes, color)]
    return "\n".join(lines) + "\n"


def change_lines(change: TermChange, color: bool = False) -> list[str]:
    """One term's changes, one aspect a line, indented by two spaces."""
    lines = []
    if change.term is not None:
        lines.append(f"  term: {change.term[0]} -> {change.term[1]}")
    if change.kind is not None:
        lines.append(f"  kind: {change.kind[0]} -> {change.kind[1]}")
    if change.definition is not None:
        text = "".join(_render_op(op, text, color) for op, text in change.definition)
        lines.append("  definition: " + text.replace("\n", "\n    "))
    for column, values in change.attributes.items():
        lines.append(f"  {column}: {_or_none(values['from'])} -> {_or_none(values['to'])}")
    if change.aliases_added or change.aliases_removed:
        aliases = [f"+{alias}" for alias in change.aliases_added] + [f"-{alias}" for alias in change.aliases_removed]
        lines.append("  aliases: " + " ".join(aliases))
    if change.section is not None:
        old, new = change.section
        lines.append(f"  section: {_section_label(old)} -> {_section_label(new)}")
    return lines


def _render_op(op: str, text: str, color: bool) -> str:
    if op == "equal":
        return text
    if color:
        return click.style(text, fg="red" if op == "delete" else "green")
    return f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"


def _bold(text: str, color: bool) -> str:
    return click.style(text, bold=True) if color else text


def _section_label(section: Section) -> str:
    """'Section 3.1 "Title"', or just '"Title"' when unnumbered."""
    return f'{section.citation()} "{section.title}"' if section.number else section.citation()


def _or_none(value: str | None) -> str:
    """A cell value for the terminal: a missing column and an empty cell must not look alike."""
    if value is None:
        return "(none)"
    return value or '""'


def format_lint_report(report, color: bool = False) -> str:
    """The usage lint's report (glossary.authoring.lint.LintReport) as a terminal shows it."""
    lines = [f"{report.source} ({report.format})"]
    cited = ", ".join(f"{c.text} (line {c.line})" for c in report.citations) or "neither RFC 7228 nor its bis"
    lines += [f"cites: {cited}", f"meaning: {report.cited_version}" + (f" ({report.note})" if report.note else ""),
              f"checked against: {report.against}"]
    counts = ", ".join(f"{count} {status}" for status, count in report.summary.items() if count)
    lines.append(f"{len(report.uses)} term(s) used" + (f": {counts}" if counts else ""))
    for use in report.uses:
        where = f"line{'s' if len(use.lines) > 1 else ''} {', '.join(map(str, use.lines))}"
        forms = ", ".join(f'"{form}"' for form in use.forms)
        status = use.status
        if use.renamed_to:
            status += f" to {use.renamed_to['term']} ({use.renamed_to['id']})"
        if use.status == "added":
            status += f": not in {report.cited_version}, defined in {use.current_section}"
        if use.status == "absent":
            status += f": defined only in {', '.join(use.defined_in)}"
        lines += ["", f"{use.term} ({use.id}): {status}; {where} (as {forms})"]
        if use.changes and use.changes.changes:
            lines += change_lines(use.changes.changes, color)
    return "\n".join(lines) + "\n"
