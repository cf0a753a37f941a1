"""Diffs and histories as a terminal shows them: [-deleted-] {+inserted+}, or red and green."""

from __future__ import annotations

import click

from .diff import TermChange, TermHistory, VersionDiff
from .model import Section


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
