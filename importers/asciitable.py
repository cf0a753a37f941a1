"""ASCII tables as the text renderings draw them.

Two styles occur. The current renderer draws ``+===+`` around the header and
``+---+`` between body rows, one logical row between two rules. The older one
(RFC 7228 and other RFCs of its time) draws ``+---+`` rules only around the
header and at the end; a body row continues on the following lines whose
first cell is empty, and lines whose cells are all empty only space the rows.
Tables embedded as artwork in RFCXML v2 come in either style.
"""

from __future__ import annotations

import re

from .text import join_lines

_RULE = re.compile(r"^\s*\+(?:[-=]+\+)+\s*$")
_ROW = re.compile(r"^\s*\|.*\|\s*$")


class NotATable(ValueError):
    pass


def is_rule(line: str) -> bool:
    return bool(_RULE.match(line))


def is_row(line: str) -> bool:
    return bool(_ROW.match(line))


def is_table_line(line: str) -> bool:
    return is_rule(line) or is_row(line)


def parse(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header labels and body rows (canonical cell text) of one table."""
    lines = [line.rstrip() for line in lines if line.strip()]
    if not lines or not is_rule(lines[0]):
        raise NotATable("a table starts with a +---+ rule")
    columns = _column_bounds(lines[0])
    # (rule kind before the group, row lines); rules close one group and open the next.
    groups: list[tuple[str, list[list[str]]]] = [(lines[0].strip()[1], [])]
    for line in lines[1:]:
        if is_rule(line):
            groups.append((line.strip()[1], []))
        elif is_row(line):
            groups[-1][1].append(_split(line, columns))
        else:
            raise NotATable(f"not part of a table: {line.strip()!r}")
    # Both styles: the first group of lines is the header, the rest the body.
    header = _join_cells(groups[0][1] if groups else [], len(columns))
    body_groups = [rows for _, rows in groups[1:]]
    rows: list[list[str]] = []
    for group in body_groups:
        if len(group) > 1 and not _has_rules_between_rows(groups):
            rows.extend(_rows_without_rules(group, len(columns)))
        elif group:
            rows.append(_join_cells(group, len(columns)))
    return header, rows


def _column_bounds(rule: str) -> list[tuple[int, int]]:
    plus = [i for i, ch in enumerate(rule) if ch == "+"]
    return list(zip(plus, plus[1:]))


def _split(line: str, columns: list[tuple[int, int]]) -> list[str]:
    cells = []
    for start, end in columns:
        cells.append(line[start + 1 : end] if start + 1 < len(line) else "")
    return cells


def _join_cells(lines: list[list[str]], width: int) -> list[str]:
    return [join_lines([line[i] for line in lines]) for i in range(width)]


def _has_rules_between_rows(groups) -> bool:
    """Whether body rows are separated by rules (current style)."""
    body = [rows for _, rows in groups[1:] if rows]
    return len(body) > 1


def _rows_without_rules(lines: list[list[str]], width: int) -> list[list[str]]:
    """Older style body, where a row's cells wrap onto the lines below it.

    Where lines of empty cells space the rows, the rows are what lies between
    them, so a name cell that wraps ("Class 0," above "C0") stays one cell.
    Without spacing, a line with an empty first cell continues the row above,
    and so does a line below a name cell that ends in a comma.
    """
    spaced = any(not any(c.strip() for c in cells) for cells in lines)
    rows: list[list[list[str]]] = [[]]
    for cells in lines:
        if not any(c.strip() for c in cells):
            rows.append([])
        elif spaced or not rows[-1] or _continues_row(rows[-1], cells):
            rows[-1].append(cells)
        else:
            rows.append([cells])
    return [_join_cells(r, width) for r in rows if r]


def _continues_row(row: list[list[str]], cells: list[str]) -> bool:
    return not cells[0].strip() or row[-1][0].strip().endswith(",")
