"""Diffs and histories as a terminal shows them: [-deleted-] {+inserted+}, coloured on request.

The markers stay when colour is on (red and green only add to them), so a
change is never told by colour alone. A table row's change is shown once, as
its changed cells; its definition only where it says more than the cells.
"""

from __future__ import annotations

import click

from .diff import NoteChange, TermChange, TermHistory, VersionDiff, WordOps
from .model import Section, short_revision, split_revision


def format_diff(diff: VersionDiff, color: bool = False) -> str:
    """A terminal rendering: the counts, the whole-document diffs, then every term that is not unchanged.

    Terms that share one definition and one change (LoWPAN and 6LoWPAN) are
    shown once, named together.
    """
    counts = ", ".join(f"{count} {status}" for status, count in diff.summary.items())
    lines = [f"{diff.from_version} -> {diff.to_version}: {counts}"]
    lines += [f"  {line}" for line in context_lines(diff.document_diff, diff.missing_revisions, diff.to_version)]
    shown: set[str] = set()
    for entry in diff.terms:
        if entry.status == "unchanged" or entry.id in shown:
            continue
        together = [entry, *(other for other in diff.terms if other.id in entry.same_change_as)]
        shown.update(other.id for other in together)
        status = f"renamed from {entry.renamed_from}" if entry.renamed_from else entry.status
        names = " and ".join(f"{_bold(other.term, color)} ({other.id})" for other in together)
        lines.append(f"{names}: {status}" + (" (one shared definition)" if len(together) > 1 else ""))
        if entry.changes:
            lines += change_lines(entry.changes, color)
    return "\n".join(lines) + "\n"


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


def change_lines(change: TermChange, color: bool = False) -> list[str]:
    """One term's changes, one aspect a line, indented by two spaces."""
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
        lines += note_lines(note, color)
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
    where = note.section.citation()
    if note.section_from is not None:
        where = f"{note.section_from.citation()} -> {where}"
    text = render_ops(_shortened(note.text), color).replace("\n", "\n    ")
    return [f"  note ({note.kind}, {where}) {note.status}:", f"    {text}"]


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
