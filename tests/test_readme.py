"""The README's command-line examples are what the commands print on the embedded store."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.store import embedded_store

README = Path(__file__).resolve().parent.parent / "README.md"
ELISION = "…"


def examples() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for the "$ glossary ..." lines of the README's code blocks."""
    found = []
    for block in code_blocks(README.read_text(encoding="utf-8")):
        command, expected = None, []
        for line in block + ["$ end"]:
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, _without_trailing_blanks(expected)))
                command, expected = line[2:], []
            elif command is not None:
                expected.append(line)
    # A command with a "# comment" sketches a use, with no output shown.
    return [(command, lines) for command, lines in found if command.startswith("glossary ") and " #" not in command]


def code_blocks(markdown: str) -> list[list[str]]:
    blocks, current = [], None
    for line in markdown.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line that is just "…" stands for any lines, a line ending in " …" for its rest."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == ELISION:
        return any(matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0]
    same = line.startswith(head[: -len(ELISION)]) if head.endswith(" " + ELISION) else line == head
    return same and matches(rest, actual[1:])


def test_the_readme_has_examples():
    assert len(examples()) >= 6


@pytest.mark.parametrize("command, expected", examples(), ids=[command for command, _ in examples()])
def test_a_readme_example_prints_what_it_shows(command, expected, tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE", str(tmp_path))
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, ["--store", str(embedded_store()), *args])
    printed = (result.stdout + result.stderr).splitlines()
    assert matches(expected, _without_trailing_blanks(printed)), "\n".join(printed)
