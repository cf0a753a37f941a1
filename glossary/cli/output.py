"""Everything the command line prints: tables, JSON, terms, snippets, diffs, histories, lint reports,
import outcomes, errors.

Diffs show [-deleted-] {+inserted+} words; the marks stay when colour is on
(red and green only add to them), so a change is never told by colour alone.
A table row's change is shown once, as its changed cells; its definition only
where it says more than the cells.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import textwrap
from dataclasses import dataclass
from urllib.parse import quote

import click

from ..diff import NoteChange, NoteReading, TermChange, TermDiff, TermHistory, VersionDiff, WordOps, read_once
from ..model import Section, Term, Version, short_revision, split_revision

TEXT_WIDTH = 78
# How each snippet format says where its reference goes, on the line before it.
REFERENCE_HEADERS = {
    "xml": "<!-- for <back><references>: -->",
    "kramdown": "# for the front matter:\ninformative:",
    "text": "for the references section:",
}


class CliError(click.ClickException):
    """A failure shown as the one line "error: <message>", exit status 1 (2 for a bad parameter)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


COLOR_MODES = ("auto", "always", "never")


def colour(mode: str = "auto") -> bool:
    """Whether to colour: "always", "never", or "auto" (a terminal, unless NO_COLOR is set)."""
    if mode != "auto":
        return mode == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def echo_rendered(render, value, mode: str) -> None:
    """``render(value, color=…)`` on stdout, coloured as ``mode`` ("always", "never", "auto") says."""
    coloured = colour(mode)
    click.echo(render(value, color=coloured), color=coloured)


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
        click.echo(f"    {'(note) ' if hit.snippet_from == 'note' else ''}{hit.snippet}")


def echo_snippet(snippet, as_json: bool, **about) -> None:
    if as_json:
        echo_json({**about, **snippet.to_dict()})
        return
    click.echo(snippet.text)
    if snippet.reference:
        header = REFERENCE_HEADERS[snippet.format]
        if snippet.front_matter:  # kramdown-rfc: a setting the custom anchor needs
            header = header.replace("# for the front matter:", f"# for the front matter ({snippet.front_matter} "
                                    f"lets kramdown-rfc use the anchor):\n{snippet.front_matter}")
        click.echo(f"\n{header}\n{snippet.reference}")


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
    """A terminal rendering: the counts, the whole-document diffs, then every term that is not unchanged.

    Terms that share one definition and one change (LoWPAN and 6LoWPAN) are
    shown once, named together. A note change several terms share (a table's
    legend) is shown once, under the first of them, naming the others; a term
    changed by nothing else is named there, not shown on its own
    (glossary.diff.read_once).
    """
    counts = ", ".join(f"{count} {status}" for status, count in diff.summary.items())
    lines = [f"{diff.from_version} -> {diff.to_version}: {counts}"]
    shown: set[str] = set()
    groups: list[list[TermDiff]] = []
    for entry in diff.terms:
        if entry.status == "unchanged" or entry.id in shown:
            continue
        together = [entry, *(other for other in diff.terms if other.id in entry.same_change_as)]
        shown.update(other.id for other in together)
        groups.append(together)
    reading = read_once([group[0] for group in groups])
    if reading.shared_note_edits:
        lines.append(f"  {reading.counted()}")
    lines += [f"  {line}" for line in context_lines(diff.document_diff, diff.missing_revisions, diff.to_version)]
    names = {entry.id: entry.term for entry in diff.terms}
    for entry, *partners in groups:
        if entry.id in reading.folded:
            continue
        status = f"renamed from {entry.renamed_from}" if entry.renamed_from else entry.status
        heading = " and ".join(f"{_bold(other.term, color)} ({other.id})" for other in [entry, *partners])
        elsewhere = [other for other in entry.same_change_as if other not in shown]  # filtered out of this diff
        shared = " (one shared definition)" if partners else ""
        shared += f" (the same change as {', '.join(elsewhere)})" if elsewhere else ""
        lines.append(f"{heading}: {status}{shared}")
        if entry.changes:
            lines += change_lines(entry.changes, color, _SharedNotes(entry, reading, names))
        folded = reading.folded_under(entry.id)
        if folded:
            lines.append(f"  changed only by the notes above: {', '.join(names[other] for other in folded)}")
    return "\n".join(lines) + "\n"


@dataclass
class _SharedNotes:
    """How change_lines shows the note changes an entry shares with others of its diff."""

    entry: TermDiff
    reading: NoteReading
    names: dict[str, str]  # id -> term, of the diff's entries

    def lines(self, note: NoteChange, color: bool) -> list[str]:
        host = self.reading.host(note)
        if host is not None and host != self.entry.id:
            return [f"  {_note_heading(note)}: as under {self.names[host]} ({host})"]
        lines = note_lines(note, color)
        others = [other for other in note.shared_with if other not in self.entry.same_change_as]  # not named above
        listed = [self.names[other] for other in others if other in self.names]
        unlisted = [other for other in others if other not in self.names]  # filtered out of this diff: ids alone
        if listed:
            lines.append(f"    also in: {', '.join(listed)}")
        if unlisted:
            lines.append(f"    also in, not listed here: {', '.join(unlisted)}")
        return lines


def format_history(history: TermHistory, color: bool = False) -> str:
    """A terminal rendering of one term's history, one event per version."""
    lines = [f"{_bold(history.term, color)} ({history.id}): in {len(history.present_in)} version(s)"]
    for event in history.events:
        what = f"renamed from {event.renamed_from}" if event.event == "renamed" else event.event
        lines.append(f"  {event.version}: {what} ({event.id})")
        lines += [f"    {line}" for line in context_lines(event.document_diff, event.missing_revisions, event.version)]
        if event.changes:
            lines += ["  " + line for line in change_lines(event.changes, color)]
    if history.defined_twice:
        for version, others in history.defined_twice.items():
            lines.append(f"  {version}: defined twice in this version (also as {', '.join(others)})")
    return "\n".join(lines) + "\n"


def context_lines(document_diff: dict[str, str], missing: list[str], version: str) -> list[str]:
    """Where to read the whole documents side by side, and the revisions the store lacks in between."""
    lines = []
    if missing:
        document = split_revision(version)[0]
        lines.append("revisions not in the store: " + ", ".join(short_revision(name, document) for name in missing))
    for label, key in (("whole-document diff", "iddiff"), ("source diff", "source")):
        if document_diff.get(key):
            lines.append(f"{label}: {document_diff[key]}")
    return lines


def change_lines(change: TermChange, color: bool = False, shared: _SharedNotes | None = None) -> list[str]:
    """One term's changes, one aspect a line, indented by two spaces; ``shared``: how to show shared notes."""
    lines = []
    if change.term is not None:
        lines.append(f"  term: {change.term[0]} -> {change.term[1]}")
    if change.kind is not None:
        lines.append(f"  kind: {change.kind[0]} -> {change.kind[1]}")
    if change.shown_definition is not None:
        lines.append("  definition: " + render_ops(change.shown_definition, color).replace("\n", "\n    "))
    for old, new in change.renamed_attributes.items():
        lines.append(f"  column renamed: {old} -> {new}")
    for column, values in change.attributes.items():
        lines.append(f"  {column}: {render_ops(values['ops'], color)}")
    for note in change.notes:
        lines += shared.lines(note, color) if shared else note_lines(note, color)
    if change.aliases_added or change.aliases_removed:
        aliases = [f"+{alias}" for alias in change.aliases_added] + [f"-{alias}" for alias in change.aliases_removed]
        lines.append("  aliases: " + " ".join(aliases))
    if change.section is not None:
        old, new = change.section
        lines.append(f"  section: {_section_label(old)} -> {_section_label(new)}")
    return lines


# A note's unchanged text longer than this is cut to CONTEXT characters either side of a change.
LONG_EQUAL = 240
CONTEXT = 80


def note_lines(note: NoteChange, color: bool = False) -> list[str]:
    """A note's change: where it stands, and its words with the unchanged stretches cut short."""
    text = render_ops(_shortened(note.text), color).replace("\n", "\n    ")
    return [f"  {_note_heading(note)}:", f"    {text}"]


def _note_heading(note: NoteChange) -> str:
    where = note.section.citation()
    if note.section_from is not None:
        where = f"{note.section_from.citation()} -> {where}"
    return f"note ({note.kind}, {where}) {note.status}"


def _shortened(ops: WordOps) -> WordOps:
    """Long unchanged stretches cut to their ends next to a change, with "…" for what is left out."""
    if len(ops) == 1:
        return ops
    result: WordOps = []
    for index, (op, text) in enumerate(ops):
        if op == "equal" and len(text) > LONG_EQUAL:
            head = text[:CONTEXT] if index > 0 else ""
            tail = text[-CONTEXT:] if index < len(ops) - 1 else ""
            text = f"{head}…{tail}"
        result.append((op, text))
    return result


def render_ops(ops: WordOps, color: bool = False) -> str:
    """Word operations as text: [-deleted-]{+inserted+}, the markers coloured when ``color``."""
    return "".join(_render_op(op, text, color) for op, text in ops)


def _render_op(op: str, text: str, color: bool) -> str:
    if op == "equal":
        return text
    marked = f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"
    return click.style(marked, fg="red" if op == "delete" else "green") if color else marked


def _bold(text: str, color: bool) -> str:
    return click.style(text, bold=True) if color else text


def _section_label(section: Section) -> str:
    """'Section 3.1 "Title"', or just '"Title"' when unnumbered."""
    return f'{section.citation()} "{section.title}"' if section.number else section.citation()


def format_lint_report(report, color: bool = False) -> str:
    """The usage lint's report (glossary.authoring.lint.LintReport) as a terminal shows it."""
    lines = [f"{report.source} ({report.format})"]
    cited = ", ".join(f"{c.text} (line {c.line})" for c in report.citations) or "neither RFC 7228 nor its bis"
    pinned = report.meaning.pinned_by if report.meaning else None
    meaning = f"meaning: {report.cited_version}"
    if pinned is not None:
        meaning += f", pinned by line {pinned.line} ({pinned.text})"
    lines += [f"cites: {cited}", meaning + (f" ({report.note})" if report.note else ""),
              f"checked against: {report.against}"]
    counts = ", ".join(f"{count} {status}" for status, count in report.summary.items() if count)
    lines.append(f"{len(report.uses)} term(s) used" + (f": {counts}" if counts else ""))
    for use in report.uses:
        where = f"line{'s' if len(use.lines) > 1 else ''} {', '.join(map(str, use.lines))}"
        forms = ", ".join(f'"{form}"' for form in use.forms)
        status = use.status
        if use.cited_version:
            status += f" (since {use.cited_version}, which the citation nearby means)"
        clauses = use_clauses(use, use.cited_version or report.cited_version, report.against)
        lines += ["", f"{use.term} ({use.id}): {'; '.join([status, *clauses, where])} (as {forms})"]
        for cited in use.section_citations:
            lines.append(f"  line {cited['line']} cites Section {cited['cited']}, which does not hold it: "
                         f"now {cited['citation']}")
        if use.changes and use.changes.changes:
            lines += change_lines(use.changes.changes, color)
    if report.possible_uses:
        possible = ", ".join(f'"{p["form"]}" (line {p["line"]})' for p in report.possible_uses)
        lines += ["", f"possible uses, not counted (no class-like phrase or citation nearby): {possible}"]
    return "\n".join(lines) + "\n"


def use_clauses(use, since: str, against: str) -> list[str]:
    """What a lint report says of a used term after its status, the same in the text report and in CI:
    its new name, where a term not in the cited version is defined, and a removed term's successor.
    ``since`` is the version the use is compared from, ``against`` the one it is checked against."""
    clauses = [_renamed_clause(use.renamed_to) if use.renamed_to else None,
               _not_in_clause(use, since, against),
               _successor_clause(use.successor) if use.successor else None]
    return [clause for clause in clauses if clause]


def _renamed_clause(renamed_to: dict) -> str:
    return f"now {renamed_to['term']} ({renamed_to['id']})"


def _not_in_clause(use, since: str, against: str) -> str | None:
    """For a term the cited version lacks: added since (and where it is now), or absent from both versions."""
    if use.status == "added":
        return f"not in {since}, defined in {use.current_section}"
    if use.status == "absent":
        return f"not in {since} nor in {against}, defined only in {', '.join(use.defined_in)}"
    return None


def _successor_clause(successor: dict) -> str:
    return f"successor: {successor['term']} ({successor['id']}), {successor['how']}"


# --- the lint for CI: GitHub Actions annotations and SARIF ------------------------------

LINT_FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LINT_TOOL_NAME = "glossary lint"
LINT_TOOL_URI = "https://datatracker.ietf.org/doc/draft-ietf-iotops-7228bis/"
# rule id -> (level, short description); levels are SARIF's ("error", "warning", "note").
LINT_RULES = {
    "term-removed": ("error", "A term the draft uses was removed from the version checked against"),
    "term-changed": ("warning", "A term the draft uses changed since the version it cites"),
    "term-renamed": ("warning", "A term the draft uses was renamed since the version it cites"),
    "term-added": ("note", "A term the draft uses is not in the version it cites"),
    "term-absent": ("note", "A term the draft uses is defined only in other versions"),
    "stale-section": ("warning", "A cited section no longer holds the term used with it"),
    "missing-revision": ("warning", "The revision the draft cites is not in the store"),
}
_STATUS_RULES = {"removed": "term-removed", "changed": "term-changed", "renamed": "term-renamed",
                 "added": "term-added", "absent": "term-absent"}


@dataclass
class Finding:
    rule: str
    line: int
    message: str

    @property
    def level(self) -> str:
        return LINT_RULES[self.rule][0]


def lint_findings(report) -> list[Finding]:
    """What CI should flag, line by line: every use that is not unchanged, stale sections, a missing revision."""
    found = []
    if report.meaning and report.meaning.missing:
        found.append(Finding("missing-revision", report.meaning.pinned_by.line, report.note or report.meaning.missing))
    for use in report.uses:
        since = use.cited_version or report.cited_version
        rule = _STATUS_RULES.get(use.status)
        if rule:
            status = use.status
            if not _not_in_clause(use, since, report.against):  # that clause names the versions itself
                status += f" between {since} and {report.against}"
            message = f"{use.term} ({use.id}): " + "; ".join([status, *use_clauses(use, since, report.against)])
            if use.changes and use.changes.changes:
                message += "\n" + "\n".join(change_lines(use.changes.changes, False))
            found += [Finding(rule, line, message) for line in use.lines]
        for cited in use.section_citations:
            found.append(Finding("stale-section", cited["line"], f"Section {cited['cited']} does not hold "
                                 f"{use.term} ({use.id}): it is in {cited['citation']}"))
    return sorted(found, key=lambda f: f.line)


_GITHUB_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def format_lint_github(report) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on its line of the draft."""
    lines = []
    for finding in lint_findings(report):
        properties = ",".join(f"{key}={_github_escape(value, True)}" for key, value in
                              (("file", report.source), ("line", str(finding.line)), ("title", finding.rule)))
        lines.append(f"::{_GITHUB_LEVELS[finding.level]} {properties}::{_github_escape(finding.message, False)}")
    counts = ", ".join(f"{count} {status}" for status, count in report.summary.items() if count)
    lines.append(f"{report.source}: {len(report.uses)} term(s) used" + (f": {counts}" if counts else ""))
    return "\n".join(lines) + "\n"


def _github_escape(text: str, is_property: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def lint_sarif(report) -> dict:
    """A SARIF 2.1.0 log of one run: the findings as results, each rule described once."""
    rule_ids = list(LINT_RULES)
    results = [{
        "ruleId": finding.rule,
        "ruleIndex": rule_ids.index(finding.rule),
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(report.source)},
                                            "region": {"startLine": max(finding.line, 1)}}}],
    } for finding in lint_findings(report)]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": LINT_TOOL_NAME,
                "informationUri": LINT_TOOL_URI,
                "rules": [{"id": rule, "shortDescription": {"text": text},
                           "defaultConfiguration": {"level": level}} for rule, (level, text) in LINT_RULES.items()],
            }},
            "results": results,
            "properties": {"citedVersion": report.cited_version, "against": report.against,
                           "summary": report.summary},
        }],
    }


def _artifact_uri(source: str) -> str:
    """The draft's path as a relative URI reference (SARIF wants URIs; a path with spaces is escaped)."""
    return quote(source.replace("\\", "/"))
